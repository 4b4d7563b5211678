//===- ExportCAbi.cpp - Expose the model through the runtime's C ABI ------===//
//
// Each code variant of a model defines five functions:
//   void           <prefix>_run(const float *in, float *out, void *workspace);
//   int64_t        <prefix>_input_rank(void);
//   const int64_t *<prefix>_input_shape(void);
//   int64_t        <prefix>_output_rank(void);
//   const int64_t *<prefix>_output_shape(void);
// This pass renames the entry function and adds the shape queries (the
// workspace argument comes from cnn-plan-activation-memory). The C ABI that
// programs call (cnn_model_abi.h) wraps them: Target/Multiversion.cpp.
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNEXPORTCABI
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

namespace {
struct CnnExportCAbiPass final
    : cnn::impl::CnnExportCAbiBase<CnnExportCAbiPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        entries.push_back(func);
    if (entries.size() != 1) {
      module.emitError("expected exactly one public function (the model's "
                       "entry point), found ")
          << entries.size();
      return signalPassFailure();
    }
    func::FuncOp entry = entries.front();
    FunctionType type = entry.getFunctionType();
    auto isStaticF32Tensor = [](Type t) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      return tensor && tensor.hasStaticShape() &&
             tensor.getElementType().isF32();
    };
    if (type.getNumInputs() != 1 || type.getNumResults() != 1 ||
        !isStaticF32Tensor(type.getInput(0)) ||
        !isStaticF32Tensor(type.getResult(0))) {
      entry.emitError("the entry point '")
          << entry.getSymName()
          << "' must take one static f32 tensor and return one, got " << type;
      return signalPassFailure();
    }

    std::string runName = prefix + "_run";
    if (entry.getSymName() != runName &&
        failed(SymbolTable::replaceAllSymbolUses(
            entry, StringAttr::get(&getContext(), runName), module))) {
      entry.emitError("cannot rename the entry point to ") << runName;
      return signalPassFailure();
    }
    entry.setSymName(runName);

    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    addShapeQueries(builder, entry.getLoc(), "input",
                    cast<RankedTensorType>(type.getInput(0)));
    addShapeQueries(builder, entry.getLoc(), "output",
                    cast<RankedTensorType>(type.getResult(0)));
  }

  /// `<prefix>_<which>_rank()` and `<prefix>_<which>_shape()`.
  void addShapeQueries(OpBuilder &b, Location loc, StringRef which,
                       RankedTensorType type) {
    MLIRContext *ctx = b.getContext();
    auto i64 = b.getI64Type();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    std::string base = prefix + "_" + which.str();
    ArrayRef<int64_t> shape = type.getShape();

    std::string globalName = "__" + base + "_shape_data";
    auto arrayType =
        LLVM::LLVMArrayType::get(i64, std::max<size_t>(1, shape.size()));
    SmallVector<int64_t> data(shape);
    // A dynamic batch: the compiled dimension 0 is a block, not the batch.
    if (dynamicBatch && !data.empty())
      data.front() = -1;
    if (data.empty())
      data.push_back(1);
    LLVM::GlobalOp::create(
        b, loc, arrayType, /*isConstant=*/true, LLVM::Linkage::Internal,
        globalName,
        DenseElementsAttr::get(
            RankedTensorType::get({int64_t(data.size())}, i64),
            ArrayRef<int64_t>(data)));

    auto rankFunc = LLVM::LLVMFuncOp::create(
        b, loc, base + "_rank", LLVM::LLVMFunctionType::get(i64, {}));
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(rankFunc.addEntryBlock(b));
      Value rank = LLVM::ConstantOp::create(b, loc, i64,
                                            b.getI64IntegerAttr(shape.size()));
      LLVM::ReturnOp::create(b, loc, rank);
    }
    auto shapeFunc = LLVM::LLVMFuncOp::create(
        b, loc, base + "_shape", LLVM::LLVMFunctionType::get(ptr, {}));
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(shapeFunc.addEntryBlock(b));
      Value address = LLVM::AddressOfOp::create(b, loc, ptr, globalName);
      LLVM::ReturnOp::create(b, loc, address);
    }
  }
};
} // namespace
