#!/usr/bin/env bash
# logr's rotate_daily, without waiting for midnight: MAFIO_LOGR_FAKE_NOW_OFFSET (test-only,
# seconds) shifts the clock logr reads. A file last written today (its mtime) is yesterday's
# file for an agent whose clock says tomorrow, so its first write rotates it.
#   1. same day: a second run appends (no rotation); a day later the first write rotates:
#      app.log.1 holds the earlier runs' records, app.log the new ones.
#   2. an empty live file is not rotated at midnight (no empty rotated files).
#   3. rotate_daily + time_format + compress: the rotated file is named by the day of its last
#      write (today), not the day it was rotated (tomorrow), and is a valid .gz.
#   4. a malformed offset is refused.
#   5. midnight passing while the agent runs: the clock is set 3 s before a midnight; records
#      written before it stay in app.log.1, those written after it (the test waits until the
#      shifted clock is past midnight) start app.log.
# The midnight arithmetic itself (DST, zones) is unit-tested (test_logr_time.cpp).
. "$(dirname "$0")/lib.sh"

DAY=86400
logr() { # JSON of one logr output with path $1 and extra options $2
    printf '{"outputs":[{"plugin":"logr","path":"%s","rotate_daily":true%s}]}' "$1" "${2:+,$2}"
}
agent() { # OFFSET CONFIG INPUT-FILE
    expect_exit 0 env MAFIO_LOGR_FAKE_NOW_OFFSET="$1" "$MAFIO" -http-address off -f "$2" <"$3"
}
printf 'a1\na2\n' >"$TMP/a"
printf 'b1\n' >"$TMP/b"
printf 'c1\nc2\n' >"$TMP/c"

# 1.
mkdir -p "$TMP/1"
P="$TMP/1/app.log"
today="$(date +%F)"
agent 0 "$(logr "$P")" "$TMP/a"
agent 0 "$(logr "$P")" "$TMP/b"
if [ "$(date +%F)" = "$today" ]; then # the real midnight did not pass between the runs
    check "a second run on the same day appends"
    [ ! -e "$P.1" ] || fail "rotated on the same day"
    [ "$(cat "$P")" = $'a1\na2\nb1' ] || fail "app.log is not a+b: $(cat "$P")"
else
    log "the real midnight passed between the runs; same-day check skipped"
fi
check "a day later the first write rotates"
agent $DAY "$(logr "$P")" "$TMP/c"
[ -f "$P.1" ] || fail "no app.log.1 after a day"
[ ! -e "$P.2" ] || [ "$(date +%F)" != "$today" ] || fail "rotated twice"
[ "$(cat "$P")" = $'c1\nc2' ] || fail "app.log is not the new day's records: $(cat "$P")"
cat "$P".* | grep -q '^a1$' || fail "the earlier records are not in the rotated file"

# 2.
mkdir -p "$TMP/2"
P="$TMP/2/app.log"
check "an empty file is not rotated at midnight"
agent 0 "$(logr "$P")" /dev/null
[ -f "$P" ] && [ ! -s "$P" ] || fail "expected an empty app.log"
agent $DAY "$(logr "$P")" "$TMP/b"
[ ! -e "$P.1" ] || fail "an empty file was rotated"
[ "$(cat "$P")" = "b1" ] || fail "app.log: $(cat "$P")"

# 3.
mkdir -p "$TMP/3"
P="$TMP/3/app.log"
OPTS='"time_format":"%Y-%m-%d","compress":true'
before="$(date +%F)"
agent 0 "$(logr "$P" "$OPTS")" "$TMP/a"
after="$(date +%F)"
check "time_format: the rotated file carries the day of its last write"
agent $DAY "$(logr "$P" "$OPTS")" "$TMP/c"
found=""
for d in "$before" "$after"; do [ -f "$P.$d.gz" ] && found="$P.$d.gz"; done
[ -n "$found" ] || fail "no app.log.$before.gz (or .$after.gz): $(ls "$TMP/3")"
[ "$(gzip -dc "$found")" = $'a1\na2' ] || fail "$(basename "$found") does not hold the first day"
[ "$(cat "$P")" = $'c1\nc2' ] || fail "app.log: $(cat "$P")"
tomorrow="$(date -d "$after + 1 day" +%F)"
[ ! -e "$P.$tomorrow.gz" ] || fail "named by the rotation day ($tomorrow), not its contents' day"

# 4.
check "a malformed MAFIO_LOGR_FAKE_NOW_OFFSET is refused"
expect_exit 1 env MAFIO_LOGR_FAKE_NOW_OFFSET=tomorrow "$MAFIO" -http-address off -f "$(logr "$TMP/x.log")" </dev/null
expect_stderr_contains 'MAFIO_LOGR_FAKE_NOW_OFFSET (test-only): expected an integer number of seconds, got "tomorrow"'

# 5.
export TZ=UTC # the agent and `date` agree on the zone
mkdir -p "$TMP/5"
P="$TMP/5/app.log"
start=$(date +%s)
midnight=$(date -d "tomorrow 00:00" +%s)
offset=$((midnight - start - 3))
mkfifo "$TMP/5.fifo"
env MAFIO_LOGR_FAKE_NOW_OFFSET=$offset "$MAFIO" -http-address off -f "$(logr "$P")" \
    <"$TMP/5.fifo" >/dev/null 2>"$ERR" &
AGENT=$!
BG_PIDS+=("$AGENT")
exec 8>"$TMP/5.fifo"
printf 'before1\nbefore2\n' >&8
wait_for_file "$P" 16
if [ $(($(date +%s) - start)) -ge 3 ]; then
    log "the first records were written after the shifted midnight (a slow start); check 5 skipped"
    exec 8>&-
    wait_exit "$AGENT"
    pass
fi
past_midnight() { [ $(($(date +%s) + offset)) -ge $((midnight + 1)) ]; }
wait_until "the shifted clock is past midnight" past_midnight
printf 'after1\n' >&8
exec 8>&-
wait_exit "$AGENT"
[ "$RC" -eq 0 ] || fail "exit code $RC"
check "records before midnight in app.log.1, after it in app.log"
[ "$(cat "$P.1" 2>/dev/null)" = $'before1\nbefore2' ] || fail "app.log.1: $(cat "$P.1" 2>&1)"
[ "$(cat "$P")" = "after1" ] || fail "app.log: $(cat "$P")"

pass
