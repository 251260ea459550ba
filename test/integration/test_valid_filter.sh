#!/usr/bin/env bash
# The valid filter drops exactly the empty, whitespace-only and invalid-UTF-8 records.
# Kept: ordinary text, multi-byte UTF-8, lines with NUL bytes (NUL is valid UTF-8 and not
# whitespace), CRLF lines (the "\r" stays part of the record and is written back unchanged).
# Dropped: "", spaces/tabs/\v/\f only, a line that is just "\r" (whitespace-only), overlong
# encodings, UTF-16 surrogates, truncated sequences, stray continuation bytes, 0xFF, > U+10FFFF.
#   1. default pipeline (stdin -> valid -> stdout): output == expected file.
#   2. -filter=valid explicitly: the same.
#   3. -filter= (no filter): output == input byte for byte (the drops come from valid alone).
. "$(dirname "$0")/lib.sh"

keep() { printf "$1"'\n' >>"$TMP/in.txt"; printf "$1"'\n' >>"$TMP/expected.txt"; }
drop() { printf "$1"'\n' >>"$TMP/in.txt"; }
: >"$TMP/in.txt"
: >"$TMP/expected.txt"

keep 'hello world'
drop ''                                 # empty
keep '  indented, trailing spaces  '
drop '   '                              # spaces only
drop '\t \t'                            # tabs and spaces
drop '\v\f '                            # other ASCII whitespace
drop '\r'                               # CRLF empty line: just "\r", whitespace-only
drop ' \t\r'                            # whitespace then CR
keep 'crlf line\r'                      # CRLF line: kept, "\r" preserved
keep 'caf\303\251 na\303\257ve'         # 2-byte UTF-8
keep '\342\202\254 euro, \360\237\230\200 emoji, \344\270\255\346\226\207'  # 3- and 4-byte
keep 'nul\000inside'                    # NUL in the middle
keep '\000'                             # a lone NUL: valid UTF-8 (U+0000), not whitespace
keep '\000\000trailing text'
drop 'overlong slash \300\257'          # overlong 2-byte "/"
drop 'overlong \340\200\257 3-byte'     # overlong 3-byte
drop 'overlong \360\200\200\257 4-byte' # overlong 4-byte
drop '\300\200'                         # overlong NUL (modified UTF-8)
drop 'surrogate \355\240\200 high'      # U+D800
drop 'surrogate \355\277\277 low'       # U+DFFF
drop 'truncated at end \342\202'        # 3-byte sequence cut short at end of line
drop 'truncated \342\202 in middle'     # cut short before ASCII
drop 'truncated 4 \360\237\230'         # 4-byte sequence cut short
drop '\200 stray continuation'          # continuation byte without lead
drop 'ff byte \377'                     # never valid
drop 'beyond U+10FFFF \364\220\200\200' # too large code point
drop 'latin-1 caf\351'                  # ISO-8859-1, not UTF-8
keep 'max code point \364\217\277\277'  # U+10FFFF is valid
keep 'last good line'

kept=$(wc -l <"$TMP/expected.txt")
total=$(wc -l <"$TMP/in.txt")
log "fixture: $total lines, $kept to keep, $((total - kept)) to drop"

expect_exit 0 "$MAFIO" <"$TMP/in.txt"
expect_same_file "$TMP/expected.txt" "$OUT" "stdout of the default pipeline (valid)"

expect_exit 0 "$MAFIO" -filter=valid <"$TMP/in.txt"
expect_same_file "$TMP/expected.txt" "$OUT" "stdout of -filter=valid"

expect_exit 0 "$MAFIO" -filter= <"$TMP/in.txt"
expect_same_file "$TMP/in.txt" "$OUT" "stdout of -filter= (no filter)"

pass
