"""Tiny network builder for cnnc end-to-end tests.

A `Net` records a straight-line CNN built from the ops of the `cnn` dialect and
can
  * print it as MLIR text (`to_mlir`) -- one `func.func @forward` taking one
    NCHW f32 tensor, weights as `arith.constant dense<"0x...">`,
  * run a reference forward pass with standard torch ops in float64
    (`reference_torch`) -- this is the oracle the tests compare against,
  * run a second, independent forward pass with explicit numpy loops
    (`reference_numpy`) -- used only to cross-check the oracle itself
    (asymmetric padding, ceil_mode, count_include_pad, groups ...).

Semantics (shared with the compiler):
  * padding lists are [top, left, bottom, right];
  * conv output size = floor((H + pt + pb - d*(k-1) - 1) / s) + 1;
  * pool output size = floor-or-ceil((H + pt + pb - k) / s) + 1, and with
    ceil_mode the last window must start inside the input or the top/left
    padding (PyTorch's rule);
  * padding adds virtual zeros (avg pool) / -inf (max pool); avg pool with
    count_include_pad divides by the number of window positions inside the
    padded input [-pt, H + pb), never counting positions beyond it that only
    exist because of ceil_mode; without count_include_pad it divides by the
    number of real input positions in the window;
  * fused conv epilogue: y = relu(conv(x, w) + bias + residual);
  * linear: y = x @ W^T + b (W is [out, in]), optionally followed by relu;
  * softmax is over the last axis; flatten keeps dim 0 and merges the rest.

Only numpy is needed to build nets and print MLIR; torch is imported lazily.
"""

import numpy as np

# Order of the optional conv2d pieces.  True matches the assemblyFormat in
# dialects/cnn/CnnOps.td:
#   bias(..) strides .. padding .. dilations .. groups .. residual(..) relu
# False would emit  bias(..) residual(..) relu strides .. padding .. ...
CONV_EPILOGUE_AFTER_ATTRS = True

# Pool ops: always print `strides` and `padding` even when they equal the
# defaults ([1, 1] / all zero): it makes the window explicit in the test files,
# and an explicitly written default value always parses.
POOL_ALWAYS_PRINT_STRIDES = True
POOL_ALWAYS_PRINT_PADDING = True


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------

def _pair(v):
    if isinstance(v, (int, np.integer)):
        return [int(v), int(v)]
    v = [int(a) for a in v]
    assert len(v) == 2, v
    return v


def _pad4(p):
    """int -> [p]*4; (ph, pw) -> [ph, pw, ph, pw]; 4 values -> [t, l, b, r]."""
    if isinstance(p, (int, np.integer)):
        return [int(p)] * 4
    p = [int(a) for a in p]
    if len(p) == 2:
        return [p[0], p[1], p[0], p[1]]
    assert len(p) == 4, p
    return p


def conv_out_dim(size, k, s, p0, p1, d):
    n = size + p0 + p1 - d * (k - 1) - 1
    assert n >= 0, "conv window larger than padded input"
    return n // s + 1


def pool_out_dim(size, k, s, p0, p1, ceil_mode):
    n = size + p0 + p1 - k
    assert n >= 0, "pool window larger than padded input"
    out = (-(-n // s) if ceil_mode else n // s) + 1
    if ceil_mode and (out - 1) * s >= size + p0:
        out -= 1
    return out


def tensor_type(shape):
    return "tensor<" + "x".join(str(int(d)) for d in shape) + "xf32>"


def fmt_list(v):
    return "[" + ", ".join(str(int(a)) for a in v) + "]"


def fmt_float(v):
    """Float literal MLIR parses, e.g. 1.000000e-05."""
    return "%e" % float(v)


def dense_attr(arr):
    a = np.ascontiguousarray(arr, dtype="<f4")
    flat = a.reshape(-1)
    if flat.size > 1 and np.all(flat == flat[0]):
        return "dense<%.9e>" % float(flat[0])
    return 'dense<"0x' + a.tobytes().hex().upper() + '">'


class Value:
    __slots__ = ("name", "shape")

    def __init__(self, name, shape):
        self.name = name
        self.shape = tuple(int(d) for d in shape)

    @property
    def type(self):
        return tensor_type(self.shape)

    def __repr__(self):
        return "Value(%s, %s)" % (self.name, self.shape)


class Op:
    def __init__(self, kind, out, ins, consts, attrs, comments):
        self.kind = kind          # e.g. "conv2d"
        self.out = out            # Value
        self.ins = ins            # list of Value (activation operands)
        self.consts = consts      # list of (role, ssa_name, float32 ndarray)
        self.attrs = attrs        # dict
        self.comments = comments  # list of str printed above the op

    def const(self, role):
        for r, _, a in self.consts:
            if r == role:
                return a
        return None

    def const_name(self, role):
        for r, n, _ in self.consts:
            if r == role:
                return n
        return None


# ----------------------------------------------------------------------------
# Net builder
# ----------------------------------------------------------------------------

class Net:
    def __init__(self, input_shape, seed, header=None):
        assert len(input_shape) == 4, "model input must be NCHW"
        self.rng = np.random.default_rng(seed)
        self.input = Value("%x", input_shape)
        self.ops = []
        self.result = None
        self.header = list(header or [])
        self._pending_comments = []
        self._names = set()
        self._counters = {}
        self._next_id = 0

    # -- bookkeeping ---------------------------------------------------------
    def comment(self, text):
        """Attach a `//` comment line to the next op."""
        self._pending_comments.extend(text.splitlines() or [""])

    def _layer_name(self, kind, name):
        if name is None:
            i = self._counters.get(kind, 0)
            self._counters[kind] = i + 1
            name = "%s%d" % (kind, i)
        assert name not in self._names, "duplicate layer name " + name
        assert name.replace("_", "a").isalnum() and not name[0].isdigit(), name
        self._names.add(name)
        return name

    def _add(self, kind, out_shape, ins, consts, attrs, name):
        for v in ins:
            assert isinstance(v, Value), v
        lname = self._layer_name(kind, name)
        out = Value("%%%d" % self._next_id, out_shape)
        self._next_id += 1
        cs = [(role, "%%%s_%s" % (lname, role), np.ascontiguousarray(a, dtype=np.float32))
              for role, a in consts]
        op = Op(kind, out, list(ins), cs, attrs, self._pending_comments)
        self._pending_comments = []
        self.ops.append(op)
        self.result = out
        return out

    def _normal(self, shape, std):
        return (self.rng.standard_normal(shape) * std).astype(np.float32)

    # -- ops -------------------------------------------------------------------
    def conv2d(self, x, out_channels, kernel, stride=1, padding=0, dilation=1,
               groups=1, bias=True, residual=None, relu=False, name=None,
               weight_std=None):
        n, c, h, w = x.shape
        kh, kw = _pair(kernel)
        sh, sw = _pair(stride)
        dh, dw = _pair(dilation)
        pt, pl, pb, pr = _pad4(padding)
        assert c % groups == 0 and out_channels % groups == 0
        cin_g = c // groups
        oh = conv_out_dim(h, kh, sh, pt, pb, dh)
        ow = conv_out_dim(w, kw, sw, pl, pr, dw)
        out_shape = (n, out_channels, oh, ow)
        fan_in = cin_g * kh * kw
        std = weight_std if weight_std is not None else np.sqrt(2.0 / fan_in)
        consts = [("w", self._normal((out_channels, cin_g, kh, kw), std))]
        if bias:
            consts.append(("b", self._normal((out_channels,), 0.2)))
        ins = [x]
        if residual is not None:
            assert residual.shape == out_shape, (residual.shape, out_shape)
            ins.append(residual)
        attrs = dict(stride=[sh, sw], padding=[pt, pl, pb, pr],
                     dilation=[dh, dw], groups=int(groups), relu=bool(relu),
                     has_residual=residual is not None)
        return self._add("conv", out_shape, ins, consts, attrs, name)

    def batch_norm(self, x, epsilon=1e-5, name=None):
        c = x.shape[1]
        consts = [
            ("scale", self.rng.uniform(0.5, 1.5, c)),
            ("shift", self.rng.normal(0.0, 0.2, c)),
            ("mean", self.rng.normal(0.0, 0.3, c)),
            ("var", self.rng.uniform(0.4, 2.0, c)),
        ]
        return self._add("bn", x.shape, [x], consts, dict(epsilon=float(epsilon)), name)

    def relu(self, x, name=None):
        return self._add("relu", x.shape, [x], [], {}, name)

    def _pool(self, kind, x, kernel, stride, padding, ceil_mode, count_include_pad, name):
        n, c, h, w = x.shape
        kh, kw = _pair(kernel)
        sh, sw = _pair(kernel if stride is None else stride)
        pt, pl, pb, pr = _pad4(padding)
        # PyTorch's restriction (pad <= kernel / 2); also guarantees that every
        # window contains at least one real input element
        assert 2 * max(pt, pb) <= kh and 2 * max(pl, pr) <= kw, "pool padding must be <= kernel/2"
        oh = pool_out_dim(h, kh, sh, pt, pb, ceil_mode)
        ow = pool_out_dim(w, kw, sw, pl, pr, ceil_mode)
        attrs = dict(kernel=[kh, kw], stride=[sh, sw], padding=[pt, pl, pb, pr],
                     ceil_mode=bool(ceil_mode), count_include_pad=bool(count_include_pad))
        return self._add(kind, (n, c, oh, ow), [x], [], attrs, name)

    def max_pool2d(self, x, kernel, stride=None, padding=0, ceil_mode=False, name=None):
        return self._pool("maxpool", x, kernel, stride, padding, ceil_mode, False, name)

    def avg_pool2d(self, x, kernel, stride=None, padding=0, ceil_mode=False,
                   count_include_pad=False, name=None):
        return self._pool("avgpool", x, kernel, stride, padding, ceil_mode,
                          count_include_pad, name)

    def global_avg_pool(self, x, name=None):
        n, c, _, _ = x.shape
        return self._add("gap", (n, c, 1, 1), [x], [], {}, name)

    def add(self, a, b, name=None):
        assert a.shape == b.shape, (a.shape, b.shape)
        return self._add("add", a.shape, [a, b], [], {}, name)

    def flatten(self, x, name=None):
        n = x.shape[0]
        return self._add("flatten", (n, int(np.prod(x.shape[1:]))), [x], [], {}, name)

    def linear(self, x, out_features, bias=True, relu=False, name=None, weight_std=None):
        assert len(x.shape) == 2
        n, k = x.shape
        std = weight_std if weight_std is not None else np.sqrt(2.0 / k)
        consts = [("w", self._normal((out_features, k), std))]
        if bias:
            consts.append(("b", self._normal((out_features,), 0.2)))
        return self._add("linear", (n, out_features), [x], consts, dict(relu=bool(relu)), name)

    def softmax(self, x, name=None):
        return self._add("softmax", x.shape, [x], [], {}, name)

    # -- MLIR printing -----------------------------------------------------------
    def _op_text(self, op):
        k, a = op.kind, op.attrs
        x = op.ins[0]
        out = op.out
        if k == "conv":
            w = op.const_name("w")
            b = op.const_name("b")
            r = op.ins[1] if a["has_residual"] else None
            epi = []
            if b is not None:
                epi.append("bias(%s)" % b)
            r_part = ["residual(%s)" % r.name] if r is not None else []
            relu_part = ["relu"] if a["relu"] else []
            attrs = []
            if a["stride"] != [1, 1]:
                attrs.append("strides " + fmt_list(a["stride"]))
            if a["padding"] != [0, 0, 0, 0]:
                attrs.append("padding " + fmt_list(a["padding"]))
            if a["dilation"] != [1, 1]:
                attrs.append("dilations " + fmt_list(a["dilation"]))
            if a["groups"] != 1:
                attrs.append("groups %d" % a["groups"])
            if CONV_EPILOGUE_AFTER_ATTRS:
                parts = epi + attrs + r_part + relu_part
            else:
                parts = epi + r_part + relu_part + attrs
            types = [x.type, tensor_type(op.const("w").shape)]
            if b is not None:
                types.append(tensor_type(op.const("b").shape))
            if r is not None:
                types.append(r.type)
            return "cnn.conv2d %s, %s%s : (%s) -> %s" % (
                x.name, w, "".join(" " + p for p in parts), ", ".join(types), out.type)
        if k == "bn":
            names = [op.const_name(r) for r in ("scale", "shift", "mean", "var")]
            types = [x.type] + [tensor_type(op.const("scale").shape)] * 4
            return "cnn.batch_norm %s, %s epsilon %s : (%s) -> %s" % (
                x.name, ", ".join(names), fmt_float(a["epsilon"]), ", ".join(types), out.type)
        if k == "relu":
            return "cnn.relu %s : %s" % (x.name, x.type)
        if k in ("maxpool", "avgpool"):
            s = "cnn.%s %s kernel %s" % ("max_pool2d" if k == "maxpool" else "avg_pool2d",
                                         x.name, fmt_list(a["kernel"]))
            if POOL_ALWAYS_PRINT_STRIDES or a["stride"] != [1, 1]:
                s += " strides " + fmt_list(a["stride"])
            if POOL_ALWAYS_PRINT_PADDING or a["padding"] != [0, 0, 0, 0]:
                s += " padding " + fmt_list(a["padding"])
            if a["ceil_mode"]:
                s += " ceil_mode"
            if a["count_include_pad"]:
                s += " count_include_pad"
            return s + " : %s -> %s" % (x.type, out.type)
        if k == "gap":
            return "cnn.global_avg_pool %s : %s -> %s" % (x.name, x.type, out.type)
        if k == "add":
            return "cnn.add %s, %s : %s" % (x.name, op.ins[1].name, out.type)
        if k == "flatten":
            return "cnn.flatten %s : %s -> %s" % (x.name, x.type, out.type)
        if k == "linear":
            w = op.const_name("w")
            b = op.const_name("b")
            s = "cnn.linear %s, %s" % (x.name, w)
            types = [x.type, tensor_type(op.const("w").shape)]
            if b is not None:
                s += " bias(%s)" % b
                types.append(tensor_type(op.const("b").shape))
            if a["relu"]:
                s += " relu"
            return s + " : (%s) -> %s" % (", ".join(types), out.type)
        if k == "softmax":
            return "cnn.softmax %s : %s" % (x.name, x.type)
        raise ValueError(k)

    def to_mlir(self):
        assert self.result is not None, "empty net"
        lines = ["// " + h if h else "//" for h in self.header]
        if lines:
            lines.append("")
        lines.append("func.func @forward(%%x: %s) -> %s {" % (self.input.type, self.result.type))
        for i, op in enumerate(self.ops):
            if op.comments and i > 0:
                lines.append("")
            for c in op.comments:
                lines.append("  // " + c if c else "  //")
            for _, cname, arr in op.consts:
                lines.append("  %s = arith.constant %s : %s" % (cname, dense_attr(arr), tensor_type(arr.shape)))
            lines.append("  %s = %s" % (op.out.name, self._op_text(op)))
        lines.append("  return %s : %s" % (self.result.name, self.result.type))
        lines.append("}")
        return "\n".join(lines) + "\n"

    # -- references ----------------------------------------------------------------
    def reference_torch(self, x):
        """Oracle: standard torch.nn.functional ops in float64, cast to float32."""
        import torch
        import torch.nn.functional as F
        assert tuple(x.shape) == self.input.shape
        env = {self.input.name: torch.from_numpy(np.asarray(x, dtype=np.float64))}

        def c(op, role):
            a = op.const(role)
            return None if a is None else torch.from_numpy(a.astype(np.float64))

        for op in self.ops:
            a = op.attrs
            xin = env[op.ins[0].name]
            if op.kind == "conv":
                pt, pl, pb, pr = a["padding"]
                if pt == pb and pl == pr:
                    y = F.conv2d(xin, c(op, "w"), c(op, "b"), stride=a["stride"],
                                 padding=(pt, pl), dilation=a["dilation"], groups=a["groups"])
                else:
                    y = F.conv2d(F.pad(xin, (pl, pr, pt, pb)), c(op, "w"), c(op, "b"),
                                 stride=a["stride"], padding=0, dilation=a["dilation"],
                                 groups=a["groups"])
                if a["has_residual"]:
                    y = y + env[op.ins[1].name]
                if a["relu"]:
                    y = F.relu(y)
            elif op.kind == "bn":
                y = F.batch_norm(xin, c(op, "mean"), c(op, "var"), c(op, "scale"),
                                 c(op, "shift"), training=False, eps=a["epsilon"])
            elif op.kind == "relu":
                y = F.relu(xin)
            elif op.kind == "maxpool":
                y = torch_max_pool(xin, a, op.out.shape)
            elif op.kind == "avgpool":
                y = torch_avg_pool(xin, a, op.out.shape)
            elif op.kind == "gap":
                y = F.adaptive_avg_pool2d(xin, 1)
            elif op.kind == "add":
                y = xin + env[op.ins[1].name]
            elif op.kind == "flatten":
                y = torch.flatten(xin, 1)
            elif op.kind == "linear":
                y = F.linear(xin, c(op, "w"), c(op, "b"))
                if a["relu"]:
                    y = F.relu(y)
            elif op.kind == "softmax":
                y = F.softmax(xin, dim=-1)
            else:
                raise ValueError(op.kind)
            assert tuple(y.shape) == op.out.shape, (op.kind, tuple(y.shape), op.out.shape)
            env[op.out.name] = y
        return env[self.result.name].numpy().astype(np.float32)

    def reference_numpy(self, x):
        """Independent check: explicit numpy loops in float64 (no torch)."""
        env = {self.input.name: np.asarray(x, dtype=np.float64)}
        for op in self.ops:
            a = op.attrs
            xin = env[op.ins[0].name]
            c = lambda role: None if op.const(role) is None else op.const(role).astype(np.float64)
            if op.kind == "conv":
                y = np_conv2d(xin, c("w"), c("b"), a["stride"], a["padding"],
                              a["dilation"], a["groups"])
                if a["has_residual"]:
                    y = y + env[op.ins[1].name]
                if a["relu"]:
                    y = np.maximum(y, 0.0)
            elif op.kind == "bn":
                sh = (1, -1, 1, 1)
                y = ((xin - c("mean").reshape(sh)) / np.sqrt(c("var").reshape(sh) + a["epsilon"])
                     * c("scale").reshape(sh) + c("shift").reshape(sh))
            elif op.kind == "relu":
                y = np.maximum(xin, 0.0)
            elif op.kind in ("maxpool", "avgpool"):
                y = np_pool(xin, op.kind == "maxpool", a["kernel"], a["stride"], a["padding"],
                            a["ceil_mode"], a["count_include_pad"])
            elif op.kind == "gap":
                y = xin.mean(axis=(2, 3), keepdims=True)
            elif op.kind == "add":
                y = xin + env[op.ins[1].name]
            elif op.kind == "flatten":
                y = xin.reshape(xin.shape[0], -1)
            elif op.kind == "linear":
                y = xin @ c("w").T
                if c("b") is not None:
                    y = y + c("b")
                if a["relu"]:
                    y = np.maximum(y, 0.0)
            elif op.kind == "softmax":
                e = np.exp(xin - xin.max(axis=-1, keepdims=True))
                y = e / e.sum(axis=-1, keepdims=True)
            else:
                raise ValueError(op.kind)
            assert y.shape == op.out.shape, (op.kind, y.shape, op.out.shape)
            env[op.out.name] = y
        return env[self.result.name].astype(np.float32)


# ----------------------------------------------------------------------------
# torch pooling with PyTorch semantics generalised to asymmetric padding
# ----------------------------------------------------------------------------

def torch_max_pool(x, a, out_shape, force_manual=False):
    import torch.nn.functional as F
    kh, kw = a["kernel"]
    pt, pl, pb, pr = a["padding"]
    oh, ow = out_shape[2], out_shape[3]
    if not force_manual and pt == pb and pl == pr and 2 * pt <= kh and 2 * pl <= kw:
        return F.max_pool2d(x, a["kernel"], a["stride"], (pt, pl), ceil_mode=a["ceil_mode"])
    # Pad with -inf explicitly.  torch's ceil rule on the padded tensor is
    # looser (may keep a window starting in the bottom padding), so pool with
    # ceil_mode and keep the first oh x ow windows.
    xp = F.pad(x, (pl, pr, pt, pb), value=float("-inf"))
    y = F.max_pool2d(xp, a["kernel"], a["stride"], 0, ceil_mode=True)
    assert y.shape[2] >= oh and y.shape[3] >= ow
    return y[:, :, :oh, :ow]


def torch_avg_pool(x, a, out_shape, force_manual=False):
    import torch
    import torch.nn.functional as F
    kh, kw = a["kernel"]
    sh, sw = a["stride"]
    pt, pl, pb, pr = a["padding"]
    oh, ow = out_shape[2], out_shape[3]
    H, W = x.shape[2], x.shape[3]
    if (not force_manual and pt == pb and pl == pr and 2 * pt <= kh and 2 * pl <= kw):
        return F.avg_pool2d(x, a["kernel"], a["stride"], (pt, pl), ceil_mode=a["ceil_mode"],
                            count_include_pad=a["count_include_pad"])
    # Manual: window sum / window count.  Zero-pad by the declared padding plus
    # `extra` zeros at the bottom/right so every ceil_mode window fits; the
    # count comes from pooling a mask that is 1 over the region that counts
    # (the padded input for count_include_pad, the real input otherwise).
    eh = max(0, (oh - 1) * sh + kh - (H + pt + pb))
    ew = max(0, (ow - 1) * sw + kw - (W + pl + pr))
    xp = F.pad(x, (pl, pr + ew, pt, pb + eh))
    ones = torch.ones((1, 1, H, W), dtype=x.dtype)
    if a["count_include_pad"]:
        mask = F.pad(F.pad(ones, (pl, pr, pt, pb), value=1.0), (0, ew, 0, eh), value=0.0)
    else:
        mask = F.pad(ones, (pl, pr + ew, pt, pb + eh), value=0.0)
    area = kh * kw
    s = F.avg_pool2d(xp, a["kernel"], a["stride"], 0) * area
    n = F.avg_pool2d(mask, a["kernel"], a["stride"], 0) * area
    assert s.shape[2] >= oh and s.shape[3] >= ow
    return s[:, :, :oh, :ow] / n[:, :, :oh, :ow]


# ----------------------------------------------------------------------------
# numpy reference kernels (independent of torch)
# ----------------------------------------------------------------------------

def np_conv2d(x, w, b, stride, padding, dilation, groups):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    sh, sw = stride
    dh, dw = dilation
    pt, pl, pb, pr = padding
    oh = conv_out_dim(h, kh, sh, pt, pb, dh)
    ow = conv_out_dim(wd, kw, sw, pl, pr, dw)
    xp = np.zeros((n, c, h + pt + pb, wd + pl + pr))
    xp[:, :, pt:pt + h, pl:pl + wd] = x
    og = o // groups
    y = np.zeros((n, o, oh, ow))
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dh: i * dh + sh * (oh - 1) + 1: sh,
                           j * dw: j * dw + sw * (ow - 1) + 1: sw]
                assert patch.shape[2:] == (oh, ow)
                y[:, g * og:(g + 1) * og] += np.einsum(
                    "oc,nchw->nohw", w[g * og:(g + 1) * og, :, i, j], patch)
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def np_pool(x, is_max, kernel, stride, padding, ceil_mode, count_include_pad):
    """Direct transcription of PyTorch's pooling loops, with pad_top/pad_bottom
    (pad_left/pad_right) allowed to differ."""
    n, c, h, w = x.shape
    kh, kw = kernel
    sh, sw = stride
    pt, pl, pb, pr = padding
    oh = pool_out_dim(h, kh, sh, pt, pb, ceil_mode)
    ow = pool_out_dim(w, kw, sw, pl, pr, ceil_mode)
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        hs = i * sh - pt
        he = min(hs + kh, h + pb)          # clip to padded input
        for j in range(ow):
            ws = j * sw - pl
            we = min(ws + kw, w + pr)
            pool_size = (he - hs) * (we - ws)  # includes padding, not ceil overhang
            h0, h1 = max(hs, 0), min(he, h)
            w0, w1 = max(ws, 0), min(we, w)
            assert h1 > h0 and w1 > w0, "window without input elements"
            win = x[:, :, h0:h1, w0:w1]
            if is_max:
                y[:, :, i, j] = win.max(axis=(2, 3))
            else:
                div = pool_size if count_include_pad else (h1 - h0) * (w1 - w0)
                y[:, :, i, j] = win.sum(axis=(2, 3)) / div
    return y


# ----------------------------------------------------------------------------
# the two example networks
# ----------------------------------------------------------------------------

def small_vgg(seed):
    header = [
        "small_vgg: a tiny VGG-style classifier, generated by test/e2e/gen_case.py",
        "(`python3 test/e2e/gen_case.py --example small_vgg examples/small_vgg.mlir`).",
        "Weights are random (seeded); they are stored as hex-encoded little-endian f32.",
        "",
        "  input            1x3x32x32",
        "  conv3x3(3->8, pad 1) + batch_norm + relu      -> 1x8x32x32",
        "  conv3x3(8->8, pad 1) + batch_norm + relu      -> 1x8x32x32",
        "  max_pool 2x2 stride 2                         -> 1x8x16x16",
        "  conv3x3(8->16, pad 1) + batch_norm + relu     -> 1x16x16x16",
        "  conv3x3(16->16, pad 1) + batch_norm + relu    -> 1x16x16x16",
        "  max_pool 2x2 stride 2                         -> 1x16x8x8",
        "  flatten                                       -> 1x1024",
        "  linear(1024->16) + relu                       -> 1x16",
        "  linear(16->10)                                -> 1x10 (logits)",
    ]
    net = Net((1, 3, 32, 32), seed, header=header)
    x = net.input
    for i, (cout) in enumerate([8, 8]):
        net.comment("block 1, conv %d: conv3x3 (-> %d channels, pad 1) + batch_norm + relu" % (i + 1, cout))
        x = net.conv2d(x, cout, 3, padding=1, bias=False, name="conv1_%d" % (i + 1))
        x = net.batch_norm(x, name="bn1_%d" % (i + 1))
        x = net.relu(x, name="relu1_%d" % (i + 1))
    net.comment("max_pool 2x2, stride 2")
    x = net.max_pool2d(x, 2, 2, name="pool1")
    for i, (cout) in enumerate([16, 16]):
        net.comment("block 2, conv %d: conv3x3 (-> %d channels, pad 1) + batch_norm + relu" % (i + 1, cout))
        x = net.conv2d(x, cout, 3, padding=1, bias=False, name="conv2_%d" % (i + 1))
        x = net.batch_norm(x, name="bn2_%d" % (i + 1))
        x = net.relu(x, name="relu2_%d" % (i + 1))
    net.comment("max_pool 2x2, stride 2")
    x = net.max_pool2d(x, 2, 2, name="pool2")
    net.comment("classifier: flatten, linear + relu, linear")
    x = net.flatten(x, name="flatten")
    x = net.linear(x, 16, relu=True, name="fc1")
    net.linear(x, 10, name="fc2", weight_std=np.sqrt(1.0 / 16))
    return net


def small_resnet(seed):
    header = [
        "small_resnet: a tiny ResNet-style classifier, generated by test/e2e/gen_case.py",
        "(`python3 test/e2e/gen_case.py --example small_resnet examples/small_resnet.mlir`).",
        "Weights are random (seeded); they are stored as hex-encoded little-endian f32.",
        "Blocks 1-2 are written unfused (conv, batch_norm, add, relu); the bottleneck",
        "block uses the fused conv epilogue forms (bias, residual, relu) directly.",
        "",
        "  input                                                     2x3x24x20",
        "  stem: conv3x3(3->16, pad 1) + batch_norm + relu           -> 2x16x24x20",
        "  basic block 1 (identity shortcut):",
        "    conv3x3(16->16, pad 1) + bn + relu, conv3x3(16->16, pad 1) + bn,",
        "    add(shortcut), relu                                     -> 2x16x24x20",
        "  basic block 2 (stride 2, 1x1 stride-2 projection shortcut + bn):",
        "    conv3x3(16->32, stride 2, pad 1) + bn + relu, conv3x3(32->32, pad 1) + bn,",
        "    add(projection), relu                                   -> 2x32x12x10",
        "  bottleneck block (fused epilogues):",
        "    conv1x1(32->16) bias relu,",
        "    conv3x3(16->16, pad 1, groups 2) bias relu,",
        "    conv1x1(16->32) bias residual(block input) relu         -> 2x32x12x10",
        "  global_avg_pool                                           -> 2x32x1x1",
        "  flatten                                                   -> 2x32",
        "  linear(32->10)                                            -> 2x10",
        "  softmax                                                   -> 2x10 (probabilities)",
    ]
    net = Net((2, 3, 24, 20), seed, header=header)
    x = net.input
    net.comment("stem: conv3x3 (3->16, pad 1) + batch_norm + relu")
    x = net.conv2d(x, 16, 3, padding=1, bias=False, name="stem_conv")
    x = net.batch_norm(x, name="stem_bn")
    x = net.relu(x, name="stem_relu")

    net.comment("basic block 1 (16->16, identity shortcut): conv3x3 + bn + relu")
    skip = x
    y = net.conv2d(x, 16, 3, padding=1, bias=False, name="b1_conv1")
    y = net.batch_norm(y, name="b1_bn1")
    y = net.relu(y, name="b1_relu1")
    net.comment("basic block 1: conv3x3 + bn, add shortcut, relu")
    y = net.conv2d(y, 16, 3, padding=1, bias=False, name="b1_conv2")
    y = net.batch_norm(y, name="b1_bn2")
    y = net.add(y, skip, name="b1_add")
    x = net.relu(y, name="b1_relu2")

    net.comment("basic block 2 (16->32, stride 2): conv3x3 stride 2 + bn + relu")
    y = net.conv2d(x, 32, 3, stride=2, padding=1, bias=False, name="b2_conv1")
    y = net.batch_norm(y, name="b2_bn1")
    y = net.relu(y, name="b2_relu1")
    net.comment("basic block 2: conv3x3 + bn")
    y = net.conv2d(y, 32, 3, padding=1, bias=False, name="b2_conv2")
    y = net.batch_norm(y, name="b2_bn2")
    net.comment("basic block 2: projection shortcut conv1x1 stride 2 + bn, add, relu")
    p = net.conv2d(x, 32, 1, stride=2, bias=False, name="b2_proj")
    p = net.batch_norm(p, name="b2_proj_bn")
    y = net.add(y, p, name="b2_add")
    x = net.relu(y, name="b2_relu2")

    net.comment("bottleneck block (32->16->32, fused epilogues): conv1x1 bias relu")
    skip = x
    y = net.conv2d(x, 16, 1, relu=True, name="b3_conv1")
    net.comment("bottleneck block: conv3x3 groups 2 bias relu")
    y = net.conv2d(y, 16, 3, padding=1, groups=2, relu=True, name="b3_conv2")
    net.comment("bottleneck block: conv1x1 bias + residual(block input) + relu")
    x = net.conv2d(y, 32, 1, residual=skip, relu=True, name="b3_conv3",
                   weight_std=np.sqrt(1.0 / 16))

    net.comment("head: global_avg_pool, flatten, linear, softmax")
    x = net.global_avg_pool(x, name="gap")
    x = net.flatten(x, name="flatten")
    x = net.linear(x, 10, name="fc", weight_std=np.sqrt(1.0 / 32))
    net.softmax(x, name="softmax")
    return net
