#!/usr/bin/env bash
# exit_on_eof with a matched file that cannot be opened (issue 16, item 4): the agent reads
# every other file, retries the unreadable one at a bounded number of scans, then exits with
# status 2 and an error naming the file, instead of waiting forever.
#
# The tests run as root, and root opens any file whatever its mode. So unreadability is
# provoked in two ways, both real "open() fails with EACCES":
#   1. the agent runs as user nobody (setpriv) and the file is root's, mode 0600;
#   2. (as root) the file is a symlink to a write-only sysctl file, /proc/sys/vm/drop_caches
#      (mode 0200): procfs checks sysctl modes for root too. Skipped where that file is absent
#      or readable.
#   3. as nobody again, the file becomes readable before the agent gives up: it is read, exit 0.
#   4. without exit_on_eof: the unreadable file is reported on /health (warn_unreadable) and
#      read once it can be opened.
. "$(dirname "$0")/tail_lib.sh"

command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed"
command -v curl >/dev/null || fail "curl is needed"
NOBODY=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
chmod 755 "$TMP" # nobody must reach the files, and the agent's data dir below

# setup DIR: ok.log (readable, 3 lines, the last without a newline) and secret.log (root's,
# 0600); a data dir nobody can write.
setup() {
    mkdir -p "$1/logs" "$1/data"
    printf 'ok:1:a\nok:2:b\nok:3:c' >"$1/logs/ok.log"
    printf 'secret:1:x\n' >"$1/logs/secret.log"
    chmod 644 "$1/logs/ok.log"
    chmod 600 "$1/logs/secret.log"
    chown nobody "$1/data"
}
config() { # PATTERN SCAN_INTERVAL [EXTRA]
    reader_config "\"path\":$(json_str "$1"),\"exit_on_eof\":true,\"scan_interval\":\"$2\"${3:-}" '{"plugin":"stdout"}'
}

# 1. As nobody, secret.log stays unreadable.
setup "$TMP/a"
expect_exit 2 "${NOBODY[@]}" "$MAFIO" -data-dir="$TMP/a/data" -http-address=off \
    -f "$(config "$TMP/a/logs/*.log" 50ms)"
expect_stderr_contains "cannot open \"$TMP/a/logs/secret.log\": Permission denied" \
    "exit_on_eof: cannot open \"$TMP/a/logs/secret.log\": Permission denied (tried at 5 scans)" \
    "every other file was read to its end"
check "every line of the readable file was delivered, its unterminated last one too"
[ "$(cat "$OUT")" = "$(printf 'ok:1:a\nok:2:b\nok:3:c')" ] || fail "stdout: $(head -c 300 "$OUT")"
check "the unreadable file's failure was logged once, not at every attempt"
[ "$(grep -c "cannot open \"$TMP/a/logs/secret.log\": Permission denied; trying again" "$ERR")" -eq 1 ] ||
    fail "logged $(grep -c "cannot open \"$TMP/a/logs/secret.log\"" "$ERR") times"

# 2. As root, a file whose open fails for root too.
if [ -e /proc/sys/vm/drop_caches ] && ! cat /proc/sys/vm/drop_caches >/dev/null 2>&1; then
    mkdir -p "$TMP/b/logs"
    printf 'ok:1:a\n' >"$TMP/b/logs/ok.log"
    ln -s /proc/sys/vm/drop_caches "$TMP/b/logs/wo.log"
    expect_exit 2 "$MAFIO" -data-dir="$TMP/b/data" -http-address=off -f "$(config "$TMP/b/logs/*.log" 50ms)"
    expect_stderr_contains "exit_on_eof: cannot open \"$TMP/b/logs/wo.log\": Permission denied"
    [ "$(cat "$OUT")" = "ok:1:a" ] || fail "stdout: $(head -c 300 "$OUT")"
else
    log "skipped case 2: /proc/sys/vm/drop_caches is absent or readable here"
fi

# 3. As nobody, secret.log becomes readable after the first failure: read, exit 0. The scans
#    are 2 s apart, so the 5 scans before giving up leave ample time for the chmod.
setup "$TMP/c"
"${NOBODY[@]}" "$MAFIO" -data-dir="$TMP/c/data" -http-address=off \
    -f "$(config "$TMP/c/logs/*.log" 2s)" >"$OUT" 2>"$ERR" &
AGENT_PID=$!
BG_PIDS+=("$AGENT_PID")
wait_until "the agent says it cannot open secret.log" grep -qF "cannot open \"$TMP/c/logs/secret.log\"" "$ERR"
chmod 644 "$TMP/c/logs/secret.log"
wait_exit "$AGENT_PID"
[ "$RC" -eq 0 ] || fail "exit code $(_describe_rc "$RC") after secret.log became readable, expected 0"
expect_stderr_contains "\"$TMP/c/logs/secret.log\" can be opened now"
check "both files were delivered"
[ "$(sort "$OUT")" = "$(printf 'ok:1:a\nok:2:b\nok:3:c\nsecret:1:x')" ] || fail "stdout: $(head -c 300 "$OUT")"

# 4. Tailing (no exit_on_eof): /health lists the unreadable file as a warning, then not.
setup "$TMP/d"
PORT="$(free_port)"
"${NOBODY[@]}" "$MAFIO" -data-dir="$TMP/d/data" -http-address="127.0.0.1:$PORT" \
    -f "$(reader_config "\"id\":\"tail\",\"path\":$(json_str "$TMP/d/logs/*.log"),\"scan_interval\":\"100ms\"" '{"plugin":"stdout"}')" \
    >"$OUT" 2>"$ERR" &
AGENT_PID=$!
BG_PIDS+=("$AGENT_PID")
health_says() {
    curl -s --max-time 20 "http://127.0.0.1:$PORT/health" >"$TMP/health.json" 2>/dev/null &&
        grep -qF -- "$1" "$TMP/health.json" && grep -qF '"status": "ok"' "$TMP/health.json"
}
health_lacks_warnings() {
    curl -s --max-time 20 "http://127.0.0.1:$PORT/health" >"$TMP/health.json" 2>/dev/null &&
        grep -qF '"status": "ok"' "$TMP/health.json" && ! grep -q warnings "$TMP/health.json"
}
wait_until "/health warns about the unreadable file (status ok)" health_says "tail: unreadable (matched files that cannot be opened"
chmod 644 "$TMP/d/logs/secret.log"
wait_until "secret.log is read once it can be" grep -q 'secret:1:x' "$OUT"
wait_until "/health has no warning any more" health_lacks_warnings
stop_agent
pass
