#!/usr/bin/env bash
# Fuzzes the native shape/attr readers (native/fuzz/params_fuzz.cc). With clang: libFuzzer + ASan + UBSan for
# FUZZ_SECONDS (default 60) from the committed corpus (CI runs this). Without clang, or with FUZZ_MODE=replay: a gcc
# ASan + UBSan build replays the corpus (deterministic). Grow the corpus after a long run with
# `build-fuzz/params_fuzz -merge=1 native/fuzz/corpus/params build-fuzz/new`.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET="${FUZZ_SECONDS:-60}"
OUT=build-fuzz
mkdir -p "$OUT/new"
SOURCES=(native/fuzz/params_fuzz.cc native/core/attrs.cc native/core/kernel_registry.cc native/core/params/*.cc)
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
if [ "${FUZZ_MODE:-fuzz}" != replay ] && command -v clang++ >/dev/null; then
  clang++ -std=c++17 -g -O1 -fsanitize=fuzzer "${SAN[@]}" "${SOURCES[@]}" -o "$OUT/params_fuzz"
  # New inputs go to $OUT/new; the committed corpus is only read. Any crash or sanitizer report fails the run.
  # FUZZ_RUNS (CI) fixes the seed and the number of inputs, so a run is reproducible: same corpus, same inputs.
  RUNS=()
  if [ -n "${FUZZ_RUNS:-}" ]; then RUNS=(-seed=1 -runs="$FUZZ_RUNS"); fi
  "$OUT/params_fuzz" "$OUT/new" native/fuzz/corpus/params -max_total_time="$SECONDS_BUDGET" -timeout=5 -rss_limit_mb=2048 \
    -print_final_stats=1 "${RUNS[@]}"
else
  echo "fuzz: replaying the corpus under gcc ASan + UBSan (FUZZ_MODE=${FUZZ_MODE:-fuzz}; clang++ $(command -v clang++ >/dev/null && echo present || echo absent))"
  g++ -std=c++17 -g -O1 "${SAN[@]}" "${SOURCES[@]}" native/fuzz/replay_main.cc -o "$OUT/params_replay"
  "$OUT/params_replay" native/fuzz/corpus/params
fi
