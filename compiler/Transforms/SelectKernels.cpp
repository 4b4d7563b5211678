//===- SelectKernels.cpp - One decision per layer, as a typed attribute ---===//
//
// The cost model of the whole code generator: for every convolution, linear
// and pooling layer of the model it chooses the algorithm (direct, paired
// columns, Winograd F(2x2) or F(4x4)), the register block, the reduction
// step, the parallel task and whether the filter is repacked, from the
// layer's shapes and the target (vector width, vector registers, register
// budget, filter cache budget). A `--kernel-config` file overrides any
// field of any layer by name. The decision is the op's `cnn.kernel`
// attribute; the lowering builds what it says and chooses nothing.
//
//===----------------------------------------------------------------------===//

#include "Transforms/ConstantData.h"
#include "Transforms/KernelSelection.h"
#include "Transforms/PassStatistics.h"
#include "Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNSELECTKERNELS
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;
using namespace mlir::cnn;

int64_t mlir::cnn::largestDivisor(int64_t n, int64_t limit,
                                  llvm::function_ref<bool(int64_t)> pred) {
  for (int64_t d = std::min(n, limit); d >= 1; --d)
    if (n % d == 0 && pred(d))
      return d;
  return 0;
}

StringRef mlir::cnn::getKernelAlgorithmName(KernelAlgorithm algorithm) {
  switch (algorithm) {
  case KernelAlgorithm::Direct:
    return "direct";
  case KernelAlgorithm::PairedColumns:
    return "paired cols";
  case KernelAlgorithm::WinogradF2:
    return "winograd F2";
  case KernelAlgorithm::WinogradF4:
    return "winograd F4";
  }
  llvm_unreachable("unknown kernel algorithm");
}

std::string mlir::cnn::getKernelName(KernelAttr kernel) {
  if (kernel.getInConsumer())
    return "in consumer";
  if (kernel.getInProducer())
    return "in producer";
  return getKernelAlgorithmName(kernel.getAlgorithm()).str();
}

std::optional<KernelAlgorithm>
mlir::cnn::parseKernelAlgorithmName(StringRef name) {
  for (uint32_t value = 0; value <= getMaxEnumValForKernelAlgorithm(); ++value)
    if (std::optional<KernelAlgorithm> algorithm =
            symbolizeKernelAlgorithm(value))
      if (getKernelAlgorithmName(*algorithm) == name)
        return algorithm;
  return std::nullopt;
}

namespace {
/// What the cost model knows of the target.
struct TargetModel {
  int64_t vectorWidth, registerBudget, vectorRegisters, filterCacheBytes,
      l1CacheBytes;
  StringRef winograd; // auto, on, f2, off
};

/// The fields of a decision while it is being made.
struct Decision {
  KernelAlgorithm algorithm = KernelAlgorithm::Direct;
  int64_t pixels = 1, tail = 0, channels = 1, reduction = 1, taskRows = 1,
          taskChannels = 1, paddedChannels = 0, groups = 1;
  bool packFilter = false, inConsumer = false, inProducer = false;

  KernelAttr toAttr(MLIRContext *ctx, int64_t vectorWidth) const {
    return KernelAttr::get(ctx, algorithm, vectorWidth, pixels, tail, channels,
                           reduction, taskRows, taskChannels,
                           BoolAttr::get(ctx, packFilter), paddedChannels,
                           groups, inConsumer, inProducer);
  }
};
} // namespace

/// Whether a block of `channels` is 1, 2 or 4 whole vectors of
/// `vectorWidth` lanes. LLVM splits a vector of 3 or 5 registers' lanes
/// (vector<48xf32> with AVX-512) into element inserts and shuffles: a 1x1
/// convolution with 48-channel blocks ran 5x slower than with 16 (Zen 5).
static bool isWholeVectors(int64_t channels, int64_t vectorWidth) {
  return channels % vectorWidth == 0 &&
         llvm::isPowerOf2_64(channels / vectorWidth);
}

/// The channel block of `channels` that no whole-vector block divides (a
/// group of 24, a ragged 58): a power of two of at least half a vector if
/// one divides (24 -> 8), else the largest divisor of at most 4 vectors.
static int64_t getRaggedChannelBlock(int64_t channels, int64_t vectorWidth) {
  int64_t block = largestDivisor(channels, 4 * vectorWidth, [](int64_t n) {
    return llvm::isPowerOf2_64(n);
  });
  if (2 * block >= vectorWidth)
    return block;
  return largestDivisor(channels, 4 * vectorWidth);
}

/// The most pixels (rows of a GEMM) of a register block with `vectors`
/// filter vectors: at most `budget` accumulators, and accumulators, the
/// block's filter vectors and one broadcast within the `registers` vector
/// registers (AVX2's 16 allow 6 x 2 or 4 x 3, not 4 x 4: that would spill).
static int64_t maxBlockPixels(int64_t vectors, int64_t budget,
                              int64_t registers) {
  return std::max<int64_t>(
      1, std::min(budget / vectors, (registers - vectors - 1) / vectors));
}

/// Parallel tasks a layer should have at least, so that a few threads share
/// them evenly.
static constexpr int64_t kMinTasks = 16;

/// The core every x86-64 target of cnnc shares (Zen 2 to 5, Skylake to
/// Sapphire Rapids): two FMA pipes of 4 cycles' latency, two vector loads
/// per cycle, and 32 bytes per cycle from L2 into L1.
static constexpr double kFmasPerCycle = 2, kLoadsPerCycle = 2,
                        kL2BytesPerCycle = 32;
/// Accumulators that keep both FMA pipes busy: their 4-cycle latency times
/// two pipes is 8, with half as many again as slack for the loads and the
/// loop between them (8 accumulators ran AVX2 1x1 layers 25% slower than
/// 12: ResNet-50's 56-wide rows, Zen 5).
static constexpr double kLatencyAccumulators = 12;

/// Cycles of one reduction step (one input channel of one window tap) of a
/// register block of `pixels` x `vectors` accumulators: its FMAs, at
/// least as long as their latency, its loads (a broadcast per pixel, a
/// filter vector per vector) and, when the block's filter slice does not
/// stay in L1 (`filterFromL2`), the filter vectors it brings from L2:
/// every block of a row streams the whole slice again.
static double blockCycles(int64_t pixels, int64_t vectors, int64_t vectorWidth,
                          bool filterFromL2) {
  double accumulators = double(pixels * vectors);
  double cycles =
      std::max({accumulators, kLatencyAccumulators}) / kFmasPerCycle;
  cycles = std::max(cycles, double(pixels + vectors) / kLoadsPerCycle);
  if (filterFromL2)
    cycles = std::max(cycles, double(vectors * vectorWidth * sizeof(float)) /
                                  kL2BytesPerCycle);
  return cycles;
}

/// Register and cache blocks for an NHWC convolution with output
/// `n x oh x ow x oc`, input channels `ic` and a `kh x kw` window. All
/// blocks divide their dimension, so every tile has a static shape.
///
/// Register block: `pixels x channels` accumulators, `channels` 1, 2 or 4
/// whole vectors, within the register budget: the fewest cycles per output
/// vector over a row (blockCycles). `pixels` divides the width, unless
/// (with `allowTail`) the row's last block is a smaller one of `tail`
/// pixels.
/// Cache block: a task's filter slice (kh*kw*ic*channels floats) stays
/// within the filter cache budget; when the whole filter fits, tasks are
/// output rows (every task reads the whole filter from cache), otherwise
/// tasks are output-channel blocks over all rows, or over fewer rows when
/// there are too few blocks to share among threads (the tiling runs the
/// tasks channel block by channel block).
static Decision chooseConvBlocks(ArrayRef<int64_t> outputShape, int64_t ic,
                                 int64_t kh, int64_t kw,
                                 const TargetModel &target,
                                 bool allowTail = true) {
  int64_t oh = outputShape[1], ow = outputShape[2], oc = outputShape[3];
  int64_t vectorWidth = target.vectorWidth;
  Decision d;
  d.channels = d.taskChannels = oc;

  SmallVector<int64_t> channelCandidates;
  for (int64_t c = 4 * vectorWidth; c >= vectorWidth; c -= vectorWidth)
    if (oc % c == 0 && isWholeVectors(c, vectorWidth))
      channelCandidates.push_back(c);
  if (channelCandidates.empty())
    channelCandidates.push_back(getRaggedChannelBlock(oc, vectorWidth));

  // Each channel block and split of a row into pixel blocks, costed in
  // cycles per output vector (blockCycles); ties go to a split without a
  // tail (one copy of the kernel), then to more accumulators per block.
  double bestCost = 0;
  int64_t bestAccumulators = 0;
  bool bestTail = false;
  auto consider = [&](int64_t pixels, int64_t tail, int64_t channels,
                      int64_t vectors, bool filterFromL2) {
    int64_t fullBlocks = (ow - tail) / pixels;
    double cycles =
        fullBlocks * blockCycles(pixels, vectors, vectorWidth, filterFromL2);
    if (tail)
      cycles += blockCycles(tail, vectors, vectorWidth, filterFromL2);
    double cost = cycles / double(ow * vectors);
    int64_t accumulators = pixels * vectors;
    constexpr double kEpsilon = 1e-9;
    bool better =
        bestCost == 0 || cost < bestCost - kEpsilon ||
        (cost < bestCost + kEpsilon &&
         (bool(tail) != bestTail ? !tail : accumulators > bestAccumulators));
    if (!better)
      return;
    bestCost = cost;
    bestAccumulators = accumulators;
    bestTail = tail != 0;
    d.pixels = pixels;
    d.tail = tail;
    d.channels = channels;
  };
  for (int64_t channels : channelCandidates) {
    int64_t vectors = llvm::divideCeil(channels, vectorWidth);
    int64_t limit = std::min(ow, maxBlockPixels(vectors, target.registerBudget,
                                                target.vectorRegisters));
    bool filterFromL2 =
        kh * kw * ic * channels * int64_t(sizeof(float)) > target.l1CacheBytes;
    // Blocks of a divisor of the width, or, when the block limit does not
    // divide it, the row split evenly into as few blocks as the limit
    // allows, the last one smaller (17 with at most 8: 6 + 6 + 5, not
    // 8 + 8 + 1; a 1-pixel block runs at a quarter of the FMA peak and
    // streams the filter slice from L2 for one pixel).
    consider(largestDivisor(ow, limit), 0, channels, vectors, filterFromL2);
    if (allowTail && ow % limit != 0) {
      int64_t blocks = llvm::divideCeil(ow, limit);
      int64_t pixels = llvm::divideCeil(ow, blocks);
      int64_t tail = ow - (blocks - 1) * pixels;
      if (tail > 0 && tail < pixels)
        consider(pixels, tail, channels, vectors, filterFromL2);
    }
  }
  d.reduction = largestDivisor(ic, 8);

  int64_t bytesPerChannel = kh * kw * ic * int64_t(sizeof(float));
  if (bytesPerChannel * oc <= target.filterCacheBytes) {
    d.taskRows = 1;
    d.taskChannels = oc;
    // Few rows (a deep layer, batch 1): split the channels too, so that
    // threads get even shares (7 rows on 2 threads would be 4 + 3).
    int64_t rows = outputShape[0] * oh;
    if (rows < kMinTasks) {
      int64_t splits = llvm::divideCeil(kMinTasks, rows);
      d.taskChannels = largestDivisor(
          oc, std::max(d.channels, oc / splits),
          [&](int64_t block) { return block % d.channels == 0; });
    }
  } else {
    d.taskRows = oh;
    d.taskChannels = largestDivisor(oc, oc, [&](int64_t block) {
      return block % d.channels == 0 &&
             (block == d.channels ||
              block * bytesPerChannel <= target.filterCacheBytes);
    });
    // Few channel blocks (3 on 17x17 Inception layers): split the rows as
    // well, so that threads get even shares. The tasks run channel blocks
    // outermost, so a thread still streams one filter slice at a time.
    int64_t slices = outputShape[0] * (oc / d.taskChannels);
    if (slices < kMinTasks)
      d.taskRows = largestDivisor(
          oh, std::max<int64_t>(1, oh / llvm::divideCeil(kMinTasks, slices)));
  }
  return d;
}

/// Output tiles of F(tile x tile, 3x3) for an NHWC output `shape`.
static int64_t countTiles(ArrayRef<int64_t> shape, int64_t tile) {
  return shape[0] * llvm::divideCeil(shape[1], tile) *
         llvm::divideCeil(shape[2], tile);
}

/// The Winograd variant for a layer with NHWC output `shape`, or Direct.
/// F(4x4) does 36 instead of 144 products per 4x4 tile and channel pair (4x
/// fewer), F(2x2) 16 instead of 36 (2.25x); both add two transforms that
/// stream the activations through memory, and a transformed filter of 36/9
/// or 16/9 times the direct filter's bytes that each of the GEMMs' tiles
/// reads. What decides is the reuse of that filter: F(4x4) needs at least
/// 32 of its tiles, F(2x2) 16. Measured on ResNet-18 (one thread): F(4x4)
/// wins at 56x56x64 (196 tiles) and 28x28x128 (49); F(2x2) at 7x7x512 (16
/// F(2x2) tiles: 1.2 ms against 1.6 ms direct). The channel counts only
/// need to be whole vectors (winogradApplies): on single layers F(4x4)
/// beats direct from 16 input channels up (55x55x16->64: 0.14 against
/// 0.27 ms, docs/PERFORMANCE.md). Between 16 and 32 F(4x4) tiles (13x13 to
/// 20x20) neither variant wins throughout (DenseNet's 14x14x128->32 layers
/// were 27% slower with F(4x4), 17x17x192 40% faster), so F(2x2) stays.
static KernelAlgorithm chooseWinograd(ArrayRef<int64_t> shape) {
  if (countTiles(shape, 4) >= 32)
    return KernelAlgorithm::WinogradF4;
  if (countTiles(shape, 2) >= 16)
    return KernelAlgorithm::WinogradF2;
  return KernelAlgorithm::Direct;
}

/// A constant f32 tensor (`dense` or `dense_resource`), without reading it.
static bool isF32Constant(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getElementType().isF32() &&
         matchPattern(value, m_Constant());
}

/// Whether the kernel can transform or repack `conv`'s filter at compile
/// time: a constant, and no input scale (which makes each image's filter a
/// run-time product of the constant and the scale).
static bool hasCompileTimeFilter(Conv2DOp conv) {
  return isF32Constant(conv.getFilter()) && !conv.getInputScale();
}

/// Whether Winograd can compute `conv`: a 3x3, stride-1, dilation-1,
/// ungrouped convolution with a compile-time filter and channel counts in whole
/// vectors.
static bool winogradApplies(Conv2DOp conv, int64_t vectorWidth) {
  ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
  return filter[2] == 3 && filter[3] == 3 && conv.getGroups() == 1 &&
         llvm::all_of(conv.getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(conv.getDilations(), [](int64_t d) { return d == 1; }) &&
         filter[0] % vectorWidth == 0 && filter[1] % vectorWidth == 0 &&
         hasCompileTimeFilter(conv);
}

/// Whether the stem form applies: width stride 2 with few input channels
/// becomes a stride-1 convolution over pairs of columns (2C channels).
static bool pairedColumnsApplies(Conv2DOp conv) {
  return conv.getStrides()[1] == 2 && conv.getDilations()[1] == 1 &&
         conv.getFilter().getType().getDimSize(1) <= 4 &&
         conv.getGroups() == 1 && hasCompileTimeFilter(conv);
}

/// The shapes the channels-last lowering gives `conv` under `algorithm`:
/// NHWC output, and the HWCF filter's (kh, kw, ic).
static void loweredConvShape(Conv2DOp conv, KernelAlgorithm algorithm,
                             SmallVector<int64_t> &output, int64_t &kh,
                             int64_t &kw, int64_t &ic) {
  ArrayRef<int64_t> out = conv.getType().getShape();
  ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
  output = {out[0], out[2], out[3], out[1]};
  kh = filter[2];
  kw = filter[3];
  ic = filter[1];
  if (algorithm == KernelAlgorithm::PairedColumns) {
    kw = (kw + 1) / 2;
    ic *= 2;
  }
}

/// The register blocks of Winograd's GEMMs: per transform element a
/// [tiles x C] by [C x F] product, blocked like a 1x1 convolution over
/// `tiles` pixels (without tails), tasks per block of output channels.
static Decision chooseWinogradGemmBlocks(int64_t tiles, int64_t c, int64_t f,
                                         const TargetModel &target) {
  Decision d = chooseConvBlocks({1, 1, tiles, f}, c, 1, 1, target,
                                /*allowTail=*/false);
  d.taskRows = 1;
  d.taskChannels = largestDivisor(f, f, [&](int64_t block) {
    return block % d.channels == 0 &&
           (block == d.channels ||
            block * c * int64_t(sizeof(float)) <= target.filterCacheBytes);
  });
  d.packFilter = false;
  return d;
}

/// The decision for `conv`; with `forced`, the blocks for that algorithm
/// (a kernel config's choice), which may not apply (see checkFeasible).
/// A depthwise convolution (one filter per channel) with a constant filter:
/// the one grouped form with a vector kernel.
static bool isDepthwise(Conv2DOp conv) {
  return conv.isDepthwise() && isF32Constant(conv.getFilter());
}

/// A depthwise convolution's kernel: tasks of one output row, register
/// blocks of `pixels` x `channels` (a few vectors of channels, each
/// accumulating its own channel: no reduction across channels, so a block
/// needs accumulators and one input and one filter vector per channel
/// vector).
static Decision decideDepthwise(Conv2DOp conv, const TargetModel &target) {
  ArrayRef<int64_t> out = conv.getType().getShape();
  int64_t c = out[1], ow = out[3];
  int64_t vectorWidth = target.vectorWidth;
  Decision d;
  d.channels = largestDivisor(c, 4 * vectorWidth, [&](int64_t n) {
    return isWholeVectors(n, vectorWidth);
  });
  if (!d.channels)
    d.channels = getRaggedChannelBlock(c, vectorWidth);
  int64_t vectors = llvm::divideCeil(d.channels, vectorWidth);
  d.pixels = largestDivisor(
      ow, std::max<int64_t>(1, std::min(target.registerBudget,
                                        target.vectorRegisters - 2 * vectors) /
                                   vectors));
  d.taskChannels = c;
  return d;
}

/// Most bytes of a task's scratch buffer on its thread's stack: the rows a
/// depthwise kernel computed in its consumer's tasks (`in_consumer`)
/// writes. A bound on stack use, not a tuning constant: the runtime's
/// workers have 8 MiB stacks, the calling thread is the program's.
static constexpr int64_t kTaskScratchBytes = 64 * 1024;

/// Why the depthwise convolution `conv` cannot be computed in its
/// consumer's tasks (`in_consumer`), or "" if it can: its one user must be
/// an ungrouped 1x1 convolution with stride 1, no padding and no
/// input_scale, whose direct kernel `consumer` has tasks of whole rows of
/// all its output channels, and one task's depthwise rows (all channels)
/// must fit the scratch bound.
static std::string checkInConsumer(Conv2DOp conv) {
  if (!conv->hasOneUse())
    return "its output has other users than one 1x1 convolution";
  auto user = dyn_cast<Conv2DOp>(*conv->getUsers().begin());
  if (!user || user.getInput() != conv.getResult())
    return "its user is no convolution reading it as input";
  ArrayRef<int64_t> filter = user.getFilter().getType().getShape();
  if (filter[2] != 1 || filter[3] != 1 || user.getGroups() != 1 ||
      user.getInputScale() ||
      !llvm::all_of(user.getStrides(), [](int64_t s) { return s == 1; }) ||
      !llvm::all_of(user.getPadding(), [](int64_t p) { return p == 0; }))
    return "its user is no ungrouped 1x1 convolution with stride 1, no "
           "padding and no input_scale";
  KernelAttr consumer = getKernel(user);
  int64_t f = user.getType().getDimSize(1);
  if (!consumer || consumer.getAlgorithm() != KernelAlgorithm::Direct ||
      consumer.getTaskChannels() !=
          (consumer.getPaddedChannels() ? consumer.getPaddedChannels() : f))
    return "its user's kernel has no tasks of all its output channels";
  ArrayRef<int64_t> out = conv.getType().getShape();
  int64_t scratch =
      consumer.getTaskRows() * out[3] * out[1] * int64_t(sizeof(float));
  if (scratch > kTaskScratchBytes)
    return "one task's depthwise rows (" + std::to_string(scratch) +
           " bytes) exceed the " + std::to_string(kTaskScratchBytes) +
           "-byte task scratch";
  return "";
}

/// Why the sums of the global average pooling `pool` cannot be computed in
/// its producer's tasks (`in_producer`), or "" if they can: its input must
/// be a depthwise convolution's output, with a kernel of its own (whose
/// tasks and register blocks cover whole rows: each block adds its pixels
/// into its row's sum).
static std::string checkInProducer(GlobalAvgPoolOp pool) {
  auto producer = pool.getInput().getDefiningOp<Conv2DOp>();
  if (!producer || !isDepthwise(producer))
    return "its input is no depthwise convolution's output";
  KernelAttr kernel = getKernel(producer);
  if (!kernel || kernel.getInConsumer())
    return "its producer has no kernel of its own";
  return "";
}

/// A grouped convolution with several channels per group (ResNeXt, RegNet)
/// and a constant filter: the groups' small convolutions side by side.
static bool isGroupedKernel(Conv2DOp conv) {
  return conv.getGroups() != 1 && !conv.isDepthwise() &&
         isF32Constant(conv.getFilter());
}

/// Whether a grouped convolution with `groupOutputs` outputs and
/// `groupInputs` inputs per group (`f` outputs in all) computes register
/// blocks of one vector spanning several whole groups: groups of fewer
/// outputs than a vector's lanes, whose inputs (a block's share of a
/// pixel's input channels) fit in two vectors and are few enough to
/// unroll.
static bool spansGroups(int64_t groupOutputs, int64_t groupInputs, int64_t f,
                        int64_t vectorWidth) {
  return groupOutputs < vectorWidth && vectorWidth % groupOutputs == 0 &&
         f % vectorWidth == 0 &&
         vectorWidth / groupOutputs * groupInputs <= 2 * vectorWidth &&
         groupInputs <= 16;
}

/// A grouped convolution's kernel: each register block is one group's
/// convolution over `pixels` x `channels` (channels of that group's
/// `f / groups` outputs, over its `c / groups` inputs), blocked as an
/// ungrouped convolution of the group's size; tasks are output rows by
/// whole groups (or a part of one group), split across groups when there
/// are few rows, so that threads get even shares. Groups of fewer outputs
/// than a vector (ResNeXt's 4 and 8, RegNet's 8 with AVX-512) have blocks
/// of one vector spanning whole groups instead (spansGroups), so that
/// every FMA fills a register.
static Decision decideGrouped(Conv2DOp conv, const TargetModel &target) {
  ArrayRef<int64_t> out = conv.getType().getShape();
  ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
  int64_t groups = conv.getGroups(), f = out[1];
  int64_t groupOutputs = f / groups, groupInputs = filter[1];
  int64_t vectorWidth = target.vectorWidth;
  Decision d;
  if (spansGroups(groupOutputs, groupInputs, f, vectorWidth)) {
    // One vector of whole groups per block: each pixel's accumulator, the
    // group inputs' filter vectors, its input vector and one shuffled
    // copy live in registers.
    TargetModel spanning = target;
    spanning.vectorRegisters = target.vectorRegisters - groupInputs;
    d = chooseConvBlocks({out[0], out[2], out[3], vectorWidth}, groupInputs,
                         filter[2], filter[3], spanning);
    d.reduction = groupInputs;
  } else {
    d = chooseConvBlocks({out[0], out[2], out[3], groupOutputs}, groupInputs,
                         filter[2], filter[3], target);
  }
  d.groups = groups;
  d.taskRows = 1;
  d.taskChannels = f;
  d.packFilter = false;
  int64_t rows = out[0] * out[2];
  if (rows < kMinTasks) {
    int64_t splits = llvm::divideCeil(kMinTasks, rows);
    int64_t unit = std::max(groupOutputs, d.channels);
    d.taskChannels =
        largestDivisor(f, std::max(unit, f / splits),
                       [&](int64_t block) { return block % unit == 0; });
  }
  return d;
}

static std::optional<Decision>
decideConv(Conv2DOp conv, const TargetModel &target,
           std::optional<KernelAlgorithm> forced = std::nullopt) {
  if (isDepthwise(conv) && (!forced || *forced == KernelAlgorithm::Direct))
    return decideDepthwise(conv, target);
  if (isGroupedKernel(conv) && (!forced || *forced == KernelAlgorithm::Direct))
    return decideGrouped(conv, target);
  // Grouped convolutions with a computed filter lower to NCHW loops that no
  // kernel tiles.
  if (conv.getGroups() != 1)
    return std::nullopt;
  ArrayRef<int64_t> out = conv.getType().getShape();
  SmallVector<int64_t> nhwc = {out[0], out[2], out[3], out[1]};
  int64_t c = conv.getFilter().getType().getDimSize(1), f = out[1];
  KernelAlgorithm algorithm = KernelAlgorithm::Direct;
  if (forced)
    algorithm = *forced;
  else if (target.winograd != "off" &&
           winogradApplies(conv, target.vectorWidth))
    algorithm = target.winograd == "on"   ? KernelAlgorithm::WinogradF4
                : target.winograd == "f2" ? KernelAlgorithm::WinogradF2
                                          : chooseWinograd(nhwc);
  if (algorithm == KernelAlgorithm::WinogradF4 ||
      algorithm == KernelAlgorithm::WinogradF2) {
    Decision d = chooseWinogradGemmBlocks(
        countTiles(nhwc, algorithm == KernelAlgorithm::WinogradF4 ? 4 : 2), c,
        f, target);
    d.algorithm = algorithm;
    return d;
  }
  if (!forced && pairedColumnsApplies(conv))
    algorithm = KernelAlgorithm::PairedColumns;
  SmallVector<int64_t> output;
  int64_t kh, kw, ic;
  loweredConvShape(conv, algorithm, output, kh, kw, ic);
  // Output channels that are not whole vectors (ShuffleNet's 58 and its
  // 24-channel stem, RegNet's 104, a 1000-class 1x1 head) would make every
  // block a ragged vector; the kernel computes zero-filter channels up to
  // whole vectors instead.
  int64_t padded = 0;
  if ((algorithm == KernelAlgorithm::Direct ||
       algorithm == KernelAlgorithm::PairedColumns) &&
      f % target.vectorWidth != 0 && isF32Constant(conv.getFilter()))
    padded = output[3] = llvm::alignTo(f, target.vectorWidth);
  Decision d = chooseConvBlocks(output, ic, kh, kw, target);
  d.algorithm = algorithm;
  d.paddedChannels = padded;
  d.packFilter = d.channels < output[3] && hasCompileTimeFilter(conv);
  return d;
}

/// A linear layer with constant weights [m, k]: the weights packed into
/// blocks of `channels` output features (one task each), register blocks
/// of rows by the block's features.
static std::optional<Decision> decideLinear(LinearOp linear,
                                            const TargetModel &target) {
  if (!isF32Constant(linear.getWeight()))
    return std::nullopt;
  int64_t n = linear.getType().getDimSize(0);
  int64_t m = linear.getWeight().getType().getDimSize(0);
  int64_t k = linear.getWeight().getType().getDimSize(1);
  int64_t block = 0;
  for (int64_t b : {64, 48, 32, 16, 8})
    if (m % b == 0) {
      block = b;
      break;
    }
  if (!block && m <= 64)
    block = m;
  if (!block)
    return std::nullopt;
  Decision d;
  d.channels = d.taskChannels = block;
  int64_t vectors = llvm::divideCeil(block, target.vectorWidth);
  d.pixels = largestDivisor(n, maxBlockPixels(vectors, target.registerBudget,
                                              target.vectorRegisters));
  d.reduction = largestDivisor(k, 8);
  d.packFilter = true;
  return d;
}

/// Max and average pooling in NHWC: tasks of one output row, register
/// blocks of up to 8 pixels by up to 4 vectors of channels. A global
/// average pooling (one output row) has tasks of one block of channels
/// instead, so that threads share it.
template <typename PoolOp>
static std::optional<Decision> decidePool(PoolOp pool,
                                          const TargetModel &target) {
  ArrayRef<int64_t> out = pool.getType().getShape();
  int64_t c = out[1], ow = out[3];
  int64_t vectorWidth = target.vectorWidth;
  Decision d;
  d.channels = largestDivisor(c, 4 * vectorWidth, [&](int64_t d) {
    return isWholeVectors(d, vectorWidth);
  });
  if (!d.channels)
    d.channels = getRaggedChannelBlock(c, vectorWidth);
  d.pixels = largestDivisor(ow, 8);
  d.taskChannels = isa<GlobalAvgPoolOp>(pool.getOperation()) ? d.channels : c;
  return d;
}

/// Why `d` cannot compute `op` as the lowering builds it, or "" if it can.
static std::string checkFeasible(Operation *op, const Decision &d,
                                 const TargetModel &target) {
  auto divides = [](int64_t part, int64_t whole) {
    return part >= 1 && whole % part == 0;
  };
  std::string error;
  llvm::raw_string_ostream os(error);
  auto depthwise = dyn_cast<Conv2DOp>(op);
  if (d.inConsumer && !(depthwise && isDepthwise(depthwise)))
    return "in_consumer applies to depthwise convolutions only";
  if (d.inProducer && !isa<GlobalAvgPoolOp>(op))
    return "in_producer applies to global average poolings only";
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (isDepthwise(conv)) {
      ArrayRef<int64_t> out = conv.getType().getShape();
      if (d.algorithm != KernelAlgorithm::Direct)
        return "a depthwise convolution is computed directly";
      if (!divides(d.pixels, out[3]) || d.tail)
        os << "pixels (" << d.pixels << ") must divide the output width ("
           << out[3] << "), with no tail";
      else if (!divides(d.channels, out[1]) ||
               !divides(d.taskChannels, out[1]) || d.taskChannels % d.channels)
        os << "channels (" << d.channels << ") must divide task_channels ("
           << d.taskChannels << ") and both the " << out[1] << " channels";
      else if (!divides(d.taskRows, out[2]))
        os << "task_rows (" << d.taskRows << ") must divide the " << out[2]
           << " output rows";
      else if (d.packFilter)
        os << "a depthwise filter is not repacked";
      return error;
    }
    if (conv.getGroups() != 1) {
      if (!isGroupedKernel(conv))
        return "a grouped convolution takes a kernel only with a constant "
               "filter";
      if (d.algorithm != KernelAlgorithm::Direct)
        return "a grouped convolution is computed directly";
      ArrayRef<int64_t> out = conv.getType().getShape();
      int64_t f = out[1], groupOutputs = f / conv.getGroups();
      int64_t groupInputs = conv.getFilter().getType().getDimSize(1);
      if (d.tail ? d.pixels > out[3] || out[3] % d.pixels != d.tail
                 : !divides(d.pixels, out[3]))
        os << "pixels (" << d.pixels << ") must divide the output width ("
           << out[3] << "), or tail must be the remainder ("
           << out[3] % std::max<int64_t>(1, d.pixels) << ")";
      else if (d.channels > groupOutputs &&
               (d.channels != target.vectorWidth ||
                !spansGroups(groupOutputs, groupInputs, f,
                             target.vectorWidth) ||
                !divides(d.channels, d.taskChannels) ||
                d.reduction != groupInputs))
        os << "channels (" << d.channels << ") spanning groups of "
           << groupOutputs << " outputs must be one vector of "
           << target.vectorWidth << " lanes that divides task_channels ("
           << d.taskChannels << "), with reduction the " << groupInputs
           << " group inputs, and only for groups of at most 16 inputs and "
              "fewer outputs than a vector";
      else if (d.channels <= groupOutputs && !divides(d.channels, groupOutputs))
        os << "channels (" << d.channels << ") must divide the " << groupOutputs
           << " output channels of a group";
      else if (!divides(d.taskChannels, f) ||
               (d.taskChannels % groupOutputs != 0 &&
                (groupOutputs % d.taskChannels != 0 ||
                 d.taskChannels % d.channels != 0)))
        os << "task_channels (" << d.taskChannels
           << ") must be whole groups of " << groupOutputs
           << " output channels, or a part of one that channels (" << d.channels
           << ") divides";
      else if (!divides(d.reduction, groupInputs))
        os << "reduction (" << d.reduction << ") must divide the "
           << groupInputs << " input channels of a group";
      else if (!divides(d.taskRows, out[2]))
        os << "task_rows (" << d.taskRows << ") must divide the " << out[2]
           << " output rows";
      else if (d.packFilter)
        os << "a grouped filter is not repacked";
      else if (d.paddedChannels)
        os << "a grouped convolution's channels are not padded";
      return error;
    }
    ArrayRef<int64_t> out = conv.getType().getShape();
    SmallVector<int64_t> nhwc = {out[0], out[2], out[3], out[1]};
    int64_t c = conv.getFilter().getType().getDimSize(1), f = out[1];
    if (d.algorithm == KernelAlgorithm::WinogradF2 ||
        d.algorithm == KernelAlgorithm::WinogradF4) {
      if (!winogradApplies(conv, target.vectorWidth))
        return "winograd needs a 3x3, stride-1, ungrouped convolution with a "
               "constant filter, no input_scale and channels in whole vectors "
               "of " +
               std::to_string(target.vectorWidth);
      int64_t tiles =
          countTiles(nhwc, d.algorithm == KernelAlgorithm::WinogradF4 ? 4 : 2);
      if (!divides(d.pixels, tiles))
        os << "pixels (" << d.pixels << ") must divide the " << tiles
           << " Winograd tiles";
      else if (d.tail)
        os << "Winograd GEMMs take no tail";
      else if (!divides(d.channels, f) || !divides(d.taskChannels, f) ||
               d.taskChannels % d.channels)
        os << "channels (" << d.channels << ") must divide task_channels ("
           << d.taskChannels << ") and both the " << f << " output channels";
      else if (!divides(d.reduction, c))
        os << "reduction (" << d.reduction << ") must divide the " << c
           << " input channels";
      else if (d.packFilter)
        os << "Winograd's transformed filter is not repacked";
      return error;
    }
    if (d.algorithm == KernelAlgorithm::PairedColumns &&
        !pairedColumnsApplies(conv))
      return "paired_columns needs a width stride of 2, width dilation 1 "
             "and at most 4 input channels with a constant filter and no "
             "input_scale";
    SmallVector<int64_t> output;
    int64_t kh, kw, ic;
    loweredConvShape(conv, d.algorithm, output, kh, kw, ic);
    int64_t oh = output[1], ow = output[2], oc = output[3];
    if (d.paddedChannels) {
      if ((d.algorithm != KernelAlgorithm::Direct &&
           d.algorithm != KernelAlgorithm::PairedColumns) ||
          d.paddedChannels <= oc || !isF32Constant(conv.getFilter()))
        return "padded_channels needs the direct or paired_columns "
               "algorithm, a constant "
               "filter and more than the " +
               std::to_string(oc) + " output channels";
      oc = d.paddedChannels;
    }
    if (d.tail ? d.pixels > ow || ow % d.pixels != d.tail
               : !divides(d.pixels, ow))
      os << "pixels (" << d.pixels << ") must divide the output width (" << ow
         << "), or tail must be the remainder ("
         << ow % std::max<int64_t>(1, d.pixels) << ")";
    else if (!divides(d.channels, oc) || !divides(d.taskChannels, oc) ||
             d.taskChannels % d.channels)
      os << "channels (" << d.channels << ") must divide task_channels ("
         << d.taskChannels << ") and both the " << oc << " output channels";
    else if (!divides(d.reduction, ic))
      os << "reduction (" << d.reduction << ") must divide the " << ic
         << " input channels";
    else if (!divides(d.taskRows, oh))
      os << "task_rows (" << d.taskRows << ") must divide the " << oh
         << " output rows";
    else if (d.packFilter && !hasCompileTimeFilter(conv))
      os << "pack_filter needs a constant filter and no input_scale";
    return error;
  }
  if (d.algorithm != KernelAlgorithm::Direct)
    return "only convolutions have other algorithms than direct";
  if (auto linear = dyn_cast<LinearOp>(op)) {
    int64_t n = linear.getType().getDimSize(0);
    int64_t m = linear.getWeight().getType().getDimSize(0);
    int64_t k = linear.getWeight().getType().getDimSize(1);
    if (!isF32Constant(linear.getWeight()))
      return "a linear layer takes a kernel only with constant weights";
    if (d.channels != d.taskChannels || !divides(d.channels, m))
      os << "channels and task_channels (the packed block) must be equal "
            "and divide the "
         << m << " output features";
    else if (!divides(d.pixels, n) || d.tail)
      os << "pixels (" << d.pixels << ") must divide the " << n
         << " rows, with no tail";
    else if (!divides(d.reduction, k))
      os << "reduction (" << d.reduction << ") must divide the " << k
         << " input features";
    else if (!d.packFilter)
      os << "a linear layer's weights are always packed";
    return error;
  }
  ArrayRef<int64_t> out =
      cast<ShapedType>(op->getResult(0).getType()).getShape();
  if (!divides(d.pixels, out[3]) || d.tail)
    os << "pixels (" << d.pixels << ") must divide the output width (" << out[3]
       << "), with no tail";
  else if (!divides(d.channels, out[1]) || !divides(d.taskChannels, out[1]) ||
           d.taskChannels % d.channels)
    os << "channels (" << d.channels << ") must divide task_channels ("
       << d.taskChannels << ") and both the " << out[1] << " channels";
  return error;
}

/// Applies the fields of `fields` (a kernel config entry) to `d`.
static LogicalResult applyOverride(const llvm::json::Object &fields,
                                   Decision &d, std::string &error) {
  for (const auto &[key, value] : fields) {
    StringRef name = key;
    if (name == "algorithm") {
      std::optional<StringRef> text = value.getAsString();
      std::optional<KernelAlgorithm> algorithm =
          text ? symbolizeKernelAlgorithm(*text) : std::nullopt;
      if (!algorithm) {
        error = "'algorithm' must be one of direct, paired_columns, "
                "winograd_f2, winograd_f4";
        return failure();
      }
      d.algorithm = *algorithm;
      continue;
    }
    bool *flagField = llvm::StringSwitch<bool *>(name)
                          .Case("pack_filter", &d.packFilter)
                          .Case("in_consumer", &d.inConsumer)
                          .Case("in_producer", &d.inProducer)
                          .Default(nullptr);
    if (flagField) {
      std::optional<bool> flag = value.getAsBoolean();
      if (!flag) {
        error = ("'" + name + "' must be true or false").str();
        return failure();
      }
      *flagField = *flag;
      continue;
    }
    int64_t *field = llvm::StringSwitch<int64_t *>(name)
                         .Case("pixels", &d.pixels)
                         .Case("tail", &d.tail)
                         .Case("channels", &d.channels)
                         .Case("reduction", &d.reduction)
                         .Case("task_rows", &d.taskRows)
                         .Case("task_channels", &d.taskChannels)
                         .Case("padded_channels", &d.paddedChannels)
                         .Default(nullptr);
    if (!field) {
      error = ("unknown field '" + name +
               "' (expected algorithm, pixels, tail, channels, reduction, "
               "task_rows, task_channels, pack_filter, padded_channels, "
               "in_consumer, in_producer)")
                  .str();
      return failure();
    }
    std::optional<int64_t> number = value.getAsInteger();
    if (!number || *number < 0 || *number > (int64_t(1) << 30)) {
      error = ("'" + name + "' must be a non-negative integer").str();
      return failure();
    }
    *field = *number;
  }
  return success();
}

namespace {
struct CnnSelectKernelsPass final
    : cnn::impl::CnnSelectKernelsBase<CnnSelectKernelsPass> {
  using CnnSelectKernelsBase::CnnSelectKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (winograd != "auto" && winograd != "on" && winograd != "f2" &&
        winograd != "off") {
      module.emitError("cnn-select-kernels: winograd must be auto, on, f2 or "
                       "off, not '")
          << winograd << "'";
      return signalPassFailure();
    }
    if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16) {
      module.emitError("cnn-select-kernels: vector-width must be 4, 8 or 16");
      return signalPassFailure();
    }
    TargetModel target{vectorWidth,       registerBudget,
                       vectorRegisters,   filterCacheKiB * 1024,
                       l1CacheKiB * 1024, winograd};

    // The overrides, by layer name.
    std::optional<llvm::json::Object> config;
    if (!kernelConfig.empty()) {
      auto fail = [&](const Twine &message) {
        module.emitError("kernel config '") << kernelConfig << "': " << message;
        signalPassFailure();
      };
      llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
          llvm::MemoryBuffer::getFile(kernelConfig);
      if (!buffer)
        return fail("cannot read it: " + buffer.getError().message());
      llvm::Expected<llvm::json::Value> json =
          llvm::json::parse((*buffer)->getBuffer());
      if (!json)
        return fail("not JSON: " + llvm::toString(json.takeError()));
      const llvm::json::Object *root = json->getAsObject();
      const llvm::json::Object *layers =
          root ? root->getObject("layers") : nullptr;
      if (!layers)
        return fail("expected an object {\"layers\": {\"<layer name>\": "
                    "{...}}}");
      config = *layers;
    }

    func::FuncOp model = getModelFunction(module);
    if (!model)
      return;
    MLIRContext *ctx = &getContext();
    llvm::StringSet<> seen;
    uint64_t direct = 0, paired = 0, f2 = 0, f4 = 0, overridden = 0,
             inConsumer = 0, inProducer = 0;
    // Layers whose decision depends on a neighbour's (depthwise layers on
    // their consumer's, global poolings on their producer's): decided again
    // once every layer is; `configured` says whether the config set the
    // flag that is decided then.
    struct LateDecision {
      Operation *op;
      Decision decision;
      std::string name;
      bool configured;
    };
    SmallVector<LateDecision> depthwiseLayers, globalPools;
    for (auto [index, op] : llvm::enumerate(getModelLayers(model))) {
      std::optional<Decision> decision =
          llvm::TypeSwitch<Operation *, std::optional<Decision>>(op)
              .Case([&](Conv2DOp conv) { return decideConv(conv, target); })
              .Case(
                  [&](LinearOp linear) { return decideLinear(linear, target); })
              .Case<MaxPool2DOp, AvgPool2DOp, GlobalAvgPoolOp>(
                  [&](auto pool) { return decidePool(pool, target); })
              .Default([](Operation *) { return std::nullopt; });
      std::string name = getLayerName(op, index);
      const llvm::json::Object *fields =
          config ? config->getObject(name) : nullptr;
      if (config && config->get(name) && !fields) {
        op->emitError("kernel config '")
            << kernelConfig << "': layer '" << name
            << "' must map to an object of kernel fields";
        return signalPassFailure();
      }
      if (fields) {
        seen.insert(name);
        // A configured algorithm gets the cost model's blocks for it; the
        // other configured fields then replace those.
        if (std::optional<StringRef> text = fields->getString("algorithm"))
          if (std::optional<KernelAlgorithm> algorithm =
                  symbolizeKernelAlgorithm(*text))
            if (auto conv = dyn_cast<Conv2DOp>(op))
              decision = decideConv(conv, target, algorithm);
        if (!decision) {
          op->emitError("kernel config '")
              << kernelConfig << "': layer '" << name
              << "' has no kernel to configure (convolutions do, except "
                 "grouped ones with a computed filter; linear layers with "
                 "constant weights and pooling do)";
          return signalPassFailure();
        }
        std::string error;
        if (failed(applyOverride(*fields, *decision, error)) ||
            !(error = checkFeasible(op, *decision, target)).empty()) {
          op->emitError("kernel config '")
              << kernelConfig << "': layer '" << name << "': " << error;
          return signalPassFailure();
        }
        ++overridden;
      }
      if (!decision) {
        op->removeAttr(KernelAttr::kAttrName);
        continue;
      }
      std::string infeasible = checkFeasible(op, *decision, target);
      if (!infeasible.empty()) {
        op->emitError("internal error: the cost model chose a kernel that "
                      "cannot run: ")
            << infeasible;
        return signalPassFailure();
      }
      op->setAttr(KernelAttr::kAttrName, decision->toAttr(ctx, vectorWidth));
      if (auto conv = dyn_cast<Conv2DOp>(op); conv && isDepthwise(conv))
        depthwiseLayers.push_back(
            {op, *decision, name, fields && fields->get("in_consumer")});
      if (isa<GlobalAvgPoolOp>(op))
        globalPools.push_back(
            {op, *decision, name, fields && fields->get("in_producer")});
      if (isa<Conv2DOp>(op))
        ++(decision->algorithm == KernelAlgorithm::WinogradF4      ? f4
           : decision->algorithm == KernelAlgorithm::WinogradF2    ? f2
           : decision->algorithm == KernelAlgorithm::PairedColumns ? paired
                                                                   : direct);
    }
    // Sets `flag` on each of `layers` where `check` finds no reason against
    // it (a configured flag is kept, and an error where it cannot hold).
    auto decideLate = [&](MutableArrayRef<LateDecision> layers,
                          bool Decision::*flag, StringRef field,
                          function_ref<std::string(Operation *)> check,
                          uint64_t &count) -> LogicalResult {
      for (LateDecision &layer : layers) {
        std::string reason = check(layer.op);
        bool &value = layer.decision.*flag;
        if (!layer.configured)
          value = reason.empty();
        else if (value && !reason.empty())
          return layer.op->emitError("kernel config '")
                 << kernelConfig << "': layer '" << layer.name << "': " << field
                 << ": " << reason;
        if (!value)
          continue;
        ++count;
        layer.op->setAttr(KernelAttr::kAttrName,
                          layer.decision.toAttr(ctx, vectorWidth));
      }
      return success();
    };
    // A depthwise layer whose consumer can compute it is computed there: one
    // task of the consumer computes the depthwise rows it reads into a
    // stack scratch buffer and reads them back from L1/L2, instead of the
    // whole depthwise output going to memory and back. MobileNetV2 (Zen 5,
    // alternated runs, docs/PERFORMANCE.md session 17): on two threads 3.90
    // -> 3.70 ms at batch 1 and 31.9 -> 28.9 ms at batch 8; on one thread
    // the same within the noise (the maps stay in cache). No model measured
    // slower beyond the noise (MobileNetV3-Large and ShuffleNetV2 too), so
    // every layer that can is computed there (checkInConsumer).
    if (failed(decideLate(
            depthwiseLayers, &Decision::inConsumer, "in_consumer",
            [](Operation *op) { return checkInConsumer(cast<Conv2DOp>(op)); },
            inConsumer)))
      return signalPassFailure();
    // A global average pooling of a depthwise layer's output (the squeeze
    // of squeeze-excitation: EfficientNet, MobileNetV3) has its sums
    // computed in that layer's register blocks, while the pixels are in
    // registers: the pooling read the whole map again after it was written
    // (EfficientNet-B0: 16 poolings, 0.127 -> 0.022 ms on one thread, Zen 5;
    // whole models 0-1% faster in interleaved runs, bench/ab.sh, and slower
    // nowhere beyond the noise: docs/PERFORMANCE.md session 18).
    if (failed(decideLate(
            globalPools, &Decision::inProducer, "in_producer",
            [](Operation *op) {
              return checkInProducer(cast<GlobalAvgPoolOp>(op));
            },
            inProducer)))
      return signalPassFailure();
    if (config)
      for (const auto &entry : *config)
        if (!seen.contains(StringRef(entry.first))) {
          module.emitError("kernel config '")
              << kernelConfig << "': no layer is named '"
              << StringRef(entry.first) << "'";
          return signalPassFailure();
        }
    numDirect += direct;
    numPaired += paired;
    numF2 += f2;
    numF4 += f4;
    numOverridden += overridden;
    numInConsumer += inConsumer;
    numInProducer += inProducer;
  }

  cnn::PassStatistic numDirect{this, "direct-convolutions",
                               "Convolutions computed directly"};
  cnn::PassStatistic numPaired{this, "paired-columns-convolutions",
                               "Stride-2 stems computed over pairs of columns"};
  cnn::PassStatistic numF2{this, "winograd-f2x2",
                           "Convolutions computed as Winograd F(2x2,3x3)"};
  cnn::PassStatistic numF4{this, "winograd-f4x4",
                           "Convolutions computed as Winograd F(4x4,3x3)"};
  cnn::PassStatistic numOverridden{this, "overridden-layers",
                                   "Layers whose kernel the config set"};
  cnn::PassStatistic numInConsumer{
      this, "depthwise-in-consumer",
      "Depthwise layers computed in their 1x1 consumer's tasks"};
  cnn::PassStatistic numInProducer{
      this, "pool-in-producer",
      "Global average poolings summed in their depthwise producer's blocks"};
};
} // namespace
