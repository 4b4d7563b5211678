//===- SetBatch.cpp - Recompute a model's types for another batch ---------===//
//
// Part of the cnnc project.
//
// The cnn dialect's ops infer their result types, so a model for batch N is
// the same ops with their types recomputed from an input of batch N. The
// weights do not depend on the batch.
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNSETBATCH
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

namespace {
/// `type` with dimension 0 set to `batch`.
RankedTensorType withBatch(RankedTensorType type, int64_t batch) {
  SmallVector<int64_t> shape(type.getShape());
  shape.front() = batch;
  return type.clone(shape);
}

struct CnnSetBatchPass final : cnn::impl::CnnSetBatchBase<CnnSetBatchPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp model = cnn::getModelFunction(getOperation());
    if (!model)
      return;
    if (batch < 1) {
      model.emitError("cannot set the batch to ") << batch.getValue();
      return signalPassFailure();
    }
    if (model.getNumArguments() < 1 || !model.getBody().hasOneBlock()) {
      model.emitError("cannot set the batch of '")
          << model.getSymName() << "': expected inputs and one block";
      return signalPassFailure();
    }
    // Every input's dimension 0 is the batch (the first one's is the old
    // batch).
    std::optional<int64_t> oldBatchOfAll;
    for (BlockArgument input : model.getArguments()) {
      auto inputType = dyn_cast<RankedTensorType>(input.getType());
      if (!inputType || inputType.getRank() == 0 ||
          (oldBatchOfAll && inputType.getDimSize(0) != *oldBatchOfAll)) {
        model.emitError("cannot set the batch of input type ")
            << input.getType()
            << ": expected ranked tensors with the same dimension 0";
        return signalPassFailure();
      }
      oldBatchOfAll = inputType.getDimSize(0);
    }
    int64_t oldBatch = *oldBatchOfAll;
    if (oldBatch == batch)
      return;
    DenseSet<Value> batched;
    for (BlockArgument input : model.getArguments()) {
      input.setType(withBatch(cast<RankedTensorType>(input.getType()), batch));
      batched.insert(input);
    }

    // Values whose dimension 0 is the batch: those computed from the inputs.
    // (Constants keep their types.)
    for (Operation &op : model.getBody().front()) {
      if (isa<func::ReturnOp>(op))
        continue;
      if (llvm::none_of(op.getOperands(),
                        [&](Value v) { return batched.contains(v); }))
        continue;
      if (failed(rebatch(&op, oldBatch)))
        return signalPassFailure();
      for (Value result : op.getResults()) {
        auto type = dyn_cast<RankedTensorType>(result.getType());
        if (!type || type.getRank() == 0 || type.getDimSize(0) != batch) {
          op.emitError("cannot change the batch of '")
              << op.getName() << "': its result " << result.getType()
              << " does not keep the batch in dimension 0";
          return signalPassFailure();
        }
        batched.insert(result);
      }
    }
    auto ret = cast<func::ReturnOp>(model.getBody().front().getTerminator());
    model.setType(FunctionType::get(&getContext(),
                                    model.getBody().front().getArgumentTypes(),
                                    ret.getOperandTypes()));
  }

  /// Sets the result types of `op`, whose operands now have the new batch.
  LogicalResult rebatch(Operation *op, int64_t oldBatch) {
    // A slice spanning the whole batch keeps spanning it.
    if (auto slice = dyn_cast<cnn::SliceOp>(op)) {
      ArrayRef<int64_t> sizes = slice.getSizes();
      if (sizes.empty() || slice.getStarts().front() != 0 ||
          slice.getSteps().front() != 1 || sizes.front() != oldBatch)
        return op->emitError("cannot change the batch of a slice of part "
                             "of the batch");
      SmallVector<int64_t> newSizes(sizes);
      newSizes.front() = batch;
      slice.setSizes(newSizes);
    }
    if (auto infer = dyn_cast<InferTypeOpInterface>(op)) {
      SmallVector<Type> types;
      if (failed(infer.inferReturnTypes(
              op->getContext(), op->getLoc(), op->getOperands(),
              op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
              op->getRegions(), types)))
        return failure();
      for (auto [result, type] : llvm::zip(op->getResults(), types))
        result.setType(type);
      return success();
    }
    if (op->hasTrait<OpTrait::SameOperandsAndResultType>()) {
      for (Value result : op->getResults())
        result.setType(op->getOperand(0).getType());
      return success();
    }
    return op->emitError("cannot change the batch of '")
           << op->getName() << "': it does not infer its result type";
  }
};
} // namespace
