#!/usr/bin/env bash
# Side-by-side benchmark (cnnc vs ONNX Runtime vs PyTorch): installs
# onnxruntime-node into bench/ if needed, builds cnnc, runs bench/run.py.
# Arguments are passed to bench/run.py, e.g.
#   bash scripts/bench.sh --models resnet18 --batches 1 --threads 1 2
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
if [[ ! -d $root/bench/node_modules/onnxruntime-node ]]; then
  (cd "$root/bench" && npm install --ignore-scripts --no-audit --no-fund onnxruntime-node)
fi
exec /usr/bin/python3 "$root/bench/run.py" --cnnc "${BUILD_DIR:-$root/build}/bin/cnnc" "$@"
