//===- TileConvolutions.cpp - Register-blocked convolution kernels --------===//
//
// Turns each `linalg.conv_2d_nhwc_hwcf` on tensors into a kernel that keeps a
// block of output pixels x output-channel vectors in registers:
//
//   scf.forall (rows or output-channel blocks: the threads' work)
//     scf.for row, output-pixel tile, output-channel tile
//       accumulators = read output tile               (hoisted)
//       scf.for kh, kw, input-channel block
//         vector.contract (broadcast input x filter vectors)
//       write output tile                             (hoisted)
//
// using upstream tiling (TilingInterface), 2-D to 1-D convolution
// decomposition, linalg vectorization and loop-invariant subset hoisting.
// The contractions become FMAs after bufferization, in
// `cnn-lower-vector-kernels`.
//
//===----------------------------------------------------------------------===//

#include "Transforms/ConstantData.h"
#include "Transforms/KernelBuilders.h"
#include "Transforms/KernelSelection.h"
#include "Transforms/PassStatistics.h"
#include "Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNTILECONVOLUTIONS
#define GEN_PASS_DEF_CNNLOWERVECTORKERNELS
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;
using namespace mlir::cnn;

static SmallVector<OpFoldResult> indexAttrs(OpBuilder &b,
                                            ArrayRef<int64_t> values) {
  return llvm::map_to_vector(
      values, [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); });
}

/// Tiles `op` with `sizes` into loops of `loopType`; returns the tiled op.
static FailureOr<Operation *> tile(RewriterBase &rewriter, TilingInterface op,
                                   ArrayRef<int64_t> sizes,
                                   scf::SCFTilingOptions::LoopType loopType) {
  scf::SCFTilingOptions options;
  options.setTileSizes(indexAttrs(rewriter, sizes)).setLoopType(loopType);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return result->tiledOps.front();
}

/// Tiles `root` (the convolution, or its epilogue) with `sizes`, fusing into
/// each tile the ops in `fusable`: the convolution and the op computing its
/// accumulator's initial value (bias, residual), so that one tile's work
/// stays in registers. Returns the tiled ops, the tiled root first.
static FailureOr<SmallVector<Operation *>>
tileKernel(RewriterBase &rewriter, TilingInterface root,
           ArrayRef<int64_t> sizes, scf::SCFTilingOptions::LoopType loopType,
           const llvm::SmallPtrSetImpl<Operation *> &fusable,
           ArrayRef<int64_t> interchange = {}) {
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(indexAttrs(rewriter, sizes))
      .setLoopType(loopType)
      .setInterchange(interchange);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (fusable.contains(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, options);
  if (failed(result))
    return failure();
  for (OpResult value : root->getResults())
    if (Value replacement = result->replacements.lookup(value))
      rewriter.replaceAllUsesWith(value, replacement);
  SmallVector<Operation *> tiled(result->tiledAndFusedOps.begin(),
                                 result->tiledAndFusedOps.end());
  // The untiled ops are dead now, the root last.
  for (Operation *producer : llvm::reverse(result->fusedProducers))
    if (producer->use_empty())
      rewriter.eraseOp(producer);
  if (root->use_empty())
    rewriter.eraseOp(root);
  return tiled;
}

/// Lowers the vector.multi_reductions in `root` as `strategy` says (along
/// the vectors, or across them).
static LogicalResult
lowerMultiReductions(Operation *root,
                     vector::VectorMultiReductionLowering strategy) {
  RewritePatternSet patterns(root->getContext());
  vector::populateVectorMultiReductionLoweringPatterns(patterns, strategy);
  return applyPatternsGreedily(root, std::move(patterns));
}

/// Vectorizes each of `ops` (static-shaped linalg ops) in place.
static LogicalResult vectorizeEach(RewriterBase &rewriter,
                                   ArrayRef<Operation *> ops) {
  for (Operation *op : ops) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, op);
    if (failed(vectorized))
      return failure();
    rewriter.replaceOp(op, vectorized->replacements);
  }
  return success();
}

/// Tiles `op` into an scf.forall of `taskSizes` tasks, then each task into
/// scf.for register blocks of `blockSizes`, fusing its zero or -inf init
/// fill into the blocks. Returns the block's ops, the tiled `op` first.
static FailureOr<SmallVector<Operation *>>
tileTasksAndBlocks(RewriterBase &rewriter, linalg::LinalgOp op,
                   ArrayRef<int64_t> taskSizes, ArrayRef<int64_t> blockSizes) {
  llvm::SmallPtrSet<Operation *, 1> fusable;
  if (Operation *init = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>())
    fusable.insert(init);
  FailureOr<SmallVector<Operation *>> tasks =
      tileKernel(rewriter, cast<TilingInterface>(op.getOperation()), taskSizes,
                 scf::SCFTilingOptions::LoopType::ForallOp, fusable);
  if (failed(tasks))
    return failure();
  fusable.clear();
  fusable.insert(std::next(tasks->begin()), tasks->end());
  return tileKernel(rewriter, cast<TilingInterface>(tasks->front()), blockSizes,
                    scf::SCFTilingOptions::LoopType::ForOp, fusable);
}

/// Gives the register block's convolution `conv` (`channels` output
/// channels of a constant HWCF filter, sliced once per task and once per
/// block) a contiguous filter: the filter is packed at compile time as
/// [F / channels][KH][KW][C][channels] and the block reads its slice of
/// that. Sliced from HWCF, a block's filter is `channels` floats out of
/// every F-float row: at F = 512 or 1024 its rows lie 2 or 4 KiB apart,
/// all in the same few L1 sets, so the block misses L1 on every step
/// (ResNet-50's expanding 1x1 layers ran at half the AVX2 peak), and the
/// first pass over it (from memory, every inference) defeats the hardware
/// prefetchers. The packed form is a task's filter too: its blocks follow
/// one another.
static void packBlockFilter(RewriterBase &rewriter,
                            linalg::Conv2DNhwcHwcfOp conv) {
  auto blockType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  if (!blockType || !blockType.hasStaticShape())
    return;
  // Through the task's and the block's slices to the constant, adding up
  // their offsets along F; each takes a whole [KH][KW][C] of its source.
  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  OpFoldResult offset = rewriter.getIndexAttr(0);
  Value source = conv.getInputs()[1];
  SmallVector<tensor::ExtractSliceOp> slices;
  while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>()) {
    auto sourceType = cast<RankedTensorType>(slice.getSource().getType());
    if (!slice.hasUnitStride() || sourceType.getRank() != 4 ||
        slice.getType().getRank() != 4 ||
        slice.getType().getShape().drop_back() !=
            sourceType.getShape().drop_back())
      return;
    SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
    if (llvm::any_of(ArrayRef(offsets).drop_back(),
                     [](OpFoldResult o) { return !isZeroInteger(o); }))
      return;
    AffineExpr d0, d1;
    bindDims(rewriter.getContext(), d0, d1);
    offset = affine::makeComposedFoldedAffineApply(rewriter, loc, d0 + d1,
                                                   {offset, offsets.back()});
    slices.push_back(slice);
    source = slice.getSource();
  }
  auto constant = source.getDefiningOp<arith::ConstantOp>();
  auto filterType = dyn_cast<RankedTensorType>(source.getType());
  if (!constant || !filterType || !filterType.hasStaticShape())
    return;
  ArrayRef<int64_t> hwcf = filterType.getShape();
  int64_t block = blockType.getDimSize(3);
  if (hwcf[3] % block != 0 || block == hwcf[3])
    return;
  std::optional<SmallVector<float>> data = getF32ConstantData(constant);
  if (!data)
    return;
  int64_t f = hwcf[3], rows = hwcf[0] * hwcf[1] * hwcf[2], blocks = f / block;
  SmallVector<float> packed(data->size());
  for (int64_t g = 0; g < blocks; ++g)
    for (int64_t row = 0; row < rows; ++row)
      std::copy_n(data->begin() + row * f + g * block, block,
                  packed.begin() + (g * rows + row) * block);
  auto packedType = RankedTensorType::get(
      {blocks, hwcf[0], hwcf[1], hwcf[2], block}, filterType.getElementType());
  auto attr = DenseElementsAttr::getFromRawBuffer(
      packedType, ArrayRef<char>(reinterpret_cast<const char *>(packed.data()),
                                 packed.size() * sizeof(float)));
  rewriter.setInsertionPoint(constant);
  Value packedFilter = arith::ConstantOp::create(rewriter, loc, attr);
  rewriter.setInsertionPoint(conv);
  OpFoldResult index = affine::makeComposedFoldedAffineApply(
      rewriter, loc,
      rewriter.getAffineDimExpr(0).floorDiv(
          rewriter.getAffineConstantExpr(block)),
      {offset});
  SmallVector<OpFoldResult> packedOffsets(5, rewriter.getIndexAttr(0));
  packedOffsets[0] = index;
  SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1)};
  for (int64_t dim : blockType.getShape())
    sizes.push_back(rewriter.getIndexAttr(dim));
  SmallVector<OpFoldResult> strides(5, rewriter.getIndexAttr(1));
  Value blockFilter = tensor::ExtractSliceOp::create(
      rewriter, loc, blockType, packedFilter, packedOffsets, sizes, strides);
  rewriter.modifyOpInPlace(
      conv, [&] { conv.getInputsMutable()[1].assign(blockFilter); });
  // The HWCF slices and constant, unless something else still reads them.
  for (tensor::ExtractSliceOp slice : slices)
    if (slice->use_empty())
      rewriter.eraseOp(slice);
  if (constant->use_empty())
    rewriter.eraseOp(constant);
}

/// Whether `op` is the convolution of a kernel, or of one of its register
/// blocks: an HWCF convolution, one with a filter per image
/// (createPerImageFilterConvolution: a convolution with an input scale),
/// or, for a grouped kernel (its `groups` field), the grouped convolution
/// createGroupedConvolution builds (the only op of such a kernel with
/// reduction loops; its epilogue has none).
static bool isKernelConvolution(Operation *op, KernelAttr kernel) {
  if (isa<linalg::Conv2DNhwcHwcfOp>(op) || isPerImageFilterConvolution(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && kernel && kernel.isGrouped() &&
         generic.getNumReductionLoops() > 0;
}

/// Whether `kernel`, a grouped kernel's decision for `conv` (its grouped
/// convolution), has register blocks that span whole groups: `channels`
/// above the group's F / G outputs. Its convolution is then
/// createGroupedConvolution's split form (9 loops).
static bool isGroupSpanningConvolution(linalg::LinalgOp conv,
                                       KernelAttr kernel) {
  if (!kernel || !kernel.isGrouped())
    return false;
  ArrayRef<int64_t> out =
      cast<RankedTensorType>(conv->getResultTypes()[0]).getShape();
  int64_t channels = 1;
  for (int64_t dim : out.drop_front(3))
    channels *= dim;
  return kernel.getChannels() * kernel.getGroups() > channels;
}

static LogicalResult vectorizeBlock(PatternRewriter &rewriter,
                                    linalg::LinalgOp blockConv,
                                    KernelAttr kernel, bool spanning);
static Operation *getBlockConvolution(ArrayRef<Operation *> ops,
                                      KernelAttr kernel);
static LogicalResult simplifyVectorCode(Operation *root);
static SmallVector<Operation *> getDepthwiseKernelOps(Operation *root);
static LogicalResult tileDepthwiseBlocks(PatternRewriter &rewriter,
                                         Operation *taskRoot,
                                         ArrayRef<Operation *> taskOps,
                                         KernelAttr kernel,
                                         Operation *rowSums = nullptr);

/// Tiles, decomposes and vectorizes one convolution kernel as `kernel`
/// says: `conv` (a linalg.conv_2d_nhwc_hwcf, or a grouped convolution of
/// createGroupedConvolution's form), with `epilogue` (the kernel's root
/// when the layer has a ReLU, else null) and the op computing its
/// accumulator's initial value (bias, residual) fused into each register
/// block. A grouped convolution's register blocks lie within one group, so
/// that each is an HWCF block. A convolution that does not tile stays whole
/// (slower, still right); one that tiles but does not vectorize stays as
/// tiled loops.
static LogicalResult tileAndVectorize(PatternRewriter &rewriter,
                                      linalg::LinalgOp conv,
                                      linalg::GenericOp epilogue,
                                      KernelAttr kernel,
                                      Operation *depthwiseRoot = nullptr,
                                      bool *depthwiseFused = nullptr) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  auto root = cast<TilingInterface>(epilogue ? epilogue.getOperation()
                                             : conv.getOperation());
  // The root's loops: (n, oh, ow, oc), then the convolution's (kh, kw, ic);
  // a grouped convolution's: (n, oh, ow, g, k), then (kh, kw, c); one whose
  // register blocks span whole groups: (n, oh, ow, gb, gi, k), then
  // (kh, kw, c) (createGroupedConvolution).
  bool grouped = kernel.isGrouped();
  bool spanning = isGroupSpanningConvolution(conv, kernel);
  int64_t rootLoops =
      (epilogue ? 4 : 7) + (grouped ? 1 : 0) + (spanning ? 1 : 0);
  auto rootSizes = [&](SmallVector<int64_t> sizes) {
    sizes.resize(rootLoops, 0);
    return sizes;
  };
  // Output channels: (task, block) tile sizes of the channel loop, or of
  // the group and channel-in-group loops (a task of whole groups, or of a
  // part of one), or of the loop over blocks of groups (whole blocks).
  SmallVector<int64_t> taskChannels = {kernel.getTaskChannels()};
  SmallVector<int64_t> blockChannels = {kernel.getChannels()};
  if (spanning) {
    taskChannels = {kernel.getTaskChannels() / kernel.getChannels(), 0, 0};
    blockChannels = {1, 0, 0};
  } else if (grouped) {
    int64_t groupOutputs = conv.getStaticLoopRanges()[4];
    if (kernel.getTaskChannels() % groupOutputs == 0)
      taskChannels = {kernel.getTaskChannels() / groupOutputs, groupOutputs};
    else
      taskChannels = {1, kernel.getTaskChannels()};
    blockChannels = {1, kernel.getChannels()};
  }
  SmallVector<int64_t> taskSizes = {1, kernel.getTaskRows(), 0};
  llvm::append_range(taskSizes, taskChannels);
  SmallVector<int64_t> blockSizes = {0, 1, kernel.getPixels()};
  llvm::append_range(blockSizes, blockChannels);
  llvm::SmallPtrSet<Operation *, 2> fusable;
  if (epilogue)
    fusable.insert(conv);
  // The accumulator's initialization (a fill, or the bias and residual
  // generic the lowering built) is computed in the same registers.
  Operation *init = conv.getDpsInits()[0].getDefiningOp();
  if (isa_and_present<linalg::LinalgOp>(init) && init->hasOneUse())
    fusable.insert(init);
  // Tasks in channel-block-major order: a thread's contiguous share of the
  // tasks covers few filter slices, each over consecutive rows.
  SmallVector<int64_t> tasksChannelsOuter =
      spanning  ? SmallVector<int64_t>{0, 3, 4, 5, 1, 2, 6, 7, 8}
      : grouped ? SmallVector<int64_t>{0, 3, 4, 1, 2, 5, 6, 7}
                : SmallVector<int64_t>{0, 3, 1, 2, 4, 5, 6};
  tasksChannelsOuter.resize(rootLoops);
  // A depthwise producer computed in this kernel's tasks (its kernel's
  // in_consumer; tasks of whole rows of all output channels): each task
  // computes the depthwise rows it reads, all their channels.
  KernelAttr depthwiseKernel;
  if (depthwiseRoot) {
    depthwiseKernel = getKernel(depthwiseRoot);
    for (Operation *op : getDepthwiseKernelOps(depthwiseRoot))
      fusable.insert(op);
  }
  FailureOr<SmallVector<Operation *>> tasks =
      tileKernel(rewriter, root, rootSizes(taskSizes), LoopType::ForallOp,
                 fusable, tasksChannelsOuter);
  if (failed(tasks))
    return failure();
  // The task's share of the depthwise kernel, blocked on its own, written
  // to a buffer of the task's own (its thread's stack, after
  // bufferization: cnn-plan-activation-memory) rather than to its slice of
  // the whole map.
  SmallVector<Operation *> depthwiseOps;
  if (depthwiseRoot) {
    if (depthwiseFused)
      *depthwiseFused = true;
    linalg::DepthwiseConv2DNhwcHwcOp depthwise;
    for (Operation *op : *tasks)
      if (auto dw = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(op))
        depthwise = dw;
    if (!depthwise)
      return failure();
    Operation *taskRoot = depthwise;
    if (depthwise->hasOneUse()) {
      Operation *user = *depthwise->getUsers().begin();
      if (llvm::is_contained(*tasks, user) &&
          !isKernelConvolution(user, kernel))
        taskRoot = user;
    }
    depthwiseOps = getDepthwiseKernelOps(taskRoot);
    // A new buffer per task (an allocation, which no loop-invariant code
    // motion hoists out of the task, as it would an empty tensor).
    auto rows = cast<linalg::LinalgOp>(depthwiseOps.front());
    OpOperand &init = rows.getDpsInitsMutable()[0];
    auto slice = init.get().getDefiningOp<tensor::ExtractSliceOp>();
    if (slice && slice.getSource().getDefiningOp<tensor::EmptyOp>() &&
        slice.getType().hasStaticShape()) {
      rewriter.setInsertionPoint(rows);
      Value local = bufferization::AllocTensorOp::create(
          rewriter, rows->getLoc(), slice.getType(), ValueRange{});
      rewriter.modifyOpInPlace(rows, [&] { init.set(local); });
    }
  }
  fusable.clear();
  for (Operation *op : llvm::drop_begin(*tasks))
    if (!llvm::is_contained(depthwiseOps, op))
      fusable.insert(op);
  // Channel blocks outside, pixel blocks inside: a block's filter slice
  // (kh*kw*ic*channels floats) is read from cache once per row rather than
  // once per pixel block.
  SmallVector<int64_t> channelsOuter =
      spanning  ? SmallVector<int64_t>{0, 1, 3, 4, 5, 2, 6, 7, 8}
      : grouped ? SmallVector<int64_t>{0, 1, 3, 4, 2, 5, 6, 7}
                : SmallVector<int64_t>{0, 1, 3, 2, 4, 5, 6};
  channelsOuter.resize(rootLoops);
  FailureOr<SmallVector<Operation *>> blocks = tileKernel(
      rewriter, cast<TilingInterface>(tasks->front()), rootSizes(blockSizes),
      LoopType::ForOp, fusable, channelsOuter);
  if (failed(blocks))
    return failure();
  if (!depthwiseOps.empty() &&
      failed(tileDepthwiseBlocks(rewriter, depthwiseOps.front(), depthwiseOps,
                                 depthwiseKernel)))
    return failure();
  if (kernel.packsFilter())
    if (auto blockConv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(
            getBlockConvolution(*blocks, kernel)))
      packBlockFilter(rewriter, blockConv);
  // The pixel loop is innermost; its blocks hold the tiled ops.
  auto pixelLoop = dyn_cast<scf::ForOp>(blocks->front()->getParentOp());
  if (!pixelLoop)
    return failure();
  if (!kernel.getTail())
    return vectorizeBlock(
        rewriter, cast<linalg::LinalgOp>(getBlockConvolution(*blocks, kernel)),
        kernel, spanning);
  // A width that `pixels` does not divide: the last block of each row is
  // peeled into its own iteration, where it has the static tail size.
  scf::ForOp tailLoop;
  if (failed(scf::peelForLoopAndSimplifyBounds(rewriter, pixelLoop, tailLoop)))
    return failure();
  // Constant sizes to static tensor types.
  Operation *task = pixelLoop->getParentOfType<scf::ForallOp>();
  if (!task || failed(simplifyVectorCode(task)))
    return failure();
  // The full blocks' loop, and the tail block (its one-iteration loop may
  // have folded into the task's body).
  SmallVector<linalg::LinalgOp> blockConvs;
  task->walk([&](linalg::LinalgOp blockConv) {
    if (isKernelConvolution(blockConv, kernel))
      blockConvs.push_back(blockConv);
  });
  for (linalg::LinalgOp blockConv : blockConvs)
    if (failed(vectorizeBlock(rewriter, blockConv, kernel, spanning)))
      return failure();
  return success();
}

/// The register block's convolution among a block's tiled ops.
static Operation *getBlockConvolution(ArrayRef<Operation *> ops,
                                      KernelAttr kernel) {
  for (Operation *op : ops)
    if (isKernelConvolution(op, kernel))
      return op;
  return nullptr;
}

/// The 2-D window (strides, dilations) of a grouped register block, if it
/// is one output row of one group, or one block of groups, of one image
/// (loops [1, 1, pixels, 1, ...]), the shape the tiling gives every block.
static FailureOr<linalg::ConvolutionDimensions>
getGroupBlockWindow(linalg::GenericOp block) {
  FailureOr<linalg::ConvolutionDimensions> dims =
      linalg::inferConvolutionDims(block);
  if (failed(dims) || dims->strides.size() != 2 || dims->dilations.size() != 2)
    return failure();
  SmallVector<int64_t> ranges = block.getStaticLoopRanges();
  if (ranges[0] != 1 || ranges[1] != 1 || ranges[3] != 1)
    return failure();
  return dims;
}

/// A grouped register block (one group: loops [1, 1, pixels, 1, channels,
/// KH, KW, C/G]) as the HWCF convolution it is, on rank-reduced slices of
/// its operands without the group dimension: input [1, span, span', C/G],
/// filter [KH, KW, C/G, channels], accumulator [1, 1, pixels, channels].
/// From there the block is blocked like any other: its unit dimensions
/// lead, so that its accumulators stay in registers across the reduction.
static FailureOr<linalg::Conv2DNhwcHwcfOp>
getGroupBlockAsHwcf(RewriterBase &rewriter, linalg::GenericOp block) {
  FailureOr<linalg::ConvolutionDimensions> dims = getGroupBlockWindow(block);
  if (failed(dims))
    return failure();
  rewriter.setInsertionPoint(block);
  Location loc = block.getLoc();
  auto dropGroup = [&](Value value, int64_t groupDim) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.erase(shape.begin() + groupDim);
    return tensor::createCanonicalRankReducingExtractSliceOp(
        rewriter, loc, value,
        RankedTensorType::get(shape, type.getElementType()));
  };
  Value input = dropGroup(block.getDpsInputs()[0], 3);
  Value filter = dropGroup(block.getDpsInputs()[1], 0);
  Value output = block.getDpsInits()[0];
  Value init = dropGroup(output, 3);
  auto conv = linalg::Conv2DNhwcHwcfOp::create(
      rewriter, loc, TypeRange{init.getType()}, ValueRange{input, filter},
      ValueRange{init}, rewriter.getI64TensorAttr(dims->strides),
      rewriter.getI64TensorAttr(dims->dilations));
  rewriter.replaceOp(block, tensor::createCanonicalRankReducingInsertSliceOp(
                                rewriter, loc, conv.getResult(0), output));
  return conv;
}

/// A register block of a convolution with a filter per image (one image:
/// loops [1, 1, pixels, channels, KH, KW, C]) as the HWCF convolution it
/// is, on the image's filter [KH, KW, C, channels] (a rank-reduced slice).
static FailureOr<linalg::Conv2DNhwcHwcfOp>
getImageBlockAsHwcf(RewriterBase &rewriter, linalg::GenericOp block) {
  FailureOr<linalg::ConvolutionDimensions> dims =
      linalg::inferConvolutionDims(block);
  if (failed(dims) || dims->strides.size() != 2 ||
      dims->dilations.size() != 2 || block.getStaticLoopRanges()[0] != 1)
    return failure();
  rewriter.setInsertionPoint(block);
  Value filter = block.getDpsInputs()[1];
  auto filterType = cast<RankedTensorType>(filter.getType());
  filter = tensor::createCanonicalRankReducingExtractSliceOp(
      rewriter, block.getLoc(), filter,
      RankedTensorType::get(filterType.getShape().drop_front(),
                            filterType.getElementType()));
  auto conv = linalg::Conv2DNhwcHwcfOp::create(
      rewriter, block.getLoc(), block->getResultTypes(),
      ValueRange{block.getDpsInputs()[0], filter}, block.getDpsInits(),
      rewriter.getI64TensorAttr(dims->strides),
      rewriter.getI64TensorAttr(dims->dilations));
  rewriter.replaceOp(block, conv->getResults());
  return conv;
}

/// `op`, an elementwise op (fill or generic) over a spanning block's
/// accumulator [1, 1, P, 1, S, K], over [1, 1, P, 1, S * K] instead: its
/// vectors then have whole registers of lanes, not K-lane pieces.
static FailureOr<Operation *> collapseGroupLanes(RewriterBase &rewriter,
                                                 Operation *op) {
  SmallVector<ReassociationIndices> lanes = {{0}, {1}, {2}, {3}, {4, 5}};
  rewriter.setInsertionPoint(op);
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    Location loc = fill.getLoc();
    Value init = tensor::CollapseShapeOp::create(rewriter, loc,
                                                 fill.getOutputs()[0], lanes);
    auto collapsed = linalg::FillOp::create(rewriter, loc, fill.getInputs(),
                                            ValueRange{init});
    rewriter.replaceOp(fill, tensor::ExpandShapeOp::create(
                                 rewriter, loc, fill.getResultTypes()[0],
                                 collapsed.getResult(0), lanes));
    return collapsed.getOperation();
  }
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumLoops() != 6 ||
      !linalg::areDimSequencesPreserved(generic.getIndexingMapsArray(),
                                        {{4, 5}}))
    return failure();
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(generic, lanes, rewriter);
  if (failed(collapsed))
    return failure();
  rewriter.replaceOp(generic, collapsed->results);
  return collapsed->collapsedOp.getOperation();
}

/// A register block that spans S whole groups of K outputs
/// (createGroupedConvolution's split form; loops [1, 1, P, 1, S, K, KH, KW,
/// C]) as vector code: P accumulators of S * K lanes, one per pixel. For
/// each window tap, each pixel's input vector (its S groups' C channels)
/// is read once, and for each input channel c a shuffle gives lane (s, k)
/// the input of group s's channel c, and one FMA with the filter vector of
/// (tap, c) (lane (s, k): filter[s][k][c], contiguous in the split filter)
/// accumulates it. Grouped layers with 4 or 8 channels per group (ResNeXt,
/// RegNet) compute whole vectors instead of a 4- or 8-lane piece per group.
static LogicalResult vectorizeSpanningBlock(RewriterBase &rewriter,
                                            linalg::GenericOp block) {
  FailureOr<linalg::ConvolutionDimensions> dims = getGroupBlockWindow(block);
  if (failed(dims))
    return failure();
  SmallVector<int64_t> ranges = block.getStaticLoopRanges();
  int64_t pixels = ranges[2], spanned = ranges[4], outputs = ranges[5],
          kh = ranges[6], kw = ranges[7], inputs = ranges[8];
  int64_t lanes = spanned * outputs;
  Location loc = block.getLoc();
  rewriter.setInsertionPoint(block);
  Type f32 = rewriter.getF32Type();
  auto collapse = [&](Value value, ArrayRef<ReassociationIndices> groups) {
    return tensor::CollapseShapeOp::create(rewriter, loc, value, groups)
        .getResult();
  };
  // input [1, rows, columns, 1, S, C] -> [rows, columns, S * C];
  // filter [1, KH, KW, C, S, K] -> [KH, KW, C, S * K];
  // accumulator [1, 1, P, 1, S, K] -> [1, 1, P, 1, S * K].
  Value input = collapse(block.getDpsInputs()[0], {{0, 1}, {2}, {3, 4, 5}});
  Value filter = collapse(block.getDpsInputs()[1], {{0, 1}, {2}, {3}, {4, 5}});
  Value accumulator =
      collapse(block.getDpsInits()[0], {{0}, {1}, {2}, {3}, {4, 5}});
  auto laneType = VectorType::get({lanes}, f32);
  auto inputType = VectorType::get({spanned * inputs}, f32);
  auto blockType = VectorType::get({1, 1, pixels, 1, lanes}, f32);
  auto rowsType = VectorType::get({pixels, lanes}, f32);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value padding = arith::ConstantOp::create(rewriter, loc, f32,
                                            rewriter.getF32FloatAttr(0));
  SmallVector<bool> inBounds5(5, true);
  Value rows = vector::ShapeCastOp::create(
      rewriter, loc, rowsType,
      vector::TransferReadOp::create(rewriter, loc, blockType, accumulator,
                                     SmallVector<Value>(5, zero), padding,
                                     ArrayRef(inBounds5)));
  SmallVector<Value> accumulators;
  for (int64_t p = 0; p < pixels; ++p)
    accumulators.push_back(vector::ExtractOp::create(rewriter, loc, rows, p));

  // For input channel c: lane (s, k) takes element s * C + c.
  SmallVector<SmallVector<int64_t>> masks(inputs);
  for (int64_t c = 0; c < inputs; ++c)
    for (int64_t lane = 0; lane < lanes; ++lane)
      masks[c].push_back(lane / outputs * inputs + c);

  auto index = [&](OpBuilder &b, int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  auto step = [&](OpBuilder &b, Value tapRow, Value tapColumn,
                  ValueRange current) {
    SmallVector<Value> next(current);
    SmallVector<Value> filters;
    for (int64_t c = 0; c < inputs; ++c)
      filters.push_back(vector::TransferReadOp::create(
          b, loc, laneType, filter,
          ValueRange{tapRow, tapColumn, index(b, c), zero}, padding,
          ArrayRef<bool>{true}));
    Value row =
        arith::MulIOp::create(b, loc, tapRow, index(b, dims->dilations[0]));
    Value column =
        arith::MulIOp::create(b, loc, tapColumn, index(b, dims->dilations[1]));
    for (int64_t p = 0; p < pixels; ++p) {
      Value at =
          arith::AddIOp::create(b, loc, column, index(b, p * dims->strides[1]));
      Value x = vector::TransferReadOp::create(b, loc, inputType, input,
                                               ValueRange{row, at, zero},
                                               padding, ArrayRef<bool>{true});
      for (int64_t c = 0; c < inputs; ++c) {
        Value broadcast =
            vector::ShuffleOp::create(b, loc, x, x, masks[c]).getResult();
        next[p] = vector::FMAOp::create(b, loc, broadcast, filters[c], next[p]);
      }
    }
    return next;
  };
  // scf.for tap rows { scf.for tap columns { the step } }, the accumulators
  // carried in registers.
  Value one = index(rewriter, 1);
  auto rowLoop = scf::ForOp::create(
      rewriter, loc, zero, index(rewriter, kh), one, accumulators,
      [&](OpBuilder &b, Location, Value tapRow, ValueRange rowAccs) {
        auto columnLoop = scf::ForOp::create(
            b, loc, zero, index(b, kw), one, rowAccs,
            [&](OpBuilder &cb, Location, Value tapColumn, ValueRange accs) {
              scf::YieldOp::create(cb, loc, step(cb, tapRow, tapColumn, accs));
            });
        scf::YieldOp::create(b, loc, columnLoop.getResults());
      });
  Value result = arith::ConstantOp::create(
      rewriter, loc, rowsType,
      DenseElementsAttr::get(rowsType, rewriter.getF32FloatAttr(0)));
  for (int64_t p = 0; p < pixels; ++p)
    result = vector::InsertOp::create(rewriter, loc, rowLoop.getResult(p),
                                      result, p);
  Value written =
      vector::TransferWriteOp::create(
          rewriter, loc,
          vector::ShapeCastOp::create(rewriter, loc, blockType, result),
          accumulator, SmallVector<Value>(5, zero), ArrayRef(inBounds5))
          .getResult();
  rewriter.replaceOp(
      block,
      tensor::ExpandShapeOp::create(
          rewriter, loc, block.getResultTypes()[0], written,
          SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3}, {4, 5}}));
  return success();
}

/// Vectorizes one register block's convolution `blockConv` (`spanning`:
/// the block spans whole groups, isGroupSpanningConvolution) with its
/// accumulator initialization and epilogue.
static LogicalResult vectorizeBlock(PatternRewriter &rewriter,
                                    linalg::LinalgOp blockConv,
                                    KernelAttr kernel, bool spanning) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  if (!blockConv ||
      !cast<RankedTensorType>(blockConv->getResultTypes()[0]).hasStaticShape())
    return failure();
  SmallVector<Operation *> elementwise;
  Block *body = blockConv->getBlock();
  if (Operation *init = blockConv.getDpsInits()[0].getDefiningOp())
    if (isa<linalg::LinalgOp>(init) && init->getBlock() == body)
      elementwise.push_back(init);
  Value result = blockConv->getResult(0);
  if (result.hasOneUse()) {
    Operation *user = *result.getUsers().begin();
    if (isa<linalg::GenericOp>(user) && user->getBlock() == body)
      elementwise.push_back(user);
  }
  if (spanning) {
    // The accumulator's initialization and the epilogue over whole
    // vectors of lanes, then the convolution as vector code that reads
    // and writes the same [1, 1, P, 1, S * K] vectors: they fold.
    for (Operation *&op : elementwise) {
      FailureOr<Operation *> collapsed = collapseGroupLanes(rewriter, op);
      if (failed(collapsed))
        return failure();
      op = *collapsed;
    }
    if (failed(vectorizeSpanningBlock(
            rewriter, cast<linalg::GenericOp>(blockConv.getOperation()))))
      return failure();
    return vectorizeEach(rewriter, elementwise);
  }
  auto grouped = dyn_cast<linalg::GenericOp>(blockConv.getOperation());
  if (grouped && kernel.isGrouped()) {
    FailureOr<linalg::Conv2DNhwcHwcfOp> hwcf =
        getGroupBlockAsHwcf(rewriter, grouped);
    if (failed(hwcf))
      return failure();
    blockConv = *hwcf;
  } else if (grouped && isPerImageFilterConvolution(grouped)) {
    FailureOr<linalg::Conv2DNhwcHwcfOp> hwcf =
        getImageBlockAsHwcf(rewriter, grouped);
    if (failed(hwcf))
      return failure();
    blockConv = *hwcf;
  }
  FailureOr<Operation *> step =
      tile(rewriter, cast<TilingInterface>(blockConv.getOperation()),
           {0, 0, 0, 0, 1, 1, kernel.getReduction()}, LoopType::ForOp);
  if (failed(step))
    return failure();

  // One output row and a 1x1 window: a 1-D convolution, which vectorizes
  // to contractions of input broadcasts with filter vectors.
  rewriter.setInsertionPoint(*step);
  linalg::DownscaleSizeOneWindowed2DConvolution<linalg::Conv2DNhwcHwcfOp,
                                                linalg::Conv1DNwcWcfOp>
      downscale(rewriter.getContext());
  FailureOr<linalg::Conv1DNwcWcfOp> conv1d = downscale.returningMatchAndRewrite(
      cast<linalg::Conv2DNhwcHwcfOp>(*step), rewriter);
  if (failed(conv1d))
    return failure();
  elementwise.push_back(*conv1d);
  // The accumulator initialization and the epilogue act on the same
  // register block: their vectors meet the contraction's in registers.
  return vectorizeEach(rewriter, elementwise);
}

/// Tiles one task of a depthwise convolution kernel (`taskRoot`, the ReLU
/// or the convolution, with the convolution and its accumulator's
/// initialization among `taskOps`) into register blocks of `pixels` x
/// `channels`, with the accumulator's initialization and the epilogue
/// fused, one filter row per step; each block's 1-D depthwise convolution
/// vectorizes to FMAs over channel vectors.
static LogicalResult tileDepthwiseBlocks(PatternRewriter &rewriter,
                                         Operation *taskRoot,
                                         ArrayRef<Operation *> taskOps,
                                         KernelAttr kernel,
                                         Operation *rowSums) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  // The root's loops: (n, oh, ow, c), then the convolution's (kh, kw).
  int64_t rootLoops = isa<linalg::DepthwiseConv2DNhwcHwcOp>(taskRoot) ? 6 : 4;
  llvm::SmallPtrSet<Operation *, 2> fusable;
  for (Operation *op : taskOps)
    if (op != taskRoot)
      fusable.insert(op);
  SmallVector<int64_t> channelsOuter = {0, 1, 3, 2, 4, 5};
  channelsOuter.resize(rootLoops);
  SmallVector<int64_t> sizes = {0, 1, kernel.getPixels(), kernel.getChannels()};
  sizes.resize(rootLoops, 0);
  FailureOr<SmallVector<Operation *>> blocks =
      tileKernel(rewriter, cast<TilingInterface>(taskRoot), sizes,
                 LoopType::ForOp, fusable, channelsOuter);
  if (failed(blocks))
    return failure();
  linalg::DepthwiseConv2DNhwcHwcOp blockConv;
  for (Operation *op : *blocks)
    if (auto dw = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(op))
      blockConv = dw;
  if (!blockConv ||
      !cast<RankedTensorType>(blockConv.getResultTypes()[0]).hasStaticShape())
    return failure();
  SmallVector<Operation *> elementwise;
  Block *body = blockConv->getBlock();
  if (Operation *blockInit = blockConv.getDpsInits()[0].getDefiningOp())
    if (isa<linalg::LinalgOp>(blockInit) && blockInit->getBlock() == body)
      elementwise.push_back(blockInit);
  Value result = blockConv->getResult(0);
  if (result.hasOneUse()) {
    Operation *user = *result.getUsers().begin();
    if (isa<linalg::GenericOp>(user) && user->getBlock() == body)
      elementwise.push_back(user);
  }
  // A pooling's row sums (in_producer) over the task's rows: each register
  // block adds its pixels into its row's sums, carried from pixel block to
  // pixel block (the block loops run over a row's pixels sequentially).
  Operation *rowSumsLoop = nullptr;
  if (rowSums) {
    SmallVector<LoopLikeOpInterface> loops;
    for (Operation *parent = blockConv->getParentOp();
         parent && !isa<scf::ForallOp>(parent); parent = parent->getParentOp())
      if (auto loop = dyn_cast<scf::ForOp>(parent))
        loops.insert(loops.begin(), loop);
    if (loops.empty()) {
      // One register block per task: the task's sums are the block's.
      elementwise.push_back(rowSums);
      rowSumsLoop = rowSums->getParentOp();
    } else {
      // Consumer fusion needs the consumer's other operands (its slice of
      // the task's sums, zeroed: zeroSumsInTask) defined before the loops.
      Operation *outer = loops.front();
      SmallVector<Value> others;
      for (Value operand : rowSums->getOperands())
        if (operand.getDefiningOp() != outer)
          others.push_back(operand);
      if (failed(moveValueDefinitions(rewriter, others, outer)))
        return failure();
      rewriter.setInsertionPoint(rowSums);
      FailureOr<scf::SCFFuseConsumerOfSliceResult> fused =
          scf::tileAndFuseConsumer(rewriter, rowSums, loops);
      if (failed(fused) || fused->tiledOps.empty())
        return failure();
      if (rowSums->use_empty())
        rewriter.eraseOp(rowSums);
      elementwise.push_back(fused->tiledOps.front());
      rowSumsLoop = loops.front();
    }
  }
  FailureOr<Operation *> step =
      tile(rewriter, cast<TilingInterface>(blockConv.getOperation()),
           {0, 0, 0, 0, 1, 0}, LoopType::ForOp);
  if (failed(step))
    return failure();
  rewriter.setInsertionPoint(*step);
  linalg::DownscaleDepthwiseConv2DNhwcHwcOp downscale(rewriter.getContext());
  FailureOr<linalg::DepthwiseConv1DNwcWcOp> conv1d =
      downscale.returningMatchAndRewrite(
          cast<linalg::DepthwiseConv2DNhwcHwcOp>(*step), rewriter);
  if (failed(conv1d))
    return failure();
  elementwise.push_back(*conv1d);
  if (failed(vectorizeEach(rewriter, elementwise)))
    return failure();
  if (!rowSumsLoop)
    return success();
  // The block's pixels added into its row's sums: one vector add per
  // pixel (the reduced dimension is not the vectors' own).
  return lowerMultiReductions(
      rowSumsLoop, vector::VectorMultiReductionLowering::InnerParallel);
}

/// The ops of a depthwise kernel whose root is `root` (the convolution, or
/// the ReLU over it): the root, the convolution and, when only the
/// convolution uses it, the op computing its accumulator's initial value.
static SmallVector<Operation *> getDepthwiseKernelOps(Operation *root) {
  SmallVector<Operation *> ops = {root};
  auto conv = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(root);
  if (!conv) {
    conv = cast<linalg::GenericOp>(root)
               .getDpsInputs()[0]
               .getDefiningOp<linalg::DepthwiseConv2DNhwcHwcOp>();
    ops.push_back(conv);
  }
  Operation *init = conv.getDpsInits()[0].getDefiningOp();
  if (isa_and_present<linalg::LinalgOp>(init) && init->hasOneUse())
    ops.push_back(init);
  return ops;
}

/// Zeroes a task's row sums (`taskSums`, fused into `task`) in the task, as
/// vectors that the first block's sums then start from, rather than in a
/// parallel loop of their own over the whole [N, H, 1, C] before the task
/// loop: each sum belongs to one task, which writes it.
static void zeroSumsInTask(RewriterBase &rewriter, scf::ForallOp task,
                           linalg::GenericOp taskSums) {
  OpOperand &init = taskSums.getDpsInitsMutable()[0];
  auto slice = init.get().getDefiningOp<tensor::ExtractSliceOp>();
  auto shared = slice ? dyn_cast<BlockArgument>(slice.getSource()) : nullptr;
  if (!shared || shared.getOwner()->getParentOp() != task)
    return;
  OpOperand *outer = task.getTiedOpOperand(shared);
  auto fill = outer ? outer->get().getDefiningOp<linalg::FillOp>() : nullptr;
  if (!fill)
    return;
  rewriter.setInsertionPoint(taskSums);
  auto zero = linalg::FillOp::create(rewriter, fill.getLoc(),
                                     fill.getInputs()[0], init.get());
  rewriter.modifyOpInPlace(taskSums, [&] { init.set(zero.getResult(0)); });
  rewriter.modifyOpInPlace(task, [&] { outer->set(fill.getOutputs()[0]); });
  if (fill->use_empty())
    rewriter.eraseOp(fill);
  (void)vectorizeEach(rewriter, {zero.getOperation()});
}

/// The row sums [N, H, 1, C] of a global pooling summed in its producer
/// (its kernel's in_producer) that read `value`, or null.
static linalg::GenericOp getRowSums(Value value) {
  for (Operation *user : value.getUsers())
    if (auto generic = dyn_cast<linalg::GenericOp>(user))
      if (KernelAttr kernel = getKernel(generic);
          kernel && kernel.getInProducer())
        return generic;
  return {};
}

/// Tiles, decomposes and vectorizes one depthwise convolution kernel as
/// `kernel` says: tasks of `task_rows` rows, register blocks of `pixels` x
/// `channels` with the accumulator's initialization and the ReLU
/// (`epilogue`, the root when present) fused (tileDepthwiseBlocks), and a
/// global pooling's row sums (in_producer) over the output, if one reads
/// it, added up in the register blocks. `*rowSumsFused` says whether they
/// were.
static LogicalResult
tileAndVectorizeDepthwise(PatternRewriter &rewriter,
                          linalg::DepthwiseConv2DNhwcHwcOp conv,
                          linalg::GenericOp epilogue, KernelAttr kernel,
                          bool *rowSumsFused = nullptr) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  Operation *root = epilogue ? epilogue.getOperation() : conv.getOperation();
  SmallVector<Operation *> ops = getDepthwiseKernelOps(root);
  llvm::SmallPtrSet<Operation *, 2> fusable(std::next(ops.begin()), ops.end());
  SmallVector<int64_t> sizes = {1, kernel.getTaskRows(), 0,
                                kernel.getTaskChannels()};
  sizes.resize(epilogue ? 4 : 6, 0);
  linalg::GenericOp rowSums = getRowSums(root->getResult(0));
  FailureOr<SmallVector<Operation *>> tasks =
      tileKernel(rewriter, cast<TilingInterface>(root), sizes,
                 LoopType::ForallOp, fusable);
  if (failed(tasks))
    return failure();
  // The row sums of a task's rows, in the task (its tiles span whole rows,
  // so the sums need no other task's pixels).
  Operation *taskRowSums = nullptr;
  if (rowSums) {
    auto task = tasks->front()->getParentOfType<scf::ForallOp>();
    SmallVector<LoopLikeOpInterface> loops = {task};
    // The fused loop replaces the loop at the consumer's place, with the
    // sums' initial value (their zero fill, which the lowering built at the
    // pooling) as a new output. So the consumer goes right after the loop
    // (before the loop's other users: a layout change, a later layer) and
    // its initial value before it: the loop stays at the layer's place,
    // which the profile's hooks delimit.
    if (task &&
        failed(moveValueDefinitions(rewriter, rowSums.getDpsInits(), task)))
      task = nullptr;
    if (task)
      rewriter.moveOpAfter(rowSums, task);
    rewriter.setInsertionPoint(rowSums);
    FailureOr<scf::SCFFuseConsumerOfSliceResult> fused =
        task ? scf::tileAndFuseConsumer(rewriter, rowSums, loops)
             : FailureOr<scf::SCFFuseConsumerOfSliceResult>(failure());
    if (succeeded(fused) && !fused->tiledOps.empty()) {
      if (rowSums->use_empty())
        rewriter.eraseOp(rowSums);
      taskRowSums = fused->tiledOps.front();
      if (rowSumsFused)
        *rowSumsFused = true;
      zeroSumsInTask(rewriter,
                     cast<scf::ForallOp>(loops.front().getOperation()),
                     cast<linalg::GenericOp>(taskRowSums));
    }
  }
  return tileDepthwiseBlocks(rewriter, tasks->front(), *tasks, kernel,
                             taskRowSums);
}

/// Tiles an NHWC pooling (max or sum) into parallel tasks of a row by the
/// kernel's `task_channels` and register blocks of its `pixels x channels`,
/// with its window rows as a reduction loop and its initial fill fused,
/// then vectorizes each block's 1-D pooling.
static LogicalResult tileAndVectorizePooling(PatternRewriter &rewriter,
                                             linalg::LinalgOp pool,
                                             KernelAttr kernel) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  FailureOr<SmallVector<Operation *>> blocks = tileTasksAndBlocks(
      rewriter, pool, {1, 1, 0, kernel.getTaskChannels(), 0, 0},
      {0, 0, kernel.getPixels(), kernel.getChannels(), 0, 0});
  if (failed(blocks))
    return failure();
  FailureOr<Operation *> step =
      tile(rewriter, cast<TilingInterface>(blocks->front()), {0, 0, 0, 0, 1, 0},
           LoopType::ForOp);
  if (failed(step))
    return failure();
  // One output row and one window row: a 1-D pooling, which vectorizes.
  RewritePatternSet decompose(rewriter.getContext());
  linalg::populateDecomposeConvolutionPatterns(decompose);
  Operation *block = (*step)->getParentOp();
  if (failed(applyPatternsGreedily(block, std::move(decompose))))
    return failure();
  SmallVector<Operation *> toVectorize(std::next(blocks->begin()),
                                       blocks->end());
  block->walk([&](linalg::LinalgOp op) {
    if (isa<linalg::PoolingNwcMaxOp, linalg::PoolingNwcSumOp>(op))
      toVectorize.push_back(op);
  });
  return vectorizeEach(rewriter, toVectorize);
}

/// Tiles a global pooling's row sums (in_producer; loops (n, h, w, c), the
/// width reduced) that its producer did not take in: parallel tasks of one
/// row by the kernel's `channels`, each vectorized whole.
static LogicalResult tileAndVectorizeRowSums(PatternRewriter &rewriter,
                                             linalg::GenericOp rowSums,
                                             KernelAttr kernel) {
  FailureOr<Operation *> tasks =
      tile(rewriter, cast<TilingInterface>(rowSums.getOperation()),
           {1, 1, 0, kernel.getChannels()},
           scf::SCFTilingOptions::LoopType::ForallOp);
  if (failed(tasks))
    return failure();
  Operation *task = (*tasks)->getParentOp();
  if (failed(vectorizeEach(rewriter, {*tasks})))
    return failure();
  // The width's pixels added one vector at a time.
  return lowerMultiReductions(
      task, vector::VectorMultiReductionLowering::InnerParallel);
}

/// Tiles a batched contraction generic, loops (batch, row, column, k) with
/// out[batch, row, column] += a[.., row, k] * b[batch, k, column] (a packed
/// linear layer, Winograd's GEMMs) as its kernel says: parallel tasks of one
/// batch by `task_channels` columns, register blocks of `pixels` rows by
/// `channels` columns (its zero-fill init fused), `reduction` features at a
/// time; then vectorizes it (a contraction, like the convolution's).
static LogicalResult tileAndVectorizeContraction(PatternRewriter &rewriter,
                                                 linalg::GenericOp contraction,
                                                 KernelAttr kernel) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  FailureOr<SmallVector<Operation *>> blocks = tileTasksAndBlocks(
      rewriter, contraction, {1, 0, kernel.getTaskChannels(), 0},
      {0, kernel.getPixels(), kernel.getChannels(), 0});
  if (failed(blocks))
    return failure();
  FailureOr<Operation *> step =
      tile(rewriter, cast<TilingInterface>(blocks->front()),
           {0, 0, 0, kernel.getReduction()}, LoopType::ForOp);
  if (failed(step))
    return failure();
  SmallVector<Operation *> toVectorize(std::next(blocks->begin()),
                                       blocks->end());
  toVectorize.push_back(*step);
  return vectorizeEach(rewriter, toVectorize);
}

/// Fills the rows of a rank-4 fill (a padded buffer's border value) in
/// parallel tasks, a few pixels at a time, with vector stores: as parallel
/// loops over every dimension OpenMP would collapse them into one scalar
/// loop that recomputes four indices per element.
static LogicalResult tileAndVectorizeFill(PatternRewriter &rewriter,
                                          linalg::FillOp fill) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  SmallVector<int64_t> ranges =
      cast<linalg::LinalgOp>(fill.getOperation()).getStaticLoopRanges();
  if (ranges.size() != 4)
    return failure();
  FailureOr<Operation *> rows =
      tile(rewriter, cast<TilingInterface>(fill.getOperation()), {1, 1, 0, 0},
           LoopType::ForallOp);
  if (failed(rows))
    return failure();
  FailureOr<Operation *> pixels =
      tile(rewriter, cast<TilingInterface>(*rows),
           {0, 0, largestDivisor(ranges[2], 8), 0}, LoopType::ForOp);
  if (failed(pixels))
    return failure();
  return vectorizeEach(rewriter, {*pixels});
}

/// Tiles a 4-D elementwise generic that no kernel took in (an activation
/// that did not fuse, a squeeze-excitation product, a batch norm) into
/// parallel rows and blocks of up to 4 vectors (channels, then pixels),
/// each vectorized: left to linalg-to-parallel-loops it would be scalar
/// code. Small blocks keep every temporary of a polynomial (GELU's erf,
/// SiLU's exp: a dozen live values) in registers; 8 pixels x 4 vectors
/// spilled them and ran ConvNeXt's GELUs 4x slower.
static LogicalResult tileAndVectorizeElementwise(PatternRewriter &rewriter,
                                                 linalg::GenericOp generic,
                                                 int64_t vectorWidth) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
  if (ranges.size() != 4 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumDpsInits() != 1 ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return failure();
  // 1, 2 or 4 whole vectors (LLVM splits 3 into element shuffles).
  int64_t channels = largestDivisor(ranges[3], 4 * vectorWidth, [&](int64_t d) {
    return d % vectorWidth == 0 && llvm::isPowerOf2_64(d / vectorWidth);
  });
  if (!channels)
    channels = largestDivisor(ranges[3], 4 * vectorWidth);
  FailureOr<Operation *> rows =
      tile(rewriter, cast<TilingInterface>(generic.getOperation()),
           {1, 1, 0, 0}, LoopType::ForallOp);
  if (failed(rows))
    return failure();
  int64_t pixels = largestDivisor(
      ranges[2], std::max<int64_t>(1, 4 * vectorWidth / channels));
  FailureOr<Operation *> blocks =
      tile(rewriter, cast<TilingInterface>(*rows), {0, 0, pixels, channels},
           LoopType::ForOp);
  if (failed(blocks))
    return failure();
  return vectorizeEach(rewriter, {*blocks});
}

/// Tiles a 4-D reduction along the last dimension (a layer norm's sums over
/// the channels of each pixel) into parallel rows and blocks of pixels and
/// channels, each vectorized into whole-vector sums and one horizontal
/// reduction per pixel.
/// Left to linalg-to-parallel-loops it would be one sequential scalar loop.
static LogicalResult tileAndVectorizeRowReduction(PatternRewriter &rewriter,
                                                  linalg::GenericOp generic,
                                                  int64_t vectorWidth) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
  MLIRContext *ctx = generic.getContext();
  if (ranges.size() != 4 || generic.getNumReductionLoops() != 1 ||
      !linalg::isReductionIterator(generic.getIteratorTypesArray()[3]) ||
      generic.getNumDpsInits() != 1 ||
      generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)) !=
          AffineMap::getMultiDimIdentityMap(4, ctx).dropResult(3))
    return failure();
  FailureOr<Operation *> rows =
      tile(rewriter, cast<TilingInterface>(generic.getOperation()),
           {1, 1, 0, 0}, LoopType::ForallOp);
  if (failed(rows))
    return failure();
  // At most 8 vectors of a row at a time (a longer row in steps, its sum
  // carried from step to step), and as many pixels as make 4 vectors.
  int64_t chunk = largestDivisor(ranges[3], 8 * vectorWidth);
  int64_t pixels =
      largestDivisor(ranges[2], std::max<int64_t>(1, 4 * vectorWidth / chunk));
  FailureOr<Operation *> blocks = tile(rewriter, cast<TilingInterface>(*rows),
                                       {0, 0, pixels, chunk}, LoopType::ForOp);
  if (failed(blocks))
    return failure();
  auto task = (*blocks)->getParentOfType<scf::ForallOp>();
  if (failed(vectorizeEach(rewriter, {*blocks})))
    return failure();
  // One horizontal reduction per pixel, now: convert-vector-to-llvm makes
  // it a tree of whole-vector adds. (Left as a multi-reduction, a sum of
  // products would become a vector.contract, lowered to scalar FMAs.)
  return lowerMultiReductions(
      task, vector::VectorMultiReductionLowering::InnerReduction);
}

/// Tiles a 4-D layout change (the model input's NCHW to NHWC, the output's
/// NHWC to NCHW) into parallel tasks of one (dim 0, dim 1) slab and blocks
/// of at most 256 elements, each vectorized into one read, an in-register
/// transpose and one write; a channel shuffle (5-D) likewise, and a
/// permutation of the outer dimensions of 5 or more (a depth-to-space in
/// NHWC, [N, H, W, b, b, C] to [N, H, b, W, b, C]) as whole-vector copies of
/// its innermost rows. Left to
/// linalg-to-parallel-loops it would be one OpenMP loop over every element,
/// dividing its index into four.
static LogicalResult tileAndVectorizeTranspose(PatternRewriter &rewriter,
                                               linalg::TransposeOp transpose,
                                               int64_t vectorWidth) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  SmallVector<int64_t> ranges =
      cast<linalg::LinalgOp>(transpose.getOperation()).getStaticLoopRanges();
  // A channel shuffle in NHWC: [N, H, W, G, C/G] to [N, H, W, C/G, G]. Row
  // tasks, blocks of pixels of at most 256 elements, each one in-register
  // interleave of its channels.
  if (ranges.size() == 5 &&
      transpose.getPermutation() == ArrayRef<int64_t>{0, 1, 2, 4, 3}) {
    FailureOr<Operation *> rows =
        tile(rewriter, cast<TilingInterface>(transpose.getOperation()),
             {1, 1, 0, 0, 0}, LoopType::ForallOp);
    if (failed(rows))
      return failure();
    int64_t pixels = largestDivisor(
        ranges[2], std::max<int64_t>(1, 256 / (ranges[3] * ranges[4])));
    FailureOr<Operation *> blocks = tile(rewriter, cast<TilingInterface>(*rows),
                                         {0, 0, pixels, 0, 0}, LoopType::ForOp);
    if (failed(blocks))
      return failure();
    return vectorizeEach(rewriter, {*blocks});
  }
  ArrayRef<int64_t> perm = transpose.getPermutation();
  int64_t rank = ranges.size();
  if (rank >= 5 && perm.back() == rank - 1) {
    SmallVector<int64_t> taskSizes(rank, 0), blockSizes(rank, 1);
    taskSizes[0] = taskSizes[1] = 1;
    blockSizes[0] = blockSizes[1] = 0;
    blockSizes.back() = largestDivisor(ranges.back(), 4 * vectorWidth);
    FailureOr<Operation *> rows =
        tile(rewriter, cast<TilingInterface>(transpose.getOperation()),
             taskSizes, LoopType::ForallOp);
    if (failed(rows))
      return failure();
    FailureOr<Operation *> blocks = tile(rewriter, cast<TilingInterface>(*rows),
                                         blockSizes, LoopType::ForOp);
    if (failed(blocks))
      return failure();
    return vectorizeEach(rewriter, {*blocks});
  }
  if (ranges.size() != 4)
    return failure();
  FailureOr<Operation *> slabs =
      tile(rewriter, cast<TilingInterface>(transpose.getOperation()),
           {1, 1, 0, 0}, LoopType::ForallOp);
  if (failed(slabs))
    return failure();
  int64_t rows = largestDivisor(ranges[2], vectorWidth);
  int64_t columns = largestDivisor(ranges[3], std::max<int64_t>(1, 256 / rows));
  FailureOr<Operation *> blocks = tile(rewriter, cast<TilingInterface>(*slabs),
                                       {0, 0, rows, columns}, LoopType::ForOp);
  if (failed(blocks))
    return failure();
  return vectorizeEach(rewriter, {*blocks});
}

/// The clean-up `transform.structured.vectorize_children_and_apply_patterns`
/// applies, plus every canonicalization: transfers fold into the slices
/// they read and write.
static LogicalResult simplifyVectorCode(Operation *root) {
  MLIRContext *ctx = root->getContext();
  RewritePatternSet patterns(ctx);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateSinkVectorOpsPatterns(patterns);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  return applyPatternsGreedily(root, std::move(patterns));
}

/// Keeps the accumulators in registers across the reduction loops: their
/// read and write move out of every loop that does not change their slice.
static void hoistAccumulators(RewriterBase &rewriter, Operation *root) {
  SmallVector<LoopLikeOpInterface> loops;
  root->walk([&](LoopLikeOpInterface loop) { loops.push_back(loop); });
  for (LoopLikeOpInterface loop : loops) {
    moveLoopInvariantCode(loop);
    hoistLoopInvariantSubsets(rewriter, loop);
  }
}

namespace {
struct CnnTileConvolutionsPass final
    : cnn::impl::CnnTileConvolutionsBase<CnnTileConvolutionsPass> {
  using CnnTileConvolutionsBase::CnnTileConvolutionsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    PatternRewriter rewriter(&getContext());
    // The kernels' roots: every op the lowering gave a `#cnn.kernel`.
    SmallVector<linalg::LinalgOp> roots;
    SmallVector<linalg::TransposeOp> transposes;
    func.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureTensorSemantics() ||
          ShapedType::isDynamicShape(op.getStaticLoopRanges()))
        return;
      if (getKernel(op))
        roots.push_back(op);
      else if (auto transpose =
                   dyn_cast<linalg::TransposeOp>(op.getOperation()))
        transposes.push_back(transpose);
    });

    // Counted locally and published together, so zero counts show too.
    uint64_t convolutions = 0, untiledConvolutions = 0, depthwiseInConsumer = 0,
             contractions = 0, poolings = 0, layoutChanges = 0,
             elementwiseOps = 0, poolRowsInProducer = 0;
    // Depthwise kernels computed in their consumer's tasks (in_consumer):
    // tiled with that consumer; one that no consumer took, on its own
    // after the others.
    llvm::SetVector<Operation *> inConsumer;
    for (linalg::LinalgOp root : roots)
      if (getKernel(root).getInConsumer())
        inConsumer.insert(root);
    // Global poolings' row sums (in_producer): computed by the depthwise
    // kernel that produces their input; ones it did not take, after the
    // others.
    llvm::SetVector<Operation *> inProducer;
    for (linalg::LinalgOp root : roots)
      if (isa<linalg::GenericOp>(root) && getKernel(root).getInProducer())
        inProducer.insert(root);
    llvm::SmallPtrSet<Operation *, 16> rowSumOps(inProducer.begin(),
                                                 inProducer.end());
    for (linalg::LinalgOp root : roots) {
      // (Row sums may have been fused and erased already: not touched.)
      Operation *op = root.getOperation();
      if (inConsumer.contains(op) || rowSumOps.contains(op))
        continue;
      KernelAttr kernel = getKernel(root);
      if (isa<linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(op)) {
        if (succeeded(tileAndVectorizePooling(rewriter, root, kernel)))
          ++poolings;
        continue;
      }
      // A convolution, or the ReLU over one: the root of a conv kernel.
      linalg::LinalgOp conv;
      if (isKernelConvolution(op, kernel))
        conv = root;
      auto depthwise = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(op);
      auto generic = dyn_cast<linalg::GenericOp>(op);
      if (!conv && !depthwise && generic &&
          generic.getNumReductionLoops() == 0) {
        Operation *producer = generic.getDpsInputs()[0].getDefiningOp();
        if (producer && isKernelConvolution(producer, kernel))
          conv = cast<linalg::LinalgOp>(producer);
        depthwise = generic.getDpsInputs()[0]
                        .getDefiningOp<linalg::DepthwiseConv2DNhwcHwcOp>();
      }
      if (depthwise) {
        Operation *rowSums = getRowSums(op->getResult(0));
        bool rowSumsFused = false;
        if (succeeded(tileAndVectorizeDepthwise(
                rewriter, depthwise,
                op == depthwise ? linalg::GenericOp() : generic, kernel,
                &rowSumsFused)))
          ++convolutions;
        else
          ++untiledConvolutions;
        if (rowSumsFused) {
          inProducer.remove(rowSums);
          ++poolRowsInProducer;
        }
        continue;
      }
      if (conv) {
        // A convolution that does not tile stays whole: slower, still right.
        Operation *depthwiseRoot = conv.getDpsInputs()[0].getDefiningOp();
        if (!inConsumer.contains(depthwiseRoot))
          depthwiseRoot = nullptr;
        bool fused = false;
        if (succeeded(tileAndVectorize(
                rewriter, conv,
                op == conv.getOperation() ? linalg::GenericOp() : generic,
                kernel, depthwiseRoot, &fused)))
          ++convolutions;
        else
          ++untiledConvolutions;
        if (fused) {
          inConsumer.remove(depthwiseRoot);
          ++depthwiseInConsumer;
        }
        continue;
      }
      // A linear layer's or a Winograd GEMM's batched contraction
      // (createBatchedContraction), as MLIR's contraction interface
      // classifies it.
      if (generic && linalg::isaContractionOpInterface(generic) &&
          generic.getNumLoops() == 4) {
        if (succeeded(tileAndVectorizeContraction(rewriter, generic, kernel)))
          ++contractions;
        continue;
      }
      root->emitError("cnn-tile-convolutions: a '#cnn.kernel' on an op that "
                      "is no convolution (or ReLU of one), pooling or "
                      "batched contraction");
      return signalPassFailure();
    }
    // Depthwise kernels whose consumer did not compute them (its input was
    // no longer theirs): kernels of their own, as decided otherwise.
    for (Operation *op : inConsumer) {
      auto depthwise = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(op);
      auto epilogue = dyn_cast<linalg::GenericOp>(op);
      if (epilogue)
        depthwise = epilogue.getDpsInputs()[0]
                        .getDefiningOp<linalg::DepthwiseConv2DNhwcHwcOp>();
      Operation *rowSums = getRowSums(op->getResult(0));
      bool rowSumsFused = false;
      if (depthwise &&
          succeeded(tileAndVectorizeDepthwise(rewriter, depthwise, epilogue,
                                              getKernel(op), &rowSumsFused)))
        ++convolutions;
      else
        ++untiledConvolutions;
      if (rowSumsFused) {
        inProducer.remove(rowSums);
        ++poolRowsInProducer;
      }
    }
    // Layout changes (the model's input and output, an NCHW flatten), once
    // the kernels that read or write them are tiled: a kernel's output
    // read inside another loop would keep consumer fusion (in_producer)
    // from fusing into that kernel's loop.
    for (linalg::TransposeOp transpose : transposes)
      if (succeeded(
              tileAndVectorizeTranspose(rewriter, transpose, vectorWidth)))
        ++layoutChanges;
    // Row sums that no producer took: a kernel of their own, tasks of one
    // row by a block of channels.
    for (Operation *op : inProducer)
      (void)tileAndVectorizeRowSums(rewriter, cast<linalg::GenericOp>(op),
                                    getKernel(op));
    // Copies (a Winograd convolution's valid part of its tile-aligned
    // output) are elementwise ops too; left alone, linalg-to-parallel-loops
    // would make them scalar loops over delinearized indices, which cost
    // more than the convolution they follow.
    SmallVector<linalg::CopyOp> copies;
    func.walk([&](linalg::CopyOp copy) {
      if (copy.hasPureTensorSemantics())
        copies.push_back(copy);
    });
    for (linalg::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      (void)linalg::generalizeNamedOp(rewriter, copy);
    }
    // Elementwise ops and row reductions (a layer norm's) that no kernel took
    // in.
    SmallVector<linalg::GenericOp> elementwise;
    func.walk([&](linalg::GenericOp generic) {
      if (generic.hasPureTensorSemantics() && !getKernel(generic) &&
          !ShapedType::isDynamicShape(generic.getStaticLoopRanges()))
        elementwise.push_back(generic);
    });
    // (Either may tile `generic` and then fail to vectorize it: the tiles
    // are left to linalg-to-parallel-loops.)
    for (linalg::GenericOp generic : elementwise)
      if (succeeded(
              generic.getNumReductionLoops() == 0
                  ? tileAndVectorizeElementwise(rewriter, generic, vectorWidth)
                  : tileAndVectorizeRowReduction(rewriter, generic,
                                                 vectorWidth)))
        ++elementwiseOps;
    // Fills that no kernel took in (the padded buffers' borders).
    SmallVector<linalg::FillOp> fills;
    func.walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() &&
          !ShapedType::isDynamicShape(
              cast<linalg::LinalgOp>(fill.getOperation())
                  .getStaticLoopRanges()))
        fills.push_back(fill);
    });
    for (linalg::FillOp fill : fills)
      (void)tileAndVectorizeFill(rewriter, fill);
    numConvolutions += convolutions;
    numDepthwiseInConsumer += depthwiseInConsumer;
    numPoolRowsInProducer += poolRowsInProducer;
    numUntiledConvolutions += untiledConvolutions;
    numContractions += contractions;
    numPoolings += poolings;
    numTransposes += layoutChanges;
    numElementwise += elementwiseOps;
    // Unit dimensions differ between the contraction's and the elementwise
    // ops' vectors; without them, each write-then-read of a tile folds.
    RewritePatternSet castAway(&getContext());
    vector::populateCastAwayVectorLeadingOneDimPatterns(castAway);
    if (failed(simplifyVectorCode(func)) ||
        failed(applyPatternsGreedily(func, std::move(castAway))) ||
        failed(simplifyVectorCode(func)))
      return signalPassFailure();
    hoistAccumulators(rewriter, func);
    // Hoisted reads of tiles just written (bias, epilogue input) fold.
    if (failed(simplifyVectorCode(func)))
      return signalPassFailure();
  }

  cnn::PassStatistic numConvolutions{
      this, "tiled-convolutions",
      "Direct convolutions given the register kernel"};
  cnn::PassStatistic numUntiledConvolutions{
      this, "untiled-convolutions",
      "Direct convolutions left whole (no tiling applied)"};
  cnn::PassStatistic numDepthwiseInConsumer{
      this, "depthwise-in-consumer",
      "Depthwise kernels computed in their 1x1 consumer's tasks (counted "
      "with it among tiled-convolutions)"};
  cnn::PassStatistic numPoolRowsInProducer{
      this, "pool-rows-in-producer",
      "Global poolings' row sums added up in their depthwise producer's "
      "register blocks"};
  cnn::PassStatistic numContractions{
      this, "tiled-contractions",
      "Linear layers and Winograd GEMMs given the register kernel"};
  cnn::PassStatistic numPoolings{this, "vectorized-poolings",
                                 "Pooling layers vectorized"};
  cnn::PassStatistic numTransposes{this, "vectorized-transposes",
                                   "Layout changes (transposes) vectorized"};
  cnn::PassStatistic numElementwise{
      this, "vectorized-elementwise",
      "Elementwise ops and row reductions outside kernels (activations, "
      "products, layer norms' sums) vectorized"};
};
} // namespace

//===----------------------------------------------------------------------===//
// After bufferization: contractions to FMAs
//===----------------------------------------------------------------------===//

/// Applies one pattern group to `root`; groups run separately because some
/// of them undo each other's work when mixed and never converge.
template <typename Populate>
static LogicalResult applyGroup(Operation *root, Populate populate) {
  RewritePatternSet patterns(root->getContext());
  populate(patterns);
  return applyPatternsGreedily(root, std::move(patterns));
}

namespace {
struct CnnLowerVectorKernelsPass final
    : cnn::impl::CnnLowerVectorKernelsBase<CnnLowerVectorKernelsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    linalg::hoistRedundantVectorTransfers(func, /*verifyNonZeroTrip=*/true);
    if (failed(applyGroup(func,
                          [](RewritePatternSet &patterns) {
                            vector::populateCastAwayVectorLeadingOneDimPatterns(
                                patterns);
                          })) ||
        failed(applyGroup(
            func,
            [](RewritePatternSet &patterns) {
              vector::populateVectorContractLoweringPatterns(
                  patterns, vector::VectorContractLowering::OuterProduct);
              vector::populateVectorTransferPermutationMapLoweringPatterns(
                  patterns);
            })) ||
        failed(applyGroup(func,
                          [](RewritePatternSet &patterns) {
                            vector::populateVectorOuterProductLoweringPatterns(
                                patterns);
                          })) ||

        // exp (softmax; sigmoid and SiLU build their own, buildExp), erf
        // (GELU), tanh, log1p (softplus, Mish)
        // and expm1 (ELU) as polynomials on vectors: LLVM would call the C
        // library's scalar function per element (and has no lowering of
        // math.erf or math.tanh at all). log1p and expm1 expand into log and
        // exp, approximated in turn.
        failed(applyGroup(func, [](RewritePatternSet &patterns) {
          populateMathPolynomialApproximationPatterns(
              patterns, [](StringRef name) {
                return llvm::is_contained({"math.exp", "math.erf", "math.tanh",
                                           "math.log", "math.log1p",
                                           "math.expm1"},
                                          name);
              });
        })))
      signalPassFailure();
  }
};
} // namespace
