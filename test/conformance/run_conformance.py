#!/usr/bin/env python3
"""ONNX conformance suite: torchvision CNNs and the CIFAR-10 ResNets of He et
al. 2015 exported to ONNX, compiled with cnnc, run, and compared with PyTorch.

  run_conformance.py --cnnc build/bin/cnnc                     # fast suite
  run_conformance.py --cnnc build/bin/cnnc --only resnet18 vgg11_bn
  run_conformance.py --cnnc build/bin/cnnc --suite full --markdown support.md
  run_conformance.py --onnx-ref                  # check the exports, no cnnc
  run_conformance.py --list [--suite full]

Per config: examples/zoo/export.py writes model.onnx, input.npy and
expected.npy into a temporary directory (seeded weights and input; the reference
is the unmodified PyTorch model in eval mode, computed in float64), then

  cnnc model.onnx -o model
  ./model --input input.npy --output out.npy

and out.npy is compared with test/e2e/compare.py's rule: max abs error <=
rtol * max|expected| (rtol 1e-3) and the same argmax per row. One row is
printed per config: status PASS, FAIL (wrong numbers) or ERROR (export, compile
or run failed; the first line of the error is shown). Exit status 1 if any
config does not pass.
"""

import argparse
import concurrent.futures
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "examples", "zoo"))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e"))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import compare as e2e_compare  # noqa: E402  (test/e2e/compare.py)
import export as zoo  # noqa: E402  (examples/zoo/export.py)

RTOL = 1e-3


class Config:
    def __init__(self, model, batch, h, w, keep_bn=False, opset=None):
        self.model, self.batch, self.h, self.w, self.keep_bn = model, batch, h, w, keep_bn
        self.opset = opset  # None: --opset (default 13)

    @property
    def shape(self):
        return "x".join(map(str, zoo.input_shape(self.model, self.batch, self.h, self.w)))

    @property
    def bn(self):
        if zoo.family(self.model) == "vgg" and not self.model.endswith("_bn"):
            return "none"  # plain VGG has no BatchNorm
        return "kept" if self.keep_bn else "folded"

    @property
    def id(self):
        return "%s_%s%s%s" % (self.model, self.shape, "_keepbn" if self.keep_bn else "",
                               "_opset%d" % self.opset if self.opset else "")


# The CIFAR-10 nets in the fast suite: the 20-layer ones, one per shortcut type.
FAST_CIFAR = ["resnet20_a", "resnet20_b", "plain20"]


def fast_suite():
    c = [Config(m, 1, max(32, zoo.min_size(m)), max(32, zoo.min_size(m)))
         for m in zoo.TORCHVISION_ARCHS]
    c += [Config(m, 1, 32, 32) for m in FAST_CIFAR]
    c += [
        Config("resnet18", 2, 40, 56),            # batch 2, non-square, odd sizes
        Config("resnet50", 1, 32, 32, keep_bn=True),  # BatchNormalization nodes, ResNet
        Config("vgg11_bn", 2, 64, 48, keep_bn=True),  # BN nodes, VGG; 2x1 features
        Config("resnet20_a", 2, 33, 40),          # batch 2; option A Slice/Pad on odd sizes
        # The efficient families: batch 2, non-square, BatchNormalization
        # after a concatenation, opset 17 (HardSwish as one node).
        Config("mobilenet_v3_small", 2, 48, 64, opset=17),
        Config("efficientnet_b0", 2, 64, 48, opset=17),
        Config("densenet121", 1, 40, 56, keep_bn=True),
        Config("googlenet", 1, 64, 80, opset=17),
        Config("mobilenet_v2", 2, 33, 47),
        Config("shufflenet_v2_x1_0", 2, 48, 40, opset=17),
        Config("inception_v3", 2, 80, 96, keep_bn=True, opset=17),
        Config("fcn_resnet50", 2, 45, 61, opset=17),  # resizes by 45/6, 61/8
        Config("convnext_tiny", 2, 48, 40, opset=17),  # LayerNormalization
    ]
    return c


def full_suite():
    c = [Config(m, 1, *zoo.default_size(m)) for m in zoo.TORCHVISION_ARCHS]
    c += [Config(m, 1, *zoo.default_size(m), keep_bn=True) for m in zoo.TORCHVISION_ARCHS
          if m.endswith("_bn") or not m.startswith("vgg")]
    for m, mbn in (("resnet18", "resnet18"), ("resnet50", "resnet50"), ("vgg16", "vgg16_bn")):
        for b, h, w in ((4, 224, 224), (1, 160, 224)):
            c.append(Config(m, b, h, w))
            c.append(Config(mbn, b, h, w, keep_bn=True))
    c += [Config(m, 1, 32, 32) for m in zoo.CIFAR_ARCHS]  # at their native size
    c += [Config(m, 2, *zoo.default_size(m), opset=17) for m in zoo.EFFICIENT_ARCHS]
    c += [Config(m, 1, *zoo.default_size(m)) for m in zoo.LARGE_EFFICIENT_ARCHS]
    return c


SUITES = {"fast": fast_suite, "full": full_suite}


def first_error_line(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        if "error" in l.lower():
            return l
    return lines[0] if lines else "(no output)"


def run_cmd(cmd, timeout, log):
    t = time.time()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, universal_newlines=True)
    except subprocess.TimeoutExpired:
        return None, time.time() - t, "timed out after %ds" % timeout
    log.write("$ %s\n%s" % (" ".join(shlex.quote(c) for c in cmd), p.stdout))
    if p.returncode != 0:
        msg = first_error_line(p.stdout)
        if p.returncode < 0:
            msg = "killed by signal %d: %s" % (-p.returncode, msg)
        return p.returncode, time.time() - t, msg
    return 0, time.time() - t, ""


def run_config(cfg, args):
    """Returns a result dict; never raises."""
    r = {"model": cfg.model, "shape": cfg.shape, "bn": cfg.bn, "status": "ERROR",
         "message": "", "err": None, "rel": None, "export_s": None, "compile_s": None,
         "run_s": None, "note": ""}
    work = tempfile.mkdtemp(prefix="cnnc-conf-%s-" % cfg.id, dir=args.workdir)
    logpath = os.path.join(work, "log.txt")
    onnx_path = os.path.join(work, "model.onnx")
    exe = os.path.join(work, "model")
    out = os.path.join(work, "out.npy")
    try:
        with open(logpath, "w") as log:
            stage = "export"
            try:
                t = time.time()
                info = zoo.export(cfg.model, onnx_path, batch=cfg.batch, height=cfg.h,
                                  width=cfg.w, seed=args.seed, keep_bn=cfg.keep_bn,
                                  opset=cfg.opset or args.opset, reference_dir=work,
                                  check=True)
                r["export_s"] = time.time() - t
                r["note"] = info["note"]
                if args.onnx_ref:
                    stage = "onnx-ref"
                    import onnx_ref
                    t = time.time()
                    y = onnx_ref.run(onnx_path, np.load(os.path.join(work, "input.npy")))
                    r["run_s"] = time.time() - t
                    np.save(out, y)
            except Exception as ex:
                log.write(traceback.format_exc())
                r["message"] = "%s: %s: %s" % (stage, type(ex).__name__,
                                               first_error_line(str(ex) or repr(ex)))
                return r
            if not args.onnx_ref:
                cmd = [args.cnnc, onnx_path, "-o", exe] + shlex.split(args.cnnc_args or "")
                rc, r["compile_s"], msg = run_cmd(cmd, args.timeout, log)
                if rc != 0:
                    r["message"] = "compile: " + msg
                    return r
                cmd = [exe, "--input", os.path.join(work, "input.npy"), "--output", out]
                rc, r["run_s"], msg = run_cmd(cmd, args.timeout, log)
                if rc != 0:
                    r["message"] = "run: " + msg
                    return r
            try:
                actual = np.load(out, allow_pickle=False)
            except Exception as ex:
                r["message"] = "cannot load output: %s" % ex
                return r
            expected = np.load(os.path.join(work, "expected.npy"))
            if actual.shape == expected.shape and actual.dtype.kind == "f":
                diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
                scale = max(float(np.max(np.abs(expected))), 1e-6)
                r["err"] = float(np.max(diff)) if diff.size else 0.0
                r["rel"] = r["err"] / scale
            ok, msg = e2e_compare.compare(actual, expected, args.rtol)
            r["status"] = "PASS" if ok else "FAIL"
            r["message"] = "" if ok else msg
            return r
    finally:
        r["message"] = r["message"].replace(work + os.sep, "")
        if args.keep:
            r["workdir"] = work
        else:
            shutil.rmtree(work, ignore_errors=True)


def fmt(v, spec):
    return "-" if v is None else spec % v


COLUMNS = [("model", "%-16s"), ("input", "%-12s"), ("BN", "%-6s"), ("status", "%-6s"),
           ("max abs err", "%11s"), ("rel err", "%9s"), ("export s", "%8s"),
           ("compile s", "%9s"), ("run s", "%7s")]


def row_values(r):
    return [r["model"], r["shape"], r["bn"], r["status"], fmt(r["err"], "%.2e"),
            fmt(r["rel"], "%.2e"), fmt(r["export_s"], "%.1f"), fmt(r["compile_s"], "%.1f"),
            fmt(r["run_s"], "%.2f")]


def text_row(values):
    return "  ".join(spec % v for (_, spec), v in zip(COLUMNS, values))


def print_row(r):
    line = text_row(row_values(r))
    if r["message"]:
        line += "  " + r["message"]
    if r.get("workdir"):
        line += "  [%s]" % r["workdir"]
    print(line, flush=True)


def write_markdown(path, results, args, total_s):
    with open(path, "w") as f:
        backend = "onnx_ref.py (no cnnc)" if args.onnx_ref else "cnnc"
        f.write("| model | input | BN | status | max abs err | rel err | compile s | run s "
                "| notes |\n")
        f.write("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |\n")
        for r in results:
            note = r["note"]
            if r["message"]:
                note = (note + "; " if note else "") + r["message"]
            note = note.replace("|", "\\|")
            v = row_values(r)
            f.write("| %s |\n" % " | ".join(v[:6] + v[7:] + [note]))
        npass = sum(r["status"] == "PASS" for r in results)
        f.write("\n%d of %d configs pass (suite `%s`, backend %s, opset %d, rtol %g, %.0f s).\n"
                % (npass, len(results), args.suite, backend, args.opset, args.rtol, total_s))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", choices=sorted(SUITES), default="fast")
    ap.add_argument("--cnnc", help="path to the cnnc executable")
    ap.add_argument("--cnnc-args", default="",
                    help="extra cnnc options, e.g. --cnnc-args=--graph-passes=false")
    ap.add_argument("--onnx-ref", action="store_true",
                    help="run the ONNX files with onnx_ref.py instead of cnnc (checks the exports)")
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help="run only the configs of these architectures")
    ap.add_argument("--markdown", metavar="FILE", help="write the results as a Markdown table")
    ap.add_argument("--jobs", "-j", type=int, default=1, help="configs run in parallel (default 1)")
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rtol", type=float, default=RTOL)
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per compile or run")
    ap.add_argument("--workdir", help="parent of the per-config temporary directories")
    ap.add_argument("--keep", action="store_true", help="keep the per-config directories")
    ap.add_argument("--list", action="store_true", help="list the configs and exit")
    args = ap.parse_args(argv)

    configs = SUITES[args.suite]()
    if args.only:
        unknown = [n for n in args.only if n not in zoo.ARCHS]
        if unknown:
            ap.error("unknown architecture(s): %s" % " ".join(unknown))
        configs = [c for c in configs if c.model in args.only]
        if not configs:
            ap.error("no config of suite %s matches --only" % args.suite)
    if args.list:
        for c in configs:
            print("%-16s %-12s BN %s" % (c.model, c.shape, c.bn))
        return 0
    if not args.onnx_ref:
        if not args.cnnc:
            ap.error("--cnnc PATH is required (or --onnx-ref)")
        if not os.access(args.cnnc, os.X_OK):
            ap.error("cnnc not executable: %s" % args.cnnc)
        args.cnnc = os.path.abspath(args.cnnc)

    print("suite %s: %d config(s), %s, opset %d, rtol %g" % (
        args.suite, len(configs), "onnx_ref.py" if args.onnx_ref else args.cnnc,
        args.opset, args.rtol), flush=True)
    print(text_row([name for name, _ in COLUMNS]), flush=True)
    t0 = time.time()
    results = [None] * len(configs)
    if args.jobs <= 1:
        for i, c in enumerate(configs):
            results[i] = run_config(c, args)
            print_row(results[i])
    else:
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futs = {pool.submit(run_config, c, args): i for i, c in enumerate(configs)}
            for f in concurrent.futures.as_completed(futs):
                results[futs[f]] = f.result()
                print_row(results[futs[f]])
    total = time.time() - t0
    npass = sum(r["status"] == "PASS" for r in results)
    print("passed %d of %d (%.0f s)" % (npass, len(results), total), flush=True)
    bad = [r for r in results if r["status"] != "PASS"]
    for r in bad:
        print("%s: %s %s %s: %s" % (r["status"], r["model"], r["shape"], r["bn"], r["message"]))
    if args.markdown:
        write_markdown(args.markdown, results, args, total)
        print("wrote %s" % args.markdown)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
