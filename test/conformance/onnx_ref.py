#!/usr/bin/env python3
"""A small, independent ONNX interpreter for the op subset cnnc imports.

  onnx_ref.py MODEL.onnx INPUT.npy OUTPUT.npy     run a model
  onnx_ref.py --ops MODEL.onnx                    list the node op types

It evaluates the graph node by node in float64 with torch.nn.functional and
writes the single output as float32. run_conformance.py uses it (--onnx-ref)
to check the exported ONNX files against the PyTorch reference without cnnc:
it validates the export side (the VGG head folding, BatchNormalization in
inference form, attribute conventions) independently of the compiler.

Supported: Conv, BatchNormalization (inference form), Relu, MaxPool,
AveragePool, GlobalAveragePool, Add, Flatten, Gemm, MatMul, Reshape, Identity,
Dropout (inference: identity), Softmax, Constant. Anything else raises
NotImplementedError naming the op.
"""

import sys

import numpy as np


def _attrs(node):
    import onnx
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pads2d(pads):
    """ONNX pads [t, l, b, r] -> symmetric (ph, pw) or None when asymmetric."""
    if not pads:
        return (0, 0), None
    t, l, b, r = pads
    if t == b and l == r:
        return (t, l), None
    return (0, 0), (l, r, t, b)  # F.pad order: left, right, top, bottom


def run(model, x):
    """Evaluates `model` (onnx.ModelProto or path) on the numpy array x."""
    import onnx
    import torch
    import torch.nn.functional as F
    from onnx import numpy_helper

    if isinstance(model, str):
        model = onnx.load(model)
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13)
    g = model.graph
    env = {}
    for init in g.initializer:
        env[init.name] = torch.from_numpy(numpy_helper.to_array(init).copy())
    inits = set(env)
    real_inputs = [i for i in g.input if i.name not in inits]
    if len(real_inputs) != 1:
        raise ValueError("expected one graph input, got %d" % len(real_inputs))
    env[real_inputs[0].name] = torch.from_numpy(np.asarray(x, dtype=np.float64))

    def val(name):
        return env[name] if name else None

    def f64(t):
        return t.double() if t.is_floating_point() else t

    for node in g.node:
        op = node.op_type
        a = _attrs(node)
        ins = [val(n) for n in node.input]
        ins = [f64(t) if t is not None else None for t in ins]
        if op == "Conv":
            if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                raise NotImplementedError("Conv auto_pad=%s" % a["auto_pad"])
            pad, asym = _pads2d(a.get("pads"))
            xx = F.pad(ins[0], asym) if asym else ins[0]
            y = F.conv2d(xx, ins[1], ins[2] if len(ins) > 2 else None,
                         stride=tuple(a.get("strides", (1, 1))), padding=pad,
                         dilation=tuple(a.get("dilations", (1, 1))), groups=a.get("group", 1))
        elif op == "BatchNormalization":
            if a.get("training_mode", 0) != 0 or len(node.output) != 1:
                raise NotImplementedError("BatchNormalization in training form")
            xx, scale, bias, mean, var = ins
            y = F.batch_norm(xx, mean, var, scale, bias, training=False,
                             eps=a.get("epsilon", 1e-5))
        elif op == "Relu":
            y = F.relu(ins[0])
        elif op == "MaxPool":
            if len(node.output) != 1:
                raise NotImplementedError("MaxPool with Indices output")
            pad, asym = _pads2d(a.get("pads"))
            xx = F.pad(ins[0], asym, value=float("-inf")) if asym else ins[0]
            y = F.max_pool2d(xx, tuple(a["kernel_shape"]), tuple(a.get("strides", (1, 1))),
                             pad, tuple(a.get("dilations", (1, 1))),
                             ceil_mode=bool(a.get("ceil_mode", 0)))
        elif op == "AveragePool":
            pad, asym = _pads2d(a.get("pads"))
            if asym:
                raise NotImplementedError("AveragePool with asymmetric pads")
            y = F.avg_pool2d(ins[0], tuple(a["kernel_shape"]), tuple(a.get("strides", (1, 1))),
                             pad, ceil_mode=bool(a.get("ceil_mode", 0)),
                             count_include_pad=bool(a.get("count_include_pad", 0)))
        elif op == "GlobalAveragePool":
            y = ins[0].mean(dim=(2, 3), keepdim=True)
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "Flatten":
            axis = a.get("axis", 1)
            s = ins[0].shape
            axis = axis + len(s) if axis < 0 else axis
            y = ins[0].reshape(int(np.prod(s[:axis])), int(np.prod(s[axis:])))
        elif op == "Gemm":
            A, B = ins[0], ins[1]
            if a.get("transA", 0):
                A = A.t()
            if a.get("transB", 0):
                B = B.t()
            y = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                y = y + a.get("beta", 1.0) * ins[2]
        elif op == "MatMul":
            y = torch.matmul(ins[0], ins[1])
        elif op == "Reshape":
            shape = [int(v) for v in ins[1].tolist()]
            if a.get("allowzero", 0) == 0:
                shape = [ins[0].shape[i] if v == 0 else v for i, v in enumerate(shape)]
            y = ins[0].reshape(shape)
        elif op in ("Identity", "Dropout"):
            y = ins[0]
            if op == "Dropout" and len(node.output) > 1:
                env[node.output[1]] = torch.ones_like(y, dtype=torch.bool)
        elif op == "Softmax":
            axis = a.get("axis", -1 if opset >= 13 else 1)
            if opset >= 13:
                y = torch.softmax(ins[0], dim=axis)
            else:  # coerced to 2-D at axis
                s = ins[0].shape
                axis = axis + len(s) if axis < 0 else axis
                y = torch.softmax(ins[0].reshape(int(np.prod(s[:axis])), -1), dim=1).reshape(s)
        elif op == "Constant":
            y = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
        else:
            raise NotImplementedError("ONNX op %s is not in the supported subset" % op)
        env[node.output[0]] = y
    if len(g.output) != 1:
        raise ValueError("expected one graph output, got %d" % len(g.output))
    return np.ascontiguousarray(env[g.output[0].name].numpy().astype(np.float32))


def op_summary(model):
    """[(op_type, count)] in first-appearance order."""
    import onnx
    if isinstance(model, str):
        model = onnx.load(model, load_external_data=False)
    counts = {}
    for n in model.graph.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    return list(counts.items())


def main(argv):
    if len(argv) == 2 and argv[0] == "--ops":
        print(" ".join("%s:%d" % kv for kv in op_summary(argv[1])))
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    x = np.load(argv[1])
    np.save(argv[2], run(argv[0], x))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
