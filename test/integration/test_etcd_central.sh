#!/usr/bin/env bash
# Central configuration through etcd (issue 12). Three agents of group g1 tail their own file
# (the local config and the central documents name it as ${APP_LOG}, each agent's environment)
# while numbered lines flow:
#   - a group document switching filereader:V2 to filereader:V1 is applied live by all three;
#     their status keys show the revision; their registrations list the new tag;
#   - an agent-level key (g1/a2) switching back to V2 overrides the group for a2 only;
#   - an invalid group document is reported in every status key and changes nothing;
#   - a command plugin from etcd is refused without the local etcd.allow_exec;
#   - every line arrives exactly once, in order, on every agent.   ETCD_LINES (40000).
. "$(dirname "$0")/tail_lib.sh"
. "$(dirname "$0")/etcd_lib.sh"
export MAFIO_PLUGINS_DIR="$MAFIO_PLUGINS"

N="${ETCD_LINES:-40000}"
SHAPE=(--min-len 8 --max-len 60 --seed 5)
AGENTS=(a1 a2 a3)
start_etcd

LOCAL='{"etcd":{"lease_ttl":"3s"},"inputs":[{"plugin":"filereader:V2","id":"app","path":"${APP_LOG}","poll_interval":"20ms"}],"filters":[],"outputs":[{"plugin":"stdout","id":"out"}]}'
declare -A PID=()
for a in "${AGENTS[@]}"; do
    : >"$TMP/$a.log"
    APP_LOG="$TMP/$a.log" "$MAFIO" -etcd-endpoint "$ETCD_EP" -agent-id "$a" -agent-group g1 \
        -data-dir "$TMP/data-$a" -http-address off -f "$LOCAL" >"$TMP/$a.out" 2>"$TMP/$a.err" &
    PID[$a]=$!
    BG_PIDS+=("$!")
done
for a in "${AGENTS[@]}"; do wait_until "$a is registered" key_present "/mafio/agents/g1/$a"; done

check "writing $N lines to each agent's file while central configuration changes"
WRITERS=()
for a in "${AGENTS[@]}"; do
    "$TESTWRITER" --path "$TMP/$a.log" --stream "$a" --count "$N" --rate 8000 "${SHAPE[@]}" 2>/dev/null &
    WRITERS+=("$!")
    BG_PIDS+=("$!")
done
_flowing() { [ "$(lines_in "$TMP/a1.out")" -gt 0 ] && [ "$(lines_in "$TMP/a3.out")" -gt 0 ]; }
wait_until "lines flow" _flowing

check "a group document switching filereader:V2 to V1 is applied live by all three"
V1='{"inputs":[{"plugin":"filereader:V1","id":"app","path":"${APP_LOG}","poll_interval":"20ms"}]}'
REV=$(put_rev /mafio/config/g1 "$V1")
for a in "${AGENTS[@]}"; do
    wait_until "$a's status shows revision >= $REV, ok" status_at_least "$a" "$REV" true
    wait_until "$a's registration lists filereader:V1" agent_runs "$a" filereader:V1
done
log "status of a1: $(value /mafio/status/g1/a1)"
log "lines delivered when all three had applied it: $(lines_in "$TMP/a1.out"), $(lines_in "$TMP/a2.out"), $(lines_in "$TMP/a3.out") of $N each (a figure, not a check)"
grep -q "swapped filereader:V2 -> filereader:V1" "$TMP/a1.err" || fail "a1 did not swap live"

check "an agent-level key overrides the group for that agent only"
V2='{"inputs":[{"plugin":"filereader:V2","id":"app","path":"${APP_LOG}","poll_interval":"20ms"}]}'
REV2=$(put_rev /mafio/config/g1/a2 "$V2")
wait_until "a2's status shows revision >= $REV2" status_at_least a2 "$REV2" true
wait_until "a2 runs filereader:V2 again" agent_runs a2 filereader:V2
for a in a1 a3; do
    agent_runs "$a" filereader:V1 || fail "$a changed with a2's key"
    [ "$(json_get "/mafio/status/g1/$a" revision)" -lt "$REV2" ] || fail "$a applied a2's key"
done

check "an invalid group document is reported in the status keys and changes nothing"
CFG_REV_A1=$(json_get /mafio/agents/g1/a1 config_revision)
BAD='{"inputs":[{"plugin":"filereader:V2","id":"app","path":"${APP_LOG}"}],"channels":{"read_size":"lots"}}'
REV3=$(put_rev /mafio/config/g1 "$BAD")
for a in "${AGENTS[@]}"; do
    wait_until "$a's status reports revision $REV3 refused" status_at_least "$a" "$REV3" false
    json_get "/mafio/status/g1/$a" error | grep -q "channels.read_size" ||
        fail "$a's status does not say why: $(value "/mafio/status/g1/$a")"
done
agent_runs a1 filereader:V1 || fail "a1 changed after an invalid document"
agent_runs a3 filereader:V1 || fail "a3 changed after an invalid document"
agent_runs a2 filereader:V2 || fail "a2 changed after an invalid document"
[ "$(json_get /mafio/agents/g1/a1 config_revision)" = "$CFG_REV_A1" ] || fail "a1's configuration revision changed"

check "the group document mended is applied again by all three"
REV5=$(put_rev /mafio/config/g1 "$V1")
for a in "${AGENTS[@]}"; do wait_until "$a's status shows revision >= $REV5, ok" status_at_least "$a" "$REV5" true; done

check "a command plugin from etcd is refused without the local etcd.allow_exec"
REV4=$(put_rev /mafio/config/g1/a3 '{"outputs":[{"plugin":"command","id":"out","command":"sh"}]}')
wait_until "a3's status reports the refusal" status_at_least a3 "$REV4" false
json_get /mafio/status/g1/a3 error | grep -q "allow_exec" || fail "a3's status: $(value /mafio/status/g1/a3)"

for w in "${WRITERS[@]}"; do wait "$w" || fail "a writer failed"; done
for a in "${AGENTS[@]}"; do
    AGENT_PID=${PID[$a]}
    wait_lines "$N" "$TMP/$a.out"
    stop_agent
    key_absent "/mafio/agents/g1/$a" || fail "$a's key outlived its clean stop"
    run_check "$a: every line exactly once, in order, across the central changes" "${SHAPE[@]}" \
        --expect-streams 1 --expect-count "$N" --exactly-once --in-order "$TMP/$a.out"
    log "figures: $a delivered $(total_field lines), duplicates $(total_field duplicates), missing $(total_field missing)"
done
pass
