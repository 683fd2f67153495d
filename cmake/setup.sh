#!/usr/bin/env bash
# Sets gradgen up on a Debian machine: installs the Debian packages it needs
# (only those missing, so running it again is cheap), configures and builds
# it in ./build, and runs it once on the guide's example.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ clang cmake ninja-build tao-pegtl-dev libfmt-dev catch2 libbenchmark-dev libeigen3-dev graphviz
          dpkg-dev file man-db)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
./build/gradgen "pow((a*b+c)*d,2)"
