//===- FoldIntoProducers.cpp - Producers write into their consumers -------===//
//
// Two passes that let a producer write its result where a data-movement op
// would copy it: into its slice of a concatenation, and into the interior
// of a padded buffer.
//
// cnn-fold-concat-into-producers:
//
//   %ea = tensor.empty()                       %c = tensor.empty()
//   %a = linalg.* outs(%ea)                    %sa = extract_slice %c[A]
//   %eb = tensor.empty()              ==>      %a = linalg.* outs(%sa)
//   %b = linalg.* outs(%eb)                    %1 = insert_slice %a into %c[A]
//   %c = tensor.empty()                        %sb = extract_slice %1[B]
//   %1 = insert_slice %a into %c[A]            %b = linalg.* outs(%sb)
//   %2 = insert_slice %b into %1[B]            %2 = insert_slice %b into %1[B]
//
// Each insert then writes a slice onto itself, and one-shot bufferization
// keeps every producer in place (it would not if all slices were taken of
// %c: a later producer's write would conflict with the earlier insert's
// read of %c).
//
// cnn-fold-padding-into-producers:
//
//   %e = tensor.empty()                     %b = tensor.empty() : padded
//   %v = linalg.* outs(%e)         ==>      %f = %b, its border filled with
//   %p = tensor.pad %v ... %pad                  %pad (one linalg.fill per
//                                                border slab, inserted)
//                                           %e = tensor.extract_slice %f[low]
//                                           %v = linalg.* outs(%e)
//                                           %p = tensor.insert_slice %v
//                                                  into %f[low]
//
// After bufferization the producer writes straight into the interior of the
// padded buffer, and the pad's copy disappears; only the border is filled.
// A pad of a slice that keeps the leading channels of a kernel's padded
// output (`padded_channels`) is a slice of the pad first, so that the
// kernel writes the padded buffer too:
//
//   %s = tensor.extract_slice %v[0..][.., 58]  ==>  %q = tensor.pad %v ...
//   %p = tensor.pad %s ...                          %p = tensor.extract_slice
//                                                         %q[0..][.., 58]
//
// A pad of a concatenation whose producers write into it makes the whole
// concatenation the padded buffer's interior. A pad that nothing can write
// into becomes the fill and the insert all the same, in place.
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
#define GEN_PASS_DEF_CNNFOLDCONCATINTOPRODUCERS
#define GEN_PASS_DEF_CNNFOLDPADDINGINTOPRODUCERS
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

/// The use of a tensor.empty that `value` is ultimately written into:
/// followed through the destinations of destination-style linalg ops and
/// the shared outputs of scf.foralls (a Winograd output transform), each
/// of which feeds only the next one. With `throughInserts`, also through
/// the destinations of tensor.insert_slice ops (a concatenation whose
/// producers write into it), which may feed those producers' destination
/// slices as well; `passedInsert` then says whether the chain held one.
/// Null if the chain ends anywhere else.
static OpOperand *findRootDestination(Value value, bool throughInserts = false,
                                      bool *passedInsert = nullptr) {
  while (true) {
    OpOperand *init = nullptr;
    Operation *owner = value.getDefiningOp();
    bool isInsert = false;
    if (auto producer = dyn_cast_if_present<linalg::LinalgOp>(owner)) {
      if (producer->getNumResults() != 1 || producer.getNumDpsInits() != 1)
        return nullptr;
      init = producer.getDpsInitOperand(0);
    } else if (auto forall = dyn_cast_if_present<scf::ForallOp>(owner)) {
      if (forall->getNumResults() != 1)
        return nullptr;
      init = forall.getTiedOpOperand(cast<OpResult>(value));
    } else if (auto insert = dyn_cast_if_present<tensor::InsertSliceOp>(owner);
               insert && throughInserts) {
      init = &insert.getDestMutable();
      isInsert = true;
      *passedInsert = true;
    } else {
      return nullptr;
    }
    if (init->get().getDefiningOp<tensor::EmptyOp>())
      return init;
    if (isInsert) {
      if (!llvm::all_of(init->get().getUsers(), [&](Operation *user) {
            return user == owner || isa<tensor::ExtractSliceOp>(user);
          }))
        return nullptr;
    } else if (!init->get().hasOneUse()) {
      return nullptr;
    }
    value = init->get();
  }
}

//===----------------------------------------------------------------------===//
// cnn-fold-concat-into-producers
//===----------------------------------------------------------------------===//

namespace {
/// One input of a concatenation: the value and its static slice.
struct ConcatInput {
  Value value;
  SmallVector<int64_t> offsets, sizes;
};
} // namespace

/// The op of `block` at or above the definition of `value`; null for a
/// block argument or a value defined outside `block`.
static Operation *getDefinitionIn(Block *block, Value value) {
  Operation *def = value.getDefiningOp();
  return def ? block->findAncestorOpInBlock(*def) : nullptr;
}

static bool slicesOverlap(const ConcatInput &a, const ConcatInput &b) {
  for (auto [offsetA, sizeA, offsetB, sizeB] :
       llvm::zip_equal(a.offsets, a.sizes, b.offsets, b.sizes))
    if (offsetA + sizeA <= offsetB || offsetB + sizeB <= offsetA)
      return false;
  return true;
}

/// The chain of inserts that starts at `first` (whose destination is a
/// tensor.empty): each insert's result feeds only the next one's
/// destination, in one block, with static unit-stride slices of a static
/// shape that do not overlap. Empty if `first` does not start one.
static SmallVector<tensor::InsertSliceOp>
getConcatenation(tensor::InsertSliceOp first) {
  SmallVector<tensor::InsertSliceOp> chain;
  if (!first.getDest().getDefiningOp<tensor::EmptyOp>() ||
      !first.getDestType().hasStaticShape())
    return chain;
  for (tensor::InsertSliceOp insert = first; insert;) {
    chain.push_back(insert);
    Value result = insert.getResult();
    insert = nullptr;
    if (result.hasOneUse())
      if (auto next = dyn_cast<tensor::InsertSliceOp>(*result.user_begin()))
        if (next.getDest() == result && next->getBlock() == first->getBlock())
          insert = next;
  }
  for (tensor::InsertSliceOp insert : chain)
    if (!insert.hasUnitStride() ||
        ShapedType::isDynamicShape(insert.getStaticOffsets()) ||
        ShapedType::isDynamicShape(insert.getStaticSizes()) ||
        insert.getSourceType().getRank() != insert.getDestType().getRank())
      return {};
  return chain;
}

/// Rebuilds `chain` so that the producers of its inputs write into it (see
/// the file comment). Returns how many producers now do.
static unsigned foldConcatenation(RewriterBase &rewriter,
                                  ArrayRef<tensor::InsertSliceOp> chain) {
  Block *block = chain.front()->getBlock();
  SmallVector<ConcatInput> inputs;
  for (tensor::InsertSliceOp insert : chain)
    inputs.push_back({insert.getSource(),
                      llvm::to_vector(insert.getStaticOffsets()),
                      llvm::to_vector(insert.getStaticSizes())});
  for (auto [i, a] : llvm::enumerate(inputs))
    for (const ConcatInput &b : ArrayRef(inputs).drop_front(i + 1))
      if (slicesOverlap(a, b))
        return 0;
  // In the order the inputs are computed; values from outside the block
  // (which can be inserted anywhere) last; a value inserted twice keeps its
  // order.
  auto computedBefore = [&](const ConcatInput &a, const ConcatInput &b) {
    Operation *defA = getDefinitionIn(block, a.value);
    Operation *defB = getDefinitionIn(block, b.value);
    if (!defA || !defB)
      return defA && !defB;
    return defA != defB && defA->isBeforeInBlock(defB);
  };
  // (An insertion sort: stable, and concatenations are short.)
  for (size_t i = 1; i < inputs.size(); ++i)
    for (size_t j = i; j > 0 && computedBefore(inputs[j], inputs[j - 1]); --j)
      std::swap(inputs[j], inputs[j - 1]);

  tensor::InsertSliceOp last = chain.back();
  RankedTensorType type = last.getDestType();
  Location loc = last.getLoc();
  MLIRContext *context = rewriter.getContext();
  SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
  Value current;              // the concatenation so far
  Operation *ready = nullptr; // the op that defines it
  unsigned folded = 0;
  for (const ConcatInput &input : inputs) {
    SmallVector<OpFoldResult> offsets =
        getAsIndexOpFoldResult(context, input.offsets);
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(context, input.sizes);
    Operation *definition = getDefinitionIn(block, input.value);
    OpOperand *destination = findRootDestination(input.value);
    Operation *head = destination ? destination->getOwner() : nullptr;
    // The producer's first op must come after the concatenation so far
    // (and be in this block) to write into it.
    if (head &&
        (head->getBlock() != block || (ready && !ready->isBeforeInBlock(head))))
      head = nullptr;
    if (!current) {
      // The concatenated buffer starts to live at its first writer.
      if (head)
        rewriter.setInsertionPoint(head);
      else if (definition)
        rewriter.setInsertionPointAfter(definition);
      else
        rewriter.setInsertionPoint(chain.front());
      auto empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                           type.getElementType());
      current = empty;
      ready = empty;
    }
    if (head) {
      rewriter.setInsertionPoint(head);
      Value slice = tensor::ExtractSliceOp::create(
          rewriter, loc, cast<RankedTensorType>(input.value.getType()), current,
          offsets, sizes, strides);
      Value empty = destination->get();
      rewriter.modifyOpInPlace(head, [&] { destination->set(slice); });
      if (empty.use_empty())
        rewriter.eraseOp(empty.getDefiningOp());
      ++folded;
    }
    if (definition && ready->isBeforeInBlock(definition))
      rewriter.setInsertionPointAfter(definition);
    else
      rewriter.setInsertionPointAfter(ready);
    auto insert = tensor::InsertSliceOp::create(
        rewriter, loc, input.value, current, offsets, sizes, strides);
    current = insert;
    ready = insert;
  }
  rewriter.replaceAllUsesWith(last.getResult(), current);
  for (tensor::InsertSliceOp insert : llvm::reverse(chain)) {
    Value dest = insert.getDest();
    rewriter.eraseOp(insert);
    if (dest.use_empty())
      if (auto empty = dest.getDefiningOp<tensor::EmptyOp>())
        rewriter.eraseOp(empty);
  }
  return folded;
}

//===----------------------------------------------------------------------===//
// cnn-fold-padding-into-producers
//===----------------------------------------------------------------------===//

/// The constant padding value of `pad` and its static low padding, if it
/// has static shapes.
static std::optional<std::pair<Value, SmallVector<int64_t>>>
getStaticConstantPad(tensor::PadOp pad) {
  Value padValue = pad.getConstantPaddingValue();
  if (!padValue || !matchPattern(padValue, m_Constant()) ||
      !pad.getResultType().hasStaticShape() ||
      !pad.getSourceType().hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> low;
  for (OpFoldResult offset : pad.getMixedLowPad()) {
    std::optional<int64_t> value = getConstantIntValue(offset);
    if (!value)
      return std::nullopt;
    low.push_back(*value);
  }
  return std::make_pair(padValue, low);
}

/// Creates, before `before`, the padded buffer of `pad` with its border
/// (everything outside the interior at `low` that `pad`'s source covers)
/// filled with `padValue`. Only the border: the interior is written next,
/// by the producer or the insert, and a fill of the whole buffer (a memset
/// of every padded activation, every inference) cost EfficientNet-B0 5% of
/// its time. The border is one slab per padded side of each dimension,
/// taking the interior of the dimensions before it and all of those after,
/// so that the slabs are disjoint.
static Value createPaddedBuffer(RewriterBase &rewriter, tensor::PadOp pad,
                                Value padValue, ArrayRef<int64_t> low,
                                Operation *before) {
  Location loc = pad.getLoc();
  RankedTensorType paddedType = pad.getResultType();
  ArrayRef<int64_t> padded = paddedType.getShape();
  ArrayRef<int64_t> source = pad.getSourceType().getShape();
  rewriter.setInsertionPoint(before);
  if (Operation *def = padValue.getDefiningOp())
    if (def->getBlock() == before->getBlock() && before->isBeforeInBlock(def))
      padValue = rewriter.clone(*def)->getResult(0);
  Value buffer = tensor::EmptyOp::create(rewriter, loc, padded,
                                         paddedType.getElementType());
  int64_t rank = paddedType.getRank();
  for (int64_t dim = 0; dim < rank; ++dim) {
    int64_t high = padded[dim] - low[dim] - source[dim];
    for (auto [start, extent] : {std::make_pair(int64_t{0}, low[dim]),
                                 std::make_pair(padded[dim] - high, high)}) {
      if (extent == 0)
        continue;
      SmallVector<int64_t> offsets(rank, 0), sizes(padded);
      for (int64_t inner = 0; inner < dim; ++inner) {
        offsets[inner] = low[inner];
        sizes[inner] = source[inner];
      }
      offsets[dim] = start;
      sizes[dim] = extent;
      SmallVector<OpFoldResult> offsetValues =
          getAsIndexOpFoldResult(rewriter.getContext(), offsets);
      SmallVector<OpFoldResult> sizeValues =
          getAsIndexOpFoldResult(rewriter.getContext(), sizes);
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      Value slab = tensor::ExtractSliceOp::create(
          rewriter, loc, buffer, offsetValues, sizeValues, strides);
      Value filled =
          linalg::FillOp::create(rewriter, loc, padValue, slab).getResult(0);
      buffer = tensor::InsertSliceOp::create(rewriter, loc, filled, buffer,
                                             offsetValues, sizeValues, strides);
    }
  }
  return buffer;
}

/// The offsets, sizes and strides of the slice of the padded buffer that
/// `pad`'s source covers.
static std::tuple<SmallVector<OpFoldResult>, SmallVector<OpFoldResult>,
                  SmallVector<OpFoldResult>>
getInteriorSlice(tensor::PadOp pad, ArrayRef<int64_t> low) {
  MLIRContext *context = pad.getContext();
  RankedTensorType sourceType = pad.getSourceType();
  return {
      getAsIndexOpFoldResult(context, low),
      getAsIndexOpFoldResult(context, sourceType.getShape()),
      SmallVector<OpFoldResult>(sourceType.getRank(),
                                IntegerAttr::get(IndexType::get(context), 1))};
}

/// Replaces `pad` by the insert of its source into `filled`.
static void replaceWithInsert(RewriterBase &rewriter, tensor::PadOp pad,
                              Value filled, ArrayRef<int64_t> low) {
  auto [offsets, sizes, strides] = getInteriorSlice(pad, low);
  rewriter.setInsertionPoint(pad);
  rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
      pad, pad.getSource(), filled, offsets, sizes, strides);
}

namespace {
struct FoldPadIntoProducer final : OpRewritePattern<tensor::PadOp> {
  FoldPadIntoProducer(MLIRContext *context, uint64_t &numFolded)
      : OpRewritePattern(context, /*benefit=*/2), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    auto constantPad = getStaticConstantPad(pad);
    if (!constantPad)
      return rewriter.notifyMatchFailure(pad, "not a static constant pad");
    auto [padValue, low] = *constantPad;
    bool passedInsert = false;
    OpOperand *destination = findRootDestination(
        pad.getSource(), /*throughInserts=*/true, &passedInsert);
    if (!destination)
      return rewriter.notifyMatchFailure(pad, "no destination chain");

    // The padded buffer must exist before the chain's first op; for a
    // concatenation, where its buffer did (its producers' destinations are
    // slices of that buffer too).
    Operation *empty = destination->get().getDefiningOp();
    Operation *before = passedInsert ? empty : destination->getOwner();
    Value filled = createPaddedBuffer(rewriter, pad, padValue, low, before);
    auto [offsets, sizes, strides] = getInteriorSlice(pad, low);
    Value interior = tensor::ExtractSliceOp::create(rewriter, pad.getLoc(),
                                                    pad.getSourceType(), filled,
                                                    offsets, sizes, strides);
    if (passedInsert)
      rewriter.replaceAllUsesWith(empty->getResult(0), interior);
    else
      rewriter.modifyOpInPlace(before, [&] { destination->set(interior); });
    if (empty->use_empty())
      rewriter.eraseOp(empty);
    replaceWithInsert(rewriter, pad, filled, low);
    ++numFolded;
    return success();
  }

  uint64_t &numFolded;
};

/// A pad that no producer writes into: the same fill and insert, in place
/// (a scalar fill of the whole buffer after bufferization otherwise).
struct DecomposePad final : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    auto constantPad = getStaticConstantPad(pad);
    if (!constantPad)
      return rewriter.notifyMatchFailure(pad, "not a static constant pad");
    auto [padValue, low] = *constantPad;
    Value filled = createPaddedBuffer(rewriter, pad, padValue, low, pad);
    replaceWithInsert(rewriter, pad, filled, low);
    return success();
  }
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

struct CnnFoldConcatIntoProducersPass final
    : cnn::impl::CnnFoldConcatIntoProducersBase<
          CnnFoldConcatIntoProducersPass> {
  void runOnOperation() override {
    SmallVector<SmallVector<tensor::InsertSliceOp>> concatenations;
    getOperation().walk([&](tensor::InsertSliceOp insert) {
      SmallVector<tensor::InsertSliceOp> chain = getConcatenation(insert);
      if (!chain.empty())
        concatenations.push_back(std::move(chain));
    });
    IRRewriter rewriter(&getContext());
    for (ArrayRef<tensor::InsertSliceOp> chain : concatenations)
      numFolded += foldConcatenation(rewriter, chain);
  }

  cnn::PassStatistic numFolded{
      this, "folded-concat-inputs",
      "Concatenation inputs whose producer writes the concatenated buffer"};
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
      return signalPassFailure();
    numFolded += folded;
    // What no producer writes into.
    RewritePatternSet decompose(&getContext());
    decompose.add<DecomposePad>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(decompose))))
      signalPassFailure();
  }

  cnn::PassStatistic numFolded{this, "folded-pads",
                               "Pads whose producer writes the padded buffer"};
};
} // namespace
