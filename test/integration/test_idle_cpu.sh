#!/usr/bin/env bash
# An idle agent costs no CPU (issue 9): tailing 100 files that do not change, with the HTTP API
# on, the agent's user+system CPU time over 10 s stays within a few clock ticks. The input is
# woken by inotify or its next due scan (mafio.fd.v1 / mafio.timer.v1), not polled in a loop.
# This measures CPU time used, not time taken: a slower machine does the same idle work.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/logs"
for i in $(seq 1 100); do echo "line of file $i" >"$TMP/logs/f$i.log"; done

"$MAFIO" -http-address "127.0.0.1:$(free_port)" -data-dir "$TMP/data" \
    -f "{\"inputs\":[{\"plugin\":\"filereader:V2\",\"path\":\"$TMP/logs/*.log\"}],\"filters\":[],
         \"outputs\":[{\"plugin\":\"logr\",\"path\":\"$TMP/out.log\"}]}" >"$OUT" 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
lines_100() { [ -f "$TMP/out.log" ] && [ "$(wc -l <"$TMP/out.log")" -ge 100 ]; }
wait_until "all 100 files were read" lines_100

cpu_ticks_over "$PID" 10
used=$TICKS
log "CPU over 10 s idle: $used ticks of 1/$HZ s"
# 5 ticks is 0.05% of a core at HZ=100; polling every input every 20-100 ms costs far more.
[ "$used" -le 5 ] || fail "the idle agent used $used ticks of CPU in 10 s"
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
pass
