# shellcheck shell=bash
# Helpers of the file-tailing scenarios (test_tail_*.sh), on top of lib.sh. Source it first:
#   . "$(dirname "$0")/tail_lib.sh"
#
# The scenarios write numbered lines with mafio-testwriter, let the agent tail them, and judge
# what it delivered with mafio-testcheck (both in test/tools, built into $MAFIO_BUILD_DIR/bin).
# Each scenario's sizes are environment variables with CI-sized defaults, named at its top.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS_BIN="${MAFIO_TOOLS_BIN:-${MAFIO_BUILD_DIR:-$(dirname "$MAFIO")/..}/bin}"
TESTWRITER="$TOOLS_BIN/mafio-testwriter"
TESTCHECK="$TOOLS_BIN/mafio-testcheck"
for _tool in "$TESTWRITER" "$TESTCHECK"; do
    [ -x "$_tool" ] || { echo "[$TEST_NAME] FAIL: $_tool is missing (build the test/tools targets)" >&2; exit 1; }
done

# The file reader under test: filereader:V2 unless told otherwise (MAFIO_TAIL_READER), with
# extra options for every scenario in MAFIO_TAIL_READER_OPTIONS (JSON members, e.g.
# '"inotify":false' to run the whole set in polling mode, or '"max_open_files":8').
TAIL_READER="${MAFIO_TAIL_READER:-filereader:V2}"
TAIL_READER_OPTIONS="${MAFIO_TAIL_READER_OPTIONS:-}"

# Every agent of a scenario keeps its checkpoints here, and runs without a monitoring port so
# that scenarios can run in parallel.
DATA_DIR="$TMP/data"
AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=info -http-address=off)

# The agent's log of a scenario spans several runs (appended to $ERR): on failure, its end is
# what explains it.
show_last() {
    if [ -s "$ERR" ]; then
        echo "---- agent log (last 40 lines of $ERR) ----" >&2
        tail -n 40 "$ERR" | cut -c1-400 >&2
        echo "-------------------------------------------" >&2
    fi
}

T0=$SECONDS
elapsed() { echo "$((SECONDS - T0))s"; }

# json_str TEXT: TEXT as a JSON string (the paths here have no quotes or backslashes, but a
# TMPDIR might).
json_str() {
    local s="${1//\\/\\\\}"
    printf '"%s"' "${s//\"/\\\"}"
}

# reader_config OPTIONS_JSON OUTPUT_JSON: an agent config with one file input of $TAIL_READER
# (OPTIONS_JSON: its options without braces, e.g. '"path":"/x","rotate_wait":"1s"'), no
# filters and the given output object.
reader_config() {
    printf '{"inputs":[{"plugin":"%s",%s%s}],"filters":[],"outputs":[%s]}' "$TAIL_READER" "$1" \
        "${TAIL_READER_OPTIONS:+,$TAIL_READER_OPTIONS}" "$2"
}

# start_agent CONFIG STDOUT_FILE: starts mafio in the background (stdout appended to
# STDOUT_FILE, stderr appended to $ERR); sets AGENT_PID.
AGENT_PID=""
start_agent() {
    log "starting: mafio ${AGENT_FLAGS[*]} -f '$1' >>$(basename "$2")"
    echo "---- agent started at $(elapsed) ----" >>"$ERR"
    "$MAFIO" "${AGENT_FLAGS[@]}" -f "$1" >>"$2" 2>>"$ERR" &
    AGENT_PID=$!
    BG_PIDS+=("$AGENT_PID")
}

# stop_agent: SIGTERM, and the graceful exit code 0 within the bound.
stop_agent() {
    check "SIGTERM stops the agent (pid $AGENT_PID) with exit code 0"
    kill -TERM "$AGENT_PID" 2>/dev/null
    wait_exit "$AGENT_PID"
    [ "$RC" -eq 0 ] || fail "exit code after SIGTERM: $(_describe_rc "$RC"), expected 0"
}
# Starts the agent tailing the single file $1 (created empty) into stdout > $2, and returns once
# the first line written with the writer options in the rest of the arguments has arrived: the
# agent then follows the file, so no rotation can come before it has opened it (the lines of a
# file rotated away before that are not its to read).
start_tailing_one_file() {
    local log=$1 out=$2
    shift 2
    mkdir -p "$(dirname "$log")"
    : >"$log"
    start_agent "$(reader_config "\"path\":$(json_str "$log")" '{"plugin":"stdout"}')" "$out"
    "$TESTWRITER" --path "$log" --stream app --count 1 "$@" 2>/dev/null || fail "the writer failed"
    wait_lines 1 "$out"
}


# lines_in FILE...: total lines of the files that exist.
lines_in() {
    local f n=0 c
    for f in "$@"; do
        [ -f "$f" ] || continue
        c=$(wc -l <"$f")
        n=$((n + c))
    done
    echo "$n"
}
_lines_at_least() {
    local want="$1"
    shift
    [ "$(lines_in "$@")" -ge "$want" ]
}
_agent_alive() { kill -0 "$AGENT_PID" 2>/dev/null; }

# wait_lines N FILE...: until the files hold at least N lines together. Fails at once if the
# agent died meanwhile, or after the bound, saying how far it got.
wait_lines() {
    local want="$1"
    shift
    local deadline=$((SECONDS + MAFIO_TEST_TIMEOUT))
    check "waiting until the output holds $want lines"
    until _lines_at_least "$want" "$@"; do
        _agent_alive || { wait "$AGENT_PID"; RC=$?; fail "the agent exited ($(_describe_rc "$RC")) with $(lines_in "$@") of $want lines delivered"; }
        [ "$SECONDS" -lt "$deadline" ] || fail "gave up after ${MAFIO_TEST_TIMEOUT}s with $(lines_in "$@") of $want lines delivered"
        sleep 0.2
    done
}

# run_check WHAT CHECK_ARGS...: runs mafio-testcheck, shows its report and fails on a bad verdict.
# The report stays in $TMP/check.txt; CHECK_TOTAL holds its TOTAL line.
CHECK_TOTAL=""
run_check() {
    local what="$1"
    shift
    check "$what: mafio-testcheck $*"
    "$TESTCHECK" "$@" >"$TMP/check.txt" 2>&1
    local rc=$?
    sed "s/^/[$TEST_NAME]   /" "$TMP/check.txt" | head -n 40
    CHECK_TOTAL="$(grep '^TOTAL' "$TMP/check.txt")"
    [ "$rc" -eq 0 ] || fail "$what: mafio-testcheck exited $rc: $(grep '^FAIL' "$TMP/check.txt" | head -n 3 | tr '\n' ' ')"
}

# total_field NAME: a number from the last TOTAL line, e.g. `total_field duplicates`.
total_field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$CHECK_TOTAL"; }

# peak_rss_kib PID: the process's peak resident set (VmHWM) in KiB, while it runs.
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# fds_pointing_to PID PATTERN: how many of PID's descriptors point to a path matching PATTERN
# (grep -E), e.g. a file shown as "/x/app.log (deleted)".
fds_pointing_to() {
    local fd n=0 target
    for fd in /proc/"$1"/fd/*; do
        target="$(readlink "$fd" 2>/dev/null)" || continue
        if grep -qE -- "$2" <<<"$target"; then n=$((n + 1)); fi
    done
    echo "$n"
}

# rotated_files BASE: BASE.N .. BASE.1 BASE (those that exist), oldest first, one per line.
rotated_files() {
    local n=0 i
    while [ -e "$1.$((n + 1))" ]; do n=$((n + 1)); done
    for ((i = n; i >= 1; i--)); do echo "$1.$i"; done
    [ -e "$1" ] && echo "$1"
}

# wait_check WHAT CHECK_ARGS...: until mafio-testcheck accepts the output (for at-least-once
# runs, where a line count cannot tell that every number has arrived); fails after the bound
# with the checker's last report, or at once if the agent died.
wait_check() {
    local what="$1"
    shift
    local deadline=$((SECONDS + MAFIO_TEST_TIMEOUT))
    check "waiting until $what"
    until "$TESTCHECK" "$@" >"$TMP/check.txt" 2>&1; do
        if ! _agent_alive || [ "$SECONDS" -ge "$deadline" ]; then
            sed "s/^/[$TEST_NAME]   /" "$TMP/check.txt" | head -n 40
            _agent_alive || fail "the agent exited before $what"
            fail "gave up after ${MAFIO_TEST_TIMEOUT}s waiting until $what"
        fi
        sleep 0.5
    done
}
