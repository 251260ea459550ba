#!/bin/sh
# The release build, the same on Debian (CI, test_release_build_script.sh) and in the Alpine
# image (packaging/Dockerfile): configure Release without tests, build, install stripped into a
# staging prefix. POSIX sh, so that it runs under busybox as well as dash and bash.
#
#   packaging/build-release.sh [PREFIX]       PREFIX defaults to /opt/mafio
#
# The result is PREFIX/bin/mafio, PREFIX/lib/mafio/plugins/*.so and the plugin SDK
# (PREFIX/include/mafio, PREFIX/lib/cmake/mafio-plugin-sdk); the binary finds its plugins
# relative to itself, so the tree can be copied anywhere as a whole.
#
# Environment:
#   BUILD_DIR     build tree (default: <source>/build-release); an existing one is reused,
#                 so a second run only rebuilds what changed
#   JOBS          parallel build jobs (default: the number of CPUs)
#   MAFIO_WERROR  ON makes warnings errors (default OFF: CI's main build already enforces
#                 that with Debian's compiler; a release on another compiler version must not
#                 fail on a warning that compiler newly invents)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
prefix=${1:-/opt/mafio}
build=${BUILD_DIR:-$src/build-release}
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}

generator=""
if command -v ninja >/dev/null 2>&1; then generator="-G Ninja"; fi

echo "build-release: $src -> $build -> $prefix" >&2
# shellcheck disable=SC2086 # $generator is empty or two words on purpose
cmake -S "$src" -B "$build" $generator \
    -DCMAKE_BUILD_TYPE=Release \
    -DMAFIO_BUILD_TESTS=OFF \
    -DMAFIO_WERROR="${MAFIO_WERROR:-OFF}" \
    -DCMAKE_INSTALL_PREFIX="$prefix"
cmake --build "$build" --parallel "$jobs"
cmake --install "$build" --prefix "$prefix" --strip

# A smoke test of what was staged: it runs, and finds its own plugins without any setting.
"$prefix/bin/mafio" -version >/dev/null
if ! (unset MAFIO_PLUGINS_DIR; "$prefix/bin/mafio" -list-plugins) |
    grep -q "$prefix/lib/mafio/plugins/stdin-V1.so"; then
    echo "build-release: the staged mafio does not find its plugins in $prefix/lib/mafio/plugins" >&2
    exit 1
fi
echo "build-release: staged $prefix" >&2
