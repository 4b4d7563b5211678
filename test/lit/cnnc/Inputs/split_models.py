"""Writes small models that split a computed tensor along the channels, with
a reference input and output each, for split.test.

usage: split_models.py OUTDIR

torch.split and torch.chunk export an ONNX Split (ShuffleNetV2's channel
split at opsets below 11 is one): its part sizes are an attribute before
opset 13 and an input from 13. "equal_default" is a Split without sizes
(equal parts), written with onnx.helper.
"""
import os
import sys
import warnings

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class SplitNet(torch.nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 6, 1)
        self.sizes = sizes

    def forward(self, x):
        a, b = torch.split(self.conv(x), self.sizes, dim=1)
        return torch.cat([torch.relu(b), a * 2.0], dim=1)


x = torch.randn(2, 3, 5, 7)
np.save(os.path.join(out, "input.npy"), x.numpy())
CASES = {"split_opset10": ([2, 4], 10), "split_opset13": ([4, 2], 13),
         "chunk_opset11": (3, 11)}
for name, (sizes, opset) in CASES.items():
    model = SplitNet(sizes).eval()
    with torch.no_grad():
        np.save(os.path.join(out, name + ".npy"), model(x).numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, x, os.path.join(out, name + ".onnx"),
                              opset_version=opset, input_names=["input"],
                              output_names=["output"])

rng = np.random.default_rng(0)
w = rng.standard_normal((6, 3, 1, 1)).astype(np.float32)


def save_conv_split_concat(name, split, concat_order, channels_out):
    """Conv (3 -> 6 channels), the Split node `split`, and a Concat of its
    outputs in `concat_order`, as NAME.onnx at opset 11."""
    graph = helper.make_graph(
        [helper.make_node("Conv", ["input", "w"], ["y"]), split,
         helper.make_node("Concat", concat_order, ["output"], axis=1)],
        name,
        [helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, [2, 3, 5, 7])],
        [helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT,
                                       [2, channels_out, 5, 7])],
        [numpy_helper.from_array(w, "w")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)]),
              os.path.join(out, name + ".onnx"))


# Split without sizes: three equal parts of 6 channels' conv, concatenated
# in reverse order.
save_conv_split_concat(
    "equal_default", helper.make_node("Split", ["y"], ["p0", "p1", "p2"], axis=1),
    ["p2", "p1", "p0"], 6)
y = np.einsum("nchw,oc->nohw", x.numpy().astype(np.float64), w[:, :, 0, 0])
np.save(os.path.join(out, "equal_default.npy"),
        np.concatenate([y[:, 4:6], y[:, 2:4], y[:, 0:2]], axis=1).astype(np.float32))

# Parts that do not add up to the axis: an error naming the node.
save_conv_split_concat(
    "bad_split", helper.make_node("Split", ["y"], ["p0", "p1"], axis=1,
                                  split=[2, 2], name="bad_split"),
    ["p1", "p0"], 4)
print(" ".join(list(CASES) + ["equal_default"]))
