#!/usr/bin/env bash
# The .deb an operator installs:
#   1. cpack builds mafio_<version>_<arch>.deb from the build tree, into a private directory
#      (-B), so parallel tests and the build tree are not disturbed.
#   2. Its file list has the binary, the plugins, the SDK headers and CMake package, the
#      default config and the systemd unit; /etc/mafio/mafio.json is a conffile; Depends was
#      computed by dpkg-shlibdeps; the maintainer scripts are there.
#   3. As root on a machine without mafio: `dpkg -i`, then the installed /usr/bin/mafio prints
#      its version, passes `-check -config /etc/mafio/mafio.json` as the `mafio` user that
#      postinst created, finds /usr/lib/mafio/plugins without flags and moves data; the unit
#      passes `systemd-analyze verify` (when that exists); `dpkg --purge` then leaves no binary,
#      config, user or state behind.
#      Otherwise (not root, or mafio already installed here): `dpkg-deb -x` into a temp root
#      and the same checks on the unpacked binary and unit. MAFIO_TEST_DEB_UNPACK=1 asks for
#      that mode as root too.
. "$(dirname "$0")/lib.sh"
: "${MAFIO_BUILD_DIR:?MAFIO_BUILD_DIR must point to the build tree (ctest sets it)}"
for tool in cpack dpkg-deb dpkg; do
    command -v "$tool" >/dev/null || fail "$tool is missing (packaging/install-deps.sh installs it)"
done
CPACK_CONFIG="$MAFIO_BUILD_DIR/CPackConfig.cmake"
[ -f "$CPACK_CONFIG" ] || fail "$CPACK_CONFIG is missing: packaging/cpack.cmake not included?"
VERSION="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$CPACK_CONFIG")"
ARCH="$(dpkg --print-architecture)"
[ -n "$VERSION" ] || fail "no CPACK_PACKAGE_VERSION in $CPACK_CONFIG"

check "cpack -G DEB builds mafio_${VERSION}_${ARCH}.deb"
cpack -G DEB --config "$CPACK_CONFIG" -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1 ||
    fail "cpack failed: $(tail -n 20 "$TMP/cpack.log")"
DEB="$TMP/pkg/mafio_${VERSION}_${ARCH}.deb"
[ -f "$DEB" ] || fail "no $DEB; cpack made: $(ls "$TMP/pkg")"

check "the package holds the binary, plugins, SDK, config and unit"
dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's#^\./#/#' >"$TMP/files.txt"
for f in /usr/bin/mafio /usr/lib/mafio/plugins/stdin-V1.so /usr/lib/mafio/plugins/valid-V1.so \
    /usr/lib/mafio/plugins/stdout-V1.so /usr/lib/mafio/plugins/filereader-V1.so \
    /usr/lib/mafio/plugins/logr-V1.so /usr/include/mafio/plugin.h /usr/include/mafio/plugin.hpp \
    /usr/include/mafio/options.hpp /usr/include/mafio/units.hpp \
    /usr/lib/cmake/mafio-plugin-sdk/mafio-plugin-sdk-config.cmake \
    /usr/lib/cmake/mafio-plugin-sdk/mafio-plugin-sdk-config-version.cmake \
    /usr/lib/cmake/mafio-plugin-sdk/MafioAddPlugin.cmake \
    /usr/lib/cmake/mafio-plugin-sdk/mafio-plugin.map /etc/mafio/mafio.json \
    /usr/lib/systemd/system/mafio.service; do
    grep -qxF "$f" "$TMP/files.txt" || fail "package lacks $f"
done
check "no test fixture or test binary is packaged"
grep -E 'test-plugins|mafio_unit_tests|frozen_1_|badmagic' "$TMP/files.txt" &&
    fail "test files in the package"

check "/etc/mafio/mafio.json is a conffile"
[ "$(dpkg-deb -I "$DEB" conffiles)" = "/etc/mafio/mafio.json" ] ||
    fail "conffiles: $(dpkg-deb -I "$DEB" conffiles 2>&1)"
check "Depends comes from dpkg-shlibdeps (libc6, libstdc++6) plus adduser"
depends="$(dpkg-deb -f "$DEB" Depends)"
for d in libc6 libstdc++6 adduser; do
    [[ "$depends" == *"$d"* ]] || fail "Depends lacks $d: $depends"
done
check "postinst, prerm and postrm are in the control archive"
for s in postinst prerm postrm; do
    dpkg-deb -I "$DEB" "$s" | head -n 1 | grep -q '^#!/bin/sh' || fail "no $s script"
done

# Checks shared by both modes. $1 is the root the package went to ("" when installed).
check_unit() {
    local unit="$1"
    if ! command -v systemd-analyze >/dev/null; then
        log "systemd-analyze not present: unit not verified"
        return
    fi
    check "systemd-analyze verify $unit"
    systemd-analyze verify "$unit" >"$TMP/verify.log" 2>&1 ||
        fail "systemd-analyze verify: $(cat "$TMP/verify.log")"
}
check_binary() {
    local root="$1" bin="$1/usr/bin/mafio" as=("${@:2}")
    expect_exit 0 "${as[@]}" "$bin" -version
    expect_stdout_contains "Version $VERSION"
    expect_exit 0 "${as[@]}" "$bin" -check -config "$root/etc/mafio/mafio.json"
    expect_exit 0 "${as[@]}" "$bin" -list-plugins
    expect_stdout_contains "$root/usr/lib/mafio/plugins/stdin-V1.so"
    check "the packaged binary moves data with its packaged plugins"
    seq 1 2000 >"$TMP/seq.txt"
    run "${as[@]}" "$bin" -data-dir "$TMP/data" <"$TMP/seq.txt"
    [ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
    expect_same_file "$TMP/seq.txt" "$OUT" "packaged mafio's output"
}

unpacked_checks() {
    log "unpacking with dpkg-deb -x ($1)"
    local root="$TMP/root"
    dpkg-deb -x "$DEB" "$root" || fail "dpkg-deb -x failed"
    check_binary "$root"
    # The unit names /usr/bin/mafio; point it at the unpacked binary to verify the rest.
    sed "s#/usr/bin/mafio#$root/usr/bin/mafio#" "$root/usr/lib/systemd/system/mafio.service" \
        >"$TMP/mafio.service"
    check_unit "$TMP/mafio.service"
}

installed_checks() {
    check "dpkg -i installs the package"
    DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$TMP/dpkg-i.log" 2>&1 ||
        fail "dpkg -i failed: $(tail -n 20 "$TMP/dpkg-i.log")"
    INSTALLED_BY_US=1
    check "postinst created the mafio system user and group"
    getent passwd mafio >/dev/null || fail "no user mafio"
    getent group mafio >/dev/null || fail "no group mafio"
    [ "$(id -u mafio)" -lt 1000 ] || fail "mafio is not a system user (uid $(id -u mafio))"
    mkdir -p "$TMP/data" && chown mafio: "$TMP/data" && chmod 755 "$TMP"
    # As the service user: the config and plugins are readable by it.
    check_binary "" runuser -u mafio --
    check_unit /usr/lib/systemd/system/mafio.service
    check "dpkg --purge removes the package, its config, user and state"
    dpkg --purge mafio >"$TMP/dpkg-purge.log" 2>&1 ||
        fail "dpkg --purge failed: $(tail -n 20 "$TMP/dpkg-purge.log")"
    INSTALLED_BY_US=0
    for p in /usr/bin/mafio /usr/lib/mafio /etc/mafio /usr/lib/systemd/system/mafio.service \
        /var/lib/mafio /var/log/mafio; do
        [ -e "$p" ] && fail "$p is still there after purge"
    done
    getent passwd mafio >/dev/null && fail "user mafio is still there after purge"
    return 0
}

# A failed check must not leave the package on the machine.
INSTALLED_BY_US=0
trap 'if [ "$INSTALLED_BY_US" = 1 ]; then dpkg --purge mafio >/dev/null 2>&1; fi; _cleanup' EXIT

if [ "$(id -u)" -ne 0 ]; then
    unpacked_checks "not root"
elif [ -n "${MAFIO_TEST_DEB_UNPACK:-}" ]; then
    unpacked_checks "MAFIO_TEST_DEB_UNPACK is set: leave this machine's packages alone"
else
    # One installing test at a time on this machine (two build trees may run `make test`).
    exec 8>"${TMPDIR:-/tmp}/mafio-test-deb-package.lock"
    flock -w 600 8 || fail "could not get the deb test lock"
    if dpkg-query -W -f='${Status}' mafio 2>/dev/null | grep -q 'installed' ||
        [ -e /usr/bin/mafio ] || getent passwd mafio >/dev/null; then
        # Never replace or purge an operator's mafio.
        unpacked_checks "mafio is already installed on this machine"
    else
        installed_checks
    fi
fi

pass
