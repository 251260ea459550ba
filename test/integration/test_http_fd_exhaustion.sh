#!/usr/bin/env bash
# The HTTP API out of file descriptors (found while testing issue 16 item 1): accept() failing
# with EMFILE left the pending connection readable, and the accept thread spun at 100% CPU.
# Now it pauses accepting for 100 ms at a time and says so. With the agent limited to 64
# descriptors and 150 idle connections held open, the accept thread's CPU time over 3 s stays
# small (a spin burns all 3 s), and once the connections go the API answers again.
. "$(dirname "$0")/lib.sh"

command -v prlimit >/dev/null || fail "prlimit (util-linux) is needed"
PORT="$(free_port)"
open_idle_stdin
prlimit --nofile=64:64 "$MAFIO" -http-address "127.0.0.1:$PORT" -data-dir "$TMP/data" \
    -input stdin -filter= -output stdout <"$IDLE_STDIN" >/dev/null 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
wait_until "the API answers" curl -sf -o /dev/null "http://127.0.0.1:$PORT/ping"

python3 - "$PORT" <<'PY' &
import socket, sys, time
held = []
for _ in range(150):
    s = socket.socket()
    s.connect(("127.0.0.1", int(sys.argv[1])))  # the kernel accepts into the backlog
    held.append(s)
time.sleep(6)
PY
HOLDER=$!
BG_PIDS+=("$HOLDER")
wait_until "the agent ran out of descriptors for the API" grep -q "HTTP API: cannot accept a connection" "$ERR"
accept_tid=$(grep -l '^http:accept$' /proc/"$PID"/task/*/comm | head -1 | cut -d/ -f5)
[ -n "$accept_tid" ] || fail "no http:accept thread"
cpu_ticks_over "/proc/$PID/task/$accept_tid/stat" 3
used=$TICKS
log "http:accept CPU over 3 s with descriptors exhausted: $used ticks of 1/$HZ s"
[ "$used" -le 30 ] || fail "the accept thread spun: $used ticks in 3 s"
[ "$(grep -c 'HTTP API: cannot accept' "$ERR")" -le 5 ] || fail "the failures were not rate-limited"
wait "$HOLDER" 2>/dev/null
wait_until "the API answers again" curl -sf -o /dev/null "http://127.0.0.1:$PORT/ping"
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
pass
