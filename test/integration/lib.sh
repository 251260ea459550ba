# shellcheck shell=bash disable=SC2034
# Shared helpers for the end-to-end tests. Source it first thing:
#   . "$(dirname "$0")/lib.sh"
#
# ctest passes (see test/CMakeLists.txt):
#   MAFIO               the mafio binary under test
#   MAFIO_BUILD_DIR     the build tree
#   MAFIO_SOURCE_DIR    the source tree
#   MAFIO_TEST_PLUGINS  the fixture plugins (test/fixtures), e.g. build/test-plugins
#   MAFIO_PLUGINS       the real plugins, e.g. build/lib/mafio/plugins
#
# Conventions: every check prints what it checks ("check: ..."), `fail` prints why and exits 1,
# a test that reaches its end prints "PASS". Nothing asserts on timing: waits are bounded loops
# whose bound only stops a hung agent from hanging the test run.
set -uo pipefail

TEST_NAME="$(basename "$0" .sh)"
: "${MAFIO:?MAFIO must point to the mafio binary (ctest sets it)}"
: "${MAFIO_TEST_PLUGINS:?MAFIO_TEST_PLUGINS must point to the fixture plugins dir}"
: "${MAFIO_PLUGINS:?MAFIO_PLUGINS must point to the real plugins dir}"
MAFIO_SOURCE_DIR="${MAFIO_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
[ -x "$MAFIO" ] || { echo "[$TEST_NAME] FAIL: MAFIO=$MAFIO is not an executable" >&2; exit 1; }

# Bound (seconds) for one agent run and for every wait loop. Generous: only a hang trips it.
MAFIO_TEST_TIMEOUT="${MAFIO_TEST_TIMEOUT:-120}"

# A private temp dir (resolved, so paths in messages match), removed on exit with everything we
# started in the background.
TMP="$(cd "$(mktemp -d "${TMPDIR:-/tmp}/mafio-${TEST_NAME}.XXXXXX")" && pwd -P)"
BG_PIDS=()
_cleanup() {
    local pid
    for pid in "${BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    for pid in "${BG_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    if [ -n "${MAFIO_KEEP_TMP:-}" ]; then echo "[$TEST_NAME] kept $TMP"; else rm -rf "$TMP"; fi
}
trap _cleanup EXIT

# Nothing reads the terminal or ctest's stdin by accident: the default pipeline reads stdin.
exec </dev/null

# Output of the last `run`/`expect_exit`.
OUT="$TMP/last.stdout"
ERR="$TMP/last.stderr"
RC=0
: >"$OUT"
: >"$ERR"

log() { echo "[$TEST_NAME] $*"; }
check() { echo "[$TEST_NAME] check: $*"; }

# Prints the last run's stderr (first lines) to help whoever reads a failure.
show_last() {
    if [ -s "$ERR" ]; then
        echo "---- stderr of the last run (first 40 lines) ----" >&2
        head -n 40 "$ERR" | cut -c1-400 >&2
        echo "-------------------------------------------------" >&2
    fi
}

fail() {
    echo "[$TEST_NAME] FAIL: $*" >&2
    show_last
    exit 1
}

pass() { echo "[$TEST_NAME] PASS"; exit 0; }

# Exit codes >= 128 (or timeout's 124/137) mean a signal or a hang: never acceptable.
_is_crash() { [ "$1" -ge 124 ]; }
_describe_rc() {
    case "$1" in
    124) echo "124 (timed out after ${MAFIO_TEST_TIMEOUT}s: hung?)" ;;
    137) echo "137 (SIGKILL, timed out?)" ;;
    *) if [ "$1" -ge 128 ]; then echo "$1 (killed by signal $(($1 - 128)): $(kill -l $(($1 - 128)) 2>/dev/null) — a crash)"; else echo "$1"; fi ;;
    esac
}

# run CMD...: runs CMD (stdin as given by the caller) with a bound, stdout -> $OUT, stderr ->
# $ERR, exit code -> $RC. Never fails by itself.
run() {
    timeout -k 10 "$MAFIO_TEST_TIMEOUT" "$@" >"$OUT" 2>"$ERR"
    RC=$?
    return 0
}

# expect_exit CODE CMD...: runs CMD like `run` and fails unless it exits with CODE.
expect_exit() {
    local want="$1"
    shift
    check "exit code $want from: $(_short_cmd "$@")"
    run "$@"
    if [ "$RC" -ne "$want" ]; then
        fail "expected exit code $want, got $(_describe_rc "$RC") from: $(_short_cmd "$@")"
    fi
}

# expect_no_crash CMD...: any exit code below 124 is accepted; returns with $RC set.
expect_no_crash() {
    check "no crash from: $(_short_cmd "$@")"
    run "$@"
    if _is_crash "$RC"; then fail "exit code $(_describe_rc "$RC") from: $(_short_cmd "$@")"; fi
}

# A command line for messages, with huge arguments shortened.
_short_cmd() {
    local a s=""
    for a in "$@"; do
        if [ "${#a}" -gt 120 ]; then a="${a:0:60}...(${#a} chars)"; fi
        s+="${s:+ }$a"
    done
    printf '%s' "$s"
}

# _expect_in NAME FILE GREP-FLAG WHAT PATTERN...: each PATTERN is found (case-insensitive) in
# FILE, the last run's NAME (stdout or stderr); WHAT words the check ("contains", "matches").
_expect_in() {
    local name=$1 file=$2 flag=$3 what=$4 p
    shift 4
    for p in "$@"; do
        check "$name $what \"$p\""
        grep -qi"$flag" -- "$p" "$file" || fail "$name does not satisfy: $what \"$p\""
    done
}

# expect_stderr_contains TEXT...: each TEXT (fixed string, case-insensitive) is in the last
# run's stderr.
expect_stderr_contains() { _expect_in stderr "$ERR" F contains "$@"; }

# expect_stderr_matches ERE...: each extended regex matches a line of the last stderr.
expect_stderr_matches() { _expect_in stderr "$ERR" E matches "$@"; }

# expect_stdout_contains TEXT...: like expect_stderr_contains, for stdout.
expect_stdout_contains() { _expect_in stdout "$OUT" F contains "$@"; }

# expect_log_format: every non-empty stderr line of the last run starts with a timestamp and a
# level, e.g. "2026-11-24T20:30:00.123Z error ...".
expect_log_format() {
    check "every stderr line starts with a timestamp and a level"
    [ -s "$ERR" ] || fail "stderr is empty: expected at least one log line"
    local bad
    bad="$(grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}([.,][0-9]+)?Z? +\[?(debug|info|warn|warning|error|fatal)\]?[ :]' "$ERR" | grep -v '^$' | head -n 3)"
    [ -z "$bad" ] || fail "log line(s) without a timestamp and level: $bad"
}

# expect_same_file EXPECTED ACTUAL [what]: byte for byte, with the first difference on failure.
expect_same_file() {
    local want="$1" got="$2" what="${3:-$2}"
    check "$what equals $(basename "$want") byte for byte ($(wc -c <"$want") bytes)"
    [ -f "$got" ] || fail "$what: $got does not exist"
    if ! cmp -s "$want" "$got"; then
        local diffpos
        diffpos="$(cmp "$want" "$got" 2>&1 | head -n 1)"
        fail "$what differs from $(basename "$want") (expected $(wc -c <"$want") bytes, got $(wc -c <"$got")): $diffpos"
    fi
}

# wait_until DESCRIPTION CMD...: polls CMD every 50 ms until it succeeds; fails after the bound.
wait_until() {
    local what="$1"
    shift
    local deadline=$((SECONDS + MAFIO_TEST_TIMEOUT))
    check "waiting until $what"
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "gave up waiting (${MAFIO_TEST_TIMEOUT}s) until $what"
        sleep 0.05
    done
}

file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
_file_at_least() { [ -f "$1" ] && [ "$(file_size "$1")" -ge "$2" ]; }
# wait_for_file PATH [MIN_BYTES]: until PATH exists with at least MIN_BYTES (default 1).
wait_for_file() { wait_until "$1 has at least ${2:-1} bytes" _file_at_least "$1" "${2:-1}"; }

# wait_exit PID: waits (bounded) for a background agent and sets RC to its exit code.
wait_exit() {
    local pid="$1" deadline=$((SECONDS + MAFIO_TEST_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            kill -KILL "$pid" 2>/dev/null
            fail "process $pid did not exit within ${MAFIO_TEST_TIMEOUT}s"
        fi
        sleep 0.05
    done
    wait "$pid"
    RC=$?
}

# make_plugins_dir FIXTURE...: a fresh directory with a copy of every real plugin plus the named
# fixtures (by file stem, e.g. slow-V1), in $PLUGDIR. The real stdin/valid/stdout live in
# MAFIO_PLUGINS and the fixtures in MAFIO_TEST_PLUGINS, while -plugins-dir takes one directory.
# (Sets a variable rather than printing, so that `fail` inside exits the test, not a subshell.)
PLUGDIR=""
make_plugins_dir() {
    local dir f
    dir="$(mktemp -d "$TMP/plugins.XXXXXX")"
    cp "$MAFIO_PLUGINS"/*.so "$dir"/ 2>/dev/null || fail "no real plugins in $MAFIO_PLUGINS"
    for f in "$@"; do
        [ -e "$MAFIO_TEST_PLUGINS/$f.so" ] || fail "fixture $MAFIO_TEST_PLUGINS/$f.so is missing (is the fixtures target built?)"
        cp "$MAFIO_TEST_PLUGINS/$f.so" "$dir"/
    done
    PLUGDIR="$dir"
}

# The highest tag of plugin NAME present in MAFIO_PLUGINS (natural order: V10 > V9 > V2).
highest_tag() {
    local f
    f="$(ls "$MAFIO_PLUGINS"/"$1"-*.so 2>/dev/null | sed 's#.*/##' | sort -V | tail -n 1)"
    f="${f#"$1"-}"
    printf '%s\n' "${f%.so}"
}

# open_idle_stdin: $IDLE_STDIN, a FIFO with a writer that stays open and never writes (held by
# this shell on fd 9), so an agent that wrongly starts reading stdin blocks instead of seeing EOF.
IDLE_STDIN=""
open_idle_stdin() {
    IDLE_STDIN="$TMP/idle-stdin.fifo"
    [ -p "$IDLE_STDIN" ] || mkfifo "$IDLE_STDIN"
    exec 9<>"$IDLE_STDIN"
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# cpu_ticks_over PID|STAT_FILE SECONDS: the clock ticks (1/HZ s, user + system) a process (or a
# thread, by its /proc/PID/task/TID/stat) used while the test slept SECONDS, in $TICKS (and HZ
# in $HZ). The sleep measures, it asserts nothing.
cpu_ticks_over() {
    local stat="$1" before after
    [[ "$stat" =~ ^[0-9]+$ ]] && stat="/proc/$stat/stat"
    HZ=$(getconf CLK_TCK)
    before=$(awk '{ print $14 + $15 }' "$stat")
    sleep "$2"
    after=$(awk '{ print $14 + $15 }' "$stat")
    TICKS=$((after - before))
}

# input_schedule PORT FIELD: FIELD of the first input's "schedule" in /pipeline of the agent
# whose HTTP API listens on 127.0.0.1:PORT (test_schedule_*.sh); fails while it does not answer.
input_schedule() {
    python3 - "$1" "$2" <<'PY'
import json, sys, urllib.request
doc = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/pipeline"))
print(doc["inputs"][0]["schedule"][sys.argv[2]])
PY
}
