#!/usr/bin/env bash
# The AddressSanitizer + UndefinedBehaviorSanitizer build: compiler, runtime
# and compiled models (they link the instrumented runtime) in build-asan,
# then the fast tests there: lit (cnnc on every input of the suite, compiled
# models run on good and bad inputs, leaks checked) and the unit tests.
#
#   bash scripts/sanitize.sh            build + test
#   BUILD_DIR=/path bash scripts/sanitize.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-asan}
bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DCNNC_SANITIZE=ON -DCNNC_FUZZERS=OFF >/dev/null
cmake --build "$build"
# Leaks are errors; the runtime's thread pool and MLIR's uniqued storage live
# until exit on purpose (suppressed in lsan.supp).
# allow_user_poisoning=0: see test/fuzz/run_fuzzer.sh (LLVM's allocator
# annotations in instrumented inline code, uninstrumented libMLIR).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0:allow_user_poisoning=0
export LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# (lit.avx2_host, the lit suite again with an AVX2 host's decisions, is
# the release build's: the same code paths, twice as long under ASan.)
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure -E "^(e2e|e2e-avx2|conformance|fuzz)\.|^lit\.avx2_host$"
