#!/usr/bin/env bash
# multiline:V1 and the records it holds (mafio.hold.v1) while the agent changes around it:
#  1. live swaps of the filter (multiline:V1 <-> multiline:V9test, POST /components/ml/plugin)
#     and of the input (filereader:V2 <-> V1; its swap waits for every batch, held ones too, to
#     be acknowledged) while numbered multi-line events flow: every line once, in order, no record mixing two
#     events; the record held at the last swap comes out through that swap alone, and the
#     input's unacknowledged batches (mafio_input_unfinished_batches) go back to 0;
#  2. reloads with a record held: new options (a swap by diff), multiline -> valid:V1, valid ->
#     multiline, then the filter removed: each time the held record is delivered whole, nothing
#     is lost, and a restart repeats nothing;
#  3. two inputs whose streams have the same number through ONE filter: events never mix;
#  4. flush_after on an input that otherwise sleeps (inotify, poll and scan every hour): the
#     host wakes its thread for the filter's process_at, and nothing stays unacknowledged.
# Events are those of multiline_events.py.   ML_EVENTS (20000), ML_SWAPS (12), ML_TWO (40000).
. "$(dirname "$0")/lib.sh"

EVENTS_PY="$MAFIO_SOURCE_DIR/test/integration/multiline_events.py"
N="${ML_EVENTS:-20000}"
SWAPS="${ML_SWAPS:-12}"
TWO="${ML_TWO:-40000}"
# multiline:V9test is the same sources under a second tag (test/fixtures/retagged.cpp).
export MAFIO_PLUGINS_DIR="$MAFIO_TEST_PLUGINS"
PORT="$(free_port)"
API="http://127.0.0.1:$PORT"
AGENT=""

events() { python3 "$EVENTS_PY" "$@"; }
# check_events WHAT OUT ARGS...: the checker's verdict, shown, and a failure naming WHAT.
check_events() {
    local what="$1"
    shift
    check "$what"
    events check "$@" | sed "s/^/[$TEST_NAME]   /"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "$what"
}
start() { # start STDERR ARGS...: the agent in the background, with the API on $PORT
    local err="$1"
    shift
    "$MAFIO" -data-dir "$TMP/data" -log-level=info -http-address "127.0.0.1:$PORT" "$@" \
        >/dev/null 2>>"$err" &
    AGENT=$!
    BG_PIDS+=("$AGENT")
    wait_until "the API answers" curl -sf -o /dev/null "$API/health"
}
stop() {
    kill -TERM "$AGENT"
    wait_exit "$AGENT"
    [ "$RC" -eq 0 ] || fail "the agent exited $RC after SIGTERM"
}
unfinished() { curl -s "$API/metrics" | sed -n "s/^mafio_input_unfinished_batches{component=\"$1\"[^}]*} //p"; }
none_unfinished() { [ "$(unfinished "$1")" = 0 ]; }
complete() { events complete "$@"; }
swap() { # swap PLUGIN [COMPONENT]: POST the swap of COMPONENT (the filter ml); fails unless done
    local status
    status=$(curl -s -o "$TMP/swap.json" -w '%{http_code}' -X POST "$API/components/${2:-ml}/plugin" \
        -d "{\"plugin\":\"$1\"}")
    [ "$status" = 200 ] && grep -q "now runs $1" "$TMP/swap.json" ||
        fail "swap of ${2:-ml} to $1 answered $status: $(cat "$TMP/swap.json")"
}

# --- 1. live swaps ------------------------------------------------------------------------------
check "$N multi-line events written while the multiline filter and the input are swapped $SWAPS times each"
ERR="$TMP/swap.stderr"
: >"$TMP/swap.log"
start "$ERR" -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"id\": \"app\", \"path\": \"$TMP/swap.log\"}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"id\": \"ml\", \"preset\": \"java\", \"flush_after\": \"1h\"}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/swap.out\", \"format\": \"json\"}]}"
events write "$TMP/swap.log" a 0 "$N" 5000 &
WRITER=$!
BG_PIDS+=("$WRITER")
RANDOM=5
for i in $(seq 1 "$SWAPS"); do
    sleep "0.$((RANDOM % 3 + 1))"
    if [ $((i % 2)) = 1 ]; then swap multiline:V9test; else swap multiline:V1; fi
    # The input too: its swap waits for all its batches to be acknowledged, held ones included.
    sleep "0.0$((RANDOM % 9 + 1))"
    if [ $((i % 2)) = 1 ]; then swap filereader:V1 app; else swap filereader:V2 app; fi
done
wait "$WRITER" || fail "the writer failed"
# With flush_after 1h the last event stays held: nothing but a release can bring it out.
wait_until "every event but the last is delivered" complete "$TMP/swap.out" "a:$((N - 1))"
complete "$TMP/swap.out" "a:$N" && fail "the last event came out while nothing released it"
check "one more swap delivers the held event, and leaves nothing unacknowledged"
if [ $((SWAPS % 2)) = 1 ]; then swap multiline:V1; else swap multiline:V9test; fi
wait_until "the held last event is delivered" complete "$TMP/swap.out" "a:$N"
wait_until "app has no unacknowledged batch (mafio_input_unfinished_batches 0)" none_unfinished app
[ "$(grep -c 'ml: swapped' "$ERR")" = $((SWAPS + 1)) ] || fail "the log does not show $((SWAPS + 1)) swaps of ml"
stop
[ "$(grep -c 'app: swapped' "$ERR")" = "$SWAPS" ] || fail "the log does not show $SWAPS swaps of app"
# A swap may cut the event being held in two (the old instance releases its first lines, the
# new one gets the rest): at most one event per swap.
check_events "every line of $N events once, in order, no record mixing two" \
    "$TMP/swap.out" "a:$N" --max-split $((2 * SWAPS + 1))

# --- 2. reloads with a record held ---------------------------------------------------------------
CFG="$TMP/mafio.json"
config() { # config FILTERS_JSON [INPUT_OPTIONS]
    printf '{"inputs":[{"plugin":"filereader:V2","id":"app","path":"%s"%s}],"filters":[%s],"outputs":[{"plugin":"logr:V1","path":"%s","format":"json"}]}\n' \
        "$TMP/r.log" "${2:+,$2}" "$1" "$TMP/r.out" >"$CFG.new" && mv "$CFG.new" "$CFG"
}
ml() { printf '{"plugin":"multiline:V1","id":"ml","preset":"java","flush_after":"%s"}' "$1"; }
reload() { # reload EXPECTED_LOG_TEXT
    local status
    status=$(curl -s -o "$TMP/reload.json" -w '%{http_code}' -X POST "$API/reload")
    [ "$status" = 200 ] || fail "POST /reload answered $status: $(cat "$TMP/reload.json")"
    grep -qF "$1" "$ERR" || fail "the log does not show \"$1\" after the reload"
}
# held_then FIRST LAST: events FIRST..LAST of $SRC are written to $SRC.log; all but LAST arrive
# in $SRC.out (LAST is held).
SRC=r
held_then() {
    events write "$TMP/$SRC.log" "$SRC" "$1" $(($2 - $1 + 1))
    wait_until "events up to $(($2 - 1)) are delivered" complete "$TMP/$SRC.out" "$SRC:$2"
    complete "$TMP/$SRC.out" "$SRC:$(($2 + 1))" && fail "event $2 came out while nothing released it"
}
released() { # released LAST: event LAST is delivered (and app has nothing unacknowledged)
    wait_until "the held event $1 is delivered" complete "$TMP/$SRC.out" "$SRC:$(($1 + 1))"
    [ -n "${2:-}" ] || wait_until "app has no unacknowledged batch" none_unfinished app
}
ERR="$TMP/reload.stderr"
: >"$TMP/r.log"
config "$(ml 1h)"
rm -rf "$TMP/data"
start "$ERR" -config "$CFG"
check "reload changing the filter's options (a swap by diff) delivers the held record"
held_then 0 9
config "$(ml 2h)"
reload "ml: swapped multiline:V1 -> multiline:V1"
released 9
check "reload turning the filter into valid:V1 delivers the held record"
held_then 10 19
config '{"plugin":"valid:V1","id":"ml"}'
reload "ml: swapped multiline:V1 -> valid:V1"
released 19
events write "$TMP/r.log" r 20 5
wait_until "events 20..24 pass valid:V1 line by line" complete "$TMP/r.out" r:25
check "reload turning it back into multiline:V1, then removing it, delivers the held record"
config "$(ml 1h)"
reload "ml: swapped valid:V1 -> multiline:V1"
held_then 25 34
config ''
reload "graph changed: 0 added, 1 removed"
released 34
events write "$TMP/r.log" r 35 5
wait_until "the events written after the removal are delivered" complete "$TMP/r.out" r:40
stop
# Events 20..24 went through valid:V1 and 35..39 through no filter: one record per line.
check_events "every line once and in order, and each held event whole" "$TMP/r.out" r:40 \
    --max-split 10
for n in 9 19 34; do
    python3 -c 'import json,sys; n=int(sys.argv[2]); r=[json.loads(l)["log"] for l in open(sys.argv[1])]
sys.exit(0 if any(x.startswith("r %d start" % n) and x.count("\n") == n % 4 for x in r) else 1)' \
        "$TMP/r.out" "$n" || fail "the event $n held at a reload did not come out whole"
done
check "a restart reads nothing again: the held records' batches were acknowledged"
config '' '"exit_on_eof":true'
ERR="$TMP/restart.stderr"
expect_exit 0 "$MAFIO" -data-dir "$TMP/data" -http-address=off -log-level=warn -config "$CFG"
check_events "still every line exactly once after the restart" "$TMP/r.out" r:40 --max-split 10

# --- 2b. an input leaving the filter's route with a record held --------------------------------
check "an input leaving the filter's route (match changed, then input removed): the held record is delivered"
SRC=q
ERR="$TMP/route.stderr"
: >"$TMP/q.log"
: >"$TMP/other.log"
routed() { # routed ML_MATCH [APP_INPUT_TOO]
    printf '{"inputs":[%s{"plugin":"filereader:V2","id":"other","tag":"o","path":"%s"}],"filters":[{"plugin":"multiline:V1","id":"ml","match":"%s","preset":"java","flush_after":"1h"}],"outputs":[{"plugin":"logr:V1","path":"%s","format":"json"}]}\n' \
        "${2:+{\"plugin\":\"filereader:V2\",\"id\":\"app\",\"tag\":\"t\",\"path\":\"$TMP/q.log\"\},}" \
        "$TMP/other.log" "$1" "$TMP/q.out" >"$CFG.new" && mv "$CFG.new" "$CFG"
}
routed t app
rm -rf "$TMP/data"
start "$ERR" -config "$CFG"
held_then 0 4
routed o app # app's batches no longer pass ml
reload "graph changed: 0 added, 0 removed"
released 4
routed t app
reload "graph changed: 0 added, 0 removed"
held_then 5 9
routed t # app removed
reload "graph changed: 0 added, 1 removed"
released 9 app-is-gone
grep -q "still unacknowledged" "$ERR" && fail "a removed input's batches stayed unacknowledged: $(grep "still unacknowledged" "$ERR")"
stop
check_events "the events of an input that left the filter's route: each once, whole" \
    "$TMP/q.out" q:10 --whole-below 10

# --- 3. two inputs, same stream numbers, one filter ----------------------------------------------
check "two inputs (each one file, so both stream 1) through one multiline filter: no mixing"
events write "$TMP/a.log" a 0 "$TWO"
events write "$TMP/b.log" b 0 "$TWO"
ERR="$TMP/two.stderr"
expect_exit 0 "$MAFIO" -data-dir "$TMP/data-two" -http-address=off -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"id\": \"a\", \"path\": \"$TMP/a.log\", \"exit_on_eof\": true},
              {\"plugin\": \"filereader:V2\", \"id\": \"b\", \"path\": \"$TMP/b.log\", \"exit_on_eof\": true}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"java\", \"flush_after\": \"1h\"}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/two.out\", \"format\": \"json\"}]}"
check_events "each input's events whole, in order, never mixed with the other's" \
    "$TMP/two.out" "a:$TWO" "b:$TWO" --whole-below "$TWO"

# --- 4. flush_after on an input that sleeps -----------------------------------------------------
check "flush_after emits a held record of an input that sleeps on inotify (poll and scan hourly)"
ERR="$TMP/idle.stderr"
events write "$TMP/idle.log" i 0 4
start "$ERR" -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"id\": \"idle\", \"path\": \"$TMP/idle.log\",
               \"inotify\": true, \"poll_interval\": \"1h\", \"scan_interval\": \"1h\"}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"java\", \"flush_after\": \"300ms\"}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/idle.out\", \"format\": \"json\"}]}"
wait_until "all 4 events are delivered, the last by flush_after" complete "$TMP/idle.out" i:4
wait_until "idle has no unacknowledged batch after the flush" none_unfinished idle
check "and again for an event appended later, with no next line"
events write "$TMP/idle.log" i 4 4
wait_until "events 4..7 are delivered" complete "$TMP/idle.out" i:8
wait_until "idle has no unacknowledged batch after the flush" none_unfinished idle
stop
check_events "the idle input's events whole and once" "$TMP/idle.out" i:8 --whole-below 8
pass
