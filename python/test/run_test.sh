#!/bin/bash
# Installs the cnnc package with pip (offline) into SITE and runs
# test_cnnc.py with PYTHONPATH=SITE: the package as users get it.
#
#   run_test.sh PYTHON SITE SOURCE_DIR CNNC
#
# Exits 77 (CTest's skip) if PYTHON lacks pip, numpy or torch.
set -e
python="$1" site="$2" source="$3" cnnc="$4"
if ! "$python" -c 'import pip, numpy, torch' 2>/dev/null; then
  echo "skipped: $python lacks pip, numpy or torch"
  exit 77
fi
# pip builds in the directory it installs from: a copy, not the sources.
copy="$site-src"
rm -rf "$site" "$copy"
cp -r "$source" "$copy"
rm -rf "$copy/build" "$copy"/*.egg-info
"$python" -m pip install --quiet --no-build-isolation --no-deps --no-index \
  --disable-pip-version-check --target "$site" "$copy"
PYTHONPATH="$site" exec "$python" "$source/test/test_cnnc.py" \
  --cnnc "$cnnc" --expect-package-dir "$site/cnnc"
