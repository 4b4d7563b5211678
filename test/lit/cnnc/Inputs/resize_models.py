"""Writes small PyTorch models that resize, exported to ONNX, with a reference
input and output each, for resize.test.

usage: resize_models.py OUTDIR

Each model is a 1x1 convolution (so the resize reads a computed tensor)
followed by one F.interpolate; "opset" 9 exports Upsample, 11 and later
Resize with its coordinate transformation mode.
"""
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class Resize(torch.nn.Module):
    def __init__(self, **kw):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 5, 1)
        self.kw = kw

    def forward(self, x):
        return F.interpolate(self.conv(x), **self.kw)


CASES = {
    # FCN's: bilinear back to a size, half-pixel.
    "bilinear_size": (dict(size=(23, 17), mode="bilinear", align_corners=False), 13),
    "bilinear_align": (dict(size=(14, 20), mode="bilinear", align_corners=True), 13),
    "bilinear_down": (dict(size=(4, 3), mode="bilinear", align_corners=False), 13),
    "bilinear_scale": (dict(scale_factor=2.0, mode="bilinear", align_corners=False), 17),
    # nn.Upsample(scale_factor=2): nearest, asymmetric, floor.
    "nearest_scale": (dict(scale_factor=2.0, mode="nearest"), 13),
    "nearest_size": (dict(size=(13, 11), mode="nearest"), 13),
    "nearest_upsample9": (dict(scale_factor=3.0, mode="nearest"), 9),
}

x = torch.randn(2, 3, 7, 9)
np.save(os.path.join(out, "input.npy"), x.numpy())
for name, (kw, opset) in CASES.items():
    model = Resize(**kw).eval()
    with torch.no_grad():
        np.save(os.path.join(out, name + ".npy"), model(x).numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, x, os.path.join(out, name + ".onnx"),
                              opset_version=opset, input_names=["input"],
                              output_names=["output"])
print(" ".join(CASES))
