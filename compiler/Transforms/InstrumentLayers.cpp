//===- InstrumentLayers.cpp - Per-layer profiling hooks -------------------===//
//
// Numbers the cnn ops of the model function (its layers, after fusion) and
// calls `cnnrt_layer_begin(i)` before layer i and `cnnrt_layer_begin(-1)`
// before the return. The lowering keeps each layer's code between its call
// and the next one, so the runtime times layers by the gaps between calls
// (cheap when profiling is off: one load and a branch per layer).
//
// The layers are described by `<prefix>_layer_table()`, a string with one
// line per layer: "name \t op \t output shape \t FLOPs \t algorithm".
//
//===----------------------------------------------------------------------===//

#include "Transforms/KernelSelection.h"
#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNINSTRUMENTLAYERS
#define GEN_PASS_DEF_CNNEMITLAYERTABLE
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;
using namespace mlir::cnn;

static constexpr StringLiteral kLayerBegin = "cnnrt_layer_begin";

int64_t mlir::cnn::getLayerFlops(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
    return 2 * conv.getType().getNumElements() * filter[1] * filter[2] *
           filter[3];
  }
  if (auto linear = dyn_cast<LinearOp>(op))
    return 2 * linear.getType().getNumElements() *
           linear.getWeight().getType().getDimSize(1);
  return 0;
}

func::FuncOp mlir::cnn::getModelFunction(ModuleOp module) {
  func::FuncOp model;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isDeclaration())
      model = func;
  return model;
}

SmallVector<Operation *> mlir::cnn::getModelLayers(func::FuncOp model) {
  SmallVector<Operation *> layers;
  if (!model.getBody().hasOneBlock())
    return layers;
  for (Operation &op : model.getBody().front())
    if (isa<CnnDialect>(op.getDialect()))
      layers.push_back(&op);
  return layers;
}

std::string mlir::cnn::getLayerName(Operation *op, int64_t index) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc)) {
    // The layer table separates fields by tabs and layers by newlines.
    std::string text = name.getName().str();
    for (char &c : text)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        c = ' ';
    return text;
  }
  return (op->getName().stripDialect() + "_" + llvm::Twine(index)).str();
}

std::string mlir::cnn::getLayerKind(Operation *op) {
  std::string kind = op->getName().stripDialect().str();
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
    kind += " " + std::to_string(filter[2]) + "x" + std::to_string(filter[3]);
    if (conv.getStrides()[0] != 1 || conv.getStrides()[1] != 1)
      kind += "/s" + std::to_string(conv.getStrides()[0]);
    if (conv.getGroups() != 1)
      kind += " g" + std::to_string(conv.getGroups());
    if (conv.getBias())
      kind += "+bias";
    if (conv.getResidual())
      kind += "+residual";
    if (conv.getRelu())
      kind += "+relu";
    if (ActivationAttr activation = conv.getActivationAttr())
      kind += ("+" + stringifyActivationKind(activation.getKind())).str();
  } else if (auto linear = dyn_cast<LinearOp>(op)) {
    if (linear.getBias())
      kind += "+bias";
    if (linear.getRelu())
      kind += "+relu";
  }
  return kind;
}

namespace {
struct CnnInstrumentLayersPass final
    : cnn::impl::CnnInstrumentLayersBase<CnnInstrumentLayersPass> {
  using CnnInstrumentLayersBase::CnnInstrumentLayersBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp model = getModelFunction(module);
    // A module instrumented already (a later stage given as input) keeps
    // its hooks and table.
    if (!model || !model.getBody().hasOneBlock() ||
        module->hasAttr(kLayerTableAttr))
      return;
    MLIRContext *ctx = &getContext();
    OpBuilder builder(ctx);

    builder.setInsertionPointToStart(module.getBody());
    auto hookType = builder.getFunctionType({builder.getI32Type()}, {});
    if (!module.lookupSymbol(kLayerBegin)) {
      auto hook =
          func::FuncOp::create(builder, module.getLoc(), kLayerBegin, hookType);
      hook.setPrivate();
    }
    auto callHook = [&](Operation *before, int32_t layer) {
      builder.setInsertionPoint(before);
      Value id = arith::ConstantOp::create(builder, before->getLoc(),
                                           builder.getI32IntegerAttr(layer));
      func::CallOp::create(builder, before->getLoc(), kLayerBegin, TypeRange{},
                           ValueRange{id});
    };

    SmallVector<Attribute> table;
    int32_t index = 0;
    for (Operation *op : getModelLayers(model)) {
      std::string line;
      llvm::raw_string_ostream os(line);
      os << getLayerName(op, index) << '\t' << getLayerKind(op) << '\t';
      if (auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType()))
        llvm::interleave(type.getShape(), os, "x");
      os << '\t' << getLayerFlops(op) << '\t';
      if (KernelAttr kernel = getKernel(op))
        os << getKernelName(kernel);
      else
        os << (isa<Conv2DOp, LinearOp>(op) ? "direct" : "-");
      table.push_back(builder.getStringAttr(line));
      op->setAttr(kLayerAttr, builder.getI32IntegerAttr(index));
      callHook(op, index++);
    }
    callHook(model.getBody().front().getTerminator(), -1);
    module->setAttr(kLayerTableAttr, builder.getArrayAttr(table));
  }
};
} // namespace

namespace {
struct CnnEmitLayerTablePass final
    : cnn::impl::CnnEmitLayerTableBase<CnnEmitLayerTablePass> {
  using CnnEmitLayerTableBase::CnnEmitLayerTableBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto table = module->getAttrOfType<ArrayAttr>(kLayerTableAttr);
    if (!table)
      return;
    std::string text;
    for (Attribute line : table)
      text += (cast<StringAttr>(line).getValue() + "\n").str();
    text.push_back('\0');
    module->removeAttr(kLayerTableAttr);

    // const char *<prefix>_layer_table(void)
    MLIRContext *ctx = &getContext();
    OpBuilder builder(ctx);
    builder.setInsertionPointToEnd(module.getBody());
    Location loc = module.getLoc();
    auto tableFunc = LLVM::LLVMFuncOp::create(
        builder, loc, prefix + "_layer_table",
        LLVM::LLVMFunctionType::get(LLVM::LLVMPointerType::get(ctx), {}));
    Block *entry = tableFunc.addEntryBlock(builder);
    builder.setInsertionPointToStart(entry);
    Value address =
        LLVM::createGlobalString(loc, builder, prefix + "_layer_table_data",
                                 text, LLVM::Linkage::Internal);
    LLVM::ReturnOp::create(builder, loc, address);
  }
};
} // namespace
