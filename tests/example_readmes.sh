#!/usr/bin/env bash
# The generated code the examples' READMEs show must be what gradgen
# generates: every line of their ```cpp blocks (but "...") must appear in
# the headers the build generated for that example. $1: the build directory.
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for readme in "$root"/examples/*/README.md; do
  example=$(basename "$(dirname "$readme")")
  headers=("$build/examples/$example/gradgen/"*.hpp)
  [ -f "${headers[0]}" ] || { echo "no generated header for $example"; status=1; continue; }
  awk '/^```cpp/{inside=1; next} /^```/{inside=0} inside' "$readme" | while IFS= read -r line; do
    [ -z "${line// /}" ] && continue
    [ "${line// /}" = "..." ] && continue
    if ! grep -qF -- "$line" "${headers[@]}"; then
      echo "examples/$example/README.md shows a line the generated header lacks:"
      echo "  $line"
      exit 1
    fi
  done || status=1
done
[ $status -eq 0 ] && echo "the examples' READMEs match the generated code"
exit $status
