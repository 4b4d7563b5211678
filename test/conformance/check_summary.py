#!/usr/bin/env python3
"""cnnc --emit=summary-json against PyTorch: parameters and MACs.

  check_summary.py --cnnc build/bin/cnnc [--only resnet50 vgg16 ...]

Per model: export it with its BatchNormalization nodes kept (folding would
merge each BN's scale and shift into one bias), run cnnc --emit=summary-json,
and compare
  * the total parameters with sum(p.numel()) of the PyTorch model;
  * the total MACs with a count from forward hooks on the PyTorch model at
    the same input: every Conv2d adds output elements x in_channels / groups
    x kernel area, every Linear output elements x in_features.
Both must be equal. Exit status 1 if any model differs.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "examples", "zoo"))

import export as zoo  # noqa: E402  (examples/zoo/export.py)

DEFAULT_MODELS = ["resnet18", "resnet50", "vgg16", "resnext50_32x4d", "alexnet",
                  "resnet20_a", "resnet20_b", "resnet56_a", "plain56",
                  # The efficient families: depthwise, squeeze-excitation,
                  # concatenation, channel shuffle, Inception branches.
                  "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0",
                  "mnasnet0_5", "regnet_y_400mf", "densenet121", "squeezenet1_1",
                  "googlenet", "inception_v3", "shufflenet_v2_x0_5",
                  "convnext_tiny", "fcn_resnet50"]


def pytorch_macs(model, shape):
    import torch
    total = [0]

    def conv_hook(module, inputs, output):
        kh, kw = module.kernel_size
        total[0] += output.numel() * (module.in_channels // module.groups) * kh * kw

    def linear_hook(module, inputs, output):
        total[0] += output.numel() * module.in_features

    for module in model.modules():
        if isinstance(module, torch.nn.Conv2d):
            module.register_forward_hook(conv_hook)
        elif isinstance(module, torch.nn.Linear):
            module.register_forward_hook(linear_hook)
    with torch.no_grad():
        model(torch.zeros(shape))
    return total[0]


def check(arch, cnnc, workdir):
    height, width = zoo.default_size(arch)
    shape = (1, 3, height, width)
    path = os.path.join(workdir, arch + ".onnx")
    zoo.export(arch, path, batch=1, height=height, width=width, keep_bn=True, check=False)
    summary = json.loads(subprocess.run(
        [cnnc, "--emit=summary-json", path, "-o", "-"], check=True,
        capture_output=True, text=True).stdout)
    totals = summary["totals"]
    params = zoo.num_params(arch)
    macs = pytorch_macs(zoo.build(arch), shape)
    ok = totals["parameters"] == params and totals["macs"] == macs
    print("%-16s %-12s %s  params cnnc %12d pytorch %12d   MACs cnnc %14d pytorch %14d"
          "   receptive field %s" % (arch, "x".join(map(str, shape)), "PASS" if ok else "FAIL",
                                    totals["parameters"], params, totals["macs"], macs,
                                    "x".join(map(str, totals["receptive_field"]))))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cnnc", required=True)
    ap.add_argument("--only", nargs="+", default=DEFAULT_MODELS)
    args = ap.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as workdir:
        for arch in args.only:
            failures += not check(arch, os.path.abspath(args.cnnc), workdir)
    print("%d of %d match PyTorch" % (len(args.only) - failures, len(args.only)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
