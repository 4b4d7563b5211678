//===- InstrumentLayers.cpp - Per-layer profiling hooks -------------------===//
//
// Numbers the cnn ops of the model function (its layers, after fusion) and
// calls `cnnrt_layer_begin(i)` before layer i and `cnnrt_layer_begin(-1)`
// before the return. The lowering keeps each layer's code between its call
// and the next one, so the runtime times layers by the gaps between calls
// (cheap when profiling is off: one load and a branch per layer).
//
// The layers are described by the module's `cnn.layer_table`, one
// `#cnn.layer_info` per layer, which `cnn-emit-layer-table` turns into the
// model's `cnn_layer_info` array (`<prefix>_num_layers()`,
// `<prefix>_layer(i)`).
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
    // One line in the profile's table: no control characters.
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
    if (conv.getInputScale())
      kind += "+gate";
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

LayerInfoAttr mlir::cnn::getLayerInfo(Operation *op, int64_t index) {
  MLIRContext *ctx = op->getContext();
  SmallVector<int64_t> shape;
  if (auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType()))
    for (int64_t dim : type.getShape())
      shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  std::string algorithm = "-";
  int64_t flops = getLayerFlops(op);
  if (KernelAttr kernel = getKernel(op)) {
    algorithm = getKernelName(kernel);
    if (kernel.getInConsumer())
      flops = 0;
  } else if (isa<Conv2DOp, LinearOp>(op)) {
    algorithm = "direct";
  }
  // A 1x1 layer that computes its depthwise producer (in_consumer): the
  // profile times both here, so both layers' FLOPs count here.
  if (auto conv = dyn_cast<Conv2DOp>(op))
    if (Operation *producer = conv.getInput().getDefiningOp())
      if (KernelAttr kernel = getKernel(producer);
          kernel && kernel.getInConsumer()) {
        algorithm += "+dw";
        flops += getLayerFlops(producer);
      }
  // A depthwise layer that sums a global pooling's rows (in_producer).
  if (isa<Conv2DOp>(op) && llvm::any_of(op->getUsers(), [](Operation *user) {
        KernelAttr kernel = getKernel(user);
        return isa<GlobalAvgPoolOp>(user) && kernel && kernel.getInProducer();
      }))
    algorithm += "+pool";
  return LayerInfoAttr::get(ctx, getLayerName(op, index), getLayerKind(op),
                            DenseI64ArrayAttr::get(ctx, shape), flops,
                            algorithm);
}

SmallVector<LayerInfoAttr> mlir::cnn::getLayerTable(ModuleOp module) {
  SmallVector<LayerInfoAttr> layers;
  if (auto table =
          module->getAttrOfType<ArrayAttr>(LayerInfoAttr::kTableAttrName))
    for (Attribute layer : table)
      layers.push_back(cast<LayerInfoAttr>(layer)); // the dialect verifies
  return layers;
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
        module->hasAttr(LayerInfoAttr::kTableAttrName))
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
      table.push_back(getLayerInfo(op, index));
      op->setAttr(kLayerAttr, builder.getI32IntegerAttr(index));
      callHook(op, index++);
    }
    callHook(model.getBody().front().getTerminator(), -1);
    module->setAttr(LayerInfoAttr::kTableAttrName, builder.getArrayAttr(table));
  }
};
} // namespace

namespace {
struct CnnEmitLayerTablePass final
    : cnn::impl::CnnEmitLayerTableBase<CnnEmitLayerTablePass> {
  using CnnEmitLayerTableBase::CnnEmitLayerTableBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!module->hasAttr(LayerInfoAttr::kTableAttrName))
      return;
    SmallVector<LayerInfoAttr> layers = getLayerTable(module);
    module->removeAttr(LayerInfoAttr::kTableAttrName);

    MLIRContext *ctx = &getContext();
    OpBuilder builder(ctx);
    builder.setInsertionPointToEnd(module.getBody());
    Location loc = module.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = builder.getI64Type();
    std::string base = prefix + "_layer_table";

    // The strings and shapes, each distinct one stored once.
    llvm::StringMap<LLVM::GlobalOp> strings;
    auto stringGlobal = [&](StringRef text) {
      LLVM::GlobalOp &global = strings[text];
      if (!global) {
        auto type =
            LLVM::LLVMArrayType::get(builder.getI8Type(), text.size() + 1);
        global = LLVM::GlobalOp::create(
            builder, loc, type, /*isConstant=*/true, LLVM::Linkage::Internal,
            base + ".str" + std::to_string(strings.size() - 1),
            builder.getStringAttr(text.str() + '\0'));
      }
      return global;
    };
    DenseMap<Attribute, LLVM::GlobalOp> shapes;
    auto shapeGlobal = [&](DenseI64ArrayAttr shape) {
      LLVM::GlobalOp &global = shapes[shape];
      if (!global) {
        auto type = RankedTensorType::get({shape.size()}, i64);
        global = LLVM::GlobalOp::create(
            builder, loc, LLVM::LLVMArrayType::get(i64, shape.size()),
            /*isConstant=*/true, LLVM::Linkage::Internal,
            base + ".shape" + std::to_string(shapes.size() - 1),
            DenseIntElementsAttr::get(type, shape.asArrayRef()));
      }
      return global;
    };
    for (LayerInfoAttr layer : layers) {
      stringGlobal(layer.getName());
      stringGlobal(layer.getOp());
      stringGlobal(layer.getAlgorithm());
      if (!layer.getShape().empty())
        shapeGlobal(layer.getShape());
    }

    // cnn_layer_info <prefix>_layer_table.data[] (cnn_model_abi.h):
    // {name, op, algorithm, rank, shape, flops} per layer.
    auto infoType =
        LLVM::LLVMStructType::getLiteral(ctx, {ptr, ptr, ptr, i64, ptr, i64});
    auto arrayType = LLVM::LLVMArrayType::get(infoType, layers.size());
    auto data = LLVM::GlobalOp::create(builder, loc, arrayType,
                                       /*isConstant=*/true,
                                       LLVM::Linkage::Internal, base + ".data",
                                       /*value=*/Attribute());
    {
      OpBuilder::InsertionGuard guard(builder);
      builder.createBlock(&data.getInitializerRegion());
      Value value = LLVM::UndefOp::create(builder, loc, arrayType);
      auto insert = [&](Value field, int64_t layer, int64_t index) {
        value = LLVM::InsertValueOp::create(builder, loc, value, field,
                                            ArrayRef<int64_t>{layer, index});
      };
      auto address = [&](LLVM::GlobalOp global) -> Value {
        return LLVM::AddressOfOp::create(builder, loc, global);
      };
      auto integer = [&](int64_t number) -> Value {
        return LLVM::ConstantOp::create(builder, loc, i64, number);
      };
      for (auto [index, layer] : llvm::enumerate(layers)) {
        int64_t i = index;
        insert(address(stringGlobal(layer.getName())), i, 0);
        insert(address(stringGlobal(layer.getOp())), i, 1);
        insert(address(stringGlobal(layer.getAlgorithm())), i, 2);
        insert(integer(layer.getShape().size()), i, 3);
        insert(layer.getShape().empty()
                   ? Value(LLVM::ZeroOp::create(builder, loc, ptr))
                   : address(shapeGlobal(layer.getShape())),
               i, 4);
        insert(integer(layer.getFlops()), i, 5);
      }
      LLVM::ReturnOp::create(builder, loc, value);
    }

    // const cnn_layer_info *<prefix>_layer_table(int64_t *count): the
    // variant's table for the runtime (cnnrt_variant::layer_table).
    auto tableFunc = LLVM::LLVMFuncOp::create(
        builder, loc, base, LLVM::LLVMFunctionType::get(ptr, {ptr}));
    Block *entry = tableFunc.addEntryBlock(builder);
    builder.setInsertionPointToStart(entry);
    LLVM::StoreOp::create(
        builder, loc,
        LLVM::ConstantOp::create(builder, loc, i64, int64_t(layers.size())),
        entry->getArgument(0));
    LLVM::ReturnOp::create(builder, loc,
                           LLVM::AddressOfOp::create(builder, loc, data));
  }
};
} // namespace
