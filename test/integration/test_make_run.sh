#!/usr/bin/env bash
# `make run` keeps its checkpoints inside the build tree and starts afresh every time (issue 16,
# item 10): as root the default data directory is /var/lib/mafio/<id>, the .deb's state, so
# before a second `make run` printed nothing and later runs resumed foreign positions.
#   1. `make -n run` (what it would run, nothing built here): it empties a data directory
#      inside $(BUILD) and passes it with -data-dir;
#   2. running those very commands twice (with RUN_DATA pointed into this test's own
#      directory, so parallel tests do not share it): the first run stores a checkpoint there,
#      and the second one prints the whole example again.
. "$(dirname "$0")/lib.sh"
command -v make >/dev/null || fail "make is missing (packaging/install-deps.sh installs it)"
cd "$MAFIO_SOURCE_DIR" || fail "cannot cd to $MAFIO_SOURCE_DIR"
B="$MAFIO_BUILD_DIR"

check "make -n run: a data dir inside the build tree, emptied, then -data-dir"
make -n -s run BUILD="$B" >"$TMP/plan.txt" 2>&1 || fail "make -n run failed: $(cat "$TMP/plan.txt")"
grep -qxF "rm -rf $B/run-data" "$TMP/plan.txt" || fail "no 'rm -rf $B/run-data': $(cat "$TMP/plan.txt")"
grep -qxF "$B/bin/mafio -config examples/run.json -data-dir $B/run-data" "$TMP/plan.txt" ||
    fail "mafio is not run with -data-dir $B/run-data: $(cat "$TMP/plan.txt")"

make -n -s run BUILD="$B" RUN_DATA="$TMP/run-data" >"$TMP/plan.txt" 2>&1 ||
    fail "make -n run failed: $(cat "$TMP/plan.txt")"
# The run target's own commands: from its `rm -rf` on.
sed -n "\#^rm -rf $TMP/run-data\$#,\$p" "$TMP/plan.txt" >"$TMP/run.sh"
[ "$(wc -l <"$TMP/run.sh")" -eq 2 ] || fail "expected rm and mafio, got: $(cat "$TMP/run.sh")"
lines="$(wc -l <examples/data/access.log)"

_has_lines() { [ "$(wc -l <"$OUT")" -ge "$lines" ]; }
_has_checkpoint() { compgen -G "$TMP/run-data/checkpoints/*.ckpt" >/dev/null; }
RM="$(sed -n 1p "$TMP/run.sh")"
RUN="$(sed -n 2p "$TMP/run.sh")"
for n in 1 2; do
    check "make run's commands, run $n: the whole example is printed"
    eval "$RM"
    (eval "exec $RUN") >"$OUT" 2>"$ERR" &
    pid=$!
    BG_PIDS+=("$pid")
    wait_until "run $n printed $lines lines" _has_lines
    wait_until "run $n stored a checkpoint in $TMP/run-data" _has_checkpoint
    kill -TERM "$pid"
    wait_exit "$pid"
    [ "$RC" -eq 0 ] || fail "run $n: exit $(_describe_rc "$RC")"
    expect_same_file examples/data/access.log "$OUT" "run $n's output"
done

pass
