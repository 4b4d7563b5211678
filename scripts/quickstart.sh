#!/usr/bin/env bash
# Quick start, step 1: install dependencies, build, and run the main job:
# compile an example network to a native executable and run it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
echo "== cnnc examples/small_resnet.mlir -o $build/small_resnet"
"$build/bin/cnnc" "$root/examples/small_resnet.mlir" -o "$build/small_resnet"
echo "== $build/small_resnet"
"$build/small_resnet"
"$build/small_resnet" --bench 10
