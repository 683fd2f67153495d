#!/usr/bin/env bash
# The Debian package, as a user gets it: builds it with `cpack -G DEB` from
# the build directory $1, installs it with apt (which brings what it
# depends on), and checks that what it installs works: the binary, the man
# page, the bash completion, and the CMake package with a consumer project
# built against /usr with no hints. Removes the package afterwards. Needs
# root (CI runs it; `sudo tests/deb/run.sh build` by hand).
set -euo pipefail
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

(cd "$build" && cpack -G DEB > cpack.log) || { cat "$build/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$build"/gradgen_*.deb | head -n 1)
[ -f "$deb" ] || fail "no gradgen_*.deb in $build"
echo "package: $(basename "$deb")"
dpkg-deb --info "$deb" | grep -E "Package|Version|Depends|Recommends" || true

cleanup() { $sudo dpkg --purge gradgen > /dev/null 2>&1 || true; }
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$deb" > /dev/null \
  || fail "the package did not install"

test "$(command -v gradgen)" = /usr/bin/gradgen || fail "gradgen is not /usr/bin/gradgen"
gradgen --version | grep -q "^gradgen " || fail "gradgen --version"
gradgen "(x + y) * z" | grep -q "f_grad(" || fail "the installed gradgen does not generate"
man -w gradgen > /dev/null || fail "man gradgen finds no page"
MANWIDTH=80 man gradgen 2> /dev/null | grep -q "gradgen check" || fail "the man page lacks gradgen check"
completion=$(dpkg -L gradgen | grep "bash-completion/completions/gradgen$") || fail "no bash completion installed"
bash -c "source '$completion'; complete -p gradgen" | grep -q "_gradgen" || fail "the completion does not register"
test -f /usr/include/gradgen/check.hpp || fail "no /usr/include/gradgen/check.hpp"

# A project that finds the installed package with no hints, under CMake's
# default generator.
work=$(mktemp -d)
trap 'rm -rf "$work"; cleanup' EXIT
cp -r "$root/tests/consumer" "$work/src"
cmake -S "$work/src" -B "$work/build" -DGRADGEN_VIA=installed > "$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "the consumer did not configure against the package"; }
cmake --build "$work/build" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "the consumer did not build"; }
"$work/build/consumer" | grep -q "^value -12$" || fail "the consumer computed the wrong value"
grep -q "/usr/bin/gradgen" "$work/build/CMakeFiles/consumer.dir/build.make" 2> /dev/null \
  || grep -rq "/usr/bin/gradgen" "$work/build/CMakeFiles" || fail "the consumer did not use /usr/bin/gradgen"
echo "deb: ok"
