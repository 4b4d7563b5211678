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
Dropout (inference: identity), Softmax, Constant, Slice (opset >= 10), Pad
(constant, reflect, edge), and the shape arithmetic torch.onnx emits around
Pad: Shape, Gather, ConstantOfShape, Concat, Transpose, Cast, Unsqueeze,
Squeeze, Sub, Mul, Div. Anything else raises NotImplementedError naming the op.
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


def _slice(t, starts, ends, axes=None, steps=None):
    """ONNX Slice (inputs form) on a torch tensor, clamping as in the spec."""
    import torch
    starts, ends = [int(v) for v in starts], [int(v) for v in ends]
    axes = list(range(len(starts))) if axes is None else [int(v) for v in axes]
    steps = [1] * len(starts) if steps is None else [int(v) for v in steps]
    for s, e, a, st in zip(starts, ends, axes, steps):
        if st == 0:
            raise ValueError("Slice step 0")
        a = a + t.dim() if a < 0 else a
        d = t.shape[a]
        s = s + d if s < 0 else s
        e = e + d if e < 0 else e
        if st > 0:
            s, e = min(max(s, 0), d), min(max(e, 0), d)
        else:
            s, e = min(max(s, 0), d - 1), min(max(e, -1), d - 1)
        t = torch.index_select(t, a, torch.arange(s, e, st, dtype=torch.int64))
    return t


def _pad(t, pads, mode, value):
    """ONNX Pad: pads = [x1_begin, x2_begin, ..., x1_end, x2_end, ...]."""
    import torch.nn.functional as F
    pads = [int(v) for v in pads]
    r = t.dim()
    if len(pads) != 2 * r:
        raise ValueError("Pad: %d pads for rank %d" % (len(pads), r))
    fp = []
    for i in reversed(range(r)):  # F.pad: last dimension first
        fp += [pads[i], pads[i + r]]
    if mode == "constant":
        return F.pad(t, fp, "constant", value)
    if mode not in ("reflect", "edge"):
        raise NotImplementedError("Pad mode %s" % mode)
    if any(fp[2 * (r - 2):]):
        raise NotImplementedError("Pad mode %s on the batch or channel axes" % mode)
    return F.pad(t, fp[:2 * (r - 2)], "reflect" if mode == "reflect" else "replicate")


def _np_to_torch_dtype(onnx_type):
    import onnx
    import torch
    npdt = np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[onnx_type])
    return torch.from_numpy(np.zeros(1, dtype=npdt)).dtype


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
            if "value" not in a:
                raise NotImplementedError("Constant without a tensor value")
            y = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
        elif op == "Slice":
            if opset < 10:
                raise NotImplementedError("Slice with attributes (opset < 10)")
            y = _slice(ins[0], ins[1].tolist(), ins[2].tolist(),
                       ins[3].tolist() if len(ins) > 3 and ins[3] is not None else None,
                       ins[4].tolist() if len(ins) > 4 and ins[4] is not None else None)
        elif op == "Pad":
            mode = a.get("mode", b"constant")
            mode = mode.decode() if isinstance(mode, bytes) else mode
            if opset < 11:
                pads, value = a["pads"], a.get("value", 0.0)
            else:
                pads = ins[1].tolist()
                value = float(ins[2].reshape(-1)[0]) if len(ins) > 2 and ins[2] is not None \
                    else 0.0
            y = _pad(ins[0], pads, mode, value)
        elif op == "Shape":
            s = list(ins[0].shape)
            y = torch.tensor(s[a.get("start", 0):a.get("end", len(s))], dtype=torch.int64)
        elif op == "Gather":
            y = torch.from_numpy(np.take(ins[0].numpy(), ins[1].numpy(), axis=a.get("axis", 0)))
        elif op == "ConstantOfShape":
            v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            shape = [int(d) for d in ins[0].tolist()]
            y = torch.from_numpy(np.full(shape, v.reshape(-1)[0], dtype=v.dtype))
            y = f64(y)
        elif op == "Concat":
            y = torch.cat(ins, dim=a["axis"])
        elif op == "Transpose":
            perm = a.get("perm", list(reversed(range(ins[0].dim()))))
            y = ins[0].permute(*perm)
        elif op == "Cast":
            dt = _np_to_torch_dtype(a["to"])
            # float -> float stays float64: the interpreter computes in float64
            y = ins[0] if dt.is_floating_point and ins[0].is_floating_point() else ins[0].to(dt)
        elif op in ("Unsqueeze", "Squeeze"):
            axes = a.get("axes") if opset < 13 else \
                (ins[1].tolist() if len(ins) > 1 and ins[1] is not None else None)
            y = ins[0]
            if op == "Squeeze":
                dims = range(y.dim()) if axes is None else axes
                for d in sorted((d + y.dim() if d < 0 else d for d in dims), reverse=True):
                    if axes is not None or y.shape[d] == 1:
                        y = y.squeeze(d)
            else:
                r = y.dim() + len(axes)
                for d in sorted(d + r if d < 0 else d for d in axes):
                    y = y.unsqueeze(d)
        elif op in ("Sub", "Mul", "Div"):
            A, B = ins[0], ins[1]
            if op == "Sub":
                y = A - B
            elif op == "Mul":
                y = A * B
            else:
                y = A / B if A.is_floating_point() else torch.div(A, B, rounding_mode="trunc")
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
