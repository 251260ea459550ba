#!/usr/bin/env bash
# Many thousands of files under a low descriptor limit (issue 16, item 1). The agent runs under
# `prlimit --nofile=256:256` (a hard limit it cannot raise) and tails FD_FILES files matched by
# one glob; half of every file exists before it starts, half is written while it tails.
#   1. max_open_files set far above the limit: opens fail with EMFILE. That must never pass for
#      a rotation or a deletion (no file re-read from 0, none dropped): every line exactly once;
#      the HTTP API keeps answering (/health is asked over and over during the whole run, every
#      answer must be a 200); the log says once that descriptors ran out and stays short.
#   2. the default max_open_files, derived from the limit: the same, and no shortage at all.
#   3. a soft limit below the hard one is raised to the hard one at start (/proc/PID/limits).
#   FD_FILES (5000) files, FD_LINES (20) lines each.
. "$(dirname "$0")/tail_lib.sh"

FILES="${FD_FILES:-5000}"
LINES="${FD_LINES:-20}"
HALF=$((LINES / 2))
SHAPE=(--min-len 1 --max-len 200 --seed 16)
# The log of a whole run stays below this many lines: one per shortage streak and a few
# summaries, not one per file (the defect logged tens of thousands).
MAX_LOG_LINES=60
command -v prlimit >/dev/null || fail "prlimit (util-linux) is needed"
command -v curl >/dev/null || fail "curl is needed"

PORT=""
health_answers() {
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/health" 2>/dev/null
}
# The API is asked for /health one request after the other while the agent runs (until
# $1.stop exists); each answer's status code is a line of $1 (000: no answer within the bound,
# which only a stuck API reaches).
poll_health() {
    while [ ! -e "$1.stop" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 "http://127.0.0.1:$PORT/health" >>"$1"
        sleep 0.1
    done
}

# scenario NAME EXTRA_OPTIONS: one run over fresh files; leaves the log in $TMP/NAME.err.
scenario() {
    local name="$1" extra="$2" dir="$TMP/$1" out="$TMP/$1.out"
    mkdir -p "$dir/logs"
    ERR="$TMP/$name.err"
    : >"$ERR"
    "$TESTWRITER" --path "$dir/logs/f{}.log" --files "$FILES" --count "$HALF" "${SHAPE[@]}" ||
        fail "the writer failed"
    PORT="$(free_port)"
    local cfg
    cfg="$(reader_config "\"path\":$(json_str "$dir/logs/*.log")$extra" '{"plugin":"stdout"}')"
    log "$name: prlimit --nofile=256:256 mafio ... '$cfg'"
    prlimit --nofile=256:256 "$MAFIO" -data-dir="$dir/data" -log-level=info \
        -http-address="127.0.0.1:$PORT" -f "$cfg" >"$out" 2>>"$ERR" &
    AGENT_PID=$!
    BG_PIDS+=("$AGENT_PID")
    # Our agent's API, not another test's that took the same free port meanwhile.
    wait_until "the agent listens on port $PORT or says it cannot" grep -qE "HTTP API (listening on 127.0.0.1:$PORT|: cannot listen)" "$ERR"
    grep -q "HTTP API listening on 127.0.0.1:$PORT" "$ERR" || fail "$name: the API could not listen on port $PORT: $(grep 'HTTP API' "$ERR")"
    wait_until "the HTTP API answers" health_answers
    local codes="$TMP/$name.health"
    poll_health "$codes" &
    BG_PIDS+=("$!")
    local poller=$!
    wait_lines $((FILES * HALF)) "$out"
    "$TESTWRITER" --path "$dir/logs/f{}.log" --files "$FILES" --start $((HALF + 1)) \
        --count $((LINES - HALF)) --rate 50000 "${SHAPE[@]}" || fail "the writer failed"
    wait_lines $((FILES * LINES)) "$out"
    touch "$codes.stop"
    wait "$poller"
    stop_agent
    local answers bad
    answers="$(grep -c . "$codes")"
    bad="$(grep -vc '^200$' "$codes")"
    check "$name: /health answered 200 all along ($answers requests)"
    [ "$bad" -eq 0 ] || fail "$name: $bad of $answers /health requests did not answer 200: $(sort "$codes" | uniq -c | tr '\n' ' ')"
    [ "$answers" -ge 1 ] || fail "$name: /health was never asked"
    run_check "$name: every line exactly once, in order per file" "${SHAPE[@]}" \
        --expect-streams "$FILES" --expect-count "$LINES" --exactly-once --in-order "$out"
    local n
    n="$(wc -l <"$ERR")"
    log "figures: $name: $FILES files, $(total_field lines) lines, $answers /health answers, $n log lines, $(elapsed)"
    check "$name: the log stays short ($n lines, at most $MAX_LOG_LINES)"
    [ "$n" -le "$MAX_LOG_LINES" ] || fail "$name: $n log lines (expected at most $MAX_LOG_LINES)"
    check "$name: no file passed for rotated, deleted, truncated or gone"
    if grep -E 'rotated|was deleted|disappeared|truncated or rewritten|released' "$ERR" | head -n 3 | grep -q .; then
        fail "$name: $(grep -E 'rotated|was deleted|disappeared|truncated or rewritten|released' "$ERR" | head -n 2)"
    fi
}

# 1. Far more descriptors allowed than the process has: the shortage is real and handled.
scenario explicit ',"max_open_files":100000'
check "explicit: the shortage was met and said once"
grep -q 'out of file descriptors' "$ERR" || fail "explicit: no 'out of file descriptors' warning: was EMFILE provoked at all?"

# 2. The default, derived from the limit (256 minus the reserve): no shortage.
scenario default ''
check "default: no shortage of descriptors"
if grep -q 'out of file descriptors' "$ERR"; then fail "default: $(grep 'out of file descriptors' "$ERR" | head -n 1)"; fi

# 3. The soft limit is raised to the hard one at start.
check "a soft limit of 256 under a hard one of 4096 is raised to 4096"
prlimit --nofile=256:4096 "$MAFIO" -http-address=off -data-dir="$TMP/raise" \
    -f "$(reader_config "\"path\":$(json_str "$TMP/none/*.log")" '{"plugin":"stdout"}')" \
    >/dev/null 2>"$TMP/raise.err" &
AGENT_PID=$!
BG_PIDS+=("$AGENT_PID")
soft_limit() { awk '/^Max open files/ { print $4 }' "/proc/$AGENT_PID/limits" 2>/dev/null; }
raised() { [ "$(soft_limit)" = 4096 ]; }
wait_until "the agent's soft RLIMIT_NOFILE is 4096" raised
ERR="$TMP/raise.err"
stop_agent
pass
