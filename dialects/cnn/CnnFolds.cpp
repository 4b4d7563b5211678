//===- CnnFolds.cpp - Folders of cnn ops ----------------------------------===//
//
// Local simplifications that need no new ops: each returns an existing value.
//
//===----------------------------------------------------------------------===//

#include "cnn/CnnOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::cnn;

/// True if `value` is produced by an op whose epilogue already ends in ReLU.
static bool isProducedWithRelu(Value value) {
  Operation *producer = value.getDefiningOp();
  if (!producer)
    return false;
  if (isa<ReluOp>(producer))
    return true;
  if (auto conv = dyn_cast<Conv2DOp>(producer))
    return conv.getRelu();
  if (auto linear = dyn_cast<LinearOp>(producer))
    return linear.getRelu();
  return false;
}

// relu(relu(x)) -> relu(x); relu(conv{relu}(x)) -> conv{relu}(x)
OpFoldResult ReluOp::fold(FoldAdaptor) {
  if (isProducedWithRelu(getInput()))
    return getInput();
  return {};
}

/// A 1x1 window with unit strides and no padding passes its input through.
template <typename PoolOp> static OpFoldResult foldIdentityPool(PoolOp op) {
  auto isOne = [](int64_t v) { return v == 1; };
  if (llvm::all_of(op.getKernel(), isOne) &&
      llvm::all_of(op.getStrides(), isOne) &&
      llvm::all_of(op.getPadding(), [](int64_t p) { return p == 0; }) &&
      op.getInput().getType() == op.getType())
    return op.getInput();
  return {};
}

// max_pool2d(x) kernel [1, 1] -> x
OpFoldResult MaxPool2DOp::fold(FoldAdaptor) { return foldIdentityPool(*this); }

// avg_pool2d(x) kernel [1, 1] -> x
OpFoldResult AvgPool2DOp::fold(FoldAdaptor) { return foldIdentityPool(*this); }

// flatten(x) -> x when x is already the flat 2-D tensor
OpFoldResult FlattenOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // flatten(flatten(x)) -> flatten(x) with the same result type.
  if (auto inner = getInput().getDefiningOp<FlattenOp>())
    if (inner.getInput().getType() == getType())
      return inner.getInput();
  return {};
}
