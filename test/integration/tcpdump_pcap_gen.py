#!/usr/bin/env python3
"""Writes a capture file of crafted TCP conversations for tcpdump:V1's offline test, and the
records the plugin must produce from it (one JSON object per line, in no particular order).

Usage: tcpdump_pcap_gen.py OUT.pcap[ng] EXPECTED.jsonl LINKTYPE
LINKTYPE: ethernet, sll, sll2, null or raw; a name ending in .pcapng writes pcapng.

The conversations cover what the reassembler and the parser must survive: a request line split
over segments that arrive reordered and duplicated, overlapping retransmissions, pipelined
requests in one segment, Content-Length and chunked bodies, an HTTP/1.0 response that ends at
close, IPv6, a sequence number wrapping past 2^32, garbage before a request, a request whose
response never comes, and a tcp_ports connection ended by a RST.
"""
import json
import socket
import struct
import sys

HTTP_PORT, TCP_PORT = 8080, 5432
T0 = 1_700_000_000_000_000  # microseconds


class Capture:
    def __init__(self, link):
        self.link = link
        self.packets = []  # (ts_us, bytes)
        self.now = T0

    def tick(self, us=1000):
        self.now += us
        return self.now

    def frame(self, ip, v6):
        proto = 0x86DD if v6 else 0x0800
        if self.link == "ethernet":
            return b"\x02" * 6 + b"\x04" * 6 + struct.pack("!H", proto) + ip
        if self.link == "sll":
            return struct.pack("!HHH8sH", 0, 772, 6, b"\0" * 8, proto) + ip
        if self.link == "sll2":
            return struct.pack("!HHIHBB8s", proto, 0, 1, 772, 0, 6, b"\0" * 8) + ip
        if self.link == "null":
            return struct.pack("<I", 30 if v6 else 2) + ip
        return ip  # raw

    def linktype(self):
        return {"ethernet": 1, "sll": 113, "sll2": 276, "null": 0, "raw": 101}[self.link]

    def add(self, src, dst, sport, dport, seq, flags, payload=b"", us=1000):
        v6 = ":" in src
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, 0, 0x50, flags, 65535, 0, 0)
        if v6:
            ip = struct.pack("!IHBB16s16s", 0x60000000, len(tcp) + len(payload), 6, 64,
                             socket.inet_pton(socket.AF_INET6, src),
                             socket.inet_pton(socket.AF_INET6, dst))
        else:
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64,
                             6, 0, socket.inet_aton(src), socket.inet_aton(dst))
        ts = self.tick(us)
        self.packets.append((ts, self.frame(ip + tcp + payload, v6)))
        return ts

    def write(self, path):
        with open(path, "wb") as f:
            if path.endswith(".pcapng"):
                self._pcapng(f)
                return
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, self.linktype()))
            for ts, data in self.packets:
                f.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(data), len(data)))
                f.write(data)

    def _pcapng(self, f):
        def block(kind, body):
            body += b"\0" * (-len(body) % 4)
            n = 12 + len(body)
            f.write(struct.pack("<II", kind, n) + body + struct.pack("<I", n))
        block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
        block(0x00000001, struct.pack("<HHI", self.linktype(), 0, 65535))  # microsecond stamps
        for ts, data in self.packets:
            block(0x00000006, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data),
                                          len(data)) + data)


SYN, FIN, RST, ACK = 0x02, 0x01, 0x04, 0x10


def iso(ts_us):
    import datetime
    d = datetime.datetime.fromtimestamp(ts_us // 1_000_000, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (ts_us % 1_000_000)


class Conn:
    """One connection; client and server keep their next sequence numbers."""

    def __init__(self, cap, client, cport, server, sport, cisn=1000, sisn=5000):
        self.cap, self.c, self.cp, self.s, self.sp = cap, client, cport, server, sport
        self.cseq, self.sseq = cisn + 1, sisn + 1
        cap.add(client, server, cport, sport, cisn, SYN)
        cap.add(server, client, sport, cport, sisn, SYN | ACK)
        cap.add(client, server, cport, sport, self.cseq, ACK)

    def client(self, data, at=None, advance=True):
        ts = self.cap.add(self.c, self.s, self.cp, self.sp, self.cseq if at is None else at, ACK, data)
        if advance:
            self.cseq += len(data)
        return ts

    def server(self, data, at=None, advance=True):
        ts = self.cap.add(self.s, self.c, self.sp, self.cp, self.sseq if at is None else at, ACK, data)
        if advance:
            self.sseq += len(data)
        return ts

    def fin(self):
        self.cap.add(self.c, self.s, self.cp, self.sp, self.cseq, FIN | ACK)
        self.cap.add(self.s, self.c, self.sp, self.cp, self.sseq, FIN | ACK)
        self.cap.add(self.c, self.s, self.cp, self.sp, self.cseq + 1, ACK)


def rec(conn, method, url, host, req_ts, req, status=None, resp_ts=None, resp=b""):
    return {"ts": iso(req_ts), "src": conn.c, "src_port": conn.cp, "dst": conn.s,
            "dst_port": conn.sp, "method": method, "url": url, "host": host, "status": status,
            "latency_ms": None if resp_ts is None else round((resp_ts - req_ts) / 1000.0, 3),
            "req_bytes": len(req), "resp_bytes": len(resp), "type": "http"}


def main():
    out, expected_path, link = sys.argv[1], sys.argv[2], sys.argv[3]
    cap = Capture(link)
    expected = []

    # A: the request line split in three, sent 2, 1, 1 again, 3; a Content-Length response.
    a = Conn(cap, "10.0.0.1", 40001, "10.0.0.2", HTTP_PORT)
    req = b"GET /a/b?c=d HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\n\r\n"
    p1, p2, p3 = req[:5], req[5:17], req[17:]
    base = a.cseq
    a.client(p2, at=base + 5, advance=False)
    t_req = a.client(p1, at=base, advance=False)
    a.client(p1, at=base, advance=False)
    a.client(p3, at=base + 17, advance=False)
    a.cseq = base + len(req)
    resp = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"
    t_resp = a.server(resp[:20])
    a.server(resp[10:30], at=a.sseq - 10, advance=False)  # overlapping retransmission
    a.sseq += 10
    a.server(resp[30:])
    expected.append(rec(a, "GET", "/a/b?c=d", "example.test", t_req, req, 200, t_resp, resp))
    a.fin()

    # B: three pipelined requests in one segment; responses split oddly, one chunked.
    b = Conn(cap, "10.0.0.3", 40002, "10.0.0.2", HTTP_PORT)
    r1 = b"GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
    r2 = b"POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\npayload"
    r3 = b"DELETE /three HTTP/1.1\r\nHost: h\r\n\r\n"
    t_b = b.client(r1 + r2 + r3)
    s1 = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
    s2 = b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\n\r\n"
    s3 = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    both = s1 + s2 + s3
    ts1 = b.server(both[:len(s1) + 5])
    ts_rest = b.server(both[len(s1) + 5:])
    expected.append(rec(b, "GET", "/one", "h", t_b, r1, 200, ts1, s1))
    expected.append(rec(b, "POST", "/two", "h", t_b, r2, 201, ts1, s2))
    expected.append(rec(b, "DELETE", "/three", "h", t_b, r3, 404, ts_rest, s3))
    b.fin()

    # C: IPv6, a chunked request body, an HTTP/1.0 response without length: ends at FIN.
    c = Conn(cap, "fd00::1", 40003, "fd00::2", HTTP_PORT)
    req = (b"PUT /up HTTP/1.1\r\nHost: [fd00::2]\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    t_req = c.client(req[:40])
    c.client(req[40:])
    resp = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"
    t_resp = c.server(resp)
    expected.append(rec(c, "PUT", "/up", "[fd00::2]", t_req, req, 200, t_resp, resp))
    c.fin()

    # D: sequence numbers wrap past 2^32 inside the request.
    d = Conn(cap, "10.0.0.4", 40004, "10.0.0.2", HTTP_PORT, cisn=0xFFFFFFF0, sisn=0xFFFFFFFA)
    req = b"GET /wrapped HTTP/1.1\r\nHost: w\r\n\r\n"
    t_req = d.client(req[:20])
    d.client(req[20:])
    resp = b"HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"
    t_resp = d.server(resp)
    expected.append(rec(d, "GET", "/wrapped", "w", t_req, req, 302, t_resp, resp))
    d.fin()

    # E: garbage first, then a request; F's request never gets a response.
    e = Conn(cap, "10.0.0.5", 40005, "10.0.0.2", HTTP_PORT)
    e.client(b"\x16\x03\x01\x02\x00binary hello\r\n")
    req = b"OPTIONS * HTTP/1.1\r\nHost: e\r\n\r\n"
    t_req = e.client(req)
    resp = b"HTTP/1.1 204 No Content\r\n\r\n"
    t_resp = e.server(resp)
    expected.append(rec(e, "OPTIONS", "*", "e", t_req, req, 204, t_resp, resp))
    req = b"GET /never HTTP/1.1\r\nHost: e\r\n\r\n"
    t_req = e.client(req)
    expected.append(rec(e, "GET", "/never", "e", t_req, req))
    e.fin()

    # G: a tcp_ports connection ended by a RST.
    g = Conn(cap, "10.0.0.6", 40006, "10.0.0.7", TCP_PORT)
    g.client(b"Q" * 100)
    g.server(b"R" * 250)
    g.client(b"Q" * 20)
    t_end = cap.add(g.s, g.c, g.sp, g.cp, g.sseq, RST)
    first = cap.packets[-7][0]  # the SYN, 7 packets back
    expected.append({"ts": iso(first), "src": g.c, "src_port": g.cp, "dst": g.s, "dst_port": g.sp,
                     "client_bytes": 120, "server_bytes": 250, "client_packets": 4,
                     "server_packets": 3, "duration_ms": round((t_end - first) / 1000.0, 3),
                     "end": "rst", "type": "tcp"})

    # Noise the filter or the decoder must ignore: another port, and UDP is never written.
    cap.add("10.0.0.8", "10.0.0.9", 1234, 9999, 1, ACK, b"GET /nope HTTP/1.1\r\n\r\n")

    cap.write(out)
    with open(expected_path, "w") as f:
        for r in expected:
            f.write(json.dumps(r, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
