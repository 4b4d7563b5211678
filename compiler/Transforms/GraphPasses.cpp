//===- GraphPasses.cpp - Batch-norm folding and epilogue fusion -----------===//
//
// Graph rewrites on the cnn dialect:
//   batch_norm(conv(x, W, b))      -> conv(x, W', b')            (fold)
//   relu(conv(...))                -> conv(...) relu              (fuse)
//   add(conv(...), r)              -> conv(...) residual(r)       (fuse)
//   relu(linear(...))              -> linear(...) relu            (fuse)
//   act(conv(...))                 -> conv(...) activation <act>  (fuse:
//                                     clip, sigmoid, hard-swish, SiLU, GELU,
//                                     leaky ReLU, ELU, tanh, softplus, Mish)
//   mul(x, sigmoid(x))             -> silu(x)                     (recognize)
//   mul(x, tanh(softplus(x)))      -> mish(x)                     (recognize)
//   mul(x, hard_sigmoid(x))        -> hard_swish(x)               (recognize)
//   reshape/transpose/reshape      -> channel_shuffle(x)          (recognize)
//   x * (1 + erf(x / sqrt(2))) / 2 -> gelu(x)                     (recognize)
//   (x - mean) / sqrt(var + eps)   -> layer_norm(x, scale, bias)  (recognize)
//   transpose(act(transpose(x)))   -> act(x)                      (recognize:
//                                     inverse perms, act elementwise)
//   mul(conv(x, W, b), s)          -> conv(x, W * s, b * s)       (fold: s
//   add(conv(x, W, b), t)          -> conv(x, W, b + t)            constant
//                                                                  per channel)
//
//===----------------------------------------------------------------------===//

#include "Transforms/ConstantData.h"
#include "Transforms/PassStatistics.h"
#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNRECOGNIZECOMPOSITES
#define GEN_PASS_DEF_CNNFOLDBATCHNORM
#define GEN_PASS_DEF_CNNFUSECONVEPILOGUE
#define GEN_PASS_DEF_CNNFUSESQUEEZEEXCITATION
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;
using namespace mlir::cnn;

/// A convolution like `conv` (its input scale too) with another filter, bias
/// and residual, and no activation.
static Conv2DOp rebuildConv(PatternRewriter &rewriter, Location loc,
                            Conv2DOp conv, Value filter, Value bias,
                            Value residual) {
  return Conv2DOp::create(rewriter, loc, conv.getType(), conv.getInput(),
                          filter, bias, residual, conv.getInputScale(),
                          conv.getStridesAttr(), conv.getPaddingAttr(),
                          conv.getDilationsAttr(), conv.getGroupsAttr(),
                          UnitAttr(), ActivationAttr());
}

/// `conv` with its output channel c scaled by `factor[c]` and shifted by
/// `shift[c]` (filter row c times the factor; bias times the factor plus the
/// shift), computed at compile time; failure if its filter or bias is not
/// an f32 constant. Named `loc`; `conv` stays for the caller to erase.
static FailureOr<Conv2DOp> rescaleConv(PatternRewriter &rewriter, Location loc,
                                       Conv2DOp conv, ArrayRef<double> factor,
                                       ArrayRef<double> shift) {
  auto filter = getF32ConstantData(conv.getFilter());
  if (!filter)
    return failure();
  std::optional<SmallVector<float>> bias;
  if (conv.getBias() && !(bias = getF32ConstantData(conv.getBias())))
    return failure();
  int64_t channels = factor.size();
  int64_t perChannel = filter->size() / channels;
  SmallVector<float> newFilter(filter->size()), newBias(channels);
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t i = 0; i < perChannel; ++i)
      newFilter[c * perChannel + i] =
          static_cast<float>((*filter)[c * perChannel + i] * factor[c]);
    double oldBias = bias ? (*bias)[c] : 0.0;
    newBias[c] = static_cast<float>(oldBias * factor[c] + shift[c]);
  }
  auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
  Value filterValue = arith::ConstantOp::create(
      rewriter, conv.getLoc(),
      DenseElementsAttr::get(conv.getFilter().getType(),
                             ArrayRef<float>(newFilter)));
  Value biasValue = arith::ConstantOp::create(
      rewriter, conv.getLoc(),
      DenseElementsAttr::get(biasType, ArrayRef<float>(newBias)));
  return rebuildConv(rewriter, loc, conv, filterValue, biasValue, Value());
}

/// The convolution whose result reaches `value` through data movement that
/// keeps each element's channel: single-use `cnn.depth_to_space` ops and
/// single-use `cnn.slice` ops of whole channels (a transposed convolution's
/// phases interleaved and cropped). A per-channel elementwise op of `value`
/// (batch norm, activation) is then one of the convolution's output.
/// `chain` gets the data movement, from the convolution's user to `value`'s
/// producer; empty when the convolution produces `value`. Null if no
/// convolution is there.
static Conv2DOp
findConvThroughDataMovement(Value value, SmallVectorImpl<Operation *> &chain) {
  chain.clear();
  while (Operation *op = value.getDefiningOp()) {
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      std::reverse(chain.begin(), chain.end());
      return conv;
    }
    if (!op->hasOneUse())
      return {};
    if (auto slice = dyn_cast<SliceOp>(op)) {
      if (slice.getType().getRank() != 4 || slice.getStarts()[1] != 0 ||
          slice.getSteps()[1] != 1 ||
          slice.getSizes()[1] != slice.getInput().getType().getDimSize(1))
        return {};
      chain.push_back(op);
      value = slice.getInput();
      continue;
    }
    if (auto depthToSpace = dyn_cast<DepthToSpaceOp>(op)) {
      chain.push_back(op);
      value = depthToSpace.getInput();
      continue;
    }
    return {};
  }
  return {};
}

/// The channel of the end of `chain` (findConvThroughDataMovement) that
/// channel `c` of its start lands in.
static int64_t channelThroughDataMovement(ArrayRef<Operation *> chain,
                                          int64_t c) {
  for (Operation *op : chain)
    if (auto depthToSpace = dyn_cast<DepthToSpaceOp>(op)) {
      int64_t block = static_cast<int64_t>(depthToSpace.getBlock());
      c = depthToSpace.getCrd() ? c / (block * block)
                                : c % depthToSpace.getType().getDimSize(1);
    }
  return c;
}

namespace {
//===----------------------------------------------------------------------===//
// cnn-recognize-composites
//===----------------------------------------------------------------------===//

/// The gate operand of `mul(x, gate(x))` (either order) whose gate is a
/// `GateOp` of x and whose result has x's type; null otherwise.
template <typename GateOp>
static GateOp matchGatedProduct(MulOp mul, Value &x) {
  for (auto [value, other] : {std::pair(mul.getLhs(), mul.getRhs()),
                              std::pair(mul.getRhs(), mul.getLhs())}) {
    auto gate = other.template getDefiningOp<GateOp>();
    if (gate && gate.getInput() == value && value.getType() == mul.getType()) {
      x = value;
      return gate;
    }
  }
  return {};
}

// mul(x, sigmoid(x)) -> silu(x)
struct RecognizeSilu final : OpRewritePattern<MulOp> {
  RecognizeSilu(MLIRContext *context, uint64_t &numFormed)
      : OpRewritePattern(context), numFormed(numFormed) {}

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    Value x;
    SigmoidOp gate = matchGatedProduct<SigmoidOp>(mul, x);
    if (!gate)
      return rewriter.notifyMatchFailure(mul, "not x * sigmoid(x)");
    rewriter.replaceOp(
        mul,
        SiluOp::create(rewriter,
                       rewriter.getFusedLoc({gate.getLoc(), mul.getLoc()}), x));
    ++numFormed;
    return success();
  }

  uint64_t &numFormed;
};

// mul(x, tanh(softplus(x))) -> mish(x)
struct RecognizeMish final : OpRewritePattern<MulOp> {
  RecognizeMish(MLIRContext *context, uint64_t &numFormed)
      : OpRewritePattern(context), numFormed(numFormed) {}

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [x, other] : {std::pair(mul.getLhs(), mul.getRhs()),
                            std::pair(mul.getRhs(), mul.getLhs())}) {
      auto tanh = other.getDefiningOp<TanhOp>();
      auto softplus =
          tanh ? tanh.getInput().getDefiningOp<SoftplusOp>() : SoftplusOp();
      if (!softplus || softplus.getInput() != x || x.getType() != mul.getType())
        continue;
      rewriter.replaceOp(mul, MishOp::create(rewriter,
                                             rewriter.getFusedLoc(
                                                 {softplus.getLoc(),
                                                  tanh.getLoc(), mul.getLoc()}),
                                             x));
      ++numFormed;
      return success();
    }
    return rewriter.notifyMatchFailure(mul, "not x * tanh(softplus(x))");
  }

  uint64_t &numFormed;
};

// mul(x, hard_sigmoid(x) alpha 1/6 beta 1/2) -> hard_swish(x)
struct RecognizeHardSwish final : OpRewritePattern<MulOp> {
  RecognizeHardSwish(MLIRContext *context, uint64_t &numFormed)
      : OpRewritePattern(context), numFormed(numFormed) {}

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    Value x;
    HardSigmoidOp gate = matchGatedProduct<HardSigmoidOp>(mul, x);
    if (!gate)
      return rewriter.notifyMatchFailure(mul, "not x * hard_sigmoid(x)");
    // hard_swish is x * clamp(x / 6 + 1/2, 0, 1): PyTorch's, exported with
    // alpha = 1/6 rounded to f32.
    if (gate.getAlpha().convertToFloat() != 1.0f / 6.0f ||
        gate.getBeta().convertToFloat() != 0.5f)
      return rewriter.notifyMatchFailure(mul, "gate is not x / 6 + 1/2");
    rewriter.replaceOp(
        mul,
        HardSwishOp::create(
            rewriter, rewriter.getFusedLoc({gate.getLoc(), mul.getLoc()}), x));
    ++numFormed;
    return success();
  }

  uint64_t &numFormed;
};

// reshape([N, g, C/g, H, W] <- x) -> transpose [0, 2, 1, 3, 4] -> reshape
// back to x's type: channel_shuffle(x) groups g.
struct RecognizeChannelShuffle final : OpRewritePattern<ReshapeOp> {
  RecognizeChannelShuffle(MLIRContext *context, uint64_t &numFormed)
      : OpRewritePattern(context), numFormed(numFormed) {}

  LogicalResult matchAndRewrite(ReshapeOp back,
                                PatternRewriter &rewriter) const override {
    auto transpose = back.getInput().getDefiningOp<TransposeOp>();
    if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{0, 2, 1, 3, 4})
      return rewriter.notifyMatchFailure(back, "not a transposed group view");
    auto split = transpose.getInput().getDefiningOp<ReshapeOp>();
    if (!split)
      return rewriter.notifyMatchFailure(back, "transpose of no reshape");
    Value x = split.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    ArrayRef<int64_t> grouped = split.getType().getShape();
    if (type != back.getType() || type.getRank() != 4 || grouped.size() != 5 ||
        grouped[0] != type.getDimSize(0) ||
        grouped[1] * grouped[2] != type.getDimSize(1) ||
        grouped[3] != type.getDimSize(2) || grouped[4] != type.getDimSize(3))
      return rewriter.notifyMatchFailure(
          back, "not [N, C, H, W] -> [N, g, C/g, H, W] and back");
    rewriter.replaceOp(
        back, ChannelShuffleOp::create(
                  rewriter,
                  rewriter.getFusedLoc(
                      {split.getLoc(), transpose.getLoc(), back.getLoc()}),
                  x, rewriter.getI64IntegerAttr(grouped[1])));
    ++numFormed;
    return success();
  }

  uint64_t &numFormed;
};

/// The f32 values of a constant `value` whose elements are all `expected`
/// (within a relative 1e-6: exporters round sqrt(2) to f32).
static bool isSplatConstant(Value value, double expected) {
  std::optional<SmallVector<float>> data = getF32ConstantData(value);
  return data && !data->empty() && llvm::all_of(*data, [&](float v) {
           return std::abs(double(v) - expected) <= 1e-6 * std::abs(expected);
         });
}

/// `op`'s operand that is not `known` (for commutative pairs), or null.
static Value otherOperand(Operation *op, Value known) {
  if (op->getOperand(0) == known)
    return op->getOperand(1);
  if (op->getOperand(1) == known)
    return op->getOperand(0);
  return {};
}

/// x * (1 + erf(x / sqrt(2))): the gate operand of GELU's product, for x.
static bool isGeluGate(Value gate, Value x) {
  auto add = gate.getDefiningOp<AddOp>();
  if (!add)
    return false;
  for (auto [term, one] : {std::pair(add.getLhs(), add.getRhs()),
                           std::pair(add.getRhs(), add.getLhs())}) {
    auto erf = term.getDefiningOp<ErfOp>();
    if (!erf || !isSplatConstant(one, 1.0))
      continue;
    Value arg = erf.getInput();
    if (auto div = arg.getDefiningOp<DivOp>())
      if (div.getLhs() == x && isSplatConstant(div.getRhs(), M_SQRT2))
        return true;
    if (auto mul = arg.getDefiningOp<MulOp>())
      if (Value scale = otherOperand(mul, x))
        if (isSplatConstant(scale, M_SQRT1_2))
          return true;
  }
  return false;
}

// The exact GELU as exported, x * (1 + erf(x / sqrt(2))) * 0.5 in either
// association: mul(mul(x, gate), 0.5) or mul(mul(x, 0.5), gate) -> gelu(x).
struct RecognizeGelu final : OpRewritePattern<MulOp> {
  RecognizeGelu(MLIRContext *context, uint64_t &numFormed)
      : OpRewritePattern(context), numFormed(numFormed) {}

  LogicalResult matchAndRewrite(MulOp outer,
                                PatternRewriter &rewriter) const override {
    for (auto [innerValue, last] :
         {std::pair(outer.getLhs(), outer.getRhs()),
          std::pair(outer.getRhs(), outer.getLhs())}) {
      auto inner = innerValue.getDefiningOp<MulOp>();
      if (!inner)
        continue;
      for (auto [x, factor] : {std::pair(inner.getLhs(), inner.getRhs()),
                               std::pair(inner.getRhs(), inner.getLhs())}) {
        if (x.getType() != outer.getType())
          continue;
        bool halfLast = isSplatConstant(last, 0.5) && isGeluGate(factor, x);
        bool gateLast = isSplatConstant(factor, 0.5) && isGeluGate(last, x);
        if (!halfLast && !gateLast)
          continue;
        rewriter.replaceOp(
            outer,
            GeluOp::create(
                rewriter,
                rewriter.getFusedLoc({inner.getLoc(), outer.getLoc()}), x));
        ++numFormed;
        return success();
      }
    }
    return rewriter.notifyMatchFailure(outer, "not x * (1 + erf(x/sqrt2)) / 2");
  }

  uint64_t &numFormed;
};

/// The one axis a single-axis reduce_mean reduces, or -1.
static int64_t getReducedAxis(Value value, Value &input) {
  auto mean = value.getDefiningOp<ReduceMeanOp>();
  if (!mean || mean.getAxes().size() != 1)
    return -1;
  input = mean.getInput();
  return mean.getAxes().front();
}

/// A constant with one value per element of `axis` (extent 1 elsewhere) of
/// a rank-`rank` tensor: its values, else nullopt.
static std::optional<SmallVector<float>>
getAxisVector(Value value, int64_t axis, int64_t rank) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() != rank)
    return std::nullopt;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis && type.getDimSize(d) != 1)
      return std::nullopt;
  return getF32ConstantData(value);
}

// Layer norm as exported before opset 17:
//   m = reduce_mean(x), d = x - m, v = reduce_mean(d * d),
//   n = d / sqrt(v + eps), then optionally n * scale + bias
// (one axis, scale and bias constant along it) -> layer_norm(x, scale, bias).
struct RecognizeLayerNorm final : OpRewritePattern<DivOp> {
  RecognizeLayerNorm(MLIRContext *context, uint64_t &numFormed)
      : OpRewritePattern(context), numFormed(numFormed) {}

  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    auto centred = div.getLhs().getDefiningOp<SubOp>();
    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (!centred || !sqrt)
      return rewriter.notifyMatchFailure(div, "not (x - m) / sqrt(...)");
    Value x = centred.getLhs(), meanInput, varianceInput;
    int64_t axis = getReducedAxis(centred.getRhs(), meanInput);
    if (axis < 0 || meanInput != x || x.getType() != div.getType())
      return rewriter.notifyMatchFailure(div, "not x minus its mean");
    auto shifted = sqrt.getInput().getDefiningOp<AddOp>();
    if (!shifted)
      return rewriter.notifyMatchFailure(div, "no epsilon");
    std::optional<SmallVector<float>> epsilon;
    Value variance;
    for (auto [v, e] : {std::pair(shifted.getLhs(), shifted.getRhs()),
                        std::pair(shifted.getRhs(), shifted.getLhs())}) {
      std::optional<SmallVector<float>> data = getF32ConstantData(e);
      if (data && data->size() == 1) {
        epsilon = data;
        variance = v;
      }
    }
    if (!epsilon || getReducedAxis(variance, varianceInput) != axis)
      return rewriter.notifyMatchFailure(div, "no variance over the axis");
    auto square = varianceInput.getDefiningOp<MulOp>();
    if (!square || square.getLhs() != centred.getResult() ||
        square.getRhs() != centred.getResult())
      return rewriter.notifyMatchFailure(div, "variance of another value");

    // The affine tail, when it is constant along the axis.
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    int64_t extent = cast<RankedTensorType>(x.getType()).getDimSize(axis);
    SmallVector<float> scale(extent, 1.0f), bias(extent, 0.0f);
    Operation *last = div;
    SmallVector<Location> locs = {centred.getRhs().getLoc(), div.getLoc()};
    if (last->hasOneUse())
      if (auto mul = dyn_cast<MulOp>(*last->user_begin()))
        if (mul.getType() == div.getType())
          if (auto values = getAxisVector(otherOperand(mul, last->getResult(0)),
                                          axis, rank)) {
            scale = *values;
            last = mul;
            locs.push_back(mul.getLoc());
          }
    if (last != div.getOperation() && last->hasOneUse())
      if (auto add = dyn_cast<AddOp>(*last->user_begin()))
        if (add.getType() == div.getType())
          if (auto values = getAxisVector(otherOperand(add, last->getResult(0)),
                                          axis, rank)) {
            bias = *values;
            last = add;
            locs.push_back(add.getLoc());
          }

    Location loc = rewriter.getFusedLoc(locs);
    auto vectorType = RankedTensorType::get({extent}, rewriter.getF32Type());
    Value scaleValue = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(vectorType, ArrayRef(scale)));
    Value biasValue = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(vectorType, ArrayRef(bias)));
    rewriter.replaceOp(
        last, LayerNormOp::create(rewriter, loc, div.getType(), x, scaleValue,
                                  biasValue, rewriter.getI64IntegerAttr(axis),
                                  rewriter.getF32FloatAttr((*epsilon)[0])));
    ++numFormed;
    return success();
  }

  uint64_t &numFormed;
};

// transpose(act(transpose(x, p)), q) -> act(x) when q undoes p and act is
// an elementwise op of one operand: ConvNeXt applies GELU between permutes
// to NHWC and back, which hides it from the convolution that produces x.
struct CancelTransposesAroundElementwise final : OpRewritePattern<TransposeOp> {
  CancelTransposesAroundElementwise(MLIRContext *context, uint64_t &numFormed)
      : OpRewritePattern(context), numFormed(numFormed) {}

  LogicalResult matchAndRewrite(TransposeOp outer,
                                PatternRewriter &rewriter) const override {
    Operation *op = outer.getInput().getDefiningOp();
    if (!op || !isa<CnnDialect>(op->getDialect()) ||
        !op->hasTrait<OpTrait::Elementwise>() || op->getNumOperands() != 1 ||
        op->getNumResults() != 1 || !op->hasOneUse())
      return rewriter.notifyMatchFailure(
          outer, "input is not a single-use elementwise op of one operand");
    auto inner = op->getOperand(0).getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(outer, "no transpose before the op");
    // outer[i] = op[q[i]] = x[p[q[i]]]: x itself if p[q[i]] == i.
    ArrayRef<int64_t> p = inner.getPerm(), q = outer.getPerm();
    for (auto [i, d] : llvm::enumerate(q))
      if (p[d] != static_cast<int64_t>(i))
        return rewriter.notifyMatchFailure(outer, "the perms do not cancel");
    Value x = inner.getInput();
    if (x.getType() != outer.getType())
      return rewriter.notifyMatchFailure(outer, "types differ");
    OperationState state(
        rewriter.getFusedLoc({inner.getLoc(), op->getLoc(), outer.getLoc()}),
        op->getName(), ValueRange{x}, TypeRange{x.getType()}, op->getAttrs());
    rewriter.replaceOp(outer, rewriter.create(state)->getResults());
    ++numFormed;
    return success();
  }

  uint64_t &numFormed;
};

struct CnnRecognizeCompositesPass final
    : cnn::impl::CnnRecognizeCompositesBase<CnnRecognizeCompositesPass> {
  void runOnOperation() override {
    uint64_t silus = 0, hardSwishes = 0, shuffles = 0, gelus = 0, norms = 0,
             untransposed = 0, mishes = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<CancelTransposesAroundElementwise>(&getContext(),
                                                    untransposed);
    patterns.add<RecognizeSilu>(&getContext(), silus);
    patterns.add<RecognizeMish>(&getContext(), mishes);
    patterns.add<RecognizeGelu>(&getContext(), gelus);
    patterns.add<RecognizeLayerNorm>(&getContext(), norms);
    patterns.add<RecognizeHardSwish>(&getContext(), hardSwishes);
    patterns.add<RecognizeChannelShuffle>(&getContext(), shuffles);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
    numSilu += silus;
    numMish += mishes;
    numHardSwish += hardSwishes;
    numShuffle += shuffles;
    numGelu += gelus;
    numLayerNorm += norms;
    numUntransposed += untransposed;
  }

  cnn::PassStatistic numSilu{this, "formed-silus", "x * sigmoid(x) as silu"};
  cnn::PassStatistic numMish{this, "formed-mishes",
                             "x * tanh(softplus(x)) as mish"};
  cnn::PassStatistic numHardSwish{this, "formed-hard-swishes",
                                  "x * hard_sigmoid(x) as hard_swish"};
  cnn::PassStatistic numShuffle{this, "formed-channel-shuffles",
                                "reshape-transpose-reshape as channel_shuffle"};
  cnn::PassStatistic numGelu{this, "formed-gelus",
                             "x * (1 + erf(x / sqrt(2))) / 2 as gelu"};
  cnn::PassStatistic numLayerNorm{this, "formed-layer-norms",
                                  "mean, variance and affine as layer_norm"};
  cnn::PassStatistic numUntransposed{
      this, "untransposed-elementwise",
      "elementwise ops taken out from between inverse transposes"};
};

//===----------------------------------------------------------------------===//
// cnn-fold-batch-norm
//===----------------------------------------------------------------------===//

// batch_norm(conv(x, W, b), g, beta, m, v) -> conv(x, W * s, (b - m) * s +
// beta) with s = g / sqrt(v + eps) per output channel.
struct FoldBatchNormIntoConv final : OpRewritePattern<BatchNormOp> {
  FoldBatchNormIntoConv(MLIRContext *context, uint64_t &numFolded)
      : OpRewritePattern(context), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(BatchNormOp norm,
                                PatternRewriter &rewriter) const override {
    SmallVector<Operation *> chain;
    Conv2DOp conv = findConvThroughDataMovement(norm.getInput(), chain);
    if (!conv)
      return rewriter.notifyMatchFailure(norm, "input is not a convolution");
    if (!conv->hasOneUse())
      return rewriter.notifyMatchFailure(norm, "convolution has other users");
    if (conv.getResidual() || conv.hasActivation())
      return rewriter.notifyMatchFailure(
          norm, "convolution applies a residual or activation before the "
                "norm");
    auto scale = getF32ConstantData(norm.getScale());
    auto shift = getF32ConstantData(norm.getShift());
    auto mean = getF32ConstantData(norm.getMean());
    auto variance = getF32ConstantData(norm.getVariance());
    if (!scale || !shift || !mean || !variance)
      return rewriter.notifyMatchFailure(norm,
                                         "statistics are not f32 constants");

    // Per output channel of the convolution: the norm of the channel it
    // becomes.
    int64_t channels = conv.getType().getDimSize(1);
    double epsilon = norm.getEpsilon().convertToDouble();
    SmallVector<double> factor(channels), offset(channels);
    for (int64_t k = 0; k < channels; ++k) {
      int64_t c = channelThroughDataMovement(chain, k);
      factor[k] = (*scale)[c] / std::sqrt(double((*variance)[c]) + epsilon);
      offset[k] = (*shift)[c] - (*mean)[c] * factor[k];
    }
    rewriter.setInsertionPoint(conv);
    FailureOr<Conv2DOp> folded = rescaleConv(
        rewriter, rewriter.getFusedLoc({conv.getLoc(), norm.getLoc()}), conv,
        factor, offset);
    if (failed(folded))
      return rewriter.notifyMatchFailure(
          norm, "filter or bias is not an f32 constant");
    rewriter.replaceOp(conv, folded->getResult());
    rewriter.replaceOp(norm, norm.getInput());
    ++numFolded;
    return success();
  }

  uint64_t &numFolded;
};

/// The values of a constant that broadcasts along the channels of `type`
/// ([N, C, H, W]): one per channel ([1, C, 1, 1]) or one for all
/// ([1, 1, 1, 1]), as `channels` doubles; nothing otherwise.
static std::optional<SmallVector<double>>
getPerChannelConstant(Value value, RankedTensorType type) {
  auto constantType = dyn_cast<RankedTensorType>(value.getType());
  if (!constantType || type.getRank() != 4 || constantType.getRank() != 4)
    return std::nullopt;
  int64_t channels = type.getDimSize(1);
  ArrayRef<int64_t> shape = constantType.getShape();
  if (shape[0] != 1 || shape[2] != 1 || shape[3] != 1 ||
      (shape[1] != 1 && shape[1] != channels))
    return std::nullopt;
  std::optional<SmallVector<float>> data = getF32ConstantData(value);
  if (!data)
    return std::nullopt;
  SmallVector<double> values(channels);
  for (int64_t c = 0; c < channels; ++c)
    values[c] = (*data)[shape[1] == 1 ? 0 : c];
  return values;
}

// mul(conv(x, W, b), s) -> conv(x, W * s, b * s) and
// add(conv(x, W, b), t) -> conv(x, W, b + t), for constants s and t per
// output channel (ConvNeXt's layer scale, exported as a Mul).
template <typename AffineOp>
struct FoldChannelAffineIntoConv final : OpRewritePattern<AffineOp> {
  FoldChannelAffineIntoConv(MLIRContext *context, uint64_t &numFolded)
      : OpRewritePattern<AffineOp>(context), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(AffineOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [input, constant] : {std::pair(op.getLhs(), op.getRhs()),
                                   std::pair(op.getRhs(), op.getLhs())}) {
      auto conv = input.template getDefiningOp<Conv2DOp>();
      if (!conv || !conv->hasOneUse() || conv.getResidual() ||
          conv.hasActivation() || conv.getType() != op.getType())
        continue;
      std::optional<SmallVector<double>> values =
          getPerChannelConstant(constant, conv.getType());
      if (!values)
        continue;
      SmallVector<double> factor(values->size(), 1.0),
          shift(values->size(), 0.0);
      if constexpr (std::is_same_v<AffineOp, MulOp>)
        factor = *values;
      else
        shift = *values;
      FailureOr<Conv2DOp> folded = rescaleConv(
          rewriter, rewriter.getFusedLoc({conv.getLoc(), op.getLoc()}), conv,
          factor, shift);
      if (failed(folded))
        continue;
      rewriter.replaceOp(op, folded->getResult());
      rewriter.eraseOp(conv);
      ++numFolded;
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "not a single-use convolution without epilogue and a constant "
            "per output channel");
  }

  uint64_t &numFolded;
};

struct CnnFoldBatchNormPass final
    : cnn::impl::CnnFoldBatchNormBase<CnnFoldBatchNormPass> {
  void runOnOperation() override {
    uint64_t folded = 0, affines = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv>(&getContext(), folded);
    patterns.add<FoldChannelAffineIntoConv<MulOp>,
                 FoldChannelAffineIntoConv<AddOp>>(&getContext(), affines);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
    numFolded += folded;
    numAffineFolded += affines;
  }

  cnn::PassStatistic numFolded{this, "folded-batch-norms",
                               "Batch norms folded into convolutions"};
  cnn::PassStatistic numAffineFolded{
      this, "folded-channel-affines",
      "Products and sums with a constant per output channel folded into "
      "convolutions"};
};

//===----------------------------------------------------------------------===//
// cnn-fuse-conv-epilogue
//===----------------------------------------------------------------------===//

// relu(conv(...)) -> conv(...) relu ; relu(linear(...)) -> linear(...) relu;
// also through a convolution's depth_to_space and slices.
struct FuseReluIntoProducer final : OpRewritePattern<ReluOp> {
  FuseReluIntoProducer(MLIRContext *context, uint64_t &numFused)
      : OpRewritePattern(context), numFused(numFused) {}

  LogicalResult matchAndRewrite(ReluOp relu,
                                PatternRewriter &rewriter) const override {
    SmallVector<Operation *> chain;
    Operation *producer = findConvThroughDataMovement(relu.getInput(), chain);
    if (!producer)
      producer = relu.getInput().getDefiningOp();
    if (!producer || !isa<Conv2DOp, LinearOp>(producer))
      return rewriter.notifyMatchFailure(relu, "not a convolution or linear");
    if (!producer->hasOneUse())
      return rewriter.notifyMatchFailure(relu, "producer has other users");
    // An existing ReLU makes this one redundant; the folder removes it.
    if (producer->hasAttr("relu"))
      return rewriter.notifyMatchFailure(relu, "producer applies ReLU already");
    if (auto conv = dyn_cast<Conv2DOp>(producer); conv && conv.getActivation())
      return rewriter.notifyMatchFailure(relu,
                                         "producer applies an activation");
    // The fused layer keeps its producer's name first (the ReLU's after).
    rewriter.modifyOpInPlace(producer, [&] {
      producer->setAttr("relu", rewriter.getUnitAttr());
      producer->setLoc(
          rewriter.getFusedLoc({producer->getLoc(), relu.getLoc()}));
    });
    rewriter.replaceOp(relu, relu.getInput());
    ++numFused;
    return success();
  }

  uint64_t &numFused;
};

/// The activation of `op` (clip, sigmoid, hard-swish, SiLU, GELU, leaky
/// ReLU, ELU, tanh, softplus or Mish) as a `#cnn.activation`, or null.
static ActivationAttr getActivationAttr(Operation *op) {
  MLIRContext *ctx = op->getContext();
  Builder b(ctx);
  auto make = [&](ActivationKind kind, FloatAttr min = {}, FloatAttr max = {},
                  FloatAttr alpha = {}, FloatAttr gamma = {}) {
    return ActivationAttr::get(ctx, kind, min, max, alpha, gamma);
  };
  return llvm::TypeSwitch<Operation *, ActivationAttr>(op)
      .Case([&](ClipOp clip) {
        return make(ActivationKind::Clip,
                    b.getF32FloatAttr(clip.getMin().convertToFloat()),
                    b.getF32FloatAttr(clip.getMax().convertToFloat()));
      })
      .Case([&](SigmoidOp) { return make(ActivationKind::Sigmoid); })
      .Case([&](HardSwishOp) { return make(ActivationKind::HardSwish); })
      .Case([&](SiluOp) { return make(ActivationKind::Silu); })
      .Case([&](GeluOp) { return make(ActivationKind::Gelu); })
      .Case([&](LeakyReluOp op) {
        return make(ActivationKind::LeakyRelu, {}, {}, op.getAlphaAttr());
      })
      .Case([&](EluOp op) {
        return make(ActivationKind::Elu, {}, {}, op.getAlphaAttr(),
                    op.getGammaAttr());
      })
      .Case([&](TanhOp) { return make(ActivationKind::Tanh); })
      .Case([&](SoftplusOp) { return make(ActivationKind::Softplus); })
      .Case([&](MishOp) { return make(ActivationKind::Mish); })
      .Default([](Operation *) { return ActivationAttr(); });
}

// act(conv(...)) -> conv(...) activation #cnn.activation<act>, for the
// activations of getActivationAttr: the convolution applies it to its
// accumulators, as it applies ReLU. Also through a convolution's
// depth_to_space and slices (findConvThroughDataMovement).
template <typename ActivationOp>
struct FuseActivationIntoConv final : OpRewritePattern<ActivationOp> {
  FuseActivationIntoConv(MLIRContext *context, uint64_t &numFused)
      : OpRewritePattern<ActivationOp>(context), numFused(numFused) {}

  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    ActivationAttr activation = getActivationAttr(op);
    SmallVector<Operation *> chain;
    Conv2DOp conv = findConvThroughDataMovement(op.getInput(), chain);
    if (!conv || !conv->hasOneUse() || conv.hasActivation() ||
        op.getInput().getType() != op->getResult(0).getType())
      return rewriter.notifyMatchFailure(
          op, "input is not a single-use convolution without activation");
    rewriter.modifyOpInPlace(conv, [&] {
      conv.setActivationAttr(activation);
      conv->setLoc(rewriter.getFusedLoc({conv.getLoc(), op->getLoc()}));
    });
    rewriter.replaceOp(op, op.getInput());
    ++numFused;
    return success();
  }

  uint64_t &numFused;
};

// add(conv(...), r) -> conv(...) residual(r)
struct FuseResidualAddIntoConv final : OpRewritePattern<AddOp> {
  FuseResidualAddIntoConv(MLIRContext *context, uint64_t &numFused)
      : OpRewritePattern(context), numFused(numFused) {}

  static bool canTakeResidual(Value value) {
    auto conv = value.getDefiningOp<Conv2DOp>();
    return conv && conv->hasOneUse() && !conv.getResidual() &&
           !conv.hasActivation();
  }

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    if (add.getLhs().getType() != add.getType() ||
        add.getRhs().getType() != add.getType())
      return rewriter.notifyMatchFailure(add, "a broadcasting add");
    Value fused = add.getLhs(), residual = add.getRhs();
    if (!canTakeResidual(fused))
      std::swap(fused, residual);
    if (!canTakeResidual(fused))
      return rewriter.notifyMatchFailure(
          add, "no operand is a single-use convolution without epilogue "
               "after its bias");
    auto conv = fused.getDefiningOp<Conv2DOp>();
    // Built at the add, where both the convolution's operands and the
    // residual are available; named after the convolution first.
    rewriter.replaceOp(
        add, rebuildConv(rewriter,
                         rewriter.getFusedLoc({conv.getLoc(), add.getLoc()}),
                         conv, conv.getFilter(), conv.getBias(), residual));
    rewriter.eraseOp(conv);
    ++numFused;
    return success();
  }

  uint64_t &numFused;
};

struct CnnFuseConvEpiloguePass final
    : cnn::impl::CnnFuseConvEpilogueBase<CnnFuseConvEpiloguePass> {
  void runOnOperation() override {
    uint64_t relus = 0, residuals = 0, activations = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseReluIntoProducer>(&getContext(), relus);
    patterns
        .add<FuseActivationIntoConv<ClipOp>, FuseActivationIntoConv<SigmoidOp>,
             FuseActivationIntoConv<HardSwishOp>,
             FuseActivationIntoConv<SiluOp>, FuseActivationIntoConv<GeluOp>,
             FuseActivationIntoConv<LeakyReluOp>, FuseActivationIntoConv<EluOp>,
             FuseActivationIntoConv<TanhOp>, FuseActivationIntoConv<SoftplusOp>,
             FuseActivationIntoConv<MishOp>>(&getContext(), activations);
    patterns.add<FuseResidualAddIntoConv>(&getContext(), residuals);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
    numReluFused += relus;
    numResidualFused += residuals;
    numActivationFused += activations;
  }

  cnn::PassStatistic numReluFused{this, "fused-relus",
                                  "ReLUs fused into producers"};
  cnn::PassStatistic numActivationFused{
      this, "fused-activations",
      "Other activations (clip, sigmoid, hard-swish, SiLU, GELU, leaky ReLU, "
      "ELU, tanh, softplus, Mish) fused into convolutions"};
  cnn::PassStatistic numResidualFused{
      this, "fused-residual-adds",
      "Residual additions fused into convolutions"};
};
} // namespace

//===----------------------------------------------------------------------===//
// cnn-fuse-squeeze-excitation
//===----------------------------------------------------------------------===//

// conv(mul(x, s), W) -> conv(x, W) input_scale(s), for s [N, C, 1, 1] per
// image and channel of x [N, C, H, W], the product used only there and W
// [F, C, KH, KW] with F <= H x W.
struct FuseGateIntoConv final : OpRewritePattern<MulOp> {
  FuseGateIntoConv(MLIRContext *context, uint64_t &numFused)
      : OpRewritePattern(context), numFused(numFused) {}

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    if (!mul->hasOneUse())
      return rewriter.notifyMatchFailure(mul, "the product has other users");
    auto conv = dyn_cast<Conv2DOp>(*mul->getUsers().begin());
    if (!conv || conv.getInput() != mul.getResult() || conv.getInputScale() ||
        conv.getGroups() != 1)
      return rewriter.notifyMatchFailure(
          mul, "not the input of an ungrouped convolution without an input "
               "scale");
    ArrayRef<int64_t> shape = mul.getType().getShape();
    auto isGate = [&](Value value) {
      ArrayRef<int64_t> gate =
          cast<RankedTensorType>(value.getType()).getShape();
      return gate.size() == 4 && gate[0] == shape[0] && gate[1] == shape[1] &&
             gate[2] == 1 && gate[3] == 1 && value.getType() != mul.getType();
    };
    Value map = mul.getLhs(), gate = mul.getRhs();
    if (!isGate(gate))
      std::swap(map, gate);
    if (!isGate(gate) || map.getType() != mul.getType())
      return rewriter.notifyMatchFailure(
          mul, "not a feature map times one factor per image and channel");
    // Scaling the filter writes C x F values per image, scaling the map
    // C x H x W: the filter only where it is the smaller (a 7x7 map of 960
    // channels into 160 is cheaper to scale than its 960 x 160 filter).
    int64_t outputs = conv.getFilter().getType().getDimSize(0);
    if (outputs > shape[2] * shape[3])
      return rewriter.notifyMatchFailure(
          mul, "the filter has more outputs than the map has pixels: scaling "
               "the map costs less");
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getInputMutable().assign(map);
      conv.getInputScaleMutable().assign(gate);
      conv->setLoc(rewriter.getFusedLoc({conv.getLoc(), mul.getLoc()}));
    });
    rewriter.eraseOp(mul);
    ++numFused;
    return success();
  }

  uint64_t &numFused;
};

struct CnnFuseSqueezeExcitationPass final
    : cnn::impl::CnnFuseSqueezeExcitationBase<CnnFuseSqueezeExcitationPass> {
  void runOnOperation() override {
    uint64_t gates = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseGateIntoConv>(&getContext(), gates);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
    numGatesFused += gates;
  }

  cnn::PassStatistic numGatesFused{
      this, "fused-gates",
      "Squeeze-excitation products applied as convolutions' input scales"};
};
