#!/usr/bin/env bash
# Builds the consumer project (this directory, copied) against gradgen the
# way a user would, and runs it.
#   run.sh BUILD WAY GENERATOR
# BUILD: gradgen's build directory; WAY: installed (find_package against
# `cmake --install BUILD`), subdirectory (add_subdirectory of the source) or
# fetchcontent (FetchContent of a source archive); GENERATOR: a CMake
# generator ("Unix Makefiles", CMake's default, or Ninja).
# Checks that a rebuild with nothing changed regenerates nothing, and that
# editing the program file, or a newer gradgen binary, regenerates the
# header; when embedded, that gradgen's own install rules stay out of the
# consumer's install.
set -euo pipefail
build=$1
way=$2
generator=$3
source_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$source_dir/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL ($way, $generator): $*" >&2; exit 1; }

cp -r "$source_dir" "$work/src"
configure=(-S "$work/src" -B "$work/build" -G "$generator" -DGRADGEN_VIA="$way")
case "$way" in
  installed)
    cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
    test -x "$work/prefix/bin/gradgen" || fail "no bin/gradgen installed"
    test -f "$work/prefix/include/gradgen/check.hpp" || fail "no include/gradgen/check.hpp installed"
    configure+=(-DCMAKE_PREFIX_PATH="$work/prefix")
    gradgen_binary="$work/prefix/bin/gradgen"
    ;;
  subdirectory)
    configure+=(-DGRADGEN_SOURCE="$root")
    gradgen_binary="$work/build/third_party/codegen/gradgen"
    ;;
  fetchcontent)
    # A source archive, as a release or a copy of the repository would be.
    tar -C "$root" --exclude-vcs --exclude='./build*' --exclude='./web/dist' \
        --exclude='./web/node_modules' --transform 's,^\.,gradgen-src,' -czf "$work/gradgen.tar.gz" .
    configure+=(-DGRADGEN_ARCHIVE="$work/gradgen.tar.gz")
    gradgen_binary="$work/build/_deps/gradgen-build/gradgen"
    ;;
  *) fail "unknown way '$way'" ;;
esac
cmake "${configure[@]}" > "$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "the consumer did not configure"; }

build_it() { cmake --build "$work/build" --parallel 2 2>&1; }
generated() { grep -q "gradgen: generating"; }

first=$(build_it) || { echo "$first"; fail "the consumer did not build"; }
echo "$first" | generated || { echo "$first"; fail "the header was not generated"; }
out=$("$work/build/consumer") || { echo "$out"; fail "the consumer failed"; }
echo "$out"
echo "$out" | grep -q "^value -12$" || fail "expected value -12 from (x + y) * z"

again=$(build_it)
if echo "$again" | generated; then echo "$again"; fail "a rebuild with nothing changed regenerated"; fi

# Edit the program: the next build regenerates the header.
sleep 1
printf '// edited\n(x + y) * z * 2\n' > "$work/src/loss.gg"
edited=$(build_it) || { echo "$edited"; fail "the edited consumer did not build"; }
echo "$edited" | generated || { echo "$edited"; fail "editing loss.gg did not regenerate"; }
out=$("$work/build/consumer")
echo "$out" | grep -q "^value -24$" || { echo "$out"; fail "expected value -24 after the edit"; }

# A newer gradgen binary regenerates too.
sleep 1
touch "$gradgen_binary"
newer=$(build_it)
echo "$newer" | generated || { echo "$newer"; fail "a newer gradgen did not regenerate"; }

# The generated folder removed: the build makes it again (Make does not
# make an output's folder by itself).
rm -rf "$work/build/gradgen"
remade=$(build_it) || { echo "$remade"; fail "the build did not remake the generated folder"; }

# Embedded, gradgen's install rules stay out of the consumer's install.
if [ "$way" != installed ]; then
  cmake --install "$work/build" --prefix "$work/consumer-prefix" > "$work/consumer-install.log"
  test -x "$work/consumer-prefix/bin/consumer" || fail "the consumer's own install rule did not run"
  leaked=$(cd "$work/consumer-prefix" && find . -type f ! -path ./bin/consumer)
  [ -z "$leaked" ] || { echo "$leaked"; fail "embedding gradgen installed its own files"; }
fi
echo "consumer ($way, $generator): ok"
