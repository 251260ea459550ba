#!/usr/bin/env bash
# syslog:V1 under load over TCP: 100,000 numbered messages from 4 concurrent clients (two
# octet-counted, two newline-framed, written in chunks of random sizes that split frames
# anywhere) arrive exactly once each, each client's in its order, while a client that connected
# and sends nothing and one that sent half a frame stay connected throughout (they block
# nobody). Then max_connections: one connection too many is closed at once and counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_lib.sh"

PORT="$(free_port)"
O="$TMP/load.out"
start_syslog_agent "$O" "\"listen\":\"tcp://127.0.0.1:$PORT\""

TOTAL=100000
check "$TOTAL messages from 4 clients, beside an idle and a half-frame client"
python3 - "$PORT" "$O" "$TOTAL" "$MAFIO_TEST_TIMEOUT" <<'EOF' || fail "the load client failed"
import random, socket, sys, threading, time
port, out, total, bound = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
idle = socket.create_connection(("127.0.0.1", port))          # connects, sends nothing
half = socket.create_connection(("127.0.0.1", port))
half.sendall(b"100 <13>1 - h half - - - this frame never ends")  # half a frame, then silence
CLIENTS = 4
def client(c):
    rng = random.Random(c)
    data = bytearray()
    for n in range(total // CLIENTS):
        msg = b"<13>1 - h load - - - c%d n%d" % (c, n)
        data += (b"%d %s" % (len(msg), msg)) if c % 2 == 0 else msg + b"\n"
    s = socket.create_connection(("127.0.0.1", port))
    i = 0
    while i < len(data):
        k = rng.randint(1, 9000)
        s.sendall(data[i:i + k])
        i += k
    s.close()
threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
for t in threads: t.start()
for t in threads: t.join()
# The idle clients stay connected until everything arrived.
deadline = time.time() + bound
while sum(1 for _ in open(out, "rb")) < total:
    if time.time() > deadline:
        sys.exit("gave up waiting for the records")
    time.sleep(0.05)
idle.close(); half.close()
EOF
wait_records "$O" $((TOTAL + 1)) # + the half frame, delivered truncated when its client left

check "each message exactly once, each client's in order"
python3 - "$O" "$TOTAL" <<'EOF' || fail "records differ (above)"
import sys, collections
path, total = sys.argv[1], int(sys.argv[2])
nxt = collections.Counter()
bad = 0; half = 0
for line in open(path, "rb"):
    line = line.rstrip(b"\n")
    if line.startswith(b"<13>1 - h half"):
        half += 1; continue
    head, _, rest = line.rpartition(b" c")
    c, n = rest.split(b" n")
    c, n = int(c), int(n)
    if n != nxt[c]:
        bad += 1
        if bad < 5: print(f"client {c}: got n{n}, expected n{nxt[c]}")
    nxt[c] = n + 1
want = total // 4
for c in range(4):
    if nxt[c] != want: print(f"client {c}: {nxt[c]} messages, expected {want}"); bad += 1
if half != 1: print(f"{half} half-frame records, expected 1"); bad += 1
sys.exit(1 if bad else 0)
EOF
expect_metric messages $((TOTAL + 1))
expect_metric truncated_messages 1
wait_metric connections 0
expect_metric connections_accepted 6
stop_agent

check "max_connections: one connection too many is closed at once and counted"
PORT="$(free_port)"
start_syslog_agent "$TMP/max.out" "\"listen\":\"tcp://127.0.0.1:$PORT\",\"max_connections\":2"
python3 - "$PORT" <<'EOF' || fail "the third connection was not closed"
import socket, sys
a = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.settimeout(60)
if c.recv(1) != b"": sys.exit("the third connection got data")
a.sendall(b"<13>1 - h a - - - still served\n"); a.close(); b.close()
EOF
wait_records "$TMP/max.out" 1
expect_metric connections_refused 1
expect_stderr_contains "connections (max_connections) are open"
stop_agent

pass
