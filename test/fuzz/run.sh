#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD/fuzz for FUZZ_SECONDS each (`make fuzz`).
# Usage: test/fuzz/run.sh BUILD [target ...]   (targets without the fuzz_ prefix; default all)
# Each target starts from its seeds in test/fuzz/corpus/<target>/ and keeps what it finds in
# BUILD/fuzz-corpus/<target>/; crashes go to BUILD/fuzz-artifacts/. Exits 1 if any target failed.
set -u
build=${1:?usage: run.sh BUILD [target ...]}
shift
seconds=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$here"/fuzz_*.cpp; do t=$(basename "$f" .cpp); targets+=("${t#fuzz_}"); done
fi
mkdir -p "$build/fuzz-artifacts"
# Every sanitizer report is fatal except the suppressed third-party ones (see ubsan.supp).
export UBSAN_OPTIONS="suppressions=$here/ubsan.supp:halt_on_error=1:print_stacktrace=1"
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$build/fuzz-corpus/$t"
  extra=()
  [ -f "$here/$t.dict" ] && extra+=(-dict="$here/$t.dict")
  echo "== fuzz_$t for ${seconds}s" >&2
  if ! "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" "${extra[@]}" \
      "$build/fuzz-corpus/$t" "$here/corpus/$t" 2>"$build/fuzz-artifacts/$t.log"; then
    failed+=("$t")
    tail -n 40 "$build/fuzz-artifacts/$t.log" >&2
  else
    grep -E '^stat::number_of_executed_units|^Done' "$build/fuzz-artifacts/$t.log" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (reproducers in $build/fuzz-artifacts/)" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a finding" >&2
