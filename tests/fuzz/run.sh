#!/usr/bin/env bash
# tests/fuzz/run.sh — builds the libFuzzer targets with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) in build-fuzz and runs each one for a bounded time over its
# seed corpus, tests/fuzz/corpus/<target>/. New inputs go to build-fuzz/corpus/<target>/, so
# the checked-in corpus only changes by hand. A crash fails the run; libFuzzer saves the
# input as build-fuzz/artifacts/<target>-crash-*: copy it into the target's corpus once the
# bug is fixed.
#
#   FUZZ_SECONDS=60 bash tests/fuzz/run.sh            # longer runs
#   bash tests/fuzz/run.sh timefmt router             # some targets only
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-10}
build=build-fuzz
all=(json_spec json_patch timefmt page_token router time_window offline_key fixtures)
targets=("${all[@]}")
if [ $# -gt 0 ]; then targets=("$@"); fi

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: clang is not installed (make deps installs it); skipped"
  exit 0
fi
# Warnings stay errors in the gcc builds of make test; clang's own extra ones must not stop
# the fuzzing of code that gcc accepts.
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzz=true -Dtests=false -Dwerror=false \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
mkdir -p "$build/artifacts"
if ! ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz_}" >"$build/artifacts/build.log" 2>&1; then
  grep -E 'error|FAILED' "$build/artifacts/build.log" | head -20
  echo "fuzz: the build failed; see $build/artifacts/build.log"
  exit 1
fi

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
failed=0
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  log="$build/artifacts/$t.log"
  mkdir -p "$work"
  if "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 \
      -timeout=10 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
      "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    printf 'fuzz %-12s ok   %9s executions in %ss (%s)\n' "$t" "${runs:-?}" "$seconds" "${cov:-}"
  else
    failed=1
    printf 'fuzz %-12s FAILED; see %s\n' "$t" "$log"
    grep -E 'ERROR|invariant broken|runtime error|SUMMARY|Test unit written' "$log" | head -5
  fi
done
exit $failed
