#!/usr/bin/env bash
# Installs gradgen from the build directory $1 into a temporary prefix, then
# configures, builds and runs the consumer project (this directory, copied)
# against it with find_package(gradgen); checks that a rebuild with nothing
# changed regenerates nothing, and that editing the program file, or a newer
# gradgen binary, regenerates the header.
set -euo pipefail
build=$1
source_dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -x "$work/prefix/bin/gradgen" || fail "no bin/gradgen installed"
test -f "$work/prefix/include/gradgen/check.hpp" || fail "no include/gradgen/check.hpp installed"

cp -r "$source_dir" "$work/src"
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log" \
  || { cat "$work/configure.log"; fail "the consumer did not configure"; }

first=$(cmake --build "$work/build" 2>&1) || { echo "$first"; fail "the consumer did not build"; }
echo "$first" | grep -q "gradgen: generating" || { echo "$first"; fail "the header was not generated"; }
out=$("$work/build/consumer") || { echo "$out"; fail "the consumer failed"; }
echo "$out"
echo "$out" | grep -q "^value -12$" || fail "expected value -12 from (x + y) * z"

again=$(cmake --build "$work/build" 2>&1)
echo "$again" | grep -q "no work to do" || { echo "$again"; fail "a rebuild with nothing changed did work"; }

# Edit the program: the next build regenerates the header.
sleep 1
printf '// edited\n(x + y) * z * 2\n' > "$work/src/loss.gg"
edited=$(cmake --build "$work/build" 2>&1) || { echo "$edited"; fail "the edited consumer did not build"; }
echo "$edited" | grep -q "gradgen: generating" || { echo "$edited"; fail "editing loss.gg did not regenerate"; }
out=$("$work/build/consumer")
echo "$out" | grep -q "^value -24$" || { echo "$out"; fail "expected value -24 after the edit"; }

# A newer gradgen binary regenerates too.
sleep 1
touch "$work/prefix/bin/gradgen"
newer=$(cmake --build "$work/build" 2>&1)
echo "$newer" | grep -q "gradgen: generating" || { echo "$newer"; fail "a newer gradgen did not regenerate"; }
echo "consumer: ok"
