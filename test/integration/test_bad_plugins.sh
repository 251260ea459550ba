#!/usr/bin/env bash
# Each broken fixture plugin (test/fixtures) is refused at load time with exit code 1, one error
# line that names the plugin file's path and what was wrong (a key phrase per fixture), and a
# message of its own (no two fixtures give the same message). Never a crash.
# Then: a plugin built for a newer ABI minor loads and works; a plugin whose code crashes while
# the agent loads it (in a constructor, in its entry function) is named with the signal, not a
# bare exit 139; a good plugin of the wrong kind is refused in plain words ("an output plugin");
# -check refuses a bad plugin too; an output that throws on every 2nd write() is survived (exit 0,
# error logged, later batches delivered); -list-plugins over the fixtures directory does not crash.
. "$(dirname "$0")/lib.sh"

# fixture  key phrases that must be on the error line with the path (case-insensitive)
CASES=(
    "badmajor|major"
    "badmagic|magic"
    "noentry|mafio_plugin_entry_v1"
    "nullentry|null"
    "smallstruct|struct_size"
    "wrongname|name|othername"
    "wrongtag|tag|V2"
    "nocallback|write|an output plugin"
    "notelf|"
    "wrongarch|built for|this host is"
    "wrongclass|built for i386 (32-bit)|(64-bit)"
)

declare -A MESSAGE
for c in "${CASES[@]}"; do
    IFS='|' read -r -a parts <<<"$c"
    fx="${parts[0]}"
    log "---- $fx-V1.so"
    make_plugins_dir "$fx-V1"
    so="$PLUGDIR/$fx-V1.so"
    expect_exit 1 "$MAFIO" -plugins-dir "$PLUGDIR" -input=stdin -output="$fx:V1"
    check "an error line names $so"
    line="$(grep -F -- "$so" "$ERR" | head -n 1)"
    [ -n "$line" ] || fail "$fx: no stderr line names the file $so"
    # Phrases are looked for with the path and the fixture's name taken out, since the name
    # itself contains words like "null", "name" or "tag".
    rest="${line//"$so"/}"
    rest="${rest//"$fx"/}"
    for phrase in "${parts[@]:1}"; do
        [ -n "$phrase" ] || continue
        check "that line also says \"$phrase\""
        grep -qiF -- "$phrase" <<<"$rest" || fail "$fx: the error line does not say \"$phrase\": $line"
    done
    # The message without timestamp, level, directory and the fixture's own name.
    norm="$(sed -E 's/^[0-9]{4}-[0-9-]+[T ][0-9:.,]+Z? +[a-zA-Z]+ +//' <<<"$line")"
    norm="${norm//"$PLUGDIR"/DIR}"
    norm="${norm//"$fx"/FX}"
    MESSAGE[$fx]="$norm"
done

check "every fixture has a message of its own"
dups="$(printf '%s\n' "${MESSAGE[@]}" | sort | uniq -d)"
[ -z "$dups" ] || fail "several fixtures got the same message: $dups"

check "a plugin of another architecture is not reported as a missing file"
grep -qi "no such file" <<<"${MESSAGE[wrongarch]}" && fail "wrongarch: ${MESSAGE[wrongarch]}"
case "$(uname -m)" in
x86_64) grep -qF "built for aarch64, this host is x86_64" <<<"${MESSAGE[wrongarch]}" ||
    fail "wrongarch on x86_64: ${MESSAGE[wrongarch]}" ;;
esac

# newerminor-V1 says ABI 1.(host minor + 1): minors only append, so it loads, says so at info
# level, and works: its write() prints every record, so the output is the input.
log "---- newerminor-V1.so"
make_plugins_dir newerminor-V1
seq 1 1000 >"$TMP/minor.in"
expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -input=stdin -output=newerminor:V1 \
    -http-address=off <"$TMP/minor.in"
expect_stderr_contains "$PLUGDIR/newerminor-V1.so" "newer than this host" "loaded"
expect_same_file "$TMP/minor.in" "$OUT" "what newerminor-V1 wrote"
expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -check -output=newerminor:V1

# A plugin whose own code crashes while the agent loads it: the process still dies of the signal
# (nothing can be trusted after a fault in foreign code), but one log line names the file, the
# signal and where it happened.
for c in "crashctor|constructor" "crashentry|entry function"; do
    fx="${c%%|*}"
    log "---- $fx-V1.so loaded by the agent"
    make_plugins_dir "$fx-V1"
    run "$MAFIO" -plugins-dir "$PLUGDIR" -input=stdin -output="$fx:V1" -http-address=off
    check "the agent died of SIGSEGV (exit 139 from the shell), not of something else"
    [ "$RC" -eq 139 ] || fail "$fx: expected exit 139 (SIGSEGV), got $(_describe_rc "$RC")"
    expect_stderr_contains "plugin file $PLUGDIR/$fx-V1.so crashed while loading" "signal 11" \
        "SIGSEGV" "${c#*|}"
    expect_log_format
done

# A good plugin asked for as the wrong kind: slow-V1 is an output.
make_plugins_dir slow-V1
expect_exit 1 "$MAFIO" -plugins-dir "$PLUGDIR" -input=slow:V1
expect_stderr_contains "$PLUGDIR/slow-V1.so" "is an output plugin" "needs an input plugin"

# -check loads every plugin named, so it refuses a broken one too.
make_plugins_dir badmagic-V1
expect_exit 1 "$MAFIO" -check -plugins-dir "$PLUGDIR" -output=badmagic:V1
expect_stderr_contains "$PLUGDIR/badmagic-V1.so" "magic"

# throws-V1: write() throws on calls 2, 4, 6, ...; the records of calls 1, 3, 5, ... reach its
# file. The agent logs the error, keeps going and exits 0 at EOF.
log "---- throws-V1.so"
make_plugins_dir throws-V1
seq 1 20000 >"$TMP/in.txt"
T="$TMP/throws.out"
expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -max-write-bulk-size=100 \
    -f '{"outputs":[{"plugin":"throws:V1","path":"'"$T"'"}]}' <"$TMP/in.txt"
expect_stderr_contains "deliberate failure on write call"
check "records after a failed write() were still delivered (the agent carried on)"
[ -s "$T" ] || fail "throws-V1 got no records at all"
got=$(wc -l <"$T")
[ "$got" -lt 20000 ] || fail "all 20000 records were written, so no write() failed: is the fixture used?"
# Records of a failed call are missing in the middle: the file is not just 1..got.
seq 1 "$got" | cmp -s - "$T" && fail "throws-V1 got only 1..$got: nothing was delivered after the first failure"
log "throws-V1 wrote $got of 20000 records, the rest failed and were counted"

# -list-plugins over a directory of mostly broken plugins (some crash or hang while loading,
# test_plugin_listing.sh looks at those): no crash, the good ones are listed.
expect_no_crash "$MAFIO" -plugins-dir "$MAFIO_TEST_PLUGINS" -list-plugins
check "-list-plugins lists the good fixtures slow:V1 and counter:V1"
grep -qF "slow:V1" "$OUT" || fail "-list-plugins does not list slow:V1: $(head -c 600 "$OUT")"
grep -qF "counter:V1" "$OUT" || fail "-list-plugins does not list counter:V1"
check "-list-plugins reports each broken fixture (with its path) instead of hiding it"
for c in "${CASES[@]}"; do
    fx="${c%%|*}"
    grep -qF "$MAFIO_TEST_PLUGINS/$fx-V1.so" "$OUT" "$ERR" ||
        fail "-list-plugins does not mention $MAFIO_TEST_PLUGINS/$fx-V1.so"
done

pass
