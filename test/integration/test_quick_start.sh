#!/usr/bin/env bash
# The README's quick start works as written (issue 16, item 9):
#   1. examples/mafio.json passes -check and then runs from the repository root with no
#      directory made beforehand: every line of examples/data/access.log reaches stdout and the
#      logr file (whose directory create_dirs makes), checkpoints land in the example's own
#      data_dir, SIGTERM exits 0. The copy differs from the file only in where its two
#      directories are (this test's private one instead of /tmp/mafio-example);
#   2. -check catches what it can: a logr output whose directory is missing, without
#      create_dirs, is refused by -check (exit 1, naming outputs[1].path and the fix), and
#      nothing is created;
#   3. the docs: the README and the examples point at no file outside the repository, the
#      examples' README says nothing of an API "served in a later version", and LICENSE is
#      the MIT license.
. "$(dirname "$0")/lib.sh"
cd "$MAFIO_SOURCE_DIR" || fail "cannot cd to $MAFIO_SOURCE_DIR"
DATA="examples/data/access.log"
EX="$TMP/example" # stands for /tmp/mafio-example
grep -q '"/tmp/mafio-example/access.log"' examples/mafio.json ||
    fail "examples/mafio.json no longer writes /tmp/mafio-example/access.log: update this test"
sed "s#/tmp/mafio-example#$EX#g" examples/mafio.json >"$TMP/mafio.json"

expect_exit 0 "$MAFIO" -check -config "$TMP/mafio.json"
[ -e "$EX" ] && fail "-check created $EX"

check "the example runs: stdout and the logr file get the whole log"
# -http-address off: the example's 127.0.0.1:10630 may be another test's.
"$MAFIO" -config "$TMP/mafio.json" -http-address off >"$OUT" 2>"$ERR" &
pid=$!
BG_PIDS+=("$pid")
lines="$(wc -l <"$DATA")"
_has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$lines" ]; }
wait_until "$EX/access.log has $lines lines" _has_lines "$EX/access.log"
wait_until "stdout has $lines lines" _has_lines "$OUT"
_has_checkpoint() { compgen -G "$EX/state/checkpoints/*.ckpt" >/dev/null; }
wait_until "a checkpoint is stored in the example's data_dir" _has_checkpoint
kill -TERM "$pid"
wait_exit "$pid"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC") after SIGTERM"
expect_same_file "$DATA" "$EX/access.log" "the logr file"
expect_same_file "$DATA" "$OUT" "stdout"

check "-check refuses a logr directory that is missing without create_dirs"
sed -e "s#/tmp/mafio-example#$TMP/nowhere#g" -e 's#, "create_dirs": true##' examples/mafio.json \
    >"$TMP/nodirs.json"
grep -q create_dirs "$TMP/nodirs.json" && fail "could not remove create_dirs from the copy"
expect_exit 1 "$MAFIO" -check -config "$TMP/nodirs.json"
expect_stderr_contains "outputs[1].path: the directory \"$TMP/nowhere\" of \"$TMP/nowhere/access.log\" does not exist; create it, or set create_dirs: true"
expect_exit 1 "$MAFIO" -config "$TMP/nodirs.json" -http-address off
expect_stderr_contains "does not exist; create it, or set create_dirs: true"
[ -e "$TMP/nowhere" ] && fail "$TMP/nowhere was created"
check "a path whose directory is a file is refused as not a directory"
: >"$TMP/plainfile"
expect_exit 1 "$MAFIO" -check -f "{\"outputs\": [{\"plugin\": \"logr\", \"path\": \"$TMP/plainfile/x.log\"}]}"
expect_stderr_contains "outputs[0].path: the directory \"$TMP/plainfile\""

check "no document points outside the repository"
outside="$(grep -rnE '\.\./shared|/work/shared|shared/DESIGN' README.md examples docs 2>/dev/null || true)"
[ -z "$outside" ] || fail "pointers outside the repository: $outside"
check "examples/README.md does not call the HTTP API a later version's"
grep -qi 'later version' examples/README.md && fail "examples/README.md: 'later version'"
check "LICENSE is the MIT license of the mafio authors"
grep -q '^MIT License' LICENSE || fail "LICENSE is not the MIT license"
grep -q 'Copyright (c) 2026 the mafio authors' LICENSE || fail "LICENSE lacks the copyright line"

pass
