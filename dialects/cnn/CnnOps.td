//===- CnnOps.td - The cnn dialect and its operations ------*- tablegen -*-===//
//
// Tensor-level operations of convolutional networks: NCHW activations, OIHW
// filters, value semantics, static shapes. Every op infers its result type
// and verifies every attribute against its operands.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_OPS_TD
#define CNN_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Dialect
//===----------------------------------------------------------------------===//

def Cnn_Dialect : Dialect {
  let name = "cnn";
  let cppNamespace = "::mlir::cnn";
  let summary = "Convolutional network graphs: convolutions, pooling, residuals";
  let description = [{
    The `cnn` dialect describes inference graphs of convolutional networks
    (the VGG and ResNet families and their relatives) at the tensor level.
    Activations are NCHW, filters OIHW, all shapes are static. Weights are
    ordinary constants (`arith.constant` with `dense` or `dense_resource`
    attributes).

    Convolutions and fully connected layers can carry a fused epilogue
    (bias, residual addition, ReLU) so that the graph passes show fusion in
    the IR: `y = relu(conv(x, w) + bias + residual)`.

    Before lowering, `cnn-select-kernels` records how each convolution,
    linear and pooling layer is computed on the target as a `#cnn.kernel`
    attribute (the op's `cnn.kernel` attribute); the lowering reads it.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
}

//===----------------------------------------------------------------------===//
// Kernel decisions
//===----------------------------------------------------------------------===//

def Cnn_KernelAlgorithm : I32EnumAttr<"KernelAlgorithm",
    "How a layer computes its output", [
      I32EnumAttrCase<"Direct", 0, "direct">,
      I32EnumAttrCase<"PairedColumns", 1, "paired_columns">,
      I32EnumAttrCase<"WinogradF2", 2, "winograd_f2">,
      I32EnumAttrCase<"WinogradF4", 3, "winograd_f4">]> {
  let cppNamespace = "::mlir::cnn";
  let genSpecializedAttr = 0;
}

// A flag of a `#cnn.kernel`: `true` or `false`, omitted when false.
def Cnn_FlagParameter : AttrParameter<"bool", "a flag, false by default"> {
  let parser = [{ [&]() -> ::mlir::FailureOr<bool> {
    if (::mlir::succeeded($_parser.parseOptionalKeyword("true")))
      return true;
    if (::mlir::succeeded($_parser.parseOptionalKeyword("false")))
      return false;
    $_parser.emitError($_parser.getCurrentLocation(), "expected true or false");
    return ::mlir::failure();
  }() }];
  let printer = [{ $_printer << ($_self ? "true" : "false") }];
  let defaultValue = "false";
}

def Cnn_KernelAttr : AttrDef<Cnn_Dialect, "Kernel"> {
  let mnemonic = "kernel";
  let summary = "The kernel chosen for one layer on the compilation target";
  let description = [{
    Written by `cnn-select-kernels` (from its cost model, or from a
    `--kernel-config` file) on every convolution, linear and pooling op as
    its `cnn.kernel` attribute, and read by the lowering: no later pass chooses
    again. Fields:

    - `algorithm`: `direct`; `paired_columns` (a stride-2 stem with few
      input channels, computed as a stride-1 convolution over pairs of
      columns); `winograd_f2` / `winograd_f4` (F(2x2, 3x3) / F(4x4, 3x3)).
    - `vector_width`: f32 lanes of the kernel's vectors (16: AVX-512,
      8: AVX2).
    - `pixels` x `channels`: the register block, output pixels by output
      channels held in vector accumulators (for Winograd: transformed tiles
      by output channels of its GEMMs; for a linear layer: rows by output
      features). `tail`: pixels of a smaller last block of each output row
      when `pixels` does not divide the width (0: it does).
    - `reduction`: input channels (features) per reduction step.
    - `task_rows` x `task_channels`: one parallel task's output rows by
      output channels (for Winograd's GEMMs: the output channels of one
      task; for a linear layer: the features of one packed weight block).
    - `pack_filter`: the constant filter is repacked at compile time so
      that each register block's output channels (and so each task's) are
      contiguous: HWCF as [F / channels][KH][KW][C][channels] (a linear
      layer's weights: one block of `task_channels` features after
      another).
    - `padded_channels` (direct and paired-columns convolutions; 0, the
      default, when not padded): output channels the kernel computes, a
      multiple of the vector width above the layer's own (ShuffleNet's 58
      and 24, SqueezeNet's 1000): the filter and bias get zero channels up to it, and the extra
      outputs are dropped after the kernel. Blocks divide this count.
    - `groups` (1, the default, when not grouped): a grouped kernel's
      number of groups, the convolution's own (ResNeXt, RegNet): each
      register block lies inside one group (`channels` divides a group's
      outputs) or, when `channels` is a multiple of a group's outputs (one
      vector, for groups narrower than a vector), spans that many whole
      groups, with `reduction` all of a group's inputs. Not a choice (a
      kernel config cannot set it): it tells the lowering which form the
      kernel takes.
      Depthwise convolutions have a kernel of their own and keep 1.
    - `in_consumer` (depthwise kernels only; false, the default, when not
      set): the layer is computed inside the tasks of the 1x1 convolution
      that consumes it (a depthwise-separable block's pointwise layer, whose
      kernel has tasks of whole rows of all its output channels). Each of
      that kernel's tasks computes the depthwise rows it reads, all their
      channels, with this kernel's register blocks, into a scratch buffer on
      its thread's stack; the depthwise output never goes through memory.
      This kernel's own task fields are then unused.
    - `in_producer` (global average poolings only; false, the default, when
      not set): the pooling's sums are computed inside the tasks of the
      depthwise convolution that produces its input (a squeeze-excitation's
      squeeze): each register block of that kernel adds its output pixels
      into its row's sum while they are still in registers, and the
      pooling only adds the rows' sums. The feature map is not read again.
      This kernel's own blocks are then unused.

    ```mlir
    %y = cnn.conv2d %x, %w padding [1, 1, 1, 1] relu {cnn.kernel = #cnn.kernel<
           algorithm = winograd_f4, vector_width = 16, pixels = 8, tail = 0,
           channels = 32, reduction = 8, task_rows = 1, task_channels = 64,
           pack_filter = false>} : ...
    ```
  }];
  let parameters = (ins
    EnumParameter<Cnn_KernelAlgorithm>:$algorithm,
    "int64_t":$vector_width,
    "int64_t":$pixels,
    "int64_t":$tail,
    "int64_t":$channels,
    "int64_t":$reduction,
    "int64_t":$task_rows,
    "int64_t":$task_channels,
    "BoolAttr":$pack_filter,
    DefaultValuedParameter<"int64_t", "0">:$padded_channels,
    DefaultValuedParameter<"int64_t", "1">:$groups,
    Cnn_FlagParameter:$in_consumer,
    Cnn_FlagParameter:$in_producer
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The name of the discardable attribute that carries the decision.
    static constexpr ::llvm::StringLiteral kAttrName = "cnn.kernel";
    bool isWinograd() const {
      return getAlgorithm() == KernelAlgorithm::WinogradF2 ||
             getAlgorithm() == KernelAlgorithm::WinogradF4;
    }
    bool packsFilter() const { return getPackFilter().getValue(); }
    bool isGrouped() const { return getGroups() > 1; }
  }];
}

//===----------------------------------------------------------------------===//
// Layer table
//===----------------------------------------------------------------------===//

def Cnn_LayerInfoAttr : AttrDef<Cnn_Dialect, "LayerInfo"> {
  let mnemonic = "layer_info";
  let summary = "One layer of the compiled model, as reports and the profiler "
                "name it";
  let description = [{
    `cnn-instrument-layers` numbers the layers of the model function (its cnn
    ops, after fusion) and records one `#cnn.layer_info` per layer, in
    execution order, in the module's `cnn.layer_table` array. The record
    travels through the lowering unchanged; `cnn-emit-layer-table` turns it
    into the model's `cnn_layer_info` array (the C ABI's
    `<prefix>_num_layers()` / `<prefix>_layer(i)`), and `--emit=dot` labels
    the graph with it. Fields:

    - `name`: the layer's name (the ONNX node, or the op and its index).
    - `op`: the op and its fused epilogue, e.g. `conv2d 3x3/s2+bias+relu`.
    - `shape`: the output's shape for one block of the compiled batch
      (-1 for a dimension unknown at compile time).
    - `flops`: floating-point operations of that block (0: not counted).
    - `algorithm`: the kernel as the profile names it (`direct`,
      `paired cols`, `winograd F2`, `winograd F4`), or `-` for an op
      without one.

    ```mlir
    module attributes {cnn.layer_table = [#cnn.layer_info<name = "conv1",
        op = "conv2d 7x7/s2+bias+relu", shape = array<i64: 1, 64, 112, 112>,
        flops = 236027904, algorithm = "paired cols">]} { ... }
    ```
  }];
  let parameters = (ins
    StringRefParameter<"layer name">:$name,
    StringRefParameter<"op and fused epilogue">:$op,
    "DenseI64ArrayAttr":$shape,
    "int64_t":$flops,
    StringRefParameter<"kernel algorithm">:$algorithm
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The name of the module attribute holding the layers in order.
    static constexpr ::llvm::StringLiteral kTableAttrName = "cnn.layer_table";
  }];
}

//===----------------------------------------------------------------------===//
// Fused activations
//===----------------------------------------------------------------------===//

def Cnn_ActivationKind : I32EnumAttr<"ActivationKind",
    "An activation a convolution applies in its epilogue", [
      I32EnumAttrCase<"Clip", 0, "clip">,
      I32EnumAttrCase<"Sigmoid", 1, "sigmoid">,
      I32EnumAttrCase<"HardSwish", 2, "hard_swish">,
      I32EnumAttrCase<"Silu", 3, "silu">,
      I32EnumAttrCase<"Gelu", 4, "gelu">,
      I32EnumAttrCase<"LeakyRelu", 5, "leaky_relu">,
      I32EnumAttrCase<"Elu", 6, "elu">,
      I32EnumAttrCase<"Tanh", 7, "tanh">,
      I32EnumAttrCase<"Softplus", 8, "softplus">,
      I32EnumAttrCase<"Mish", 9, "mish">]> {
  let cppNamespace = "::mlir::cnn";
  let genSpecializedAttr = 0;
}

def Cnn_ActivationAttr : AttrDef<Cnn_Dialect, "Activation"> {
  let mnemonic = "activation";
  let summary = "An activation fused into a convolution's epilogue";
  let description = [{
    The activation `cnn-fuse-conv-epilogue` moves into the convolution that
    produces its input, as it moves ReLU (the `relu` unit attribute): the
    convolution applies it to its accumulators, in registers, instead of a
    separate pass over the output. Each kind computes what the op of the
    same name computes: `clip` (with `min` and `max`, e.g. ReLU6),
    `sigmoid`, `hard_swish`, `silu`, `gelu` (the exact, erf form),
    `leaky_relu` (with `alpha`), `elu` (with `alpha` and `gamma`: SELU is
    ELU with its own constants), `tanh`, `softplus`, `mish`.

    ```mlir
    %y = cnn.conv2d %x, %w bias(%b) activation(
           #cnn.activation<kind = clip, min = 0.0 : f32, max = 6.0 : f32>) : ...
    %z = cnn.conv2d %y, %w2 activation(#cnn.activation<kind = silu>) : ...
    %l = cnn.conv2d %z, %w3 activation(
           #cnn.activation<kind = leaky_relu, alpha = 1.0e-01 : f32>) : ...
    ```
  }];
  let parameters = (ins
    EnumParameter<Cnn_ActivationKind>:$kind,
    OptionalParameter<"FloatAttr">:$min,
    OptionalParameter<"FloatAttr">:$max,
    OptionalParameter<"FloatAttr">:$alpha,
    OptionalParameter<"FloatAttr">:$gamma
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints and shared attributes
//===----------------------------------------------------------------------===//

def Cnn_FloatTensor : TensorOf<[AnyFloat]>;
def Cnn_Tensor1D : TensorRankOf<[AnyFloat], [1]>;
def Cnn_Tensor2D : TensorRankOf<[AnyFloat], [2]>;
def Cnn_Tensor4D : TensorRankOf<[AnyFloat], [4]>;

// Window attributes shared by convolutions and pooling: [H, W] pairs and a
// [top, left, bottom, right] padding quadruple.
defvar Cnn_PairDefaultOnes = DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
defvar Cnn_PaddingDefaultZeros =
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">;

class Cnn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Cnn_Dialect, mnemonic, !listconcat(traits, [Pure])>;

// Ops whose result type follows from operands and attributes.
class Cnn_InferredOp<string mnemonic, list<Trait> traits = []>
    : Cnn_Op<mnemonic, !listconcat(traits, [InferTypeOpAdaptor])> {
  // The verifier runs the inference first, so an inconsistent attribute
  // gets exactly one message saying what is wrong.
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and fully connected layers
//===----------------------------------------------------------------------===//

def Cnn_Conv2DOp : Cnn_InferredOp<"conv2d", [AttrSizedOperandSegments]> {
  let summary = "2-D convolution with an optional fused epilogue";
  let description = [{
    Grouped, strided, dilated 2-D convolution of an NCHW input with an OIHW
    filter whose I dimension is `C / groups`. Padding is
    `[top, left, bottom, right]` of zeros. The optional epilogue is applied in
    this order: `bias` (one value per output channel), `residual` (a tensor
    of the output's shape, the shortcut of a residual block), then `relu` or
    another `activation` (see `#cnn.activation`; not both).

    The optional `input_scale`, `[N, C, 1, 1]`, multiplies input channel `c`
    of image `n` by `input_scale[n, c]` before the convolution (padding stays
    zero): a squeeze-excitation block's gate, applied by scaling each image's
    filter (`C x F` products) instead of its feature map (`C x H x W`). Only
    ungrouped convolutions take it.

    ```mlir
    %y = cnn.conv2d %x, %w bias(%b) strides [2, 2] padding [3, 3, 3, 3] relu
        : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
          -> tensor<1x64x112x112xf32>
    %z = cnn.conv2d %y, %w2 bias(%b2) padding [1, 1, 1, 1] residual(%s) relu
        : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>,
           tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins
    Cnn_Tensor4D:$input,
    Cnn_Tensor4D:$filter,
    Optional<Cnn_Tensor1D>:$bias,
    Optional<Cnn_Tensor4D>:$residual,
    Optional<Cnn_Tensor4D>:$input_scale,
    Cnn_PairDefaultOnes:$strides,
    Cnn_PaddingDefaultZeros:$padding,
    Cnn_PairDefaultOnes:$dilations,
    DefaultValuedAttr<I64Attr, "1">:$groups,
    UnitAttr:$relu,
    OptionalAttr<Cnn_ActivationAttr>:$activation
  );
  let results = (outs Cnn_Tensor4D:$output);
  let assemblyFormat = [{
    $input `,` $filter (`bias` `(` $bias^ `)`)?
    (`strides` $strides^)? (`padding` $padding^)? (`dilations` $dilations^)?
    (`groups` $groups^)? (`residual` `(` $residual^ `)`)?
    (`input_scale` `(` $input_scale^ `)`)? (`relu` $relu^)?
    (`activation` `(` $activation^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// True if the op carries any epilogue beyond the plain convolution.
    bool hasEpilogue() {
      return getBias() || getResidual() || hasActivation();
    }
    /// True if the op applies ReLU or another activation last.
    bool hasActivation() { return getRelu() || getActivation(); }
    /// One filter per channel: groups = input channels = output channels.
    bool isDepthwise() {
      ArrayRef<int64_t> filter = getFilter().getType().getShape();
      int64_t groups = static_cast<int64_t>(getGroups());
      return groups > 1 && filter[1] == 1 && filter[0] == groups &&
             getInput().getType().getDimSize(1) == groups;
    }
  }];
}

def Cnn_LinearOp : Cnn_InferredOp<"linear"> {
  let summary = "Fully connected layer with an optional fused bias and ReLU";
  let description = [{
    `y = x * transpose(w) + bias`, optionally followed by ReLU. `x` is
    `[N, K]`, `w` is `[M, K]` (PyTorch's `nn.Linear` layout), `bias` is `[M]`.

    ```mlir
    %y = cnn.linear %x, %w bias(%b) relu
        : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>)
          -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins
    Cnn_Tensor2D:$input,
    Cnn_Tensor2D:$weight,
    Optional<Cnn_Tensor1D>:$bias,
    UnitAttr:$relu
  );
  let results = (outs Cnn_Tensor2D:$output);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? (`relu` $relu^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Normalization and elementwise ops
//===----------------------------------------------------------------------===//

def Cnn_BatchNormOp : Cnn_InferredOp<"batch_norm"> {
  let summary = "Inference-form batch normalization over the channel axis";
  let description = [{
    `y = (x - mean) / sqrt(variance + epsilon) * scale + shift`, per channel
    (dimension 1). All four parameters are `[C]` tensors.

    ```mlir
    %y = cnn.batch_norm %x, %scale, %shift, %mean, %var epsilon 1.000000e-05
        : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>,
           tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins
    Cnn_FloatTensor:$input,
    Cnn_Tensor1D:$scale,
    Cnn_Tensor1D:$shift,
    Cnn_Tensor1D:$mean,
    Cnn_Tensor1D:$variance,
    DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon
  );
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $shift `,` $mean `,` $variance
    (`epsilon` $epsilon^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Cnn_ReluOp : Cnn_Op<"relu", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Rectified linear unit, max(x, 0)";
  let description = [{
    ```mlir
    %y = cnn.relu %x : tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

// Elementwise arithmetic with NumPy broadcasting without rank extension:
// operands of the same rank, each dimension equal or 1 in one of them. The
// types print as one when all three are equal.
class Cnn_BroadcastOp<string mnemonic, list<Trait> traits = []>
    : Cnn_InferredOp<mnemonic, traits> {
  let arguments = (ins Cnn_FloatTensor:$lhs, Cnn_FloatTensor:$rhs);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:`
    custom<BroadcastTypes>(type($lhs), type($rhs), type($output))
  }];
}

def Cnn_AddOp : Cnn_BroadcastOp<"add", [Commutative]> {
  let summary = "Elementwise addition: the join of a residual block";
  let description = [{
    The join of a residual block adds two tensors of one type; a bias or
    constant broadcasts (each dimension equal or 1 in one operand).

    ```mlir
    %y = cnn.add %a, %b : tensor<1x64x56x56xf32>
    %z = cnn.add %y, %c : (tensor<1x64x56x56xf32>, tensor<1x64x1x1xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
}

def Cnn_SubOp : Cnn_BroadcastOp<"sub"> {
  let summary = "Elementwise difference lhs - rhs, broadcasting";
  let description = [{
    ```mlir
    %y = cnn.sub %x, %m : (tensor<1x7x7x96xf32>, tensor<1x7x7x1xf32>) -> tensor<1x7x7x96xf32>
    ```
  }];
}

def Cnn_DivOp : Cnn_BroadcastOp<"div"> {
  let summary = "Elementwise quotient lhs / rhs, broadcasting";
  let description = [{
    ```mlir
    %y = cnn.div %x, %s : (tensor<1x7x7x96xf32>, tensor<1x7x7x1xf32>) -> tensor<1x7x7x96xf32>
    ```
  }];
}

def Cnn_SqrtOp : Cnn_Op<"sqrt", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Elementwise square root";
  let description = [{
    ```mlir
    %y = cnn.sqrt %x : tensor<1x7x7x1xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_ErfOp : Cnn_Op<"erf", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Elementwise error function";
  let description = [{
    ```mlir
    %y = cnn.erf %x : tensor<1x7x7x384xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_GeluOp : Cnn_Op<"gelu", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Gaussian error linear unit, x * (1 + erf(x / sqrt(2))) / 2";
  let description = [{
    The exact (erf) form of PyTorch's `nn.GELU()` (ConvNeXt). Exporters
    write it as Div, Erf, Add, Mul, Mul; `cnn-recognize-composites` forms
    this op from them.

    ```mlir
    %y = cnn.gelu %x : tensor<1x7x7x384xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_ReduceMeanOp : Cnn_InferredOp<"reduce_mean"> {
  let summary = "Mean over some dimensions, keeping them with extent 1";
  let description = [{
    ONNX `ReduceMean` with `keepdims` (the mean over H and W is
    `cnn.global_avg_pool`). `axes` are distinct and in range.

    ```mlir
    %m = cnn.reduce_mean %x axes [3] : tensor<1x7x7x96xf32> -> tensor<1x7x7x1xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `axes` $axes attr-dict `:` type($input) `->` type($output)
  }];
}

def Cnn_LayerNormOp : Cnn_Op<"layer_norm"> {
  let summary = "Normalize over one axis, then scale and shift (LayerNorm)";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) * scale + bias`, with the mean
    and the (biased) variance over `axis`; `scale` and `bias` have one
    value per element of that axis. ConvNeXt normalizes over the channels
    (the last axis after its permute to NHWC). ONNX's LayerNormalization
    (opset 17) of one axis is this op; `cnn-recognize-composites` forms it
    from the ReduceMean, Sub, Pow, Sqrt, Div form of older exports.

    ```mlir
    %y = cnn.layer_norm %x, %scale, %bias axis 3 epsilon 9.99999997E-7
        : (tensor<1x56x56x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x56x56x96xf32>
    ```
  }];
  let arguments = (ins
    Cnn_FloatTensor:$input,
    Cnn_Tensor1D:$scale,
    Cnn_Tensor1D:$bias,
    I64Attr:$axis,
    F32Attr:$epsilon
  );
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `axis` $axis `epsilon` $epsilon attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Cnn_ClipOp : Cnn_Op<"clip", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Clamp to [min, max]: ReLU6 is clip 0 to 6";
  let description = [{
    `y = min(max(x, min), max)`.

    ```mlir
    %y = cnn.clip %x min 0.0 max 6.0 : tensor<1x32x112x112xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input, F32Attr:$min, F32Attr:$max);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat =
      "$input `min` $min `max` $max attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Cnn_SigmoidOp : Cnn_Op<"sigmoid", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Logistic sigmoid, 1 / (1 + exp(-x))";
  let description = [{
    ```mlir
    %y = cnn.sigmoid %x : tensor<1x96x1x1xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_HardSigmoidOp : Cnn_Op<"hard_sigmoid", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Piecewise-linear sigmoid, max(0, min(1, alpha * x + beta))";
  let description = [{
    PyTorch's `hardsigmoid` is alpha = 1/6, beta = 1/2 (ONNX's defaults are
    0.2 and 0.5).

    ```mlir
    %y = cnn.hard_sigmoid %x alpha 0.166666672 beta 5.000000e-01 : tensor<1x96x1x1xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input, F32Attr:$alpha, F32Attr:$beta);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat =
      "$input `alpha` $alpha `beta` $beta attr-dict `:` type($input)";
}

def Cnn_HardSwishOp : Cnn_Op<"hard_swish", [SameOperandsAndResultType, Elementwise]> {
  let summary = "x * max(0, min(1, x / 6 + 1/2)) (MobileNetV3)";
  let description = [{
    ```mlir
    %y = cnn.hard_swish %x : tensor<1x16x112x112xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_SiluOp : Cnn_Op<"silu", [SameOperandsAndResultType, Elementwise]> {
  let summary = "x * sigmoid(x), also called swish (EfficientNet, RegNetY)";
  let description = [{
    Exporters write it as `Mul(x, Sigmoid(x))`; `cnn-recognize-composites`
    forms this op from that pair.

    ```mlir
    %y = cnn.silu %x : tensor<1x32x112x112xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_LeakyReluOp : Cnn_Op<"leaky_relu", [SameOperandsAndResultType, Elementwise]> {
  let summary = "x if x > 0, else alpha * x (YOLO, GAN discriminators)";
  let description = [{
    ```mlir
    %y = cnn.leaky_relu %x alpha 1.000000e-01 : tensor<1x32x56x56xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input, F32Attr:$alpha);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input `alpha` $alpha attr-dict `:` type($input)";
}

def Cnn_PReluOp : Cnn_BroadcastOp<"prelu"> {
  let summary = "x if x > 0, else slope * x, with a learned slope (PReLU)";
  let description = [{
    `lhs` is the input, `rhs` the slope, broadcast to it (one per channel,
    `[1, C, 1, 1]`, or one for all). The result has the input's type.

    ```mlir
    %y = cnn.prelu %x, %slope : (tensor<1x32x56x56xf32>, tensor<1x32x1x1xf32>) -> tensor<1x32x56x56xf32>
    ```
  }];
}

def Cnn_EluOp : Cnn_Op<"elu", [SameOperandsAndResultType, Elementwise]> {
  let summary = "gamma * (x if x > 0, else alpha * (exp(x) - 1)): ELU and SELU";
  let description = [{
    ELU is `gamma` 1; SELU has `alpha` 1.6732632 and `gamma` 1.0507010.

    ```mlir
    %y = cnn.elu %x alpha 1.000000e+00 gamma 1.000000e+00 : tensor<1x32x56x56xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input, F32Attr:$alpha, F32Attr:$gamma);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat =
      "$input `alpha` $alpha `gamma` $gamma attr-dict `:` type($input)";
}

def Cnn_TanhOp : Cnn_Op<"tanh", [SameOperandsAndResultType, Elementwise]> {
  let summary = "Hyperbolic tangent";
  let description = [{
    ```mlir
    %y = cnn.tanh %x : tensor<1x3x64x64xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_SoftplusOp : Cnn_Op<"softplus", [SameOperandsAndResultType, Elementwise]> {
  let summary = "log(1 + exp(x)), computed as max(x, 0) + log1p(exp(-|x|))";
  let description = [{
    ```mlir
    %y = cnn.softplus %x : tensor<1x32x56x56xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_MishOp : Cnn_Op<"mish", [SameOperandsAndResultType, Elementwise]> {
  let summary = "x * tanh(softplus(x)) (YOLOv4, CSPNet)";
  let description = [{
    ONNX has a Mish operator from opset 18; older exports write it as
    Softplus, Tanh and Mul, which `cnn-recognize-composites` forms into
    this op.

    ```mlir
    %y = cnn.mish %x : tensor<1x32x56x56xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Cnn_MulOp : Cnn_BroadcastOp<"mul", [Commutative]> {
  let summary = "Elementwise product with broadcasting: squeeze-excitation's scale";
  let description = [{
    Operands of the same rank; each dimension is equal or 1 in one of them
    (NumPy broadcasting without rank extension). The result has the larger
    extent in each dimension.

    ```mlir
    %y = cnn.mul %x, %s : (tensor<1x96x56x56xf32>, tensor<1x96x1x1xf32>) -> tensor<1x96x56x56xf32>
    ```
  }];
}

def Cnn_ConcatOp : Cnn_InferredOp<"concat"> {
  let summary = "Concatenation along one axis: DenseNet, Inception, SqueezeNet";
  let description = [{
    All inputs have the same rank and element type and equal extents except
    along `axis` (default 1, the channels), where the result's extent is
    their sum.

    ```mlir
    %y = cnn.concat %a, %b axis 1 : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
    ```
  }];
  let arguments = (ins
    Variadic<Cnn_FloatTensor>:$inputs,
    DefaultValuedAttr<I64Attr, "1">:$axis
  );
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat =
      "$inputs (`axis` $axis^)? attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Cnn_SoftmaxOp : Cnn_Op<"softmax", [SameOperandsAndResultType]> {
  let summary = "Softmax, or its logarithm, along one axis";
  let description = [{
    `y = exp(x - max(x)) / sum(exp(x - max(x)))` along `axis` (default: the
    last one; negative values count from the end). With `log` (ONNX's
    LogSoftmax), `y = x - max(x) - log(sum(exp(x - max(x))))`, exact where
    the softmax itself would round to zero.

    ```mlir
    %y = cnn.softmax %x : tensor<1x1000xf32>
    %z = cnn.softmax %x axis 1 log : tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins
    Cnn_FloatTensor:$input,
    DefaultValuedAttr<I64Attr, "-1">:$axis,
    UnitAttr:$log
  );
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat =
      "$input (`axis` $axis^)? (`log` $log^)? attr-dict `:` type($input)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The reduction axis in [0, rank).
    int64_t getNormalizedAxis();
  }];
}

//===----------------------------------------------------------------------===//
// Pooling and reshaping
//===----------------------------------------------------------------------===//

class Cnn_Pool2DOp<string mnemonic> : Cnn_InferredOp<mnemonic> {
  let results = (outs Cnn_Tensor4D:$output);
  let hasFolder = 1;
}

def Cnn_MaxPool2DOp : Cnn_Pool2DOp<"max_pool2d"> {
  let summary = "2-D max pooling";
  let description = [{
    Max over `kernel`-sized windows; padding (`[top, left, bottom, right]`)
    never wins. With `ceil_mode` the output size rounds up, but no window
    starts in the bottom/right padding (PyTorch's rule).

    ```mlir
    %y = cnn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1]
        : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins
    Cnn_Tensor4D:$input,
    DenseI64ArrayAttr:$kernel,
    Cnn_PairDefaultOnes:$strides,
    Cnn_PaddingDefaultZeros:$padding,
    UnitAttr:$ceil_mode
  );
  let assemblyFormat = [{
    $input `kernel` $kernel (`strides` $strides^)? (`padding` $padding^)?
    (`ceil_mode` $ceil_mode^)? attr-dict `:` type($input) `->` type($output)
  }];
}

def Cnn_AvgPool2DOp : Cnn_Pool2DOp<"avg_pool2d"> {
  let summary = "2-D average pooling";
  let description = [{
    Mean over `kernel`-sized windows. With `count_include_pad` the divisor
    counts the explicit padding positions inside the window; positions that
    only `ceil_mode` adds are never counted (PyTorch's rule).

    ```mlir
    %y = cnn.avg_pool2d %x kernel [2, 2] strides [2, 2]
        : tensor<1x64x32x32xf32> -> tensor<1x64x16x16xf32>
    ```
  }];
  let arguments = (ins
    Cnn_Tensor4D:$input,
    DenseI64ArrayAttr:$kernel,
    Cnn_PairDefaultOnes:$strides,
    Cnn_PaddingDefaultZeros:$padding,
    UnitAttr:$ceil_mode,
    UnitAttr:$count_include_pad
  );
  let assemblyFormat = [{
    $input `kernel` $kernel (`strides` $strides^)? (`padding` $padding^)?
    (`ceil_mode` $ceil_mode^)? (`count_include_pad` $count_include_pad^)?
    attr-dict `:` type($input) `->` type($output)
  }];
}

def Cnn_GlobalAvgPoolOp : Cnn_InferredOp<"global_avg_pool"> {
  let summary = "Mean over the spatial dimensions, keeping them as 1x1";
  let description = [{
    ```mlir
    %y = cnn.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor4D:$input);
  let results = (outs Cnn_Tensor4D:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Cnn_FlattenOp : Cnn_InferredOp<"flatten"> {
  let summary = "Collapse into a 2-D tensor around an axis";
  let description = [{
    The dimensions before `axis` form the first result dimension, the rest
    the second (ONNX `Flatten`; default axis 1 keeps the batch).

    ```mlir
    %y = cnn.flatten %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins
    Cnn_FloatTensor:$input,
    DefaultValuedAttr<I64Attr, "1">:$axis
  );
  let results = (outs Cnn_Tensor2D:$output);
  let assemblyFormat = [{
    $input (`axis` $axis^)? attr-dict `:` type($input) `->` type($output)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Data movement: reshapes, permutes, slices and pads
//===----------------------------------------------------------------------===//

def Cnn_ReshapeOp : Cnn_Op<"reshape"> {
  let summary = "The same elements in row-major order, in another static shape";
  let description = [{
    ONNX `Reshape` of a computed tensor. Input and result have the same
    element type and number of elements; the result type gives the shape.
    `cnn-recognize-composites` turns the reshape-transpose-reshape of a
    channel shuffle into `cnn.channel_shuffle`; other reshapes are lowered
    as they are.

    ```mlir
    %y = cnn.reshape %x : tensor<1x116x28x28xf32> -> tensor<1x2x58x28x28xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Cnn_TransposeOp : Cnn_InferredOp<"transpose"> {
  let summary = "Permute the dimensions: output dimension i is input dimension perm[i]";
  let description = [{
    ONNX `Transpose` of a computed tensor (NumPy's `transpose(x, perm)`).

    ```mlir
    %y = cnn.transpose %x perm [0, 2, 1, 3, 4]
        : tensor<1x2x58x28x28xf32> -> tensor<1x58x2x28x28xf32>
    ```
  }];
  let arguments = (ins Cnn_FloatTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `perm` $perm attr-dict `:` type($input) `->` type($output)
  }];
  let hasFolder = 1;
}

def Cnn_ChannelShuffleOp : Cnn_Op<"channel_shuffle", [SameOperandsAndResultType]> {
  let summary = "Interleave the channels of `groups` groups (ShuffleNet)";
  let description = [{
    With `C` channels in `groups` groups of `C / groups`, output channel
    `i * groups + g` is input channel `g * (C / groups) + i`: the reshape to
    `[N, groups, C / groups, H, W]`, transpose of the two channel
    dimensions and reshape back of ShuffleNet, as one op.

    ```mlir
    %y = cnn.channel_shuffle %x groups 2 : tensor<1x116x28x28xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor4D:$input, I64Attr:$groups);
  let results = (outs Cnn_Tensor4D:$output);
  let assemblyFormat = "$input `groups` $groups attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Cnn_DepthToSpaceOp : Cnn_InferredOp<"depth_to_space"> {
  let summary = "Move blocks of channels into blocks of pixels (DepthToSpace, PixelShuffle)";
  let description = [{
    `[N, C * b * b, H, W] -> [N, C, H * b, W * b]` with `b` the `block`:
    output pixel `(h * b + i, w * b + j)` of channel `c` is input channel
    `(i * b + j) * C + c` (ONNX's default DCR order) or, with `crd`,
    `(c * b + i) * b + j` (PyTorch's `pixel_shuffle`) at pixel `(h, w)`.
    A transposed convolution is imported as a convolution to `b * b` times
    the channels and this op (DCR without groups: each output pixel's
    channels are contiguous in NHWC).

    ```mlir
    %y = cnn.depth_to_space %x block 2 : tensor<1x64x28x28xf32> -> tensor<1x16x56x56xf32>
    %z = cnn.depth_to_space %x block 2 crd : tensor<1x64x28x28xf32> -> tensor<1x16x56x56xf32>
    ```
  }];
  let arguments = (ins Cnn_Tensor4D:$input, I64Attr:$block, UnitAttr:$crd);
  let results = (outs Cnn_Tensor4D:$output);
  let assemblyFormat = [{
    $input `block` $block (`crd` $crd^)? attr-dict `:` type($input) `->` type($output)
  }];
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The input channel that output channel `c` at block offset `(i, j)`
    /// reads.
    int64_t getInputChannel(int64_t c, int64_t i, int64_t j);
  }];
}

def Cnn_ResizeMode : I32EnumAttr<"ResizeMode",
    "How cnn.resize interpolates", [
      I32EnumAttrCase<"Nearest", 0, "nearest">,
      I32EnumAttrCase<"Linear", 1, "linear">]> {
  let cppNamespace = "::mlir::cnn";
}

def Cnn_ResizeCoordinates : I32EnumAttr<"ResizeCoordinates",
    "Where an output pixel of cnn.resize samples its input (ONNX's "
    "coordinate_transformation_mode)", [
      I32EnumAttrCase<"HalfPixel", 0, "half_pixel">,
      I32EnumAttrCase<"PytorchHalfPixel", 1, "pytorch_half_pixel">,
      I32EnumAttrCase<"AlignCorners", 2, "align_corners">,
      I32EnumAttrCase<"Asymmetric", 3, "asymmetric">]> {
  let cppNamespace = "::mlir::cnn";
}

def Cnn_NearestRounding : I32EnumAttr<"NearestRounding",
    "How nearest-neighbour cnn.resize rounds a sampling position", [
      I32EnumAttrCase<"RoundPreferFloor", 0, "round_prefer_floor">,
      I32EnumAttrCase<"RoundPreferCeil", 1, "round_prefer_ceil">,
      I32EnumAttrCase<"Floor", 2, "floor">,
      I32EnumAttrCase<"Ceil", 3, "ceil">]> {
  let cppNamespace = "::mlir::cnn";
}

def Cnn_ResizeOp : Cnn_Op<"resize"> {
  let summary = "Nearest or bilinear resampling of H and W (ONNX Resize, Upsample)";
  let description = [{
    The result type gives the output size. Output pixel `x` of an axis
    samples input position `x_in` (ONNX's coordinate transformation, with
    `scale = scales[axis]`, else output size / input size):
    - `half_pixel`: `(x + 0.5) / scale - 0.5`;
    - `pytorch_half_pixel`: the same, but 0 for an output of size 1;
    - `align_corners`: `x * (in - 1) / (out - 1)` (0 for an output of 1);
    - `asymmetric`: `x / scale`.
    `nearest` rounds `x_in` as `nearest` says and clamps it to the input;
    `linear` clamps it to `[0, in - 1]` and blends the two neighbours on
    each axis (bilinear). FCN upsamples its logits with
    `linear coordinates half_pixel`; `nn.Upsample(scale_factor=2)` is
    `nearest coordinates asymmetric nearest floor`.

    ```mlir
    %y = cnn.resize %x linear coordinates half_pixel
        : tensor<1x21x28x28xf32> -> tensor<1x21x224x224xf32>
    ```
  }];
  let arguments = (ins
    Cnn_Tensor4D:$input,
    Cnn_ResizeMode:$mode,
    Cnn_ResizeCoordinates:$coordinates,
    DefaultValuedAttr<Cnn_NearestRounding,
                      "::mlir::cnn::NearestRounding::RoundPreferFloor">:$nearest,
    OptionalAttr<DenseF32ArrayAttr>:$scales
  );
  let results = (outs Cnn_Tensor4D:$output);
  let assemblyFormat = [{
    $input $mode `coordinates` $coordinates (`nearest` $nearest^)?
    (`scales` $scales^)? attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The scale of H (axis 0) or W (axis 1): `scales` if given, else
    /// output size / input size.
    float getScale(unsigned axis);
  }];
}

def Cnn_SliceOp : Cnn_InferredOp<"slice"> {
  let summary = "Strided slice with static bounds";
  let description = [{
    Per dimension `d`, `output[..., i, ...] = input[..., starts[d] + i *
    steps[d], ...]` for `i < sizes[d]`; every window lies inside the input.
    With a pad of the channels it forms the parameter-free shortcut of a
    CIFAR ResNet (option A: subsample by 2, zero-pad the new channels).

    ```mlir
    %y = cnn.slice %x starts [0, 0, 0, 0] sizes [1, 16, 16, 16]
        steps [1, 1, 2, 2] : tensor<1x16x32x32xf32> -> tensor<1x16x16x16xf32>
    ```
  }];
  let arguments = (ins
    Cnn_FloatTensor:$input,
    DenseI64ArrayAttr:$starts,
    DenseI64ArrayAttr:$sizes,
    DenseI64ArrayAttr:$steps
  );
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `starts` $starts `sizes` $sizes `steps` $steps attr-dict `:`
    type($input) `->` type($output)
  }];
  let hasFolder = 1;
}

def Cnn_PadOp : Cnn_InferredOp<"pad"> {
  let summary = "Constant padding of any dimension";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after dimension `d`, all
    equal to `value` (default 0).

    ```mlir
    %y = cnn.pad %x low [0, 8, 0, 0] high [0, 8, 0, 0]
        : tensor<1x16x16x16xf32> -> tensor<1x32x16x16xf32>
    ```
  }];
  let arguments = (ins
    Cnn_FloatTensor:$input,
    DenseI64ArrayAttr:$low,
    DenseI64ArrayAttr:$high,
    DefaultValuedAttr<F32Attr, "0.0">:$value
  );
  let results = (outs Cnn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `low` $low `high` $high (`value` $value^)? attr-dict `:`
    type($input) `->` type($output)
  }];
  let hasFolder = 1;
}

#endif // CNN_OPS_TD
