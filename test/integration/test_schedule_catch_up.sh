#!/usr/bin/env bash
# catch_up after downtime (issue 11): the fire time of the last run is kept in the component's
# directory. An agent stopped across a tick runs once at its next start with catch_up "one";
# with "none" it counts the missed tick and waits for the next one. "@every 3s" ticks from each
# start, so the test waits (on the wall clock, asserting no duration) until a tick was surely
# missed while the agent was down.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
start_agent() { # CATCH_UP
    "$MAFIO" -http-address "127.0.0.1:$port" -data-dir "$TMP/data" \
        -f "{\"inputs\":[{\"plugin\":\"stdin\",\"id\":\"job\",\"schedule\":\"@every 3s\",
                          \"catch_up\":\"$1\"}],
             \"filters\":[],\"outputs\":[{\"plugin\":\"stdout\"}]}" >"$OUT" 2>"$ERR" &
    PID=$!
    BG_PIDS+=("$PID")
}
sched() { input_schedule "$port" "$1"; }
one_run() { [ "$(sched runs 2>/dev/null || echo 0)" -ge 1 ]; }
stop_agent() {
    kill -TERM "$PID"
    wait_exit "$PID"
    [ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
}
down_past_a_tick() {
    local stopped
    stopped=$(date +%s)
    past() { [ "$(date +%s)" -ge $((stopped + 4)) ]; }
    wait_until "a tick passed while the agent was down" past
}

start_agent one
wait_until "the first run" one_run
stop_agent
check "the last fire time is kept in the component's directory"
[ -s "$TMP/data/components/job/schedule-last-fire" ] || fail "no schedule-last-fire"
down_past_a_tick

start_agent one
wait_until "catch_up one: a run at once for the missed tick" one_run
grep -q 'tick(s) missed since the last run .*running once now (catch_up one)' "$ERR" ||
    fail "no catch-up line in: $(cat "$ERR")"
stop_agent
down_past_a_tick

start_agent none
counted() { [ "$(sched missed_ticks 2>/dev/null || echo 0)" -ge 1 ]; }
wait_until "catch_up none: the missed tick is counted" counted
check "catch_up none: no run before the next tick"
grep -q 'waiting for the next tick (catch_up none)' "$ERR" || fail "no line in: $(cat "$ERR")"
stop_agent
pass
