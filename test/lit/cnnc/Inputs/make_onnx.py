"""Writes small ONNX models, good and bad, for the importer's lit tests.

usage: make_onnx.py OUTDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)


def save(name, nodes, inits, inputs=None, outputs=None, opset=13):
    inputs = inputs or [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])]
    outputs = outputs or [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.save(model, os.path.join(out, name + ".onnx"))


def ints_early(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def tensor(name, shape):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name)


# A small valid network: Conv+BN+Relu, MaxPool, GlobalAveragePool, Flatten,
# Identity of a weight, Gemm, Softmax.
good_nodes = [
    helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv1", pads=[1, 1, 1, 1], strides=[2, 2]),
    helper.make_node("BatchNormalization", ["c", "g", "beta", "m", "v"], ["n"], name="bn1"),
    helper.make_node("Relu", ["n"], ["r"], name="relu1"),
    helper.make_node("MaxPool", ["r"], ["p"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("GlobalAveragePool", ["p"], ["gp"], name="gap"),
    helper.make_node("Flatten", ["gp"], ["f"], name="flatten", axis=1),
    # Exporters alias deduplicated weights through Identity.
    helper.make_node("Identity", ["fb"], ["fb_alias"], name="alias"),
    helper.make_node("Gemm", ["f", "fw", "fb_alias"], ["logits"], name="fc", transB=1),
    helper.make_node("Softmax", ["logits"], ["y"], name="softmax", axis=1),
]
good_inits = [
    tensor("w", [4, 3, 3, 3]), tensor("b", [4]),
    numpy_helper.from_array(np.abs(rng.standard_normal(4)).astype(np.float32) + 0.5, "g"),
    tensor("beta", [4]), tensor("m", [4]),
    numpy_helper.from_array(np.abs(rng.standard_normal(4)).astype(np.float32) + 0.5, "v"),
    tensor("fw", [5, 4]), tensor("fb", [5]),
]
save("good", good_nodes, good_inits)
save("good_opset11", good_nodes, good_inits, opset=11)

# The same network with a symbolic batch dimension.
sym_input = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 8, 8])]
save("symbolic_batch", good_nodes, good_inits, inputs=sym_input)
sym_h = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "height", 8])]
save("symbolic_height", good_nodes, good_inits, inputs=sym_h)

# The layers beyond the classifiers in one valid graph (also a seed of the
# ONNX fuzzer): ConvTranspose, InstanceNormalization, LeakyRelu, PRelu,
# DepthToSpace, and Mish as Softplus, Tanh, Mul.
save("more_layers", [
    helper.make_node("ConvTranspose", ["x", "wt", "bt"], ["t"], name="deconv",
                     strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("InstanceNormalization", ["t", "is", "ib"], ["n"], name="inorm"),
    helper.make_node("LeakyRelu", ["n"], ["l"], name="leaky", alpha=0.2),
    helper.make_node("PRelu", ["l", "slope"], ["p"], name="prelu"),
    helper.make_node("DepthToSpace", ["p"], ["d"], name="d2s", blocksize=2),
    helper.make_node("Softplus", ["d"], ["sp"], name="softplus"),
    helper.make_node("Tanh", ["sp"], ["th"], name="tanh"),
    helper.make_node("Mul", ["d", "th"], ["y"], name="mish"),
], [tensor("wt", [3, 4, 4, 4]), tensor("bt", [4]), tensor("is", [4]), tensor("ib", [4]),
    tensor("slope", [4, 1, 1])])

# Bad models.
save("unsupported_op", [helper.make_node("Hardmax", ["x"], ["y"], name="hardmax")], [])
# Resizes cnnc does not do: cubic, of the channels, with computed sizes.
def const(name, values, dtype):
    return numpy_helper.from_array(np.array(values, dtype), name)


save("resize_cubic", [helper.make_node("Resize", ["x", "", "s"], ["y"], name="cubic",
                                       mode="cubic")],
     [const("s", [1, 1, 2, 2], np.float32)])
save("resize_channels", [helper.make_node("Resize", ["x", "", "s"], ["y"], name="chan")],
     [const("s", [1, 2, 1, 1], np.float32)])
save("resize_tf_crop", [helper.make_node("Resize", ["x", "", "s"], ["y"], name="crop",
                                         coordinate_transformation_mode="tf_crop_and_resize")],
     [const("s", [1, 1, 2, 2], np.float32)])
save("resize_computed_sizes", [helper.make_node("Shape", ["x"], ["shape"], name="shape"),
                               helper.make_node("Cast", ["x"], ["xi"], name="cast", to=7),
                               helper.make_node("Resize", ["x", "", "", "xi"], ["y"],
                                                name="computed")], [])
# A tensor defined by two nodes (not SSA).
save("defined_twice", [helper.make_node("Relu", ["x"], ["y"], name="first"),
                       helper.make_node("Sigmoid", ["x"], ["y"], name="second")], [])
save("pow_cube", [helper.make_node("Pow", ["x", "three"], ["y"], name="cube")],
     [const("three", 3.0, np.float32)])
save("layer_norm_axis", [helper.make_node("LayerNormalization", ["x", "s", "b"], ["y"],
                                          name="ln", axis=1)],
     [const("s", np.ones((3, 8, 8)), np.float32), const("b", np.zeros((3, 8, 8)), np.float32)],
     opset=17)
# Shape arithmetic (Neg) on a computed tensor, not a constant.
save("computed_shape_op", [helper.make_node("Neg", ["x"], ["y"], name="neg")], [])
save("undefined_tensor", [helper.make_node("Relu", ["nowhere"], ["y"], name="relu_of_nothing")], [])
save("channel_mismatch",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_bad")], [tensor("w", [4, 5, 3, 3])])
save("zero_stride",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_stride0", strides=[0, 1])],
     [tensor("w", [4, 3, 3, 3])])
save("kernel_too_large",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_huge")], [tensor("w", [4, 3, 9, 9])])
save("deconv_computed_weight",
     [helper.make_node("Relu", ["x"], ["r"], name="relu"),
      helper.make_node("ConvTranspose", ["x", "r"], ["y"], name="deconv_w")], [])
save("deconv_huge_stride",
     [helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="deconv_s", strides=[4096, 1])],
     [tensor("w", [3, 4, 3, 3])])
save("deconv_group_mismatch",
     [helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="deconv_g", group=2)],
     [tensor("w", [3, 4, 3, 3])])
save("depth_to_space_block",
     [helper.make_node("DepthToSpace", ["x"], ["y"], name="d2s", blocksize=2)], [])
save("instance_norm_scale",
     [helper.make_node("InstanceNormalization", ["x", "s", "b"], ["y"], name="in")],
     [const("s", np.ones(4), np.float32), const("b", np.zeros(3), np.float32)])
save("squeeze_non_unit",
     [helper.make_node("Relu", ["x"], ["r"], name="relu"),
      helper.make_node("Squeeze", ["r", "ax"], ["y"], name="squeeze_c")],
     [ints_early("ax", [1])])
save("reshape_overflow",
     [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_big")],
     [ints_early("shape", [1, 2**63 - 1, 64])])
save("old_opset", good_nodes, good_inits, opset=5)
two_inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8]),
              helper.make_tensor_value_info("x2", TensorProto.FLOAT, [1, 3, 8, 8])]
save("two_inputs", [helper.make_node("Add", ["x", "x2"], ["y"], name="add")], [], inputs=two_inputs)
short = numpy_helper.from_array(np.zeros(7, np.float32), "w")
short.dims[:] = [4, 3, 3, 3]
save("short_initializer", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_short")], [short])

# Option-A shortcut of the CIFAR ResNets: x[:, :, ::2, ::2] as two Slice
# nodes (opset 13: bounds as inputs, the end INT64_MAX as exporters write
# it), then a channel Pad, as torch exports it; with a reference output.
def ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


INT64_MAX = np.iinfo(np.int64).max
slice_pad_nodes = [
    helper.make_node("Slice", ["x", "s0", "e0", "ax2", "st2"], ["h"], name="subsample_h"),
    helper.make_node("Slice", ["h", "s0", "e0", "ax3", "st2"], ["hw"], name="subsample_w"),
    helper.make_node("Pad", ["hw", "pads", "zero"], ["p"], name="pad_channels", mode="constant"),
    helper.make_node("Relu", ["p"], ["y"], name="relu"),
]
slice_pad_inits = [
    ints("s0", [0]), ints("e0", [INT64_MAX]), ints("ax2", [2]), ints("ax3", [3]), ints("st2", [2]),
    ints("pads", [0, 2, 0, 0, 0, 2, 0, 0]),
    numpy_helper.from_array(np.array(0.0, np.float32), "zero"),
]
save("slice_pad", slice_pad_nodes, slice_pad_inits)
# Opset 9: bounds and pads as attributes; negative bounds count from the end.
save("slice_pad_opset9", [
    helper.make_node("Slice", ["x"], ["hw"], name="subsample", starts=[-8, 0], ends=[8, 100],
                     axes=[2, 3]),
    helper.make_node("Pad", ["hw"], ["y"], name="pad_channels", pads=[0, 2, 0, 0, 0, 2, 0, 0],
                     value=0.5),
], [], opset=9)
x = rng.standard_normal([1, 3, 8, 8]).astype(np.float32)
np.save(os.path.join(out, "slice_pad_input.npy"), x)
np.save(os.path.join(out, "slice_pad_expected.npy"),
        np.maximum(np.pad(x[:, :, ::2, ::2], [(0, 0), (2, 2), (0, 0), (0, 0)]), 0))
np.save(os.path.join(out, "slice_pad_opset9_expected.npy"),
        np.pad(x, [(0, 0), (2, 2), (0, 0), (0, 0)], constant_values=0.5))

save("slice_negative_step", [
    helper.make_node("Slice", ["x", "e0", "s0", "ax2", "minus1"], ["y"], name="flip")],
    [ints("s0", [0]), ints("e0", [INT64_MAX]), ints("ax2", [2]), ints("minus1", [-1])])
save("slice_empty", [
    helper.make_node("Slice", ["x", "five", "two", "ax2"], ["y"], name="nothing")],
    [ints("five", [5]), ints("two", [2]), ints("ax2", [2])])
save("slice_dynamic_bounds", [
    helper.make_node("Slice", ["x", "x", "x"], ["y"], name="dynamic")], [])
save("pad_reflect", [
    helper.make_node("Pad", ["x", "pads"], ["y"], name="mirror", mode="reflect")],
    [ints("pads", [0, 0, 1, 1, 0, 0, 1, 1])])
save("pad_negative", [
    helper.make_node("Pad", ["x", "pads"], ["y"], name="crop")],
    [ints("pads", [0, 0, -1, 0, 0, 0, 0, 0])])

# Constants of other types, as old exports write shape arithmetic (opset 8:
# float64 Constants cast to int64), in raw bytes and in the typed fields:
# x reshaped to [1, 3, 64] with a shape built from a float64 3, an int32 64
# and a bool, uint8 and int16 1 (their product).
typed_nodes = [
    helper.make_node("Constant", [], ["three_f64"], name="three",
                     value=numpy_helper.from_array(np.array([3.0]), "t")),
    helper.make_node("Cast", ["three_f64"], ["three"], name="three_i64", to=TensorProto.INT64),
    helper.make_node("Cast", ["sixty_four_i32"], ["sixty_four"], name="to_i64", to=TensorProto.INT64),
    *[helper.make_node("Cast", [f"one_{t}"], [f"one_{t}_i64"], name=f"cast_{t}",
                       to=TensorProto.INT64) for t in ("bool", "u8", "i16")],
    helper.make_node("Mul", ["one_bool_i64", "one_u8_i64"], ["one_a"], name="one_a"),
    helper.make_node("Mul", ["one_a", "one_i16_i64"], ["one"], name="one"),
    helper.make_node("Concat", ["one", "three", "sixty_four"], ["shape"], name="shape", axis=0),
    helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape"),
]
typed_inits = [
    helper.make_tensor("sixty_four_i32", TensorProto.INT32, [1], [64]),
    helper.make_tensor("one_bool", TensorProto.BOOL, [1], [True]),
    numpy_helper.from_array(np.array([1], np.uint8), "one_u8"),
    helper.make_tensor("one_i16", TensorProto.INT16, [1], [1]),
]
save("typed_constants", typed_nodes, typed_inits, opset=8)
# A float16 weight is not read.
save("float16_weight", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_half")],
     [numpy_helper.from_array(np.ones((4, 3, 3, 3), np.float16), "w")])

# The good network with its weights in an external data file.
external = onnx.load(os.path.join(out, "good.onnx"))
onnx.save(external, os.path.join(out, "external.onnx"), save_as_external_data=True,
          all_tensors_to_one_file=True, location="external.weights", size_threshold=0)
# ...and one whose external data file is missing.
missing = onnx.load(os.path.join(out, "good.onnx"))
onnx.save(missing, os.path.join(out, "external_missing.onnx"), save_as_external_data=True,
          all_tensors_to_one_file=True, location="missing.weights", size_threshold=0)
os.remove(os.path.join(out, "missing.weights"))
# ...and one whose external data file ends before its last tensor does.
short = onnx.load(os.path.join(out, "good.onnx"))
onnx.save(short, os.path.join(out, "external_short.onnx"), save_as_external_data=True,
          all_tensors_to_one_file=True, location="short.weights", size_threshold=0)
with open(os.path.join(out, "short.weights"), "r+b") as f:
    f.truncate(os.path.getsize(os.path.join(out, "short.weights")) - 8)

# A truncated file and garbage.
with open(os.path.join(out, "good.onnx"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "truncated.onnx"), "wb") as f:
    f.write(data[: len(data) // 2])
with open(os.path.join(out, "garbage.onnx"), "wb") as f:
    f.write(b"\xff\xfe this is not a protobuf \x00\x01\x02" * 10)
open(os.path.join(out, "empty.onnx"), "wb").close()
