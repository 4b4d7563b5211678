//===- FoldPadding.cpp - Producers write into padded buffers --------------===//
//
//   %e = tensor.empty()                     %b = tensor.empty() : padded
//   %v = linalg.* outs(%e)         ==>      %f = linalg.fill %pad -> %b
//   %p = tensor.pad %v ... %pad             %e = tensor.extract_slice %f[low]
//                                           %v = linalg.* outs(%e)
//                                           %p = tensor.insert_slice %v
//                                                  into %f[low]
//
// After bufferization the producer writes straight into the interior of the
// padded buffer, and the pad's copy disappears. A pad of a slice that keeps
// the leading channels of a kernel's padded output (`padded_channels`) is
// a slice of the pad first, so that the kernel writes the padded buffer too:
//
//   %s = tensor.extract_slice %v[0..][.., 58]  ==>  %q = tensor.pad %v ...
//   %p = tensor.pad %s ...                          %p = tensor.extract_slice
//                                                         %q[0..][.., 58]
//
//===----------------------------------------------------------------------===//

#include "Transforms/PassStatistics.h"
#include "Transforms/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNFOLDPADDINGINTOPRODUCERS
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

/// The use of a tensor.empty that `value` is ultimately written into:
/// followed through the destinations of destination-style linalg ops and
/// the shared outputs of scf.foralls (a Winograd output transform), each
/// of which feeds only the next one. Null if the chain ends anywhere else.
static OpOperand *findRootDestination(Value value) {
  while (true) {
    OpOperand *init = nullptr;
    if (auto producer = value.getDefiningOp<linalg::LinalgOp>()) {
      if (producer->getNumResults() != 1 || producer.getNumDpsInits() != 1)
        return nullptr;
      init = producer.getDpsInitOperand(0);
    } else if (auto forall = value.getDefiningOp<scf::ForallOp>()) {
      if (forall->getNumResults() != 1)
        return nullptr;
      init = forall.getTiedOpOperand(cast<OpResult>(value));
    } else {
      return nullptr;
    }
    if (init->get().getDefiningOp<tensor::EmptyOp>())
      return init;
    if (!init->get().hasOneUse())
      return nullptr;
    value = init->get();
  }
}

namespace {
struct FoldPadIntoProducer final : OpRewritePattern<tensor::PadOp> {
  FoldPadIntoProducer(MLIRContext *context, uint64_t &numFolded)
      : OpRewritePattern(context), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    Value padValue = pad.getConstantPaddingValue();
    if (!padValue || !matchPattern(padValue, m_Constant()))
      return rewriter.notifyMatchFailure(pad, "padding is not a constant");
    if (!pad.getResultType().hasStaticShape() ||
        !pad.getSourceType().hasStaticShape())
      return rewriter.notifyMatchFailure(pad, "dynamic shape");
    SmallVector<int64_t> low;
    for (OpFoldResult offset : pad.getMixedLowPad()) {
      std::optional<int64_t> value = getConstantIntValue(offset);
      if (!value)
        return rewriter.notifyMatchFailure(pad, "dynamic padding");
      low.push_back(*value);
    }
    OpOperand *destination = findRootDestination(pad.getSource());
    if (!destination)
      return rewriter.notifyMatchFailure(pad, "no destination chain");
    Operation *user = destination->getOwner();

    Location loc = pad.getLoc();
    RankedTensorType paddedType = pad.getResultType();
    RankedTensorType sourceType = pad.getSourceType();
    // The padded buffer must exist before the chain's first op.
    rewriter.setInsertionPoint(user);
    if (Operation *def = padValue.getDefiningOp())
      if (def->getBlock() == user->getBlock() && user->isBeforeInBlock(def)) {
        def = rewriter.clone(*def);
        padValue = def->getResult(0);
      }
    Value padded = tensor::EmptyOp::create(rewriter, loc, paddedType.getShape(),
                                           paddedType.getElementType());
    Value filled =
        linalg::FillOp::create(rewriter, loc, padValue, padded).getResult(0);
    SmallVector<OpFoldResult> offsets =
        getAsIndexOpFoldResult(rewriter.getContext(), low);
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(rewriter.getContext(), sourceType.getShape());
    SmallVector<OpFoldResult> strides(sourceType.getRank(),
                                      rewriter.getIndexAttr(1));
    Value interior = tensor::ExtractSliceOp::create(
        rewriter, loc, sourceType, filled, offsets, sizes, strides);
    rewriter.modifyOpInPlace(user, [&] { destination->set(interior); });
    rewriter.setInsertionPoint(pad);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        pad, pad.getSource(), filled, offsets, sizes, strides);
    ++numFolded;
    return success();
  }

  uint64_t &numFolded;
};

// pad(extract_slice(v)) -> extract_slice(pad(v)) when the slice starts at
// zero with unit strides and trims only dimensions the pad leaves alone.
struct SwapPadWithLeadingSlice final : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    auto slice = pad.getSource().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || !slice.hasUnitStride() || !slice.hasZeroOffset() ||
        slice.getSourceType().getRank() != slice.getType().getRank() ||
        !slice.getSourceType().hasStaticShape() ||
        !pad.getResultType().hasStaticShape())
      return rewriter.notifyMatchFailure(pad, "not a leading static slice");
    ArrayRef<int64_t> full = slice.getSourceType().getShape();
    ArrayRef<int64_t> kept = slice.getType().getShape();
    SmallVector<int64_t> paddedShape(pad.getResultType().getShape());
    for (auto [dim, low, high] :
         llvm::enumerate(pad.getMixedLowPad(), pad.getMixedHighPad())) {
      if (full[dim] == kept[dim])
        continue;
      if (!isConstantIntValue(low, 0) || !isConstantIntValue(high, 0))
        return rewriter.notifyMatchFailure(pad, "pads a sliced dimension");
      paddedShape[dim] = full[dim];
    }
    auto paddedType = RankedTensorType::get(
        paddedShape, pad.getResultType().getElementType());
    auto wide = tensor::PadOp::create(
        rewriter, pad.getLoc(), paddedType, slice.getSource(),
        pad.getMixedLowPad(), pad.getMixedHighPad(),
        pad.getConstantPaddingValue(), pad.getNofold());
    SmallVector<OpFoldResult> offsets(paddedShape.size(),
                                      rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(paddedShape.size(),
                                      rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        pad, pad.getResultType(), wide, offsets,
        getAsIndexOpFoldResult(rewriter.getContext(),
                               pad.getResultType().getShape()),
        strides);
    return success();
  }
};

struct CnnFoldPaddingIntoProducersPass final
    : cnn::impl::CnnFoldPaddingIntoProducersBase<
          CnnFoldPaddingIntoProducersPass> {
  void runOnOperation() override {
    uint64_t folded = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldPadIntoProducer>(&getContext(), folded);
    patterns.add<SwapPadWithLeadingSlice>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
    numFolded += folded;
  }

  cnn::PassStatistic numFolded{this, "folded-pads",
                               "Pads whose producer writes the padded buffer"};
};
} // namespace
