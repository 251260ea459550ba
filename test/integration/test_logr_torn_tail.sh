#!/usr/bin/env bash
# A run killed in the middle of a write (SIGKILL can stop a write between pages) leaves a torn
# last line in logr's file. The next run must cut the fragment off before appending, or the
# first record it writes is glued onto the fragment and lost; the torn record itself was never
# acknowledged and arrives again whole from the input.
. "$(dirname "$0")/lib.sh"

L="$TMP/out.log"
printf 'one\ntwo\nthr' >"$L" # "thr" is what was left of "three" when the agent was killed
printf 'three\nfour\n' >"$TMP/in"

check "logr cuts the torn tail, warns once and appends whole records after the last newline"
expect_exit 0 sh -c "\"$MAFIO\" -http-address off -f '{\"outputs\":[{\"plugin\":\"logr\",\"path\":\"$L\"}]}' <\"$TMP/in\""
printf 'one\ntwo\nthree\nfour\n' >"$TMP/expected"
expect_same_file "$TMP/expected" "$L" "logr file after a torn tail"
expect_stderr_contains "cut 3 bytes after the last newline"

check "a file that ends with a newline is left alone"
expect_exit 0 sh -c "\"$MAFIO\" -http-address off -f '{\"outputs\":[{\"plugin\":\"logr\",\"path\":\"$L\"}]}' <\"$TMP/in\""
printf 'one\ntwo\nthree\nfour\nthree\nfour\n' >"$TMP/expected"
expect_same_file "$TMP/expected" "$L" "logr file appended to"
if grep -qi "cut .* bytes" "$ERR"; then fail "cut bytes of a file that ended with a newline"; fi

check "a file with no newline at all is cut to empty"
printf 'garbage-without-newline' >"$L"
expect_exit 0 sh -c "\"$MAFIO\" -http-address off -f '{\"outputs\":[{\"plugin\":\"logr\",\"path\":\"$L\"}]}' <\"$TMP/in\""
printf 'three\nfour\n' >"$TMP/expected"
expect_same_file "$TMP/expected" "$L" "logr file after a newline-less fragment"

pass
