#!/usr/bin/env bash
# Reload changes the graph itself (issue 10): while lines are written to input "a" (tag ta)
# routed through filter "v" to output "o1" (match ta), reloads add an input "b" and an output
# "o2" (match *) and change v's options, then remove "b" and change o2's match so that it takes
# nothing more. The untouched components never
# stop: o1's delivered count keeps rising through every reload, and every line of "a" reaches
# o1 exactly once, in order. o2 gets b's lines (each once) and a's while it matched them.
#   GRAPH_LINES (200000).
. "$(dirname "$0")/tail_lib.sh"

N="${GRAPH_LINES:-200000}"
SHAPE=(--min-len 8 --max-len 60 --seed 11)
A="$TMP/logs/a.log"
B="$TMP/logs/b.log"
O1="$TMP/o1.log"
O2="$TMP/o2.log"
CFG="$TMP/mafio.json"
mkdir -p "$TMP/logs"
: >"$A"
: >"$B"
PORT="$(free_port)"
in_a() { printf '{"plugin":"filereader:V2","id":"a","tag":"ta","path":%s,"poll_interval":"20ms"}' "$(json_str "$A")"; }
in_b() { printf '{"plugin":"filereader:V2","id":"b","tag":"tb","path":%s,"poll_interval":"20ms"}' "$(json_str "$B")"; }
out1() { printf '{"plugin":"logr","id":"o1","match":"ta","path":%s}' "$(json_str "$O1")"; }
out2() { printf '{"plugin":"logr","id":"o2","match":"%s","path":%s}' "$1" "$(json_str "$O2")"; }
config() { # INPUTS OUTPUTS [FILTER_OPTIONS]
    printf '{"inputs":[%s],"filters":[{"plugin":"valid:V1","id":"v"%s}],"outputs":[%s]}\n' \
        "$1" "${3:+,$3}" "$2" >"$CFG.new" && mv "$CFG.new" "$CFG"
}
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | sed -n "s/^$1{component=\"$2\"[^}]*} //p"; }
reload() {
    local status
    status=$(curl -s -o "$TMP/reload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/reload")
    [ "$status" = 200 ] || fail "POST /reload answered $status: $(cat "$TMP/reload.json")"
}

config "$(in_a)" "$(out1)"
# The test plugins too: frozen_1_1 (an input of another checkpoint format) for a refusal below.
export MAFIO_PLUGINS_DIR="$MAFIO_TEST_PLUGINS"
"$MAFIO" -data-dir "$DATA_DIR" -http-address "127.0.0.1:$PORT" -config "$CFG" >/dev/null 2>"$ERR" &
AGENT_PID=$!
BG_PIDS+=("$AGENT_PID")
wait_until "the API answers" curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"
"$TESTWRITER" --path "$A" --stream a --count "$N" --rate 40000 "${SHAPE[@]}" 2>/dev/null &
WRITER=$!
BG_PIDS+=("$WRITER")
o1_rises() { [ "$(metric mafio_records_out_total o1)" -gt "${1:-0}" ]; }
wait_until "o1 delivers" o1_rises 0

check "reload 1 adds input b and output o2 and changes v's options; o1 keeps delivering"
"$TESTWRITER" --path "$B" --stream b --count 1000 "${SHAPE[@]}" 2>/dev/null
config "$(in_a),$(in_b)" "$(out1),$(out2 '*')" '"json":false'
before=$(metric mafio_records_out_total o1)
reload
grep -q '"v now valid:V1, added b, o2"' "$TMP/reload.json" || fail "unexpected answer: $(cat "$TMP/reload.json")"
grep -q "v: swapped valid:V1 -> valid:V1" "$ERR" || fail "the filter was not swapped"
wait_until "o1's count rises past $before" o1_rises "$before"
wait_lines 1000 "$O2"

check "reload 2 removes b and points o2 at nothing; o1 keeps delivering"
config "$(in_a)" "$(out1),$(out2 none)" '"json":false'
before=$(metric mafio_records_out_total o1)
reload
grep -q 'removed b' "$TMP/reload.json" || fail "unexpected answer: $(cat "$TMP/reload.json")"
wait_until "o1's count rises past $before" o1_rises "$before"
o2_lines=$(wc -l <"$O2")
"$TESTWRITER" --path "$B" --stream b --start 1001 --count 100 "${SHAPE[@]}" 2>/dev/null
curl -s "http://127.0.0.1:$PORT/pipeline" | grep -q '"id": "b"' && fail "/pipeline still lists b"

check "a reload that would swap a to a plugin of another checkpoint format is refused (409)"
cp "$CFG" "$TMP/good.json"
sed 's#{"plugin":"filereader:V2","id":"a"[^}]*}#{"plugin":"frozen_1_1:V1","id":"a","tag":"ta","count":5}#' \
    "$TMP/good.json" >"$CFG"
grep -q frozen_1_1 "$CFG" || fail "the test could not write its config: $(cat "$CFG")"
status=$(curl -s -o "$TMP/reload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/reload")
[ "$status" = 409 ] || fail "POST /reload answered $status: $(cat "$TMP/reload.json")"
grep -q 'does not read the checkpoint format' "$TMP/reload.json" ||
    fail "no format reason: $(cat "$TMP/reload.json")"
cp "$TMP/good.json" "$CFG"

wait "$WRITER" || fail "the writer failed"
wait_lines "$N" "$O1"
check "o2 took nothing after its match changed"
sleep 0.5
[ "$(wc -l <"$O2")" = "$o2_lines" ] || fail "o2 grew from $o2_lines to $(wc -l <"$O2") lines"
! grep -q "^b:100[1-9]:\|^b:1100:" "$O2" || fail "b's lines written after its removal were read"
grep -c "^b:" "$O2" | grep -qx 1000 || fail "o2 holds $(grep -c '^b:' "$O2") of b's 1000 lines"
[ "$(grep '^b:' "$O2" | sort | uniq -d | wc -l)" = 0 ] || fail "o2 holds some of b's lines twice"
kill -TERM "$AGENT_PID"
wait_exit "$AGENT_PID"
[ "$RC" -eq 0 ] || fail "exit code $(_describe_rc "$RC")"
! grep -qE "o1 \(logr:V1\): stopped|a \(filereader:V2\): stopped" "$ERR" || fail "an untouched component was stopped"
run_check "every line of a reached o1 exactly once, in order, across both reloads" "${SHAPE[@]}" \
    --expect-streams 1 --expect-count "$N" --exactly-once --in-order "$O1"
log "figures: $N lines of a through 2 reloads, duplicates $(total_field duplicates), missing $(total_field missing); o2 took $(grep -c '^b:' "$O2") lines of b"
pass
