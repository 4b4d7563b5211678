#!/usr/bin/env bash
# Installs everything cnnc needs to build and test on Debian 12 (run as root).
set -euo pipefail

packages=(
  # Toolchain: LLVM/MLIR 22 from Debian, clang/lld to link produced binaries.
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22 libomp-22-dev
  # Build and test tools.
  cmake ninja-build ccache libfmt-dev libgtest-dev
  # ONNX import.
  libonnx-dev libprotobuf-dev protobuf-compiler
  # Oracles for conformance tests.
  python3-numpy python3-onnx python3-torch python3-torchvision
  # The Python package (pip install --no-build-isolation ./python) and the
  # install test's pkg-config program.
  python3-pip python3-setuptools pkg-config
  # Checks of compiled models (valgrind) and pictures of graphs.
  valgrind graphviz
  # libFuzzer and the sanitizer runtimes of clang-22 (fuzz targets, ASan build).
  libclang-rt-22-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all dependencies present"
