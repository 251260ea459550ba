#!/usr/bin/env bash
# The throughput/memory benchmark behind `make bench`: runs whole `mafio` processes on generated
# data and prints one table comparing each scenario with the copy limit (`cat FILE | cat > OUT`)
# measured in the same run on the same data.
#
#   test/bench/run.sh BUILD_DIR
#
# Environment (all optional):
#   BENCH_SIZES="200M 2G"   data sizes (mafio_bench_gen syntax)
#   BENCH_RUNS=5            runs per scenario and size; the table shows median [min..max]
#   BENCH_DIR=/tmp          where the temporary data directory goes (removed at the end)
#   BENCH_OUT_DIR=/dev/shm  where outputs are written (removed at the end); tmpfs by default so
#                           that both mafio and the limit are timed without disk writeback,
#                           which otherwise throttles whichever run follows a 2 GB write
#   BENCH_SCENARIOS="stdin-stdout file-stdout file-valid-logr stdin-valid-2out"
#   BENCH_FILEREADER        filereader plugin to measure; default filereader:V2 when built,
#                           else filereader:V1
#   BENCH_MICRO=1           also run the Google Benchmark microbenchmarks when built (0: skip)
#
# Every mafio run's output is compared with what it must be: byte-identical to the input for
# passthrough, and to the input without its blank lines where `valid` filters. A mismatch stops
# the run with exit 1. Timings are never judged here: the table is for people to read.
set -euo pipefail

BUILD="${1:?usage: run.sh BUILD_DIR}"
BUILD="$(cd "$BUILD" && pwd)"
MAFIO="$BUILD/bin/mafio"
GEN="$BUILD/bin/mafio_bench_gen"
MICRO="$BUILD/bin/mafio_micro_bench"
PLUGINS="$BUILD/lib/mafio/plugins"
SIZES="${BENCH_SIZES:-200M 2G}"
RUNS="${BENCH_RUNS:-5}"
SCENARIOS="${BENCH_SCENARIOS:-stdin-stdout file-stdout file-valid-logr stdin-valid-2out}"
TIME=/usr/bin/time
for tool in "$MAFIO" "$GEN" "$TIME"; do
    [ -x "$tool" ] || { echo "bench: $tool is missing (build first; GNU time is Debian's 'time')" >&2; exit 2; }
done
if [ -z "${BENCH_FILEREADER:-}" ]; then
    if [ -e "$PLUGINS/filereader-V2.so" ]; then BENCH_FILEREADER=filereader:V2; else BENCH_FILEREADER=filereader:V1; fi
fi

WORK="$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/mafio-bench.XXXXXX")"
OUTS="$(mktemp -d "${BENCH_OUT_DIR:-/dev/shm}/mafio-bench-out.XXXXXX" 2>/dev/null || mktemp -d "$WORK/out.XXXXXX")"
trap 'rm -rf "$WORK" "$OUTS"' EXIT
OUT1="$OUTS/out" OUT2="$OUTS/out2"
# The agent's own flags for every run: no HTTP port, a private data dir, only warnings logged.
AGENT=("$MAFIO" -http-address=off "-data-dir=$WORK/state" -log-level=warn)

# The command line of one scenario on file $2, writing to $OUT1 (and $OUT2).
# Scenarios reading stdin get it from `cat FILE |`, exactly like the copy limit's first half.
scenario_cmd() {
    local name="$1" data="$2"
    q() { printf '%q ' "$@"; }
    local file_input="{\"inputs\":[{\"plugin\":\"$BENCH_FILEREADER\",\"path\":\"$data\",\"exit_on_eof\":true}]"
    local logr="{\"plugin\":\"logr:V1\",\"path\":\"$OUT2\",\"max_size\":\"100GiB\"}"
    case "$name" in
    stdin-stdout) echo "cat $(q "$data")| $(q "${AGENT[@]}" -input=stdin:V1 -filter= -output=stdout:V1)> $(q "$OUT1")" ;;
    file-stdout) echo "$(q "${AGENT[@]}" -f "$file_input}" -filter= -output=stdout:V1)> $(q "$OUT1")" ;;
    file-valid-logr) echo "$(q "${AGENT[@]}" -f "$file_input,\"filters\":[{\"plugin\":\"valid:V1\"}],\"outputs\":[$logr]}")> /dev/null" ;;
    stdin-valid-2out) echo "cat $(q "$data")| $(q "${AGENT[@]}" -input=stdin:V1 -f "{\"filters\":[{\"plugin\":\"valid:V1\"}],\"outputs\":[{\"plugin\":\"stdout:V1\"},$logr]}")> $(q "$OUT1")" ;;
    *) echo "bench: unknown scenario $name" >&2; exit 2 ;;
    esac
}
# Which files a scenario writes, and which reference each must equal (input or filtered).
scenario_outputs() {
    case "$1" in
    stdin-stdout | file-stdout) echo "out:data" ;;
    file-valid-logr) echo "out2:valid" ;;
    stdin-valid-2out) echo "out:valid out2:valid" ;;
    esac
}
scenario_label() {
    case "$1" in
    stdin-stdout) echo "stdin -> stdout" ;;
    file-stdout) echo "${BENCH_FILEREADER#filereader:} file -> stdout" ;;
    file-valid-logr) echo "${BENCH_FILEREADER#filereader:} file -> valid -> logr" ;;
    stdin-valid-2out) echo "stdin -> valid -> stdout,logr" ;;
    esac
}

# Runs `sh -c CMD` under GNU time; appends "wall cpu rss_kib" to the file $2. CPU (user+sys of
# every process of the command) and peak RSS come from `time -v`; the wall time from bash's
# microsecond clock, as time's is in 1/100 s, too coarse for 200 MB at 1 GB/s.
measure() {
    local cmd="$1" into="$2" tf="$WORK/time.txt" t0 t1
    # Fresh outputs, and no checkpoints: a filereader that kept them would resume at the end.
    rm -rf "$OUT1" "$OUT2" "$WORK/state"
    t0=$EPOCHREALTIME
    if ! "$TIME" -v -o "$tf" sh -c "$cmd" 2>"$WORK/stderr.txt"; then
        echo "bench: FAILED: $cmd" >&2
        cat "$tf" "$WORK/stderr.txt" >&2
        exit 1
    fi
    t1=$EPOCHREALTIME
    awk -F': ' -v t0="$t0" -v t1="$t1" '
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
        END { w = t1 - t0; if (w < 1e-6) w = 1e-6; printf "%.6f %.3f %d\n", w, u + s, r }' "$tf" >>"$into"
}

# Prints "median min max" of column $2 of file $1.
stats() {
    sort -g -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}

# Summarises a samples file: sets MBS MBS_MIN MBS_MAX (MB/s from the median, longest and
# shortest wall time), LPS (million lines/s), CPU (user+sys s per GB, median), RSS (MiB, max).
summarize() {
    local samples="$1" bytes="$2" lines="$3" wmed wmin wmax cmed rmax
    read -r wmed wmin wmax < <(stats "$samples" 1)
    read -r cmed _ _ < <(stats "$samples" 2)
    read -r _ _ rmax < <(stats "$samples" 3)
    read -r MBS MBS_MIN MBS_MAX LPS CPU RSS < <(awk -v b="$bytes" -v l="$lines" -v w="$wmed" \
        -v wmin="$wmin" -v wmax="$wmax" -v c="$cmed" -v r="$rmax" 'BEGIN {
        printf "%.0f %.0f %.0f %.2f %.2f %.1f\n", b / 1e6 / w, b / 1e6 / wmax, b / 1e6 / wmin,
            l / 1e6 / w, c / (b / 1e9), r / 1024 }')
    MBS_RAW=$(awk -v b="$bytes" -v w="$wmed" 'BEGIN { print b / 1e6 / w }')
    CPU_RAW=$(awk -v b="$bytes" -v c="$cmed" 'BEGIN { print c / (b / 1e9) }')
}
row() { # label tool ratio
    printf '| %-38s | %-7s | %5s [%5s..%5s] | %5s M | %8s | %7s MiB | %-14s |\n' \
        "$1" "$2" "$MBS" "$MBS_MIN" "$MBS_MAX" "$LPS" "$CPU" "$RSS" "$3" >>"$WORK/table.txt"
}

: >"$WORK/table.txt"
for size in $SIZES; do
    data="$WORK/data-$size.log"
    "$GEN" "$size" >"$data"
    # What `valid` keeps: everything but blank lines (the generator writes only valid UTF-8).
    LC_ALL=C grep -v '^[[:space:]]*$' "$data" >"$WORK/valid-$size.log" || true
    bytes=$(stat -c %s "$data")
    lines=$(wc -l <"$data")
    cat "$data" "$WORK/valid-$size.log" >/dev/null # warm the page cache
    for sc in $SCENARIOS; do
        cmd="$(scenario_cmd "$sc" "$data")"
        : >"$WORK/limit.txt"
        : >"$WORK/mafio.txt"
        echo "bench: $size $sc: $cmd" >&2
        for ((r = 1; r <= RUNS; r++)); do
            # The limit and mafio alternate, so both see the same background noise.
            measure "cat $(printf '%q' "$data") | cat > $(printf '%q' "$OUT1")" "$WORK/limit.txt"
            measure "$cmd" "$WORK/mafio.txt"
            for pair in $(scenario_outputs "$sc"); do
                out="$OUTS/${pair%%:*}"
                if [ "${pair#*:}" = data ]; then want="$data"; else want="$WORK/valid-$size.log"; fi
                cmp -s "$out" "$want" || { echo "bench: FAILED: ${pair%%:*} of $sc differs from $want" >&2; exit 1; }
            done
        done
        summarize "$WORK/limit.txt" "$bytes" "$lines"
        row "$(scenario_label "$sc") ($size)" "limit" ""
        limit_mbs=$MBS_RAW limit_cpu=$CPU_RAW
        summarize "$WORK/mafio.txt" "$bytes" "$lines"
        # CPU times below time's 1/100 s resolution (tiny smoke runs) give no CPU ratio.
        row "" "mafio" "$(awk -v a="$MBS_RAW" -v b="$limit_mbs" -v c="$CPU_RAW" -v d="$limit_cpu" \
            'BEGIN { printf "%3.0f%% / ", 100 * a / b; if (d > 0) printf "%.1fx", c / d; else printf "-" }')"
    done
    rm -f "$data" "$WORK/valid-$size.log" "$OUT1" "$OUT2"
done

echo
echo "mafio $("$MAFIO" -version 2>/dev/null | grep -o 'Version [0-9.]*' | head -1), $RUNS runs per row (median [min..max]),"
echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM; filereader = $BENCH_FILEREADER"
echo
echo "| scenario (size)                        | tool    | MB/s med [min..max]   | lines/s | CPU s/GB | peak RSS    | MB/s, CPU/GB   |"
echo "|----------------------------------------|---------|-----------------------|---------|----------|-------------|----------------|"
cat "$WORK/table.txt"
echo
echo "Last column: mafio's throughput as % of the copy limit's / its CPU seconds per GB as a multiple of the limit's."

if [ "${BENCH_MICRO:-1}" != 0 ] && [ -x "$MICRO" ]; then
    echo
    "$MICRO" --benchmark_min_time="${BENCH_MICRO_MIN_TIME:-0.2}"
fi
