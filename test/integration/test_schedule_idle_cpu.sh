#!/usr/bin/env bash
# A scheduled input costs no CPU between its ticks (issue 11): an agent whose inputs wait for
# "@every 1h" (a scheduled filereader and the cron input) uses at most a few clock ticks of CPU
# over 10 s. It sleeps until the next fire time on the monotonic clock, not in a polling loop.
# This measures CPU time used, not time taken.
. "$(dirname "$0")/lib.sh"

echo "one line" >"$TMP/app.log"
"$MAFIO" -http-address "127.0.0.1:$(free_port)" -data-dir "$TMP/data" \
    -f "{\"inputs\":[{\"plugin\":\"filereader:V2\",\"path\":\"$TMP/app.log\",\"exit_on_eof\":true,
                      \"schedule\":\"@every 1h\"},
                     {\"plugin\":\"cron\",\"cron_map\":{\"0 0 0 1 1 ?\":[\"new year\"]}}],
         \"filters\":[],\"outputs\":[{\"plugin\":\"logr\",\"path\":\"$TMP/out.log\"}]}" \
    >"$OUT" 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
scheduled() { grep -q 'scheduled "@every 1h"' "$ERR"; }
wait_until "the input waits for its first tick" scheduled

cpu_ticks_over "$PID" 10
used=$TICKS
log "CPU over 10 s between ticks: $used ticks of 1/$HZ s"
[ "$used" -le 3 ] || fail "the agent used $used ticks of CPU in 10 s between ticks"
check "nothing was read: the first tick is an hour away"
[ ! -s "$TMP/out.log" ] || fail "records before the first tick: $(head -3 "$TMP/out.log")"
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
pass
