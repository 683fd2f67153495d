#!/usr/bin/env bash
# The commands examples/README.md gives for building an example against an
# installed gradgen, run as written (CMake's default generator, ~/.local as
# the prefix), in a scratch folder whose `build` is gradgen's build ($1) and
# whose `examples` are the sources, with HOME a scratch folder too.
set -euo pipefail
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/home" "$work/cwd"
ln -s "$build" "$work/cwd/build"
ln -s "$root/examples" "$work/cwd/examples"
commands=$(awk '/^```sh/{inside=1; next} /^```/{if (inside) exit} inside' "$root/examples/README.md")
[ -n "$commands" ] || { echo "FAIL: no sh block in examples/README.md"; exit 1; }
echo "$commands"
(cd "$work/cwd" && HOME="$work/home" bash -euo pipefail -c "$commands") > "$work/log" 2>&1 \
  || { cat "$work/log"; echo "FAIL: the commands of examples/README.md did not work as written"; exit 1; }
tail -3 "$work/log"
echo "examples/README.md commands: ok"
