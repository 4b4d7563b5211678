"""Writes malformed .npy inputs for a compiled model of input (1, 3, 32, 32).

usage: make_bad_npy.py OUTDIR
"""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
x = np.random.default_rng(0).standard_normal((1, 3, 32, 32))
np.save(os.path.join(out, "good.npy"), x.astype("<f4"))
np.save(os.path.join(out, "f64.npy"), x)
np.save(os.path.join(out, "big_endian.npy"), x.astype(">f4"))
np.save(os.path.join(out, "fortran.npy"), np.asfortranarray(x.astype("<f4")))
good = open(os.path.join(out, "good.npy"), "rb").read()


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("truncated.npy", good[:-10])
write("extra.npy", good + b"xx")
write("garbage.npy", b"this is not numpy" * 10)
write("empty.npy", b"")
version9 = bytearray(good)
version9[6] = 9
write("version9.npy", bytes(version9))
