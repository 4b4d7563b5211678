#!/usr/bin/env bash
# Interleaved A/B timing of two builds of one model (bench/ab.c): each pair
# of inferences, one of each build, runs under the same conditions, so the
# median per-pair ratio stays steady on a machine whose speed drifts.
#
#   bash bench/ab.sh MODEL [--threads T] [--pairs N] -- CNNC FLAGS A -- CNNC FLAGS B
#   bash bench/ab.sh efficientnet_b0.onnx --threads 2 -- --kernel-config off.json --
#
# prints each build's median and minimum and the median ratio b/a (below 1:
# b is faster) with its quartiles.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
usage() { echo "usage: bench/ab.sh MODEL [--threads T] [--pairs N] -- FLAGS_A -- FLAGS_B" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
model=$1; shift
threads=1 pairs=200
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in
    --threads) threads=${2:?}; shift 2 ;;
    --pairs) pairs=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
[[ $# -gt 0 ]] || usage
shift
a=() b=()
while [[ $# -gt 0 && $1 != -- ]]; do a+=("$1"); shift; done
[[ $# -gt 0 ]] || usage
shift
b=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bin/cnnc" --emit=obj --name a "${a[@]}" "$model" -o "$work/a.o"
"$build/bin/cnnc" --emit=obj --name b "${b[@]}" "$model" -o "$work/b.o"
cc -O2 "$root/bench/ab.c" "$work/a.o" "$work/b.o" -I"$work" -I"$root/runtime/include" \
  "$build/lib/libcnnrt.a" -lm -lpthread -o "$work/ab"
OMP_NUM_THREADS=$threads "$work/ab" "$pairs"
