#!/usr/bin/env bash
# Builds the libFuzzer target (clang, with AddressSanitizer and
# UndefinedBehaviorSanitizer) in build-fuzz/ and runs it for FUZZ_SECONDS
# (default 60) from the committed seed corpus. Any crash, leak, sanitizer
# report, timeout or unexpected exception fails the run. Then every program
# of the grown corpus that gradgen accepts (up to FUZZ_COMPILE, default 300)
# is generated with ./build/gradgen and compiled under the contract's flags:
# whatever gradgen accepts must compile.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
if ! clang++ -fsanitize=fuzzer -x c++ - -o /dev/null <<<'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' 2>/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  version=$(clang++ --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
  echo "Installing libclang-rt-$version-dev (libFuzzer)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "libclang-rt-$version-dev"
fi
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DGRADGEN_FUZZ=ON -DBUILD_TESTING=OFF -DGRADGEN_BUILD_EXAMPLES=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" > /dev/null
cmake --build build-fuzz --target gradgen_fuzz
work=$(mktemp -d)
scratch=$(mktemp -d)
trap 'rm -rf "$work" "$scratch"' EXIT
cp tests/fuzz/corpus/* "$work/"
./build-fuzz/tests/fuzz/gradgen_fuzz "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -max_len=4096 -print_final_stats=1

gradgen=./build/gradgen
[ -x "$gradgen" ] || { echo "no $gradgen: run cmake/setup.sh first"; exit 1; }
accepted=0
compiled=0
for input in $(ls "$work" | head -n "${FUZZ_COMPILE:-300}"); do
  tail -c +2 "$work/$input" > "$scratch/program.gg" 2>/dev/null || continue
  # The options the fuzz target took from the first byte.
  flags=$(od -An -tu1 -N1 "$work/$input" | tr -d ' ')
  options=()
  (( ${flags:-0} & 1 )) && options+=(--hessian)
  (( ${flags:-0} & 2 )) && options+=(--batch)
  (( ${flags:-0} & 4 )) && options+=(--no-opt)
  (( ${flags:-0} & 8 )) && options+=(--type float)
  (( ${flags:-0} & 64 )) && options+=(--split-lines 1)
  if "$gradgen" -f "$scratch/program.gg" -o "$scratch/header.hpp" "${options[@]}" > /dev/null 2>&1; then
    accepted=$((accepted + 1))
    printf '#include "%s"\nint main() {}\n' "$scratch/header.hpp" > "$scratch/include.cpp"
    if ! c++ -std=c++17 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror -fsyntax-only "$scratch/include.cpp" 2> "$scratch/errors"; then
      echo "gradgen accepted a program whose header does not compile:"
      cat "$scratch/program.gg"; echo; head -20 "$scratch/errors"
      exit 1
    fi
    compiled=$((compiled + 1))
  fi
done
echo "fuzz corpus: $accepted accepted programs, all $compiled headers compile"
