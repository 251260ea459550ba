#!/usr/bin/env bash
# filereader:V1 is a real fallback for filereader:V2 (issue 9 item 6): both write and read the
# checkpoint format "mafio.file-position/1", so switching tags with a restart in between
# delivers every line of a growing file exactly once.
#   1. One config with filereader:V2 on app.log and one data dir. Run V2, then V1 (selected by
#      the flag -input=filereader:V1, which keeps the configured options), then V2 again; lines
#      are appended between the runs and while each runs, and the V1 run stops holding half a
#      line (no newline yet) that is completed before the last V2 run. mafio-testcheck: every
#      number exactly once, in order (0 duplicates, 0 missing), the half line delivered whole.
#      Each run says it resumed the file from its checkpoint.
#   2. A V2 config using what V1 cannot do (a glob or a list in path, exclude, scan_interval,
#      rotate_wait, close_timeout, max_open_files, inotify: true) is refused with the fallback
#      flag: by -check and by a normal start alike, exit 1 (bad configuration, nothing started),
#      with one line naming the option and what V1 takes.
#   3. The options V1 has anyway (read_from, exit_on_eof, poll_interval, max_line_bytes,
#      long_lines, fingerprint_bytes, inotify: false, path as a list of one) pass -check.
#   FB_LINES: lines per batch of writing (5000).
. "$(dirname "$0")/tail_lib.sh"

N="${FB_LINES:-5000}"
SHAPE=(--min-len 8 --max-len 200 --seed 9)
LOG="$TMP/logs/app.log"
mkdir -p "$TMP/logs"
OUTF="$TMP/out"
: >"$OUTF"
CONFIG="$(printf '{"inputs":[{"plugin":"filereader:V2","path":%s,"poll_interval":"50ms"}],"filters":[],"outputs":[{"plugin":"stdout"}]}' "$(json_str "$LOG")")"

# write START COUNT [writer options]: appends lines START..START+COUNT-1 of stream "app".
write() {
    local start=$1 count=$2
    shift 2
    "$TESTWRITER" --path "$LOG" --stream app --start "$start" --count "$count" "${SHAPE[@]}" "$@" \
        2>/dev/null || fail "the writer failed"
}

# run_phase NAME EXTRA_FLAGS...: starts the agent on CONFIG and the data dir, plus the extra
# flags (its stdout appended to the output file).
run_phase() {
    local name=$1
    shift
    log "---- $name"
    AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=info -http-address=off "$@")
    start_agent "$CONFIG" "$OUTF"
}

# 1. V2 -> V1 -> V2.
write 1 "$N"
run_phase "filereader:V2, first run"
wait_lines "$N" "$OUTF"
write $((N + 1)) "$N" # while V2 runs
wait_lines $((2 * N)) "$OUTF"
stop_agent

write $((2 * N + 1)) "$N" # while stopped
mark=$(wc -l <"$ERR")
run_phase "filereader:V1 by flag" -input=filereader:V1
wait_lines $((3 * N)) "$OUTF"
check "the V1 run resumed app.log from V2's checkpoint"
tail -n +"$mark" "$ERR" | grep -qF "resuming \"$LOG\" at offset" ||
    fail "filereader:V1 did not log that it resumed $LOG"
# While V1 runs: N more lines, the last one only half written (no newline yet).
write $((3 * N + 1)) "$N" --hold-last
wait_lines $((4 * N - 1)) "$OUTF"
stop_agent

# While stopped: the half line completed, and N more.
write $((4 * N)) $((N + 1)) --complete-first
mark=$(wc -l <"$ERR")
run_phase "filereader:V2 again"
wait_lines $((5 * N)) "$OUTF"
check "the second V2 run resumed app.log from V1's checkpoint"
tail -n +"$mark" "$ERR" | grep -qF "resuming 1 file(s) from checkpoints" ||
    fail "filereader:V2 did not log that it resumed from a checkpoint"
write $((5 * N + 1)) "$N" # while V2 runs
wait_lines $((6 * N)) "$OUTF"
stop_agent

run_check "V2 -> V1 -> V2: every line exactly once, in order" "${SHAPE[@]}" --expect-streams 1 \
    --expect-count $((6 * N)) --exactly-once --in-order "$OUTF"
log "figures: $((6 * N)) lines written over 3 runs, $(total_field lines) delivered, duplicates $(total_field duplicates), missing $(total_field missing)"

# 2. What V1 cannot do is refused, by -check and by a start, with one line each.
# refused OPTIONS_JSON KEY TEXT: a V2 config with OPTIONS_JSON, run with -input=filereader:V1.
refused() {
    local cfg mode
    cfg="$(printf '{"inputs":[{"plugin":"filereader:V2",%s}],"outputs":[{"plugin":"stdout"}]}' "$1")"
    for mode in -check start; do
        local flags=(-data-dir="$TMP/refused" -http-address=off -input=filereader:V1)
        [ "$mode" = -check ] && flags+=(-check)
        expect_exit 1 "$MAFIO" "${flags[@]}" -f "$cfg"
        expect_stderr_contains "inputs[0].$2: filereader:V1 $3" "or use filereader:V2" \
            "filereader:V1 takes: path (one file), read_from"
        check "one error line"
        [ "$(grep -c ' error ' "$ERR")" -eq 1 ] || fail "expected one error line, got: $(grep ' error ' "$ERR")"
    done
    # The same options are fine for V2 itself.
    expect_exit 0 "$MAFIO" -data-dir="$TMP/refused" -http-address=off -check -f "$cfg"
}
P="\"path\":$(json_str "$LOG")"
refused "\"path\":$(json_str "$TMP/logs/*.log")" path "reads one file named literally"
refused "\"path\":[$(json_str "$LOG"),$(json_str "$LOG.1")]" path "reads one file, not a list of 2 paths"
refused "$P,\"exclude\":\"*.gz\"" exclude "cannot exclude files (it reads one path)"
refused "$P,\"scan_interval\":\"10s\"" scan_interval "does not scan for new or renamed files"
refused "$P,\"rotate_wait\":\"1s\"" rotate_wait "does not follow a file renamed away"
refused "$P,\"close_timeout\":\"1s\"" close_timeout "does not keep reading a deleted file"
refused "$P,\"max_open_files\":8" max_open_files "does not close and reopen files"
refused "$P,\"inotify\":true" inotify "cannot use inotify"

# An option neither tag knows is still an unknown key, with a suggestion.
cfg="$(printf '{"inputs":[{"plugin":"filereader:V1",%s,"poll_intervall":"1s"}]}' "$P")"
expect_exit 1 "$MAFIO" -data-dir="$TMP/refused" -http-address=off -check -f "$cfg"
expect_stderr_contains "inputs[0].poll_intervall: unknown option" 'did you mean "poll_interval"'

# 3. What V1 has anyway is accepted.
cfg="$(printf '{"inputs":[{"plugin":"filereader:V2","path":[%s],"read_from":"tail","exit_on_eof":true,"poll_interval":"1s","max_line_bytes":"64KiB","long_lines":"skip","fingerprint_bytes":"2KiB","inotify":false}]}' "$(json_str "$LOG")")"
expect_exit 0 "$MAFIO" -data-dir="$TMP/refused" -http-address=off -input=filereader:V1 -check -f "$cfg"
expect_stdout_contains "configuration OK"
pass
