#!/usr/bin/env python3
"""Side-by-side benchmark: cnnc vs ONNX Runtime vs PyTorch, in one run.

  bench/run.py --cnnc build/bin/cnnc [--models resnet18 resnet50 vgg16]
               [--batches 1 8] [--threads 1 2] [--runs 5] [--markdown FILE]
               [--json FILE] [--plot FILE.svg] [--target-cpu x86-64-v3]
               [--dynamic] [--tune]
  bench/run.py --plot-from FILE.json --plot FILE.svg     redraw a saved run

For each model (torchvision architecture, seeded weights, 3x224x224 input)
and batch size: export to ONNX with examples/zoo/export.py, compile with
cnnc, then time cnnc's executable (--bench), ONNX Runtime (onnxruntime-node,
bench/ort_bench.js) and PyTorch (torch.set_num_threads) at each thread count.
Reports median ms, GFLOP/s (convolution and linear FLOPs, 2 per MAC), % of
the measured FMA peak of the vector width cnnc's code uses (bench/fma_peak.c
built for AVX2 and, where the CPU has it, AVX-512; one core times threads)
and the ratio to ONNX Runtime (> 1: cnnc is faster). --target-cpu compiles
for another target than the host (x86-64-v3: AVX2 code on an AVX-512 host).
--dynamic also times one --batch=dynamic binary per model on the same
inputs (blocks of 8 images plus single images), as a ratio to the
fixed-batch binary of each batch. --tune also times a binary compiled with
the kernel config `cnnc --tune` writes (tuned on one thread) for each model
and batch, as default/tuned (> 1: tuning made it faster). Needs `npm install
--ignore-scripts onnxruntime-node` in bench/ (scripts/bench.sh does it).
"""

import argparse
import json
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
    """2 * MACs of every Conv, ConvTranspose and Gemm/MatMul, from ONNX shape
    inference."""
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
        elif node.op_type == "ConvTranspose":
            # Each input element times its [C_out / group, kH, kW] taps.
            flops += 2 * int(np.prod(shapes[node.input[0]])) * \
                int(np.prod(shapes[node.input[1]][1:]))
        elif node.op_type in ("Gemm", "MatMul"):
            # A MatMul of a larger tensor (ConvNeXt's per-pixel linear
            # layers) multiplies every row of its last dimension.
            a, b = shapes[node.input[0]], shapes[node.input[1]]
            rows = int(np.prod(a[:-1]))
            flops += 2 * rows * a[-1] * (b[0] if node.op_type == "Gemm" and
                                         any(x.name == "transB" and x.i for x in node.attribute)
                                         else b[1])
    return flops


def parse_ms(text):
    match = re.search(r"median_ms=([0-9.]+)", text)
    if not match:
        raise RuntimeError(f"no median_ms in: {text.strip()[-300:]}")
    return float(match.group(1))


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def fma_peaks(work):
    """{vector bits: GFLOP/s per core}: 256 (AVX2+FMA) always, 512 where the
    CPU has AVX-512F."""
    builds = {256: ["-mavx2", "-mfma", "-mno-avx512f"]}
    if "avx512f" in cpu_flags():
        builds[512] = ["-mavx512f", "-mfma"]
    peaks = {}
    for bits, flags in builds.items():
        exe = os.path.join(work, f"fma_peak{bits}")
        subprocess.run(["clang-22", "-O2", *flags, os.path.join(HERE, "fma_peak.c"),
                        "-o", exe], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
        peaks[bits] = float(re.search(r"fma_peak_gflops=([0-9.]+)", out).group(1))
    return peaks


def parse_variant(text):
    """(target, vector bits) of the variant a cnnc binary ran."""
    match = re.search(r"target=(\S+) vector_bits=([0-9]+)", text)
    return (match.group(1), int(match.group(2))) if match else ("?", 512)


def parse_huge_pages(text):
    """MiB of weights the cnnc binary moved onto huge pages (0 if none)."""
    match = re.search(r"huge_page_mib=([0-9.]+)", text)
    return float(match.group(1)) if match else 0.0


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
    parser.add_argument("--json", help="write the measurements to this file")
    parser.add_argument("--plot", help="draw speed relative to ONNX Runtime as SVG")
    parser.add_argument("--target-cpu", default="native",
                        help="cnnc --target-cpu (x86-64-v3: AVX2 code)")
    parser.add_argument("--dynamic", action="store_true",
                        help="also time one --batch=dynamic binary per model at "
                        "every batch, next to the fixed-batch binaries")
    parser.add_argument("--tune", action="store_true",
                        help="also time a binary compiled with the kernel config "
                        "cnnc --tune writes for each model and batch (tuned on "
                        "one thread), next to the cost model's")
    parser.add_argument("--plot-from", metavar="JSON",
                        help="only draw --plot from an earlier run's --json")
    args = parser.parse_args()
    if args.plot_from:
        with open(args.plot_from) as f:
            saved = json.load(f)
        write_plot(args.plot or "bench.svg", saved["rows"], saved["peak"])
        return

    import export as zoo
    rows = []
    with tempfile.TemporaryDirectory(prefix="cnnc-bench-") as work:
        peaks = fma_peaks(work)
        print("measured FMA peak per core: " +
              ", ".join(f"{bits}-bit {p:.1f} GFLOP/s" for bits, p in peaks.items()),
              flush=True)
        peak = peaks.get(512, peaks[256])
        for arch in args.models:
            dynamic_exe = None
            for batch in args.batches:
                d = os.path.join(work, f"{arch}-b{batch}")
                onnx_path = d + ".onnx"
                zoo.export(arch, onnx_path, batch=batch, reference_dir=d, check=False)
                x = np.load(os.path.join(d, "input.npy"))
                gflop = model_flops(onnx_path) * 1e-9
                exe = d + ".exe"
                start = time.time()
                subprocess.run([args.cnnc, f"--target-cpu={args.target_cpu}", onnx_path,
                                "-o", exe], check=True)
                compile_s = time.time() - start
                tuned_exe = None
                if args.tune:
                    config = d + ".kernels.json"
                    start = time.time()
                    subprocess.run([args.cnnc, f"--target-cpu={args.target_cpu}",
                                    "--tune", "--tune-threads", "1", onnx_path,
                                    "-o", config], check=True)
                    tune_s = time.time() - start
                    tuned_exe = d + ".tuned.exe"
                    subprocess.run([args.cnnc, f"--target-cpu={args.target_cpu}",
                                    f"--kernel-config={config}", onnx_path,
                                    "-o", tuned_exe], check=True)
                if args.dynamic and dynamic_exe is None:
                    dynamic_exe = os.path.join(work, f"{arch}-dynamic.exe")
                    subprocess.run([args.cnnc, f"--target-cpu={args.target_cpu}",
                                    "--batch=dynamic", onnx_path, "-o", dynamic_exe],
                                   check=True)
                for threads in args.threads:
                    bench_out = subprocess.run(
                        [exe, "--input", os.path.join(d, "input.npy"), "--threads",
                         str(threads), "--bench", str(args.runs)],
                        check=True, capture_output=True, text=True).stdout
                    cnnc_ms = parse_ms(bench_out)
                    target, bits = parse_variant(bench_out)
                    peak = peaks.get(bits, peaks[256])
                    ort_ms = parse_ms(subprocess.run(
                        ["node", os.path.join(HERE, "ort_bench.js"), onnx_path,
                         os.path.join(d, "input.npy"), str(threads), str(args.runs)],
                        check=True, capture_output=True, text=True).stdout)
                    torch_ms = time_torch(arch, batch, threads, args.runs, x)
                    row = dict(model=arch, batch=batch, threads=threads, gflop=gflop,
                               cnnc=cnnc_ms, ort=ort_ms, torch=torch_ms,
                               compile_s=compile_s, peak=peak * threads,
                               target=target, vector_bits=bits,
                               huge_page_mib=parse_huge_pages(bench_out),
                               peak256=peaks[256] * threads,
                               peak512=peaks.get(512, 0.0) * threads)
                    if tuned_exe:
                        row["tuned"] = parse_ms(subprocess.run(
                            [tuned_exe, "--input", os.path.join(d, "input.npy"),
                             "--threads", str(threads), "--bench", str(args.runs)],
                            check=True, capture_output=True, text=True).stdout)
                        row["tune_s"] = tune_s
                    if dynamic_exe:
                        row["dynamic"] = parse_ms(subprocess.run(
                            [dynamic_exe, "--input", os.path.join(d, "input.npy"),
                             "--threads", str(threads), "--bench", str(args.runs)],
                            check=True, capture_output=True, text=True).stdout)
                    rows.append(row)
                    print(format_row(row), flush=True)
                os.remove(onnx_path)
    table = render(rows, peaks)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"peak": peak, "peaks": peaks, "cpu": cpu_name(), "rows": rows},
                  f, indent=1)
    if args.plot:
        write_plot(args.plot, rows, peak)


def write_plot(path, rows, peak):
    """Grouped bars, one group per (model, batch, threads): the speed of
    cnnc and PyTorch relative to ONNX Runtime (ORT ms / ms; ORT itself is the
    line at 1), each bar labelled with its ratio and cnnc's % of peak."""
    bar, gap, left, top, height = 22, 26, 60, 50, 260
    series = [("cnnc", "#3c78d8"), ("ort", "#999999"), ("torch", "#e69138")]
    names = {"cnnc": "cnnc", "ort": "ONNX Runtime", "torch": "PyTorch"}
    ratios = [[r["ort"] / r[key] for key, _ in series] for r in rows]
    top_ratio = max(2.0, max(max(group) for group in ratios) * 1.1)
    width = max(640, left + len(rows) * (3 * bar + gap) + 20)
    scale = height / top_ratio
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{top + height + 90}" font-family="Helvetica" font-size="11">',
           f'<text x="{left}" y="20" font-size="14">Speed relative to ONNX Runtime '
           f'(higher is faster); FMA peak {peak:.0f} GFLOP/s per core</text>']
    for i, (key, color) in enumerate(series):
        x = left + i * 130
        out.append(f'<rect x="{x}" y="30" width="12" height="12" fill="{color}"/>'
                   f'<text x="{x + 16}" y="40">{names[key]}</text>')
    for tick in range(int(top_ratio * 2) + 1):
        value = tick / 2
        y = top + height - value * scale
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{"#333" if value == 1 else "#ddd"}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:.1f}x</text>')
    for g, (r, group) in enumerate(zip(rows, ratios)):
        x0 = left + g * (3 * bar + gap) + gap / 2
        for i, ((key, color), ratio) in enumerate(zip(series, group)):
            x, h = x0 + i * bar, ratio * scale
            out.append(f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar - 2}" '
                       f'height="{h:.1f}" fill="{color}"/>')
            if key != "ort":
                out.append(f'<text x="{x + bar / 2 - 1:.1f}" y="{top + height - h - 3:.1f}" '
                           f'text-anchor="middle" font-size="9">{ratio:.2f}</text>')
        gflops = r["gflop"] / (r["cnnc"] * 1e-3)
        cx = x0 + 1.5 * bar
        out.append(f'<text x="{cx:.1f}" y="{top + height + 16}" text-anchor="middle">'
                   f'{r["model"]}</text>'
                   f'<text x="{cx:.1f}" y="{top + height + 30}" text-anchor="middle">'
                   f'b{r["batch"]} {r["threads"]}T</text>'
                   f'<text x="{cx:.1f}" y="{top + height + 44}" text-anchor="middle" '
                   f'fill="#3c78d8">{100 * gflops / r["peak"]:.0f}% pk</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
        name = re.search(r"model name\s*:\s*(.*)", info).group(1)
        family = re.search(r"cpu family\s*:\s*(\d+)", info).group(1)
        return f"{name} (family {family})"
    except (OSError, AttributeError):
        return "unknown CPU"


def format_row(r):
    gflops = r["gflop"] / (r["cnnc"] * 1e-3)
    return (f"| {r['model']} | {r['batch']} | {r['threads']} | "
            f"{r.get('target', '?')} ({r.get('vector_bits', 512)}-bit) | {r['gflop']:.2f} | "
            f"{r['cnnc']:.1f} | {gflops:.1f} | {100 * gflops / r['peak']:.1f}% | "
            f"{r['ort']:.1f} | {100 * r['gflop'] / (r['ort'] * 1e-3) / (r.get('peak512') or r['peak']):.1f}% | "
            f"{r['torch']:.1f} | {r['ort'] / r['cnnc']:.3f} | {r['compile_s']:.1f} |"
            + (f" {r['dynamic']:.1f} | {r['dynamic'] / r['cnnc']:.3f} |"
               if "dynamic" in r else "")
            + (f" {r['tuned']:.1f} | {r['cnnc'] / r['tuned']:.3f} | {r['tune_s']:.0f} |"
               if "tuned" in r else ""))


def render(rows, peak):
    header = (f"CPU: {cpu_name()}. Measured FMA peak per core (bench/fma_peak.c): "
              + ", ".join(f"{bits}-bit {p:.1f} GFLOP/s" for bits, p in
                          (peak.items() if isinstance(peak, dict) else [(512, peak)]))
              + ". % peak: of the peak of the vector width cnnc's code uses, "
              "times threads.\n\n"
              "| model | batch | threads | cnnc code | GFLOP | cnnc ms | cnnc GFLOP/s | "
              "cnnc % peak | ORT ms | ORT % peak | PyTorch ms | ORT/cnnc | cnnc compile s |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    if any("dynamic" in r for r in rows):
        header = (header.replace(" cnnc compile s |\n", " cnnc compile s | "
                                 "dynamic-batch ms | dynamic/fixed |\n")
                  .replace("|---|\n", "|---|---|---|\n"))
    if any("tuned" in r for r in rows):
        header = (header.replace(" |\n|---", " | tuned ms | default/tuned | "
                                 "tune s |\n|---")
                  .replace("|---|\n", "|---|---|---|---|\n"))
    return header + "\n".join(format_row(r) for r in rows) + "\n"


if __name__ == "__main__":
    main()
