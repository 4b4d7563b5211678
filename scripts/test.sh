#!/usr/bin/env bash
# Quick start, step 2: run every test (lit suites, unit tests, end-to-end
# numerical tests against PyTorch, fuzz smoke runs) through CTest, then the
# sanitizer build's fast tests (scripts/sanitize.sh; CNNC_SKIP_SANITIZE=1
# skips it). Installs and builds first if needed, so it also works on a
# fresh machine and in CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure
# The AddressSanitizer + UBSan build and its fast tests (build-asan).
if [[ "${CNNC_SKIP_SANITIZE:-0}" != 1 ]]; then
  bash "$root/scripts/sanitize.sh"
fi
