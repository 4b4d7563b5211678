#!/usr/bin/env bash
# Runs cnnc end-to-end cases by hand (the lit tests do the same per case):
#   generate -> cnnc compile -> run the executable -> compare with the oracle.
#
#   test/e2e/run_cases.sh [-c PATH/TO/cnnc] [-f "CNNC FLAGS"] [-k] [CASE...]
#
# Without CASE arguments the cases listed in cases.txt are run. -f passes
# flags to every cnnc call (e.g. -f --target-cpu=x86-64-v3 for AVX2 code on
# an AVX-512 host). -k keeps the work directory. PYTHON (default /usr/bin/python3) must have numpy and torch.
set -u
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/usr/bin/python3}
cnnc=cnnc
keep=0
flags=()
while getopts "c:f:k" opt; do
  case $opt in
    c) cnnc=$OPTARG ;;
    f) read -r -a flags <<<"$OPTARG" ;;
    k) keep=1 ;;
    *) echo "usage: $0 [-c cnnc] [-f flags] [-k] [CASE...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if (($# == 0)); then
  mapfile -t cases < <(grep -v '^[[:space:]]*\(#\|$\)' "$here/cases.txt")
else
  cases=("$@")
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/cnnc-e2e.XXXXXX")
pass=0
failed=()
for c in "${cases[@]}"; do
  d=$work/$c
  log=$d.log
  if "$python" "$here/gen_case.py" "$c" "$d" >"$log" 2>&1 &&
     "$cnnc" "${flags[@]}" "$d/model.mlir" -o "$d/model" >>"$log" 2>&1 &&
     "$d/model" --input "$d/input.npy" --output "$d/out.npy" >>"$log" 2>&1 &&
     msg=$("$python" "$here/compare.py" "$d/out.npy" "$d/expected.npy" 2>&1); then
    printf 'PASS %-32s %s\n' "$c" "$msg"
    pass=$((pass + 1))
  else
    printf 'FAIL %-32s %s\n' "$c" "${msg:-$(tail -n 3 "$log" | tr '\n' ' ')}"
    failed+=("$c")
  fi
  unset msg
done
echo "passed $pass of ${#cases[@]}"
if ((keep)); then echo "work directory: $work"; else rm -rf "$work"; fi
if ((${#failed[@]})); then echo "failed: ${failed[*]}"; exit 1; fi
