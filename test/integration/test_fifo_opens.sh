#!/usr/bin/env bash
# Opening a FIFO never blocks the agent (issue 16, item 3). Before, `mafio -config FIFO` (and a
# FIFO as filereader:V1's path) waited in open() for a writer with SIGINT and SIGTERM blocked,
# so only SIGKILL ended it. Now each is refused at once, naming the file and what it is:
#   1. -config FIFO (no writer): exit 1, "a FIFO or pipe; expected a regular file";
#   2. -config <(...) (a pipe with a writer): refused the same way, pointing at -f;
#   3. -config /dev/null (a device): refused, naming it;
#   4. filereader:V1 with a FIFO path: exit 2 (a plugin that cannot start), "is a FIFO".
# A hang is caught by the bound below (30 s, far above a refusal's few milliseconds); that
# bound only turns a hang into a failure, it asserts nothing about speed.
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2034 # read by run() in lib.sh
MAFIO_TEST_TIMEOUT=30
mkfifo "$TMP/conf.fifo" "$TMP/input.fifo"

expect_exit 1 "$MAFIO" -config "$TMP/conf.fifo"
expect_stderr_contains "cannot read config file $TMP/conf.fifo: it is a FIFO or pipe; expected a regular file"
expect_log_format
expect_exit 1 "$MAFIO" -check -config "$TMP/conf.fifo"
expect_stderr_contains "$TMP/conf.fifo: it is a FIFO or pipe"

check "-config <(...): a pipe with a writer is refused too, and -f is named as the way"
run "$MAFIO" -check -config <(echo '{"inputs": [{"plugin": "stdin"}]}')
[ "$RC" -eq 1 ] || fail "expected exit 1, got $(_describe_rc "$RC")"
expect_stderr_contains "it is a FIFO or pipe; expected a regular file (inline JSON can be given with -f)"

expect_exit 1 "$MAFIO" -check -config /dev/null
expect_stderr_contains "cannot read config file /dev/null: it is a character device"

check "filereader:V1 on a FIFO without a writer: refused at start, no hang"
open_idle_stdin
run "$MAFIO" -http-address off -data-dir "$TMP/data" \
    -f "{\"inputs\": [{\"plugin\": \"filereader:V1\", \"path\": \"$TMP/input.fifo\"}]}" <"$IDLE_STDIN"
[ "$RC" -eq 2 ] || fail "expected exit 2, got $(_describe_rc "$RC")"
expect_stderr_contains "path \"$TMP/input.fifo\" is a FIFO (named pipe); expected a regular file"
expect_log_format

pass
