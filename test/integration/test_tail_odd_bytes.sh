#!/usr/bin/env bash
# Tailing scenario 10: bytes that are not tidy text. A file with a UTF-8 BOM, invalid UTF-8
# (stray bytes, a cut sequence, an overlong form, a surrogate), a NUL inside a line, a CRLF
# line, empty and whitespace-only lines. As documented (README, "Records are lines without
# their terminator"): a record is the bytes of a line without its '\n', so a CRLF line keeps its
# '\r', a NUL and a BOM are ordinary bytes.
#   1. No filter, tailing: the output is the input, byte for byte.
#   2. The `valid` filter, exit_on_eof: the output is the input without the empty and
#      whitespace-only lines (a lone '\r' counts as whitespace) and without the lines that are
#      not valid UTF-8; the NUL line (U+0000 is valid), the BOM line and the CRLF line stay.
. "$(dirname "$0")/tail_lib.sh"

F="$TMP/logs/odd.log"
mkdir -p "$TMP/logs"
# keep: does `valid` keep the line? Its bytes (printf format) follow.
LINES=(
    keep '\xef\xbb\xbfa line after a BOM'
    keep 'plain ascii'
    keep 'caf\xc3\xa9 \xe2\x82\xac valid UTF-8'
    drop 'stray bytes \xff\xfe'
    drop 'a cut sequence \xe2\x82'
    drop 'overlong \xc0\xaf'
    drop 'surrogate \xed\xa0\x80'
    keep 'nul\x00inside'
    keep 'crlf line\r'
    drop ''
    drop '   '
    drop '\r'
    drop '\t'
    keep 'the last line'
)
: >"$F"
: >"$TMP/kept"
for ((i = 0; i < ${#LINES[@]}; i += 2)); do
    # shellcheck disable=SC2059 # the table holds printf formats
    printf "${LINES[i + 1]}\n" >>"$F"
    # shellcheck disable=SC2059
    [ "${LINES[i]}" = keep ] && printf "${LINES[i + 1]}\n" >>"$TMP/kept"
done
count=$((${#LINES[@]} / 2))
log "odd.log: $count lines, $(file_size "$F") bytes, $(wc -l <"$TMP/kept") valid"

# 1. Tailing, no filter.
start_agent "$(reader_config "\"path\":$(json_str "$F")" '{"plugin":"stdout"}')" "$TMP/out"
wait_lines "$count" "$TMP/out"
stop_agent
expect_same_file "$F" "$TMP/out" "the output without filters"

# 2. exit_on_eof through valid.
cfg="$(reader_config "\"path\":$(json_str "$F"),\"exit_on_eof\":true" '{"plugin":"stdout"}')"
cfg="${cfg/'"filters":[]'/'"filters":[{"plugin":"valid"}]'}"
expect_exit 0 "$MAFIO" -data-dir="$TMP/data.valid" -log-level=info -http-address=off -f "$cfg"
expect_same_file "$TMP/kept" "$OUT" "the output through valid"
log "figures: $count lines, $count delivered unfiltered, $(wc -l <"$OUT") through valid, $(elapsed)"
pass
