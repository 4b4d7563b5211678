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

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // Everything, in order: the input itself.
  if (getInput().getType() == getType() &&
      llvm::all_of(getStarts(), [](int64_t start) { return start == 0; }) &&
      llvm::all_of(getSteps(), [](int64_t step) { return step == 1; }))
    return getInput();
  // slice(slice(x)) -> one slice of x, in place (exporters slice one axis
  // per node: x[:, :, ::2, ::2] is two of them).
  if (auto inner = getInput().getDefiningOp<SliceOp>()) {
    SmallVector<int64_t> starts, steps;
    for (auto [outerStart, outerStep, outerSize, innerStart, innerStep] :
         llvm::zip_equal(getStarts(), getSteps(), getSizes(), inner.getStarts(),
                         inner.getSteps())) {
      // Both slices are in bounds, so the composed first index and (when
      // more than one element is taken) step stay below the dimension. A
      // single element's step is arbitrary, and the product could overflow.
      starts.push_back(innerStart + outerStart * innerStep);
      steps.push_back(outerSize == 1 ? 1 : outerStep * innerStep);
    }
    getInputMutable().assign(inner.getInput());
    setStarts(starts);
    setSteps(steps);
    return getResult();
  }
  return {};
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

// concat(x) -> x
OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

// reshape(x) -> x when the shape is unchanged; reshape(reshape(x)) ->
// reshape(x), in place.
OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

// transpose(x) by the identity -> x; transpose(transpose(x)) -> one
// transpose of x, in place.
OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  auto isIdentity = [](ArrayRef<int64_t> p) {
    return llvm::all_of(llvm::enumerate(p), [](auto e) {
      return e.value() == static_cast<int64_t>(e.index());
    });
  };
  if (isIdentity(perm))
    return getInput();
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    // out[i] = mid[perm[i]] = in[innerPerm[perm[i]]]
    SmallVector<int64_t> combined;
    for (int64_t d : perm)
      combined.push_back(inner.getPerm()[d]);
    if (isIdentity(combined) && inner.getInput().getType() == getType())
      return inner.getInput();
    getInputMutable().assign(inner.getInput());
    setPerm(combined);
    return getResult();
  }
  return {};
}

// channel_shuffle(x) groups 1 -> x
OpFoldResult DepthToSpaceOp::fold(FoldAdaptor) {
  if (getBlock() == 1)
    return getInput();
  return {};
}

OpFoldResult ChannelShuffleOp::fold(FoldAdaptor) {
  if (getGroups() == 1)
    return getInput();
  return {};
}
