"""Compile convolutional networks with cnnc and run them from Python.

cnnc compiles a model (an ONNX file, cnn-dialect MLIR, or a PyTorch module
exported to ONNX on the way) to a shared library; this package runs that
library through ctypes, on NumPy arrays (or PyTorch tensors), in the calling
process::

    import cnnc, torch
    model = cnnc.compile(net, torch.randn(1, 3, 32, 32))   # or "net.onnx"
    y = model(x)                                # numpy float32, batch any
    y, = model.run(None, {"input": x})          # ONNX Runtime's style
    for row in model.profile(runs=20):          # per layer: ms, GFLOP/s
        print(row["name"], row["algorithm"], row["ms"])

A model with several inputs or outputs takes them in order or by name and
returns a tuple (model.input_names, model.output_names give the order)::

    logits, aux = model(image, mask)            # or model(image=..., mask=...)
    aux, = model.run(["aux"], {"image": image, "mask": mask})

The library's C interface is `runtime/include/cnnrt/cnn_model_abi.h`
(`cnn_model_run_io`, `cnn_model_input_name`, ...), with the symbols
prefixed by the `--name` the model was compiled with; the runtime linked
into it exports `cnnrt_set_num_threads` and the per-layer profile. Each
library carries its own runtime, so thread counts and profiles are per
model.

The cnnc executable is the `cnnc=` argument of `compile`, else the `CNNC`
environment variable, else `cnnc` on PATH, else (when this package is
imported from a source checkout) the checkout's `build/bin/cnnc`.
"""

import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import weakref

import numpy as np

__all__ = [
    "compile",
    "load",
    "Model",
    "CompileError",
    "ModelError",
    "find_cnnc",
]

__version__ = "0.5.0"

# The buffers' recommended alignment (cnn_model_abi.h).
_ALIGNMENT = 64
# Size of the error buffer handed to NAME_check_cpu (CNNRT_ERROR_MAX).
_ERROR_MAX = 512

# Libraries this process has loaded: path -> (st_dev, st_ino) of the file.
# dlopen returns the library already loaded under a path even if the file
# there has been replaced since, so a path is loaded once.
_loaded = {}


class _LayerInfo(ctypes.Structure):
    """cnn_layer_info of runtime/include/cnnrt/cnn_model_abi.h."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("op", ctypes.c_char_p),
        ("algorithm", ctypes.c_char_p),
        ("rank", ctypes.c_int64),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("flops", ctypes.c_int64),
    ]


class CompileError(Exception):
    """cnnc failed, or could not be found.

    ``str(error)`` is cnnc's diagnostic (its "error:" lines);
    ``returncode`` is cnnc's exit status (None if it did not run) and
    ``stderr`` its whole standard error.
    """

    def __init__(self, message, returncode=None, stderr=""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


class ModelError(RuntimeError):
    """A compiled model failed to load or to run; the message is the
    library's (NAME_error_message, or NAME_check_cpu's line)."""


# ---------------------------------------------------------------------------
# Finding and running cnnc
# ---------------------------------------------------------------------------


def _checkout_cnnc():
    """build/bin/cnnc of the source checkout this package is imported from
    (python/cnnc/ inside it), or None."""
    package = os.path.dirname(os.path.abspath(__file__))
    python_dir = os.path.dirname(package)
    root = os.path.dirname(python_dir)
    if os.path.basename(python_dir) != "python" or not os.path.isfile(
        os.path.join(root, "runtime", "include", "cnnrt", "cnn_model_abi.h")
    ):
        return None
    candidate = os.path.join(root, "build", "bin", "cnnc")
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return None


def find_cnnc(cnnc=None):
    """The path of the cnnc executable: `cnnc` if given, else $CNNC, else
    `cnnc` on PATH, else the build tree of the source checkout this package
    comes from. Raises CompileError if there is none."""
    if cnnc:
        path = shutil.which(os.fspath(cnnc))
        if not path:
            raise CompileError("cnnc executable not found: %s" % os.fspath(cnnc))
        return path
    env = os.environ.get("CNNC")
    if env:
        path = shutil.which(env)
        if not path:
            raise CompileError(
                "CNNC=%s: not an executable (set CNNC to the path of cnnc)" % env
            )
        return path
    path = shutil.which("cnnc") or _checkout_cnnc()
    if path:
        return path
    raise CompileError(
        "cannot find the cnnc executable: pass cnnc=PATH, set the CNNC "
        "environment variable to its path, or put its directory (e.g. "
        "build/bin) on PATH"
    )


def _run_cnnc(args):
    """Runs cnnc with `args`; returns its stdout, or raises CompileError
    with its "error:" lines."""
    try:
        result = subprocess.run(args, capture_output=True, text=True)
    except OSError as error:
        raise CompileError("cannot run %s: %s" % (args[0], error)) from None
    if result.returncode != 0:
        stderr = result.stderr.strip()
        lines = [line for line in stderr.splitlines() if "error:" in line]
        message = "\n".join(lines) or stderr
        if not message:
            message = "error: cnnc exited with status %d" % result.returncode
        raise CompileError(message, result.returncode, result.stderr)
    return result.stdout


def _shape_arg(shape):
    if isinstance(shape, str):
        return shape
    return "x".join(str(int(d)) for d in shape)


def _option_args(
    target_cpu, winograd, batch, batch_block, input_shape, kernel_config
):
    """cnnc flags shared by --emit=lib and --emit=summary-json."""
    args = []
    if target_cpu is not None:
        if not isinstance(target_cpu, str):
            target_cpu = ",".join(target_cpu)
        args.append("--target-cpu=%s" % target_cpu)
    if winograd is not None:
        if winograd is True:
            winograd = "on"
        elif winograd is False:
            winograd = "off"
        args.append("--winograd=%s" % winograd)
    if batch is None and batch_block is not None:
        batch = "dynamic"  # cnnc takes --batch-block with --batch=dynamic only
    if batch is not None:
        if batch != "dynamic" and (
            isinstance(batch, (bool, str, float)) or not hasattr(batch, "__index__")
        ):
            raise ValueError("batch must be an integer or 'dynamic', not %r" % (batch,))
        args.append("--batch=%s" % batch)
    if batch_block is not None:
        args.append("--batch-block=%d" % int(batch_block))
    if input_shape is not None:
        args.append("--input-shape=%s" % _shape_arg(input_shape))
    if kernel_config is not None:
        args.append("--kernel-config=%s" % os.fspath(kernel_config))
    return args


def _numbered(stem, count):
    """stem, stem1, stem2, ...: `count` names."""
    return [stem if i == 0 else "%s%d" % (stem, i) for i in range(count)]


def _flatten_outputs(value):
    """The tensors of a forward's result in the order torch.onnx.export
    makes them the graph's outputs (tuples, lists and dicts flattened)."""
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in _flatten_outputs(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _flatten_outputs(item)]
    return [value]


def _forward_input_names(module, count):
    """The names of the first `count` parameters of module.forward, or None
    if it does not take that many named positional parameters (or they do
    not make distinct names)."""
    import inspect

    try:
        parameters = list(inspect.signature(module.forward).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )
    names = []
    for parameter in parameters:
        if parameter.kind not in positional:
            break
        names.append(parameter.name)
    names = names[:count]
    if len(names) != count or len(set(names)) != count:
        return None
    return names


def _export_module(module, example_input, path):
    """Exports a torch.nn.Module to ONNX at `path`, every input and output
    with a dynamic batch. `example_input` is a tensor (or NumPy array), or a
    tuple or list of them for a module with several inputs. Inputs are
    named "input" for one, else after forward's parameters (or "input",
    "input1", ...); outputs "output", "output1", ..."""
    import inspect

    import torch

    if example_input is None:
        raise ValueError(
            "compiling a torch.nn.Module needs example_input, a tensor of the "
            "input's shape (e.g. torch.randn(1, 3, 224, 224)), or a tuple of "
            "tensors for a module with several inputs"
        )
    if isinstance(example_input, (tuple, list)):
        inputs = tuple(example_input)
    else:
        inputs = (example_input,)
    if not inputs:
        raise ValueError("example_input is an empty %s" % type(example_input).__name__)
    inputs = tuple(
        torch.from_numpy(np.ascontiguousarray(x, np.float32))
        if isinstance(x, np.ndarray)
        else x
        for x in inputs
    )
    module = module.eval()
    with torch.no_grad():
        outputs = _flatten_outputs(module(*inputs))
    if len(inputs) == 1:
        input_names = ["input"]
    else:
        input_names = _forward_input_names(module, len(inputs)) or _numbered(
            "input", len(inputs)
        )
    output_names = _numbered("output", len(outputs))
    kwargs = dict(
        input_names=input_names,
        output_names=output_names,
        dynamic_axes={name: {0: "batch"} for name in input_names + output_names},
        opset_version=13,
    )
    try:
        if "dynamo" in inspect.signature(torch.onnx.export).parameters:
            kwargs["dynamo"] = False
    except (TypeError, ValueError):
        pass
    with torch.no_grad():
        torch.onnx.export(module, inputs, path, **kwargs)


def _is_torch_module(model):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(model, torch.nn.Module)


def compile(
    model,
    example_input=None,
    *,
    threads=None,
    target_cpu=None,
    winograd=None,
    name=None,
    batch=None,
    batch_block=None,
    input_shape=None,
    kernel_config=None,
    extra_args=(),
    cnnc=None,
    workdir=None,
):
    """Compiles `model` with cnnc into a shared library and loads it.

    model: the path of an ONNX (.onnx), MLIR (.mlir) or MLIR bytecode
        (.mlirbc) model, or a torch.nn.Module, exported to ONNX (opset 13,
        dynamic batch) with `example_input`: a tensor, or a tuple of tensors
        for a module with several inputs. Its inputs are named "input" (one)
        or after forward's parameters (several; else "input", "input1",
        ...), its outputs "output", "output1", ...
    threads: threads of the model's runs (default: OMP_NUM_THREADS, else
        every CPU the process may use); see Model.set_threads.
    target_cpu: --target-cpu, a CPU name or several ("x86-64-v3,znver4" or a
        list) for one library with a code variant each (default: the host).
    winograd: --winograd: "auto", "on", "f2" or "off" (True/False: on/off).
    name: --name, the prefix of the library's C symbols (default cnn_model).
    batch: --batch, an integer or "dynamic".
    batch_block: --batch-block, images per block of a dynamic batch's code
        (implies batch="dynamic" if batch is not given).
    input_shape: --input-shape of an ONNX model, a tuple or "1x3x224x224".
    kernel_config: --kernel-config, a JSON file of per-layer kernel choices.
    extra_args: further cnnc arguments.
    cnnc: the cnnc executable (see find_cnnc).
    workdir: directory for libNAME.so, its header and a module's exported
        NAME.onnx, kept (libNAME-2.so, ... if this process loaded libNAME.so
        from there before); default a temporary directory, removed when the
        Model is collected.

    Returns a Model. Raises CompileError if cnnc fails, with its "error:"
    lines as the message.
    """
    executable = find_cnnc(cnnc)
    if workdir is None:
        directory = tempfile.mkdtemp(prefix="cnnc-")
        temporary = True
    else:
        directory = os.path.abspath(os.fspath(workdir))
        os.makedirs(directory, exist_ok=True)
        temporary = False
    try:
        symbol = name or "cnn_model"
        stem = symbol
        serial = 1
        while os.path.join(directory, "lib%s.so" % stem) in _loaded:
            serial += 1  # recompiled into the same workdir
            stem = "%s-%d" % (symbol, serial)
        library = os.path.join(directory, "lib%s.so" % stem)
        if _is_torch_module(model):
            source = os.path.join(directory, "%s.onnx" % stem)
            _export_module(model, example_input, source)
        elif isinstance(model, (str, bytes, os.PathLike)):
            if example_input is not None:
                raise ValueError(
                    "example_input is for a torch.nn.Module; for a model file "
                    "give input_shape= (or batch=) instead"
                )
            source = os.path.abspath(os.fsdecode(model))
            if not os.path.isfile(source):
                raise CompileError("error: %s: no such file" % source)
        else:
            raise TypeError(
                "model must be a path (.onnx, .mlir, .mlirbc) or a "
                "torch.nn.Module, not %s" % type(model).__name__
            )
        options = _option_args(
            target_cpu, winograd, batch, batch_block, input_shape, kernel_config
        )
        args = [executable, source, "--emit=lib", "-o", library] + options
        if name is not None:
            args.append("--name=%s" % name)
        args += [os.fspath(a) for a in extra_args]
        _run_cnnc(args)
        result = Model(library, name=symbol, threads=threads)
    except BaseException:
        if temporary:
            shutil.rmtree(directory, ignore_errors=True)
        raise
    result._source = source
    result._cnnc = executable
    result._summary_args = _option_args(
        None, None, batch, batch_block, input_shape, None
    )
    if temporary:
        result._cleanup = weakref.finalize(
            result, shutil.rmtree, directory, ignore_errors=True
        )
    return result


def load(path, name=None, threads=None):
    """Loads a library compiled with `cnnc --emit=lib` (see Model)."""
    return Model(path, name=name, threads=threads)


# ---------------------------------------------------------------------------
# The compiled model
# ---------------------------------------------------------------------------


def _aligned_empty(shape):
    """An uninitialized C-order float32 array whose data is 64-byte aligned."""
    count = int(np.prod(shape, dtype=np.int64))
    raw = np.empty(count * 4 + _ALIGNMENT, dtype=np.uint8)
    offset = (-raw.ctypes.data) % _ALIGNMENT
    return raw[offset : offset + count * 4].view(np.float32).reshape(shape)


def _as_input_array(x):
    """x (NumPy array, PyTorch tensor, nested sequence) as a C-contiguous,
    64-byte aligned float32 array, copied only if needed."""
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch.Tensor
        x = x.detach().cpu().numpy()
    x = np.asarray(x, dtype=np.float32)
    if not x.flags.c_contiguous or x.ctypes.data % _ALIGNMENT:
        aligned = _aligned_empty(x.shape)
        aligned[...] = x
        x = aligned
    return x


def _format_shape(shape):
    """(1, 3, 32, 32) as Python prints it, with N for a dynamic batch."""
    dims = ["N" if d is None else str(d) for d in shape]
    return "(%s)" % (dims[0] + "," if len(dims) == 1 else ", ".join(dims))


def _name_list(names):
    """['a', 'b'] as "'a', 'b'"."""
    return ", ".join(map(repr, names))


class Model:
    """A model library compiled by `cnnc --emit=lib`, loaded with ctypes.

    Attributes:
      path: the library.
      name: the prefix of its C symbols (cnn_model, or cnnc's --name).
      input_names, output_names: lists of the inputs' and outputs' names, in
          the order the model takes and returns them (the ONNX graph's; a
          torch.nn.Module's are "input"... and "output"..., see compile).
      input_shapes, output_shapes: lists of tuples; the batch dimension is
          None when the batch is dynamic.
      input_name, output_name, input_shape, output_shape: the first input's
          and output's.
      dynamic_batch: whether any batch count runs.
      batch_block: images per block of compiled code (the fixed batch, or
          the block of a dynamic batch).
      target: the --target-cpu of the code variant running on this CPU.
      vector_bits: width of that variant's vector kernels (256 or 512).
    """

    def __init__(self, path, name=None, threads=None):
        """Loads the library at `path`. `name` is its symbol prefix; by
        default cnn_model, or NAME for a file libNAME.so that has no
        cnn_model_ symbols. Raises ModelError if the library does not load
        or this CPU cannot run it (the message names the missing features
        and the --target-cpu to recompile with)."""
        self.path = os.path.abspath(os.fspath(path))
        try:
            stat = os.stat(self.path)
            self._lib = ctypes.CDLL(self.path, mode=os.RTLD_NOW | os.RTLD_LOCAL)
        except OSError as error:
            raise ModelError("cannot load %s: %s" % (self.path, error)) from None
        file_id = (stat.st_dev, stat.st_ino)
        if _loaded.setdefault(self.path, file_id) != file_id:
            raise ModelError(
                "%s was replaced after this process loaded it, and a process "
                "cannot load a library path twice: load it from another "
                "path" % self.path
            )
        self.name = name or self._guess_name()
        self._source = None
        self._cnnc = None
        self._summary_args = []
        self._summary = None
        self._cleanup = None
        self._bind()

        error = ctypes.create_string_buffer(_ERROR_MAX)
        if self._fn("check_cpu")(error, _ERROR_MAX) != 0:
            raise ModelError(error.value.decode(errors="replace"))
        self.input_names, self.input_shapes = self._tensors("input")
        self.output_names, self.output_shapes = self._tensors("output")
        if not self.input_names or not self.output_names:
            raise ModelError(
                "%s reports %d inputs and %d outputs"
                % (self.path, len(self.input_names), len(self.output_names))
            )
        self.dynamic_batch = any(
            len(shape) > 0 and shape[0] is None for shape in self.input_shapes
        )
        self.batch_block = int(self._fn("batch_block")())
        target = self._fn("target")()
        self.target = target.decode() if target else None
        self.vector_bits = int(self._fn("vector_bits")())
        if threads is not None:
            self.set_threads(threads)

    def _guess_name(self):
        if hasattr(self._lib, "cnn_model_run_io"):
            return "cnn_model"
        base = os.path.basename(self.path)
        match = re.fullmatch(r"lib(\w+)\.so(\.[\d.]+)?", base)
        if match and hasattr(self._lib, match.group(1) + "_run_io"):
            return match.group(1)
        raise ModelError(
            "%s: no cnn_model_run_io symbol; pass name= (the --name the "
            "model was compiled with)" % self.path
        )

    def _fn(self, suffix):
        return getattr(self._lib, "%s_%s" % (self.name, suffix))

    def _bind(self):
        """Declares the C signatures of the model's and runtime's functions."""
        i64, c_int, c_char_p = ctypes.c_int64, ctypes.c_int, ctypes.c_char_p
        pointers = ctypes.POINTER(ctypes.c_void_p)
        signatures = {
            "run_io": (
                c_int,
                [i64, pointers, pointers, ctypes.c_void_p, ctypes.c_size_t],
            ),
            "workspace_size": (ctypes.c_size_t, []),
            "release_workspace": (None, []),
            "error_message": (c_char_p, []),
            "num_inputs": (i64, []),
            "input_name": (c_char_p, [i64]),
            "input_rank_at": (i64, [i64]),
            "input_shape_at": (ctypes.POINTER(i64), [i64]),
            "num_outputs": (i64, []),
            "output_name": (c_char_p, [i64]),
            "output_rank_at": (i64, [i64]),
            "output_shape_at": (ctypes.POINTER(i64), [i64]),
            "batch_block": (i64, []),
            "check_cpu": (c_int, [ctypes.c_char_p, ctypes.c_size_t]),
            "target": (c_char_p, []),
            "vector_bits": (i64, []),
            "num_layers": (i64, []),
            "layer": (ctypes.POINTER(_LayerInfo), [i64]),
        }
        for suffix, (restype, argtypes) in signatures.items():
            try:
                function = self._fn(suffix)
            except AttributeError:
                raise ModelError(
                    "%s: missing symbol %s_%s (compiled by an older cnnc, or "
                    "with another --name?)" % (self.path, self.name, suffix)
                ) from None
            function.restype = restype
            function.argtypes = argtypes
        runtime = {
            "cnnrt_set_num_threads": (None, [c_int]),
            "cnnrt_get_num_threads": (c_int, []),
            "cnnrt_profile_start": (c_int, [ctypes.c_int32]),
            "cnnrt_profile_stop": (None, []),
            "cnnrt_profile_layer_ms": (ctypes.c_double, [ctypes.c_int32]),
            "cnnrt_measure_fma_peak_gflops": (ctypes.c_double, [c_int]),
        }
        for symbol, (restype, argtypes) in runtime.items():
            function = getattr(self._lib, symbol)
            function.restype = restype
            function.argtypes = argtypes

    def _tensors(self, which):
        """The names and shapes of the model's inputs or outputs (`which`)."""
        names, shapes = [], []
        for index in range(int(self._fn("num_%ss" % which)())):
            name = self._fn(which + "_name")(index)
            rank = int(self._fn(which + "_rank_at")(index))
            dims = self._fn(which + "_shape_at")(index)
            if name is None or (rank > 0 and not dims):
                raise ModelError(
                    "%s: %s %d has no name or shape" % (self.path, which, index)
                )
            names.append(name.decode(errors="replace"))
            shapes.append(
                tuple(None if dims[i] < 0 else int(dims[i]) for i in range(rank))
            )
        return names, shapes

    @property
    def input_name(self):
        """The first input's name."""
        return self.input_names[0]

    @property
    def output_name(self):
        """The first output's name."""
        return self.output_names[0]

    @property
    def input_shape(self):
        """The first input's shape (None for a dynamic batch)."""
        return self.input_shapes[0]

    @property
    def output_shape(self):
        """The first output's shape (None for a dynamic batch)."""
        return self.output_shapes[0]

    def __repr__(self):
        def side(names, shapes):
            if len(names) == 1:
                return _format_shape(shapes[0])
            return "(%s)" % ", ".join(
                "%s: %s" % (name, _format_shape(shape))
                for name, shape in zip(names, shapes)
            )

        return "<cnnc.Model %s: %s -> %s, %s>" % (
            os.path.basename(self.path),
            side(self.input_names, self.input_shapes),
            side(self.output_names, self.output_shapes),
            self.target,
        )

    # -- running ------------------------------------------------------------

    def _inputs(self, args, named):
        """Positional arrays `args` (in input order) and `named` ones (by
        input name) as one C-contiguous aligned float32 array per input, in
        input order, each checked against its input's shape; and the batch
        count. Raises ValueError for a missing, unknown or repeated input, a
        wrong shape or inputs of different batches."""
        names = self.input_names
        if len(args) > len(names):
            raise ValueError(
                "%d inputs given; the model takes %d: %s"
                % (len(args), len(names), _name_list(names))
            )
        given = dict(zip(names, args))
        for key, value in named.items():
            if key not in names:
                raise ValueError(
                    "unknown input %r; the model's inputs are %s"
                    % (key, _name_list(names))
                )
            if key in given:
                raise ValueError("input %r given twice" % key)
            given[key] = value
        missing = [name for name in names if name not in given]
        if missing:
            raise ValueError(
                "missing input%s %s; the model's inputs are %s"
                % (
                    "s" if len(missing) > 1 else "",
                    ", ".join(map(repr, missing)),
                    _name_list(names),
                )
            )
        arrays = [_as_input_array(given[name]) for name in names]
        for index, x in enumerate(arrays):
            self._check_input(index, x)
        batches = [
            int(x.shape[0])
            for x, shape in zip(arrays, self.input_shapes)
            if len(shape) > 0
        ]
        if len(set(batches)) > 1:
            raise ValueError(
                "the inputs have different batches: %s; every input needs the "
                "same"
                % ", ".join(
                    "%s %d" % (name, int(x.shape[0]))
                    for name, x in zip(names, arrays)
                    if x.ndim > 0
                )
            )
        n = batches[0] if batches else max(self.batch_block, 1)
        return arrays, n

    def _check_input(self, index, x):
        expected = self.input_shapes[index]
        if x.ndim != len(expected) or any(
            want is not None and got != want for got, want in zip(x.shape, expected)
        ):
            raise ValueError(
                "%s of shape %s does not match the model's input shape %s%s"
                % (
                    "input"
                    if len(self.input_names) == 1
                    else "input %r" % self.input_names[index],
                    tuple(x.shape),
                    _format_shape(expected),
                    " (N: any batch)" if self.dynamic_batch else "",
                )
            )

    def _run(self, arrays, n):
        """Runs NAME_run_io on the checked `arrays` at batch `n`; returns
        every output."""
        outputs = [
            _aligned_empty(tuple(n if d is None else d for d in shape))
            for shape in self.output_shapes
        ]
        if n == 0:
            return outputs
        pointers = ctypes.c_void_p * len(arrays)
        inputs_p = pointers(*[x.ctypes.data for x in arrays])
        outputs_p = (ctypes.c_void_p * len(outputs))(*[y.ctypes.data for y in outputs])
        status = self._fn("run_io")(n, inputs_p, outputs_p, None, 0)
        if status != 0:
            message = self._fn("error_message")()
            raise ModelError(
                (message.decode(errors="replace") if message else "")
                or "%s_run_io failed with status %d" % (self.name, status)
            )
        return outputs

    def __call__(self, /, *inputs, **named):
        """Runs the model and returns its output as a NumPy float32 array,
        or a tuple of them (in output order) if it has several outputs.

        The inputs (NumPy arrays or PyTorch tensors, converted to
        C-contiguous float32) are given in input order, `model(x)` or
        `model(image, mask)`, or by name, `model(image=..., mask=...)`.
        Each one's shape must be its input's; with a dynamic batch, its
        first dimension is any batch count, the same for every input.
        Raises ValueError for a missing or unknown input or a wrong shape,
        and ModelError if the run fails."""
        arrays, n = self._inputs(inputs, named)
        outputs = self._run(arrays, n)
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def run(self, output_names, input_feed):
        """Runs the model in ONNX Runtime's style: `input_feed` maps every
        input's name to its array; returns a list of the outputs that
        `output_names` (a list of names) lists, or of every output if it is
        None. Raises ValueError (naming the model's inputs or outputs) for
        a missing or unknown name."""
        if not isinstance(input_feed, dict):
            raise TypeError(
                "input_feed must be a dict {name: array} of the inputs %s"
                % _name_list(self.input_names)
            )
        if output_names is None:
            indices = range(len(self.output_names))
        else:
            if isinstance(output_names, str):
                output_names = [output_names]
            unknown = [o for o in output_names if o not in self.output_names]
            if unknown:
                raise ValueError(
                    "unknown output name%s %s; the model's outputs are %s"
                    % (
                        "s" if len(unknown) > 1 else "",
                        ", ".join(map(repr, unknown)),
                        _name_list(self.output_names),
                    )
                )
            indices = [self.output_names.index(o) for o in output_names]
        arrays, n = self._inputs((), input_feed)
        outputs = self._run(arrays, n)
        return [outputs[i] for i in indices]

    @property
    def workspace_size(self):
        """Bytes of workspace (intermediate activations) a run needs."""
        return int(self._fn("workspace_size")())

    def release_workspace(self):
        """Frees the workspace the library keeps for the calling thread (it
        allocates one on a thread's first run and reuses it)."""
        self._fn("release_workspace")()

    # -- threads --------------------------------------------------------------

    def set_threads(self, n):
        """Sets the threads (the calling one included) of this model's runs.
        The library has its own runtime: other models are not affected."""
        n = int(n)
        if n < 1:
            raise ValueError("threads must be >= 1, not %d" % n)
        self._lib.cnnrt_set_num_threads(n)

    @property
    def threads(self):
        """The number of threads the model's next run uses."""
        return int(self._lib.cnnrt_get_num_threads())

    # -- layers, profile, summary ---------------------------------------------

    def layers(self):
        """The model's layers after fusion, in execution order: dicts with
        name, op, shape (a tuple: the output's, of the batch-block code; None
        for a dimension unknown at compile time), flops (of that block) and
        algorithm, as the library's cnn_layer_info records give them."""
        count = int(self._fn("num_layers")())
        if count <= 0:
            raise ModelError("%s has no layer table for this CPU" % self.path)
        rows = []
        for index in range(count):
            layer = self._fn("layer")(index).contents
            rows.append(
                {
                    "name": layer.name.decode(errors="replace"),
                    "op": layer.op.decode(errors="replace"),
                    "shape": tuple(
                        None if layer.shape[d] < 0 else int(layer.shape[d])
                        for d in range(layer.rank)
                    ),
                    "flops": int(layer.flops),
                    "algorithm": layer.algorithm.decode(errors="replace"),
                }
            )
        return rows

    def fma_peak_gflops(self):
        """The single-core FMA peak of this CPU in GFLOP/s for the model's
        vector width, measured in about 0.1 s."""
        return float(self._lib.cnnrt_measure_fma_peak_gflops(self.vector_bits))

    def profile(self, x=None, runs=10):
        """Runs the model `runs` times timing each layer, as the executables'
        --profile does. `x` is the input: an array (one input), a list or
        tuple of arrays in input order (several), or a dict {name: array};
        by default random input of every input's shape (batch 1 if the
        batch is dynamic). Returns one dict per layer: those of layers()
        plus ms (per run) and gflops; flops is scaled to the batch of `x`."""
        runs = int(runs)
        if runs < 1:
            raise ValueError("runs must be >= 1, not %d" % runs)
        if x is None:
            rng = np.random.default_rng(0)
            x = [
                rng.standard_normal(
                    tuple(1 if d is None else d for d in shape), dtype=np.float32
                )
                for shape in self.input_shapes
            ]
        if isinstance(x, dict):
            arrays, n = self._inputs((), x)
        elif isinstance(x, (list, tuple)) and len(self.input_names) > 1:
            arrays, n = self._inputs(tuple(x), {})
        elif (
            isinstance(x, (list, tuple))
            and len(x) == 1
            and hasattr(x[0], "shape")
            and len(getattr(x[0], "shape")) == len(self.input_shape)
        ):
            arrays, n = self._inputs((x[0],), {})  # [array] for one input
        else:
            arrays, n = self._inputs((x,), {})
        layers = self.layers()
        block = max(self.batch_block, 1)
        status = self._lib.cnnrt_profile_start(len(layers))
        if status != 0:
            raise ModelError("cannot start the profile (status %d)" % status)
        try:
            for _ in range(runs):
                self._run(arrays, n)
        finally:
            self._lib.cnnrt_profile_stop()
        for index, layer in enumerate(layers):
            ms = self._lib.cnnrt_profile_layer_ms(index) / runs
            flops = layer["flops"] * n // block
            layer["flops"] = flops
            layer["ms"] = ms
            layer["gflops"] = flops / ms * 1e-6 if ms > 0 else 0.0
        return layers

    def summary(self):
        """`cnnc MODEL --emit=summary-json` of the source model, parsed (and
        cached): {"model", "input", "layers": [...], "totals": {...}}.
        Only for models built by compile()."""
        if self._summary is None:
            if self._source is None:
                raise ValueError(
                    "summary() needs the source model: this Model was loaded "
                    "from a library, not built by cnnc.compile"
                )
            args = [self._cnnc, self._source, "--emit=summary-json"]
            self._summary = json.loads(_run_cnnc(args + self._summary_args))
        return self._summary
