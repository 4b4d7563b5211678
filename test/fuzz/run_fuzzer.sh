#!/usr/bin/env bash
# Runs one cnnc fuzz target on a seed corpus.
#
#   run_fuzzer.sh FUZZER {onnx|mlir|npy} WORKDIR [libFuzzer flags...]
#
# Seeds come from the project's own test inputs and from the inputs of past
# findings (test/fuzz/regressions/KIND), written into WORKDIR/seeds; inputs
# the fuzzer finds interesting go to WORKDIR/corpus, crashes to
# WORKDIR/crash-* (the run fails). FUZZ_FRESH=1 starts from an empty corpus
# (the test suite's smoke runs: with a fixed -seed and -runs, they are
# repeatable).
set -euo pipefail
fuzzer=$1 kind=$2 work=$3
shift 3
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
if [[ "${FUZZ_FRESH:-0}" == 1 ]]; then
  rm -rf "$work/corpus"
fi
rm -rf "$work/seeds" && mkdir -p "$work/seeds" "$work/corpus"
if [[ -d "$root/test/fuzz/regressions/$kind" ]]; then
  cp "$root/test/fuzz/regressions/$kind"/* "$work/seeds/"
fi

case $kind in
  onnx)
    # Good and bad models of the importer's lit tests.
    "$python" "$root/test/lit/cnnc/Inputs/make_onnx.py" "$work/seeds" >/dev/null
    rm -f "$work/seeds"/*.npy "$work/seeds"/*.weights
    ;;
  mlir)
    # Every split of the dialect and pass tests, and the example models.
    "$python" - "$work/seeds" "$root" <<'PY'
import glob, os, sys
out, root = sys.argv[1], sys.argv[2]
files = glob.glob(os.path.join(root, "examples", "*.mlir"))
files += glob.glob(os.path.join(root, "test", "lit", "**", "*.mlir"), recursive=True)
n = 0
for path in sorted(files):
    for part in open(path).read().split("// -----"):
        with open(os.path.join(out, "seed%03d.mlir" % n), "w") as f:
            f.write(part)
        n += 1
PY
    ;;
  npy)
    "$python" - "$work/seeds" <<'PY'
import os, sys
import numpy as np
out = sys.argv[1]
rng = np.random.default_rng(0)
arrays = {
    "f4": rng.standard_normal((1, 3, 4, 4)).astype("<f4"),
    "scalar": np.array(1.5, "<f4"),
    "big_endian": rng.standard_normal((2, 3)).astype(">f4"),
    "f8": rng.standard_normal((2, 2)),
    "fortran": np.asfortranarray(rng.standard_normal((3, 2)).astype("<f4")),
    "empty": np.zeros((0, 4), "<f4"),
}
for name, array in arrays.items():
    np.save(os.path.join(out, name + ".npy"), array)
with open(os.path.join(out, "v2.npy"), "wb") as f:
    np.lib.format.write_array(f, arrays["f4"], version=(2, 0))
PY
    ;;
  *) echo "run_fuzzer.sh: unknown kind '$kind'" >&2; exit 2 ;;
esac

cd "$work"
# The fuzzers' own code is instrumented, libMLIR/libLLVM are not. LLVM's
# BumpPtrAllocator poisons a new slab when instrumented inline code (a cnn
# attribute's storage, say) allocates it and unpoisons only that piece, so
# what uninstrumented code later allocates from the same slab reads as
# "use-after-poison": a false positive of mixed instrumentation, seen in
# fuzz.mlir once the #cnn.kernel attribute entered the seeds. Manual
# poisoning is ignored; heap errors are still found.
export ASAN_OPTIONS="allow_user_poisoning=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
exec "$fuzzer" -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$work/" "$@" \
  "$work/corpus" "$work/seeds"
