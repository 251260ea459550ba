#!/usr/bin/env bash
# The .debs an operator installs:
#   1. cpack builds mafio_<version>_<arch>.deb and mafio-dev_<version>_all.deb from the build
#      tree, into a private directory (-B), so parallel tests and the build tree are not
#      disturbed.
#   2. mafio holds the binary, the plugins, the default config, the systemd unit and a
#      machine-readable /usr/share/doc/mafio/copyright, and no SDK file; mafio-dev holds the SDK
#      headers and CMake package and its own copyright file, depends on the same mafio and on
#      rapidjson-dev, and is architecture `all`. /etc/mafio/mafio.json is a conffile; Depends was
#      computed by dpkg-shlibdeps; the maintainer scripts are in mafio. The unit passes no
#      -data-dir: the config file sets data_dir (one place), and the config's input exists on
#      this machine.
#   3. As root on a machine without mafio: `dpkg -i` of both, then the installed /usr/bin/mafio
#      prints its version, passes `-check -config /etc/mafio/mafio.json` as the `mafio` user
#      that postinst created, finds /usr/lib/mafio/plugins without flags and moves data; the
#      default config itself runs as `mafio` (with the log directory systemd would make); the
#      unit passes `systemd-analyze verify` (when that
#      exists); a plugin builds against the installed SDK; reinstalling over an edited config
#      without data_dir (as a 0.3 one) warns and does not restart; `dpkg --purge` then leaves no
#      binary, SDK, config, user or state behind, but keeps the collected data in
#      /var/log/mafio (handed to root).
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

check "cpack -G DEB builds mafio_${VERSION}_${ARCH}.deb and mafio-dev_${VERSION}_all.deb"
cpack -G DEB --config "$CPACK_CONFIG" -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1 ||
    fail "cpack failed: $(tail -n 20 "$TMP/cpack.log")"
DEB="$TMP/pkg/mafio_${VERSION}_${ARCH}.deb"
DEV_DEB="$TMP/pkg/mafio-dev_${VERSION}_all.deb"
[ -f "$DEB" ] || fail "no $DEB; cpack made: $(ls "$TMP/pkg")"
[ -f "$DEV_DEB" ] || fail "no $DEV_DEB; cpack made: $(ls "$TMP/pkg")"
[ "$(ls "$TMP/pkg"/*.deb | wc -l)" -eq 2 ] || fail "expected two .debs, got: $(ls "$TMP/pkg")"

files_of() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's#^\./#/#'; }
files_of "$DEB" >"$TMP/files.txt"
files_of "$DEV_DEB" >"$TMP/dev-files.txt"
check "mafio holds the binary, plugins, config, unit and copyright file"
for f in /usr/bin/mafio /usr/lib/mafio/plugins/stdin-V1.so /usr/lib/mafio/plugins/valid-V1.so \
    /usr/lib/mafio/plugins/stdout-V1.so /usr/lib/mafio/plugins/filereader-V1.so \
    /usr/lib/mafio/plugins/logr-V1.so /etc/mafio/mafio.json \
    /usr/lib/systemd/system/mafio.service /usr/share/doc/mafio/copyright; do
    grep -qxF "$f" "$TMP/files.txt" || fail "mafio lacks $f"
done
check "mafio holds no SDK file"
grep -E '^/usr/(include|lib/cmake)/' "$TMP/files.txt" && fail "SDK files in mafio"
check "mafio-dev holds the SDK headers, the CMake package and its copyright file, and only that"
for f in /usr/include/mafio/plugin.h /usr/include/mafio/plugin.hpp \
    /usr/include/mafio/options.hpp /usr/include/mafio/units.hpp \
    /usr/include/mafio/abi/version.h /usr/include/mafio/ext/timer.h \
    /usr/lib/cmake/mafio-plugin-sdk/mafio-plugin-sdk-config.cmake \
    /usr/lib/cmake/mafio-plugin-sdk/mafio-plugin-sdk-config-version.cmake \
    /usr/lib/cmake/mafio-plugin-sdk/MafioAddPlugin.cmake \
    /usr/lib/cmake/mafio-plugin-sdk/mafio-plugin.map /usr/share/doc/mafio-dev/copyright; do
    grep -qxF "$f" "$TMP/dev-files.txt" || fail "mafio-dev lacks $f"
done
other="$(grep -vE '^/usr/(include/mafio|lib/cmake/mafio-plugin-sdk|share/doc/mafio-dev)(/|$)|^/usr/((include|lib|lib/cmake|share|share/doc)/?)?$' \
    "$TMP/dev-files.txt" || true)"
[ -z "$other" ] || fail "mafio-dev holds more than the SDK: $other"
check "no test fixture or test binary is packaged"
cat "$TMP/files.txt" "$TMP/dev-files.txt" | grep -E 'test-plugins|mafio_unit_tests|frozen_1_|badmagic' &&
    fail "test files in the package"

check "/etc/mafio/mafio.json is a conffile"
[ "$(dpkg-deb -I "$DEB" conffiles)" = "/etc/mafio/mafio.json" ] ||
    fail "conffiles: $(dpkg-deb -I "$DEB" conffiles 2>&1)"
check "Depends comes from dpkg-shlibdeps (libc6, libstdc++6) plus adduser"
depends="$(dpkg-deb -f "$DEB" Depends)"
for d in libc6 libstdc++6 adduser; do
    [[ "$depends" == *"$d"* ]] || fail "Depends lacks $d: $depends"
done
check "mafio-dev: architecture all, depends on mafio (= $VERSION) and rapidjson-dev, section devel"
[ "$(dpkg-deb -f "$DEV_DEB" Architecture)" = all ] ||
    fail "Architecture: $(dpkg-deb -f "$DEV_DEB" Architecture)"
dev_depends="$(dpkg-deb -f "$DEV_DEB" Depends)"
[[ "$dev_depends" == *"mafio (= $VERSION)"* && "$dev_depends" == *rapidjson-dev* ]] ||
    fail "mafio-dev Depends: $dev_depends"
[ "$(dpkg-deb -f "$DEV_DEB" Section)" = devel ] || fail "Section: $(dpkg-deb -f "$DEV_DEB" Section)"
[[ "$(dpkg-deb -f "$DEV_DEB" Description)" == "plugin SDK"* ]] ||
    fail "mafio-dev's summary: $(dpkg-deb -f "$DEV_DEB" Description | head -n 1)"
check "postinst, prerm and postrm are in mafio's control archive, none in mafio-dev's"
for s in postinst prerm postrm; do
    dpkg-deb -I "$DEB" "$s" | head -n 1 | grep -q '^#!/bin/sh' || fail "no $s script"
    dpkg-deb -I "$DEV_DEB" "$s" >/dev/null 2>&1 && fail "mafio-dev has a $s script"
done

# The copyright file (Debian's machine-readable format 1.0) of package $1, unpacked in $2.
check_copyright() {
    local f="$2/usr/share/doc/$1/copyright"
    check "$1's copyright file is machine-readable and holds the MIT (Expat) license"
    [ -f "$f" ] || fail "no $f"
    head -n 1 "$f" | grep -qxF 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
        fail "$f: first line is not the Format: field: $(head -n 1 "$f")"
    grep -qx 'Files: \*' "$f" || fail "$f: no 'Files: *' paragraph"
    grep -qx 'Copyright: 2026 the mafio authors' "$f" || fail "$f: no Copyright field"
    [ "$(grep -cx 'License: Expat' "$f")" -eq 2 ] || fail "$f: expected License: Expat twice"
    grep -q '^ Permission is hereby granted, free of charge' "$f" || fail "$f: no license text"
    # Every line of a paragraph is a field or a continuation (leading space); paragraphs are
    # separated by one empty line.
    bad="$(grep -vnE '^([A-Za-z-]+: |$| )' "$f" | head -n 3)"
    [ -z "$bad" ] || fail "$f: lines that are neither fields nor continuations: $bad"
}
dpkg-deb -x "$DEB" "$TMP/x-main" && dpkg-deb -x "$DEV_DEB" "$TMP/x-dev" || fail "dpkg-deb -x failed"
check_copyright mafio "$TMP/x-main"
check_copyright mafio-dev "$TMP/x-dev"

check "the unit passes no -data-dir; the config file sets data_dir"
UNIT_FILE="$TMP/x-main/usr/lib/systemd/system/mafio.service"
exec_start="$(grep '^ExecStart=' "$UNIT_FILE")"
[ "$exec_start" = "ExecStart=/usr/bin/mafio -config /etc/mafio/mafio.json" ] ||
    fail "unexpected $exec_start"
check "the unit reloads with SIGHUP and checks the config before starting"
grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$UNIT_FILE" || fail "no ExecReload sending SIGHUP"
grep -qx 'ExecStartPre=/usr/bin/mafio -check -config /etc/mafio/mafio.json' "$UNIT_FILE" ||
    fail "no ExecStartPre running -check"
grep -q '"data_dir": "/var/lib/mafio"' "$TMP/x-main/etc/mafio/mafio.json" ||
    fail "the packaged config sets no data_dir /var/lib/mafio"
DEFAULT_INPUT="$(sed -n 's#.*"plugin": "filereader:V2", "path": "\([^"]*\)".*#\1#p' \
    "$TMP/x-main/etc/mafio/mafio.json")"
[ -n "$DEFAULT_INPUT" ] || fail "cannot find the default input's path in the packaged config"

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
    check "dpkg -i installs both packages"
    DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" "$DEV_DEB" >"$TMP/dpkg-i.log" 2>&1 ||
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

    check "the default config runs as mafio on this machine: $DEFAULT_INPUT -> /var/log/mafio"
    [ -f "$DEFAULT_INPUT" ] || fail "the default input $DEFAULT_INPUT does not exist here"
    # What LogsDirectory= makes before systemd starts the unit. The checkpoints go to a
    # directory of this test's: other tests run as root may be using /var/lib/mafio right now.
    CREATED_DIRS=1
    install -d -o mafio -g mafio -m 0755 /var/log/mafio "$TMP/state"
    # setpriv execs (runuser would stay in between), so the signal below reaches mafio.
    setpriv --reuid=mafio --regid=mafio --init-groups -- /usr/bin/mafio \
        -config /etc/mafio/mafio.json -http-address off -data-dir "$TMP/state" >"$OUT" 2>"$ERR" &
    local pid=$!
    BG_PIDS+=("$pid")
    wait_for_file /var/log/mafio/collected.log
    _stored() { compgen -G "$TMP/state/checkpoints/*.ckpt" >/dev/null; }
    wait_until "a checkpoint is stored" _stored
    kill -TERM "$pid"
    wait_exit "$pid"
    [ "$RC" -eq 0 ] || fail "the default config: exit $(_describe_rc "$RC")"

    check "a plugin builds against the installed SDK (mafio-dev)"
    cmake -S "$MAFIO_SOURCE_DIR/examples/third-party-plugin" -B "$TMP/grep" >"$TMP/grep.log" 2>&1 &&
        cmake --build "$TMP/grep" >>"$TMP/grep.log" 2>&1 ||
        fail "building the example plugin failed: $(tail -n 20 "$TMP/grep.log")"
    [ -f "$TMP/grep/grep_example-V1.so" ] || fail "no grep_example-V1.so"
    grep -q "/usr/lib/cmake/mafio-plugin-sdk" "$TMP/grep/CMakeCache.txt" ||
        fail "the plugin did not use the SDK in /usr/lib/cmake/mafio-plugin-sdk"

    check "an upgrade keeping an edited config without data_dir warns and names the fix"
    # As a 0.3 config edited by an operator (whose unit passed -data-dir) would be; dpkg keeps
    # it, since the package's own version of the conffile did not change.
    cp /etc/mafio/mafio.json "$TMP/conf.saved"
    grep -v '"data_dir"' "$TMP/conf.saved" >/etc/mafio/mafio.json
    DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$TMP/dpkg-up.log" 2>&1 ||
        fail "dpkg -i (upgrade) failed: $(tail -n 20 "$TMP/dpkg-up.log")"
    grep -q "mafio.json sets no data_dir" "$TMP/dpkg-up.log" ||
        fail "no data_dir warning: $(cat "$TMP/dpkg-up.log")"
    grep -q "not restarted now" "$TMP/dpkg-up.log" || fail "the warning does not say it did not restart"
    grep -q '"data_dir"' /etc/mafio/mafio.json && fail "dpkg replaced the edited config"
    cp "$TMP/conf.saved" /etc/mafio/mafio.json
    DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$TMP/dpkg-up.log" 2>&1 ||
        fail "dpkg -i (upgrade) failed: $(tail -n 20 "$TMP/dpkg-up.log")"
    grep -q "data_dir" "$TMP/dpkg-up.log" && fail "a warning with data_dir set: $(cat "$TMP/dpkg-up.log")"

    check "dpkg --purge removes both packages, the config, the user and the state"
    # State of the service's; a marker rather than the whole directory, which a test running
    # an agent as root without -data-dir may recreate at any moment.
    mkdir -p /var/lib/mafio && : >/var/lib/mafio/.test-deb-package-marker
    dpkg --purge mafio-dev mafio >"$TMP/dpkg-purge.log" 2>&1 ||
        fail "dpkg --purge failed: $(tail -n 20 "$TMP/dpkg-purge.log")"
    INSTALLED_BY_US=0
    for p in /usr/bin/mafio /usr/lib/mafio /etc/mafio /usr/lib/systemd/system/mafio.service \
        /usr/include/mafio /usr/lib/cmake/mafio-plugin-sdk /usr/share/doc/mafio \
        /usr/share/doc/mafio-dev /var/lib/mafio/.test-deb-package-marker; do
        [ -e "$p" ] && fail "$p is still there after purge"
    done
    getent passwd mafio >/dev/null && fail "user mafio is still there after purge"
    check "purge keeps the collected data in /var/log/mafio, owned by root, and says so"
    [ -s /var/log/mafio/collected.log ] || fail "/var/log/mafio/collected.log is gone after purge"
    [ "$(stat -c %U /var/log/mafio/collected.log)" = root ] ||
        fail "the kept data is owned by $(stat -c %U:%G /var/log/mafio/collected.log)"
    grep -q "kept the collected data in /var/log/mafio" "$TMP/dpkg-purge.log" ||
        fail "purge did not say it kept /var/log/mafio: $(cat "$TMP/dpkg-purge.log")"
    rm -rf /var/log/mafio
    CREATED_DIRS=0
    return 0
}

# A failed check must not leave the package on the machine.
INSTALLED_BY_US=0
CREATED_DIRS=0
cleanup_machine() {
    local pid
    for pid in "${BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    if [ "$INSTALLED_BY_US" = 1 ]; then dpkg --purge mafio-dev mafio >/dev/null 2>&1; fi
    if [ "$CREATED_DIRS" = 1 ]; then rm -rf /var/log/mafio; fi
    _cleanup
}
trap cleanup_machine EXIT

if [ "$(id -u)" -ne 0 ]; then
    unpacked_checks "not root"
elif [ -n "${MAFIO_TEST_DEB_UNPACK:-}" ]; then
    unpacked_checks "MAFIO_TEST_DEB_UNPACK is set: leave this machine's packages alone"
else
    # One installing test at a time on this machine (two build trees may run `make test`).
    exec 8>"${TMPDIR:-/tmp}/mafio-test-deb-package.lock"
    flock -w 600 8 || fail "could not get the deb test lock"
    if dpkg-query -W -f='${Status}' mafio 2>/dev/null | grep -q 'installed' ||
        [ -e /usr/bin/mafio ] || getent passwd mafio >/dev/null ||
        [ -e /var/log/mafio ]; then
        # Never replace or purge an operator's mafio, nor touch what one left behind.
        unpacked_checks "mafio is already installed on this machine"
    else
        installed_checks
    fi
fi

pass
