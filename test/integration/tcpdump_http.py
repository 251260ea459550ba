#!/usr/bin/env python3
"""HTTP server and clients for tcpdump:V1's live tests (stdlib only).

  tcpdump_http.py serve PORT             HTTP/1.1 keep-alive server on 127.0.0.1:PORT:
                                         GET /status/NNN answers NNN, any other GET 200,
                                         POST/PUT read their Content-Length body and answer 200
  tcpdump_http.py pipelined PORT P1 P2   both requests in ONE write on one connection
  tcpdump_http.py load PORT N THREADS    N GETs over THREADS keep-alive connections; prints N
  tcpdump_http.py metric URL NAME [LABEL=VALUE]...  sums the matching series of /metrics
                                         (fails when none matches)
"""
import http.client
import http.server
import socket
import sys
import threading
import urllib.request


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle: otherwise head and body go out as two small
    # segments and the client's delayed ACK costs 40 ms per request.
    wbufsize = 65536
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/status/"):
            self._answer(int(self.path.split("/")[2]), b"status\n")
        else:
            self._answer(200, b"ok " + self.path.encode() + b"\n")

    def _body(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        self._answer(200, b"got %d\n" % len(data))

    do_POST = _body
    do_PUT = _body


def serve(port):
    http.server.ThreadingHTTPServer.daemon_threads = True
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def pipelined(port, p1, p2):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: pipe\r\n\r\n"
               "GET %s HTTP/1.1\r\nHost: pipe\r\nConnection: close\r\n\r\n" % (p1, p2)).encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    if data.count(b"HTTP/1.1 200") != 2:
        sys.exit("pipelined: expected two responses, got %r" % data)


def load(port, n, threads):
    done = [0] * threads

    def worker(k):
        c = http.client.HTTPConnection("127.0.0.1", port)
        for i in range(k, n, threads):
            c.request("GET", "/load/%d" % i)
            r = c.getresponse()
            r.read()
            done[k] += 1
        c.close()

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(sum(done))


def metric(url, name, *labels):
    total, found = 0.0, 0
    for line in urllib.request.urlopen(url).read().decode().splitlines():
        if not line.startswith(name) or line[len(name):len(name) + 1] not in ("{", " "):
            continue
        if all(l.replace("=", '="', 1) + '"' in line for l in labels):
            total += float(line.rsplit(" ", 1)[1])
            found += 1
    # No series is an error, not 0: a renamed metric or component would otherwise read as
    # "nothing happened" (the tests' series all exist from the agent's start).
    if not found:
        sys.exit("metric: no series %s{%s} in %s" % (name, ",".join(labels), url))
    print(int(total))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve(int(args[0]))
    elif cmd == "pipelined":
        pipelined(int(args[0]), args[1], args[2])
    elif cmd == "load":
        load(int(args[0]), int(args[1]), int(args[2]))
    elif cmd == "metric":
        metric(*args)
