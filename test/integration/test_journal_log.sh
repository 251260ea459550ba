#!/usr/bin/env bash
# When stderr is the systemd journal the agent leaves its own timestamp out (the journal stamps
# each line) and starts each line with the syslog priority journald reads ("<6>info ...").
# systemd says so with JOURNAL_STREAM=<device>:<inode> of the stream; the agent compares it
# with its stderr, so the variable alone (inherited, stderr elsewhere) changes nothing:
#   1. JOURNAL_STREAM naming the stderr file: no timestamps, "<N>level" lines;
#   2. JOURNAL_STREAM naming another file: timestamps as always;
#   3. no JOURNAL_STREAM: timestamps.
. "$(dirname "$0")/lib.sh"
printf 'a\nb\n' >"$TMP/in.txt"
# A configuration that logs an error and a warning: an input that cannot start.
CONF="{\"inputs\": [{\"plugin\": \"filereader:V1\", \"path\": \"$TMP/missing.log\"}]}"

check "JOURNAL_STREAM names stderr: lines carry a priority and no timestamp"
: >"$ERR"
stream="$(stat -c '%d:%i' "$ERR")"
env JOURNAL_STREAM="$stream" timeout -k 10 "$MAFIO_TEST_TIMEOUT" "$MAFIO" -http-address off \
    -data-dir "$TMP/data" -f "$CONF" >"$OUT" 2>>"$ERR"
RC=$?
[ "$RC" -eq 2 ] || fail "expected exit 2, got $(_describe_rc "$RC")"
[ "$(stat -c '%d:%i' "$ERR")" = "$stream" ] || fail "stderr file was replaced"
expect_stderr_contains "$TMP/missing.log"
[ -s "$ERR" ] || fail "no log lines"
bad="$(grep -vE '^<[3467]>(debug|info |warn |error) ' "$ERR" | head -n 3)"
[ -z "$bad" ] || fail "lines without a priority prefix: $bad"
grep -qE '^<3>error ' "$ERR" || fail "no error line with priority 3"
grep -qE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z' "$ERR" && fail "a timestamp is still there"

check "JOURNAL_STREAM naming another file (inherited): timestamps stay"
run env JOURNAL_STREAM="$(stat -c '%d:%i' "$TMP/in.txt")" "$MAFIO" -http-address off \
    -data-dir "$TMP/data" -f "$CONF"
[ "$RC" -eq 2 ] || fail "expected exit 2, got $(_describe_rc "$RC")"
expect_log_format

check "no JOURNAL_STREAM: timestamps"
run env -u JOURNAL_STREAM "$MAFIO" -http-address off -data-dir "$TMP/data" -f "$CONF"
[ "$RC" -eq 2 ] || fail "expected exit 2, got $(_describe_rc "$RC")"
expect_log_format

pass
