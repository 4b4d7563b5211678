#!/usr/bin/env python3
"""Generate one cnnc end-to-end test case.

  gen_case.py CASE OUTDIR          write OUTDIR/model.mlir, OUTDIR/input.npy,
                                   OUTDIR/expected.npy (float32, C order)
  gen_case.py --list               print all case names
  gen_case.py --example NAME FILE  write the commented example network
                                   (small_vgg | small_resnet) to FILE
  gen_case.py --selfcheck [CASE..] cross-check the torch oracle against the
                                   independent numpy loops (all cases if none)

Everything is deterministic: weights and input are drawn from
numpy.random.default_rng seeded by a CRC32 of the case name.  The expected
output is computed with torch.nn.functional in float64 and cast to float32.
"""

import argparse
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cnn_models  # noqa: E402
from cnn_models import Net  # noqa: E402

CASES = {}  # name -> (builder, batch, input_scale)


def case(name, batch2=False, input_scale=1.0):
    """Register `builder(net_seed, batch) -> Net` as NAME (and NAME_batch2)."""
    def deco(fn):
        CASES[name] = (fn, 1, input_scale)
        if batch2:
            CASES[name + "_batch2"] = (fn, 2, input_scale)
        return fn
    return deco


def _seed(name):
    return zlib.crc32(name.encode("utf-8"))


# ----------------------------------------------------------------------------
# conv2d
# ----------------------------------------------------------------------------

@case("conv_basic")
def _(s, n):
    net = Net((n, 3, 9, 11), s)
    net.conv2d(net.input, 8, 3)
    return net


@case("conv_stride2", batch2=True)
def _(s, n):
    net = Net((n, 3, 17, 13), s)
    net.conv2d(net.input, 8, 3, stride=2, padding=1)
    return net


@case("conv_stride2_nopad")
def _(s, n):  # even input, odd kernel: last row/col of the input is unused
    net = Net((n, 4, 12, 10), s)
    net.conv2d(net.input, 6, 3, stride=2)
    return net


@case("conv_asym_pad", batch2=True)
def _(s, n):
    net = Net((n, 4, 10, 7), s)
    net.conv2d(net.input, 6, 3, padding=[0, 1, 2, 0])
    return net


@case("conv_asym_pad_stride")
def _(s, n):
    net = Net((n, 3, 11, 14), s)
    net.conv2d(net.input, 5, (3, 2), stride=(2, 3), padding=[1, 0, 2, 1])
    return net


@case("conv_rect_kernel")
def _(s, n):  # non-square input and kernel, per-axis stride
    net = Net((n, 5, 7, 19), s)
    net.conv2d(net.input, 7, (1, 5), stride=(1, 2), padding=(0, 2))
    return net


@case("conv_dilation2", batch2=True)
def _(s, n):
    net = Net((n, 4, 15, 12), s)
    net.conv2d(net.input, 6, 3, padding=2, dilation=2)
    return net


@case("conv_dilation_stride")
def _(s, n):
    net = Net((n, 3, 16, 13), s)
    net.conv2d(net.input, 4, 3, stride=(1, 2), padding=[2, 1, 1, 0], dilation=(2, 3))
    return net


@case("conv_groups", batch2=True)
def _(s, n):  # 8 -> 12 channels in 4 groups of 2 -> 3
    net = Net((n, 8, 11, 9), s)
    net.conv2d(net.input, 12, 3, padding=1, groups=4)
    return net


@case("conv_groups2_stride")
def _(s, n):
    net = Net((n, 6, 13, 10), s)
    net.conv2d(net.input, 10, 3, stride=2, padding=[1, 1, 0, 0], groups=2)
    return net


@case("conv_groups8_residual_relu", batch2=True)
def _(s, n):  # 2 groups of 8 (a grouped kernel's AVX2 vector), bias,
    # residual and ReLU in the accumulator's init and epilogue
    net = Net((n, 16, 9, 13), s)
    net.conv2d(net.input, 16, 3, padding=1, groups=2, residual=net.input,
               relu=True)
    return net


@case("conv_groups_dilation_tail")
def _(s, n):  # 3 groups of 24 -> 16 channels, dilation 2, a prime width
    # (its pixel blocks have a tail)
    net = Net((n, 72, 15, 23), s)
    net.conv2d(net.input, 48, 3, padding=2, dilation=2, groups=3)
    return net


@case("conv_groups_many_stride", batch2=True)
def _(s, n):  # RegNet's stride-2 block: 13 groups of 8, few rows (tasks
    # split across groups)
    net = Net((n, 104, 14, 14), s)
    net.conv2d(net.input, 104, 3, stride=2, padding=1, groups=13, relu=True)
    return net


@case("conv_groups4_span", batch2=True)
def _(s, n):  # ResNeXt's 32 groups of 4 channels: register blocks of one
    # vector span 4 groups (AVX-512) or 2 (AVX2); bias, residual and ReLU
    # over whole vectors; a 13-wide row (a tail block)
    net = Net((n, 128, 6, 13), s)
    net.conv2d(net.input, 128, 3, padding=1, groups=32, residual=net.input,
               relu=True)
    return net


@case("conv_groups_span_stride_dilation")
def _(s, n):  # groups of 2 inputs and 4 outputs (a block's input vector is
    # shorter than its lanes), stride 2, dilation 2, no bias
    net = Net((n, 32, 15, 17), s)
    net.conv2d(net.input, 64, 3, stride=2, padding=2, dilation=2, groups=16,
               bias=False)
    return net


@case("conv_groups8_span_stride", batch2=True)
def _(s, n):  # ResNeXt's stride-2 block with 8 channels per group: 2
    # groups per AVX-512 vector, a lane shuffle across its halves
    net = Net((n, 64, 14, 14), s)
    net.conv2d(net.input, 64, 3, stride=2, padding=1, groups=8, relu=True)
    return net


@case("conv_depthwise", batch2=True)
def _(s, n):  # groups == channels
    net = Net((n, 16, 13, 10), s)
    net.conv2d(net.input, 16, 3, stride=2, padding=1, groups=16)
    return net


@case("conv_depthwise_s1")
def _(s, n):
    net = Net((n, 32, 9, 9), s)
    net.conv2d(net.input, 32, 3, padding=1, groups=32, relu=True)
    return net


@case("conv_depthwise_mult2")
def _(s, n):  # depthwise with channel multiplier 2
    net = Net((n, 8, 10, 11), s)
    net.conv2d(net.input, 16, 5, padding=2, groups=8)
    return net


@case("conv_no_bias")
def _(s, n):
    net = Net((n, 6, 8, 8), s)
    net.conv2d(net.input, 10, 3, padding=1, bias=False)
    return net


@case("conv_1x1")
def _(s, n):
    net = Net((n, 24, 7, 5), s)
    net.conv2d(net.input, 32, 1)
    return net


@case("conv_1x1_stride2")
def _(s, n):
    net = Net((n, 12, 9, 8), s)
    net.conv2d(net.input, 20, 1, stride=2, bias=False)
    return net


@case("conv_7x7_stem")
def _(s, n):  # ResNet-style stem on an odd, non-square input
    net = Net((n, 3, 33, 29), s)
    net.conv2d(net.input, 8, 7, stride=2, padding=3)
    return net


@case("conv_kernel_eq_input")
def _(s, n):  # output 1x1
    net = Net((n, 5, 4, 6), s)
    net.conv2d(net.input, 9, (4, 6))
    return net


@case("conv_relu")
def _(s, n):
    net = Net((n, 4, 9, 7), s)
    net.conv2d(net.input, 6, 3, bias=False, relu=True)
    return net


@case("conv_bias_relu", batch2=True)
def _(s, n):
    net = Net((n, 5, 12, 9), s)
    net.conv2d(net.input, 8, 3, padding=1, relu=True)
    return net


@case("winograd_block", batch2=True)
def _(s, n):  # stride-1 3x3 layers that the cost model sends to Winograd
    net = Net((n, 32, 16, 20), s)
    a = net.conv2d(net.input, 32, 3, padding=1, relu=True)
    net.conv2d(a, 48, 3, padding=1, relu=True)
    return net


@case("winograd_edge_tiles", batch2=True)
def _(s, n):  # 14x18 outputs: the last tile row and column reach past them
    net = Net((n, 32, 14, 18), s)
    a = net.conv2d(net.input, 32, 3, padding=1, relu=True)
    net.conv2d(a, 32, 3, padding=1, residual=net.input, relu=True)
    return net


@case("conv_tail_block", batch2=True)
def _(s, n):  # widths 17 and 13 (prime): full register blocks and a tail block
    net = Net((n, 16, 9, 17), s)
    a = net.conv2d(net.input, 32, 3, padding=1, relu=True)
    b = net.conv2d(a, 64, 3, padding=1, relu=True)
    net.conv2d(b, 32, 5, padding=0, relu=True)  # 13 wide
    return net


@case("winograd_residual_no_bias")
def _(s, n):  # the output transform adds the residual as an accumulator
    net = Net((n, 32, 16, 16), s)
    net.conv2d(net.input, 32, 3, padding=1, bias=False, residual=net.input)
    return net


@case("conv_residual")
def _(s, n):  # residual is the function argument itself
    net = Net((n, 6, 10, 7), s)
    net.conv2d(net.input, 6, 3, padding=1, residual=net.input)
    return net


@case("conv_residual_relu")
def _(s, n):  # no bias
    net = Net((n, 6, 9, 11), s)
    net.conv2d(net.input, 6, 3, padding=1, bias=False, residual=net.input, relu=True)
    return net


@case("conv_bias_residual_relu", batch2=True)
def _(s, n):
    net = Net((n, 8, 11, 10), s)
    net.conv2d(net.input, 8, 3, padding=1, residual=net.input, relu=True)
    return net


@case("conv_residual_projection")
def _(s, n):  # residual is computed (1x1 stride-2 projection), main path is stride 2
    net = Net((n, 6, 13, 12), s)
    proj = net.conv2d(net.input, 10, 1, stride=2, bias=False)
    net.conv2d(net.input, 10, 3, stride=2, padding=1, residual=proj, relu=True)
    return net


# ----------------------------------------------------------------------------
# batch_norm / relu / add
# ----------------------------------------------------------------------------

@case("batch_norm", batch2=True)
def _(s, n):
    net = Net((n, 7, 9, 5), s)
    net.batch_norm(net.input)
    return net


@case("batch_norm_eps")
def _(s, n):
    net = Net((n, 3, 6, 11), s)
    net.batch_norm(net.input, epsilon=1e-3)
    return net


@case("relu", batch2=True)
def _(s, n):
    net = Net((n, 5, 6, 7), s)
    net.relu(net.input)
    return net


@case("add_self")
def _(s, n):
    net = Net((n, 5, 6, 7), s)
    net.add(net.input, net.input)
    return net


@case("add", batch2=True)
def _(s, n):
    net = Net((n, 4, 7, 9), s)
    r = net.relu(net.input)
    net.add(net.input, r)
    return net


# ----------------------------------------------------------------------------
# max_pool2d
# ----------------------------------------------------------------------------

@case("maxpool_2x2")
def _(s, n):
    net = Net((n, 4, 12, 10), s)
    net.max_pool2d(net.input, 2, 2)
    return net


@case("maxpool_floor_odd")
def _(s, n):  # odd sizes, floor drops the last row/col
    net = Net((n, 3, 11, 9), s)
    net.max_pool2d(net.input, 2, 2)
    return net


@case("maxpool_3x3_s2_pad", batch2=True)
def _(s, n):
    net = Net((n, 4, 13, 11), s)
    net.max_pool2d(net.input, 3, 2, padding=1)
    return net


@case("maxpool_s1_pad")
def _(s, n):
    net = Net((n, 3, 8, 7), s)
    net.max_pool2d(net.input, 3, 1, padding=1)
    return net


@case("maxpool_ceil")
def _(s, n):  # last window hangs over the bottom/right edge
    net = Net((n, 3, 10, 9), s)
    net.max_pool2d(net.input, 3, 2, ceil_mode=True)
    return net


@case("maxpool_ceil_pad", batch2=True)
def _(s, n):
    net = Net((n, 3, 10, 8), s)
    net.max_pool2d(net.input, 3, 2, padding=1, ceil_mode=True)
    return net


@case("maxpool_ceil_dropped")
def _(s, n):  # ceil would add a window starting in the bottom padding: dropped
    net = Net((n, 2, 5, 7), s)
    net.max_pool2d(net.input, 2, 2, padding=1, ceil_mode=True)
    return net


@case("maxpool_asym_pad")
def _(s, n):
    net = Net((n, 3, 9, 8), s)
    net.max_pool2d(net.input, (3, 2), (2, 1), padding=[1, 0, 0, 1])
    return net


@case("maxpool_asym_ceil")
def _(s, n):
    net = Net((n, 2, 11, 7), s)
    net.max_pool2d(net.input, 3, 3, padding=[0, 1, 1, 0], ceil_mode=True)
    return net


# ----------------------------------------------------------------------------
# avg_pool2d
# ----------------------------------------------------------------------------

@case("avgpool_2x2")
def _(s, n):
    net = Net((n, 4, 12, 10), s)
    net.avg_pool2d(net.input, 2, 2)
    return net


@case("avgpool_pad_include")
def _(s, n):
    net = Net((n, 3, 11, 9), s)
    net.avg_pool2d(net.input, 3, 2, padding=1, count_include_pad=True)
    return net


@case("avgpool_pad_exclude", batch2=True)
def _(s, n):
    net = Net((n, 3, 11, 9), s)
    net.avg_pool2d(net.input, 3, 2, padding=1, count_include_pad=False)
    return net


@case("avgpool_ceil_include")
def _(s, n):  # ceil windows overhang the padded input: overhang not counted
    net = Net((n, 3, 10, 8), s)
    net.avg_pool2d(net.input, 3, 2, padding=1, ceil_mode=True, count_include_pad=True)
    return net


@case("avgpool_ceil_exclude")
def _(s, n):
    net = Net((n, 3, 10, 8), s)
    net.avg_pool2d(net.input, 3, 2, padding=1, ceil_mode=True, count_include_pad=False)
    return net


@case("avgpool_ceil_nopad_include")
def _(s, n):
    net = Net((n, 2, 9, 7), s)
    net.avg_pool2d(net.input, 2, 2, ceil_mode=True, count_include_pad=True)
    return net


@case("avgpool_ceil_nopad_exclude")
def _(s, n):
    net = Net((n, 2, 9, 7), s)
    net.avg_pool2d(net.input, 2, 2, ceil_mode=True)
    return net


@case("avgpool_asym_include", batch2=True)
def _(s, n):  # padding only at the bottom/right, ceil_mode
    net = Net((n, 3, 7, 6), s)
    net.avg_pool2d(net.input, 2, 1, padding=[0, 0, 1, 1], ceil_mode=True, count_include_pad=True)
    return net


@case("avgpool_asym_exclude")
def _(s, n):
    net = Net((n, 3, 10, 9), s)
    net.avg_pool2d(net.input, 3, 2, padding=[1, 0, 0, 1], ceil_mode=True)
    return net


@case("avgpool_asym_rect_include")
def _(s, n):
    net = Net((n, 2, 9, 11), s)
    net.avg_pool2d(net.input, (3, 2), (2, 2), padding=[0, 1, 1, 0], count_include_pad=True)
    return net


@case("avgpool_asym_ceil_include")
def _(s, n):  # window starting in the top padding + ceil overhang at the bottom
    net = Net((n, 2, 9, 10), s)
    net.avg_pool2d(net.input, 3, 3, padding=[1, 1, 0, 1], ceil_mode=True, count_include_pad=True)
    return net


# ----------------------------------------------------------------------------
# global_avg_pool / flatten / linear / softmax
# ----------------------------------------------------------------------------

@case("global_avg_pool", batch2=True)
def _(s, n):
    net = Net((n, 6, 7, 5), s)
    net.global_avg_pool(net.input)
    return net


@case("flatten", batch2=True)
def _(s, n):
    net = Net((n, 4, 3, 5), s)
    net.flatten(net.input)
    return net


@case("linear", batch2=True)
def _(s, n):
    net = Net((n, 36, 1, 1), s)
    x = net.flatten(net.input)
    net.linear(x, 10)
    return net


@case("linear_large")
def _(s, n):  # 4 MiB of weights: at least one whole 2 MiB page of them
    net = Net((n, 1024, 1, 1), s)
    x = net.flatten(net.input)
    net.linear(x, 1024, relu=True)
    return net


@case("linear_no_bias")
def _(s, n):
    net = Net((n, 4, 3, 3), s)
    x = net.flatten(net.input)
    net.linear(x, 13, bias=False)
    return net


@case("linear_relu")
def _(s, n):
    net = Net((n, 29, 1, 1), s)
    x = net.flatten(net.input)
    net.linear(x, 17, relu=True)
    return net


@case("linear_no_bias_relu")
def _(s, n):
    net = Net((n, 2, 5, 3), s)
    x = net.flatten(net.input)
    net.linear(x, 7, bias=False, relu=True)
    return net


@case("softmax", batch2=True)
def _(s, n):
    net = Net((n, 37, 1, 1), s)
    x = net.flatten(net.input)
    net.softmax(x)
    return net


@case("softmax_large", input_scale=60.0)
def _(s, n):  # logits up to ~200: needs max-subtraction to avoid exp overflow
    net = Net((3, 10, 1, 1), s)
    x = net.flatten(net.input)
    net.softmax(x)
    return net


# ----------------------------------------------------------------------------
# small networks
# ----------------------------------------------------------------------------

@case("conv_bn_relu_pool")
def _(s, n):
    net = Net((n, 3, 15, 14), s)
    x = net.conv2d(net.input, 8, 3, padding=1, bias=False)
    x = net.batch_norm(x)
    x = net.relu(x)
    net.max_pool2d(x, 3, 2, padding=1, ceil_mode=True)
    return net


@case("small_vgg")
def _(s, n):
    return cnn_models.small_vgg(s)


@case("small_resnet")
def _(s, n):
    return cnn_models.small_resnet(s)


EXAMPLES = ("small_vgg", "small_resnet")


# ----------------------------------------------------------------------------

def build(name):
    fn, batch, scale = CASES[name]
    seed = _seed(name)
    net = fn(seed, batch)
    rng = np.random.default_rng([seed, 1])
    x = (rng.standard_normal(net.input.shape) * scale).astype(np.float32)
    return net, x


def write_case(name, outdir):
    net, x = build(name)
    expected = net.reference_torch(x)
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "model.mlir"), "w") as f:
        f.write(net.to_mlir())
    np.save(os.path.join(outdir, "input.npy"), np.ascontiguousarray(x, dtype=np.float32))
    np.save(os.path.join(outdir, "expected.npy"), np.ascontiguousarray(expected, dtype=np.float32))


def selfcheck(names):
    import torch
    from cnn_models import torch_avg_pool, torch_max_pool
    bad = 0
    for name in names:
        net, x = build(name)
        t = net.reference_torch(x).astype(np.float64)
        u = net.reference_numpy(x).astype(np.float64)
        err = float(np.max(np.abs(t - u))) if t.size else 0.0
        scale = max(float(np.max(np.abs(t))), 1e-6)
        ok = t.shape == u.shape and np.all(np.isfinite(t)) and err <= 1e-5 * scale
        # On symmetric pools (where torch's own op is the oracle), the manual
        # padded/masked path used for asymmetric padding must agree with it.
        for op in net.ops:
            if (op.kind in ("avgpool", "maxpool") and op.ins[0] is net.input
                    and op.out is net.result):
                f = torch_avg_pool if op.kind == "avgpool" else torch_max_pool
                xi = torch.from_numpy(x.astype(np.float64))
                m = f(xi, op.attrs, op.out.shape, force_manual=True)
                ok = ok and float((m - torch.from_numpy(u.astype(np.float64))).abs().max()) <= 1e-5 * scale
                pt, pl, pb, pr = op.attrs["padding"]
                if pt == pb and pl == pr:
                    d = f(xi, op.attrs, op.out.shape)
                    ok = ok and float((m - d).abs().max()) < 1e-12
        print("%-32s %-4s shape=%s max|ref|=%.3g torch-vs-numpy=%.2e" % (
            name, "ok" if ok else "BAD", "x".join(map(str, t.shape)), scale, err))
        bad += not ok
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="print case names")
    ap.add_argument("--example", nargs=2, metavar=("NAME", "FILE"),
                    help="write the commented example network NAME to FILE")
    ap.add_argument("--selfcheck", action="store_true",
                    help="cross-check torch oracle vs numpy loops for CASE... (default all)")
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    if a.list:
        print("\n".join(CASES))
        return 0
    if a.example:
        name, path = a.example
        if name not in EXAMPLES:
            ap.error("example must be one of " + ", ".join(EXAMPLES))
        net, _ = build(name)
        with open(path, "w") as f:
            f.write(net.to_mlir())
        return 0
    if a.selfcheck:
        return 1 if selfcheck(a.args or list(CASES)) else 0
    if len(a.args) != 2:
        ap.error("usage: gen_case.py CASE OUTDIR")
    name, outdir = a.args
    if name not in CASES:
        ap.error("unknown case %r (see --list)" % name)
    write_case(name, outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
