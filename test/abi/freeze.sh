#!/usr/bin/env bash
# freeze.sh MINOR: prints the current plugin ABI (plugin-sdk/include/mafio/abi/*.h and ext/*.h,
# the headers plugin.h includes) flattened into one C99 header, for test/abi/plugin_1_<MINOR>.h.
# Run it once, when a minor is released; never regenerate an existing frozen file (it stands for
# plugins already compiled against that minor, and those never change):
#     test/abi/freeze.sh 3 >test/abi/plugin_1_3.h
# Each header's own guards, includes and extern "C" blocks are dropped; the file gets one of each.
set -euo pipefail
minor="${1:?usage: freeze.sh MINOR >test/abi/plugin_1_MINOR.h}"
sdk="$(cd "$(dirname "$0")/../../plugin-sdk/include/mafio" && pwd)"
current="$(sed -n 's/^#define MAFIO_ABI_MINOR \([0-9]*\)$/\1/p' "$sdk/abi/version.h")"
[ "$minor" = "$current" ] || { echo "freeze.sh: the headers are ABI 1.$current, not 1.$minor" >&2; exit 2; }
# Include order: every header after the ones it uses.
headers=(abi/conventions.h abi/version.h abi/status.h abi/kind.h abi/log.h abi/batch.h
    abi/checkpoint.h abi/metric.h abi/host.h abi/lifecycle.h abi/vtables.h abi/descriptor.h
    ext/timer.h ext/fd.h)
for h in "$sdk"/abi/*.h "$sdk"/ext/*.h; do # a header added later must be listed above
    case " ${headers[*]} " in *" ${h#"$sdk"/} "*) ;; *) echo "freeze.sh: add ${h#"$sdk"/} to the list" >&2; exit 2 ;; esac
done
guard="MAFIO_PLUGIN_1_${minor}_H"
{
cat <<HEAD
/*
 * FROZEN: the plugin ABI 1.$minor headers exactly as released (the headers under
 * plugin-sdk/include/mafio/abi and /ext that plugin.h includes), flattened into one file by
 * test/abi/freeze.sh.
 *
 * Never edit this file. It stands for every plugin already compiled against ABI 1.$minor:
 * test/unit/test_abi_layout.cpp checks that the current headers keep every member of it at the
 * same offset and size. When the ABI gains a minor, freeze the new one beside this file.
 */
#ifndef $guard
#define $guard

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
HEAD
for h in "${headers[@]}"; do
    printf '\n/* ==== mafio/%s ==== */\n\n' "$h"
    awk '
        /^#(ifndef|define) MAFIO_(ABI|EXT)_[A-Z_]+_H$/ { next }
        /^#endif \/\* MAFIO_(ABI|EXT)_[A-Z_]+_H \*\/$/ { next }
        /^#include / { next }
        /^#ifdef __cplusplus$/ {
            getline next_line
            if (next_line == "extern \"C\" {" || next_line == "}") { getline; next }
            print; print next_line; next
        }
        { print }
    ' "$sdk/$h"
done
cat <<TAIL

#ifdef __cplusplus
}
#endif

#endif /* $guard */
TAIL
} | cat -s
