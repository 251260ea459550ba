#!/usr/bin/env bash
# Component ids key checkpoints (issue 9): changing the tailed path reads the new file only and
# claims no rename; reordering two inputs re-delivers nothing; an explicit id that keeps its
# checkpoint across a path change still reads only what the new path names.
. "$(dirname "$0")/tail_lib.sh"

X="$TMP/logs/x.log"
Y="$TMP/logs/y.log"
mkdir -p "$TMP/logs"
printf 'x1\nx2\n' >"$X"
printf 'y1\n' >"$Y"

input() { printf '{"plugin":"filereader:V2","path":%s%s}' "$(json_str "$1")" "${2:+,$2}"; }
config() { printf '{"inputs":[%s],"filters":[],"outputs":[{"plugin":"stdout"}]}' "$1"; }

# run_until N CONFIG OUT: runs the agent until OUT holds N lines, then stops it.
run_until() {
    : >"$3"
    start_agent "$2" "$3"
    wait_lines "$1" "$3"
    sleep 0.3 # a little longer, so that anything wrongly read would show up too
    stop_agent
}

check "first run on x.log (derived id) reads x.log"
run_until 2 "$(config "$(input "$X")")" "$TMP/out1"
[ "$(cat "$TMP/out1")" = "$(printf 'x1\nx2')" ] || fail "first run: $(cat "$TMP/out1")"

check "-check shows the derived id"
run "$MAFIO" "${AGENT_FLAGS[@]}" -check -f "$(config "$(input "$X")")"
expect_stdout_contains "input  filereader-" "(derived)"
grep -q "input  filereader-[a-z0-9_-]*x_log[a-z0-9_]* (derived)" "$OUT" || fail "no derived id naming x.log: $(cat "$OUT")"

check "the path changes to y.log: only y.log is read, x.log's new lines are not"
printf 'x3\n' >>"$X"
run_until 1 "$(config "$(input "$Y")")" "$TMP/out2"
[ "$(cat "$TMP/out2")" = "y1" ] || fail "after the path change: $(tr '\n' ' ' <"$TMP/out2")"
! grep -q "renamed" "$ERR" || fail "a rename was claimed: $(grep renamed "$ERR")"

check "two inputs, then the same two in the other order: nothing is delivered again"
printf 'y2\n' >>"$Y"
run_until 2 "$(config "$(input "$X"),$(input "$Y")")" "$TMP/out3"
sort "$TMP/out3" >"$TMP/out3.sorted"
[ "$(cat "$TMP/out3.sorted")" = "$(printf 'x3\ny2')" ] || fail "both inputs: $(tr '\n' ' ' <"$TMP/out3")"
printf 'x4\n' >>"$X"
printf 'y3\ny4\n' >>"$Y"
run_until 3 "$(config "$(input "$Y"),$(input "$X")")" "$TMP/out4"
sort "$TMP/out4" >"$TMP/out4.sorted"
[ "$(cat "$TMP/out4.sorted")" = "$(printf 'x4\ny3\ny4')" ] ||
    fail "after reordering: $(tr '\n' ' ' <"$TMP/out4")"

check "an explicit id keeps its checkpoints across a path change, yet reads only the new path"
run_until 4 "$(config "$(input "$X" '"id":"app"')")" "$TMP/out5" # x1..x4 (a new id)
printf 'x5\n' >>"$X"
run_until 4 "$(config "$(input "$Y" '"id":"app"')")" "$TMP/out6" # y1..y4, not x5
[ "$(cat "$TMP/out6")" = "$(printf 'y1\ny2\ny3\ny4')" ] || fail "explicit id: $(tr '\n' ' ' <"$TMP/out6")"
expect_stderr_contains "keeping 1 stored checkpoint(s) of files the configured paths no longer name"
! grep -q "renamed" "$ERR" || fail "a rename was claimed: $(grep renamed "$ERR")"

check "and going back to x.log resumes where it was: only x5"
run_until 1 "$(config "$(input "$X" '"id":"app"')")" "$TMP/out7"
[ "$(cat "$TMP/out7")" = "x5" ] || fail "back to x.log: $(tr '\n' ' ' <"$TMP/out7")"
pass
