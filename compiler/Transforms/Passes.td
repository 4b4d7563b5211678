//===- Passes.td - cnnc passes -----------------------------*- tablegen -*-===//
//
// Every pass of the project, with its flag, description and options. The
// generated base classes and registration live in Passes.h.inc.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_TRANSFORMS_PASSES_TD
#define CNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CnnSetBatch : Pass<"cnn-set-batch", "ModuleOp"> {
  let summary = "Recompute a model's types for another batch size";
  let description = [{
    Sets dimension 0 of the model function's input to `batch` and infers
    every op's result type again, in order: ops with a type inference
    compute it, ops whose result has their operand's type take it, and a
    `cnn.slice` that spans the whole batch keeps spanning it. The function's
    result types follow. An op whose result would not keep the batch in
    dimension 0 (a slice of part of the batch, a flatten around axis 0) is
    an error naming it. cnnc runs it on MLIR models for `--batch`, and for
    the one-image code of `--batch=dynamic`.
  }];
  let options = [
    Option<"batch", "batch", "int64_t", /*default=*/"1",
           "The new batch size (dimension 0 of the input), at least 1">
  ];
}

def CnnRecognizeComposites
    : Pass<"cnn-recognize-composites", "func::FuncOp"> {
  let summary = "Form one op from the decompositions exporters write";
  let dependentDialects = ["arith::ArithDialect"];
  let description = [{
    Exporters spell some layers as several primitive nodes; this pass
    forms the op the layer is, so later passes see one op (and lower it in
    one pass over memory):
    - `mul(x, sigmoid(x))` becomes `silu(x)`;
    - `mul(x, tanh(softplus(x)))` becomes `mish(x)` (ONNX before opset 18
      has no Mish);
    - `mul(x, hard_sigmoid(x))` with alpha 1/6 and beta 1/2 becomes
      `hard_swish(x)`;
    - `reshape` of `[N, C, H, W]` to `[N, g, C / g, H, W]`, `transpose`
      with perm `[0, 2, 1, 3, 4]` and `reshape` back to `[N, C, H, W]`
      becomes `channel_shuffle(x) groups g`;
    - `x * (1 + erf(x / sqrt(2))) * 0.5` (either association, the erf's
      argument as a division or a product) becomes `gelu(x)`;
    - `(x - m) / sqrt(reduce_mean((x - m)^2) + eps)` with `m =
      reduce_mean(x)` over one axis, then optionally `* scale + bias`
      constant along that axis, becomes `layer_norm(x, scale, bias)`;
    - `transpose(act(transpose(x, p)), q)`, with `q` undoing `p` and `act`
      an elementwise op of one operand (ConvNeXt's GELU between permutes to
      NHWC and back), becomes `act(x)`, which an epilogue can then absorb.
    The intermediate ops stay if something else uses them.
  }];
}

def CnnFoldBatchNorm : Pass<"cnn-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference batch norms and per-channel scales into "
                "the preceding convolution";
  let description = [{
    `batch_norm(conv(x, W, b))` becomes `conv(x, W', b')` with
    `W' = W * g / sqrt(v + eps)` per output channel and
    `b' = (b - m) * g / sqrt(v + eps) + beta`, computed at compile time.
    In the same way `mul(conv(x, W, b), s)` becomes `conv(x, W * s, b * s)`
    and `add(conv(x, W, b), t)` becomes `conv(x, W, b + t)` for constants
    `s` and `t` of shape `[1, C, 1, 1]` or `[1, 1, 1, 1]` (ConvNeXt's layer
    scale), which leaves the residual add after it for
    `cnn-fuse-conv-epilogue`. Folds only when the convolution's result has
    no other user, it carries no residual or activation (those come before
    the folded op's input), and the weights and statistics are f32
    constants; anything else stays and lowers on its own.

    A batch norm also folds through single-use `depth_to_space` ops and
    crops (`slice` of whole channels) between it and the convolution (a
    transposed convolution's norm, DCGAN's): each convolution channel takes
    the statistics of the channel the depth-to-space moves it to.
  }];
  let dependentDialects = ["arith::ArithDialect"];
}

def CnnFuseConvEpilogue : Pass<"cnn-fuse-conv-epilogue", "func::FuncOp"> {
  let summary = "Fuse activations and residual additions into convolutions";
  let description = [{
    `relu(conv(...))` becomes `conv(...) relu`; `add(conv(...), r)` becomes
    `conv(...) residual(r)` (then a following ReLU fuses too);
    `relu(linear(...))` becomes `linear(...) relu`. The other activations
    of one operand (clip, sigmoid, hard-swish, SiLU, GELU, leaky ReLU,
    ELU/SELU, tanh, softplus, Mish) become the convolution's
    `#cnn.activation`. A producer fuses only when the consumer is its only
    user and the epilogue keeps its order (bias, residual, activation): a
    convolution that already applies one takes no residual. An activation
    also fuses through single-use `depth_to_space` ops and crops (`slice`
    of whole channels) after the convolution: elementwise ops commute with
    data movement (a transposed convolution's ReLU).
  }];
}

def CnnFuseSqueezeExcitation
    : Pass<"cnn-fuse-squeeze-excitation", "func::FuncOp"> {
  let summary = "Apply squeeze-excitation gates inside the next convolution";
  let description = [{
    A squeeze-excitation block ends in `mul(x, s)`: the feature map `x`
    `[N, C, H, W]` times a gate `s` `[N, C, 1, 1]` computed from it. When the
    product's only user is an ungrouped convolution reading it as its input,
    the convolution takes `x` with `input_scale(s)` instead, and the product
    is gone: its lowering scales each image's filter (`C x F` products)
    rather than the feature map (`C x H x W`), so the map is read once, by
    the convolution, instead of three times (read and written by the
    product, read by the convolution). Only where the filter is the smaller
    of the two (`F <= H x W`): a 7x7 map of 960 channels into 160 outputs
    keeps its product. EfficientNet, MobileNetV3 and RegNetY end every
    squeeze-excitation block this way.
  }];
}

def CnnSelectKernels : Pass<"cnn-select-kernels", "ModuleOp"> {
  let summary = "Decide each layer's kernel for the target, as #cnn.kernel";
  let description = [{
    The code generator's one cost model. For every layer of the model
    function it can compute fast (ungrouped convolutions, linear layers
    with constant weights, max and average pooling) it records the
    decision as the op's `cnn.kernel` attribute: the algorithm (direct;
    `paired_columns` for stride-2 stems with at most 4 input channels;
    Winograd F(4x4, 3x3) or F(2x2, 3x3) for 3x3 stride-1 convolutions with
    channels in whole vectors), the register block (accumulators
    within `register-budget`, with the block's filter vectors and one
    broadcast within the `vector-registers`) and the split of each output
    row into pixel blocks with the fewest cycles per output vector (FMAs,
    loads, and the filter from L2 when a block's filter slice exceeds
    `l1-cache-kib`), the reduction step, the parallel
    task (output rows while the whole filter fits `filter-cache-kib`, else
    blocks of output channels over all rows
    or, when that gives fewer than 16 tasks, over fewer rows; tasks run
    channel block by channel block), whether a constant filter is packed
    per register block (when the blocks split its output channels) and the
    vector width. `winograd=auto` applies the Winograd cost model
    (channel counts in whole vectors; F(4x4) with at least 32 of its
    tiles, else F(2x2) with at least 16), `on` F(4x4) and `f2` F(2x2)
    wherever it applies, `off` never.

    Once every layer is decided, a depthwise layer whose one user is an
    ungrouped 1x1 convolution with stride 1, no padding and no input scale,
    whose kernel has tasks of whole rows of all its output channels, gets
    `in_consumer` when one such task's depthwise rows fit 64 KiB: that
    convolution's tasks compute it (see `cnn-tile-convolutions`). A global
    average pooling of the output of a depthwise layer with a kernel of its
    own gets `in_producer`: that layer's register blocks compute its sums
    (see `convert-cnn-to-linalg` and `cnn-tile-convolutions`).

    `kernel-config` names a JSON file `{"layers": {"<layer name>": {...}}}`
    whose entries override any field of a layer's decision (`algorithm`,
    `pixels`, `tail`, `channels`, `reduction`, `task_rows`,
    `task_channels`, `pack_filter`, `padded_channels`, `in_consumer`,
    `in_producer`); an
    override that the layer cannot run,
    or a name that is no layer, is an error. Layer names are those of the
    layer table (`cnnc --emit=summary`, `--profile`). Decisions already on
    the ops are replaced: they belong to the target they were made for.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of one vector register (16: AVX-512, 8: AVX2)">,
    Option<"registerBudget", "register-budget", "int64_t", /*default=*/"16",
           "Most vector accumulators of one register block">,
    Option<"vectorRegisters", "vector-registers", "int64_t", /*default=*/"32",
           "Architectural vector registers (32: AVX-512, 16: AVX2): a "
           "block's accumulators, filter vectors and one broadcast fit in them">,
    Option<"filterCacheKiB", "filter-cache-kib", "int64_t", /*default=*/"512",
           "Most filter bytes (KiB) one parallel task should stream from cache">,
    Option<"l1CacheKiB", "l1-cache-kib", "int64_t", /*default=*/"32",
           "L1 data cache (KiB): a register block whose filter slice exceeds "
           "it streams the filter from L2 once per block">,
    Option<"winograd", "winograd", "std::string", /*default=*/"\"auto\"",
           "auto (cost model), on (F(4x4) wherever it applies), f2 (F(2x2) "
           "wherever it applies) or off">,
    Option<"kernelConfig", "kernel-config", "std::string", /*default=*/"\"\"",
           "JSON file of per-layer overrides of the decisions">
  ];
}

def ConvertCnnToLinalg : Pass<"convert-cnn-to-linalg", "func::FuncOp"> {
  let summary = "Lower cnn ops to linalg, tensor and arith on tensors";
  let description = [{
    With `channels-last` (the default), a convolution becomes
    `linalg.conv_2d_nhwc_hwcf` on a `tensor.pad`-ed NHWC input: its filter
    is permuted to HWCF at compile time, its accumulator starts from the
    bias plus the residual, and a ReLU follows as one elementwise
    `linalg.generic`. The layer's `#cnn.kernel` (see `cnn-select-kernels`)
    chooses the form and goes onto the kernel's root, the op
    `cnn-tile-convolutions` tiles: the ReLU if there is one (its input is
    the convolution), else the convolution. With `paired_columns` the
    stem's columns are paired into a stride-1 convolution; with
    `winograd_f4`/`winograd_f2` the convolution is built as Winograd: the
    filter transform G g G^T computed now as a constant [36, C, F] (or
    [16, C, F]), an input transform B^T d B over channel vectors, the GEMMs
    as one batched contraction generic (the root), and an output transform
    A^T m A that adds the bias and residual and applies the ReLU or
    `#cnn.activation` in registers before its one store. A depthwise
    convolution with a kernel becomes `linalg.depthwise_conv_2d_nhwc_hwc`;
    another grouped one one `linalg.generic` over
    (n, oh, ow, g, k, kh, kw, c) on the input split into groups, its
    filter [G, KH, KW, C/G, F/G]. A linear layer with a kernel has its
    weights packed into blocks of `task_channels` features and becomes a
    batched contraction (the root). Pooling becomes
    `linalg.pooling_nhwc_max/sum` (the root); a global average pooling a
    whole-image `linalg.pooling_nhwc_sum`, or, when its decision says
    `in_producer`, the sums of each row (a generic reducing the width,
    carrying the decision: its depthwise producer's kernel computes them)
    and a `linalg.pooling_nhwc_sum` of those rows.
    These ops meet NCHW values through `linalg.transpose`s that cancel in
    pairs under canonicalization, so activations stay NHWC between layers.
    Without it (and for grouped convolutions without a kernel) the ops
    compute in NCHW:
    `linalg.conv_2d_nchw_fchw` / `linalg.conv_2d_ngchw_gfchw` with one
    epilogue generic, and `linalg.pooling_nchw_max/sum`. The average's
    divisors are a compile-time constant per output position; the rest
    becomes `linalg.generic` or `tensor` reshapes. Every cnn op must lower:
    anything left is an error.
  }];
  let options = [
    Option<"channelsLast", "channels-last", "bool", /*default=*/"true",
           "Compute convolutions and pooling in NHWC">
  ];
  let dependentDialects = [
    "affine::AffineDialect", "arith::ArithDialect", "linalg::LinalgDialect",
    "math::MathDialect", "scf::SCFDialect", "tensor::TensorDialect",
    "vector::VectorDialect"
  ];
}

def CnnExportCAbi : Pass<"cnn-export-c-abi", "ModuleOp"> {
  let summary = "Name the model's entry point and describe its tensors";
  let description = [{
    Renames the module's one public function to `<prefix>_run` and records
    its inputs and outputs on it: `cnn.inputs` and `cnn.outputs`, each an
    array of `{name, shape}` (names from the arguments' and results'
    `cnn.name`, the ONNX graph's, else `input`, `input1`, ..., `output`,
    ...; with `dynamic-batch`, dimension 0 is -1: the compiled batch is a
    block the runtime repeats). Together with bufferization,
    results-to-out-params, the activation workspace argument and the
    bare-pointer calling convention, the entry point becomes
    `void <prefix>_run(const float *in..., float *out..., void *workspace)`;
    the multi-version linker wraps it into the C ABI of
    runtime/include/cnnrt/cnn_model_abi.h, whose shape and name queries
    come from these attributes.
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", /*default=*/"\"cnn_model\"",
           "Prefix of the exported C symbols">,
    Option<"dynamicBatch", "dynamic-batch", "bool", /*default=*/"false",
           "Report the batch dimension of the shapes as -1 (any batch)">
  ];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

def CnnFlattenConstantGlobals
    : Pass<"cnn-flatten-constant-globals", "ModuleOp"> {
  let summary = "Store multi-dimensional constant globals as 1-D blobs";
  let description = [{
    A rank-4 weight global becomes a nested LLVM array whose translation
    builds one constant per innermost row: millions of LLVM constants for a
    large network. Flattened to rank 1, each weight tensor is translated as
    one raw data array. Users see the original shape through a
    `memref.expand_shape` of the flat global.
  }];
  let dependentDialects = ["memref::MemRefDialect"];
}

def CnnOutlineParallelRegions
    : Pass<"cnn-outline-parallel-regions", "ModuleOp"> {
  let summary = "Move each OpenMP parallel region into a function of its own";
  let description = [{
    Translating an `omp.parallel` to LLVM IR outlines its body with LLVM's
    CodeExtractor, which first analyses every block of the enclosing
    function: a model function with hundreds of parallel regions (every
    layer has one or more) took time quadratic in the model's size
    (DenseNet-121 spent 20 s of its 43 s compile there). Each outermost
    `omp.parallel` of an `llvm.func` becomes the only op of a new internal
    `llvm.func` that the original place calls. Values it uses from
    outside become arguments, except operand-free constants and global
    addresses, which are cloned so that loop bounds stay constants. LLVM's
    inliner puts the small wrappers back after the regions are outlined.
  }];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

def CnnPlanActivationMemory
    : Pass<"cnn-plan-activation-memory", "func::FuncOp"> {
  let summary = "Place every intermediate buffer in one activation arena";
  let description = [{
    Intermediate buffers of a model have static sizes and lifetimes that
    follow from the op order. This pass computes each buffer's live interval
    (from its allocation to the last use of the buffer or of any view of
    it), packs the buffers into one arena, largest first, at the lowest
    64-byte aligned offset not used by a buffer whose interval overlaps,
    and replaces each `memref.alloc` with a `memref.view` into one arena.
    The arena is a new last argument of the (public) entry function,
    `memref<Nxi8>`: the caller's workspace, so that a run allocates nothing
    and an embedding program can supply the memory. Buffers that escape
    (returned, passed to calls) or have dynamic shapes keep their own
    allocation. The arena size N is also recorded on the function as
    `cnn.arena_bytes`, for the runtime's `workspace_size` query. A buffer
    allocated in the body of an `scf.forall` (a task's own buffer: the rows
    of a depthwise kernel computed in its consumer's tasks) becomes a
    `memref.alloca` there instead: on the thread's stack, freed at the end
    of each task (convert-scf-to-openmp makes each task's body an alloca
    scope).
  }];
  let dependentDialects = ["memref::MemRefDialect", "arith::ArithDialect"];
}

def CnnLowerMemrefCopy : Pass<"cnn-lower-memref-copy", "func::FuncOp"> {
  let summary = "Rewrite strided memref.copy as loops of contiguous copies";
  let description = [{
    Bufferization expresses padding, concatenation and out-params as
    `memref.copy`, whose strided form lowers to a call into MLIR's C runner
    utilities that copies an element at a time. A strided copy becomes an
    `scf.parallel` over its leading dimensions whose iterations each copy
    one contiguous run (the innermost dimensions in which both sides are
    contiguous: a padded buffer's row, a concatenation's channels of one
    pixel) as a contiguous `memref.copy`, which lowers to `llvm.memcpy`. A
    copy whose innermost dimension is strided on either side becomes
    `linalg.copy` (loops). Either way the compiled model needs no library
    beyond the cnnc runtime.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "scf::SCFDialect",
                           "arith::ArithDialect"];
}

def CnnInstrumentLayers : Pass<"cnn-instrument-layers", "ModuleOp"> {
  let summary = "Mark layer boundaries for the compiled model's profiler";
  let description = [{
    Numbers the cnn ops of the model's public function (its layers, after
    fusion) and calls `cnnrt_layer_begin(i)` before layer i and
    `cnnrt_layer_begin(-1)` before the return. The lowering keeps each
    layer's code between its call and the next, so the runtime times each
    layer by the gaps between calls; with profiling off a call costs a load
    and a branch. Each layer op gets its index as `cnn.layer`, and the
    module gets the table of layers as `cnn.layer_table`: one
    `#cnn.layer_info` per layer (name, op with its fused epilogue, output
    shape, FLOPs, and the algorithm of its `#cnn.kernel`).
  }];
  let dependentDialects = ["func::FuncDialect", "arith::ArithDialect"];
}

def CnnEmitLayerTable : Pass<"cnn-emit-layer-table", "ModuleOp"> {
  let summary = "Emit the layer table as the model's cnn_layer_info array";
  let description = [{
    Turns the module's `cnn.layer_table` (see `cnn-instrument-layers`), with
    the algorithms chosen by then, into a constant array of the C ABI's
    `cnn_layer_info` structs (name, op, algorithm, output rank and shape,
    FLOPs; each distinct string and shape stored once) and the function
    `const cnn_layer_info *<prefix>_layer_table(int64_t *count)` returning
    it, through which the runtime answers `<prefix>_num_layers()` and
    `<prefix>_layer(i)` and the compiled model's `--profile` names layers.
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", /*default=*/"\"cnn_model\"",
           "Prefix of the exported C symbols">
  ];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

def CnnFoldConcatIntoProducers
    : Pass<"cnn-fold-concat-into-producers", "func::FuncOp"> {
  let summary = "Let producers write into their slices of a concatenation";
  let description = [{
    A concatenation is a chain of `tensor.insert_slice` ops into a
    `tensor.empty`. Each inserted value whose producer is a chain of
    destination-style linalg ops (or `scf.forall`s) ending in a
    `tensor.empty` gets, as that destination, a `tensor.extract_slice` of
    the concatenation built so far, and the chain is rebuilt in the order
    in which its inputs are computed (its slices must be disjoint), each
    insert right after its input. After bufferization every producer (a
    convolution's kernel, a pooling, a Winograd output transform) writes
    straight into its slice of the concatenated buffer: no copy. The
    concatenated buffer is created just before its first producer, so
    that the memory planner sees it live no longer than needed. An input
    that is read again after a later insert, or whose producer starts
    before the previous input is complete, keeps its copy (bufferization
    decides; the result is the same either way).
  }];
  let dependentDialects = ["tensor::TensorDialect"];
}

def CnnFoldPaddingIntoProducers
    : Pass<"cnn-fold-padding-into-producers", "func::FuncOp"> {
  let summary = "Let producers write into the interior of padded buffers";
  let description = [{
    A `tensor.pad` with a constant value, whose source is computed by a
    chain of destination-style linalg ops ending in a `tensor.empty`,
    becomes a `linalg.fill` of the padded shape whose interior slice is the
    chain's destination, and a `tensor.insert_slice` of the result back into
    it. After bufferization the producer (a convolution's kernel, a pooling)
    writes straight into the padded buffer that the next convolution reads:
    no copy. Other users of the unpadded value read the interior. A pad of
    a `tensor.extract_slice` that keeps the leading part of dimensions the
    pad does not pad (the layer's channels of a kernel that computed
    `padded_channels`) first becomes a slice of the pad of the whole
    value, so that such a kernel writes the padded buffer as well and the
    reader takes a view of it. A pad of a concatenation whose producers
    write into it (`cnn-fold-concat-into-producers`) makes the whole
    concatenation the padded buffer's interior. A pad that no producer can
    write (a function argument, a slice) becomes the same fill and insert
    in place, so that the fill is vectorized with the kernels and the copy
    is a contiguous one per row.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "tensor::TensorDialect"];
}

def CnnTileConvolutions : Pass<"cnn-tile-convolutions", "func::FuncOp"> {
  let summary = "Tile and vectorize each kernel root as its #cnn.kernel says";
  let description = [{
    Every static-shaped linalg op on tensors that carries a `#cnn.kernel`
    (set by the lowering on the root of each layer's kernel) is tiled with
    the decision's blocks; this pass chooses nothing. A convolution root
    (`linalg.conv_2d_nhwc_hwcf`, or the elementwise ReLU whose input is
    one) is tiled three times: an `scf.forall` over parallel tasks of
    `task_rows` output rows by `task_channels` output channels (with
    `pack_filter`, a constant filter is packed at compile time as
    [F / block][KH][KW][C][block], so that each task streams one contiguous
    block), `scf.for` loops over register blocks (one row, `pixels` output
    pixels, `channels` output channels; with `tail`, each row's last block
    is peeled off with that many pixels), and `scf.for` loops over the
    reduction (one filter row and column, `reduction` input channels). The
    innermost convolution is decomposed to 1-D and vectorized to
    `vector.contract`s; after clean-up and loop-invariant subset hoisting
    the accumulators are loop-carried vectors. Into each register block the
    pass fuses the convolution, the op computing its accumulator's initial
    value (bias broadcast, residual) and the ReLU, so all of them happen in
    registers. NHWC max/sum pooling roots and batched contraction roots
    (packed linear layers, Winograd GEMMs) are tiled the same way and
    vectorized. Independently of the decisions, 4-D elementwise generics
    left outside kernels (unfused activations, squeeze-excitation products,
    batch norms) are tiled into row tasks and vectorized blocks, and 4-D
    layout changes
    (`linalg.transpose`: per-row tasks, in-register transposes), channel
    shuffles and permutations of outer dimensions of rank 5 or more (a
    depth-to-space: whole innermost rows copied) and fills
    left over (padded buffers' borders) are tiled by rows and written with
    vector stores.

    A depthwise kernel whose decision says `in_consumer` is tiled with the
    1x1 convolution that reads it: that convolution's tasks (whole rows of
    all its output channels) each compute the depthwise rows they read, in
    the depthwise kernel's register blocks, into a buffer of their own
    (`bufferization.alloc_tensor`, on the task's stack after
    `cnn-plan-activation-memory`), then the 1x1 register blocks read it. A
    depthwise kernel that no consumer took is tiled on its own.

    A global pooling's row sums (a generic carrying a decision that says
    `in_producer`, reading a depthwise kernel's output) are fused into that
    kernel's task loop and then its block loops (upstream consumer fusion):
    each register block adds its pixels into its row's sums, carried by the
    pixel loop as a vector and written once per task. Row sums that no
    depthwise kernel took are tiled on their own.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of one vector register (16: AVX-512, 8: AVX2), for "
           "layout changes">
  ];
  let dependentDialects = [
    "scf::SCFDialect", "vector::VectorDialect", "tensor::TensorDialect",
    "arith::ArithDialect", "affine::AffineDialect",
    "bufferization::BufferizationDialect"
  ];
}

def CnnLowerVectorKernels : Pass<"cnn-lower-vector-kernels", "func::FuncOp"> {
  let summary = "Lower vectorized kernels' contractions to broadcast-FMAs";
  let description = [{
    After bufferization: hoists redundant vector transfers out of loops,
    drops leading unit vector dimensions, lowers `vector.contract` to
    `vector.outerproduct` (one broadcast input element times a row of
    filter vectors) and those to `vector.fma`, and replaces `math.exp`
    (softmax, ELU, softplus; sigmoid and SiLU expand their own, cheaper
    exponential when lowered to linalg), `math.erf`, `math.tanh`,
    `math.log` and `math.log1p` by MLIR's polynomial approximations, which
    stay vector code where LLVM would call the C library's scalar function
    per element.
    Each step is its own pattern group: mixed together, some never
    converge.
  }];
  let dependentDialects = ["vector::VectorDialect", "arith::ArithDialect"];
}

#endif // CNN_TRANSFORMS_PASSES_TD
