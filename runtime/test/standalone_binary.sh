#!/usr/bin/env bash
# ctest runtime.standalone_binary: a compiled model needs nothing beyond the
# C library. Compiles examples/small_resnet.mlir to an executable and to a
# shared library, then checks that
#   - neither has an RPATH or RUNPATH, and each NEEDs only libc.so.6,
#     libm.so.6, libpthread.so.0 and the dynamic loader;
#   - ldd resolves nothing into LLVM's directories (no libomp);
#   - the library exports no OpenMP runtime symbol (__kmpc_*, omp_*);
#   - the executable runs in an empty environment, with --threads 1,
#     --threads 2 and the default count, giving bit-identical outputs
#     (within 1e-5 relative if not bit-identical and numpy is available);
#   - the library gives the same output when 4 program threads call it at
#     once (runtime/test/concurrent_callers.c, built with $CC);
#   - the library's run functions return their error statuses and messages,
#     run with the caller's workspace, and return CNNRT_ERR_OUT_OF_MEMORY
#     when the address space is too small for the workspace, for a fixed
#     batch and for a dynamic one (runtime/test/api_errors.c).
#
#   runtime/test/standalone_binary.sh [--link=cnnc|manual] CNNC [MODEL.mlir]
#
# --link=cnnc (default): `cnnc MODEL -o model`, the compiler's own link line.
# --link=manual: `cnnc --emit=obj` and the link line cnnc is meant to use,
#   run here; for trying the runtime before the compiler's link line changes.
# CC (default clang-22) links in manual mode and builds the C test driver.
set -u
link=cnnc
case ${1:-} in
  --link=cnnc | --link=manual) link=${1#--link=}; shift ;;
  --link=*) echo "usage: $0 [--link=cnnc|manual] CNNC [MODEL.mlir]" >&2; exit 2 ;;
esac
if (($# < 1)); then
  echo "usage: $0 [--link=cnnc|manual] CNNC [MODEL.mlir]" >&2
  exit 2
fi
cnnc=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
model=${2:-$root/examples/small_resnet.mlir}
cc=${CC:-clang-22}
python=${PYTHON:-/usr/bin/python3}

work=$(mktemp -d "${TMPDIR:-/tmp}/cnnrt-standalone.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Build the executable and the shared library.
if [[ $link == cnnc ]]; then
  "$cnnc" "$model" -o "$work/model" || { echo "FAIL: cnnc -o model"; exit 1; }
  "$cnnc" --emit=lib "$model" -o "$work/libmodel.so" ||
    { echo "FAIL: cnnc --emit=lib"; exit 1; }
else
  lib=$(cd "$(dirname "$cnnc")/../lib" && pwd)
  "$cnnc" --emit=obj "$model" -o "$work/model.o" ||
    { echo "FAIL: cnnc --emit=obj"; exit 1; }
  "$cc" -fuse-ld=lld -o "$work/model" "$work/model.o" \
    "$lib/libcnnrt_main.a" "$lib/libcnnrt.a" -lm -lpthread ||
    { echo "FAIL: link the executable"; exit 1; }
  "$cc" -shared -fuse-ld=lld -o "$work/libmodel.so" "$work/model.o" \
    "$lib/libcnnrt.a" -lm -lpthread ||
    { echo "FAIL: link the shared library"; exit 1; }
fi

for binary in "$work/model" "$work/libmodel.so"; do
  name=$(basename "$binary")
  dynamic=$(readelf -d "$binary") || { fail "$name: readelf -d"; continue; }
  if grep -Eq '\((RPATH|RUNPATH)\)' <<<"$dynamic"; then
    fail "$name has a run path: $(grep -E '\((RPATH|RUNPATH)\)' <<<"$dynamic")"
  fi
  while read -r needed; do
    case $needed in
      libc.so.6 | libm.so.6 | libpthread.so.0 | ld-linux*.so.*) ;;
      *) fail "$name needs $needed" ;;
    esac
  done < <(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dynamic")
  resolved=$(env -i PATH=/usr/bin:/bin ldd "$binary" 2>&1)
  if grep -Eq 'llvm|not found' <<<"$resolved"; then
    fail "$name: ldd: $(grep -E 'llvm|not found' <<<"$resolved" | tr '\n' ' ')"
  fi
done
exported=$(nm -D --defined-only "$work/libmodel.so" | grep -E ' (__kmpc_|omp_)')
[[ -z $exported ]] || fail "libmodel.so exports $(tr '\n' ' ' <<<"$exported")"

# Run with LLVM's directories out of reach.
cd "$work" || exit 1
run() {
  local out=$1
  shift
  env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH= ./model --output "$out" "$@" \
    >"$out.log" 2>&1 || { fail "./model $* (exit $?): $(cat "$out.log")"; return 1; }
}
run y1.npy --threads 1
run y2.npy --threads 2
run ydefault.npy
run ybench.npy --threads 2 --bench 5
grep -q 'bench: runs=5 threads=2' ybench.npy.log ||
  fail "--bench: $(cat ybench.npy.log)"
for other in y2.npy ydefault.npy ybench.npy; do
  [[ -f y1.npy && -f $other ]] || continue
  cmp -s y1.npy "$other" && continue
  if "$python" -c 'import numpy' 2>/dev/null &&
     "$python" - y1.npy "$other" <<'EOF'; then
import sys, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
sys.exit(0 if a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-6) else 1)
EOF
    echo "note: $other differs from y1.npy within 1e-5"
  else
    fail "$other differs from y1.npy (--threads 1)"
  fi
done

# Several program threads calling the library at once.
if "$cc" -I"$root/runtime/include" -o concurrent_callers \
  "$root/runtime/test/concurrent_callers.c" -L"$work" -lmodel -lpthread; then
  env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$work" ./concurrent_callers ||
    fail "concurrent_callers"
else
  fail "cannot build concurrent_callers"
fi

# Error statuses, workspaces and running out of memory, fixed and dynamic.
if [[ $link == cnnc ]]; then
  mkdir -p dynamic
  "$cnnc" --emit=lib --batch=dynamic --batch-block=16 "$model" \
    -o dynamic/libmodel.so || fail "cnnc --emit=lib --batch=dynamic"
  for kind in fixed dynamic; do
    dir=$work
    [[ $kind == dynamic ]] && dir=$work/dynamic
    if "$cc" -I"$root/runtime/include" -o "api_errors_$kind" \
      "$root/runtime/test/api_errors.c" -L"$dir" -lmodel; then
      env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$dir" "./api_errors_$kind" \
        "$kind" || fail "api_errors $kind"
    else
      fail "cannot build api_errors"
    fi
  done
fi

if ((failures)); then
  echo "runtime.standalone_binary: $failures failures (--link=$link)"
  exit 1
fi
echo "runtime.standalone_binary: ok (--link=$link): $(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$(readelf -d model)" | tr '\n' ' ')"
