#!/usr/bin/env python3
"""Client side of test_http_api.sh: checks every endpoint of mafio's monitoring API, then loads
it with concurrent clients while half-open (slowloris) connections are held. Standard library
only. Prints one "check: ..." line per check; exits 1 on the first failure.

  http_api_client.py endpoints BASE_URL
  http_api_client.py flood BASE_URL N TARGET
  http_api_client.py load BASE_URL CLIENTS REQUESTS_PER_CLIENT SLOWLORIS
"""
import http.client
import json
import socket
import sys
import threading
import time
import urllib.parse

TIMEOUT = 60  # seconds; only a hung server reaches it


def fail(msg):
    print(f"[http_api_client] FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def check(msg):
    print(f"[http_api_client] check: {msg}", flush=True)


class Api:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        finally:
            c.close()

    def raw(self, data):
        """Sends raw bytes, returns (status, body) of the answer."""
        status, _, body = self.raw_reply(data)
        return status, body

    def raw_reply(self, data):
        """Sends raw bytes, returns (status, status line, body) of the answer."""
        s = socket.create_connection((self.host, self.port), timeout=TIMEOUT)
        try:
            s.sendall(data)
            reply = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except ConnectionResetError:
            fail(f"connection reset instead of an answer to {data[:60]!r}...")
        finally:
            s.close()
        head, _, body = reply.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/1.") else 0
        return status, head.split(b"\r\n")[0], body

    def json(self, method, path, want_status=200, body=None, headers=None):
        check(f"{method} {path} answers {want_status} with JSON")
        status, hdrs, data = self.request(method, path, body, headers)
        if status != want_status:
            fail(f"{method} {path}: expected {want_status}, got {status}: {data[:300]!r}")
        if not hdrs.get("content-type", "").startswith("application/json"):
            fail(f"{method} {path}: Content-Type {hdrs.get('content-type')!r}, expected JSON")
        try:
            return json.loads(data), hdrs
        except ValueError as e:
            fail(f"{method} {path}: body is not JSON ({e}): {data[:300]!r}")


def expect(cond, msg):
    check(msg)
    if not cond:
        fail(msg)


def json_error(api, status, data, what):
    check(f"{what}: {status} with a JSON error body")
    got, body = api.raw(data)
    if got != status:
        fail(f"{what}: expected {status}, got {got}: {body[:200]!r}")
    try:
        doc = json.loads(body)
    except ValueError:
        fail(f"{what}: error body is not JSON: {body[:200]!r}")
    if doc.get("status") != status or not doc.get("message"):
        fail(f"{what}: error body lacks status/message: {doc}")


def endpoints(base):
    api = Api(base)
    v, _ = api.json("GET", "/version")
    expect(v["name"] == "mafio" and v["version"] and v["plugin_abi"], "/version names mafio, version, ABI")
    expect(v["agent"] == {"id": "httptest", "group": "httpgrp"}, "/version has agent id and group")
    expect(v["build"]["commit"] and v["uptime_seconds"] >= 0 and v["start_time"].endswith("Z"),
           "/version has build, start time, uptime")

    h, _ = api.json("GET", "/health")
    expect(h["status"] == "ok", "/health says ok")

    check("GET /metrics answers 200 in Prometheus text format")
    status, hdrs, body = api.request("GET", "/metrics")
    text = body.decode()
    expect(status == 200 and hdrs["content-type"].startswith("text/plain; version=0.0.4"),
           "/metrics content type is Prometheus text 0.0.4")
    for needle in ['mafio_records_in_total{component="stdin",plugin="stdin:V1",kind="input"} ',
                   '# TYPE mafio_records_out_total counter',
                   'mafio_records_dropped_by_reason_total{component="valid",plugin="valid:V1",kind="filter",reason="empty"} ',
                   'mafio_records_unrouted_total{component="stdin",plugin="stdin:V1",kind="input"} 0',
                   'mafio_channel_capacity_records{channel="write",component="stdout",plugin="stdout:V1"} 4096',
                   'process_cpu_seconds_total ', 'process_resident_memory_bytes ',
                   'process_open_fds ', 'process_threads ', 'mafio_uptime_seconds ',
                   'process_start_time_seconds ']:
        expect(needle in text, f"/metrics has {needle.strip()}")
    expect('instance="' not in text, "/metrics has no instance label (Prometheus owns it)")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name_labels, _, value = line.rpartition(" ")
            try:
                float(value)
            except ValueError:
                fail(f"/metrics line without a numeric value: {line}")

    p, _ = api.json("GET", "/plugins")
    loaded = {(x["name"], x["kind"]) for x in p["loaded"]}
    expect(loaded == {("stdin", "input"), ("valid", "filter"), ("stdout", "output")},
           "/plugins lists the three loaded plugins with their kinds")
    expect(all(x["abi"] and x["path"].endswith(".so") for x in p["loaded"]), "/plugins has ABI and path")
    expect(any(x["name"] == "logr" for x in p["available"]), "/plugins lists available logr too")

    pl, _ = api.json("GET", "/pipeline")
    expect(pl["inputs"][0]["plugin"] == "stdin:V1" and pl["inputs"][0]["instance"] == "inputs[0]",
           "/pipeline shows inputs[0] stdin:V1")
    expect(pl["inputs"][0]["id"] == "stdin" and pl["inputs"][0]["tag"] == "stdin",
           "/pipeline shows the derived id and the tag")
    expect(pl["outputs"][0]["id"] == "stdout" and pl["outputs"][0]["match"] == ["*"],
           "/pipeline shows the output's id and match")
    expect(pl["outputs"][0]["queue"]["capacity_records"] == 4096, "/pipeline shows the output queue")
    expect(pl["inputs"][0]["options"] == {}, "/pipeline shows the options")

    heap, _ = api.json("GET", "/debug?cmd=heap")
    expect(heap["rss_bytes"] > 0 and heap["allocator"]["arena_bytes"] >= 0 and
           len(heap["channels"]) == 1, "/debug?cmd=heap has RSS, allocator and channels")
    gc, _ = api.json("GET", "/debug?cmd=gc")
    expect("free_bytes" in gc["allocator"], "GET /debug?cmd=gc reports what could be returned")
    trim, _ = api.json("POST", "/debug?cmd=gc")
    expect(trim["rss_before_bytes"] > 0 and trim["rss_after_bytes"] > 0,
           "POST /debug?cmd=gc reports RSS before and after")
    trim, _ = api.json("POST", "/debug", body="cmd=gc",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    expect("released_bytes" in trim, "POST /debug with a form body cmd=gc works too")

    go, _ = api.json("GET", "/debug?cmd=go")
    roles = {t["role"] for t in go["threads"]}
    expect({"main", "input", "output", "http", "signals"} <= roles,
           f"/debug?cmd=go names every role (got {sorted(roles)})")
    inp = [t for t in go["threads"] if t["role"] == "input"][0]
    expect(inp["name"] == "in:stdin" and inp["plugin"] == "stdin:V1" and "records" in inp
           and "cpu_seconds" in inp and inp["state"],
           "/debug?cmd=go joins the input thread (named by component id) with its plugin and records")
    out = [t for t in go["threads"] if t["role"] == "output"][0]
    expect(out["name"] == "out:stdout" and out["queue"] == "write:stdout" and out["component"] == "stdout",
           "/debug?cmd=go joins the output thread with its queue")
    expect(go["count"] == len(go["threads"]), "/debug?cmd=go counts its threads")

    check("GET /ping answers OK in plain text, as the original agent did")
    status, hdrs, body = api.request("GET", "/ping")
    expect(status == 200 and body == b"OK" and hdrs["content-type"].startswith("text/plain"),
           f"/ping: 200 text/plain OK (got {status} {hdrs.get('content-type')} {body[:50]!r})")
    status, hdrs, body = api.request("HEAD", "/ping")
    expect(status == 200 and body == b"" and hdrs.get("content-length") == "2",
           "HEAD /ping: 200, GET's Content-Length, no body")

    e, _ = api.json("GET", "/nope", 404)
    expect("/metrics" in e["endpoints"] and "/ping" in e["endpoints"], "404 lists the endpoints")
    api.json("GET", "/debug", 400)
    api.json("GET", "/debug?cmd=bogus", 400)
    api.json("POST", "/debug?cmd=heap", 400)
    _, hdrs = api.json("POST", "/version", 405)
    expect(hdrs.get("allow") == "GET, HEAD", "405 carries Allow: GET, HEAD")
    # A method no endpoint takes is 501 wherever it is sent; it used to be 404 or 405.
    for method, path in [("BREW", "/version"), ("BREW", "/nope"), ("DELETE", "/version"),
                         ("PUT", "/debug?cmd=gc")]:
        e, _ = api.json(method, path, 501)
        expect(e["implemented"] == ["GET", "HEAD", "POST"], f"{method} {path}: 501 lists GET, HEAD, POST")
    # A parameter given twice was first-wins: ?cmd=go&cmd=heap answered the thread list.
    e, _ = api.json("GET", "/debug?cmd=go&cmd=heap", 400)
    expect('"cmd"' in e["message"], f"a repeated parameter is named: {e['message']}")
    e, _ = api.json("POST", "/debug?cmd=gc", 400, body="cmd=gc",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    expect('"cmd"' in e["message"], "cmd in the query and again in the form body: refused")

    json_error(api, 414, b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "a 20 KB URI")
    json_error(api, 431, b"GET /health HTTP/1.1\r\n" +
               b"".join(b"X-Header-%d: value\r\n" % i for i in range(100)) + b"\r\n", "100 headers")
    json_error(api, 431, b"GET /health HTTP/1.1\r\nX-Big: " + b"v" * 10000 + b"\r\n\r\n",
               "a 10 KB header")
    json_error(api, 413, b"POST /debug?cmd=gc HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n" +
               b"x" * 200000, "a 1 MB body")
    json_error(api, 411, b"POST /debug?cmd=gc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
               "a chunked body")
    json_error(api, 400, b"NONSENSE\r\n\r\n", "a malformed request line")
    # A CR inside the request line made Poco take "error" for the protocol and answer with
    # "error 404 Not Found": our status line is always HTTP/1.x, whatever the client wrote.
    for data in [b"GET /x\rerror HTTP/1.1\r\n\r\n", b"GET /ping HTTP/1.1\rX\r\n\r\n",
                 b"GET /ping\x0bHTTP/1.1\r\n\r\n", b"GET /ping FOO/1.1\r\n\r\n"]:
        check(f"{data!r}: 400 with an HTTP/1.1 status line")
        status, line, _ = api.raw_reply(data)
        expect(status == 400 and line.startswith(b"HTTP/1.1 400 "), f"{data!r}: got {line!r}")
    json_error(api, 505, b"GET /ping HTTP/2.0\r\n\r\n", "HTTP/2.0 in the request line")
    # Two different Content-Length values waited 10 s for a body, then 408: now 400 at once.
    # (The status tells: the body that would complete either length never comes.)
    json_error(api, 400, b"POST /debug?cmd=gc HTTP/1.1\r\nContent-Length: 6\r\n"
               b"Content-Length: 60\r\n\r\ncmd=gc", "two different Content-Length values")
    # Control bytes aimed at the agent's log (the shell script checks the log stays clean).
    for data in [b"GET /%zz\x1b[2J\x1b]0;pwned\x07 HTTP/1.1\r\n\r\n",
                 b"GET /%zz?\x1b[31mred HTTP/1.1\r\n\r\n",
                 b"GET /%zz HTTP/1.1\r\nX-Evil: \x1b[2J\r\n\r\n",
                 b"GET /%zz\r\n2026-01-01T00:00:00.000Z error forged HTTP/1.1\r\n\r\n"]:
        json_error(api, 400, data, f"control bytes {data[:24]!r}...")
    h, _ = api.json("GET", "/health")
    expect(h["status"] == "ok", "still healthy after the error cases")


class Slowloris(threading.Thread):
    """Holds N connections that never finish their request headers, sending one more header
    line to each every second, and opens a new one whenever the server closes one."""

    def __init__(self, api, n):
        super().__init__(daemon=True)
        self.api, self.n = api, n
        self.stop = threading.Event()
        self.opened = 0
        self.closed_by_server = 0
        self.held = 0

    def connect(self):
        s = socket.create_connection((self.api.host, self.api.port), timeout=TIMEOUT)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: slow\r\n")
        self.opened += 1
        return s

    def run(self):
        socks = [self.connect() for _ in range(self.n)]
        self.held = len(socks)
        while not self.stop.wait(1.0):
            for i, s in enumerate(socks):
                try:
                    s.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    self.closed_by_server += 1
                    s.close()
                    socks[i] = self.connect()
        for s in socks:
            s.close()


def load(base, clients, per_client, slow):
    api = Api(base)
    loris = Slowloris(api, slow)
    loris.start()
    deadline = time.time() + TIMEOUT
    while loris.held < slow and time.time() < deadline:
        time.sleep(0.05)
    expect(loris.held == slow, f"{slow} half-open connections are held")
    h, _ = api.json("GET", "/health")
    expect(h["status"] == "ok", "/health answers while they are held")

    paths = ["/health", "/metrics", "/version", "/pipeline", "/debug?cmd=go"]
    results = {"ok": 0, "bad": []}
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(k):
        start.wait()
        for i in range(per_client):
            path = paths[(k + i) % len(paths)]
            try:
                status, _, body = api.request("GET", path)
                good = status == 200 and len(body) > 0
                what = f"{path}: {status}"
            except Exception as e:  # noqa: BLE001 - any failure is reported
                good, what = False, f"{path}: {e!r}"
            with lock:
                if good:
                    results["ok"] += 1
                else:
                    results["bad"].append(what)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - t0
    total = clients * per_client
    print(f"[http_api_client] {clients} concurrent clients: {results['ok']}/{total} requests "
          f"answered 200 in {elapsed:.2f}s ({results['ok'] / max(elapsed, 1e-9):.0f}/s) with "
          f"{slow} slowloris connections held ({loris.opened} opened, "
          f"{loris.closed_by_server} closed by the server)", flush=True)
    expect(not results["bad"], f"all {total} requests answered 200 (failures: {results['bad'][:5]})")
    h, _ = api.json("GET", "/health")
    expect(h["status"] == "ok", "/health answers after the load, slowloris still held")
    # The header timeout: the server closes every connection that has not finished its
    # request in time (the loris keeps trickling and reconnecting, as an attacker would).
    check(f"the server closes all {slow} half-open connections (header timeout)")
    deadline = time.time() + TIMEOUT
    while loris.closed_by_server < slow and time.time() < deadline:
        h, _ = api.json("GET", "/health")
        time.sleep(1)
    expect(loris.closed_by_server >= slow,
           f"{loris.closed_by_server} of {slow} half-open connections were closed by the server")
    loris.stop.set()
    loris.join()


def flood(base, n, target):
    """Sends N requests the workers cannot read (a bad percent-encoding); each must get 400."""
    api = Api(base)
    check(f"{n} unreadable requests for {target} are each answered 400")
    for i in range(n):
        status, _ = api.raw(b"GET " + target.encode() + b" HTTP/1.1\r\n\r\n")
        if status != 400:
            fail(f"request {i} for {target}: expected 400, got {status}")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "endpoints":
        endpoints(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "flood":
        flood(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 6 and sys.argv[1] == "load":
        load(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        fail(__doc__)


if __name__ == "__main__":
    main()
