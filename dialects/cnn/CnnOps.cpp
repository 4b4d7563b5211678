//===- CnnOps.cpp - Shape inference and verifiers of cnn ops --------------===//
//
// Each op infers its result type from its operands and attributes; the
// inference rejects every inconsistent attribute with a message that says
// what is wrong, and the verifiers check the remaining operands.
//
//===----------------------------------------------------------------------===//

#include "cnn/CnnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::cnn;

// Custom assembly directives of the generated parsers and printers.
static ParseResult parseBroadcastTypes(OpAsmParser &parser, Type &lhs,
                                       Type &rhs, Type &result);
static void printBroadcastTypes(OpAsmPrinter &printer, Operation *, Type lhs,
                                Type rhs, Type result);

#define GET_OP_CLASSES
#include "cnn/CnnOps.cpp.inc"

// Shapes beyond this many elements are rejected: they cannot be real models
// and their products would overflow int64_t.
static constexpr int64_t kMaxElements = int64_t(1) << 40;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

int64_t mlir::cnn::windowOutputSize(int64_t inputSize, int64_t padBefore,
                                    int64_t padAfter, int64_t kernel,
                                    int64_t stride, int64_t dilation,
                                    bool ceilMode) {
  int64_t span = inputSize + padBefore + padAfter - dilation * (kernel - 1) - 1;
  int64_t outputSize =
      (ceilMode ? llvm::divideCeil(span, stride) : span / stride) + 1;
  if (ceilMode && (outputSize - 1) * stride >= inputSize + padBefore)
    --outputSize;
  return outputSize;
}

static std::string formatList(ArrayRef<int64_t> values) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(values, os);
  os << "]";
  return text;
}

/// A ranked tensor type with a static shape of a sane size, else an error.
static FailureOr<RankedTensorType>
getStaticTensorType(std::optional<Location> loc, Value value, StringRef name) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return emitOptionalError(loc, name, " must be a ranked tensor");
  if (!type.hasStaticShape())
    return emitOptionalError(loc, name, " must have a static shape, got ",
                             type);
  int64_t elements = 1;
  for (int64_t dim : type.getShape()) {
    if (dim == 0)
      return emitOptionalError(loc, name, " has an empty dimension: ", type);
    if (dim > kMaxElements / elements)
      return emitOptionalError(loc, name, " is too large: ", type);
    elements *= dim;
  }
  return type;
}

/// Checks the window attributes shared by convolutions and pooling.
static LogicalResult verifyWindow(std::optional<Location> loc,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> padding,
                                  ArrayRef<int64_t> dilations) {
  if (kernel.size() != 2 ||
      llvm::any_of(kernel, [](int64_t k) { return k <= 0; }))
    return emitOptionalError(loc, "kernel must be two positive sizes, got ",
                             formatList(kernel));
  if (strides.size() != 2 ||
      llvm::any_of(strides, [](int64_t s) { return s <= 0; }))
    return emitOptionalError(loc, "strides must be two positive values, got ",
                             formatList(strides));
  if (dilations.size() != 2 ||
      llvm::any_of(dilations, [](int64_t d) { return d <= 0; }))
    return emitOptionalError(loc, "dilations must be two positive values, got ",
                             formatList(dilations));
  if (padding.size() != 4 ||
      llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc,
                             "padding must be four non-negative values "
                             "[top, left, bottom, right], got ",
                             formatList(padding));
  if (llvm::any_of(llvm::concat<const int64_t>(kernel, strides, padding),
                   [](int64_t v) { return v > kMaxElements; }))
    return emitOptionalError(loc, "window attributes are absurdly large");
  return success();
}

/// Infers the [N, C, OH, OW] shape of a window op over an NCHW input.
static FailureOr<SmallVector<int64_t>>
inferWindowShape(std::optional<Location> loc, ArrayRef<int64_t> inputShape,
                 int64_t outChannels, ArrayRef<int64_t> kernel,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> padding,
                 ArrayRef<int64_t> dilations, bool ceilMode) {
  SmallVector<int64_t> shape = {inputShape[0], outChannels};
  for (int dim = 0; dim < 2; ++dim) {
    int64_t extent = inputShape[2 + dim];
    int64_t padded = extent + padding[dim] + padding[dim + 2];
    int64_t effectiveKernel = dilations[dim] * (kernel[dim] - 1) + 1;
    if (effectiveKernel > padded)
      return emitOptionalError(loc, "kernel ", formatList(kernel),
                               " (dilated to ", effectiveKernel,
                               ") is larger than the padded input ",
                               dim == 0 ? "height" : "width", " ", padded);
    shape.push_back(windowOutputSize(extent, padding[dim], padding[dim + 2],
                                     kernel[dim], strides[dim], dilations[dim],
                                     ceilMode));
  }
  return shape;
}

/// Runs the op's type inference to report inconsistent attributes.
template <typename OpTy> static LogicalResult verifyInference(OpTy op) {
  SmallVector<Type> types;
  if (failed(OpTy::inferReturnTypes(op.getContext(), op.getLoc(),
                                    typename OpTy::Adaptor(op), types)))
    return failure();
  if (types.front() != op.getType())
    return op.emitOpError("result type ")
           << op.getType() << " does not match the inferred type "
           << types.front();
  return success();
}

static LogicalResult verifySameElementType(Operation *op) {
  Type elementType = getElementTypeOrSelf(op->getOperand(0).getType());
  for (Value operand : op->getOperands())
    if (getElementTypeOrSelf(operand.getType()) != elementType)
      return op->emitOpError("operands must share one element type, got ")
             << elementType << " and "
             << getElementTypeOrSelf(operand.getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  auto filterType = getStaticTensorType(loc, adaptor.getFilter(), "filter");
  if (failed(inputType) || failed(filterType))
    return failure();
  ArrayRef<int64_t> input = inputType->getShape();
  ArrayRef<int64_t> filter = filterType->getShape();
  if (input.size() != 4 || filter.size() != 4)
    return emitOptionalError(loc, "input and filter must have rank 4");
  int64_t groups = adaptor.getGroups();
  if (groups <= 0)
    return emitOptionalError(loc, "groups must be positive, got ", groups);
  if (input[1] % groups != 0)
    return emitOptionalError(loc, "input channels (", input[1],
                             ") are not divisible by groups (", groups, ")");
  if (filter[0] % groups != 0)
    return emitOptionalError(loc, "output channels (", filter[0],
                             ") are not divisible by groups (", groups, ")");
  if (filter[1] * groups != input[1])
    return emitOptionalError(loc, "filter expects ", filter[1] * groups,
                             " input channels (", filter[1], " per group x ",
                             groups, " groups) but the input has ", input[1]);
  SmallVector<int64_t> kernel = {filter[2], filter[3]};
  if (failed(verifyWindow(loc, kernel, adaptor.getStrides(),
                          adaptor.getPadding(), adaptor.getDilations())))
    return failure();
  auto shape = inferWindowShape(loc, input, filter[0], kernel,
                                adaptor.getStrides(), adaptor.getPadding(),
                                adaptor.getDilations(), /*ceilMode=*/false);
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, inputType->getElementType()));
  return success();
}

LogicalResult Conv2DOp::verify() {
  if (failed(verifyInference(*this)))
    return failure();
  int64_t outChannels = getFilter().getType().getDimSize(0);
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getDimSize(0) != outChannels)
      return emitOpError("bias has ")
             << biasType.getDimSize(0) << " elements but the convolution has "
             << outChannels << " output channels";
  }
  if (Value residual = getResidual())
    if (residual.getType() != getType())
      return emitOpError("residual type ")
             << residual.getType() << " does not match the result type "
             << getType();
  if (Value scale = getInputScale()) {
    ArrayRef<int64_t> input = getInput().getType().getShape();
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(scale.getType()).getShape();
    if (shape[0] != input[0] || shape[1] != input[1] || shape[2] != 1 ||
        shape[3] != 1)
      return emitOpError("input_scale must be [")
             << input[0] << ", " << input[1] << ", 1, 1] (one factor per "
             << "image and input channel), got " << scale.getType();
    if (getGroups() != 1)
      return emitOpError("input_scale needs an ungrouped convolution, got ")
             << getGroups() << " groups";
  }
  if (getRelu() && getActivation())
    return emitOpError("applies either relu or an activation, not both");
  return verifySameElementType(*this);
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  auto weightType = getStaticTensorType(loc, adaptor.getWeight(), "weight");
  if (failed(inputType) || failed(weightType))
    return failure();
  if (inputType->getRank() != 2 || weightType->getRank() != 2)
    return emitOptionalError(loc, "input and weight must have rank 2");
  int64_t features = inputType->getDimSize(1);
  if (weightType->getDimSize(1) != features)
    return emitOptionalError(loc, "weight ", *weightType, " expects ",
                             weightType->getDimSize(1),
                             " input features but the input has ", features);
  results.push_back(RankedTensorType::get(
      {inputType->getDimSize(0), weightType->getDimSize(0)},
      inputType->getElementType()));
  return success();
}

LogicalResult LinearOp::verify() {
  if (failed(verifyInference(*this)))
    return failure();
  if (Value bias = getBias()) {
    int64_t outFeatures = getWeight().getType().getDimSize(0);
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getDimSize(0) != outFeatures)
      return emitOpError("bias has ")
             << biasType.getDimSize(0) << " elements but the layer has "
             << outFeatures << " output features";
  }
  return verifySameElementType(*this);
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  if (inputType->getRank() < 2)
    return emitOptionalError(loc, "input must have a channel dimension, got ",
                             *inputType);
  results.push_back(*inputType);
  return success();
}

LogicalResult BatchNormOp::verify() {
  if (failed(verifyInference(*this)))
    return failure();
  int64_t channels = getInput().getType().getDimSize(1);
  static constexpr StringLiteral kNames[] = {"scale", "shift", "mean",
                                             "variance"};
  Value parameters[] = {getScale(), getShift(), getMean(), getVariance()};
  for (auto [name, value] : llvm::zip_equal(kNames, parameters)) {
    int64_t size = cast<RankedTensorType>(value.getType()).getDimSize(0);
    if (size != channels)
      return emitOpError() << name << " has " << size
                           << " elements but the input has " << channels
                           << " channels";
  }
  float epsilon = getEpsilon().convertToFloat();
  if (!(epsilon >= 0.0f) || std::isinf(epsilon))
    return emitOpError("epsilon must be finite and non-negative, got ")
           << epsilon;
  return verifySameElementType(*this);
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

int64_t SoftmaxOp::getNormalizedAxis() {
  int64_t rank = getInput().getType().getRank();
  int64_t axis = getAxis();
  return axis < 0 ? axis + rank : axis;
}

LogicalResult SoftmaxOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getInput().getType());
  if (!type || type.getRank() == 0)
    return emitOpError("input must be a ranked tensor of rank >= 1");
  int64_t axis = getNormalizedAxis();
  if (axis < 0 || axis >= type.getRank())
    return emitOpError("axis ")
           << getAxis() << " is out of range for rank " << type.getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <typename Adaptor>
static LogicalResult inferPoolType(std::optional<Location> loc, Adaptor adaptor,
                                   bool ceilMode,
                                   SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  if (inputType->getRank() != 4)
    return emitOptionalError(loc, "input must have rank 4");
  ArrayRef<int64_t> kernel = adaptor.getKernel();
  ArrayRef<int64_t> padding = adaptor.getPadding();
  SmallVector<int64_t> dilations = {1, 1};
  if (failed(
          verifyWindow(loc, kernel, adaptor.getStrides(), padding, dilations)))
    return failure();
  // A window lying entirely in the padding would have nothing to pool.
  for (int dim = 0; dim < 2; ++dim)
    if (padding[dim] >= kernel[dim] || padding[dim + 2] >= kernel[dim])
      return emitOptionalError(loc, "padding ", formatList(padding),
                               " must be smaller than the kernel ",
                               formatList(kernel));
  auto shape = inferWindowShape(
      loc, inputType->getShape(), inputType->getDimSize(1), kernel,
      adaptor.getStrides(), padding, dilations, ceilMode);
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, inputType->getElementType()));
  return success();
}

LogicalResult MaxPool2DOp::verify() { return verifyInference(*this); }

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferPoolType(loc, adaptor, adaptor.getCeilMode(), results);
}

LogicalResult AvgPool2DOp::verify() { return verifyInference(*this); }

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferPoolType(loc, adaptor, adaptor.getCeilMode(), results);
}

LogicalResult GlobalAvgPoolOp::verify() { return verifyInference(*this); }

LogicalResult
GlobalAvgPoolOp::inferReturnTypes(MLIRContext *context,
                                  std::optional<Location> loc, Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  if (inputType->getRank() != 4)
    return emitOptionalError(loc, "input must have rank 4");
  results.push_back(RankedTensorType::get(
      {inputType->getDimSize(0), inputType->getDimSize(1), 1, 1},
      inputType->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::verify() { return verifyInference(*this); }

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  int64_t rank = inputType->getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < 0)
    axis += rank;
  if (rank == 0 || axis < 0 || axis > rank)
    return emitOptionalError(loc, "axis ", adaptor.getAxis(),
                             " is out of range for rank ", rank);
  ArrayRef<int64_t> shape = inputType->getShape();
  int64_t outer = 1, inner = 1;
  for (int64_t dim : shape.take_front(axis))
    outer *= dim;
  for (int64_t dim : shape.drop_front(axis))
    inner *= dim;
  results.push_back(
      RankedTensorType::get({outer, inner}, inputType->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// SliceOp and PadOp
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::verify() { return verifyInference(*this); }

LogicalResult SliceOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  ArrayRef<int64_t> shape = inputType->getShape();
  ArrayRef<int64_t> starts = adaptor.getStarts(), sizes = adaptor.getSizes(),
                    steps = adaptor.getSteps();
  size_t rank = shape.size();
  if (starts.size() != rank || sizes.size() != rank || steps.size() != rank)
    return emitOptionalError(loc, "starts, sizes and steps need ", rank,
                             " values each (the input's rank), got ",
                             formatList(starts), ", ", formatList(sizes),
                             " and ", formatList(steps));
  for (size_t d = 0; d < rank; ++d) {
    if (steps[d] <= 0 || sizes[d] <= 0 || starts[d] < 0)
      return emitOptionalError(loc, "dimension ", d,
                               ": start must be non-negative and size and "
                               "step positive, got start ",
                               starts[d], ", size ", sizes[d], ", step ",
                               steps[d]);
    // The last element read, without overflow: start + (size - 1) * step.
    if (starts[d] >= shape[d] ||
        (sizes[d] - 1) > (shape[d] - 1 - starts[d]) / steps[d])
      return emitOptionalError(loc, "dimension ", d, ": ", sizes[d],
                               " elements from ", starts[d], " by ", steps[d],
                               " do not fit in ", shape[d]);
  }
  results.push_back(RankedTensorType::get(sizes, inputType->getElementType()));
  return success();
}

LogicalResult PadOp::verify() { return verifyInference(*this); }

LogicalResult PadOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  ArrayRef<int64_t> shape = inputType->getShape();
  ArrayRef<int64_t> low = adaptor.getLow(), high = adaptor.getHigh();
  if (low.size() != shape.size() || high.size() != shape.size())
    return emitOptionalError(loc, "low and high need ", shape.size(),
                             " values each (the input's rank), got ",
                             formatList(low), " and ", formatList(high));
  SmallVector<int64_t> padded;
  int64_t elements = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (low[d] < 0 || high[d] < 0)
      return emitOptionalError(loc, "padding must be non-negative, got low ",
                               formatList(low), " and high ", formatList(high));
    if (low[d] > kMaxElements || high[d] > kMaxElements ||
        shape[d] + low[d] + high[d] > kMaxElements / elements)
      return emitOptionalError(loc, "the padded tensor is too large");
    padded.push_back(shape[d] + low[d] + high[d]);
    elements *= padded.back();
  }
  results.push_back(RankedTensorType::get(padded, inputType->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ReshapeOp, TransposeOp and ChannelShuffleOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto input = getStaticTensorType(getLoc(), getInput(), "input");
  auto output = getStaticTensorType(getLoc(), getOutput(), "result");
  if (failed(input) || failed(output))
    return failure();
  if (input->getElementType() != output->getElementType())
    return emitOpError("changes the element type from ")
           << input->getElementType() << " to " << output->getElementType();
  if (input->getNumElements() != output->getNumElements())
    return emitOpError("cannot reshape ")
           << *input << " (" << input->getNumElements() << " elements) to "
           << *output << " (" << output->getNumElements() << " elements)";
  return success();
}

LogicalResult TransposeOp::verify() { return verifyInference(*this); }

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = inputType->getRank();
  SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t d : perm) {
    if (!valid || d < 0 || d >= rank || seen[d]) {
      valid = false;
      break;
    }
    seen[d] = true;
  }
  if (!valid)
    return emitOptionalError(loc, "perm ", formatList(perm),
                             " is not a permutation of the ", rank,
                             " dimensions of ", *inputType);
  SmallVector<int64_t> shape;
  for (int64_t d : perm)
    shape.push_back(inputType->getDimSize(d));
  results.push_back(RankedTensorType::get(shape, inputType->getElementType()));
  return success();
}

LogicalResult ResizeOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> out = getType().getShape();
  if (in[0] != out[0] || in[1] != out[1])
    return emitOpError("resizes H and W only, but the batch or channels "
                       "change from ")
           << getInput().getType() << " to " << getType();
  if (std::optional<ArrayRef<float>> scales = getScales()) {
    if (scales->size() != 2)
      return emitOpError("scales needs 2 values (H and W), got ")
             << scales->size();
    for (unsigned axis = 0; axis < 2; ++axis) {
      float scale = (*scales)[axis];
      if (!(scale > 0.0f) || !std::isfinite(scale))
        return emitOpError("scales must be positive, got ") << scale;
      // ONNX: output size = floor(input size * scale).
      double expected = std::floor(double(in[2 + axis]) * scale);
      if (expected != double(out[2 + axis]))
        return emitOpError("scale ")
               << scale << " of " << (axis ? "W" : "H") << " gives "
               << static_cast<int64_t>(expected) << " from " << in[2 + axis]
               << ", not " << out[2 + axis];
    }
  }
  return success();
}

float ResizeOp::getScale(unsigned axis) {
  if (std::optional<ArrayRef<float>> scales = getScales())
    return (*scales)[axis];
  return float(getType().getDimSize(2 + axis)) /
         float(getInput().getType().getDimSize(2 + axis));
}

LogicalResult ChannelShuffleOp::verify() {
  int64_t groups = static_cast<int64_t>(getGroups());
  int64_t channels = getInput().getType().getDimSize(1);
  if (groups < 1 || ShapedType::isDynamic(channels) || channels % groups != 0)
    return emitOpError("groups ")
           << groups << " must be positive and divide the " << channels
           << " channels";
  return success();
}

LogicalResult DepthToSpaceOp::verify() { return verifyInference(*this); }

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  int64_t block = static_cast<int64_t>(adaptor.getBlock());
  ArrayRef<int64_t> shape = inputType->getShape();
  if (block < 1 || block > shape[1] || shape[1] % (block * block) != 0)
    return emitOptionalError(loc, "block ", block,
                             " must be positive and its square divide the ",
                             shape[1], " channels");
  results.push_back(RankedTensorType::get({shape[0], shape[1] / (block * block),
                                           shape[2] * block, shape[3] * block},
                                          inputType->getElementType()));
  return success();
}

int64_t DepthToSpaceOp::getInputChannel(int64_t c, int64_t i, int64_t j) {
  int64_t block = static_cast<int64_t>(getBlock());
  if (getCrd())
    return (c * block + i) * block + j;
  return (i * block + j) * getType().getDimSize(1) + c;
}

//===----------------------------------------------------------------------===//
// Activations, broadcast product, concatenation
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError("min ")
           << getMin().convertToFloat() << " is greater than max "
           << getMax().convertToFloat();
  return success();
}

/// The broadcast result of two operands of one rank: each dimension equal
/// or 1 in one of them.
static LogicalResult inferBroadcastType(std::optional<Location> loc,
                                        Value lhsValue, Value rhsValue,
                                        SmallVectorImpl<Type> &results) {
  auto lhs = getStaticTensorType(loc, lhsValue, "lhs");
  auto rhs = getStaticTensorType(loc, rhsValue, "rhs");
  if (failed(lhs) || failed(rhs))
    return failure();
  if (lhs->getRank() != rhs->getRank())
    return emitOptionalError(loc, "operands must have the same rank, got ",
                             *lhs, " and ", *rhs);
  SmallVector<int64_t> shape;
  for (auto [a, b] : llvm::zip_equal(lhs->getShape(), rhs->getShape())) {
    if (a != b && a != 1 && b != 1)
      return emitOptionalError(loc, "operands do not broadcast: ", *lhs,
                               " and ", *rhs);
    shape.push_back(std::max(a, b));
  }
  results.push_back(RankedTensorType::get(shape, lhs->getElementType()));
  return success();
}

#define CNN_BROADCAST_OP(OpTy)                                                 \
  LogicalResult OpTy::verify() {                                               \
    if (failed(verifySameElementType(*this)))                                  \
      return failure();                                                        \
    return verifyInference(*this);                                             \
  }                                                                            \
  LogicalResult OpTy::inferReturnTypes(                                        \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &results) {                                        \
    return inferBroadcastType(loc, adaptor.getLhs(), adaptor.getRhs(),         \
                              results);                                        \
  }
CNN_BROADCAST_OP(AddOp)
CNN_BROADCAST_OP(SubOp)
CNN_BROADCAST_OP(MulOp)
CNN_BROADCAST_OP(DivOp)
#undef CNN_BROADCAST_OP

LogicalResult PReluOp::verify() {
  if (failed(verifySameElementType(*this)) || failed(verifyInference(*this)))
    return failure();
  if (getLhs().getType() != getType())
    return emitOpError("slope ")
           << getRhs().getType() << " does not broadcast to the input "
           << getLhs().getType() << " without enlarging it";
  return success();
}

LogicalResult PReluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  return inferBroadcastType(loc, adaptor.getLhs(), adaptor.getRhs(), results);
}

/// `: T` when both operands and the result have type T, else
/// `: (T1, T2) -> T3`.
static ParseResult parseBroadcastTypes(OpAsmParser &parser, Type &lhs,
                                       Type &rhs, Type &result) {
  if (succeeded(parser.parseOptionalLParen())) {
    if (parser.parseType(lhs) || parser.parseComma() || parser.parseType(rhs) ||
        parser.parseRParen() || parser.parseArrow() || parser.parseType(result))
      return failure();
    return success();
  }
  if (parser.parseType(lhs))
    return failure();
  rhs = result = lhs;
  return success();
}

static void printBroadcastTypes(OpAsmPrinter &printer, Operation *, Type lhs,
                                Type rhs, Type result) {
  if (lhs == rhs && rhs == result) {
    printer << lhs;
    return;
  }
  printer << "(" << lhs << ", " << rhs << ") -> " << result;
}

LogicalResult ReduceMeanOp::verify() { return verifyInference(*this); }

LogicalResult ReduceMeanOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  auto inputType = getStaticTensorType(loc, adaptor.getInput(), "input");
  if (failed(inputType))
    return failure();
  SmallVector<int64_t> shape(inputType->getShape());
  SmallVector<bool> seen(shape.size(), false);
  for (int64_t axis : adaptor.getAxes()) {
    if (axis < 0 || axis >= inputType->getRank() || seen[axis])
      return emitOptionalError(loc, "axes ", formatList(adaptor.getAxes()),
                               " must be distinct dimensions of ", *inputType);
    seen[axis] = true;
    shape[axis] = 1;
  }
  results.push_back(RankedTensorType::get(shape, inputType->getElementType()));
  return success();
}

LogicalResult LayerNormOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getInput().getType());
  if (!type)
    return emitOpError("input must be a ranked tensor");
  int64_t axis = getAxis();
  if (axis < 0 || axis >= type.getRank())
    return emitOpError("axis ") << axis << " is out of range for " << type;
  if (getType() != type)
    return emitOpError("result type ")
           << getType() << " differs from the input's " << type;
  int64_t extent = type.getDimSize(axis);
  for (Value param : {getScale(), getBias()})
    if (cast<RankedTensorType>(param.getType()).getDimSize(0) != extent)
      return emitOpError("scale and bias need ")
             << extent << " values (dimension " << axis << " of " << type
             << "), got " << param.getType();
  if (!(getEpsilon().convertToFloat() >= 0.0f))
    return emitOpError("epsilon must be non-negative");
  return verifySameElementType(*this);
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  if (failed(verifySameElementType(*this)))
    return failure();
  return verifyInference(*this);
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "needs at least one input");
  auto first = getStaticTensorType(loc, adaptor.getInputs().front(), "input");
  if (failed(first))
    return failure();
  int64_t rank = first->getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= rank)
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             rank);
  SmallVector<int64_t> shape(first->getShape());
  shape[axis] = 0;
  for (Value input : adaptor.getInputs()) {
    auto type = getStaticTensorType(loc, input, "input");
    if (failed(type))
      return failure();
    if (type->getRank() != rank)
      return emitOptionalError(loc, "inputs must have the same rank, got ",
                               *first, " and ", *type);
    for (int64_t dim = 0; dim < rank; ++dim)
      if (dim != axis && type->getDimSize(dim) != first->getDimSize(dim))
        return emitOptionalError(loc, "inputs differ outside axis ", axis, ": ",
                                 *first, " and ", *type);
    shape[axis] += type->getDimSize(axis);
    if (shape[axis] > kMaxElements)
      return emitOptionalError(loc, "result is too large");
  }
  results.push_back(RankedTensorType::get(shape, first->getElementType()));
  return success();
}
