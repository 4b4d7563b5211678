#!/usr/bin/env python3
"""Compare a cnnc model output against the reference.

  compare.py ACTUAL.npy EXPECTED.npy [--rtol 1e-3]

Passes when
  * the shapes are equal and ACTUAL is a finite floating-point array,
  * max|actual - expected| <= rtol * max(max|expected|, 1e-6),
  * for rank-2 outputs (N x classes), argmax per row is equal -- rows whose
    two largest expected values are within the tolerance of each other (near
    ties, e.g. all-zero rows after relu) are not argmax-checked.
Prints one line, `ok: max_abs_err=... rel=...` or `FAIL: ...`; exits 1 on failure.
"""

import argparse
import sys

import numpy as np


def compare(actual, expected, rtol):
    if actual.shape != expected.shape:
        return False, "shape mismatch: actual %s vs expected %s" % (actual.shape, expected.shape)
    if actual.dtype.kind != "f":
        return False, "actual dtype %s is not floating point" % actual.dtype
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    if not np.all(np.isfinite(a)):
        bad = np.argwhere(~np.isfinite(a))[0]
        return False, "non-finite value %r at index %s" % (a[tuple(bad)], tuple(int(i) for i in bad))
    if a.size == 0:
        return True, "ok: empty output"
    scale = max(float(np.max(np.abs(e))), 1e-6)
    tol = rtol * scale
    diff = np.abs(a - e)
    err = float(diff.max())
    rel = err / scale
    if err > tol:
        idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))
        nbad = int(np.count_nonzero(diff > tol))
        return False, ("max_abs_err=%.3e rel=%.3e > %.1e at index %s (actual %.6g, expected %.6g); "
                       "%d of %d elements out of tolerance" % (
                           err, rel, rtol, idx, a[idx], e[idx], nbad, a.size))
    if a.ndim == 2 and a.shape[1] > 1:
        for r in range(a.shape[0]):
            top2 = np.sort(e[r])[-2:]
            if top2[1] - top2[0] <= 2 * tol:
                continue  # near tie: argmax is not well defined
            ia, ie = int(np.argmax(a[r])), int(np.argmax(e[r]))
            if ia != ie:
                return False, "argmax mismatch in row %d: actual %d vs expected %d" % (r, ia, ie)
    return True, "ok: max_abs_err=%.3e rel=%.3e shape=%s" % (
        err, rel, "x".join(str(d) for d in a.shape))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("actual")
    ap.add_argument("expected")
    ap.add_argument("--rtol", type=float, default=1e-3)
    args = ap.parse_args()
    try:
        actual = np.load(args.actual, allow_pickle=False)
        expected = np.load(args.expected, allow_pickle=False)
    except Exception as ex:  # unreadable / malformed .npy
        print("FAIL: cannot load: %s" % ex)
        return 1
    ok, msg = compare(actual, expected, args.rtol)
    print(msg if ok else "FAIL: " + msg)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
