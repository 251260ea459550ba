#!/usr/bin/env bash
# The `syslog-tcp` scenario of `make bench` (called by run.sh): syslog:V1 receiving RFC 5424
# messages over 4 concurrent TCP connections (two octet-counted, two newline-framed), written to
# stdout:V1 on tmpfs, in format raw and in format json. Prints one line per format:
# records/s (from the first byte sent to the last record written; median [min..max] of RUNS)
# and mafio's CPU (user+sys from /proc/PID/stat, its own process only, not the client's) per
# record, and its peak RSS (VmHWM).
#
#   syslog_tcp.sh BUILD_DIR RUNS WORK_DIR OUT_DIR
# BENCH_SYSLOG_MESSAGES (default 1000000): messages per run.
#
# Every raw run's output must hold exactly the messages sent (mafio_bench_linesum, as the
# connections interleave) and every json run's exactly as many lines, or the run fails.
set -euo pipefail
BUILD="$1" RUNS="$2" WORK="$3" OUTS="$4"
MAFIO="$BUILD/bin/mafio"
LINESUM="$BUILD/bin/mafio_bench_linesum"
N="${BENCH_SYSLOG_MESSAGES:-1000000}"
DATA="$WORK/syslog-msgs.txt"
OUT="$OUTS/syslog.out"

# The messages, one per line: what raw records must be. Realistic RFC 5424 lines with
# structured data, ~150 bytes.
python3 - "$N" "$DATA" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        f.write(f"<134>1 2026-11-30T10:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}Z "
                f"web{i % 7}.example.com nginx {1000 + i % 50} ACCESS [req@32473 status=\"200\" "
                f"bytes=\"{i % 9000}\"] GET /api/v1/items/{i} HTTP/1.1 from 10.0.{i % 256}.{i % 199}\n")
EOF
WANT_SUM="$("$LINESUM" "$DATA")"
BYTES=$(stat -c %s "$DATA")

# One run: prints "seconds cpu_seconds rss_kib".
one_run() {
    local format="$1" port pid
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    rm -rf "$OUT" "$WORK/syslog-state"
    "$MAFIO" -http-address=off "-data-dir=$WORK/syslog-state" -log-level=warn \
        -filter= -output=stdout:V1 \
        -f "{\"inputs\":[{\"plugin\":\"syslog:V1\",\"listen\":\"tcp://127.0.0.1:$port\",\"format\":\"$format\"}]}" \
        >"$OUT" &
    pid=$!
    local secs
    secs=$(python3 - "$port" "$DATA" "$OUT" "$N" <<'EOF'
import os, socket, sys, threading, time
port, data, out, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
deadline = time.time() + 60
while True:  # until the agent listens
    try:
        socket.create_connection(("127.0.0.1", port)).close(); break
    except OSError:
        if time.time() > deadline: sys.exit("the agent does not listen")
        time.sleep(0.02)
lines = open(data, "rb").read().splitlines()
parts = []
for c in range(4):
    chunk = lines[c::4]
    if c % 2 == 0:
        parts.append(b"".join(b"%d %s" % (len(m), m) for m in chunk))
    else:
        parts.append(b"\n".join(chunk) + b"\n")
def send(p):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(p); s.close()
t0 = time.monotonic()
threads = [threading.Thread(target=send, args=(p,)) for p in parts]
for t in threads: t.start()
for t in threads: t.join()
def count():
    with open(out, "rb") as f:
        return sum(b.count(b"\n") for b in iter(lambda: f.read(1 << 20), b""))
while count() < n:
    if time.monotonic() - t0 > 600: sys.exit("the records did not all arrive")
    time.sleep(0.01)
print(time.monotonic() - t0)
EOF
    )
    # mafio's own CPU and peak RSS, read before it is stopped (everything measured is done).
    local ticks rss
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
    kill -TERM "$pid"
    wait "$pid"
    if [ "$format" = raw ]; then
        [ "$("$LINESUM" "$OUT")" = "$WANT_SUM" ] ||
            { echo "bench: FAILED: syslog-tcp raw output does not hold exactly the messages sent" >&2; exit 1; }
    else
        [ "$(wc -l <"$OUT")" -eq "$N" ] || { echo "bench: FAILED: syslog-tcp json output has $(wc -l <"$OUT") lines, not $N" >&2; exit 1; }
    fi
    awk -v s="$secs" -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v r="$rss" \
        'BEGIN { printf "%.6f %.3f %d\n", s, t / hz, r }'
}

for format in raw json; do
    : >"$WORK/syslog-samples.txt"
    for ((r = 1; r <= RUNS; r++)); do
        one_run "$format" >>"$WORK/syslog-samples.txt"
    done
    # Median of column $1 of the samples.
    med() { sort -g -k"$1","$1" "$WORK/syslog-samples.txt" | awk -v c="$1" '{ v[NR] = $c }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
    awk -v n="$N" -v b="$BYTES" -v f="$format" -v wm="$(med 1)" -v cm="$(med 2)" '
        NR == 1 || $1 < wmin { wmin = $1 } NR == 1 || $1 > wmax { wmax = $1 } $3 > rss { rss = $3 }
        END {
            printf "syslog-tcp (%s): %d messages (%.0f MB) over 4 TCP connections: %.0f records/s [%.0f..%.0f], %.0f ns CPU per record (mafio), peak RSS %.1f MiB\n",
                f, n, b / 1e6, n / wm, n / wmax, n / wmin, cm * 1e9 / n, rss / 1024 }' "$WORK/syslog-samples.txt"
done
rm -f "$DATA" "$OUT"
