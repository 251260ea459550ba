#!/usr/bin/env bash
#   1. -version: exit 0, first line "mafio 0.4.0", the original agent's ASCII-art banner (each
#      line verbatim, trailing spaces aside), "Version 0.4.0" and the plugin ABI version
#      "ABI 1.2"; -version -q prints "0.4.0" alone; -q without -version is refused.
#   2. -h: exit 0, lists the original flags with their defaults (and -m-id/-m-group), the
#      config-only keys and three examples, the first of which runs as written.
#   3. -check with a good config: exit 0 and nothing started (stdin never sends EOF, the logr
#      file is not created); with a config naming a missing plugin: exit 1, "not found".
#   4. A closed stdout pipe (`yes | mafio | head -1`) ends the agent quietly: its own exit
#      status is 0 and it logs no error.
. "$(dirname "$0")/lib.sh"

# 1. The banner of ORIGINAL-README.md (the Go agent's `go run main.go`), without trailing spaces.
BANNER=(
    '                _____.__'
    '  _____ _____ _/ ____\__| ____'
    ' /     \\__  \\   __\|  |/  _ \'
    '|  Y Y  \/ __ \|  |  |  (  <_> )'
    '|__|_|  (____  /__|  |__|\____/'
    '      \/     \/'
)
expect_exit 0 "$MAFIO" -version
sed 's/[[:space:]]*$//' "$OUT" >"$TMP/version.txt"
for l in "${BANNER[@]}"; do
    check "-version shows banner line: $l"
    grep -qxF -- "$l" "$TMP/version.txt" || fail "banner line missing: [$l]; got:
$(cat "$OUT")"
done
check "the banner lines are consecutive and in order"
first=$(grep -nxF -- "${BANNER[0]}" "$TMP/version.txt" | head -n 1 | cut -d: -f1)
for ((i = 1; i < ${#BANNER[@]}; i++)); do
    [ "$(sed -n "$((first + i))p" "$TMP/version.txt")" = "${BANNER[$i]}" ] ||
        fail "banner line $((i + 1)) is not right after line $i"
done
expect_stdout_contains "Version 0.4.0" "ABI 1.2"
check "the first line of -version is \"mafio 0.4.0\""
[ "$(head -n 1 "$OUT")" = "mafio 0.4.0" ] || fail "first line: $(head -n 1 "$OUT")"
expect_exit 0 "$MAFIO" -version -q
check "-version -q prints the version alone"
[ "$(cat "$OUT")" = "0.4.0" ] || fail "-version -q printed: $(cat "$OUT")"
expect_exit 1 "$MAFIO" -q
expect_stderr_contains "-q: only means something with -version"

# 2. -h
expect_exit 0 "$MAFIO" -h
cat "$OUT" "$ERR" >"$TMP/help.txt"
for f in agent-id agent-group config etcd-endpoint filepath http-address influxdb-addr \
    max-read-channel-size max-write-bulk-size max-write-channel-size input filter output \
    version plugins-dir data-dir log-level list-plugins check; do
    check "-h mentions -$f"
    grep -qE -- "-$f([^a-z-]|\$)" "$TMP/help.txt" || fail "-h does not mention -$f"
done
for d in sky01 net01 0.0.0.0:2379 0.0.0.0:10630 4096 500 stdin valid stdout; do
    check "-h shows the default $d"
    grep -qF -- "$d" "$TMP/help.txt" || fail "-h does not show the default $d"
done
for k in -m-id -m-group shutdown_grace checkpoint_interval retry_initial docs/configuration.md; do
    check "-h mentions $k"
    grep -qF -- "$k" "$TMP/help.txt" || fail "-h does not mention $k"
done
check "-h shows three examples"
[ "$(grep -cE '^ +mafio -' "$TMP/help.txt")" -eq 3 ] || fail "expected 3 example commands"
# The first example, with the file and (for a bounded run) no API and a private data dir.
example=$(grep -E '^ +mafio -input=file' "$TMP/help.txt" | head -n 1)
check "the first example reads a file to stdout: $example"
[[ "$example" == *"-filepath=/var/log/app.log"* ]] || fail "the first example changed: $example"
printf 'first\nsecond\n' >"$TMP/app.log"
read -ra words <<<"${example//\/var\/log\/app.log/$TMP/app.log}"
"$MAFIO" "${words[@]:1}" -http-address=off -data-dir="$TMP/example-data" >"$TMP/example.out" \
    2>"$TMP/example.err" &
example_pid=$!
wait_until "the example printed both lines" grep -qx second "$TMP/example.out"
kill -TERM "$example_pid"
wait_exit "$example_pid"
[ "$RC" -eq 0 ] || fail "the example exited $(_describe_rc "$RC") on SIGTERM: $(cat "$TMP/example.err")"
[ "$(head -n 1 "$TMP/example.out")" = "first" ] || fail "example output: $(cat "$TMP/example.out")"

# 3. -check
open_idle_stdin
L="$TMP/check-logr.log"
printf '%s\n' '{"inputs": [{"plugin": "stdin"}], "filters": [{"plugin": "valid"}],' \
    ' "outputs": [{"plugin": "stdout"}, {"plugin": "logr", "path": "'"$L"'"}]}' >"$TMP/good.json"
MAFIO_TEST_TIMEOUT=30 expect_exit 0 "$MAFIO" -check -config "$TMP/good.json" <"$IDLE_STDIN"
check "-check started nothing: $L does not exist (and it did not wait for stdin's EOF)"
[ ! -e "$L" ] || fail "-check created $L: the logr output was started"

printf '%s\n' '{"outputs": [{"plugin": "stdout"}, {"plugin": "nosuchplugin"}]}' >"$TMP/missing.json"
MAFIO_TEST_TIMEOUT=30 expect_exit 1 "$MAFIO" -check -config "$TMP/missing.json" <"$IDLE_STDIN"
expect_stderr_contains "nosuchplugin" "not found"

# 4. A closed pipe: an endless input, a reader that leaves after one line.
check "yes | mafio | head -n 1: mafio's own exit status is 0"
yes 'a line that goes on and on' | timeout -k 10 "$MAFIO_TEST_TIMEOUT" "$MAFIO" 2>"$ERR" | head -n 1 >"$TMP/head.out"
st=("${PIPESTATUS[@]}")
RC=${st[1]}
[ "$RC" -eq 0 ] || fail "mafio exited $(_describe_rc "$RC") when its stdout closed (expected 0)"
[ "$(cat "$TMP/head.out")" = "a line that goes on and on" ] || fail "head got: $(cat "$TMP/head.out")"
check "no error logged for a closed pipe"
! awk '{ print $2 }' "$ERR" | grep -qixE 'error|fatal' || fail "an error was logged for a closed pipe"

check "seq 1 1000000 | mafio | head -n 1: exit 0"
seq 1 1000000 | timeout -k 10 "$MAFIO_TEST_TIMEOUT" "$MAFIO" 2>"$ERR" | head -n 1 >"$TMP/head.out"
st=("${PIPESTATUS[@]}")
RC=${st[1]}
[ "$RC" -eq 0 ] || fail "mafio exited $(_describe_rc "$RC") when its stdout closed (expected 0)"
[ "$(cat "$TMP/head.out")" = "1" ] || fail "head got: $(cat "$TMP/head.out")"

pass
