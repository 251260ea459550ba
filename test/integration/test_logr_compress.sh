#!/usr/bin/env bash
# logr's `compress`, `time_format` and `create_dirs`:
#   1. numbered names, compress, create_dirs (two missing directory levels): every rotated file
#      is a valid .gz (gzip -t), none is left plain, no temp file remains, and
#      gzip -dc app.log.N.gz .. app.log.1.gz + app.log == the input, byte for byte.
#   2. time_format "%Y-%m-%d" (suffix): rotated names are app.log.<date>[.k].gz, and the same
#      concatenation (by date, then k) equals the input.
#   3. time_position "prefix": names are <date>.app.log[.k].gz.
#   4. without create_dirs, a missing directory is refused with a message naming the option,
#      by -check too (issue 16, item 9).
#   5. what a compression killed half-way leaves (a plain rotated file, a plain file beside its
#      complete .gz, an incomplete temp file) is sorted out at the next start.
#   6. SIGKILL while compressing: every .gz under its final name is complete at any moment, and
#      the next start leaves only .gz files whose content plus the live file is what was written.
. "$(dirname "$0")/lib.sh"
command -v gzip >/dev/null || fail "gzip is needed to check the compressed files"

awk 'BEGIN { for (i = 1; i <= 12000; i++) { printf "record %06d ", i; n = (i * 37) % 200; for (j = 0; j < n; j++) printf "%c", 97 + (i + j) % 26; printf "\n" } }' >"$TMP/in.txt"

logr() { # JSON of one logr output with path $1 and extra options $2
    printf '{"outputs":[{"plugin":"logr","path":"%s","max_size":"64KiB","max_files":1000%s}]}' "$1" "${2:+,$2}"
}

# No plain rotated file, no temp file, every .gz passes gzip -t. $1: dir, $2: pattern of rotated
# plain names (an extended regex on the file name).
check_all_compressed() {
    local dir="$1" re="$2" f n=0
    for f in "$dir"/*; do
        local b
        b="$(basename "$f")"
        [[ "$b" == *.gz.tmp ]] && fail "temp file left: $b"
        if [[ "$b" =~ $re\.gz$ ]]; then
            gzip -t "$f" 2>/dev/null || fail "$b is not a valid gzip file"
            n=$((n + 1))
        elif [[ "$b" =~ $re$ ]]; then
            fail "rotated file left uncompressed: $b"
        fi
    done
    NGZ=$n
}

# 1. Numbered.
P="$TMP/new/sub/app.log"
check "compress + create_dirs: $P is created with its directories"
expect_exit 0 "$MAFIO" -http-address off -f "$(logr "$P" '"compress":true,"create_dirs":true')" <"$TMP/in.txt"
[ -f "$P" ] || fail "$P was not created"
check_all_compressed "$TMP/new/sub" '^app\.log\.[0-9]+'
log "compressed rotated files: $NGZ"
[ "$NGZ" -ge 10 ] || fail "only $NGZ compressed files for $(file_size "$TMP/in.txt") bytes at 64KiB"
: >"$TMP/1.cat"
for ((i = NGZ; i >= 1; i--)); do
    [ -f "$P.$i.gz" ] || fail "app.log.$i.gz is missing (not numbered 1..$NGZ)"
    gzip -dc "$P.$i.gz" >>"$TMP/1.cat"
done
cat "$P" >>"$TMP/1.cat"
expect_same_file "$TMP/in.txt" "$TMP/1.cat" "gzip -dc app.log.$NGZ.gz .. app.log.1.gz + app.log"
if grep -qi "cannot compress" "$ERR"; then fail "a compression failed"; fi

# Concatenates the time-named files of $1 (names from awk's $2 field parse) into $2.
cat_timed() { # DIR OUT KEY-AWK: KEY-AWK prints "date k name" for each rotated .gz name
    local dir="$1" out="$2" prog="$3"
    : >"$out"
    while read -r _ _ name; do gzip -dc "$dir/$name" >>"$out"; done < <(
        ls "$dir" | awk "$prog" | sort -k1,1 -k2,2n)
    cat "$dir/app.log" >>"$out"
}

# 2. time_format, suffix.
mkdir -p "$TMP/t"
P="$TMP/t/app.log"
check "time_format %Y-%m-%d: names app.log.<date>[.k].gz"
expect_exit 0 "$MAFIO" -http-address off -f "$(logr "$P" '"compress":true,"time_format":"%Y-%m-%d"')" <"$TMP/in.txt"
check_all_compressed "$TMP/t" '^app\.log\.[0-9]{4}-[0-9]{2}-[0-9]{2}(\.[1-9][0-9]*)?'
[ "$NGZ" -ge 10 ] || fail "only $NGZ compressed files"
others="$(ls "$TMP/t" | grep -Ev '^app\.log(\.[0-9]{4}-[0-9]{2}-[0-9]{2}(\.[1-9][0-9]*)?\.gz)?$' || true)"
[ -z "$others" ] || fail "unexpected files: $others"
cat_timed "$TMP/t" "$TMP/2.cat" '/\.gz$/ { n = split($0, p, "."); k = (n == 5) ? p[4] : 0; print p[3], k, $0 }'
expect_same_file "$TMP/in.txt" "$TMP/2.cat" "the time-named .gz files by date and k + app.log"

# 3. time_format, prefix.
mkdir -p "$TMP/p"
P="$TMP/p/app.log"
check "time_position prefix: names <date>.app.log[.k].gz"
head -c 200000 "$TMP/in.txt" | sed '$d' >"$TMP/small.txt"
expect_exit 0 "$MAFIO" -http-address off -f "$(logr "$P" '"compress":true,"time_format":"%Y-%m-%d","time_position":"prefix"')" <"$TMP/small.txt"
check_all_compressed "$TMP/p" '^[0-9]{4}-[0-9]{2}-[0-9]{2}\.app\.log(\.[1-9][0-9]*)?'
[ "$NGZ" -ge 2 ] || fail "only $NGZ compressed files"
others="$(ls "$TMP/p" | grep -Ev '^(app\.log|[0-9]{4}-[0-9]{2}-[0-9]{2}\.app\.log(\.[1-9][0-9]*)?\.gz)$' || true)"
[ -z "$others" ] || fail "unexpected files: $others"
cat_timed "$TMP/p" "$TMP/3.cat" '/\.gz$/ { n = split($0, p, "."); k = (n == 5) ? p[4] : 0; print p[1], k, $0 }'
expect_same_file "$TMP/small.txt" "$TMP/3.cat" "the prefixed .gz files + app.log"

# 4. No create_dirs.
check "without create_dirs a missing directory is an error that names the option"
# Refused when the output is created (exit 1, a configuration error; -check sees it too), not
# at start.
expect_exit 1 "$MAFIO" -http-address off -f "$(logr "$TMP/missing/app.log")" </dev/null
expect_stderr_contains "does not exist; create it, or set create_dirs: true"
expect_exit 1 "$MAFIO" -check -f "$(logr "$TMP/missing/app.log")"
expect_stderr_contains "outputs[0].path: the directory \"$TMP/missing\""
[ ! -e "$TMP/missing" ] || fail "the directory was created without create_dirs"

# 5. Leftovers of a killed compression.
mkdir -p "$TMP/r"
P="$TMP/r/app.log"
printf 'one\ntwo\n' >"$P.1"                                 # rotated, not yet compressed
printf 'three\n' >"$P.2" && gzip -c "$P.2" >"$P.2.gz"       # killed between rename and unlink
printf 'four\n' | gzip -c >"$P.3.gz"                        # done
printf '\037\213\010 torn' >"$P.gz.tmp"                     # killed while deflating
printf 'five\n' >"$TMP/five"
check "leftovers: the plain rotated file is compressed, the rest removed"
expect_exit 0 "$MAFIO" -http-address off -f "$(logr "$P" '"compress":true')" <"$TMP/five"
[ ! -e "$P.gz.tmp" ] || fail "the incomplete temp file is still there"
[ ! -e "$P.1" ] || fail "app.log.1 was not compressed"
[ ! -e "$P.2" ] || fail "app.log.2 (whose .gz is complete) was not removed"
[ "$(gzip -dc "$P.1.gz")" = $'one\ntwo' ] || fail "app.log.1.gz does not hold app.log.1"
[ "$(gzip -dc "$P.2.gz")" = "three" ] || fail "app.log.2.gz changed"
[ "$(gzip -dc "$P.3.gz")" = "four" ] || fail "app.log.3.gz changed"
[ "$(cat "$P")" = "five" ] || fail "app.log does not hold the new record"
expect_stderr_contains "compressing 1 rotated file(s) left uncompressed by an earlier run" \
    "an incomplete .gz" "its complete .gz is kept"

# 6. SIGKILL while compressing. The input stays open (a FIFO) so the agent is killed, not ended.
mkdir -p "$TMP/k"
P="$TMP/k/app.log"
mkfifo "$TMP/k.fifo"
for i in 1 2 3 4; do cat "$TMP/in.txt"; done >"$TMP/big.txt"
"$MAFIO" -http-address off -f "$(logr "$P" '"compress":true')" <"$TMP/k.fifo" >/dev/null 2>"$TMP/k.err" &
AGENT=$!
BG_PIDS+=("$AGENT")
exec 8>"$TMP/k.fifo"
cat "$TMP/big.txt" >&8
any_gz() { compgen -G "$P.*.gz" >/dev/null; }
wait_until "the first compressed file appears" any_gz
kill -KILL "$AGENT"
wait "$AGENT" 2>/dev/null
exec 8>&-
if [ -e "$P.gz.tmp" ]; then log "killed while a compression was running"; fi
check "after SIGKILL every .gz under its final name is complete"
for f in "$P".*.gz; do gzip -t "$f" 2>/dev/null || fail "$(basename "$f") is torn after SIGKILL"; done
check "the next start finishes the work"
expect_exit 0 "$MAFIO" -http-address off -f "$(logr "$P" '"compress":true')" </dev/null
check_all_compressed "$TMP/k" '^app\.log\.[0-9]+'
# Oldest (highest number) first. A kill in the middle of a rotation's renames may leave a gap
# in the numbering (as without compress); it never changes the order.
: >"$TMP/k.cat"
for i in $(ls "$TMP/k" | sed -n 's/^app\.log\.\([0-9]*\)\.gz$/\1/p' | sort -rn); do
    gzip -dc "$P.$i.gz" >>"$TMP/k.cat"
done
cat "$P" >>"$TMP/k.cat"
size=$(file_size "$TMP/k.cat")
log "written before the kill: $size bytes in $NGZ compressed files + app.log"
head -c "$size" "$TMP/big.txt" >"$TMP/k.expected"
expect_same_file "$TMP/k.expected" "$TMP/k.cat" "everything written before the kill (an input prefix)"

pass
