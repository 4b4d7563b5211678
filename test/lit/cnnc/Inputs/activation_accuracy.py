"""The accuracy of the vectorized activations (polynomial and rational
approximations of exp, expm1, log1p, tanh and erf) over their whole range: a
model applying each activation below to 4096 inputs from -12 to 12 (and 0,
and the extremes of float32), and the exact values computed in float64.

  activation_accuracy.py write DIR       # DIR/model.mlir, DIR/input.npy
  activation_accuracy.py run MODEL DIR PREFIX  # MODEL writes PREFIX0.npy ...
  activation_accuracy.py check DIR PREFIX    # PREFIX0.npy ... against exact
"""
import math
import os
import subprocess
import sys

import numpy as np

# Each op's name in the cnn dialect, and its attributes.
SELU_ALPHA, SELU_GAMMA = 1.6732632423543772, 1.0507009873554805
OPS = {
    "erf": "", "gelu": "", "sigmoid": "", "silu": "", "hard_swish": "",
    "hard_sigmoid": " alpha 0.166666672 beta 5.000000e-01",
    "leaky_relu": " alpha 1.000000e-01",
    "elu": " alpha 1.000000e+00 gamma 1.000000e+00",
    "selu": " alpha %.9e gamma %.9e" % (SELU_ALPHA, SELU_GAMMA),
    "tanh": "", "softplus": "", "mish": "",
}
SHAPE = (1, 16, 16, 16)


def inputs():
    x = np.linspace(-12.0, 12.0, int(np.prod(SHAPE)) - 4)
    x = np.concatenate([x, [0.0, -0.0, 3.0e38, -3.0e38]])
    return x.astype(np.float32).reshape(SHAPE)


def exact(op, x):
    x = x.astype(np.float64)
    erf = np.vectorize(math.erf)
    sigmoid = 1.0 / (1.0 + np.exp(-np.clip(x, -700, 700)))
    softplus = np.logaddexp(0.0, x)
    f32 = lambda v: float(np.float32(v))  # the attributes as the model has them
    return {
        "erf": erf(x),
        "gelu": 0.5 * x * (1.0 + erf(x / math.sqrt(2.0))),
        "sigmoid": sigmoid,
        "silu": x * sigmoid,
        "hard_swish": x * np.clip(x / 6.0 + 0.5, 0.0, 1.0),
        "hard_sigmoid": np.clip(x / 6.0 + 0.5, 0.0, 1.0),
        "leaky_relu": np.where(x > 0, x, f32(0.1) * x),
        "elu": np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
        "selu": f32(SELU_GAMMA) * np.where(
            x > 0, x, f32(SELU_ALPHA) * np.expm1(np.minimum(x, 0.0))),
        "tanh": np.tanh(x),
        "softplus": softplus,
        "mish": x * np.tanh(softplus),
    }[op]


def write(directory):
    t = "tensor<%sxf32>" % "x".join(map(str, SHAPE))
    lines = ["func.func @forward(%%x: %s) -> (%s) {" % (t, ", ".join([t] * len(OPS)))]
    for i, (op, attrs) in enumerate(OPS.items()):
        name = "elu" if op == "selu" else op
        lines.append("  %%y%d = cnn.%s %%x%s : %s" % (i, name, attrs, t))
    lines.append("  return %s : %s" % (", ".join("%%y%d" % i for i in range(len(OPS))),
                                       ", ".join([t] * len(OPS))))
    lines.append("}")
    with open(os.path.join(directory, "model.mlir"), "w") as f:
        f.write("\n".join(lines) + "\n")
    np.save(os.path.join(directory, "input.npy"), inputs())


def check(directory, prefix):
    outputs = ["%s%d.npy" % (prefix, i) for i in range(len(OPS))]
    x = np.load(os.path.join(directory, "input.npy"))
    failed = False
    for op, path in zip(OPS, outputs):
        y = np.load(path).astype(np.float64)
        want = exact(op, x)
        # A few float32 ulps of the result, or of 1 near zero crossings.
        error = np.abs(y - want) / np.maximum(np.abs(want), 1.0)
        worst = int(np.argmax(error))
        ok = bool(np.all(np.isfinite(y))) and error.flat[worst] <= 1e-6
        failed |= not ok
        print("%s %s: max error %.2e (x = %.6g)" % (
            "ok" if ok else "FAIL", op, error.flat[worst], x.flat[worst]))
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    elif sys.argv[1] == "run":
        model, directory, prefix = sys.argv[2:5]
        args = [model, "--input", os.path.join(directory, "input.npy")]
        for i in range(len(OPS)):
            args += ["--output", "%s%d.npy" % (prefix, i)]
        sys.exit(subprocess.run(args).returncode)
    else:
        sys.exit(check(sys.argv[2], sys.argv[3]))
