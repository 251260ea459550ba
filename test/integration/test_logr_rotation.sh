#!/usr/bin/env bash
# logr rotates at max_size to path.1 .. path.N, never splits a record, keeps max_files.
#   1. max_size 64KiB, max_files 1000 (nothing dropped): cat path.N .. path.1 path == input,
#      every file ends with "\n" (no record split across files), indices are 1..N without gaps,
#      each file is at most max_size plus one record, and there was rotation (N >= 2).
#   2. max_size 64KiB, max_files 3: at most 3 rotated files remain (no path.4), and
#      cat path.N .. path.1 path is a suffix of the input starting at a line boundary, shorter
#      than the input (the oldest were dropped).
. "$(dirname "$0")/lib.sh"

# ~1.2 MB of records of varying length (20..220 bytes) so boundaries fall everywhere.
awk 'BEGIN { for (i = 1; i <= 12000; i++) { printf "record %06d ", i; n = (i * 37) % 200; for (j = 0; j < n; j++) printf "%c", 97 + (i + j) % 26; printf "\n" } }' >"$TMP/in.txt"
MAX=65536
LONGEST=$(awk '{ if (length($0) + 1 > m) m = length($0) + 1 } END { print m }' "$TMP/in.txt")

# Concatenates path.N .. path.1 path into $2; sets NROT (N).
collect() {
    local p="$1" out="$2" i
    NROT=0
    while [ -e "$p.$((NROT + 1))" ]; do NROT=$((NROT + 1)); done
    : >"$out"
    for ((i = NROT; i >= 1; i--)); do cat "$p.$i" >>"$out"; done
    [ -e "$p" ] && cat "$p" >>"$out"
    # Only path.1 .. path.N beside path: a gap in the numbering would hide a lost file.
    local f count=0
    for f in "$p".*; do
        [ -e "$f" ] || continue
        [[ "${f#"$p".}" =~ ^[0-9]+$ ]] || fail "unexpected file beside the rotation sequence: $f"
        count=$((count + 1))
    done
    [ "$count" -eq "$NROT" ] || fail "rotated files are not numbered 1..$NROT without gaps: $(cd "$(dirname "$p")" && ls)"
}

check_files() { # PATH: every file ends with a newline and is at most MAX + LONGEST bytes
    local f
    for f in "$1" "$1".*; do
        [ -e "$f" ] || continue
        [ -s "$f" ] || continue
        [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
            fail "$(basename "$f") does not end with a newline: a record was split across files"
        [ "$(file_size "$f")" -le $((MAX + LONGEST)) ] ||
            fail "$(basename "$f") has $(file_size "$f") bytes, more than max_size $MAX + one record ($LONGEST)"
    done
}

# 1. Nothing dropped.
mkdir -p "$TMP/a"
P="$TMP/a/app.log"
expect_exit 0 "$MAFIO" -f '{"outputs":[{"plugin":"logr","path":"'"$P"'","max_size":"64KiB","max_files":1000}]}' <"$TMP/in.txt"
collect "$P" "$TMP/a.cat"
log "rotated files: $NROT"
check "there was rotation (at least 2 rotated files for $(file_size "$TMP/in.txt") bytes at 64KiB)"
[ "$NROT" -ge 2 ] || fail "only $NROT rotated files"
check_files "$P"
expect_same_file "$TMP/in.txt" "$TMP/a.cat" "cat app.log.$NROT .. app.log.1 app.log"

# 2. Oldest dropped.
mkdir -p "$TMP/b"
P="$TMP/b/app.log"
expect_exit 0 "$MAFIO" -f '{"outputs":[{"plugin":"logr","path":"'"$P"'","max_size":"64KiB","max_files":3}]}' <"$TMP/in.txt"
collect "$P" "$TMP/b.cat"
log "rotated files kept: $NROT"
check "at most max_files=3 rotated files, and no app.log.4"
[ "$NROT" -le 3 ] || fail "$NROT rotated files kept, max_files is 3"
[ ! -e "$P.4" ] || fail "app.log.4 exists"
check_files "$P"
size=$(file_size "$TMP/b.cat")
total=$(file_size "$TMP/in.txt")
check "the remaining files are a suffix of the input on a line boundary ($size of $total bytes)"
[ "$size" -gt 0 ] && [ "$size" -lt "$total" ] || fail "kept $size of $total bytes: expected a proper suffix"
tail -c "$size" "$TMP/in.txt" >"$TMP/b.expected"
expect_same_file "$TMP/b.expected" "$TMP/b.cat" "cat of the kept files (input suffix)"
[ "$(head -c $((total - size)) "$TMP/in.txt" | tail -c 1 | od -An -c | tr -d ' ')" = '\n' ] ||
    fail "the kept files start in the middle of a record"

pass
