#!/usr/bin/env bash
# exec:V1 end to end: stdout lines become records exactly (a last line without newline too, a
# line longer than a read chunk too); stderr goes to the log; a non-zero exit and emit_status;
# a command hanging past `timeout` is killed with its whole process group (its `sleep`
# grandchildren are gone, checked with pgrep); the environment is the small kept set plus `env`
# unless inherit_env; cwd; no agent descriptor reaches the child; a missing program fails -check.
. "$(dirname "$0")/lib.sh"

agent() { run "$MAFIO" -http-address=off -data-dir "$TMP/data" -log-level=info -f "$1"; }

log "exec once: stdout lines are the records, byte for byte"
printf 'first line\n\n  spaced  \tout\nlast without newline' >"$TMP/want.raw"
agent '{"filters":[],"inputs":[{"plugin":"exec","argv":["cat","'"$TMP/want.raw"'"]}]}'
[ "$RC" -eq 0 ] || fail "exit code $RC, expected 0"
{ cat "$TMP/want.raw"; echo; } >"$TMP/want"
expect_same_file "$TMP/want" "$OUT" "records of exec cat"

log "a line longer than a read chunk (300 KiB) arrives whole"
head -c 300000 /dev/zero | tr '\0' 'x' >"$TMP/long"
printf '\nshort\n' >>"$TMP/long"
agent '{"filters":[],"inputs":[{"plugin":"exec","argv":["cat","'"$TMP/long"'"]}]}'
[ "$RC" -eq 0 ] || fail "exit code $RC, expected 0"
expect_same_file "$TMP/long" "$OUT" "records of a 300 KiB line"

log "stderr lines go to the log; a non-zero exit is logged; emit_status adds a JSON record"
agent '{"filters":[],"inputs":[{"plugin":"exec","shell":true,"emit_status":true,
  "command":"echo out1; echo err-line-1 >&2; echo out2; exit 7"}]}'
[ "$RC" -eq 0 ] || fail "exit code $RC, expected 0"
check "stdout is out1, out2, then the status record"
[ "$(sed -n 1p "$OUT")" = out1 ] && [ "$(sed -n 2p "$OUT")" = out2 ] || fail "stdout: $(head -c 300 "$OUT")"
status="$(sed -n 3p "$OUT")"
python3 -c 'import json,sys; s=json.loads(sys.argv[1]); assert s["exit_code"]==7 and s["signal"] is None and s["timed_out"] is False and isinstance(s["duration_ms"],int), s' "$status" ||
    fail "status record: $status"
expect_stderr_contains "stderr: err-line-1" "ended: exit code 7"

log "stderr is rate-limited in the log: 20 lines, then one line saying how many were not logged"
agent '{"filters":[],"inputs":[{"plugin":"exec","shell":true,"command":"for i in $(seq 1 100); do echo noise-$i >&2; done"}]}'
[ "$RC" -eq 0 ] || fail "exit code $RC"
n=$(grep -c 'stderr: noise-' "$ERR")
# 20 per 10 s window: exactly 20 unless the loop straddles windows on a very slow machine.
check "at least 20 and far fewer than 100 stderr lines logged (got $n)"
[ "$n" -ge 20 ] && [ "$n" -le 60 ] || fail "$n stderr lines logged, expected 20"
expect_stderr_contains "lines of command output not logged (more than 20 in 10 s)"

log "timeout kills the whole process group: the sleeps it started are gone"
marker=$((900000 + RANDOM))
agent '{"filters":[],"inputs":[{"plugin":"exec","shell":true,"emit_status":true,"timeout":"1s",
  "command":"echo started; sleep '"$marker"' & sleep '"$((marker + 1))"'; echo never"}]}'
[ "$RC" -eq 0 ] || fail "exit code $RC, expected 0"
[ "$(sed -n 1p "$OUT")" = started ] || fail "first record: $(head -c 200 "$OUT")"
grep -q never "$OUT" && fail "the command ran past its timeout"
python3 -c 'import json,sys; s=json.loads(sys.argv[1]); assert s["timed_out"] is True and s["signal"] in (9, 15) and s["exit_code"] is None, s' "$(sed -n 2p "$OUT")" ||
    fail "status after timeout: $(sed -n 2p "$OUT")"
expect_stderr_contains "timed out after 1 s"
check "no sleep $marker / $((marker + 1)) left (pgrep)"
pgrep -f "sleep ($marker|$((marker + 1)))\$" && fail "a process of the timed-out group survived"

log "environment: only the kept variables plus env; inherit_env passes everything"
SECRET_TOKEN_FOR_TEST=hunter2 agent '{"filters":[],"inputs":[{"plugin":"exec","argv":["env"],
  "env":{"JOB_NAME":"nightly"},"cwd":"'"$TMP"'"}]}'
[ "$RC" -eq 0 ] || fail "exit code $RC"
expect_stdout_contains "JOB_NAME=nightly" "PATH="
check "the agent's SECRET_TOKEN_FOR_TEST is not passed by default"
grep -q SECRET_TOKEN_FOR_TEST "$OUT" && fail "an agent variable leaked into the child: $(grep SECRET "$OUT")"
SECRET_TOKEN_FOR_TEST=hunter2 agent '{"filters":[],"inputs":[{"plugin":"exec","argv":["env"],"inherit_env":true}]}'
expect_stdout_contains "SECRET_TOKEN_FOR_TEST=hunter2"

log "cwd, and no descriptor of the agent reaches the child"
agent '{"filters":[],"inputs":[{"plugin":"exec","shell":true,"cwd":"'"$TMP"'",
  "command":"pwd; ls /proc/$$/fd"}]}'
[ "$RC" -eq 0 ] || fail "exit code $RC"
[ "$(sed -n 1p "$OUT")" = "$TMP" ] || fail "pwd: $(sed -n 1p "$OUT"), expected $TMP"
fds="$(sed -n '2,$p' "$OUT" | tr '\n' ' ')"
[ "$fds" = "0 1 2 " ] || fail "the shell's descriptors: $fds(expected 0 1 2 only)"

log "configuration errors name the option"
expect_exit 1 "$MAFIO" -check -http-address=off -f '{"inputs":[{"plugin":"exec","argv":["no-such-program-mafio"]}]}'
expect_stderr_contains 'inputs[0].argv[0]' 'no-such-program-mafio' 'not found in PATH'
expect_exit 1 "$MAFIO" -check -http-address=off -f '{"inputs":[{"plugin":"exec","command":"echo hi"}]}'
expect_stderr_contains 'inputs[0].command' '"shell": true'
expect_exit 1 "$MAFIO" -check -http-address=off -f '{"inputs":[{"plugin":"exec","argv":["true"],"cwd":"/nonexistent-dir"}]}'
expect_stderr_contains 'inputs[0].cwd' 'not a directory'

pass
