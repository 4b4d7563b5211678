"""Writes a cnn-dialect model whose weights are all dense_resource blobs:
3x3 convolution (32 -> 32 channels, 8x8) -> batch norm -> ReLU -> 3x3
convolution -> batch norm -> residual add -> ReLU. Every batch norm can fold
and every ReLU and the add can fuse, and the 3x3 layers are Winograd
candidates, if the passes read resource blobs.

  make_bn_resource.py OUT.mlir
"""
import sys

import numpy as np

rng = np.random.default_rng(7)
C, H = 32, 8
blobs = {}


def blob(name, array):
    blobs[name] = "0x04000000" + array.astype("<f4").tobytes().hex().upper()
    return f"dense_resource<{name}> : tensor<{'x'.join(map(str, array.shape))}xf32>"


def norm_params(prefix):
    return [blob(f"{prefix}_g", rng.uniform(0.5, 1.5, C)),
            blob(f"{prefix}_b", rng.normal(0, 0.1, C)),
            blob(f"{prefix}_m", rng.normal(0, 0.1, C)),
            blob(f"{prefix}_v", rng.uniform(0.5, 1.5, C))]


t = f"tensor<1x{C}x{H}x{H}xf32>"
w = f"tensor<{C}x{C}x3x3xf32>"
v = f"tensor<{C}xf32>"
lines = [f"func.func @forward(%x: {t}) -> {t} {{"]
lines.append(f"  %w1 = arith.constant {blob('w1', rng.normal(0, 0.1, (C, C, 3, 3)))}")
lines.append(f"  %w2 = arith.constant {blob('w2', rng.normal(0, 0.1, (C, C, 3, 3)))}")
for i, p in enumerate(["n1", "n2"]):
    for name, value in zip("gbmv", norm_params(p)):
        lines.append(f"  %{p}{name} = arith.constant {value}")
lines += [
    f"  %0 = cnn.conv2d %x, %w1 padding [1, 1, 1, 1] : ({t}, {w}) -> {t}",
    f"  %1 = cnn.batch_norm %0, %n1g, %n1b, %n1m, %n1v : ({t}, {v}, {v}, {v}, {v}) -> {t}",
    f"  %2 = cnn.relu %1 : {t}",
    f"  %3 = cnn.conv2d %2, %w2 padding [1, 1, 1, 1] : ({t}, {w}) -> {t}",
    f"  %4 = cnn.batch_norm %3, %n2g, %n2b, %n2m, %n2v : ({t}, {v}, {v}, {v}, {v}) -> {t}",
    f"  %5 = cnn.add %4, %x : {t}",
    f"  %6 = cnn.relu %5 : {t}",
    f"  return %6 : {t}",
    "}",
    "{-#",
    "  dialect_resources: {",
    "    builtin: {",
    ",\n".join(f"      {k}: \"{h}\"" for k, h in blobs.items()),
    "    }",
    "  }",
    "#-}",
]
with open(sys.argv[1], "w") as f:
    f.write("\n".join(lines) + "\n")
