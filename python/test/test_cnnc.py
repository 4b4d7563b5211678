#!/usr/bin/env python3
"""Tests of the cnnc Python package against PyTorch.

    python3 python/test/test_cnnc.py --cnnc build/bin/cnnc

imports `cnnc` from wherever PYTHONPATH (or the installation) puts it,
compiles a small network straight from a torch.nn.Module, and checks:
outputs against PyTorch at several batch counts, run() in ONNX Runtime's
style, compile errors, input shape errors, the profile, the summary, the
layer table, and a module with two inputs and two outputs. Exits 0 if every check passes, 1 if one fails, 77 (CTest's
skip) if torch is missing.
"""

import argparse
import os
import shutil
import sys
import tempfile
import traceback

try:
    import numpy as np
    import torch
except ImportError as error:
    print("skipped: %s" % error)
    sys.exit(77)

import cnnc


class SmallNet(torch.nn.Module):
    """conv-bn-relu-pool twice, then a linear layer: 3x32x32 -> 10."""

    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(3, 16, 3, padding=1, bias=False),
            torch.nn.BatchNorm2d(16),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1),
            torch.nn.BatchNorm2d(32),
            torch.nn.ReLU(),
            torch.nn.AdaptiveAvgPool2d(1),
        )
        self.fc = torch.nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


class TwoHeads(torch.nn.Module):
    """Two inputs, two outputs: image 3x16x12 and mask 1x16x12 ->
    logits 10 (after a strided conv) and aux 4 (an auxiliary head on the
    stem's global pool)."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Sequential(
            torch.nn.Conv2d(3, 8, 3, padding=1),
            torch.nn.BatchNorm2d(8),
            torch.nn.ReLU(),
        )
        self.mask = torch.nn.Conv2d(1, 8, 3, padding=1)
        self.body = torch.nn.Sequential(
            torch.nn.Conv2d(8, 16, 3, stride=2, padding=1),
            torch.nn.ReLU(),
        )
        self.aux = torch.nn.Linear(8, 4)
        self.head = torch.nn.Linear(16, 10)

    def forward(self, image, mask):
        x = self.stem(image) + self.mask(mask)
        pool = torch.nn.functional.adaptive_avg_pool2d
        aux = self.aux(torch.flatten(pool(x, 1), 1))
        logits = self.head(torch.flatten(pool(self.body(x), 1), 1))
        return logits, aux


def make_net():
    torch.manual_seed(0)
    net = SmallNet()
    # Non-trivial batch-norm statistics, so that folding them is tested.
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
    return net.eval()


def check_close(got, ref, what):
    assert got.shape == ref.shape, "%s: shape %s, PyTorch %s" % (
        what, got.shape, ref.shape)
    assert got.dtype == np.float32, "%s: dtype %s" % (what, got.dtype)
    err = float(np.max(np.abs(got - ref)))
    scale = float(np.max(np.abs(ref)))
    assert err <= 1e-3 * scale, "%s: max abs error %g > 1e-3 * %g" % (
        what, err, scale)
    assert (got.argmax(1) == ref.argmax(1)).all(), "%s: argmax differs" % what
    print("  %s: max abs error %.3g (max |ref| %.3g)" % (what, err, scale))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cnnc", help="the cnnc executable (default: "
                        "$CNNC, PATH, or the source checkout's build)")
    parser.add_argument("--expect-package-dir", metavar="DIR",
                        help="fail unless cnnc is imported from DIR (the "
                        "installation under test)")
    args = parser.parse_args()
    package = os.path.dirname(os.path.realpath(cnnc.__file__))
    print("cnnc package: %s" % package)
    if args.expect_package_dir and package != os.path.realpath(
            args.expect_package_dir):
        print("FAILED: cnnc imported from %s, not %s" % (
            package, args.expect_package_dir))
        return 1

    net = make_net()
    example = torch.randn(1, 3, 32, 32)
    work = tempfile.mkdtemp(prefix="cnnc-pytest-")
    failures = []
    state = {}

    def test_torch_module():
        model = cnnc.compile(net, example, cnnc=args.cnnc, threads=2)
        state["model"] = model
        print("  %r" % model)
        assert model.dynamic_batch, "the exported batch is not dynamic"
        assert model.input_shape == (None, 3, 32, 32), model.input_shape
        assert model.output_shape == (None, 10), model.output_shape
        assert model.input_name == "input" and model.output_name == "output"
        assert model.batch_block >= 1, model.batch_block
        assert model.vector_bits in (256, 512), model.vector_bits
        assert model.target, model.target
        assert model.threads == 2, model.threads
        for n in (1, 3, 8):
            x = torch.randn(n, 3, 32, 32)
            with torch.no_grad():
                ref = net(x).numpy()
            check_close(model(x), ref, "batch %d (tensor)" % n)
            check_close(model(x.numpy()), ref, "batch %d (numpy)" % n)
        # Non-contiguous float64 input is converted.
        x = torch.randn(2, 32, 32, 3).permute(0, 3, 1, 2)
        with torch.no_grad():
            ref = net(x).numpy()
        check_close(model(x.numpy().astype(np.float64)), ref,
                    "batch 2 (non-contiguous float64)")
        model.set_threads(1)
        assert model.threads == 1, model.threads

    def test_run():
        model = state["model"]
        x = np.random.default_rng(1).standard_normal((3, 3, 32, 32),
                                                     dtype=np.float32)
        with torch.no_grad():
            ref = net(torch.from_numpy(x)).numpy()
        outputs = model.run(None, {"input": x})
        assert isinstance(outputs, list) and len(outputs) == 1, outputs
        check_close(outputs[0], ref, "run(None, {'input': x})")
        check_close(model.run(["output"], {"input": x})[0], ref,
                    "run(['output'], ...)")
        try:
            model.run(None, {"images": x})
        except (KeyError, ValueError) as error:
            assert "input" in str(error), error
            print("  unknown input name: %s" % error)
        else:
            raise AssertionError("an unknown input name was accepted")

    def test_compile_error():
        path = os.path.join(work, "not_a_model.mlir")
        with open(path, "w") as file:
            file.write("not a model\n")
        try:
            cnnc.compile(path, cnnc=args.cnnc)
        except cnnc.CompileError as error:
            assert "error" in str(error), str(error)
            assert error.returncode not in (None, 0), error.returncode
            assert error.stderr, "empty stderr"
            print("  %s" % error)
        else:
            raise AssertionError("compiling a text file did not fail")
        try:
            cnnc.compile(net, None, cnnc=args.cnnc)
        except ValueError as error:
            print("  no example input: %s" % error)
        else:
            raise AssertionError("a module without example_input compiled")

    def test_wrong_shape():
        model = state["model"]
        for shape in [(1, 3, 32, 31), (3, 32, 32), (2, 4, 32, 32)]:
            try:
                model(np.zeros(shape, np.float32))
            except ValueError as error:
                print("  %s: %s" % (shape, error))
            else:
                raise AssertionError("input shape %s was accepted" % (shape,))

    def test_fixed_batch():
        # The same network compiled for a fixed batch of 2 from its ONNX file.
        onnx_path = os.path.join(work, "net.onnx")
        torch.onnx.export(net, example, onnx_path, input_names=["images"],
                          output_names=["logits"], opset_version=13)
        model = cnnc.compile(onnx_path, cnnc=args.cnnc,
                             input_shape=(2, 3, 32, 32), name="smallnet",
                             workdir=os.path.join(work, "fixed"))
        print("  %r" % model)
        assert not model.dynamic_batch
        assert model.input_shape == (2, 3, 32, 32), model.input_shape
        assert model.input_name == "images" and model.output_name == "logits"
        assert os.path.basename(model.path) == "libsmallnet.so", model.path
        x = torch.randn(2, 3, 32, 32)
        with torch.no_grad():
            ref = net(x).numpy()
        check_close(model.run(None, {"images": x})[0], ref, "fixed batch 2")
        try:
            model(torch.randn(3, 3, 32, 32))
        except ValueError as error:
            print("  batch 3: %s" % error)
        else:
            raise AssertionError("batch 3 ran on a batch-2 model")
        # The library loads on its own too.
        again = cnnc.load(model.path)
        assert again.name == "smallnet", again.name
        check_close(again(x), ref, "cnnc.load")
        # Recompiled into the same directory: the new library, not the one
        # this process loaded from there before.
        third = cnnc.compile(onnx_path, cnnc=args.cnnc,
                             input_shape=(3, 3, 32, 32), name="smallnet",
                             workdir=os.path.join(work, "fixed"))
        assert third.input_shape == (3, 3, 32, 32), third.input_shape
        assert third.path != model.path, third.path

    def test_profile():
        model = state["model"]
        layers = model.layers()
        profile = model.profile(runs=3)
        assert len(profile) == len(layers) >= 3, (len(profile), len(layers))
        for row in profile:
            assert row["ms"] >= 0 and row["gflops"] >= 0, row
            for key in ("name", "op", "shape", "flops", "algorithm"):
                assert key in row, row
        assert any(row["flops"] > 0 for row in profile), profile
        # The last layer computes the output: its shape, of one batch block.
        assert layers[-1]["shape"][1:] == model.output_shape[1:], (
            layers[-1], model.output_shape)
        assert all(isinstance(d, int) for row in layers for d in row["shape"])
        for row in profile:
            print("  %-24.24s %-28.28s %-12s %8.4f ms %7.2f GFLOP/s" % (
                row["name"], row["op"], row["algorithm"], row["ms"],
                row["gflops"]))

    def test_summary():
        summary = state["model"].summary()
        assert summary["layers"], summary
        assert summary["totals"]["parameters"] > 0, summary["totals"]
        print("  %d layers, %d parameters, %d MACs" % (
            len(summary["layers"]), summary["totals"]["parameters"],
            summary["totals"]["macs"]))

    def test_two_inputs_two_outputs():
        torch.manual_seed(1)
        two = TwoHeads().eval()
        with torch.no_grad():
            bn = two.stem[1]
            bn.running_mean.uniform_(-0.2, 0.2)
            bn.running_var.uniform_(0.5, 1.5)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.2, 0.2)
        model = cnnc.compile(two, (torch.randn(1, 3, 16, 12),
                                   torch.randn(1, 1, 16, 12)),
                             cnnc=args.cnnc, threads=2)
        print("  %r" % model)
        assert model.input_names == ["image", "mask"], model.input_names
        assert model.output_names == ["output", "output1"], model.output_names
        assert model.input_shapes == [(None, 3, 16, 12), (None, 1, 16, 12)], (
            model.input_shapes)
        assert model.output_shapes == [(None, 10), (None, 4)], (
            model.output_shapes)
        assert model.input_name == "image" and model.input_shape == (
            None, 3, 16, 12), (model.input_name, model.input_shape)
        assert model.output_name == "output" and model.output_shape == (
            None, 10), (model.output_name, model.output_shape)
        assert model.dynamic_batch
        for n in (1, 3):
            image, mask = torch.randn(n, 3, 16, 12), torch.randn(n, 1, 16, 12)
            with torch.no_grad():
                ref = [t.numpy() for t in two(image, mask)]
            got = model(image, mask)
            assert isinstance(got, tuple) and len(got) == 2, type(got)
            check_close(got[0], ref[0], "batch %d model(a, b) logits" % n)
            check_close(got[1], ref[1], "batch %d model(a, b) aux" % n)
            got = model(mask=mask.numpy(), image=image.numpy())
            check_close(got[0], ref[0], "batch %d model(image=, mask=) logits"
                        % n)
            check_close(got[1], ref[1], "batch %d model(image=, mask=) aux"
                        % n)
            feed = {"image": image.numpy(), "mask": mask.numpy()}
            got = model.run(None, feed)
            assert isinstance(got, list) and len(got) == 2, got
            check_close(got[0], ref[0], "batch %d run(None, ...) output" % n)
            check_close(got[1], ref[1], "batch %d run(None, ...) output1" % n)
            got = model.run(["output1"], feed)
            assert len(got) == 1, got
            check_close(got[0], ref[1], "batch %d run(['output1'], ...)" % n)
        image, mask = torch.randn(3, 3, 16, 12), torch.randn(2, 1, 16, 12)
        errors = [
            ("mismatched batches", lambda: model(image, mask)),
            ("mismatched batches (run)",
             lambda: model.run(None, {"image": image, "mask": mask})),
            ("missing input", lambda: model(image)),
            ("missing input (keyword)", lambda: model(image=image)),
            ("missing input (run)", lambda: model.run(None, {"image": image})),
            ("unknown input", lambda: model(image, masks=mask[:1])),
            ("unknown output",
             lambda: model.run(["logits"], {"image": image, "mask": mask})),
        ]
        for what, call in errors:
            try:
                call()
            except ValueError as error:
                print("  %s: %s" % (what, error))
                message = str(error)
                if "batch" in what:
                    assert "batch" in message, message
                elif "output" in what:
                    assert "'output'" in message, message
                else:
                    assert "'image'" in message and "'mask'" in message, message
            else:
                raise AssertionError("%s: no ValueError" % what)
        profile = model.profile(runs=2)
        assert profile and all(row["ms"] >= 0 for row in profile), profile
        assert (sum(r["flops"] for r in model.profile([image, mask[:1].expand(
            3, 1, 16, 12)], runs=1)) == 3 * sum(r["flops"] for r in profile))

    tests = [test_torch_module, test_run, test_compile_error,
             test_wrong_shape, test_fixed_batch, test_profile, test_summary,
             test_two_inputs_two_outputs]
    for test in tests:
        print("%s:" % test.__name__)
        if "model" not in state and test in (
                test_run, test_wrong_shape, test_profile, test_summary):
            print("  skipped: no model")
            failures.append(test.__name__)
            continue
        try:
            test()
        except Exception:
            traceback.print_exc()
            failures.append(test.__name__)
    state.clear()
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("FAILED: %s" % ", ".join(failures))
        return 1
    print("all %d tests passed" % len(tests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
