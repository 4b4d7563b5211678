//===- OnnxImporter.cpp - ONNX models into the cnn dialect ----------------===//
//
// Walks the ONNX graph in its (topological) node order, mapping tensor names
// to SSA values. Initializers and Constant nodes become `arith.constant`
// tensors created where they are first used; shape operands (Reshape) are
// read at import time. Each node becomes one cnn op (or none: Identity,
// Dropout); shapes are inferred by the ops themselves, so an inconsistent
// model is reported by the op's own checks, located at the node.
//
//===----------------------------------------------------------------------===//

#include "Import/OnnxImporter.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <onnx/onnx_pb.h>

using namespace mlir;
using namespace mlir::cnn;

namespace {

/// Oldest and newest default-domain opsets whose semantics we implement.
constexpr int64_t kMinOpset = 7;
constexpr int64_t kMaxOpset = 22;
/// Larger tensors cannot be real models; refuse them before allocating.
constexpr uint64_t kMaxTensorBytes = uint64_t(16) << 30;
/// Most inputs or outputs of a model (the C ABI's CNNRT_MAX_TENSORS).
constexpr size_t kMaxTensors = 16;
/// The ONNX name of a model input or output, on the function's arguments
/// and results (cnn-export-c-abi gives it to the C ABI).
constexpr llvm::StringLiteral kNameAttr = "cnn.name";

/// A constant known at import time: its attribute and, once materialized,
/// its SSA value.
struct Constant {
  DenseElementsAttr attr;
  Value value;
};

class OnnxImporter {
public:
  OnnxImporter(MLIRContext *context, StringRef path,
               const OnnxImportOptions &options)
      : context(context), path(path), options(options), builder(context),
        fileLoc(FileLineColLoc::get(context, path, 0, 0)) {}

  /// Reads the file at `path`, then imports it.
  OwningOpRef<ModuleOp> run();
  /// Imports the serialized model `bytes`; `path` names it in diagnostics
  /// and locates external data.
  OwningOpRef<ModuleOp> run(StringRef bytes);

private:
  // Diagnostics.
  InFlightDiagnostic error() { return emitError(fileLoc); }
  Location nodeLoc(const onnx::NodeProto &node, int index) {
    std::string name =
        node.name().empty() ? fmt::format("#{}", index) : node.name();
    return NameLoc::get(StringAttr::get(context, name), fileLoc);
  }

  /// The type of a model input: float32, its symbolic batch as
  /// options.batch (else 1), --input-shape applied.
  std::optional<RankedTensorType>
  importInputType(const onnx::ValueInfoProto &input);

  // Tensors and attributes.
  FailureOr<DenseElementsAttr> readTensor(const onnx::TensorProto &tensor);
  FailureOr<Value> getValue(const onnx::NodeProto &node, int operand);
  Value getOptionalValue(const onnx::NodeProto &node, int operand);
  DenseElementsAttr getConstantAttr(const onnx::NodeProto &node, int operand);
  void define(const onnx::NodeProto &node, Value value);

  // Nodes.
  LogicalResult importNode(const onnx::NodeProto &node, Location loc);
  LogicalResult importConv(const onnx::NodeProto &node, Location loc);
  LogicalResult importPool(const onnx::NodeProto &node, Location loc,
                           bool isMax);
  LogicalResult importGemm(const onnx::NodeProto &node, Location loc,
                           bool isMatMul);
  LogicalResult importReshape(const onnx::NodeProto &node, Location loc);
  LogicalResult importAdd(const onnx::NodeProto &node, Location loc);
  /// Sub, Mul, Div (and Add) with ONNX broadcasting.
  template <typename OpTy>
  LogicalResult importBroadcast(const onnx::NodeProto &node, Location loc);
  LogicalResult importPRelu(const onnx::NodeProto &node, Location loc);
  LogicalResult importSqueeze(const onnx::NodeProto &node, Location loc);
  /// The two operands of a binary node at one rank: the lower-rank one
  /// gets leading extent-1 dimensions, as ONNX's broadcasting does.
  FailureOr<std::pair<Value, Value>>
  getBroadcastOperands(const onnx::NodeProto &node, Location loc);
  LogicalResult importPow(const onnx::NodeProto &node, Location loc);
  LogicalResult importLayerNorm(const onnx::NodeProto &node, Location loc);
  LogicalResult importInstanceNorm(const onnx::NodeProto &node, Location loc);
  LogicalResult importConvTranspose(const onnx::NodeProto &node, Location loc);
  LogicalResult importSlice(const onnx::NodeProto &node, Location loc);
  /// Split: one cnn.slice per output.
  LogicalResult importSplit(const onnx::NodeProto &node, Location loc);
  LogicalResult importPad(const onnx::NodeProto &node, Location loc);
  LogicalResult importClip(const onnx::NodeProto &node, Location loc);
  LogicalResult importConcat(const onnx::NodeProto &node, Location loc);
  LogicalResult importReduceMean(const onnx::NodeProto &node, Location loc);
  LogicalResult importResize(const onnx::NodeProto &node, Location loc);
  /// Evaluates a shape-arithmetic node whose inputs are constants (or, for
  /// Shape, of static shape) into a constant: true if it did.
  FailureOr<bool> foldConstantNode(const onnx::NodeProto &node, Location loc);
  /// The int64 values of operand `operand` (opset >= 10/11 form) or else of
  /// attribute `name` (older opsets); `fallback` if neither is present.
  FailureOr<SmallVector<int64_t>>
  getIntsInput(const onnx::NodeProto &node, int operand, StringRef name,
               std::optional<SmallVector<int64_t>> fallback);

  MLIRContext *context;
  std::string path;
  const OnnxImportOptions &options;
  OpBuilder builder;
  Location fileLoc;
  int64_t opset = 0;
  onnx::ModelProto model;
  llvm::StringMap<Value> values;
  llvm::StringMap<Constant> constants;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  /// How many node inputs and graph outputs read each tensor name.
  llvm::StringMap<int> readers;
  Location currentLoc = fileLoc;
};

/// The operators of the default domain importNode knows.
const llvm::StringSet<> kSupportedOperators = {
    "AveragePool", "Add", "BatchNormalization", "Clip", "Concat", "Constant",
    "Conv", "Div", "Dropout", "Erf", "Flatten", "Gemm", "GlobalAveragePool",
    "HardSigmoid", "HardSwish", "Identity", "LayerNormalization", "MatMul",
    "MaxPool", "Mul", "Pad", "Pow", "ReduceMean", "Sqrt", "Sub", "Relu",
    "Reshape", "Resize", "Sigmoid", "Slice", "Softmax", "Split", "Transpose",
    "Upsample", "LeakyRelu", "PRelu", "Elu", "Selu", "Tanh", "Softplus", "Mish",
    "InstanceNormalization", "ConvTranspose", "DepthToSpace", "LogSoftmax",
    // Evaluated at import when their inputs are constants (shape
    // arithmetic of exported models).
    "Shape", "Gather", "Unsqueeze", "Squeeze", "ConstantOfShape", "Cast",
    "Range", "Expand", "Equal", "Where", "Neg"};

//===----------------------------------------------------------------------===//
// Attribute helpers
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t getInt(const onnx::NodeProto &node, StringRef name, int64_t fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : fallback;
}

float getFloat(const onnx::NodeProto &node, StringRef name, float fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->f() : fallback;
}

SmallVector<int64_t> getInts(const onnx::NodeProto &node, StringRef name,
                             ArrayRef<int64_t> fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return SmallVector<int64_t>(fallback);
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::string getString(const onnx::NodeProto &node, StringRef name,
                      StringRef fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->s() : fallback.str();
}

std::string formatList(ArrayRef<int64_t> values) {
  return fmt::format("[{}]", fmt::join(values, ", "));
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

FailureOr<DenseElementsAttr>
OnnxImporter::readTensor(const onnx::TensorProto &tensor) {
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  uint64_t elements = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || (dim > 0 && elements > kMaxTensorBytes / dim))
      return error() << "tensor '" << tensor.name() << "' has an invalid shape "
                     << formatList(shape);
    elements *= dim;
  }
  // Float tensors become f32 (float64: shape arithmetic of old exports,
  // which casts such constants to int64), integer and bool ones i64.
  size_t elementSize;
  bool isFloat = false;
  switch (tensor.data_type()) {
  case onnx::TensorProto_DataType_FLOAT:
    elementSize = 4;
    isFloat = true;
    break;
  case onnx::TensorProto_DataType_DOUBLE:
    elementSize = 8;
    isFloat = true;
    break;
  case onnx::TensorProto_DataType_INT64:
  case onnx::TensorProto_DataType_UINT64:
    elementSize = 8;
    break;
  case onnx::TensorProto_DataType_INT32:
  case onnx::TensorProto_DataType_UINT32:
    elementSize = 4;
    break;
  case onnx::TensorProto_DataType_INT16:
  case onnx::TensorProto_DataType_UINT16:
    elementSize = 2;
    break;
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_UINT8:
  case onnx::TensorProto_DataType_BOOL:
    elementSize = 1;
    break;
  default:
    return error() << "tensor '" << tensor.name() << "' has data type "
                   << tensor.data_type() << " ("
                   << onnx::TensorProto_DataType_Name(
                          static_cast<onnx::TensorProto_DataType>(
                              tensor.data_type()))
                   << "); supported: float32, float64 (read as float32), "
                      "integers and bool (read as int64)";
  }
  uint64_t bytes = elements * elementSize;
  if (bytes > kMaxTensorBytes)
    return error() << "tensor '" << tensor.name() << "' is absurdly large ("
                   << bytes << " bytes)";
  auto type = RankedTensorType::get(
      shape, isFloat ? Type(builder.getF32Type()) : Type(builder.getI64Type()));

  std::string external;
  ArrayRef<char> raw;
  if (tensor.data_location() == onnx::TensorProto_DataLocation_EXTERNAL) {
    std::string location;
    uint64_t offset = 0;
    std::optional<uint64_t> length;
    for (const auto &entry : tensor.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset")
        offset = std::strtoull(entry.value().c_str(), nullptr, 10);
      else if (entry.key() == "length")
        length = std::strtoull(entry.value().c_str(), nullptr, 10);
    }
    if (location.empty() || llvm::sys::path::is_absolute(location) ||
        StringRef(location).contains(".."))
      return error() << "tensor '" << tensor.name()
                     << "' has an invalid external data location '" << location
                     << "'";
    SmallString<256> dataPath(llvm::sys::path::parent_path(path));
    llvm::sys::path::append(dataPath, location);
    uint64_t fileSize = 0;
    if (!llvm::sys::fs::file_size(dataPath, fileSize) &&
        offset + length.value_or(bytes) > fileSize)
      return error() << "external data of tensor '" << tensor.name()
                     << "' ends before the tensor does: '" << dataPath
                     << "' has " << fileSize << " bytes, the tensor needs "
                     << length.value_or(bytes) << " at offset " << offset;
    auto file = llvm::MemoryBuffer::getFileSlice(
        dataPath, length.value_or(bytes), offset, /*IsVolatile=*/false);
    if (!file)
      return error() << "cannot read external data of tensor '" << tensor.name()
                     << "' from '" << dataPath
                     << "': " << file.getError().message();
    external = (*file)->getBuffer().str();
    raw = ArrayRef<char>(external.data(), external.size());
  } else if (!tensor.raw_data().empty() || elements == 0) {
    raw = ArrayRef<char>(tensor.raw_data().data(), tensor.raw_data().size());
  }
  if (!raw.empty() || elements == 0) {
    if (raw.size() != bytes)
      return error() << "tensor '" << tensor.name() << "' holds " << raw.size()
                     << " bytes of data but its shape " << formatList(shape)
                     << " needs " << bytes;
  } else {
    // The typed fields: float_data, double_data, int64_data, uint64_data,
    // and int32_data for the integer types of 32 bits and less.
    int64_t count;
    switch (tensor.data_type()) {
    case onnx::TensorProto_DataType_FLOAT:
      count = tensor.float_data_size();
      break;
    case onnx::TensorProto_DataType_DOUBLE:
      count = tensor.double_data_size();
      break;
    case onnx::TensorProto_DataType_INT64:
      count = tensor.int64_data_size();
      break;
    case onnx::TensorProto_DataType_UINT64:
    case onnx::TensorProto_DataType_UINT32:
      count = tensor.uint64_data_size();
      break;
    default:
      count = tensor.int32_data_size();
      break;
    }
    if (static_cast<uint64_t>(count) != elements)
      return error() << "tensor '" << tensor.name() << "' holds " << count
                     << " values but its shape " << formatList(shape)
                     << " needs " << elements;
  }
  if (tensor.data_type() == onnx::TensorProto_DataType_FLOAT) {
    if (!raw.empty() || elements == 0)
      return DenseElementsAttr::getFromRawBuffer(type, raw);
    return DenseElementsAttr::get(
        type, ArrayRef<float>(tensor.float_data().data(), elements));
  }
  if (tensor.data_type() == onnx::TensorProto_DataType_INT64) {
    if (!raw.empty() || elements == 0)
      return DenseElementsAttr::getFromRawBuffer(type, raw);
    return DenseElementsAttr::get(
        type, ArrayRef<int64_t>(tensor.int64_data().data(), elements));
  }
  // The other types element by element, from the raw little-endian bytes
  // or the typed field.
  bool fromRaw = !raw.empty();
  auto rawElement = [&](uint64_t i, auto sample) {
    decltype(sample) value;
    std::memcpy(&value, raw.data() + i * sizeof(value), sizeof(value));
    return value;
  };
  if (isFloat) { // float64
    SmallVector<float> values;
    values.reserve(elements);
    for (uint64_t i = 0; i < elements; ++i)
      values.push_back(static_cast<float>(fromRaw ? rawElement(i, double())
                                                  : tensor.double_data(i)));
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  }
  auto intElement = [&](uint64_t i) -> int64_t {
    switch (tensor.data_type()) {
    case onnx::TensorProto_DataType_UINT64:
      return static_cast<int64_t>(fromRaw ? rawElement(i, uint64_t())
                                          : tensor.uint64_data(i));
    case onnx::TensorProto_DataType_UINT32:
      return fromRaw ? rawElement(i, uint32_t())
                     : static_cast<int64_t>(tensor.uint64_data(i));
    case onnx::TensorProto_DataType_INT32:
      return fromRaw ? rawElement(i, int32_t()) : tensor.int32_data(i);
    case onnx::TensorProto_DataType_INT16:
      return fromRaw ? rawElement(i, int16_t()) : tensor.int32_data(i);
    case onnx::TensorProto_DataType_UINT16:
      return fromRaw ? rawElement(i, uint16_t()) : tensor.int32_data(i);
    case onnx::TensorProto_DataType_INT8:
      return fromRaw ? rawElement(i, int8_t()) : tensor.int32_data(i);
    default: // uint8, bool
      return fromRaw ? rawElement(i, uint8_t()) : tensor.int32_data(i);
    }
  };
  SmallVector<int64_t> values;
  values.reserve(elements);
  for (uint64_t i = 0; i < elements; ++i)
    values.push_back(intElement(i));
  return DenseElementsAttr::get(type, ArrayRef<int64_t>(values));
}

/// The constant behind a node operand (initializer or Constant node), if any.
DenseElementsAttr OnnxImporter::getConstantAttr(const onnx::NodeProto &node,
                                                int operand) {
  if (operand >= node.input_size())
    return {};
  auto it = constants.find(node.input(operand));
  if (it != constants.end())
    return it->second.attr;
  auto init = initializers.find(node.input(operand));
  if (init == initializers.end())
    return {};
  FailureOr<DenseElementsAttr> attr = readTensor(*init->second);
  if (failed(attr))
    return {};
  constants[node.input(operand)] = Constant{*attr, Value()};
  return *attr;
}

FailureOr<Value> OnnxImporter::getValue(const onnx::NodeProto &node,
                                        int operand) {
  if (operand >= node.input_size() || node.input(operand).empty())
    return emitError(currentLoc)
           << node.op_type() << " is missing its input #" << operand;
  const std::string &name = node.input(operand);
  if (Value value = values.lookup(name))
    return value;
  bool isInitializer = initializers.count(name);
  if (DenseElementsAttr attr = getConstantAttr(node, operand)) {
    Constant &constant = constants[name];
    if (!constant.value) {
      // Materialize at the function entry so every use is dominated.
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointToStart(builder.getBlock());
      constant.value =
          arith::ConstantOp::create(builder, currentLoc, attr).getResult();
    }
    return constant.value;
  }
  if (isInitializer)
    return failure(); // readTensor reported why.
  return emitError(currentLoc)
         << node.op_type() << " uses undefined tensor '" << name << "'";
}

Value OnnxImporter::getOptionalValue(const onnx::NodeProto &node, int operand) {
  if (operand >= node.input_size() || node.input(operand).empty())
    return {};
  FailureOr<Value> value = getValue(node, operand);
  return succeeded(value) ? *value : Value();
}

void OnnxImporter::define(const onnx::NodeProto &node, Value value) {
  if (node.output_size() > 0)
    values[node.output(0)] = value;
}

/// Builds `OpTy` with a placeholder result type, then asks the op's own
/// inference for the real one: an inconsistent node gets the op's message.
template <typename OpTy, typename... Args>
FailureOr<Value> createInferred(OpBuilder &builder, Location loc,
                                Type placeholder, Args &&...args) {
  auto op =
      OpTy::create(builder, loc, placeholder, std::forward<Args>(args)...);
  SmallVector<Type> types;
  if (failed(OpTy::inferReturnTypes(builder.getContext(), loc,
                                    typename OpTy::Adaptor(op), types))) {
    op->erase();
    return failure();
  }
  op->getResult(0).setType(types.front());
  return op.getResult();
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

/// ONNX pads are [x1_begin, x2_begin, x1_end, x2_end]: [top, left, bottom,
/// right] for 2-D. auto_pad SAME_* computes them from the output size.
FailureOr<SmallVector<int64_t>>
resolvePadding(const onnx::NodeProto &node, Location loc,
               ArrayRef<int64_t> inputShape, ArrayRef<int64_t> kernel,
               ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  std::string autoPad = getString(node, "auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    SmallVector<int64_t> pads = getInts(node, "pads", {0, 0, 0, 0});
    if (pads.size() != 4)
      return emitError(loc)
             << node.op_type() << " has pads " << formatList(pads)
             << "; only 2-D windows are supported";
    return pads;
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t>{0, 0, 0, 0};
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return emitError(loc) << node.op_type() << " has unknown auto_pad '"
                          << autoPad << "'";
  SmallVector<int64_t> pads(4);
  for (int dim = 0; dim < 2; ++dim) {
    if (strides[dim] <= 0)
      return emitError(loc) << node.op_type() << " has a non-positive stride";
    int64_t in = inputShape[2 + dim];
    int64_t out = (in + strides[dim] - 1) / strides[dim];
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[dim] +
                                 (kernel[dim] - 1) * dilations[dim] + 1 - in);
    int64_t small = total / 2, large = total - small;
    pads[dim] = autoPad == "SAME_UPPER" ? small : large;
    pads[dim + 2] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

LogicalResult OnnxImporter::importConv(const onnx::NodeProto &node,
                                       Location loc) {
  FailureOr<Value> input = getValue(node, 0), filter = getValue(node, 1);
  if (failed(input) || failed(filter))
    return failure();
  Value bias = getOptionalValue(node, 2);
  if (node.input_size() > 2 && !node.input(2).empty() && !bias)
    return failure();
  auto inputType = dyn_cast<RankedTensorType>(input->getType());
  auto filterType = dyn_cast<RankedTensorType>(filter->getType());
  if (!inputType || !filterType || inputType.getRank() != 4 ||
      filterType.getRank() != 4)
    return emitError(loc) << "Conv: only 2-D convolutions of rank-4 tensors "
                             "are supported, got input "
                          << input->getType() << " and weight "
                          << filter->getType();
  SmallVector<int64_t> kernel = {filterType.getDimSize(2),
                                 filterType.getDimSize(3)};
  SmallVector<int64_t> declared = getInts(node, "kernel_shape", kernel);
  if (declared != kernel)
    return emitError(loc) << "Conv: kernel_shape " << formatList(declared)
                          << " does not match the weight's "
                          << formatList(kernel);
  SmallVector<int64_t> strides = getInts(node, "strides", {1, 1});
  SmallVector<int64_t> dilations = getInts(node, "dilations", {1, 1});
  if (strides.size() != 2 || dilations.size() != 2)
    return emitError(loc) << "Conv: strides and dilations must have two "
                             "values, got "
                          << formatList(strides) << " and "
                          << formatList(dilations);
  auto pads = resolvePadding(node, loc, inputType.getShape(), kernel, strides,
                             dilations);
  if (failed(pads))
    return failure();
  FailureOr<Value> conv = createInferred<Conv2DOp>(
      builder, loc, inputType, *input, *filter, bias, Value(), Value(),
      builder.getDenseI64ArrayAttr(strides),
      builder.getDenseI64ArrayAttr(*pads),
      builder.getDenseI64ArrayAttr(dilations),
      builder.getI64IntegerAttr(getInt(node, "group", 1)), UnitAttr(),
      ActivationAttr());
  if (failed(conv))
    return failure();
  define(node, *conv);
  return success();
}

LogicalResult OnnxImporter::importPool(const onnx::NodeProto &node,
                                       Location loc, bool isMax) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  if (node.output_size() > 1 && !node.output(1).empty())
    return emitError(loc) << "MaxPool: the Indices output is not supported";
  auto inputType = dyn_cast<RankedTensorType>(input->getType());
  SmallVector<int64_t> kernel = getInts(node, "kernel_shape", {});
  if (!inputType || inputType.getRank() != 4 || kernel.size() != 2)
    return emitError(loc) << node.op_type()
                          << ": only 2-D pooling of rank-4 tensors is "
                             "supported, got kernel_shape "
                          << formatList(kernel);
  SmallVector<int64_t> strides = getInts(node, "strides", {1, 1});
  SmallVector<int64_t> dilations = getInts(node, "dilations", {1, 1});
  if (dilations != SmallVector<int64_t>{1, 1})
    return emitError(loc) << node.op_type() << ": dilations "
                          << formatList(dilations) << " are not supported";
  if (strides.size() != 2)
    return emitError(loc) << node.op_type() << ": strides must have two "
                          << "values, got " << formatList(strides);
  auto pads =
      resolvePadding(node, loc, inputType.getShape(), kernel, strides, {1, 1});
  if (failed(pads))
    return failure();
  UnitAttr ceilMode =
      getInt(node, "ceil_mode", 0) ? builder.getUnitAttr() : UnitAttr();
  FailureOr<Value> pool;
  if (isMax) {
    pool = createInferred<MaxPool2DOp>(
        builder, loc, inputType, *input, builder.getDenseI64ArrayAttr(kernel),
        builder.getDenseI64ArrayAttr(strides),
        builder.getDenseI64ArrayAttr(*pads), ceilMode);
  } else {
    UnitAttr includePad = getInt(node, "count_include_pad", 0)
                              ? builder.getUnitAttr()
                              : UnitAttr();
    pool = createInferred<AvgPool2DOp>(
        builder, loc, inputType, *input, builder.getDenseI64ArrayAttr(kernel),
        builder.getDenseI64ArrayAttr(strides),
        builder.getDenseI64ArrayAttr(*pads), ceilMode, includePad);
  }
  if (failed(pool))
    return failure();
  define(node, *pool);
  return success();
}

/// A constant `[K, M]` matrix transposed to `[M, K]`, scaled by `alpha`.
DenseElementsAttr transposeAndScale(DenseElementsAttr matrix, bool transpose,
                                    float alpha) {
  auto type = cast<RankedTensorType>(matrix.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  SmallVector<float> values = llvm::to_vector(matrix.getValues<float>());
  SmallVector<float> result(values.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      result[transpose ? c * rows + r : r * cols + c] =
          values[r * cols + c] * alpha;
  auto resultType =
      RankedTensorType::get(transpose ? SmallVector<int64_t>{cols, rows}
                                      : SmallVector<int64_t>{rows, cols},
                            type.getElementType());
  return DenseElementsAttr::get(resultType, ArrayRef<float>(result));
}

LogicalResult OnnxImporter::importGemm(const onnx::NodeProto &node,
                                       Location loc, bool isMatMul) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  if (!isMatMul && getInt(node, "transA", 0))
    return emitError(loc) << "Gemm: transA=1 is not supported";
  DenseElementsAttr weight = getConstantAttr(node, 1);
  if (!weight || weight.getType().getRank() != 2 ||
      !weight.getElementType().isF32())
    return emitError(loc) << node.op_type()
                          << ": the weight (input #1) must be a constant "
                             "f32 matrix";
  float alpha = isMatMul ? 1.0f : getFloat(node, "alpha", 1.0f);
  bool transB = !isMatMul && getInt(node, "transB", 0);
  // cnn.linear takes [M, K]: MatMul and Gemm without transB give [K, M].
  DenseElementsAttr linearWeight =
      (transB && alpha == 1.0f) ? weight
                                : transposeAndScale(weight, !transB, alpha);
  Value weightValue = arith::ConstantOp::create(builder, loc, linearWeight);

  Value bias;
  if (!isMatMul && node.input_size() > 2 && !node.input(2).empty()) {
    DenseElementsAttr c = getConstantAttr(node, 2);
    int64_t outFeatures = linearWeight.getType().getDimSize(0);
    if (!c || !c.getElementType().isF32() || c.getNumElements() != outFeatures)
      return emitError(loc) << "Gemm: C (input #2) must be a constant f32 "
                               "vector of "
                            << outFeatures << " elements";
    float beta = getFloat(node, "beta", 1.0f);
    SmallVector<float> values = llvm::to_vector(c.getValues<float>());
    for (float &v : values)
      v *= beta;
    bias = arith::ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({outFeatures}, builder.getF32Type()),
            ArrayRef<float>(values)));
  }
  auto inputType = cast<RankedTensorType>(input->getType());
  // MatMul of an NHWC image by a matrix (a linear layer of every pixel,
  // ConvNeXt's MLP after its permute) is a 1x1 convolution of the NCHW
  // image: between transposes that cancel with the channels-last layout,
  // with the convolution kernels, which suit many rows better than the
  // linear layer's.
  if (isMatMul && inputType.getRank() == 4) {
    ArrayRef<int64_t> rows = linearWeight.getType().getShape(); // [out, in]
    auto filterType =
        RankedTensorType::get({rows[0], rows[1], 1, 1}, builder.getF32Type());
    Value filter = arith::ConstantOp::create(builder, loc,
                                             linearWeight.reshape(filterType));
    FailureOr<Value> nchw =
        createInferred<TransposeOp>(builder, loc, inputType, *input,
                                    builder.getDenseI64ArrayAttr({0, 3, 1, 2}));
    if (failed(nchw))
      return failure();
    FailureOr<Value> conv = createInferred<Conv2DOp>(
        builder, loc, nchw->getType(), *nchw, filter, Value(), Value(), Value(),
        builder.getDenseI64ArrayAttr({1, 1}),
        builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
        builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(1),
        UnitAttr(), ActivationAttr());
    if (failed(conv))
      return failure();
    FailureOr<Value> nhwc =
        createInferred<TransposeOp>(builder, loc, conv->getType(), *conv,
                                    builder.getDenseI64ArrayAttr({0, 2, 3, 1}));
    if (failed(nhwc))
      return failure();
    define(node, *nhwc);
    return success();
  }
  // MatMul of another larger tensor acts on its last dimension: a linear
  // layer between reshapes to and from a matrix of rows.
  bool rows = isMatMul && inputType.getRank() > 2;
  if (inputType.getRank() != 2 && !rows)
    return emitError(loc) << node.op_type() << ": input must be a matrix, got "
                          << inputType;
  Value matrix = *input;
  if (rows) {
    int64_t last = inputType.getShape().back();
    matrix = ReshapeOp::create(
        builder, loc,
        RankedTensorType::get({inputType.getNumElements() / last, last},
                              inputType.getElementType()),
        *input);
  }
  FailureOr<Value> linear = createInferred<LinearOp>(
      builder, loc, matrix.getType(), matrix, weightValue, bias, UnitAttr());
  if (failed(linear))
    return failure();
  Value result = *linear;
  if (rows) {
    SmallVector<int64_t> shape(inputType.getShape());
    shape.back() = cast<RankedTensorType>(result.getType()).getDimSize(1);
    result = ReshapeOp::create(
        builder, loc, RankedTensorType::get(shape, inputType.getElementType()),
        result);
  }
  define(node, result);
  return success();
}

LogicalResult OnnxImporter::importReshape(const onnx::NodeProto &node,
                                          Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  DenseElementsAttr shapeAttr = getConstantAttr(node, 1);
  if (!shapeAttr || !shapeAttr.getElementType().isInteger(64))
    return emitError(loc) << "Reshape: the shape (input #1) must be a "
                             "constant int64 tensor";
  auto inputType = cast<RankedTensorType>(input->getType());
  ArrayRef<int64_t> in = inputType.getShape();
  SmallVector<int64_t> target = llvm::to_vector(shapeAttr.getValues<int64_t>());
  int64_t total = inputType.getNumElements(), known = 1, inferred = -1;
  for (auto [i, dim] : llvm::enumerate(target)) {
    if (dim == 0 && !getInt(node, "allowzero", 0) && i < in.size())
      dim = in[i];
    if (dim == -1) {
      if (inferred >= 0)
        return emitError(loc)
               << "Reshape: more than one -1 in " << formatList(target);
      inferred = i;
    } else if (dim <= 0) {
      return emitError(loc) << "Reshape: invalid shape " << formatList(target);
    } else if (std::optional<int64_t> next = llvm::checkedMul(known, dim)) {
      known = *next;
    } else {
      known = -1; // overflows: more elements than any tensor has
    }
  }
  if (inferred >= 0 && known > 0)
    target[inferred] = total / known;
  std::optional<int64_t> product = 1;
  for (int64_t dim : target)
    if (product)
      product = llvm::checkedMul(*product, dim);
  if (!product || *product != total)
    return emitError(loc) << "Reshape: cannot reshape " << inputType << " to "
                          << formatList(target);
  // Only the flattening reshape [d0 * ... * da-1, da * ... * dn-1] is a
  // cnn op; a reshape to the same shape is an identity.
  if (ArrayRef<int64_t>(target) == in) {
    define(node, *input);
    return success();
  }
  if (target.size() == 2) {
    int64_t outer = 1;
    for (int64_t axis = 0; axis <= static_cast<int64_t>(in.size()); ++axis) {
      if (outer == target[0]) {
        FailureOr<Value> flat = createInferred<FlattenOp>(
            builder, loc, inputType, *input, builder.getI64IntegerAttr(axis));
        if (failed(flat))
          return failure();
        define(node, *flat);
        return success();
      }
      if (axis < static_cast<int64_t>(in.size()))
        outer *= in[axis];
    }
  }
  // Any other reshape (a channel shuffle's group view, ...).
  define(node,
         ReshapeOp::create(
             builder, loc,
             RankedTensorType::get(target, inputType.getElementType()), *input)
             .getResult());
  return success();
}

LogicalResult OnnxImporter::importAdd(const onnx::NodeProto &node,
                                      Location loc) {
  FailureOr<Value> lhs = getValue(node, 0), rhs = getValue(node, 1);
  if (failed(lhs) || failed(rhs))
    return failure();
  // MatMul + Add of a bias vector: the bias of a fully connected layer (of
  // a matrix, or of the last dimension of a larger tensor: a linear layer
  // between reshapes).
  for (auto [product, addend, index] :
       {std::tuple{*lhs, *rhs, 1}, std::tuple{*rhs, *lhs, 0}}) {
    DenseElementsAttr bias = getConstantAttr(node, index);
    // A per-pixel MatMul of an NHWC image: the 1x1 convolution's bias.
    if (auto back = product.getDefiningOp<TransposeOp>()) {
      auto conv = back.getInput().getDefiningOp<Conv2DOp>();
      int64_t channels = conv ? conv.getType().getDimSize(1) : 0;
      if (!conv || conv.hasEpilogue() || !conv->hasOneUse() || !bias ||
          !bias.getElementType().isF32() || bias.getNumElements() != channels ||
          bias.getType().getShape().back() != channels ||
          readers.lookup(node.input(1 - index)) != 1 || !product.use_empty())
        continue;
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPoint(conv);
      Value biasValue =
          arith::ConstantOp::create(builder, loc,
                                    bias.reshape(RankedTensorType::get(
                                        {channels}, builder.getF32Type())));
      conv.getBiasMutable().assign(biasValue);
      define(node, product);
      return success();
    }
    auto reshaped = product.getDefiningOp<ReshapeOp>();
    auto linear =
        (reshaped ? reshaped.getInput() : product).getDefiningOp<LinearOp>();
    // This Add is the product's only reader, in ONNX and so far in MLIR.
    if (!linear || linear.getBias() || !bias ||
        readers.lookup(node.input(1 - index)) != 1 || !product.use_empty() ||
        (reshaped && !linear->hasOneUse()) ||
        bias.getNumElements() != linear.getType().getDimSize(1) ||
        !bias.getElementType().isF32() ||
        cast<RankedTensorType>(bias.getType()).getRank() >
            cast<RankedTensorType>(product.getType()).getRank() ||
        bias.getType().getShape().back() != bias.getNumElements())
      continue;
    auto biasType =
        RankedTensorType::get({bias.getNumElements()}, bias.getElementType());
    // Created before the linear op, which now uses it.
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(linear);
    Value biasValue =
        arith::ConstantOp::create(builder, loc, bias.reshape(biasType));
    linear.getBiasMutable().assign(biasValue);
    define(node, product);
    return success();
  }
  return importBroadcast<AddOp>(node, loc);
}

FailureOr<std::pair<Value, Value>>
OnnxImporter::getBroadcastOperands(const onnx::NodeProto &node, Location loc) {
  SmallVector<Value, 2> operands;
  for (int i = 0; i < 2; ++i) {
    FailureOr<Value> value = getValue(node, i);
    if (failed(value))
      return failure();
    operands.push_back(*value);
  }
  for (int i = 0; i < 2; ++i) {
    auto type = cast<RankedTensorType>(operands[i].getType());
    auto other = cast<RankedTensorType>(operands[1 - i].getType());
    if (type.getRank() >= other.getRank())
      continue;
    SmallVector<int64_t> shape(other.getRank() - type.getRank(), 1);
    llvm::append_range(shape, type.getShape());
    auto extended = RankedTensorType::get(shape, type.getElementType());
    if (DenseElementsAttr attr = getConstantAttr(node, i))
      operands[i] =
          arith::ConstantOp::create(builder, loc, attr.reshape(extended));
    else
      operands[i] = ReshapeOp::create(builder, loc, extended, operands[i]);
  }
  return std::pair(operands[0], operands[1]);
}

template <typename OpTy>
LogicalResult OnnxImporter::importBroadcast(const onnx::NodeProto &node,
                                            Location loc) {
  FailureOr<std::pair<Value, Value>> operands = getBroadcastOperands(node, loc);
  if (failed(operands))
    return failure();
  FailureOr<Value> result =
      createInferred<OpTy>(builder, loc, operands->first.getType(),
                           operands->first, operands->second);
  if (failed(result))
    return failure();
  define(node, *result);
  return success();
}

/// PRelu: the slope broadcasts to the input (ONNX's unidirectional
/// broadcasting), after NumPy's rank extension.
LogicalResult OnnxImporter::importPRelu(const onnx::NodeProto &node,
                                        Location loc) {
  FailureOr<std::pair<Value, Value>> operands = getBroadcastOperands(node, loc);
  if (failed(operands))
    return failure();
  auto [x, slope] = *operands;
  FailureOr<Value> result =
      createInferred<PReluOp>(builder, loc, x.getType(), x, slope);
  if (failed(result))
    return failure();
  if (result->getType() != x.getType())
    return emitError(loc) << "PRelu's slope " << slope.getType()
                          << " does not broadcast to its input " << x.getType();
  define(node, *result);
  return success();
}

/// Squeeze and Unsqueeze of a computed tensor (`x.squeeze(-1)` in a
/// squeeze-excitation block, `x[:, None]`): a `cnn.reshape` to the shape
/// without or with the unit dimensions. (On constants they fold at import.)
LogicalResult OnnxImporter::importSqueeze(const onnx::NodeProto &node,
                                          Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  SmallVector<int64_t> axes;
  if (opset < 13) {
    axes = getInts(node, "axes", {});
  } else if (node.input_size() > 1 && !node.input(1).empty()) {
    FailureOr<SmallVector<int64_t>> given =
        getIntsInput(node, 1, "axes", std::nullopt);
    if (failed(given))
      return failure();
    axes = *given;
  }
  bool squeeze = node.op_type() == "Squeeze";
  int64_t rank = type.getRank() + (squeeze ? 0 : int64_t(axes.size()));
  SmallVector<bool> listed(rank, false);
  for (int64_t axis : axes) {
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank || listed[a])
      return emitError(loc) << node.op_type() << ": axes " << formatList(axes)
                            << " are not distinct dimensions of rank " << rank;
    listed[a] = true;
  }
  SmallVector<int64_t> shape;
  if (squeeze) {
    for (int64_t d = 0; d < rank; ++d) {
      int64_t extent = type.getDimSize(d);
      if (listed[d] && extent != 1)
        return emitError(loc) << "Squeeze of dimension " << d << " of " << type
                              << ", which is not 1";
      if (axes.empty() ? extent != 1 : !listed[d])
        shape.push_back(extent);
    }
  } else {
    for (int64_t d = 0, next = 0; d < rank; ++d)
      shape.push_back(listed[d] ? 1 : type.getDimSize(next++));
  }
  define(node, ReshapeOp::create(
                   builder, loc,
                   RankedTensorType::get(shape, type.getElementType()), *input)
                   .getResult());
  return success();
}

/// Pow by a constant exponent: 1, 2 (a square, as LayerNorm's variance is
/// exported) or 0.5.
LogicalResult OnnxImporter::importPow(const onnx::NodeProto &node,
                                      Location loc) {
  FailureOr<Value> base = getValue(node, 0);
  if (failed(base))
    return failure();
  DenseElementsAttr exponent = getConstantAttr(node, 1);
  std::optional<double> value;
  if (exponent && exponent.getNumElements() == 1 &&
      isa<FloatType>(exponent.getElementType()))
    value = (*exponent.getValues<APFloat>().begin()).convertToDouble();
  else if (exponent && exponent.getNumElements() == 1 &&
           exponent.getElementType().isInteger(64))
    value = double(*exponent.getValues<int64_t>().begin());
  if (value == 1.0) {
    define(node, *base);
    return success();
  }
  if (value == 2.0) {
    define(node, MulOp::create(builder, loc, *base, *base).getResult());
    return success();
  }
  if (value == 0.5) {
    define(node, SqrtOp::create(builder, loc, *base).getResult());
    return success();
  }
  return emitError(loc) << "Pow is supported with a constant exponent of 1, "
                           "2 or 0.5 only";
}

/// LayerNormalization (opset 17) over the last dimension.
LogicalResult OnnxImporter::importLayerNorm(const onnx::NodeProto &node,
                                            Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  int64_t axis = getInt(node, "axis", -1);
  if (axis < 0)
    axis += rank;
  if (axis != rank - 1)
    return emitError(loc) << "LayerNormalization over dimensions " << axis
                          << " and later of " << type
                          << " is not supported; only over the last";
  for (int i = 1; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      return emitError(loc) << "LayerNormalization: the Mean and "
                               "InvStdDev outputs are not supported";
  int64_t extent = type.getDimSize(axis);
  auto vectorType = RankedTensorType::get({extent}, type.getElementType());
  SmallVector<Value, 2> params;
  for (int i = 1; i <= 2; ++i) {
    DenseElementsAttr attr = getConstantAttr(node, i);
    if (i == 2 && (node.input_size() <= 2 || node.input(2).empty())) {
      params.push_back(arith::ConstantOp::create(
          builder, loc, DenseElementsAttr::get(vectorType, 0.0f)));
      continue;
    }
    if (!attr || attr.getNumElements() != extent ||
        !attr.getElementType().isF32())
      return emitError(loc)
             << "LayerNormalization: " << (i == 1 ? "Scale" : "B")
             << " must be a constant f32 tensor of " << extent << " elements";
    params.push_back(
        arith::ConstantOp::create(builder, loc, attr.reshape(vectorType)));
  }
  define(node, LayerNormOp::create(
                   builder, loc, type, *input, params[0], params[1],
                   builder.getI64IntegerAttr(axis),
                   builder.getF32FloatAttr(getFloat(node, "epsilon", 1e-5f)))
                   .getResult());
  return success();
}

/// ConvTranspose (2-D) as a convolution of the input, by sub-pixel
/// decomposition: output row `q * stride + r` gathers only the filter taps
/// `r, r + stride, ...`, so all `stride x stride` phases are one ordinary
/// convolution of the input (stride 1, `m = K / stride` taps per side, the
/// flipped phase taps as `stride * stride` output channels per channel),
/// followed by a `cnn.depth_to_space` that interleaves the phases (a
/// reshape-transpose-reshape for a rectangular stride). The kernel is first
/// dilated and padded with zero taps to K, a multiple of the stride. That gives
/// the full transposed convolution, `(H - 1) * stride + K` rows; the output is
/// its window
/// `[pads_begin, pads_begin + out)`, zeros beyond it (the bias alone).
/// No product with a zero inserted between input pixels (that form does
/// stride^2 times the work): a 2x2 stride-2 layer (U-Net's) is a 1x1
/// convolution to 4x the channels.
LogicalResult OnnxImporter::importConvTranspose(const onnx::NodeProto &node,
                                                Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto inputType = dyn_cast<RankedTensorType>(input->getType());
  DenseElementsAttr weight = getConstantAttr(node, 1);
  if (!inputType || inputType.getRank() != 4)
    return emitError(loc) << "ConvTranspose: only 2-D transposed convolutions "
                             "of rank-4 tensors are supported, got "
                          << input->getType();
  if (!weight || !weight.getElementType().isF32() ||
      weight.getType().getRank() != 4)
    return emitError(loc) << "ConvTranspose: the weight must be a constant f32 "
                             "tensor [C_in, C_out / group, kH, kW]";
  ArrayRef<int64_t> in = inputType.getShape();
  ArrayRef<int64_t> wShape = weight.getType().getShape();
  int64_t group = getInt(node, "group", 1);
  int64_t cin = in[1];
  if (group < 1 || cin % group != 0 || wShape[0] != cin)
    return emitError(loc) << "ConvTranspose: weight " << weight.getType()
                          << " does not fit " << cin << " input channels in "
                          << group << " groups";
  int64_t coutPerGroup = wShape[1], cout = coutPerGroup * group;
  int64_t cinPerGroup = cin / group;
  SmallVector<int64_t> kernel = {wShape[2], wShape[3]};
  SmallVector<int64_t> strides = getInts(node, "strides", {1, 1});
  SmallVector<int64_t> dilations = getInts(node, "dilations", {1, 1});
  SmallVector<int64_t> outputPadding = getInts(node, "output_padding", {0, 0});
  SmallVector<int64_t> pads = getInts(node, "pads", {0, 0, 0, 0});
  SmallVector<int64_t> outputShape = getInts(node, "output_shape", {});
  std::string autoPad = getString(node, "auto_pad", "NOTSET");
  if (getInts(node, "kernel_shape", kernel) != kernel)
    return emitError(loc) << "ConvTranspose: kernel_shape does not match the "
                             "weight's "
                          << formatList(kernel);
  auto positive = [](ArrayRef<int64_t> v) {
    return llvm::all_of(v, [](int64_t x) { return x >= 1; });
  };
  if (strides.size() != 2 || dilations.size() != 2 ||
      outputPadding.size() != 2 || pads.size() != 4 || !positive(strides) ||
      !positive(dilations) ||
      llvm::any_of(pads, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(outputPadding, [](int64_t p) { return p < 0; }))
    return emitError(loc) << "ConvTranspose: strides " << formatList(strides)
                          << ", dilations " << formatList(dilations)
                          << ", pads " << formatList(pads)
                          << " and output_padding " << formatList(outputPadding)
                          << " must be two positive, two positive, four and "
                             "two non-negative values";
  // Far beyond any network's; keeps the sizes below from overflowing.
  constexpr int64_t kMaxWindow = 1024;
  if (llvm::any_of(llvm::concat<int64_t>(strides, dilations, kernel),
                   [](int64_t v) { return v > kMaxWindow; }))
    return emitError(loc) << "ConvTranspose: kernel " << formatList(kernel)
                          << ", strides " << formatList(strides)
                          << " and dilations " << formatList(dilations)
                          << " must be at most " << kMaxWindow;
  if (!outputShape.empty() && outputShape.size() != 2) {
    if (outputShape.size() != 4)
      return emitError(loc)
             << "ConvTranspose: output_shape " << formatList(outputShape)
             << " must have two values (H, W)";
    outputShape = {outputShape[2], outputShape[3]};
  }
  // Per spatial dimension: the dilated kernel, its padded size K and the
  // output's window [begin, begin + size) of the full result.
  // An input of one row (a generator's 1x1 latent) has no overlapping
  // windows: any stride of at least the kernel's gives the same result, and
  // the dilated kernel's own makes it one tap per phase (a 1x1 convolution
  // to C * kH * kW channels, no multiply by padding).
  SmallVector<int64_t> dilated(2), taps(2), begin(2), size(2), full(2);
  SmallVector<int64_t> phases(strides);
  for (int d = 0; d < 2; ++d) {
    dilated[d] = (kernel[d] - 1) * dilations[d] + 1;
    if (in[2 + d] == 1)
      phases[d] = dilated[d];
    taps[d] = llvm::divideCeil(dilated[d], phases[d]);
    full[d] = (in[2 + d] - 1 + taps[d]) * phases[d];
    int64_t natural =
        strides[d] * (in[2 + d] - 1) + outputPadding[d] + dilated[d];
    if (autoPad != "NOTSET" && autoPad != "VALID" && outputShape.empty())
      outputShape = {in[2] * strides[0], in[3] * strides[1]};
    if (!outputShape.empty()) {
      int64_t total = natural - outputShape[d];
      bool upper = autoPad == "SAME_UPPER";
      begin[d] = upper ? total / 2 : total - total / 2;
      size[d] = outputShape[d];
    } else {
      begin[d] = pads[d];
      size[d] = natural - pads[d] - pads[d + 2];
    }
    if (size[d] < 1)
      return emitError(loc) << "ConvTranspose: the output of " << inputType
                            << " would be empty in dimension " << (2 + d);
  }

  // The phase filter: tap (uH, uW) of phase (rH, rW) of channel c is the
  // dilated kernel's tap ((m - 1 - u) * s + r), zero past it. The phases of
  // a channel are its output channels (c * sH + rH) * sW + rW (CRD order,
  // each group's channels together), or, without groups and with a square
  // stride, (rH * sW + rW) * C + c (DCR: in NHWC each output pixel's
  // channels are contiguous).
  int64_t sH = phases[0], sW = phases[1], mH = taps[0], mW = taps[1];
  bool dcr = group == 1 && sH == sW && sH > 1;
  auto phaseChannel = [&](int64_t c, int64_t rH, int64_t rW) {
    return dcr ? (rH * sW + rW) * cout + c : (c * sH + rH) * sW + rW;
  };
  SmallVector<float> source(weight.getValues<float>());
  // The phase filter holds stride^2 / kernel^2 times the weight's taps (all
  // zero where the stride exceeds the kernel).
  if (double(cout) * sH * sW * cinPerGroup * mH * mW > double(int64_t(1) << 28))
    return emitError(loc) << "ConvTranspose: strides " << formatList(strides)
                          << " make a phase filter of more than 2^28 weights "
                             "for a weight of "
                          << weight.getType();
  auto filterType = RankedTensorType::get({cout * sH * sW, cinPerGroup, mH, mW},
                                          builder.getF32Type());
  SmallVector<float> filter(filterType.getNumElements(), 0.0f);
  for (int64_t c = 0; c < cout; ++c) {
    int64_t g = c / coutPerGroup, co = c % coutPerGroup;
    for (int64_t rH = 0; rH < sH; ++rH)
      for (int64_t rW = 0; rW < sW; ++rW)
        for (int64_t ci = 0; ci < cinPerGroup; ++ci)
          for (int64_t uH = 0; uH < mH; ++uH)
            for (int64_t uW = 0; uW < mW; ++uW) {
              int64_t tH = (mH - 1 - uH) * sH + rH,
                      tW = (mW - 1 - uW) * sW + rW;
              if (tH % dilations[0] || tW % dilations[1])
                continue;
              int64_t kH = tH / dilations[0], kW = tW / dilations[1];
              if (kH >= kernel[0] || kW >= kernel[1])
                continue;
              int64_t oc = phaseChannel(c, rH, rW);
              filter[((oc * cinPerGroup + ci) * mH + uH) * mW + uW] =
                  source[(((g * cinPerGroup + ci) * coutPerGroup + co) *
                              kernel[0] +
                          kH) *
                             kernel[1] +
                         kW];
            }
  }
  Value filterValue = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(filterType, ArrayRef<float>(filter)));

  // The bias: in the convolution (one per phase channel) when the output
  // lies within the full result, else added after the zeros around it.
  DenseElementsAttr bias;
  if (node.input_size() > 2 && !node.input(2).empty()) {
    bias = getConstantAttr(node, 2);
    if (!bias || !bias.getElementType().isF32() ||
        bias.getNumElements() != cout)
      return emitError(loc) << "ConvTranspose: the bias must be a constant f32 "
                               "tensor of "
                            << cout << " elements";
  }
  bool within = begin[0] >= 0 && begin[1] >= 0 &&
                begin[0] + size[0] <= full[0] && begin[1] + size[1] <= full[1];
  Value convBias;
  if (bias && within) {
    SmallVector<float> values(bias.getValues<float>());
    SmallVector<float> phaseBias(cout * sH * sW);
    for (int64_t c = 0; c < cout; ++c)
      for (int64_t rH = 0; rH < sH; ++rH)
        for (int64_t rW = 0; rW < sW; ++rW)
          phaseBias[phaseChannel(c, rH, rW)] = values[c];
    convBias = arith::ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({cout * sH * sW}, builder.getF32Type()),
            ArrayRef<float>(phaseBias)));
  }
  FailureOr<Value> conv = createInferred<Conv2DOp>(
      builder, loc, inputType, *input, filterValue, convBias, Value(), Value(),
      builder.getDenseI64ArrayAttr({1, 1}),
      builder.getDenseI64ArrayAttr({mH - 1, mW - 1, mH - 1, mW - 1}),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(group),
      UnitAttr(), ActivationAttr());
  if (failed(conv))
    return failure();
  Value y = *conv;
  int64_t n = in[0], qH = in[2] + mH - 1, qW = in[3] + mW - 1;
  Type f32 = builder.getF32Type();
  if (sH == sW && sH > 1) {
    FailureOr<Value> interleaved = createInferred<DepthToSpaceOp>(
        builder, loc, y.getType(), y, builder.getI64IntegerAttr(sH),
        dcr ? UnitAttr() : builder.getUnitAttr());
    if (failed(interleaved))
      return failure();
    y = *interleaved;
  } else if (sH * sW > 1) {
    // Depth to space with a rectangular block: [N, C, sH, sW, qH, qW] ->
    // [N, C, qH, sH, qW, sW].
    y = ReshapeOp::create(
        builder, loc, RankedTensorType::get({n, cout, sH, sW, qH, qW}, f32), y);
    FailureOr<Value> interleaved = createInferred<TransposeOp>(
        builder, loc, y.getType(), y,
        builder.getDenseI64ArrayAttr({0, 1, 4, 2, 5, 3}));
    if (failed(interleaved))
      return failure();
    y = ReshapeOp::create(
        builder, loc, RankedTensorType::get({n, cout, full[0], full[1]}, f32),
        *interleaved);
  }
  // The window [begin, begin + size) of the full result: a slice of what
  // overlaps it, zeros around.
  SmallVector<int64_t> lo(2), hi(2), start(2), extent(2);
  for (int d = 0; d < 2; ++d) {
    start[d] = std::clamp<int64_t>(begin[d], 0, full[d]);
    int64_t end = std::clamp<int64_t>(begin[d] + size[d], 0, full[d]);
    extent[d] = std::max<int64_t>(end - start[d], 0);
    lo[d] = std::max<int64_t>(-begin[d], 0);
    hi[d] = size[d] - lo[d] - extent[d];
  }
  if (extent[0] == 0 || extent[1] == 0)
    return emitError(loc) << "ConvTranspose: the output window lies outside "
                             "the transposed convolution's result";
  if (start[0] != 0 || start[1] != 0 || extent[0] != full[0] ||
      extent[1] != full[1]) {
    FailureOr<Value> slice = createInferred<SliceOp>(
        builder, loc, y.getType(), y,
        builder.getDenseI64ArrayAttr({0, 0, start[0], start[1]}),
        builder.getDenseI64ArrayAttr({n, cout, extent[0], extent[1]}),
        builder.getDenseI64ArrayAttr({1, 1, 1, 1}));
    if (failed(slice))
      return failure();
    y = *slice;
  }
  if (!within) {
    FailureOr<Value> padded = createInferred<PadOp>(
        builder, loc, y.getType(), y,
        builder.getDenseI64ArrayAttr({0, 0, lo[0], lo[1]}),
        builder.getDenseI64ArrayAttr({0, 0, hi[0], hi[1]}),
        builder.getF32FloatAttr(0.0f));
    if (failed(padded))
      return failure();
    y = *padded;
    if (bias)
      y = AddOp::create(
              builder, loc, y.getType(), y,
              arith::ConstantOp::create(
                  builder, loc,
                  bias.reshape(RankedTensorType::get({1, cout, 1, 1}, f32))))
              .getResult();
  }
  define(node, y);
  return success();
}

/// InstanceNormalization (InstanceNorm, and GroupNorm as PyTorch exports it:
/// a reshape to [N, groups, -1] around it): each [n, c] plane normalized
/// over its own elements, then scaled and shifted per channel. Imported as
/// a layer_norm of the planes, [N, C, H * W] over the last axis, with unit
/// scale and zero shift, then the channel scale and shift where they are
/// not 1 and 0.
LogicalResult OnnxImporter::importInstanceNorm(const onnx::NodeProto &node,
                                               Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  if (rank < 3)
    return emitError(loc) << "InstanceNormalization needs an input of rank 3 "
                             "or more ([N, C, spatial...]), got "
                          << type;
  int64_t channels = type.getDimSize(1);
  Type elementType = type.getElementType();
  SmallVector<DenseElementsAttr, 2> params;
  for (int i = 1; i <= 2; ++i) {
    DenseElementsAttr attr = getConstantAttr(node, i);
    if (!attr || attr.getNumElements() != channels ||
        !attr.getElementType().isF32())
      return emitError(loc)
             << "InstanceNormalization: " << (i == 1 ? "scale" : "B")
             << " must be a constant f32 tensor of " << channels << " elements";
    params.push_back(attr);
  }
  int64_t plane = 1;
  for (int64_t d = 2; d < rank; ++d)
    plane *= type.getDimSize(d);
  auto planes =
      RankedTensorType::get({type.getDimSize(0), channels, plane}, elementType);
  auto vectorType = RankedTensorType::get({plane}, elementType);
  Value x = ReshapeOp::create(builder, loc, planes, *input);
  Value one = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(vectorType, 1.0f));
  Value zero = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(vectorType, 0.0f));
  Value y =
      LayerNormOp::create(
          builder, loc, planes, x, one, zero, builder.getI64IntegerAttr(2),
          builder.getF32FloatAttr(getFloat(node, "epsilon", 1e-5f)))
          .getResult();
  y = ReshapeOp::create(builder, loc, type, y);
  // [1, C, 1, ...]: the per-channel parameters, broadcast.
  SmallVector<int64_t> perChannel(rank, 1);
  perChannel[1] = channels;
  auto perChannelType = RankedTensorType::get(perChannel, elementType);
  auto isSplat = [](DenseElementsAttr attr, float value) {
    return llvm::all_of(attr.getValues<float>(),
                        [&](float v) { return v == value; });
  };
  if (!isSplat(params[0], 1.0f))
    y = MulOp::create(builder, loc, type, y,
                      arith::ConstantOp::create(
                          builder, loc, params[0].reshape(perChannelType)))
            .getResult();
  if (!isSplat(params[1], 0.0f))
    y = AddOp::create(builder, loc, type, y,
                      arith::ConstantOp::create(
                          builder, loc, params[1].reshape(perChannelType)))
            .getResult();
  define(node, y);
  return success();
}

FailureOr<SmallVector<int64_t>>
OnnxImporter::getIntsInput(const onnx::NodeProto &node, int operand,
                           StringRef name,
                           std::optional<SmallVector<int64_t>> fallback) {
  if (operand < node.input_size() && !node.input(operand).empty()) {
    DenseElementsAttr attr = getConstantAttr(node, operand);
    if (!attr || !attr.getElementType().isInteger(64))
      return emitError(currentLoc)
             << node.op_type() << ": input #" << operand << " (" << name
             << ") must be a constant int64 tensor";
    return llvm::to_vector(attr.getValues<int64_t>());
  }
  if (findAttr(node, name))
    return getInts(node, name, {});
  if (fallback)
    return *fallback;
  return emitError(currentLoc)
         << node.op_type() << " is missing its '" << name << "'";
}

/// Resize (opset 10+: X, roi, scales, sizes; opset 10: X, scales) and
/// Upsample (opset 7: a scales attribute; 9: X, scales) of H and W.
LogicalResult OnnxImporter::importResize(const onnx::NodeProto &node,
                                         Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  StringRef op = node.op_type();
  if (inputType.getRank() != 4)
    return emitError(loc) << op << " of " << inputType
                          << " is not supported; only of NCHW tensors";
  bool upsample = op == "Upsample";
  // Resize-10 takes (X, scales), later ones (X, roi, scales, sizes).
  int scalesOperand = upsample || opset < 11 ? 1 : 2;
  auto floatsOf = [&](int operand) -> std::optional<SmallVector<float>> {
    if (operand >= node.input_size() || node.input(operand).empty())
      return std::nullopt;
    DenseElementsAttr attr = getConstantAttr(node, operand);
    if (!attr || !attr.getElementType().isF32())
      return std::nullopt;
    return llvm::to_vector(attr.getValues<float>());
  };
  std::optional<SmallVector<float>> scales = floatsOf(scalesOperand);
  if (upsample && !scales && findAttr(node, "scales")) {
    const onnx::AttributeProto *attr = findAttr(node, "scales");
    scales = SmallVector<float>(attr->floats().begin(), attr->floats().end());
  }
  if (scales && scales->empty())
    scales.reset(); // Resize-13 and later: an empty scales means "use sizes".
  std::optional<SmallVector<int64_t>> sizes;
  if (!upsample && opset >= 11 && node.input_size() > 3 &&
      !node.input(3).empty()) {
    FailureOr<SmallVector<int64_t>> values =
        getIntsInput(node, 3, "sizes", std::nullopt);
    if (failed(values))
      return failure();
    sizes = *values;
  }
  bool scalesGiven = scalesOperand < node.input_size() &&
                     !node.input(scalesOperand).empty() && !scales;
  if (scalesGiven && !sizes)
    return emitError(loc) << op << ": the scales (input #" << scalesOperand
                          << ") must be a constant float tensor";
  if (!scales && !sizes)
    return emitError(loc) << op << " needs constant scales or sizes";
  if (findAttr(node, "axes"))
    return emitError(loc) << op << ": the 'axes' attribute is not supported";
  if (getInt(node, "antialias", 0))
    return emitError(loc) << op << ": antialias=1 is not supported";
  if ((scales && scales->size() != 4) || (sizes && sizes->size() != 4))
    return emitError(loc) << op << ": scales or sizes need 4 values (N, C, "
                          << "H, W)";
  ArrayRef<int64_t> in = inputType.getShape();
  SmallVector<int64_t> outShape(in);
  if (sizes) {
    outShape = *sizes;
    scales.reset(); // sizes win; the scale is output / input.
  } else {
    for (int d = 0; d < 4; ++d) {
      float scale = (*scales)[d];
      if (!(scale > 0.0f) || !std::isfinite(scale) ||
          double(in[d]) * scale > double(int64_t(1) << 31))
        return emitError(loc) << op << ": invalid scale " << scale;
      outShape[d] = static_cast<int64_t>(std::floor(double(in[d]) * scale));
    }
  }
  if (outShape[0] != in[0] || outShape[1] != in[1])
    return emitError(loc) << op << " of the batch or channels (to "
                          << formatList(outShape)
                          << ") is not supported; only of H and W";
  if (outShape[2] < 1 || outShape[3] < 1)
    return emitError(loc) << op << ": empty output " << formatList(outShape);

  std::string mode = getString(node, "mode", "nearest");
  std::optional<ResizeMode> resizeMode;
  if (mode == "nearest")
    resizeMode = ResizeMode::Nearest;
  else if (mode == "linear" || mode == "bilinear")
    resizeMode = ResizeMode::Linear;
  else
    return emitError(loc) << op << ": mode '" << mode
                          << "' is not supported (nearest and linear are)";
  // Upsample and Resize-10 sample as asymmetric (x / scale) and round down.
  std::string coordinates =
      upsample || opset < 11
          ? "asymmetric"
          : getString(node, "coordinate_transformation_mode", "half_pixel");
  std::optional<ResizeCoordinates> resizeCoordinates =
      symbolizeResizeCoordinates(coordinates);
  if (!resizeCoordinates)
    return emitError(loc) << op << ": coordinate_transformation_mode '"
                          << coordinates
                          << "' is not supported (half_pixel, "
                             "pytorch_half_pixel, align_corners and "
                             "asymmetric are)";
  std::string rounding =
      upsample || opset < 11
          ? "floor"
          : getString(node, "nearest_mode", "round_prefer_floor");
  std::optional<NearestRounding> nearest = symbolizeNearestRounding(rounding);
  if (!nearest)
    return emitError(loc) << op << ": nearest_mode '" << rounding
                          << "' is not supported";
  if (*resizeMode == ResizeMode::Linear) // Rounding is nearest's only.
    nearest = NearestRounding::RoundPreferFloor;
  DenseF32ArrayAttr scalesAttr;
  if (scales)
    scalesAttr = builder.getDenseF32ArrayAttr({(*scales)[2], (*scales)[3]});
  auto resize = ResizeOp::create(
      builder, loc, RankedTensorType::get(outShape, inputType.getElementType()),
      *input, *resizeMode, *resizeCoordinates, *nearest, scalesAttr);
  if (failed(mlir::verify(resize))) {
    resize.erase();
    return failure();
  }
  define(node, resize.getResult());
  return success();
}

LogicalResult OnnxImporter::importSlice(const onnx::NodeProto &node,
                                        Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  ArrayRef<int64_t> shape = inputType.getShape();
  int64_t rank = inputType.getRank();
  FailureOr<SmallVector<int64_t>> starts =
      getIntsInput(node, 1, "starts", std::nullopt);
  if (failed(starts))
    return failure();
  FailureOr<SmallVector<int64_t>> ends =
      getIntsInput(node, 2, "ends", std::nullopt);
  if (failed(ends))
    return failure();
  SmallVector<int64_t> allAxes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  FailureOr<SmallVector<int64_t>> axes = getIntsInput(
      node, 3, "axes",
      SmallVector<int64_t>(allAxes.begin(), allAxes.begin() + starts->size()));
  if (failed(axes))
    return failure();
  FailureOr<SmallVector<int64_t>> steps =
      getIntsInput(node, 4, "steps", SmallVector<int64_t>(starts->size(), 1));
  if (failed(steps))
    return failure();
  if (ends->size() != starts->size() || axes->size() != starts->size() ||
      steps->size() != starts->size())
    return emitError(loc) << "Slice: starts " << formatList(*starts)
                          << ", ends " << formatList(*ends) << ", axes "
                          << formatList(*axes) << " and steps "
                          << formatList(*steps) << " differ in length";
  SmallVector<int64_t> sliceStarts(rank, 0), sizes(shape), sliceSteps(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts->size(); ++i) {
    int64_t axis = (*axes)[i] < 0 ? (*axes)[i] + rank : (*axes)[i];
    if (axis < 0 || axis >= rank || seen[axis])
      return emitError(loc) << "Slice: invalid or repeated axis " << (*axes)[i]
                            << " for " << inputType;
    seen[axis] = true;
    int64_t step = (*steps)[i], dim = shape[axis];
    if (step <= 0)
      return emitError(loc) << "Slice: step " << step << " on axis " << axis
                            << " is not supported; only positive steps are";
    // ONNX clamps: negative bounds count from the end, then [0, dim].
    auto clamp = [&](int64_t bound) {
      if (bound < 0)
        bound = bound < -dim ? 0 : bound + dim;
      return std::min(bound, dim);
    };
    int64_t start = clamp((*starts)[i]), end = clamp((*ends)[i]);
    if (end <= start)
      return emitError(loc) << "Slice: axis " << axis << " of " << inputType
                            << " would be empty (start " << (*starts)[i]
                            << ", end " << (*ends)[i] << ")";
    sliceStarts[axis] = start;
    sliceSteps[axis] = step;
    sizes[axis] = (end - start + step - 1) / step;
  }
  FailureOr<Value> slice =
      createInferred<SliceOp>(builder, loc, inputType, *input,
                              builder.getDenseI64ArrayAttr(sliceStarts),
                              builder.getDenseI64ArrayAttr(sizes),
                              builder.getDenseI64ArrayAttr(sliceSteps));
  if (failed(slice))
    return failure();
  define(node, *slice);
  return success();
}

LogicalResult OnnxImporter::importSplit(const onnx::NodeProto &node,
                                        Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  ArrayRef<int64_t> shape = inputType.getShape();
  int64_t rank = inputType.getRank();
  int64_t axis = getInt(node, "axis", 0);
  if (axis < -rank || axis >= rank)
    return emitError(loc) << "Split: axis " << axis << " is out of range for "
                          << inputType;
  if (axis < 0)
    axis += rank;
  int64_t dim = shape[axis], count = node.output_size();
  if (ShapedType::isDynamic(dim))
    return emitError(loc) << "Split: axis " << axis << " of " << inputType
                          << " must have a static size";
  if (count < 1)
    return emitError(loc) << "Split has no outputs";
  // Without `split` (an input from opset 13, an attribute before), equal
  // parts, the last one smaller if they do not divide (opset 18's rule).
  int64_t part = (dim + count - 1) / count;
  SmallVector<int64_t> equal(count, part);
  equal.back() = dim - part * (count - 1);
  FailureOr<SmallVector<int64_t>> sizes = getIntsInput(node, 1, "split", equal);
  if (failed(sizes))
    return failure();
  int64_t total = 0;
  for (int64_t size : *sizes)
    total += size;
  if (static_cast<int64_t>(sizes->size()) != count ||
      llvm::any_of(*sizes, [](int64_t size) { return size <= 0; }) ||
      total != dim)
    return emitError(loc) << "Split: parts " << formatList(*sizes)
                          << " do not split axis " << axis << " of "
                          << inputType << " (size " << dim << ") into " << count
                          << " non-empty outputs";
  SmallVector<int64_t> starts(rank, 0), steps(rank, 1);
  SmallVector<int64_t> partShape(shape);
  for (int64_t i = 0; i < count; ++i) {
    partShape[axis] = (*sizes)[i];
    FailureOr<Value> slice = createInferred<SliceOp>(
        builder, loc, inputType, *input, builder.getDenseI64ArrayAttr(starts),
        builder.getDenseI64ArrayAttr(partShape),
        builder.getDenseI64ArrayAttr(steps));
    if (failed(slice))
      return failure();
    if (!node.output(i).empty())
      values[node.output(i)] = *slice;
    starts[axis] += (*sizes)[i];
  }
  return success();
}

LogicalResult OnnxImporter::importPad(const onnx::NodeProto &node,
                                      Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  int64_t rank = inputType.getRank();
  std::string mode = getString(node, "mode", "constant");
  if (mode != "constant")
    return emitError(loc) << "Pad: mode '" << mode
                          << "' is not supported; only 'constant' is";
  FailureOr<SmallVector<int64_t>> pads =
      getIntsInput(node, 1, "pads", std::nullopt);
  if (failed(pads))
    return failure();
  // Opset 18's `axes` input names the padded axes; the default is all.
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (node.input_size() > 3 && !node.input(3).empty()) {
    FailureOr<SmallVector<int64_t>> given =
        getIntsInput(node, 3, "axes", std::nullopt);
    if (failed(given))
      return failure();
    axes = *given;
  }
  if (pads->size() != 2 * axes.size())
    return emitError(loc) << "Pad: pads " << formatList(*pads) << " needs "
                          << 2 * axes.size() << " values for " << inputType;
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t dim = axis < 0 ? axis + rank : axis;
    if (dim < 0 || dim >= rank)
      return emitError(loc)
             << "Pad: invalid axis " << axis << " for " << inputType;
    low[dim] = (*pads)[i];
    high[dim] = (*pads)[i + axes.size()];
  }
  float value = getFloat(node, "value", 0.0f);
  if (node.input_size() > 2 && !node.input(2).empty()) {
    DenseElementsAttr attr = getConstantAttr(node, 2);
    if (!attr || !attr.getElementType().isF32() || attr.getNumElements() != 1)
      return emitError(loc) << "Pad: the constant value (input #2) must be a "
                               "constant float32 scalar";
    value = *attr.getValues<float>().begin();
  }
  FailureOr<Value> padded = createInferred<PadOp>(
      builder, loc, inputType, *input, builder.getDenseI64ArrayAttr(low),
      builder.getDenseI64ArrayAttr(high), builder.getF32FloatAttr(value));
  if (failed(padded))
    return failure();
  define(node, *padded);
  return success();
}

LogicalResult OnnxImporter::importClip(const onnx::NodeProto &node,
                                       Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  float low = std::numeric_limits<float>::lowest();
  float high = std::numeric_limits<float>::max();
  if (opset < 11) {
    low = getFloat(node, "min", low);
    high = getFloat(node, "max", high);
  } else {
    // Opset 11: min and max are optional constant scalar inputs.
    for (auto [operand, bound] : {std::pair{1, &low}, std::pair{2, &high}}) {
      if (operand >= node.input_size() || node.input(operand).empty())
        continue;
      DenseElementsAttr attr = getConstantAttr(node, operand);
      if (!attr || !attr.getElementType().isF32() || attr.getNumElements() != 1)
        return emitError(loc) << "Clip: input #" << operand
                              << " must be a constant float32 scalar";
      *bound = *attr.getValues<float>().begin();
    }
  }
  if (low > high)
    return emitError(loc) << "Clip: min " << low << " is greater than max "
                          << high;
  define(node,
         ClipOp::create(builder, loc, *input, builder.getF32FloatAttr(low),
                        builder.getF32FloatAttr(high))
             .getResult());
  return success();
}

LogicalResult OnnxImporter::importConcat(const onnx::NodeProto &node,
                                         Location loc) {
  SmallVector<Value> inputs;
  for (int i = 0; i < node.input_size(); ++i) {
    FailureOr<Value> value = getValue(node, i);
    if (failed(value))
      return failure();
    inputs.push_back(*value);
  }
  if (inputs.empty())
    return emitError(loc) << "Concat: no inputs";
  if (!findAttr(node, "axis"))
    return emitError(loc) << "Concat: the axis attribute is missing";
  int64_t rank = cast<RankedTensorType>(inputs.front().getType()).getRank();
  int64_t axis = getInt(node, "axis", 1);
  if (axis < -rank || axis >= rank)
    return emitError(loc) << "Concat: axis " << axis
                          << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  FailureOr<Value> result =
      createInferred<ConcatOp>(builder, loc, inputs.front().getType(), inputs,
                               builder.getI64IntegerAttr(axis));
  if (failed(result))
    return failure();
  define(node, *result);
  return success();
}

LogicalResult OnnxImporter::importReduceMean(const onnx::NodeProto &node,
                                             Location loc) {
  FailureOr<Value> input = getValue(node, 0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  // Axes: an attribute before opset 18, an optional input since.
  FailureOr<SmallVector<int64_t>> axes =
      opset >= 18 ? getIntsInput(node, 1, "axes", SmallVector<int64_t>{})
                  : FailureOr<SmallVector<int64_t>>(getInts(node, "axes", {}));
  if (failed(axes))
    return failure();
  SmallVector<int64_t> normalized;
  for (int64_t axis : *axes)
    normalized.push_back(axis < 0 ? axis + type.getRank() : axis);
  llvm::sort(normalized);
  if (normalized.empty()) // No axes: all of them (noop_with_empty_axes=0).
    normalized = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  bool spatial =
      type.getRank() == 4 && normalized == SmallVector<int64_t>{2, 3};
  FailureOr<Value> mean =
      spatial ? createInferred<GlobalAvgPoolOp>(builder, loc, type, *input)
              : createInferred<ReduceMeanOp>(
                    builder, loc, type, *input,
                    builder.getDenseI64ArrayAttr(normalized));
  if (failed(mean))
    return failure();
  Value result = *mean;
  if (!getInt(node, "keepdims", 1)) {
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (!llvm::is_contained(normalized, d))
        shape.push_back(type.getDimSize(d));
    if (spatial) {
      FailureOr<Value> flat = createInferred<FlattenOp>(
          builder, loc, type, result, builder.getI64IntegerAttr(1));
      if (failed(flat))
        return failure();
      result = *flat;
    } else {
      result = ReshapeOp::create(
          builder, loc, RankedTensorType::get(shape, type.getElementType()),
          result);
    }
  }
  define(node, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Constant subgraphs (shape arithmetic) evaluated at import
//===----------------------------------------------------------------------===//

namespace {
/// A small constant tensor of int64 or f32 values during folding.
struct ConstArray {
  SmallVector<int64_t> shape;
  bool isFloat = false;
  SmallVector<int64_t> ints;
  SmallVector<float> floats;

  /// A float as an int64, saturated (NaN: 0), as a cast must not overflow.
  static int64_t saturate(double v) {
    if (std::isnan(v))
      return 0;
    if (v >= 9.2233720368547758e18)
      return std::numeric_limits<int64_t>::max();
    if (v <= -9.2233720368547758e18)
      return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(v);
  }
  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  double at(int64_t i) const { return isFloat ? floats[i] : ints[i]; }
  int64_t intAt(int64_t i) const {
    return isFloat ? saturate(floats[i]) : ints[i];
  }
  void push(double v) {
    if (isFloat)
      floats.push_back(static_cast<float>(v));
    else
      ints.push_back(saturate(v));
  }
  void pushInt(int64_t v) {
    if (isFloat)
      floats.push_back(static_cast<float>(v));
    else
      ints.push_back(v);
  }
  void pushFrom(const ConstArray &other, int64_t i) {
    if (isFloat)
      floats.push_back(other.isFloat ? other.floats[i] : other.ints[i]);
    else
      ints.push_back(other.intAt(i));
  }
};
} // namespace

static std::optional<ConstArray> toConstArray(DenseElementsAttr attr) {
  ConstArray a;
  a.shape = llvm::to_vector(attr.getType().getShape());
  Type type = attr.getElementType();
  if (type.isF32()) {
    a.isFloat = true;
    a.floats = llvm::to_vector(attr.getValues<float>());
  } else if (type.isInteger(64)) {
    a.ints = llvm::to_vector(attr.getValues<int64_t>());
  } else {
    return std::nullopt;
  }
  return a;
}

static DenseElementsAttr toAttr(OpBuilder &b, const ConstArray &a) {
  if (a.isFloat)
    return DenseElementsAttr::get(
        RankedTensorType::get(a.shape, b.getF32Type()), ArrayRef(a.floats));
  return DenseElementsAttr::get(RankedTensorType::get(a.shape, b.getI64Type()),
                                ArrayRef(a.ints));
}

/// Row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// The operators foldConstantNode evaluates.
static const llvm::StringSet<> kFoldableOperators = {
    "Shape",           "Gather", "Unsqueeze", "Squeeze",
    "ConstantOfShape", "Cast",   "Range",     "Expand",
    "Equal",           "Where",  "Neg"};

FailureOr<bool> OnnxImporter::foldConstantNode(const onnx::NodeProto &node,
                                               Location loc) {
  StringRef type = node.op_type();
  if (node.output_size() != 1)
    return false;
  // The inputs, all constants (Shape: any value of static shape).
  SmallVector<std::optional<ConstArray>> in;
  for (int i = 0; i < node.input_size(); ++i) {
    if (node.input(i).empty()) {
      in.push_back(std::nullopt);
      continue;
    }
    if (type == "Shape" && i == 0) {
      Value value = values.lookup(node.input(0));
      ShapedType shaped;
      if (value)
        shaped = dyn_cast<ShapedType>(value.getType());
      else if (DenseElementsAttr attr = getConstantAttr(node, 0))
        shaped = attr.getType();
      if (!shaped || !shaped.hasStaticShape())
        return false;
      ConstArray a;
      a.shape = {shaped.getRank()};
      a.ints = llvm::to_vector(shaped.getShape());
      in.push_back(a);
      continue;
    }
    DenseElementsAttr attr = getConstantAttr(node, i);
    if (!attr)
      return false;
    std::optional<ConstArray> a = toConstArray(attr);
    if (!a)
      return false;
    in.push_back(*a);
  }
  auto fail = [&](const Twine &message) -> FailureOr<bool> {
    return emitError(loc) << type << ": " << message;
  };
  // Every foldable operator reads its first input.
  if (in.empty() || !in[0])
    return false;
  auto need = [&](int i) { return i < static_cast<int>(in.size()) && in[i]; };
  auto intsOf = [&](int i) {
    SmallVector<int64_t> v;
    for (int64_t k = 0; k < in[i]->size(); ++k)
      v.push_back(in[i]->intAt(k));
    return v;
  };
  ConstArray out;
  if (type == "Shape") {
    SmallVector<int64_t> dims = in[0]->ints;
    int64_t rank = dims.size();
    int64_t start = getInt(node, "start", 0), end = getInt(node, "end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    out.ints.assign(dims.begin() + start, dims.begin() + std::max(start, end));
    out.shape = {static_cast<int64_t>(out.ints.size())};
  } else if (type == "Gather") {
    if (!need(0) || !need(1))
      return false;
    const ConstArray &data = *in[0], &indices = *in[1];
    int64_t rank = data.shape.size();
    int64_t axis = getInt(node, "axis", 0);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return fail("axis out of range");
    int64_t outer = 1, inner = 1, extent = data.shape[axis];
    for (int64_t d = 0; d < axis; ++d)
      outer *= data.shape[d];
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= data.shape[d];
    out.isFloat = data.isFloat;
    out.shape.assign(data.shape.begin(), data.shape.begin() + axis);
    llvm::append_range(out.shape, indices.shape);
    out.shape.append(data.shape.begin() + axis + 1, data.shape.end());
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < indices.size(); ++k) {
        int64_t index = indices.intAt(k);
        if (index < 0)
          index += extent;
        if (index < 0 || index >= extent)
          return fail("index out of range");
        for (int64_t i = 0; i < inner; ++i)
          out.pushFrom(data, (o * extent + index) * inner + i);
      }
  } else if (type == "Unsqueeze" || type == "Squeeze") {
    SmallVector<int64_t> axes =
        opset < 13 ? getInts(node, "axes", {})
                   : (need(1) ? intsOf(1) : SmallVector<int64_t>{});
    out = *in[0];
    if (type == "Squeeze") {
      int64_t rank = out.shape.size();
      SmallVector<int64_t> shape;
      for (int64_t d = 0; d < rank; ++d) {
        bool listed = llvm::any_of(
            axes, [&](int64_t a) { return (a < 0 ? a + rank : a) == d; });
        if (axes.empty() ? out.shape[d] != 1 : !listed)
          shape.push_back(out.shape[d]);
      }
      out.shape = shape;
    } else {
      int64_t rank = out.shape.size() + axes.size();
      SmallVector<int64_t> sorted;
      for (int64_t a : axes)
        sorted.push_back(a < 0 ? a + rank : a);
      llvm::sort(sorted);
      for (int64_t a : sorted) {
        if (a < 0 || a > static_cast<int64_t>(out.shape.size()))
          return fail("axis out of range");
        out.shape.insert(out.shape.begin() + a, 1);
      }
    }
  } else if (type == "ConstantOfShape") {
    if (!need(0))
      return false;
    out.shape = intsOf(0);
    double value = 0;
    if (const onnx::AttributeProto *attr = findAttr(node, "value")) {
      FailureOr<DenseElementsAttr> tensor = readTensor(attr->t());
      if (failed(tensor))
        return failure();
      std::optional<ConstArray> v = toConstArray(*tensor);
      if (!v || v->size() != 1)
        return fail("value must be one float32 or int64");
      out.isFloat = v->isFloat;
      value = v->at(0);
    } else {
      out.isFloat = true;
    }
    if (out.size() > (int64_t(1) << 24))
      return fail("shape too large");
    for (int64_t i = 0; i < out.size(); ++i)
      out.push(value);
  } else if (type == "Cast") {
    int64_t to = getInt(node, "to", 0);
    out = *in[0];
    bool toFloat = to == onnx::TensorProto_DataType_FLOAT ||
                   to == onnx::TensorProto_DataType_DOUBLE;
    bool toInt = to == onnx::TensorProto_DataType_INT64 ||
                 to == onnx::TensorProto_DataType_INT32;
    if (!toFloat && !toInt)
      return false;
    ConstArray cast;
    cast.shape = out.shape;
    cast.isFloat = toFloat;
    for (int64_t i = 0; i < out.size(); ++i)
      cast.pushFrom(out, i);
    out = cast;
  } else if (type == "Range") {
    if (!need(0) || !need(1) || !need(2))
      return false;
    if (in[0]->size() != 1 || in[1]->size() != 1 || in[2]->size() != 1)
      return fail("start, limit and delta must be scalars");
    double start = in[0]->at(0), limit = in[1]->at(0), delta = in[2]->at(0);
    if (delta == 0)
      return fail("delta is zero");
    out.isFloat = in[0]->isFloat;
    int64_t n = std::max<int64_t>(
        0, ConstArray::saturate(std::ceil((limit - start) / delta)));
    if (n > (int64_t(1) << 24))
      return fail("range too long");
    out.shape = {n};
    for (int64_t i = 0; i < n; ++i)
      out.push(start + i * delta);
  } else if (type == "Transpose") {
    const ConstArray &data = *in[0];
    int64_t rank = data.shape.size();
    SmallVector<int64_t> perm = getInts(node, "perm", {});
    if (perm.empty())
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    if (static_cast<int64_t>(perm.size()) != rank)
      return fail("perm does not match the rank");
    out.isFloat = data.isFloat;
    for (int64_t d : perm)
      out.shape.push_back(data.shape[d]);
    SmallVector<int64_t> inStrides = stridesOf(data.shape);
    SmallVector<int64_t> index(rank, 0);
    for (int64_t i = 0; i < data.size(); ++i) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d)
        offset += index[d] * inStrides[perm[d]];
      out.pushFrom(data, offset);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < out.shape[d])
          break;
        index[d] = 0;
      }
    }
  } else if (type == "Concat") {
    int64_t rank = in[0]->shape.size();
    int64_t axis = getInt(node, "axis", 0);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return fail("axis out of range");
    out.isFloat = in[0]->isFloat;
    out.shape = in[0]->shape;
    out.shape[axis] = 0;
    for (auto &a : in) {
      if (!a || static_cast<int64_t>(a->shape.size()) != rank)
        return fail("inputs differ in rank");
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis && a->shape[d] != in[0]->shape[d])
          return fail("inputs differ outside the axis");
      out.shape[axis] += a->shape[axis];
    }
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= out.shape[d];
    for (int64_t o = 0; o < outer; ++o)
      for (auto &a : in) {
        int64_t chunk = a->size() / std::max<int64_t>(outer, 1);
        for (int64_t i = 0; i < chunk; ++i)
          out.pushFrom(*a, o * chunk + i);
      }
  } else if (type == "Reshape") {
    if (!need(0) || !need(1))
      return false;
    out = *in[0];
    SmallVector<int64_t> shape = intsOf(1);
    int64_t known = 1, inferred = -1;
    for (auto [d, extent] : llvm::enumerate(shape)) {
      if (extent == 0 && !getInt(node, "allowzero", 0))
        extent = d < in[0]->shape.size() ? in[0]->shape[d] : 1;
      if (extent == -1)
        inferred = d;
      else
        known *= extent;
    }
    if (inferred >= 0)
      shape[inferred] = known ? in[0]->size() / known : 0;
    out.shape = shape;
    if (out.size() != in[0]->size())
      return fail("shape does not match the element count");
  } else if (type == "Slice") {
    if (opset < 10 || !need(0) || !need(1) || !need(2))
      return false;
    const ConstArray &data = *in[0];
    int64_t rank = data.shape.size();
    SmallVector<int64_t> starts = intsOf(1), ends = intsOf(2);
    SmallVector<int64_t> axes, steps(starts.size(), 1);
    if (need(3))
      axes = intsOf(3);
    else
      for (int64_t d = 0; d < static_cast<int64_t>(starts.size()); ++d)
        axes.push_back(d);
    if (need(4))
      steps = intsOf(4);
    SmallVector<int64_t> first(rank, 0), step(rank, 1), count(data.shape);
    for (auto [i, axis] : llvm::enumerate(axes)) {
      int64_t d = axis < 0 ? axis + rank : axis;
      if (d < 0 || d >= rank || steps[i] == 0)
        return fail("invalid axis or step");
      int64_t extent = data.shape[d], b = starts[i], e = ends[i], t = steps[i];
      if (b < 0)
        b += extent;
      if (e < 0)
        e += extent;
      if (t > 0) {
        b = std::clamp<int64_t>(b, 0, extent);
        e = std::clamp<int64_t>(e, 0, extent);
        count[d] = std::max<int64_t>(0, (e - b + t - 1) / t);
      } else {
        b = std::clamp<int64_t>(b, 0, extent - 1);
        e = std::clamp<int64_t>(e, -1, extent - 1);
        count[d] = std::max<int64_t>(0, (b - e + (-t) - 1) / (-t));
      }
      first[d] = b;
      step[d] = t;
    }
    out.isFloat = data.isFloat;
    out.shape = count;
    SmallVector<int64_t> strides = stridesOf(data.shape);
    SmallVector<int64_t> index(rank, 0);
    for (int64_t i = 0, n = out.size(); i < n; ++i) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d)
        offset += (first[d] + index[d] * step[d]) * strides[d];
      out.pushFrom(data, offset);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < count[d])
          break;
        index[d] = 0;
      }
    }
  } else {
    // Elementwise with NumPy broadcasting: Add, Sub, Mul, Div, Equal,
    // Where, Neg, Expand (broadcast to a shape).
    SmallVector<const ConstArray *> operands;
    ConstArray shapeOnly;
    if (type == "Expand") {
      if (!need(0) || !need(1))
        return false;
      // The target shape, broadcast with the input's.
      shapeOnly.shape = intsOf(1);
      operands = {&*in[0]};
    } else {
      for (auto &a : in) {
        if (!a)
          return false;
        operands.push_back(&*a);
      }
      size_t arity = type == "Neg" ? 1 : type == "Where" ? 3 : 2;
      if (operands.size() != arity)
        return fail("expects " + Twine(arity) + " inputs, got " +
                    Twine(operands.size()));
    }
    int64_t rank = 0;
    for (const ConstArray *a : operands)
      rank = std::max<int64_t>(rank, a->shape.size());
    if (type == "Expand")
      rank = std::max<int64_t>(rank, shapeOnly.shape.size());
    auto padded = [&](ArrayRef<int64_t> shape) {
      SmallVector<int64_t> p(rank - shape.size(), 1);
      llvm::append_range(p, shape);
      return p;
    };
    SmallVector<int64_t> shape(rank, 1);
    auto merge = [&](ArrayRef<int64_t> s) -> LogicalResult {
      SmallVector<int64_t> p = padded(s);
      for (int64_t d = 0; d < rank; ++d) {
        if (p[d] == shape[d] || p[d] == 1)
          continue;
        if (shape[d] != 1)
          return failure();
        shape[d] = p[d];
      }
      return success();
    };
    for (const ConstArray *a : operands)
      if (failed(merge(a->shape)))
        return fail("operands do not broadcast");
    if (type == "Expand" && failed(merge(shapeOnly.shape)))
      return fail("shape does not broadcast");
    out.shape = shape;
    int64_t total = 1;
    for (int64_t d : shape)
      total *= d;
    if (total > (int64_t(1) << 24))
      return fail("result too large");
    bool anyFloat =
        llvm::any_of(operands, [](const ConstArray *a) { return a->isFloat; });
    out.isFloat = type == "Where"   ? operands[1]->isFloat
                  : type == "Equal" ? false
                                    : anyFloat;
    SmallVector<int64_t> outStrides = stridesOf(shape);
    auto offsetOf = [&](const ConstArray *a, int64_t flat) {
      SmallVector<int64_t> p = padded(a->shape);
      SmallVector<int64_t> strides = stridesOf(p);
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d) {
        int64_t coordinate = (flat / outStrides[d]) % shape[d];
        offset += (p[d] == 1 ? 0 : coordinate) * strides[d];
      }
      return offset;
    };
    auto element = [&](const ConstArray *a, int64_t flat) {
      return a->at(offsetOf(a, flat));
    };
    for (int64_t i = 0; i < total; ++i) {
      if (type == "Expand") {
        out.pushFrom(*operands[0], offsetOf(operands[0], i));
        continue;
      }
      if (type == "Where") {
        const ConstArray *source =
            element(operands[0], i) != 0 ? operands[1] : operands[2];
        out.pushFrom(*source, offsetOf(source, i));
        continue;
      }
      if (!anyFloat) {
        // Integer shape arithmetic, exact, overflow an error.
        int64_t x = operands[0]->intAt(offsetOf(operands[0], i)), r = 0;
        if (type == "Neg") {
          if (__builtin_sub_overflow(int64_t(0), x, &r))
            return fail("integer overflow");
          out.pushInt(r);
          continue;
        }
        int64_t y = operands[1]->intAt(offsetOf(operands[1], i));
        bool overflow = false;
        if (type == "Add")
          overflow = __builtin_add_overflow(x, y, &r);
        else if (type == "Sub")
          overflow = __builtin_sub_overflow(x, y, &r);
        else if (type == "Mul")
          overflow = __builtin_mul_overflow(x, y, &r);
        else if (type == "Equal")
          r = x == y;
        else if (y == 0 ||
                 (x == std::numeric_limits<int64_t>::min() && y == -1))
          return fail("integer division by zero or overflow");
        else // integer Div truncates toward zero
          r = x / y;
        if (overflow)
          return fail("integer overflow");
        out.pushInt(r);
        continue;
      }
      if (type == "Neg") {
        out.push(-element(operands[0], i));
        continue;
      }
      double x = element(operands[0], i), y = element(operands[1], i);
      if (type == "Add")
        out.push(x + y);
      else if (type == "Mul")
        out.push(x * y);
      else if (type == "Sub")
        out.push(x - y);
      else if (type == "Equal")
        out.push(x == y ? 1 : 0);
      else
        out.push(x / y);
    }
  }
  constants[node.output(0)] = Constant{toAttr(builder, out), Value()};
  return true;
}

LogicalResult OnnxImporter::importNode(const onnx::NodeProto &node,
                                       Location loc) {
  currentLoc = loc;
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return emitError(loc) << "operator '" << node.op_type() << "' of domain '"
                          << node.domain() << "' is not supported";
  StringRef type = node.op_type();
  // Shape arithmetic on constants (and shapes) becomes constants; Add, Mul,
  // Sub, Div, Concat, Reshape, Slice and Transpose of constants fold the
  // same way.
  if (kFoldableOperators.contains(type) ||
      (llvm::is_contained({"Add", "Sub", "Mul", "Div", "Concat", "Reshape",
                           "Slice", "Transpose"},
                          type) &&
       llvm::all_of(llvm::seq(0, node.input_size()), [&](int i) {
         return node.input(i).empty() || getConstantAttr(node, i);
       }))) {
    FailureOr<bool> folded = foldConstantNode(node, loc);
    if (failed(folded))
      return failure();
    if (*folded)
      return success();
    if ((type == "Squeeze" || type == "Unsqueeze") &&
        (node.input_size() == 0 || values.count(node.input(0))))
      return importSqueeze(node, loc);
    if (kFoldableOperators.contains(type))
      return emitError(loc) << type
                            << " is supported on constants and shapes only "
                               "(shape arithmetic), not on computed tensors";
  }
  // A node of one input whose result `create` builds (or fails to).
  auto unary = [&](auto create) -> LogicalResult {
    FailureOr<Value> input = getValue(node, 0);
    if (failed(input))
      return failure();
    FailureOr<Value> result = create(*input);
    if (failed(result))
      return failure();
    define(node, *result);
    return success();
  };
  if (type == "Conv")
    return importConv(node, loc);
  if (type == "MaxPool")
    return importPool(node, loc, /*isMax=*/true);
  if (type == "AveragePool")
    return importPool(node, loc, /*isMax=*/false);
  if (type == "Gemm")
    return importGemm(node, loc, /*isMatMul=*/false);
  if (type == "MatMul")
    return importGemm(node, loc, /*isMatMul=*/true);
  if (type == "Reshape")
    return importReshape(node, loc);
  if (type == "Transpose")
    return unary([&](Value x) {
      SmallVector<int64_t> perm = getInts(node, "perm", {});
      if (perm.empty()) // ONNX's default reverses the dimensions.
        for (int64_t d = cast<RankedTensorType>(x.getType()).getRank() - 1;
             d >= 0; --d)
          perm.push_back(d);
      return createInferred<TransposeOp>(builder, loc, x.getType(), x,
                                         builder.getDenseI64ArrayAttr(perm));
    });
  if (type == "Add")
    return importAdd(node, loc);
  if (type == "Slice")
    return importSlice(node, loc);
  if (type == "Split")
    return importSplit(node, loc);
  if (type == "Pad")
    return importPad(node, loc);
  if (type == "Relu")
    return unary([&](Value x) -> FailureOr<Value> {
      return ReluOp::create(builder, loc, x).getResult();
    });
  if (type == "Sigmoid")
    return unary([&](Value x) -> FailureOr<Value> {
      return SigmoidOp::create(builder, loc, x).getResult();
    });
  if (type == "HardSigmoid")
    return unary([&](Value x) -> FailureOr<Value> {
      return HardSigmoidOp::create(
                 builder, loc, x,
                 builder.getF32FloatAttr(getFloat(node, "alpha", 0.2f)),
                 builder.getF32FloatAttr(getFloat(node, "beta", 0.5f)))
          .getResult();
    });
  if (type == "HardSwish")
    return unary([&](Value x) -> FailureOr<Value> {
      return HardSwishOp::create(builder, loc, x).getResult();
    });
  if (type == "LeakyRelu")
    return unary([&](Value x) -> FailureOr<Value> {
      return LeakyReluOp::create(
                 builder, loc, x,
                 builder.getF32FloatAttr(getFloat(node, "alpha", 0.01f)))
          .getResult();
    });
  if (type == "Elu" || type == "Selu") {
    // ONNX's defaults: Elu alpha 1; Selu alpha 1.67326..., gamma 1.0507...
    bool selu = type == "Selu";
    float alpha =
        getFloat(node, "alpha", selu ? 1.67326319217681884765625f : 1.0f);
    float gamma =
        selu ? getFloat(node, "gamma", 1.05070102214813232421875f) : 1.0f;
    return unary([&](Value x) -> FailureOr<Value> {
      return EluOp::create(builder, loc, x, builder.getF32FloatAttr(alpha),
                           builder.getF32FloatAttr(gamma))
          .getResult();
    });
  }
  if (type == "Tanh")
    return unary([&](Value x) -> FailureOr<Value> {
      return TanhOp::create(builder, loc, x).getResult();
    });
  if (type == "Softplus")
    return unary([&](Value x) -> FailureOr<Value> {
      return SoftplusOp::create(builder, loc, x).getResult();
    });
  if (type == "Mish")
    return unary([&](Value x) -> FailureOr<Value> {
      return MishOp::create(builder, loc, x).getResult();
    });
  if (type == "PRelu")
    return importPRelu(node, loc);
  if (type == "Clip")
    return importClip(node, loc);
  if (type == "Mul")
    return importBroadcast<MulOp>(node, loc);
  if (type == "Sub")
    return importBroadcast<SubOp>(node, loc);
  if (type == "Div")
    return importBroadcast<DivOp>(node, loc);
  if (type == "Pow")
    return importPow(node, loc);
  if (type == "LayerNormalization")
    return importLayerNorm(node, loc);
  if (type == "InstanceNormalization")
    return importInstanceNorm(node, loc);
  if (type == "ConvTranspose")
    return importConvTranspose(node, loc);
  if (type == "DepthToSpace")
    return unary([&](Value x) -> FailureOr<Value> {
      std::string mode = getString(node, "mode", "DCR");
      if (mode != "DCR" && mode != "CRD")
        return emitError(loc)
               << "DepthToSpace: mode '" << mode << "' is not DCR or CRD";
      if (cast<RankedTensorType>(x.getType()).getRank() != 4)
        return emitError(loc) << "DepthToSpace: the input " << x.getType()
                              << " is not of rank 4";
      return createInferred<DepthToSpaceOp>(
          builder, loc, x.getType(), x,
          builder.getI64IntegerAttr(getInt(node, "blocksize", 0)),
          mode == "CRD" ? builder.getUnitAttr() : UnitAttr());
    });
  if (type == "Sqrt")
    return unary([&](Value x) -> FailureOr<Value> {
      return SqrtOp::create(builder, loc, x).getResult();
    });
  if (type == "Erf")
    return unary([&](Value x) -> FailureOr<Value> {
      return ErfOp::create(builder, loc, x).getResult();
    });
  if (type == "Concat")
    return importConcat(node, loc);
  if (type == "ReduceMean")
    return importReduceMean(node, loc);
  if (type == "Resize" || type == "Upsample")
    return importResize(node, loc);
  if (type == "Identity") {
    // Exporters alias deduplicated weights through Identity: keep them
    // constants, known at import time.
    if (DenseElementsAttr attr = getConstantAttr(node, 0)) {
      if (node.output_size() > 0)
        constants[node.output(0)] = constants[node.input(0)];
      return success();
    }
    return unary([](Value x) -> FailureOr<Value> { return x; });
  }
  if (type == "Dropout") {
    if (node.output_size() > 1 && !node.output(1).empty())
      return emitError(loc) << "Dropout: the mask output is not supported";
    return unary([](Value x) -> FailureOr<Value> { return x; });
  }
  if (type == "GlobalAveragePool")
    return unary([&](Value x) {
      return createInferred<GlobalAvgPoolOp>(builder, loc, x.getType(), x);
    });
  if (type == "Flatten")
    return unary([&](Value x) {
      return createInferred<FlattenOp>(
          builder, loc, x.getType(), x,
          builder.getI64IntegerAttr(getInt(node, "axis", 1)));
    });
  if (type == "Softmax" || type == "LogSoftmax") {
    FailureOr<Value> input = getValue(node, 0);
    if (failed(input))
      return failure();
    auto inputType = cast<RankedTensorType>(input->getType());
    int64_t axis = getInt(node, "axis", opset >= 13 ? -1 : 1);
    int64_t rank = inputType.getRank();
    int64_t normalized = axis < 0 ? axis + rank : axis;
    // Before opset 13, Softmax normalizes the flattened trailing dimensions.
    if (opset < 13 && normalized != rank - 1)
      return emitError(loc)
             << type << " (opset " << opset << ") over axis " << axis << " of "
             << inputType << " is not supported; only the last axis is";
    define(node, SoftmaxOp::create(
                     builder, loc, *input, builder.getI64IntegerAttr(axis),
                     type == "LogSoftmax" ? builder.getUnitAttr() : UnitAttr())
                     .getResult());
    return success();
  }
  if (type == "BatchNormalization") {
    if (getInt(node, "training_mode", 0))
      return emitError(loc) << "BatchNormalization: training_mode=1 is not "
                               "supported (export the model in eval mode)";
    for (int i = 1; i < node.output_size(); ++i)
      if (!node.output(i).empty())
        return emitError(loc) << "BatchNormalization: the running statistics "
                                 "outputs are not supported";
    SmallVector<Value> operands;
    for (int i = 0; i < 5; ++i) {
      FailureOr<Value> value = getValue(node, i);
      if (failed(value))
        return failure();
      operands.push_back(*value);
    }
    FailureOr<Value> norm = createInferred<BatchNormOp>(
        builder, loc, operands[0].getType(), operands[0], operands[1],
        operands[2], operands[3], operands[4],
        builder.getF32FloatAttr(getFloat(node, "epsilon", 1e-5f)));
    if (failed(norm))
      return failure();
    define(node, *norm);
    return success();
  }
  if (type == "Constant") {
    const onnx::AttributeProto *value = findAttr(node, "value");
    if (!value || !value->has_t())
      return emitError(loc) << "Constant: only the 'value' tensor form is "
                               "supported";
    FailureOr<DenseElementsAttr> attr = readTensor(value->t());
    if (failed(attr))
      return failure();
    if (node.output_size() > 0)
      constants[node.output(0)] = Constant{*attr, Value()};
    return success();
  }
  return emitError(loc) << "unsupported operator '" << type << "' (opset "
                        << opset << ")";
}

//===----------------------------------------------------------------------===//
// Model
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> OnnxImporter::run() {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error() << "cannot open: " << buffer.getError().message();
    return nullptr;
  }
  return run((*buffer)->getBuffer());
}

std::optional<RankedTensorType>
OnnxImporter::importInputType(const onnx::ValueInfoProto &input) {
  if (!input.type().has_tensor_type() ||
      input.type().tensor_type().elem_type() !=
          onnx::TensorProto_DataType_FLOAT) {
    error() << "input '" << input.name() << "' must be a float32 tensor";
    return std::nullopt;
  }
  SmallVector<int64_t> shape;
  const auto &dims = input.type().tensor_type().shape().dim();
  if (!options.inputShape.empty() &&
      options.inputShape.size() != static_cast<size_t>(dims.size())) {
    error() << "--input-shape has rank " << options.inputShape.size()
            << " but input '" << input.name() << "' has rank " << dims.size();
    return std::nullopt;
  }
  for (const auto &[i, dim] : llvm::enumerate(dims)) {
    if (!options.inputShape.empty()) {
      if (dim.has_dim_value() && dim.dim_value() != options.inputShape[i])
        emitWarning(fileLoc)
            << "--input-shape overrides dimension " << i << " of input '"
            << input.name() << "' (" << dim.dim_value() << " -> "
            << options.inputShape[i] << ")";
      shape.push_back(options.inputShape[i]);
    } else if (dim.has_dim_value() && dim.dim_value() > 0) {
      shape.push_back(dim.dim_value());
    } else if (i == 0) {
      // A symbolic batch: the caller chooses it (options.batch), else 1.
      if (options.symbolicBatch)
        *options.symbolicBatch = true;
      shape.push_back(1);
    } else {
      error() << "input '" << input.name() << "' has symbolic dimension " << i
              << " ('" << dim.dim_param() << "'); set it with --input-shape";
      return std::nullopt;
    }
  }
  if (options.batch && !shape.empty())
    shape.front() = *options.batch;
  if (shape.empty() || llvm::any_of(shape, [](int64_t d) { return d <= 0; })) {
    error() << "input '" << input.name() << "' has an invalid shape "
            << formatList(shape) << " (expected a batch dimension and sizes "
            << "of at least 1)";
    return std::nullopt;
  }
  return RankedTensorType::get(shape, builder.getF32Type());
}

OwningOpRef<ModuleOp> OnnxImporter::run(StringRef bytes) {
  if (bytes.empty()) {
    error() << "the file is empty";
    return nullptr;
  }
  if (bytes.size() > std::numeric_limits<int>::max() ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error() << "not a valid ONNX model (the protobuf does not parse; is the "
               "file truncated?)";
    return nullptr;
  }
  for (const onnx::OperatorSetIdProto &set : model.opset_import())
    if (set.domain().empty() || set.domain() == "ai.onnx")
      opset = set.version();
  if (opset < kMinOpset || opset > kMaxOpset) {
    error() << "default-domain opset " << opset << " is not supported (use "
            << kMinOpset << " to " << kMaxOpset << ")";
    return nullptr;
  }
  const onnx::GraphProto &graph = model.graph();
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializers[tensor.name()] = &tensor;

  // The graph inputs that are not initializers are the model's inputs.
  SmallVector<const onnx::ValueInfoProto *> inputs;
  for (const onnx::ValueInfoProto &info : graph.input())
    if (!initializers.count(info.name()))
      inputs.push_back(&info);
  if (inputs.empty()) {
    error() << "the model has no input";
    return nullptr;
  }
  if (graph.output_size() == 0) {
    error() << "the model has no output";
    return nullptr;
  }
  if (inputs.size() > kMaxTensors ||
      static_cast<size_t>(graph.output_size()) > kMaxTensors) {
    error() << "the model has " << inputs.size() << " inputs and "
            << graph.output_size() << " outputs; cnnc compiles models with "
            << "at most " << kMaxTensors << " of each";
    return nullptr;
  }
  if (!options.inputShape.empty() && inputs.size() > 1) {
    error() << "--input-shape sets the shape of a model's one input; this "
            << "model has " << inputs.size();
    return nullptr;
  }
  SmallVector<Type> inputTypes;
  for (const onnx::ValueInfoProto *input : inputs) {
    std::optional<RankedTensorType> type = importInputType(*input);
    if (!type)
      return nullptr;
    inputTypes.push_back(*type);
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "forward",
                                   builder.getFunctionType(inputTypes, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToEnd(entry);
  for (auto [index, input] : llvm::enumerate(inputs)) {
    values[input->name()] = entry->getArgument(index);
    func.setArgAttr(index, kNameAttr, builder.getStringAttr(input->name()));
  }

  // Every unsupported operator at once, with its count and first node,
  // rather than only the first one met.
  {
    llvm::MapVector<std::string, std::pair<int, std::string>,
                    std::map<std::string, unsigned>>
        unsupported;
    for (const auto &[index, node] : llvm::enumerate(graph.node())) {
      bool ownDomain = node.domain().empty() || node.domain() == "ai.onnx";
      if (ownDomain && kSupportedOperators.contains(node.op_type()))
        continue;
      auto &entry =
          unsupported[ownDomain ? node.op_type()
                                : node.domain() + "." + node.op_type()];
      if (entry.first++ == 0)
        entry.second =
            node.name().empty() ? fmt::format("#{}", index) : node.name();
    }
    if (!unsupported.empty()) {
      std::string list;
      for (const auto &[type, entry] : unsupported)
        list += fmt::format("{}{} (x{}, first '{}')", list.empty() ? "" : ", ",
                            type, entry.first, entry.second);
      error() << "unsupported operators (opset " << opset << "): " << list;
      return nullptr;
    }
  }
  // Every tensor has one definition (SSA); count the readers of each, so
  // that a fusion at import (a MatMul's bias) knows it has the only one.
  {
    llvm::StringMap<std::string> definedBy;
    for (const onnx::ValueInfoProto &input : graph.input())
      definedBy[input.name()] = "the graph input '" + input.name() + "'";
    for (const auto &[index, node] : llvm::enumerate(graph.node())) {
      std::string name =
          node.name().empty() ? fmt::format("#{}", index) : node.name();
      for (const std::string &output : node.output()) {
        if (output.empty())
          continue;
        auto [it, inserted] =
            definedBy.try_emplace(output, "node '" + name + "'");
        if (!inserted) {
          error() << "tensor '" << output << "' is defined twice: by "
                  << it->second << " and by node '" << name << "'";
          return nullptr;
        }
      }
      for (const std::string &input : node.input())
        if (!input.empty())
          ++readers[input];
    }
    for (const onnx::ValueInfoProto &output : graph.output())
      ++readers[output.name()];
  }
  for (const auto &[index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, nodeLoc(node, index))))
      return nullptr;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value result = values.lookup(output.name());
    if (!result) {
      error() << "the graph output '" << output.name()
              << "' is not computed by any node";
      return nullptr;
    }
    if (isa<BlockArgument>(result) ||
        !isa<RankedTensorType>(result.getType()) ||
        !cast<RankedTensorType>(result.getType()).getElementType().isF32()) {
      error() << "the graph output '" << output.name()
              << "' must be a float32 tensor computed by the model";
      return nullptr;
    }
    results.push_back(result);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, kNameAttr, builder.getStringAttr(output.name()));
  return module;
}

} // namespace

OwningOpRef<ModuleOp>
mlir::cnn::importOnnxModel(MLIRContext *context, StringRef path,
                           const OnnxImportOptions &options) {
  context->loadDialect<CnnDialect, arith::ArithDialect, func::FuncDialect>();
  return OnnxImporter(context, path, options).run();
}

OwningOpRef<ModuleOp>
mlir::cnn::importOnnxModelFromBytes(MLIRContext *context, StringRef bytes,
                                    StringRef name,
                                    const OnnxImportOptions &options) {
  context->loadDialect<CnnDialect, arith::ArithDialect, func::FuncDialect>();
  return OnnxImporter(context, name, options).run(bytes);
}
