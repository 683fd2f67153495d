#!/usr/bin/env bash
# Builds and runs gradgen's benchmarks and prints their table (Markdown).
# Extra arguments go to Google Benchmark (e.g. --benchmark_filter=neuron).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d build ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --target gradgen_bench gradgen > /dev/null
echo "# gradgen benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# Google Benchmark's own report goes to stderr, kept only to tell why a run failed.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
./build/bench/gradgen_bench "$@" 2>"$errors" | sed -n '/^## /,$p' || { tail -n 5 "$errors" >&2; exit 1; }
