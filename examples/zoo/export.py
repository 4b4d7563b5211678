#!/usr/bin/env python3
"""Export torchvision CNNs to ONNX for cnnc, with seeded random weights or a
user's weights, and optionally write a reference input and output.

  export.py resnet50 --out resnet50.onnx
  export.py vgg16_bn --batch 2 --height 64 --width 48 --keep-bn \\
            --out vgg16_bn.onnx --reference ref/
  export.py resnet18 --weights my_resnet18.pth --out r18.onnx
  export.py --list

Architectures: the torchvision 0.14 constructors (weights=None) of
  vgg11 vgg13 vgg16 vgg19 vgg11_bn vgg13_bn vgg16_bn vgg19_bn
  resnet18 resnet34 resnet50 resnet101 resnet152 resnext50_32x4d wide_resnet50_2

Export modes
  default     eval-mode export with do_constant_folding=True. torch.onnx folds
              every BatchNorm into the preceding Conv (weights and bias), so
              the graph has no BatchNormalization node.
  --keep-bn   the model is still in eval mode, but it is exported with
              training=torch.onnx.TrainingMode.PRESERVE and
              do_constant_folding=False. PRESERVE means "export the module's
              own mode", which is eval, so BatchNormalization comes out in
              inference form (one output, running mean/var as initializers,
              training_mode=0 on opset >= 14) and is not folded into Conv.
              (do_constant_folding=False alone is NOT enough: with the default
              TrainingMode.EVAL the exporter fuses Conv+BN in its own JIT pass
              before constant folding.)

Weights (when --weights is not given): deterministic for (arch, --seed) and
independent of the input size.
  * Conv and Linear weights ~ N(0, 2/fan_in) (Kaiming, fan_in, relu); biases
    ~ N(0, 0.1^2). No zero-init of the last BN of residual blocks: every
    residual branch is active.
  * BatchNorm: the running statistics are calibrated in one eval-mode forward
    pass over a seeded 1x3x224x224 N(0,1) input: just before each BN runs, a
    hook sets its statistics from its actual input (produced by the already
    randomized layers before it) and then randomizes them: running_var =
    var * U(0.5, 2), running_mean = mean + N(0, 0.2^2) * std, weight ~
    U(0.5, 1.5), bias ~ N(0, 0.2^2). Eval-mode BN does not renormalize, so
    without this the activations of resnet152 grow to 1e3 and more; with it
    the logits are O(1..10) at every depth and at every input size.

VGG head: torchvision's VGG has AdaptiveAvgPool2d((7, 7)) + Linear(25088, 4096).
torch.onnx can only export adaptive pooling when the feature map (H/32 x W/32)
is a multiple of 7, so that is kept as is (224x224: 7x7 features, the pool is an
identity, emitted as AveragePool kernel 1x1 stride 1x1). For every other size the
exported graph replaces the pair by the exactly equivalent Flatten +
Linear(512*h*w, 4096): adaptive average pooling is linear, so its matrix is
multiplied into the first classifier weight. The function computed is the one
of the unmodified torchvision model at that input size (the reference output is
always computed with the unmodified model); only the first Linear's in_features
differs (512 for inputs below 64x64). At 1x1 features (inputs 32..63) this is
exactly "global average pool + Linear(512)" with the weight summed over the 49
replicated positions.

Reference (--reference DIR): DIR/input.npy ~ N(0, 1) seeded with --seed (float32,
C order, the model's input shape) and DIR/expected.npy, the unmodified model's
output in eval mode, computed in float64 and stored as float32.
"""

import argparse
import collections
import copy
import os
import sys
import time
import warnings

import numpy as np

ARCHS = [
    "vgg11", "vgg13", "vgg16", "vgg19",
    "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "wide_resnet50_2",
]

CALIB_SHAPE = (1, 3, 224, 224)


def family(arch):
    return "vgg" if arch.startswith("vgg") else "resnet"


def _torch():
    import torch
    return torch


def build(arch, seed=0, weights=None):
    """The unmodified torchvision model in eval mode, float32."""
    torch = _torch()
    import torchvision
    if arch not in ARCHS:
        raise ValueError("unknown architecture %r (known: %s)" % (arch, " ".join(ARCHS)))
    torch.manual_seed(seed)  # torchvision's own init; overwritten below anyway
    kw = {"init_weights": False} if family(arch) == "vgg" and not weights else {}
    model = getattr(torchvision.models, arch)(weights=None, **kw)
    if weights:
        state = torch.load(weights, map_location="cpu")
        if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
            state = state["state_dict"]
        if isinstance(state, torch.nn.Module):
            state = state.state_dict()
        state = {(k[7:] if k.startswith("module.") else k): v for k, v in state.items()}
        model.load_state_dict(state, strict=True)
    else:
        randomize_(model, seed)
    return model.eval()


def randomize_(model, seed):
    """Seeded random weights that keep activations O(1) (see the module doc)."""
    torch = _torch()
    nn = torch.nn
    torch.manual_seed(seed)
    bns = []
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                if m.bias is not None:
                    m.bias.normal_(0.0, 0.1)
            elif isinstance(m, nn.BatchNorm2d):
                bns.append(m)
        if bns:
            # One eval-mode forward pass; a pre-hook sets each BN's statistics
            # from its actual input (computed by the already randomized layers
            # before it) just before it runs, then randomizes them.
            g = torch.Generator().manual_seed(seed + 7919)
            x = torch.randn(*CALIB_SHAPE, generator=g)

            def calibrate(m, inputs):
                t = inputs[0]
                n = m.num_features
                mean = t.mean(dim=(0, 2, 3))
                var = t.var(dim=(0, 2, 3), unbiased=False).clamp_min(1e-4)
                m.running_mean.copy_(mean + torch.randn(n, generator=g) * 0.2 * var.sqrt())
                m.running_var.copy_(var * torch.empty(n).uniform_(0.5, 2.0, generator=g))
                m.weight.copy_(torch.empty(n).uniform_(0.5, 1.5, generator=g))
                m.bias.copy_(torch.randn(n, generator=g) * 0.2)

            hooks = [m.register_forward_pre_hook(calibrate) for m in bns]
            model.eval()
            model(x)
            for h in hooks:
                h.remove()
    return model


def vgg_feature_size(h, w):
    for _ in range(5):  # five MaxPool2d(2, 2), floor mode
        h, w = h // 2, w // 2
    return h, w


def adaptive_pool_matrix(n_in, n_out):
    """P (n_out x n_in) with adaptive_avg_pool1d(x) = P @ x (PyTorch's bins)."""
    p = np.zeros((n_out, n_in))
    for i in range(n_out):
        s = (i * n_in) // n_out
        e = -((-(i + 1) * n_in) // n_out)  # ceil
        p[i, s:e] = 1.0 / (e - s)
    return p


def export_module(model, arch, h, w):
    """The module that is exported: `model` itself, or for VGG at sizes where
    the 7x7 adaptive pool is not exportable an equivalent copy whose pool is
    folded into the first Linear. Returns (module, note)."""
    torch = _torch()
    nn = torch.nn
    if family(arch) != "vgg":
        return model, ""
    fh, fw = vgg_feature_size(h, w)
    if fh < 1 or fw < 1:
        raise ValueError("%s needs an input of at least 32x32 (got %dx%d)" % (arch, h, w))
    oh, ow = model.avgpool.output_size if isinstance(model.avgpool.output_size, tuple) \
        else (model.avgpool.output_size,) * 2
    if fh % oh == 0 and fw % ow == 0:
        return model, ""
    lin = model.classifier[0]
    c = lin.in_features // (oh * ow)
    ph = torch.from_numpy(adaptive_pool_matrix(fh, oh)).float()  # oh x fh
    pw = torch.from_numpy(adaptive_pool_matrix(fw, ow)).float()  # ow x fw
    with torch.no_grad():
        wt = lin.weight.detach().reshape(lin.out_features * c, oh * ow)
        # W'[o, c, i, j] = sum_{k,l} W[o, c, k, l] * ph[k, i] * pw[l, j]: one GEMM
        w2 = torch.matmul(wt, torch.kron(ph, pw))  # (o*c) x (fh*fw)
        new = nn.Linear(c * fh * fw, lin.out_features, device="meta")
        new.weight = nn.Parameter(w2.reshape(lin.out_features, c * fh * fw).contiguous())
        new.bias = nn.Parameter(lin.bias.detach().clone())
    # a shallow copy: shares the features and the other classifier layers
    m2 = copy.copy(model)
    m2._modules = collections.OrderedDict(model._modules)
    m2.avgpool = nn.Identity()
    m2.classifier = nn.Sequential(new, *list(model.classifier)[1:])
    return m2.eval(), ("VGG head: %dx%d features, AdaptiveAvgPool2d(7x7) folded into "
                       "Linear(%d, %d)" % (fh, fw, c * fh * fw, lin.out_features))


def make_input(shape, seed):
    rng = np.random.default_rng([seed, 1])
    return rng.standard_normal(shape).astype(np.float32)


def reference(model, x):
    """Eval-mode output of `model` on x (numpy), computed in float64 -> float32.
    Converts `model` to float64 in place."""
    torch = _torch()
    m64 = model.double().eval()  # in place: call this last
    with torch.no_grad():
        y = m64(torch.from_numpy(x.astype(np.float64)))
    return np.ascontiguousarray(y.numpy().astype(np.float32))


def export_onnx(module, shape, path, opset=13, keep_bn=False):
    torch = _torch()
    x = torch.zeros(*shape)
    kw = dict(opset_version=opset, input_names=["input"], output_names=["output"],
              export_params=True)
    if keep_bn:
        kw.update(training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    else:
        kw.update(training=torch.onnx.TrainingMode.EVAL, do_constant_folding=True)
    module.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(module, x, path, **kw)


def export(arch, path, batch=1, height=224, width=224, seed=0, weights=None,
           keep_bn=False, opset=13, reference_dir=None, check=True, log=None):
    """Everything main() does; returns a dict of timings and notes."""
    t0 = time.time()
    model = build(arch, seed=seed, weights=weights)
    t1 = time.time()
    shape = (batch, 3, height, width)
    module, note = export_module(model, arch, height, width)
    export_onnx(module, shape, path, opset=opset, keep_bn=keep_bn)
    t2 = time.time()
    info = {"build_s": t1 - t0, "export_s": t2 - t1, "note": note, "shape": shape}
    if check:
        import onnx
        # check_model on the path handles > 2 GB models as well
        onnx.checker.check_model(path)
    if reference_dir:
        os.makedirs(reference_dir, exist_ok=True)
        x = make_input(shape, seed)
        y = reference(model, x)
        np.save(os.path.join(reference_dir, "input.npy"), x)
        np.save(os.path.join(reference_dir, "expected.npy"), y)
        info["reference_s"] = time.time() - t2
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("arch", nargs="?", help="architecture name (see --list)")
    ap.add_argument("--list", action="store_true", help="print the architecture names")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--height", type=int, default=224)
    ap.add_argument("--width", type=int, default=224)
    ap.add_argument("--seed", type=int, default=0, help="weight and input seed (default 0)")
    ap.add_argument("--weights", metavar="FILE.pth",
                    help="load this state_dict (strict) instead of random weights")
    ap.add_argument("--keep-bn", action="store_true",
                    help="keep BatchNormalization nodes (inference form) instead of folding them")
    ap.add_argument("--opset", type=int, default=13, help="ONNX opset (default 13; 11..17 work)")
    ap.add_argument("--out", "-o", metavar="model.onnx", help="output file (default ARCH.onnx)")
    ap.add_argument("--reference", metavar="DIR",
                    help="also write DIR/input.npy and DIR/expected.npy")
    ap.add_argument("--no-check", action="store_true", help="skip onnx.checker")
    ap.add_argument("--summary", action="store_true", help="print the node op types")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(ARCHS))
        return 0
    if not args.arch:
        ap.error("an architecture is required (see --list)")
    out = args.out or args.arch + ".onnx"
    try:
        info = export(args.arch, out, batch=args.batch, height=args.height, width=args.width,
                      seed=args.seed, weights=args.weights, keep_bn=args.keep_bn,
                      opset=args.opset, reference_dir=args.reference, check=not args.no_check)
    except (ValueError, RuntimeError, OSError) as ex:
        print("export.py: error: %s" % ex, file=sys.stderr)
        return 1
    msg = "%s: %s %s, BN %s, opset %d (%.1fs)" % (
        out, args.arch, "x".join(map(str, info["shape"])),
        "kept" if args.keep_bn else "folded", args.opset, info["build_s"] + info["export_s"])
    if info["note"]:
        msg += "; " + info["note"]
    print(msg)
    if args.summary:
        import collections
        import onnx
        mp = onnx.load(out, load_external_data=False)
        print("  ops:", dict(collections.Counter(n.op_type for n in mp.graph.node)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
