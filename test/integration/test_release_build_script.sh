#!/usr/bin/env bash
# packaging/build-release.sh, the build the Alpine image runs (no Docker engine here), works on
# Debian too:
#   1. run by `sh` (POSIX: dash here, busybox in the image) with a private build dir and prefix,
#      tests off, it stages PREFIX/bin/mafio, the plugins, the SDK and the LICENSE (as
#      share/doc/mafio/LICENSE), nothing from the tests and no Debian-only file;
#   2. the staged binary is stripped, prints its version, finds its own plugins without any
#      flag, passes the image's default config with -check and moves data;
#   3. packaging/Dockerfile, linted lightly: every COPY source from the context exists, both
#      stages are pinned alpine:3.20, the build stage runs this script, the runtime stage adds
#      no -dev package, runs as a non-root USER, EXPOSEs 10630, has a HEALTHCHECK on /health,
#      and its ENTRYPOINT reads the config file the image ships.
# Compiles the project once (minutes on two cores; the 840 s bound only stops a hang, below
# ctest's 900 s for this test); timings are not asserted.
. "$(dirname "$0")/lib.sh"
unset MAFIO_PLUGINS_DIR
SCRIPT="$MAFIO_SOURCE_DIR/packaging/build-release.sh"
DOCKERFILE="$MAFIO_SOURCE_DIR/packaging/Dockerfile"
[ -x "$SCRIPT" ] || fail "$SCRIPT is missing or not executable"

PREFIX="$TMP/opt/mafio"
check "sh packaging/build-release.sh $PREFIX (tests off, own build dir)"
BUILD_DIR="$TMP/build" timeout -k 10 840 sh "$SCRIPT" "$PREFIX" >"$TMP/release.log" 2>&1 ||
    fail "build-release.sh failed: $(tail -n 25 "$TMP/release.log")"
grep -q 'MAFIO_BUILD_TESTS:BOOL=OFF' "$TMP/build/CMakeCache.txt" || fail "tests were not off"
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$TMP/build/CMakeCache.txt" || fail "not a Release build"

check "the staged prefix has the binary, plugins and SDK, and nothing from the tests"
for f in bin/mafio lib/mafio/plugins/stdin-V1.so lib/mafio/plugins/valid-V1.so \
    lib/mafio/plugins/stdout-V1.so lib/mafio/plugins/filereader-V1.so lib/mafio/plugins/logr-V1.so \
    include/mafio/plugin.h lib/cmake/mafio-plugin-sdk/mafio-plugin-sdk-config.cmake \
    share/doc/mafio/LICENSE; do
    [ -e "$PREFIX/$f" ] || fail "staged prefix lacks $f"
done
# Allowed: the binary, the SDK, and plugins that the main build also makes (no fixture).
extra="$(cd "$PREFIX" && find . -type f | sed 's#^\./##' |
    grep -vE '^(bin/mafio|include/mafio/((abi|ext)/)?[^/]+|lib/cmake/mafio-plugin-sdk/[^/]+|share/doc/mafio/LICENSE)$' |
    while read -r f; do
        [[ "$f" == lib/mafio/plugins/* && -e "$MAFIO_PLUGINS/${f##*/}" ]] || echo "$f"
    done)"
[ -z "$extra" ] || fail "unexpected files staged: $extra"

cmp -s "$MAFIO_SOURCE_DIR/LICENSE" "$PREFIX/share/doc/mafio/LICENSE" || fail "the staged LICENSE differs"

check "the staged binary is stripped"
nm "$PREFIX/bin/mafio" 2>&1 | grep -q 'no symbols' || fail "bin/mafio still has a symbol table"

expect_exit 0 "$PREFIX/bin/mafio" -version
expect_stdout_contains "Version 0.4.0"
expect_exit 0 "$PREFIX/bin/mafio" -list-plugins
expect_stdout_contains "$PREFIX/lib/mafio/plugins/stdin-V1.so"
expect_exit 0 "$PREFIX/bin/mafio" -check -config "$MAFIO_SOURCE_DIR/packaging/docker/mafio.json"
check "the staged binary moves data"
seq 1 5000 >"$TMP/seq.txt"
run "$PREFIX/bin/mafio" -data-dir "$TMP/data" <"$TMP/seq.txt"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
expect_same_file "$TMP/seq.txt" "$OUT" "staged mafio's output"

# ---- Dockerfile lint ------------------------------------------------------------------------
[ -f "$DOCKERFILE" ] || fail "$DOCKERFILE is missing"
# Instructions with their continuation lines joined, comments dropped.
sed -e '/^[[:space:]]*#/d' "$DOCKERFILE" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' >"$TMP/Dockerfile.joined"
instr() { grep -E "^$1[[:space:]]" "$TMP/Dockerfile.joined"; }

check "every COPY source from the build context exists (context = repository root)"
while read -r _ args; do
    [[ "$args" == --from=* ]] && continue
    read -ra words <<<"$args"
    for src in "${words[@]:0:${#words[@]}-1}"; do
        [[ "$src" == --* ]] && continue
        [ -e "$MAFIO_SOURCE_DIR/$src" ] || fail "COPY source $src does not exist"
    done
done < <(instr COPY)

check "both stages are pinned to alpine:3.20"
[ "$(instr FROM | wc -l)" -eq 2 ] || fail "expected 2 stages: $(instr FROM)"
instr FROM | grep -vqE '^FROM alpine:3\.20( AS [a-z]+)?$' && fail "unpinned stage: $(instr FROM)"

check "the build stage runs packaging/build-release.sh"
awk '/^FROM/{n++} n==1' "$TMP/Dockerfile.joined" | grep -qE '^RUN .*packaging/build-release\.sh' ||
    fail "the build stage does not run packaging/build-release.sh"

check "the runtime stage installs no -dev package and no compiler"
runtime="$(awk '/^FROM/{n++} n==2' "$TMP/Dockerfile.joined")"
grep -E '^RUN .*apk add' <<<"$runtime" | grep -qE -- '-dev|build-base|cmake' &&
    fail "runtime stage installs build packages"

check "non-root USER, EXPOSE 10630, HEALTHCHECK on /health, ENTRYPOINT with the shipped config"
user="$(grep -E '^USER ' <<<"$runtime" | tail -n 1 | awk '{print $2}')"
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "runtime USER is '${user:-unset}'"
grep -qE '^EXPOSE 10630$' <<<"$runtime" || fail "no EXPOSE 10630"
grep -qE '^HEALTHCHECK .*http://127\.0\.0\.1:10630/health' <<<"$runtime" || fail "no HEALTHCHECK on /health"
grep -qF 'ENTRYPOINT ["/opt/mafio/bin/mafio", "-config", "/etc/mafio/mafio.json"]' <<<"$runtime" ||
    fail "unexpected ENTRYPOINT: $(grep ENTRYPOINT <<<"$runtime")"
grep -qE '^COPY packaging/docker/mafio\.json /etc/mafio/mafio\.json$' <<<"$runtime" ||
    fail "the image does not ship /etc/mafio/mafio.json"

check "the runtime stage fails its build when the binary or a plugin cannot load"
grep -qE '^RUN mafio -version .*mafio -list-plugins' <<<"$runtime" ||
    fail "no load check in the runtime stage"

check ".dockerignore keeps build trees out of the context"
grep -qxE 'build-\*' "$MAFIO_SOURCE_DIR/.dockerignore" || fail ".dockerignore does not exclude build-*"

if command -v hadolint >/dev/null; then
    check "hadolint"
    hadolint "$DOCKERFILE" || fail "hadolint found problems"
fi

pass
