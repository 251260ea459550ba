#!/usr/bin/env bash
# The tailing scenarios are only as good as their checker: mafio-testcheck must reject each
# kind of damage it exists to find. A clean file from mafio-testwriter passes; the same file
# with a line lost, a line repeated, lines swapped, a line torn in two, two lines merged or a
# byte changed fails, with the right reason. Also: the writer's rename rotation (with lag) keeps
# every line exactly once across the files it leaves, and its copytruncate loses exactly the
# lines of each gap between copy and truncate.
. "$(dirname "$0")/tail_lib.sh"

SHAPE=(--min-len 1 --max-len 300 --seed 42)
G="$TMP/good.log"
"$TESTWRITER" --path "$G" --stream s --count 5000 "${SHAPE[@]}" 2>/dev/null || fail "the writer failed"
STRICT=("${SHAPE[@]}" --expect-streams 1 --expect-count 5000 --exactly-once --in-order)

run_check "an untouched file passes" "${STRICT[@]}" "$G"

# rejects NAME REASON_REGEX FILE: the strict check fails on FILE with a FAIL line matching REASON.
rejects() {
    check "$1 is rejected (/$2/)"
    if "$TESTCHECK" "${STRICT[@]}" "$3" >"$TMP/check.txt" 2>&1; then
        cat "$TMP/check.txt"
        fail "$1 passed the check"
    fi
    grep -qE "^FAIL: .*$2" "$TMP/check.txt" || { cat "$TMP/check.txt"; fail "$1: no FAIL line matching /$2/"; }
}

sed '100d' "$G" >"$TMP/lost"
rejects "a lost line" "missing" "$TMP/lost"
sed '100p' "$G" >"$TMP/dup"
rejects "a repeated line" "duplicate" "$TMP/dup"
awk 'NR == 100 { held = $0; next } { print } NR == 101 { print held }' "$G" >"$TMP/swapped"
rejects "two swapped lines" "first delivered after a higher number" "$TMP/swapped"
awk 'NR == 100 { print substr($0, 1, 5); print substr($0, 6); next } { print }' "$G" >"$TMP/torn"
rejects "a line torn in two" "wrong payload|malformed" "$TMP/torn"
awk 'NR == 100 { printf "%s", $0; next } { print }' "$G" >"$TMP/merged"
rejects "two merged lines" "wrong payload" "$TMP/merged"
sed '100s/\(.*\)./\1#/' "$G" >"$TMP/changed"
rejects "a changed byte" "wrong payload" "$TMP/changed"

check "at-least-once accepts a replay within the window and rejects one beyond it"
{ sed -n '1,3000p' "$G"; sed -n '2900,5000p' "$G"; } >"$TMP/replay"
"$TESTCHECK" "${SHAPE[@]}" --expect-count 5000 --at-least-once --in-order --max-dup-window 200 "$TMP/replay" >"$TMP/check.txt" ||
    { cat "$TMP/check.txt"; fail "a replay of 101 lines was rejected with window 200"; }
! "$TESTCHECK" "${SHAPE[@]}" --expect-count 5000 --at-least-once --max-dup-window 50 "$TMP/replay" >"$TMP/check.txt" ||
    { cat "$TMP/check.txt"; fail "a replay of 101 lines passed with window 50"; }

check "a loss window is tolerated only just before a multiple of N"
sed '991,1000d' "$G" >"$TMP/window"
"$TESTCHECK" "${SHAPE[@]}" --expect-count 5000 --at-least-once --allow-loss-before-every 1000 --max-loss-window 20 "$TMP/window" >"$TMP/check.txt" ||
    { cat "$TMP/check.txt"; fail "lines 991-1000 lost before a truncate at 1000 were not tolerated"; }
sed '981,990d' "$G" >"$TMP/window"
! "$TESTCHECK" "${SHAPE[@]}" --expect-count 5000 --at-least-once --allow-loss-before-every 1000 --max-loss-window 20 "$TMP/window" >"$TMP/check.txt" ||
    { cat "$TMP/check.txt"; fail "lines 981-990 (not just before 1000) were tolerated"; }

R="$TMP/rot/app.log"
mkdir -p "$TMP/rot"
"$TESTWRITER" --path "$R" --stream r --count 5000 --rotate-every 1000 --rotate-lag 100 "${SHAPE[@]}" 2>/dev/null || fail "the writer failed"
# shellcheck disable=SC2046 # one argument per file
run_check "rename rotation with lag leaves every line once, in order" "${SHAPE[@]}" --expect-count 5000 \
    --exactly-once --in-order $(rotated_files "$R")
C="$TMP/ct/app.log"
mkdir -p "$TMP/ct"
"$TESTWRITER" --path "$C" --stream c --count 5000 --copytruncate-every 1000 --copytruncate-gap 10 \
    "${SHAPE[@]}" 2>/dev/null || fail "the writer failed"
# shellcheck disable=SC2046
run_check "copytruncate leaves every line once but the 10 of each gap, in order" "${SHAPE[@]}" \
    --expect-count 5000 --at-least-once --no-dups --in-order --allow-loss-before-every 1000 \
    --loss-offset 10 --max-loss-window 10 $(rotated_files "$C")
check "exactly the 4 gaps of 10 lines are missing"
[ "$(total_field missing)" -eq 40 ] || fail "$(total_field missing) lines missing, expected 40"
pass
