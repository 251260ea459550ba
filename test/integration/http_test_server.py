#!/usr/bin/env python3
"""An HTTP server for the http:V1 output's tests (Python standard library only).

    http_test_server.py --mode MODE --port-file F --state DIR [options]

Binds 127.0.0.1 on --port (default: a free one) and writes the port to F once it listens. DIR receives:
  accepted    every record the server accepted, one per line, in the order accepted (a record
              accepted twice appears twice)
  stats.json  counters, rewritten after every request (see `Stats`)

Modes:
  fault  raw bodies of numbered lines. A request holding a line that starts with "poison" gets
         400, always. Otherwise the first requests go through a fixed script so that each fault
         happens at least once, then faults come at random (seeded, --seed):
           503 with Retry-After in seconds, 503 with Retry-After as an HTTP date, 500,
           a reply slower than --slow seconds (the records ARE accepted first, so the client's
           retry after its timeout is a duplicate, counted in slow_records), and a connection
           reset before anything is accepted.
  check  every request must carry --auth as its Authorization header, each --header NAME:VALUE,
         and, with --gzip, Content-Encoding: gzip; the body is gunzipped as needed and parsed as
         --format (raw lines, ndjson or json_array, each JSON element {"log": record} or a JSON
         record as it was), and the method must be --method. A request that breaks a rule gets
         400 and its reason goes to stats "errors"; one holding a "poison" record gets 400 too.
  busy   every request gets 503 with Retry-After: 3600 (shutdown must not wait for it).
  sink   the fastest path, for the benchmark: every body is appended as it is to --body-file
         (default DIR/body, opened per request so that it may be removed between runs), 204.
"""
import argparse
import email.utils
import gzip
import json
import os
import random
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCRIPT = ["503s", "ok", "503date", "ok", "slow", "ok", "reset", "ok", "500"]


class Stats:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.c = {"connections": 0, "requests": 0, "ok": 0, "s400": 0, "s500": 0, "s503": 0, "slow": 0,
                  "slow_records": 0, "reset": 0, "errors": []}

    def add(self, key, n=1):
        with self.lock:
            self.c[key] += n
            self._save()

    def error(self, msg):
        with self.lock:
            self.c["errors"].append(msg)
            self._save()

    def _save(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.c, f)
        os.replace(tmp, self.path)


def make_handler(args, stats, accepted_path):
    rng = random.Random(args.seed)
    script = list(SCRIPT)
    lock = threading.Lock()

    def accept(records):
        with lock, open(accepted_path, "a") as f:
            for r in records:
                f.write(r + "\n")

    def unwrap(e):
        # {"log": record} is a wrapped line; any other object was a JSON record sent as it is.
        if isinstance(e, dict) and list(e) == ["log"]:
            return e["log"]
        if not isinstance(e, dict):
            raise TypeError("an element is not a JSON object")
        return json.dumps(e, separators=(",", ":"))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def log_message(self, *a):
            pass

        def setup(self):
            super().setup()
            if args.mode != "sink":
                stats.add("connections")

        def reply(self, status, body=b"", headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if args.mode != "sink":  # the sink stays as cheap as it can
                stats.add("requests")
            getattr(self, "mode_" + args.mode)(body)

        do_PUT = do_POST

        def mode_busy(self, body):
            stats.add("s503")
            self.reply(503, b"busy", [("Retry-After", "3600")])

        def mode_sink(self, body):
            with open(args.body_file or os.path.join(args.state, "body"), "ab") as f:
                f.write(body)
            self.reply(204)

        def mode_fault(self, body):
            records = body.decode("utf-8", "replace").split("\n")
            if records and records[-1] == "":
                records.pop()
            if any(r.startswith("poison") for r in records):
                stats.add("s400")
                return self.reply(400, b'{"error":"poison record"}')
            with lock:
                if script:
                    what = script.pop(0)
                else:
                    x = rng.random()
                    what = ("500" if x < 0.12 else "503s" if x < 0.16 else "slow" if x < 0.19
                            else "reset" if x < 0.24 else "ok")
            if what == "503s":
                stats.add("s503")
                return self.reply(503, b"busy", [("Retry-After", "1")])
            if what == "503date":
                stats.add("s503")
                when = email.utils.formatdate(time.time() + 1, usegmt=True)
                return self.reply(503, b"busy", [("Retry-After", when)])
            if what == "500":
                stats.add("s500")
                return self.reply(500, b"oops")
            if what == "reset":
                stats.add("reset")
                # SO_LINGER 0: close() sends RST at once, nothing is accepted.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            accept(records)
            if what == "slow":
                stats.add("slow")
                stats.add("slow_records", len(records))
                time.sleep(args.slow)
                self.close_connection = True
                try:
                    self.reply(200)
                except OSError:
                    pass
                return
            stats.add("ok")
            self.reply(204)

        def mode_check(self, body):
            problems = []
            if self.command != args.method:
                problems.append("method %s, expected %s" % (self.command, args.method))
            if args.auth and self.headers.get("Authorization") != args.auth:
                problems.append("Authorization is %r" % self.headers.get("Authorization"))
            for h in args.header:
                name, value = h.split(":", 1)
                if self.headers.get(name) != value:
                    problems.append("%s is %r, expected %r" % (name, self.headers.get(name), value))
            if args.gzip:
                if self.headers.get("Content-Encoding") != "gzip":
                    problems.append("no Content-Encoding: gzip")
                else:
                    try:
                        body = gzip.decompress(body)
                    except OSError as e:
                        problems.append("body is not gzip: %s" % e)
            records = []
            if not problems:
                try:
                    text = body.decode("utf-8")
                    if args.format == "raw":
                        records = text.split("\n")[:-1]
                    elif args.format == "ndjson":
                        records = [unwrap(json.loads(l)) for l in text.split("\n")[:-1]]
                    else:
                        if self.headers.get("Content-Type") != "application/json":
                            problems.append("Content-Type is %r" % self.headers.get("Content-Type"))
                        records = [unwrap(e) for e in json.loads(text)]
                except (ValueError, KeyError, TypeError) as e:
                    problems.append("body does not parse as %s: %s" % (args.format, e))
            if problems:
                stats.error("; ".join(problems))
                return self.reply(400, "; ".join(problems).encode())
            if any(r.startswith("poison") for r in records):
                stats.add("s400")
                return self.reply(400, b'{"error":"poison record"}')
            accept(records)
            stats.add("ok")
            self.reply(200, b"ok")

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["fault", "check", "busy", "sink"], required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--method", default="POST")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--slow", type=float, default=2.0)
    p.add_argument("--auth", default="")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--gzip", action="store_true")
    p.add_argument("--format", default="raw", choices=["raw", "ndjson", "json_array"])
    p.add_argument("--body-file", default="")
    p.add_argument("--tls-cert", default="", help="serve https with this PEM certificate")
    p.add_argument("--tls-key", default="")
    args = p.parse_args()
    os.makedirs(args.state, exist_ok=True)
    stats = Stats(os.path.join(args.state, "stats.json"))
    stats._save()
    server = ThreadingHTTPServer(("127.0.0.1", args.port),
                                 make_handler(args, stats, os.path.join(args.state, "accepted")))
    server.daemon_threads = True
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
