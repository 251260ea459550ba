#!/usr/bin/env bash
# SIGTERM to the agent while jobs run leaves no process behind (ps/pgrep):
#   - exec:V1 running a command that never ends: the command and its group are stopped;
#   - command:V1 with jobs that finish within its shutdown_grace: they finish (their files
#     appear) and the agent exits 0;
#   - command:V1 with jobs that hang: after shutdown_grace their process groups are killed,
#     their records stay unacknowledged, and nothing is left running.
. "$(dirname "$0")/lib.sh"

m=$((700000 + RANDOM))
gone() { ! pgrep -f "sleep $1\$" >/dev/null; }
running_count() { [ "$(pgrep -fc "sleep $1\$")" -ge "$2" ]; }

log "exec: SIGTERM while its command runs"
"$MAFIO" -http-address=off -data-dir "$TMP/d1" -f '{"filters":[],"inputs":[{"plugin":"exec","shell":true,
  "command":"echo up; sleep '"$m"' & sleep '"$m"'"}]}' >"$TMP/exec.out" 2>"$ERR" &
pid=$!
BG_PIDS+=("$pid")
wait_until "both sleeps of the exec command run" running_count "$m" 2
wait_for_file "$TMP/exec.out"
kill -TERM "$pid"
wait_exit "$pid"
[ "$RC" -eq 0 ] || fail "exit code after SIGTERM: $(_describe_rc "$RC"), expected 0"
check "no sleep $m left"
gone "$m" || fail "left running: $(pgrep -af "sleep $m\$")"
expect_stderr_contains "while it ran"

log "command: jobs that finish within shutdown_grace finish"
mkfifo "$TMP/in2"
"$MAFIO" -http-address=off -data-dir "$TMP/d2" -f '{"inputs":[{"plugin":"stdin"}],"filters":[],
  "outputs":[{"plugin":"command","allow":".*","concurrency":2,"shutdown_grace":"20s",
  "argv":["/bin/sh","-c","touch '"$TMP"'/started-$1; sleep 0.5; touch '"$TMP"'/finished-$1","job","{record}"]}]}' \
    <"$TMP/in2" 2>"$ERR" &
pid=$!
BG_PIDS+=("$pid")
exec 8>"$TMP/in2"
printf 'a\nb\n' >&8
wait_for_file "$TMP/started-b" 0
kill -TERM "$pid"
exec 8>&-
wait_exit "$pid"
[ "$RC" -eq 0 ] || fail "exit code after SIGTERM: $(_describe_rc "$RC"), expected 0"
[ -e "$TMP/finished-a" ] && [ -e "$TMP/finished-b" ] || fail "jobs running at SIGTERM did not finish"

log "command: hanging jobs are killed with their groups after shutdown_grace"
m2=$((m + 1))
mkfifo "$TMP/in3"
"$MAFIO" -http-address=off -data-dir "$TMP/d3" -f '{"shutdown_grace":"4s","inputs":[{"plugin":"stdin"}],
  "filters":[],"outputs":[{"plugin":"command","shell":true,"allow":"sleep [0-9]+","concurrency":2,
  "shutdown_grace":"1s","timeout":0}]}' <"$TMP/in3" 2>"$ERR" &
pid=$!
BG_PIDS+=("$pid")
exec 8>"$TMP/in3"
printf 'sleep %s\nsleep %s\nsleep %s\n' "$m2" "$m2" "$m2" >&8
wait_until "two jobs run (concurrency 2)" running_count "$m2" 2
kill -TERM "$pid"
exec 8>&-
wait_exit "$pid"
# 3: the agent's grace ran out with records unacknowledged (they were not run to their end).
[ "$RC" -eq 3 ] || fail "exit code after SIGTERM: $(_describe_rc "$RC"), expected 3"
check "no sleep $m2 left, and no zombie"
gone "$m2" || fail "left running: $(pgrep -af "sleep $m2\$")"
expect_stderr_contains "killed at shutdown"

pass
