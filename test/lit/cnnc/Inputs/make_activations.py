"""Writes a cnn-dialect model with every activation a convolution can fuse,
each behind a different kernel: 3x3 (Winograd candidates: 32 -> 32 channels
at 16x16) with SiLU and GELU, a depthwise 3x3 with ReLU6 (clip), a grouped
3x3 (4 groups of 8) with hard-swish, a 1x1 with sigmoid, and a stride-2 3x3
(direct) with SiLU after a residual.

  make_activations.py OUT.mlir
"""
import sys

import numpy as np

rng = np.random.default_rng(11)
C, H = 32, 16


def const(shape, std):
    data = rng.normal(0, std, shape).astype("<f4")
    return (f"arith.constant dense<\"0x{data.tobytes().hex().upper()}\"> : "
            f"tensor<{'x'.join(map(str, shape))}xf32>")


t = f"tensor<1x{C}x{H}x{H}xf32>"
lines = [f"func.func @forward(%x: {t}) -> tensor<1x{C}x8x8xf32> {{"]


def conv(name, src, shape, extra, out=t):
    fan_in = shape[1] * shape[2] * shape[3]
    lines.append(f"  %{name}_w = {const(shape, np.sqrt(2.0 / fan_in))}")
    lines.append(f"  %{name}_b = {const((shape[0],), 0.2)}")
    ftype = f"tensor<{'x'.join(map(str, shape))}xf32>"
    lines.append(f"  %{name} = cnn.conv2d %{src}, %{name}_w bias(%{name}_b) "
                 f"{extra} : ({t}, {ftype}, tensor<{shape[0]}xf32>) -> {out}")


def act(name, src, op, out=t):
    lines.append(f"  %{name} = cnn.{op} %{src} : {out}")


conv("c1", "x", (C, C, 3, 3), "padding [1, 1, 1, 1]")
act("a1", "c1", "silu")
conv("c2", "a1", (C, 1, 3, 3), "padding [1, 1, 1, 1] groups 32")
lines.append(f"  %a2 = cnn.clip %c2 min 0.0 max 6.0 : {t}")
conv("c3", "a2", (C, 8, 3, 3), "padding [1, 1, 1, 1] groups 4")
act("a3", "c3", "hard_swish")
conv("c4", "a3", (C, C, 3, 3), "padding [1, 1, 1, 1]")
act("a4", "c4", "gelu")
conv("c5", "a4", (C, C, 1, 1), "")
act("a5", "c5", "sigmoid")
lines.append(f"  %r = cnn.add %a5, %a1 : {t}")
o = f"tensor<1x{C}x8x8xf32>"
conv("c6", "r", (C, C, 3, 3), "strides [2, 2] padding [1, 1, 1, 1]", o)
act("a6", "c6", "silu", o)
lines.append(f"  return %a6 : {o}")
lines.append("}")
with open(sys.argv[1], "w") as f:
    f.write("\n".join(lines) + "\n")
