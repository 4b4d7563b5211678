#!/usr/bin/env python3
"""Side-by-side benchmark: cnnc vs ONNX Runtime vs PyTorch, in one run.

  bench/run.py --cnnc build/bin/cnnc [--models resnet18 resnet50 vgg16]
               [--batches 1 8] [--threads 1 2] [--runs 5] [--markdown FILE]

For each model (torchvision architecture, seeded weights, 3x224x224 input)
and batch size: export to ONNX with examples/zoo/export.py, compile with
cnnc, then time cnnc's executable (--bench), ONNX Runtime (onnxruntime-node,
bench/ort_bench.js) and PyTorch (torch.set_num_threads) at each thread count.
Reports median ms, GFLOP/s (convolution and linear FLOPs, 2 per MAC), % of
the measured FMA peak (bench/fma_peak.c, one core times threads) and the
ratio to ONNX Runtime (> 1: cnnc is faster). Needs `npm install
--ignore-scripts onnxruntime-node` in bench/ (scripts/bench.sh does it).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "zoo"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import shape_inference  # noqa: E402


def model_flops(path):
    """2 * MACs of every Conv and Gemm/MatMul, from ONNX shape inference."""
    model = shape_inference.infer_shapes(onnx.load(path))
    shapes = {}
    for value in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        dims = [d.dim_value for d in value.type.tensor_type.shape.dim]
        shapes[value.name] = dims
    for init in model.graph.initializer:
        shapes[init.name] = list(init.dims)
    flops = 0
    for node in model.graph.node:
        if node.op_type == "Conv":
            out = shapes[node.output[0]]
            weight = shapes[node.input[1]]
            flops += 2 * int(np.prod(out)) * int(np.prod(weight[1:]))
        elif node.op_type in ("Gemm", "MatMul"):
            a, b = shapes[node.input[0]], shapes[node.input[1]]
            flops += 2 * a[0] * a[1] * (b[0] if node.op_type == "Gemm" and
                                        any(x.name == "transB" and x.i for x in node.attribute)
                                        else b[1])
    return flops


def parse_ms(text):
    match = re.search(r"median_ms=([0-9.]+)", text)
    if not match:
        raise RuntimeError(f"no median_ms in: {text.strip()[-300:]}")
    return float(match.group(1))


def fma_peak(work):
    exe = os.path.join(work, "fma_peak")
    subprocess.run(["clang-22", "-O2", "-march=native", os.path.join(HERE, "fma_peak.c"),
                    "-o", exe], check=True)
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"fma_peak_gflops=([0-9.]+)", out).group(1))


def time_torch(arch, batch, threads, runs, x):
    import torch
    import export as zoo
    torch.set_num_threads(threads)
    model = zoo.build(arch, seed=0).eval()
    inp = torch.from_numpy(x)
    with torch.no_grad():
        model(inp)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            model(inp)
            times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cnnc", default=os.path.join(ROOT, "build", "bin", "cnnc"))
    parser.add_argument("--models", nargs="+", default=["resnet18", "resnet50", "vgg16"])
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 8])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", help="write the table to this file")
    args = parser.parse_args()

    import export as zoo
    rows = []
    with tempfile.TemporaryDirectory(prefix="cnnc-bench-") as work:
        peak = fma_peak(work)
        print(f"measured FMA peak: {peak:.1f} GFLOP/s per core", flush=True)
        for arch in args.models:
            for batch in args.batches:
                d = os.path.join(work, f"{arch}-b{batch}")
                onnx_path = d + ".onnx"
                zoo.export(arch, onnx_path, batch=batch, reference_dir=d, check=False)
                x = np.load(os.path.join(d, "input.npy"))
                gflop = model_flops(onnx_path) * 1e-9
                exe = d + ".exe"
                start = time.time()
                subprocess.run([args.cnnc, onnx_path, "-o", exe], check=True)
                compile_s = time.time() - start
                for threads in args.threads:
                    cnnc_ms = parse_ms(subprocess.run(
                        [exe, "--input", os.path.join(d, "input.npy"), "--threads",
                         str(threads), "--bench", str(args.runs)],
                        check=True, capture_output=True, text=True).stdout)
                    ort_ms = parse_ms(subprocess.run(
                        ["node", os.path.join(HERE, "ort_bench.js"), onnx_path,
                         os.path.join(d, "input.npy"), str(threads), str(args.runs)],
                        check=True, capture_output=True, text=True).stdout)
                    torch_ms = time_torch(arch, batch, threads, args.runs, x)
                    row = dict(model=arch, batch=batch, threads=threads, gflop=gflop,
                               cnnc=cnnc_ms, ort=ort_ms, torch=torch_ms,
                               compile_s=compile_s, peak=peak * threads)
                    rows.append(row)
                    print(format_row(row), flush=True)
                os.remove(onnx_path)
    table = render(rows, peak)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)


def format_row(r):
    gflops = r["gflop"] / (r["cnnc"] * 1e-3)
    return (f"| {r['model']} | {r['batch']} | {r['threads']} | {r['gflop']:.2f} | "
            f"{r['cnnc']:.1f} | {gflops:.1f} | {100 * gflops / r['peak']:.1f}% | "
            f"{r['ort']:.1f} | {100 * r['gflop'] / (r['ort'] * 1e-3) / r['peak']:.1f}% | "
            f"{r['torch']:.1f} | {r['ort'] / r['cnnc']:.3f} | {r['compile_s']:.1f} |")


def render(rows, peak):
    header = (f"Measured FMA peak: {peak:.1f} GFLOP/s per core (bench/fma_peak.c).\n\n"
              "| model | batch | threads | GFLOP | cnnc ms | cnnc GFLOP/s | cnnc % peak | "
              "ORT ms | ORT % peak | PyTorch ms | ORT/cnnc | cnnc compile s |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    return header + "\n".join(format_row(r) for r in rows) + "\n"


if __name__ == "__main__":
    main()
