#!/usr/bin/env bash
# Redraws the tutorial's pictures with gradgen dot and Graphviz.
# Usage: docs/render-images.sh [path/to/gradgen]
set -euo pipefail
cd "$(dirname "$0")"
gradgen=${1:-../build/gradgen}
mkdir -p images
"$gradgen" dot "q = x + y; f = q * z" --at x=-2,y=5,z=-4 --svg images/circuit.svg
"$gradgen" dot "sig(a*x + b*y + c)" --at a=1,b=2,c=-3,x=-1,y=3 --inputs a,b,c,x,y --svg images/neuron.svg
