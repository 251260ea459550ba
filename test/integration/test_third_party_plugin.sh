#!/usr/bin/env bash
# A plugin author's whole path, without mafio's source tree:
#   1. `cmake --install` the build into a temp prefix: binary, plugins, SDK headers and the
#      mafio-plugin-sdk CMake package (with its version file) are there.
#   2. examples/third-party-plugin is configured and built OUT OF TREE against that prefix only
#      (find_package(mafio-plugin-sdk) + mafio_add_plugin), warnings as errors.
#   3. grep_example-V1.so exports exactly one dynamic symbol, mafio_plugin_entry_v1.
#   4. The INSTALLED mafio, with no flag and no MAFIO_PLUGINS_DIR, finds its own plugins
#      (seq passes through byte for byte, -list-plugins shows prefix/lib/mafio/plugins).
#   5. With -plugins-dir holding only grep_example-V1.so, grep keeps exactly the matching lines,
#      `invert` drops exactly them, `ignore_case` works; stdin/stdout still come from the prefix.
#   6. A bad pattern and a missing pattern exit 1 naming filters[0].pattern; nothing is written.
#   7. -describe grep_example:V1 shows the description and the pattern option from the schema.
#   8. `cmake --install` of the plugin puts it where the installed mafio finds it without flags.
. "$(dirname "$0")/lib.sh"
: "${MAFIO_BUILD_DIR:?MAFIO_BUILD_DIR must point to the build tree (ctest sets it)}"
unset MAFIO_PLUGINS_DIR

PREFIX="$TMP/prefix"
check "cmake --install into $PREFIX"
cmake --install "$MAFIO_BUILD_DIR" --prefix "$PREFIX" >"$TMP/install.log" 2>&1 ||
    fail "cmake --install failed: $(tail -n 5 "$TMP/install.log")"
for f in bin/mafio include/mafio/plugin.h include/mafio/plugin.hpp include/mafio/options.hpp \
    include/mafio/units.hpp include/mafio/file_position.hpp \
    lib/cmake/mafio-plugin-sdk/mafio-plugin-sdk-config.cmake \
    lib/cmake/mafio-plugin-sdk/mafio-plugin-sdk-config-version.cmake \
    lib/cmake/mafio-plugin-sdk/MafioAddPlugin.cmake lib/cmake/mafio-plugin-sdk/mafio-plugin.map \
    lib/mafio/plugins/stdin-V1.so lib/mafio/plugins/stdout-V1.so; do
    [ -e "$PREFIX/$f" ] || fail "installed prefix lacks $f"
done
MAFIO_INSTALLED="$PREFIX/bin/mafio"

# Out of tree: the example's sources are copied away from mafio's tree, so nothing but the
# installed prefix can be found (a relative path into the source tree would break here).
cp -r "$MAFIO_SOURCE_DIR/examples/third-party-plugin" "$TMP/src"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
check "configure the example against the installed SDK"
cmake -S "$TMP/src" -B "$TMP/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -DCMAKE_COMPILE_WARNING_AS_ERROR=ON >"$TMP/configure.log" 2>&1 ||
    fail "configure failed: $(tail -n 15 "$TMP/configure.log")"
grep -q "$PREFIX/lib/cmake/mafio-plugin-sdk" "$TMP/build/CMakeCache.txt" ||
    fail "the example did not use the SDK installed in $PREFIX"
check "build the example"
cmake --build "$TMP/build" >"$TMP/build.log" 2>&1 || fail "build failed: $(tail -n 20 "$TMP/build.log")"
SO="$TMP/build/grep_example-V1.so"
[ -f "$SO" ] || fail "the build made no grep_example-V1.so: $(ls "$TMP/build")"

check "grep_example-V1.so exports only mafio_plugin_entry_v1"
syms="$(nm -D --defined-only "$SO" | awk '{print $NF}' | tr '\n' ' ')"
[ "$syms" = "mafio_plugin_entry_v1 " ] || fail "dynamic symbols: $syms"

check "the installed mafio finds its own plugins without any flag"
seq 1 1000 >"$TMP/seq.txt"
run "$MAFIO_INSTALLED" <"$TMP/seq.txt"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
expect_same_file "$TMP/seq.txt" "$OUT" "installed mafio's output"
expect_exit 0 "$MAFIO_INSTALLED" -list-plugins
expect_stdout_contains "$PREFIX/lib/mafio/plugins/stdin-V1.so"

mkdir "$TMP/plugins"
cp "$SO" "$TMP/plugins/"
cat >"$TMP/access.log" <<'LOG'
10.0.0.1 - - [24/Nov/2026:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 512
10.0.0.2 - - [24/Nov/2026:10:00:02 +0000] "GET /missing HTTP/1.1" 404 0
10.0.0.3 - - [24/Nov/2026:10:00:03 +0000] "POST /api/orders HTTP/1.1" 201 88
10.0.0.4 - - [24/Nov/2026:10:00:04 +0000] "GET /api/orders/7 HTTP/1.1" 500 17
10.0.0.5 - - [24/Nov/2026:10:00:05 +0000] "get /LOWER HTTP/1.1" 503 3
10.0.0.6 - - [24/Nov/2026:10:00:06 +0000] "HEAD / HTTP/1.1" 200 0
LOG
grepf() { # grepf OPTIONS_JSON_MEMBERS: run the installed mafio with grep configured so
    run "$MAFIO_INSTALLED" -plugins-dir "$TMP/plugins" -filter=grep_example \
        -f "{\"filters\":[{\"plugin\":\"grep_example\"$1}]}" <"$TMP/access.log"
}
expect_grep() { # expect_grep WHAT OPTIONS GREP_ARGS...: mafio's output equals grep's on the log
    check "$1"
    grepf "$2"
    [ "$RC" -eq 0 ] || fail "$1: exit $(_describe_rc "$RC")"
    shift 2
    grep "$@" "$TMP/access.log" >"$TMP/expected.txt"
    [ -s "$TMP/expected.txt" ] || fail "test bug: grep $* selects nothing"
    expect_same_file "$TMP/expected.txt" "$OUT" "grep_example:V1 output"
}
expect_grep "keeps the 5xx lines" ',"pattern":"\" 5[0-9]{2} [0-9]+$"' -E '" 5[0-9]{2} [0-9]+$'
expect_grep "invert drops them" ',"pattern":"\" 5[0-9]{2} [0-9]+$","invert":true' \
    -vE '" 5[0-9]{2} [0-9]+$'
expect_grep "ignore_case" ',"pattern":"^[^\"]*\"GET ","ignore_case":true' -iE '^[^"]*"GET '
expect_grep "anchors see one record, not the batch" ',"pattern":"^10\\.0\\.0\\.[246] "' \
    -E '^10\.0\.0\.[246] '

check "a bad pattern is an option error naming filters[0].pattern"
grepf ',"pattern":"(unclosed"'
[ "$RC" -eq 1 ] || fail "bad pattern: expected exit 1, got $(_describe_rc "$RC")"
expect_stderr_contains "filters[0].pattern" "invalid regular expression"
[ -s "$OUT" ] && fail "records were written although the configuration was refused"
check "a missing pattern is refused too"
grepf ''
[ "$RC" -eq 1 ] || fail "missing pattern: expected exit 1, got $(_describe_rc "$RC")"
expect_stderr_contains "filters[0].pattern" "required"

expect_exit 0 "$MAFIO_INSTALLED" -plugins-dir "$TMP/plugins" -describe grep_example:V1
expect_stdout_contains "grep_example:V1" "filter" "regular expression"
check "-describe lists the pattern option with its type"
grep -qE '^ +pattern +string' "$OUT" || fail "no pattern option in: $(cat "$OUT")"

check "cmake --install of the plugin drops it where the installed mafio looks"
cmake --install "$TMP/build" >"$TMP/install-plugin.log" 2>&1 ||
    fail "installing the plugin failed: $(tail -n 5 "$TMP/install-plugin.log")"
[ -f "$PREFIX/lib/mafio/plugins/grep_example-V1.so" ] || fail "grep_example-V1.so not in $PREFIX/lib/mafio/plugins"
run "$MAFIO_INSTALLED" -filter=grep_example:V1 -f '{"filters":[{"plugin":"grep_example:V1","pattern":"HEAD"}]}' \
    <"$TMP/access.log"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
[ "$(cat "$OUT")" = "$(grep HEAD "$TMP/access.log")" ] || fail "unexpected output: $(cat "$OUT")"

pass
