#!/usr/bin/env bash
# Tailing scenario 11: S11_KILLS SIGKILLs at random moments (0.3 to 1 s apart) while
# S11_LINES lines flow from a file being written into logr (rotating every 16 MiB). The agent is
# restarted at once after each kill and resumes from its last stored checkpoint. In the end
# every line is in the logr files at least once and no line is torn. As a sanity bound against
# re-reading from the start (not a timing), a duplicate repeats a line first delivered at most
# S11_DUP_WINDOW lines earlier (default: 5 s of writing, so a loaded machine that delays a run's
# first checkpoint store cannot fail the test; a kill just before that store replays the run).
# checkpoint_interval is 200ms here: checkpoints are stored at most that often, and with the 1s
# default an agent killed every half second would never store one (each run would start over,
# which is what the interval means, not a bug).
#   S11_LINES (1000000), S11_RATE (100000 lines/s), S11_KILLS (20), S11_SEED (bash RANDOM seed,
#   11), S11_DUP_WINDOW (5 x S11_RATE).
. "$(dirname "$0")/tail_lib.sh"

LINES="${S11_LINES:-1000000}"
KILLS="${S11_KILLS:-20}"
RATE="${S11_RATE:-100000}"
RANDOM="${S11_SEED:-11}"
SHAPE=(--min-len 8 --max-len 64 --seed 11)
F="$TMP/logs/app.log"
L="$TMP/logr/out.log"
mkdir -p "$TMP/logs" "$TMP/logr"
: >"$F"
CONFIG="$(reader_config "\"path\":$(json_str "$F")" \
    '{"plugin":"logr","path":'"$(json_str "$L")"',"max_size":"16MiB","max_files":1000}')"
CONFIG="${CONFIG%\}},\"checkpoint_interval\":\"200ms\"}"
ARRIVED=("${SHAPE[@]}" --expect-streams 1 --expect-count "$LINES" --at-least-once)
CHECK=("${ARRIVED[@]}" --max-dup-window "${S11_DUP_WINDOW:-$((5 * RATE))}")

"$TESTWRITER" --path "$F" --stream app --count "$LINES" --rate "$RATE" "${SHAPE[@]}" \
    2>"$TMP/writer.txt" &
writer=$!
BG_PIDS+=("$writer")

start_agent "$CONFIG" "$TMP/stdout"
for ((k = 1; k <= KILLS; k++)); do
    sleep "0.$((RANDOM % 7 + 3))$((RANDOM % 10))" # 0.30 .. 0.99 s
    _agent_alive || { wait "$AGENT_PID"; fail "the agent had exited ($(_describe_rc $?)) before kill $k"; }
    kill -KILL "$AGENT_PID"
    wait "$AGENT_PID" 2>/dev/null
    echo "---- SIGKILL $k at $(elapsed) ----" >>"$ERR"
    start_agent "$CONFIG" "$TMP/stdout" >/dev/null
done
# shellcheck disable=SC2046
log "$KILLS SIGKILLs done at $(elapsed), $(lines_in $(rotated_files "$L")) lines in logr so far"

wait "$writer" || fail "the writer failed: $(cat "$TMP/writer.txt")"
log "$(cat "$TMP/writer.txt")"
# shellcheck disable=SC2046 # one argument per file
_all_arrived() { "$TESTCHECK" "${ARRIVED[@]}" $(rotated_files "$L") >"$TMP/check.txt" 2>&1; }
wait_until "every line is in the logr files" _all_arrived
stop_agent

# shellcheck disable=SC2046 # one argument per file
run_check "every line at least once after $KILLS SIGKILLs" "${CHECK[@]}" $(rotated_files "$L")
log "figures: $LINES lines, $KILLS SIGKILLs, $(total_field lines) delivered, duplicates $(total_field duplicates), missing $(total_field missing), $(rotated_files "$L" | wc -l) logr files, $(elapsed)"
pass
