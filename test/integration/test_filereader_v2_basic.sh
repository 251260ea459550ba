#!/usr/bin/env bash
# filereader:V2 basics (the tail scenarios of issue 3 live in test_tail_*.sh):
#   1. several glob patterns, `exclude` (by name), a symlink to a matched file (read once),
#      exit_on_eof: each file's lines exactly once, excluded files not read.
#   2. resume: a second exit_on_eof run with the stored checkpoints reads only appended lines.
#   3. read_from: tail on a first run (no checkpoints) skips existing lines, reads new ones;
#      with inotify: false (polling fallback) appended lines still arrive; SIGTERM exits 0.
#   4. a bad option value is refused with its JSON path.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/logs" "$TMP/links"
seq -f 'a %g' 1 1000 >"$TMP/logs/a.log"
seq -f 'b %g' 1 500 >"$TMP/logs/b.log"
seq -f 'skip %g' 1 10 >"$TMP/logs/c.log.gz"
seq -f 'x %g' 1 10 >"$TMP/logs/x.log"
ln -s "$TMP/logs/a.log" "$TMP/links/a-link.log"

cfg() { # cfg EXTRA_JSON
    echo '{"inputs":[{"plugin":"filereader:V2","path":["'"$TMP"'/logs/*","'"$TMP"'/links/*.log"],'\
'"exclude":["*.gz","'"$TMP"'/logs/x.*"]'"$1"'}],"filters":[]}'
}

# 1.
check "globs, exclude, symlink dedupe, exit_on_eof"
expect_exit 0 "$MAFIO" -f "$(cfg ',"exit_on_eof":true')" -data-dir="$TMP/data" -http-address=off
[ "$(grep -c '^a ' "$OUT")" -eq 1000 ] || fail "a.log: expected 1000 lines once (symlink deduped), got $(grep -c '^a ' "$OUT")"
[ "$(grep -c '^b ' "$OUT")" -eq 500 ] || fail "b.log: expected 500 lines"
grep -q '^skip\|^x ' "$OUT" && fail "excluded files were read"
[ "$(grep '^a ' "$OUT" | sort -k2n | uniq | wc -l)" -eq 1000 ] || fail "a.log lines repeated"
grep '^a ' "$OUT" | cut -d' ' -f2 | sort -nc || fail "a.log lines out of order"

# 2.
check "a second run resumes from the stored checkpoints"
seq -f 'a %g' 1001 1010 >>"$TMP/logs/a.log"
expect_exit 0 "$MAFIO" -f "$(cfg ',"exit_on_eof":true')" -data-dir="$TMP/data" -http-address=off
[ "$(wc -l <"$OUT")" -eq 10 ] || fail "expected only the 10 appended lines, got $(wc -l <"$OUT")"
[ "$(head -1 "$OUT")" = "a 1001" ] || fail "expected 'a 1001' first, got '$(head -1 "$OUT")'"
expect_stderr_contains "resuming"

# 3.
check "read_from tail + polling fallback follows appended lines"
"$MAFIO" -f "$(cfg ',"read_from":"tail","inotify":false,"poll_interval":"50ms"')" \
    -data-dir="$TMP/data-tail" -http-address=off >"$TMP/tail.out" 2>"$ERR" &
pid=$!
BG_PIDS+=("$pid")
sleep 1 # let the first scan see the files as they are (tail: nothing to read)
printf 'b new 1\nb new 2\n' >>"$TMP/logs/b.log"
wait_for_file "$TMP/tail.out" 16
kill -TERM "$pid"
wait_exit "$pid"
[ "$RC" -eq 0 ] || fail "after SIGTERM, exit code $(_describe_rc "$RC"), expected 0"
[ "$(cat "$TMP/tail.out")" = "$(printf 'b new 1\nb new 2')" ] ||
    fail "read_from tail: expected only the 2 new lines, got: $(head -c 300 "$TMP/tail.out")"

# 4.
check "a bad option value names its path"
expect_exit 1 "$MAFIO" -f "$(cfg ',"long_lines":"wrap"')" -data-dir="$TMP/data" -http-address=off
expect_stderr_contains "long_lines"

pass
