//===- CnnDialect.cpp - The cnn dialect -----------------------------------===//
//
// Registration of the cnn dialect.
//
//===----------------------------------------------------------------------===//

#include "cnn/CnnOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::cnn;

#include "cnn/CnnDialect.cpp.inc"
#include "cnn/CnnEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "cnn/CnnAttrs.cpp.inc"

void CnnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "cnn/CnnOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "cnn/CnnAttrs.cpp.inc"
      >();
}

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ActivationKind kind, FloatAttr min, FloatAttr max,
                       FloatAttr alpha, FloatAttr gamma) {
  bool isClip = kind == ActivationKind::Clip;
  bool hasAlpha =
      kind == ActivationKind::LeakyRelu || kind == ActivationKind::Elu;
  bool hasGamma = kind == ActivationKind::Elu;
  StringRef name = stringifyActivationKind(kind);
  if (!isClip && (min || max))
    return emitError() << "activation " << name << " takes no min or max";
  if (!hasAlpha && alpha)
    return emitError() << "activation " << name << " takes no alpha";
  if (!hasGamma && gamma)
    return emitError() << "activation " << name << " takes no gamma";
  if (hasAlpha && !alpha)
    return emitError() << "activation " << name << " needs an alpha";
  if (hasGamma && !gamma)
    return emitError() << "activation " << name << " needs a gamma";
  if (!isClip)
    return success();
  if (!min || !max)
    return emitError() << "activation clip needs both min and max";
  if (min.getValueAsDouble() > max.getValueAsDouble())
    return emitError() << "activation clip's min (" << min.getValueAsDouble()
                       << ") exceeds its max (" << max.getValueAsDouble()
                       << ")";
  return success();
}

LogicalResult
LayerInfoAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringRef name, StringRef op, DenseI64ArrayAttr shape,
                      int64_t flops, StringRef algorithm) {
  if (!shape)
    return emitError() << "layer_info needs a shape";
  if (llvm::any_of(shape.asArrayRef(), [](int64_t dim) { return dim < -1; }))
    return emitError() << "layer_info shape dimensions must be sizes, or -1 "
                          "for an unknown one";
  if (flops < 0)
    return emitError() << "layer_info flops must not be negative";
  if (op.empty() || algorithm.empty())
    return emitError() << "layer_info op and algorithm must not be empty";
  return success();
}

LogicalResult KernelAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 KernelAlgorithm algorithm, int64_t vectorWidth,
                                 int64_t pixels, int64_t tail, int64_t channels,
                                 int64_t reduction, int64_t taskRows,
                                 int64_t taskChannels, BoolAttr packFilter,
                                 int64_t paddedChannels, int64_t groups,
                                 bool inConsumer, bool inProducer) {
  if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16)
    return emitError() << "kernel vector_width must be 4, 8 or 16, not "
                       << vectorWidth;
  if (pixels < 1 || channels < 1 || reduction < 1 || taskRows < 1 ||
      taskChannels < 1)
    return emitError() << "kernel pixels, channels, reduction, task_rows and "
                          "task_channels must be positive";
  if (tail < 0 || tail >= pixels)
    return emitError() << "kernel tail must be in [0, pixels), not " << tail;
  if (taskChannels % channels != 0)
    return emitError() << "kernel task_channels (" << taskChannels
                       << ") must be a multiple of channels (" << channels
                       << ")";
  if (!packFilter)
    return emitError() << "kernel pack_filter must be true or false";
  if (paddedChannels < 0 ||
      (paddedChannels && algorithm != KernelAlgorithm::Direct &&
       algorithm != KernelAlgorithm::PairedColumns))
    return emitError() << "kernel padded_channels must be 0, or positive "
                          "with the direct or paired_columns algorithm";
  if (groups < 1 ||
      (groups > 1 && (algorithm != KernelAlgorithm::Direct || paddedChannels)))
    return emitError() << "kernel groups must be 1, or above 1 with the "
                          "direct algorithm and no padded_channels";
  if (inConsumer && (algorithm != KernelAlgorithm::Direct || groups != 1 ||
                     paddedChannels || packFilter.getValue()))
    return emitError() << "kernel in_consumer needs the direct algorithm, "
                          "one group, no padded_channels and no pack_filter "
                          "(a depthwise kernel's)";
  if (inProducer && (inConsumer || algorithm != KernelAlgorithm::Direct ||
                     groups != 1 || paddedChannels || packFilter.getValue()))
    return emitError() << "kernel in_producer needs the direct algorithm, "
                          "one group, no padded_channels, no pack_filter and "
                          "no in_consumer (a global pooling's)";
  return success();
}

/// `cnn.kernel` on a cnn op: a `#cnn.kernel` whose algorithm the op can run
/// and whose blocks divide its output. (On the linalg ops the lowering
/// builds, the attribute is only carried.)
LogicalResult CnnDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attribute) {
  if (attribute.getName() == LayerInfoAttr::kTableAttrName) {
    auto table = dyn_cast<ArrayAttr>(attribute.getValue());
    if (!isa<ModuleOp>(op) || !table ||
        !llvm::all_of(table, llvm::IsaPred<LayerInfoAttr>))
      return op->emitOpError("'")
             << LayerInfoAttr::kTableAttrName
             << "' must be an array of #cnn.layer_info on a module";
    return success();
  }
  // Bookkeeping of later passes: layer indices, the arena.
  if (attribute.getName() != KernelAttr::kAttrName)
    return success();
  auto kernel = dyn_cast<KernelAttr>(attribute.getValue());
  if (!kernel)
    return op->emitOpError("'cnn.kernel' must be a #cnn.kernel attribute");
  if (!isa<CnnDialect>(op->getDialect()))
    return success();
  KernelAlgorithm algorithm = kernel.getAlgorithm();
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
    ArrayRef<int64_t> strides = conv.getStrides(),
                      dilations = conv.getDilations();
    if (kernel.isWinograd() &&
        (filter[2] != 3 || filter[3] != 3 || strides[0] != 1 ||
         strides[1] != 1 || dilations[0] != 1 || dilations[1] != 1 ||
         conv.getGroups() != 1))
      return op->emitOpError("kernel ")
             << stringifyKernelAlgorithm(algorithm)
             << " needs a 3x3 convolution with stride 1, dilation 1 and one "
                "group";
    if (algorithm == KernelAlgorithm::PairedColumns &&
        (strides[1] != 2 || dilations[1] != 1 || conv.getGroups() != 1 ||
         filter[1] > 4))
      return op->emitOpError("kernel paired_columns needs a width stride of "
                             "2, width dilation 1, one group and at most 4 "
                             "input channels");
    // An input scale makes each image's filter a run-time value: nothing
    // transforms or repacks it at compile time.
    if (conv.getInputScale() &&
        (algorithm != KernelAlgorithm::Direct || kernel.packsFilter()))
      return op->emitOpError("kernel with an input_scale must be direct "
                             "without pack_filter (each image's filter is "
                             "computed at run time)");
    // A grouped kernel for exactly the grouped convolutions the lowering
    // computes group by group.
    int64_t groups =
        conv.getGroups() != 1 && !conv.isDepthwise() ? conv.getGroups() : 1;
    if (kernel.getGroups() != groups)
      return op->emitOpError("kernel groups (")
             << kernel.getGroups() << ") must be " << groups
             << (groups == 1 ? " (an ungrouped or depthwise convolution)"
                             : ", the convolution's groups");
    // Where the consumer computes it is the cost model's and the lowering's
    // concern (a consumer that cannot leaves it a kernel of its own).
    if (kernel.getInConsumer() && !conv.isDepthwise())
      return op->emitOpError("kernel in_consumer applies to depthwise "
                             "convolutions only");
    if (kernel.getInProducer())
      return op->emitOpError("kernel in_producer applies to global average "
                             "poolings only");
    int64_t outputChannels = conv.getType().getDimSize(1);
    if (int64_t padded = kernel.getPaddedChannels()) {
      if (padded <= outputChannels || conv.getGroups() != 1)
        return op->emitOpError("kernel padded_channels (")
               << padded << ") must exceed the " << outputChannels
               << " output channels of an ungrouped convolution";
      outputChannels = padded;
    }
    if (outputChannels % kernel.getTaskChannels() != 0)
      return op->emitOpError("kernel task_channels (")
             << kernel.getTaskChannels()
             << ") must divide the output channels (" << outputChannels << ")";
    return success();
  }
  if (isa<LinearOp, MaxPool2DOp, AvgPool2DOp, GlobalAvgPoolOp>(op)) {
    if (algorithm != KernelAlgorithm::Direct)
      return op->emitOpError("kernel ") << stringifyKernelAlgorithm(algorithm)
                                        << " applies to convolutions only";
    if (kernel.isGrouped())
      return op->emitOpError("kernel groups applies to convolutions only");
    if (kernel.getInConsumer())
      return op->emitOpError("kernel in_consumer applies to depthwise "
                             "convolutions only");
    // Whether the producer can compute the sums is the cost model's and the
    // lowering's concern (one that cannot leaves it a kernel of its own).
    if (kernel.getInProducer() && !isa<GlobalAvgPoolOp>(op))
      return op->emitOpError("kernel in_producer applies to global average "
                             "poolings only");
    return success();
  }
  return op->emitOpError("takes no 'cnn.kernel': kernels are chosen for "
                         "convolution, linear and pooling layers");
}
