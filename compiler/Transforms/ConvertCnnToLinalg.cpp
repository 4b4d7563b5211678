//===- ConvertCnnToLinalg.cpp - Lower cnn ops to linalg on tensors --------===//
//
//   cnn.conv2d      -> channels-last (default): linalg.transpose to NHWC,
//                      tensor.pad, linalg.conv_2d_nhwc_hwcf accumulating
//                      into bias + residual, ReLU, transpose back; the filter
//                      is permuted to HWCF at compile time. The layer's
//                      `#cnn.kernel` decides the form: direct, paired
//                      columns (the stem) or Winograd (built here whole)
//                      channels-first: tensor.pad + linalg.conv_2d_nchw_fchw
//                      + one elementwise linalg.generic epilogue
//                      (groups: expand_shape + linalg.conv_2d_ngchw_gfchw)
//   cnn.max_pool2d  -> tensor.pad(-inf) + linalg.pooling_{nhwc,nchw}_max
//   cnn.avg_pool2d  -> tensor.pad(0) + linalg.pooling_{nhwc,nchw}_sum + divide
//
// Channels-last ops take and give NCHW values through transposes; the
// canonicalizer cancels each transpose pair between two such ops, so only the
// network's edges (and the few channels-first ops) keep a layout change.
//   cnn.linear      -> linalg.matmul (transposed weight maps) + epilogue
//   elementwise ops, reductions -> linalg.generic; flatten -> reshapes
//
//===----------------------------------------------------------------------===//

#include "Transforms/ConstantData.h"
#include "Transforms/KernelBuilders.h"
#include "Transforms/KernelSelection.h"
#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CONVERTCNNTOLINALG
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;
using namespace mlir::cnn;

//===----------------------------------------------------------------------===//
// Builders shared by the patterns
//===----------------------------------------------------------------------===//

static Value createFilledTensor(OpBuilder &b, Location loc,
                                RankedTensorType type, TypedAttr value) {
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value fill = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, fill, empty).getResult(0);
}

static Value createZeroTensor(OpBuilder &b, Location loc,
                              RankedTensorType type) {
  return createFilledTensor(b, loc, type, b.getZeroAttr(type.getElementType()));
}

/// Pads the spatial dimensions of a 4-D tensor with `padValue`;
/// `padding` is [top, left, bottom, right], `extraHigh` extends the bottom
/// and right sides (the windows that ceil_mode adds). Height is dimension
/// `heightDim` (2 in NCHW, 1 in NHWC), width the one after it.
static Value padSpatial(OpBuilder &b, Location loc, Value input,
                        ArrayRef<int64_t> padding, TypedAttr padValue,
                        ArrayRef<int64_t> extraHigh = {0, 0},
                        int64_t heightDim = 2) {
  int64_t bottom = padding[2] + extraHigh[0];
  int64_t right = padding[3] + extraHigh[1];
  if (padding[0] == 0 && padding[1] == 0 && bottom == 0 && right == 0)
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[heightDim] += padding[0] + bottom;
  shape[heightDim + 1] += padding[1] + right;
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(4, b.getIndexAttr(0));
  low[heightDim] = b.getIndexAttr(padding[0]);
  low[heightDim + 1] = b.getIndexAttr(padding[1]);
  high[heightDim] = b.getIndexAttr(bottom);
  high[heightDim + 1] = b.getIndexAttr(right);
  Value value = arith::ConstantOp::create(b, loc, padValue);
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input, low,
      high, value);
}

static SmallVector<utils::IteratorType> parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

static Value floatConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(shaped,
                               FloatAttr::get(shaped.getElementType(), value)));
  return arith::ConstantOp::create(b, loc, FloatAttr::get(type, value));
}

/// min(max(x, lo), hi)
static Value clamp(OpBuilder &b, Location loc, Value x, double lo, double hi) {
  Type type = x.getType();
  Value low =
      arith::MaximumFOp::create(b, loc, x, floatConstant(b, loc, type, lo));
  return arith::MinimumFOp::create(b, loc, low,
                                   floatConstant(b, loc, type, hi));
}

/// e^x of an f32 for sigmoid and SiLU, in 14 elementwise ops where
/// math.exp's polynomial approximation takes about 19 (a floor, a float to
/// integer conversion, clamps of both x and n, a degree-7 polynomial): x is
/// clamped to
/// [-87.33, 88.8], so n = round(x / ln 2) lies in [-126, 128] and needs no
/// clamp; n comes rounded from one FMA with 1.5 * 2^23 + 127 (the
/// float's low mantissa bits are then n + 127, 2^n's exponent field), the
/// remainder r = x - n ln 2 in two FMAs (ln 2 split in two), e^r as
/// 1 + r + r^2 q(r) with q of degree 3 fit to e^r's relative error over
/// |r| <= ln 2 / 2 (at most 1.8e-7 evaluated in f32, 1.5 ulp; checked by
/// activation-accuracy.test), and 2^n from a shift of those bits. n = 128 gives
/// infinity: e^x for x above 88.38 (where it is at least 2^127.5) is infinite,
/// which 1 / (1 + e^x) and x / (1 + e^x) read as the zero they are within float
/// precision. NaN stays NaN.
static Value buildExp(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  auto cst = [&](double value) { return floatConstant(b, loc, type, value); };
  auto fma = [&](Value p, Value q, Value r) {
    return math::FmaOp::create(b, loc, p, q, r).getResult();
  };
  x = clamp(b, loc, x, -87.33, 88.8);
  Value shifter = cst(12582912.0 + 127.0);
  Value biased = fma(x, cst(1.44269504088896341), shifter);
  Value n = arith::SubFOp::create(b, loc, biased, shifter);
  Value r = fma(n, cst(-0.693359375), x);
  r = fma(n, cst(2.12194440e-4), r);
  Value z = fma(r, cst(8.31249170e-3), cst(4.18900400e-2));
  z = fma(z, r, cst(1.66671142e-1));
  z = fma(z, r, cst(4.99992311e-1));
  z = fma(z, arith::MulFOp::create(b, loc, r, r), r);
  z = arith::AddFOp::create(b, loc, z, cst(1.0));
  Type intType = b.getI32Type();
  if (auto vector = dyn_cast<VectorType>(type))
    intType = vector.clone(intType);
  Value bits = arith::BitcastOp::create(b, loc, intType, biased);
  Value shift = arith::ConstantOp::create(
      b, loc, intType,
      isa<VectorType>(intType)
          ? cast<TypedAttr>(DenseElementsAttr::get(cast<ShapedType>(intType),
                                                   b.getI32IntegerAttr(23)))
          : cast<TypedAttr>(b.getI32IntegerAttr(23)));
  Value pow2 = arith::BitcastOp::create(
      b, loc, type, arith::ShLIOp::create(b, loc, bits, shift));
  return arith::MulFOp::create(b, loc, z, pow2);
}

/// numerator / (1 + exp(-x)): sigmoid (numerator 1) and SiLU (x).
static Value divideByOnePlusExpNeg(OpBuilder &b, Location loc, Value numerator,
                                   Value x) {
  Value one = floatConstant(b, loc, x.getType(), 1.0);
  Value e = buildExp(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, numerator,
                               arith::AddFOp::create(b, loc, one, e));
}

/// 1 / (1 + exp(-x))
static Value buildSigmoid(OpBuilder &b, Location loc, Value x) {
  return divideByOnePlusExpNeg(b, loc, floatConstant(b, loc, x.getType(), 1.0),
                               x);
}

/// max(x, 0)
static Value buildRelu(OpBuilder &b, Location loc, Value x) {
  return arith::MaximumFOp::create(b, loc, x,
                                   floatConstant(b, loc, x.getType(), 0.0));
}

/// x * relu6(x + 3) / 6, as PyTorch computes it.
static Value buildHardSwish(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value shifted =
      arith::AddFOp::create(b, loc, x, floatConstant(b, loc, type, 3.0));
  Value gate = arith::DivFOp::create(b, loc, clamp(b, loc, shifted, 0.0, 6.0),
                                     floatConstant(b, loc, type, 6.0));
  return arith::MulFOp::create(b, loc, x, gate);
}

/// x / (1 + exp(-x))
static Value buildSilu(OpBuilder &b, Location loc, Value x) {
  return divideByOnePlusExpNeg(b, loc, x, x);
}

/// x * (1 + erf(x / sqrt(2))) / 2, as PyTorch's exact GELU.
static Value buildGelu(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value scaled =
      arith::MulFOp::create(b, loc, x, floatConstant(b, loc, type, M_SQRT1_2));
  Value gate = arith::AddFOp::create(b, loc, floatConstant(b, loc, type, 1.0),
                                     math::ErfOp::create(b, loc, scaled));
  Value half =
      arith::MulFOp::create(b, loc, x, floatConstant(b, loc, type, 0.5));
  return arith::MulFOp::create(b, loc, half, gate);
}

/// x if x > 0, else alpha * x
static Value buildLeakyRelu(OpBuilder &b, Location loc, Value x, double alpha) {
  Type type = x.getType();
  Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                         floatConstant(b, loc, type, 0.0));
  Value scaled =
      arith::MulFOp::create(b, loc, x, floatConstant(b, loc, type, alpha));
  return arith::SelectOp::create(b, loc, positive, x, scaled);
}

/// gamma * (x if x > 0, else alpha * (exp(x) - 1)): ELU (gamma 1) and SELU.
static Value buildElu(OpBuilder &b, Location loc, Value x, double alpha,
                      double gamma) {
  Type type = x.getType();
  Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                         floatConstant(b, loc, type, 0.0));
  Value negative =
      arith::MulFOp::create(b, loc, math::ExpM1Op::create(b, loc, x),
                            floatConstant(b, loc, type, alpha));
  Value elu = arith::SelectOp::create(b, loc, positive, x, negative);
  if (gamma == 1.0)
    return elu;
  return arith::MulFOp::create(b, loc, elu, floatConstant(b, loc, type, gamma));
}

/// log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)): no overflow for large
/// x, no loss of the small values for very negative x.
static Value buildSoftplus(OpBuilder &b, Location loc, Value x) {
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail =
      math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
  return arith::AddFOp::create(b, loc, buildRelu(b, loc, x), tail);
}

/// x * tanh(softplus(x))
static Value buildMish(OpBuilder &b, Location loc, Value x) {
  return arith::MulFOp::create(
      b, loc, x, math::TanhOp::create(b, loc, buildSoftplus(b, loc, x)));
}

/// The activation a convolution applies last, of a scalar: ReLU, or its
/// `#cnn.activation`; `x` itself if it has none.
static Value buildConvActivation(OpBuilder &b, Location loc, Conv2DOp op,
                                 Value x) {
  if (op.getRelu())
    return buildRelu(b, loc, x);
  ActivationAttr activation = op.getActivationAttr();
  if (!activation)
    return x;
  switch (activation.getKind()) {
  case ActivationKind::Clip:
    return clamp(b, loc, x, activation.getMin().getValueAsDouble(),
                 activation.getMax().getValueAsDouble());
  case ActivationKind::Sigmoid:
    return buildSigmoid(b, loc, x);
  case ActivationKind::HardSwish:
    return buildHardSwish(b, loc, x);
  case ActivationKind::Silu:
    return buildSilu(b, loc, x);
  case ActivationKind::Gelu:
    return buildGelu(b, loc, x);
  case ActivationKind::LeakyRelu:
    return buildLeakyRelu(b, loc, x, activation.getAlpha().getValueAsDouble());
  case ActivationKind::Elu:
    return buildElu(b, loc, x, activation.getAlpha().getValueAsDouble(),
                    activation.getGamma().getValueAsDouble());
  case ActivationKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::Softplus:
    return buildSoftplus(b, loc, x);
  case ActivationKind::Mish:
    return buildMish(b, loc, x);
  }
  llvm_unreachable("unknown activation kind");
}

/// Applies `bias` (per channel, dimension 1), `residual` and `activation`
/// (a scalar function, if not null) to `acc` in place, in one elementwise
/// pass. Returns `acc` if there is nothing to do.
static Value applyEpilogue(OpBuilder &b, Location loc, Value acc, Value bias,
                           Value residual, ActivationFn activation) {
  if (!bias && !residual && !activation)
    return acc;
  auto type = cast<RankedTensorType>(acc.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(AffineMap::get(rank, 0, b.getAffineDimExpr(1), ctx));
  }
  if (residual) {
    inputs.push_back(residual);
    maps.push_back(identity);
  }
  maps.push_back(identity);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, inputs, ValueRange{acc}, maps,
      parallelIterators(rank),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value value = args.back();
        for (Value addend : args.drop_back())
          value = arith::AddFOp::create(nb, nloc, value, addend);
        if (activation)
          value = activation(nb, nloc, value);
        linalg::YieldOp::create(nb, nloc, value);
      });
  return generic.getResult(0);
}

/// An elementwise linalg.generic over same-shaped operands.
static Value
createElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  auto type = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = type.getRank();
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<AffineMap> maps(
      inputs.size() + 1,
      AffineMap::getMultiDimIdentityMap(rank, b.getContext()));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
      parallelIterators(rank),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// init[out] += lhs[lhsMap] * rhs[rhsMap] over `parallel` parallel loops
/// followed by `reductions` reduction loops: the multiply-accumulate generic
/// of every convolution and contraction the kernels build.
static linalg::GenericOp
createMultiplyAccumulate(OpBuilder &b, Location loc, Value lhs, Value rhs,
                         Value init, ArrayRef<AffineMap> maps, int64_t parallel,
                         int64_t reductions) {
  SmallVector<utils::IteratorType> iterators = parallelIterators(parallel);
  iterators.append(reductions, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs}, ValueRange{init},
      maps, iterators, [](OpBuilder &nb, Location l, ValueRange args) {
        Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
        linalg::YieldOp::create(
            nb, l, arith::AddFOp::create(nb, l, args[2], product).getResult());
      });
}

linalg::GenericOp
mlir::cnn::createBatchedContraction(OpBuilder &b, Location loc, Value lhs,
                                    Value rhs, Value init, AffineMap lhsMap,
                                    AffineMap rhsMap, KernelAttr kernel) {
  MLIRContext *ctx = b.getContext();
  AffineExpr batch, row, column;
  bindDims(ctx, batch, row, column);
  linalg::GenericOp contraction = createMultiplyAccumulate(
      b, loc, lhs, rhs, init,
      {lhsMap, rhsMap, AffineMap::get(4, 0, {batch, row, column}, ctx)},
      /*parallel=*/3, /*reductions=*/1);
  contraction->setAttr(KernelAttr::kAttrName, kernel);
  return contraction;
}

linalg::GenericOp mlir::cnn::createGroupedConvolution(
    OpBuilder &b, Location loc, Value input, Value filter, Value init,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, KernelAttr kernel,
    int64_t spanned) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  int64_t parallel = 5;
  if (spanned == 1) {
    AffineExpr n, oh, ow, g, k, kh, kw, c;
    bindDims(ctx, n, oh, ow, g, k, kh, kw, c);
    maps = {AffineMap::get(8, 0,
                           {n, oh * strides[0] + kh * dilations[0],
                            ow * strides[1] + kw * dilations[1], g, c},
                           ctx),
            AffineMap::get(8, 0, {g, kh, kw, c, k}, ctx),
            AffineMap::get(8, 0, {n, oh, ow, g, k}, ctx)};
  } else {
    AffineExpr n, oh, ow, gb, gi, k, kh, kw, c;
    bindDims(ctx, n, oh, ow, gb, gi, k, kh, kw, c);
    maps = {AffineMap::get(9, 0,
                           {n, oh * strides[0] + kh * dilations[0],
                            ow * strides[1] + kw * dilations[1], gb, gi, c},
                           ctx),
            AffineMap::get(9, 0, {gb, kh, kw, c, gi, k}, ctx),
            AffineMap::get(9, 0, {n, oh, ow, gb, gi, k}, ctx)};
    parallel = 6;
  }
  linalg::GenericOp conv = createMultiplyAccumulate(
      b, loc, input, filter, init, maps, parallel, /*reductions=*/3);
  if (kernel)
    conv->setAttr(KernelAttr::kAttrName, kernel);
  return conv;
}

linalg::GenericOp mlir::cnn::createPerImageFilterConvolution(
    OpBuilder &b, Location loc, Value input, Value filter, Value init,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  AffineExpr n, oh, ow, f, kh, kw, c;
  bindDims(ctx, n, oh, ow, f, kh, kw, c);
  SmallVector<AffineMap> maps = {
      AffineMap::get(7, 0,
                     {n, oh * strides[0] + kh * dilations[0],
                      ow * strides[1] + kw * dilations[1], c},
                     ctx),
      AffineMap::get(7, 0, {n, kh, kw, c, f}, ctx),
      AffineMap::get(7, 0, {n, oh, ow, f}, ctx)};
  return createMultiplyAccumulate(b, loc, input, filter, init, maps,
                                  /*parallel=*/4, /*reductions=*/3);
}

bool mlir::cnn::isPerImageFilterConvolution(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumLoops() != 7 ||
      generic.getNumReductionLoops() != 3 || generic.getNumDpsInputs() != 2)
    return false;
  auto filterType =
      dyn_cast<RankedTensorType>(generic.getDpsInputs()[1].getType());
  return filterType && filterType.getRank() == 5 &&
         generic.getMatchingIndexingMap(generic.getDpsInputOperand(1)) ==
             AffineMap::get(7, 0,
                            {getAffineDimExpr(0, op->getContext()),
                             getAffineDimExpr(4, op->getContext()),
                             getAffineDimExpr(5, op->getContext()),
                             getAffineDimExpr(6, op->getContext()),
                             getAffineDimExpr(3, op->getContext())},
                            op->getContext());
}

//===----------------------------------------------------------------------===//
// Channels-last layout
//===----------------------------------------------------------------------===//

static constexpr int64_t kToChannelsLast[] = {0, 2, 3, 1};
static constexpr int64_t kToChannelsFirst[] = {0, 3, 1, 2};

/// `value` with its dimensions permuted: result dim i is input dim perm[i].
static Value transpose(OpBuilder &b, Location loc, Value value,
                       ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t dim : perm)
    shape.push_back(type.getDimSize(dim));
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, init, perm)->getResult(0);
}

/// An FCHW (PyTorch OIHW) filter as HWCF, the layout whose innermost
/// dimension is the output channel the convolution vectorizes over. A
/// constant filter is permuted at compile time.
/// FCHW filter data in HWCF order.
static SmallVector<float> permuteToHwcf(ArrayRef<float> data,
                                        ArrayRef<int64_t> fchw) {
  int64_t f = fchw[0], c = fchw[1], h = fchw[2], w = fchw[3];
  SmallVector<float> permuted(data.size());
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t hi = 0; hi < h; ++hi)
        for (int64_t wi = 0; wi < w; ++wi)
          permuted[((hi * w + wi) * c + ci) * f + fi] =
              data[((fi * c + ci) * h + hi) * w + wi];
  return permuted;
}

static Value permuteFilterToHwcf(OpBuilder &b, Location loc, Value filter) {
  static constexpr int64_t toHwcf[] = {2, 3, 1, 0};
  auto type = cast<RankedTensorType>(filter.getType());
  std::optional<SmallVector<float>> data = getF32ConstantData(filter);
  if (!data)
    return transpose(b, loc, filter, toHwcf);
  ArrayRef<int64_t> fchw = type.getShape();
  SmallVector<float> permuted = permuteToHwcf(*data, fchw);
  auto hwcfType = RankedTensorType::get({fchw[2], fchw[3], fchw[1], fchw[0]},
                                        type.getElementType());
  auto attr = DenseElementsAttr::getFromRawBuffer(
      hwcfType, ArrayRef<char>(reinterpret_cast<const char *>(permuted.data()),
                               permuted.size() * sizeof(float)));
  return arith::ConstantOp::create(b, loc, hwcfType, attr);
}

/// `value` with zeros appended to its last dimension up to `extent`: a
/// constant is padded at compile time, anything else by tensor.pad.
static Value padLastDimension(OpBuilder &b, Location loc, Value value,
                              int64_t extent) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  int64_t inner = shape.back();
  shape.back() = extent;
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  if (std::optional<SmallVector<float>> data = getF32ConstantData(value)) {
    SmallVector<float> padded(paddedType.getNumElements(), 0.0f);
    for (int64_t row = 0, rows = data->size() / inner; row < rows; ++row)
      llvm::copy(ArrayRef(*data).slice(row * inner, inner),
                 padded.begin() + row * extent);
    return arith::ConstantOp::create(
        b, loc, paddedType,
        DenseElementsAttr::get(paddedType, ArrayRef(padded)));
  }
  SmallVector<OpFoldResult> low(shape.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(shape.size(), b.getIndexAttr(0));
  high.back() = b.getIndexAttr(extent - inner);
  Value zero = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getZeroAttr(type.getElementType())));
  return tensor::PadOp::create(b, loc, paddedType, value, low, high, zero,
                               /*nofold=*/false);
}

/// The filter of a `paired_columns` convolution (width stride 2, at most 4
/// input channels, a constant f32 filter: a network's stem) in its paired
/// form, HWCF [KH, ceil(KW/2), 2C, F] with
/// w'[kh][k][p*C + c][f] = w[f][c][kh][2k + p] (0 past KW).
static std::optional<SmallVector<float>> pairColumnsFilter(Conv2DOp op,
                                                           Value filter) {
  ArrayRef<int64_t> fchw = op.getFilter().getType().getShape();
  std::optional<SmallVector<float>> data = getF32ConstantData(filter);
  if (!data)
    return std::nullopt;
  int64_t f = fchw[0], c = fchw[1], kh = fchw[2], kw = fchw[3];
  int64_t pairs = (kw + 1) / 2;
  SmallVector<float> paired(kh * pairs * 2 * c * f, 0.0f);
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t hi = 0; hi < kh; ++hi)
        for (int64_t wi = 0; wi < kw; ++wi) {
          int64_t k = wi / 2, parity = wi % 2;
          paired[((hi * pairs + k) * 2 * c + parity * c + ci) * f + fi] =
              (*data)[((fi * c + ci) * kh + hi) * kw + wi];
        }
  return paired;
}

/// The initial value of a channels-last convolution's accumulator: the bias
/// broadcast over pixels plus the residual, so that the convolution adds
/// its products to them and no separate pass over the output is needed.
/// The bias indexes the accumulator's innermost dimensions (the channels:
/// [F] of NHWC, or [G, F/G] of a grouped NHWGF accumulator).
static Value createAccumulatorInit(OpBuilder &b, Location loc,
                                   RankedTensorType type, Value bias,
                                   Value residual) {
  if (!bias && !residual)
    return createZeroTensor(b, loc, type);
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  if (bias) {
    inputs.push_back(bias);
    int64_t biasRank = cast<RankedTensorType>(bias.getType()).getRank();
    maps.push_back(identity.getSliceMap(rank - biasRank, biasRank));
  }
  if (residual) {
    inputs.push_back(residual);
    maps.push_back(identity);
  }
  maps.push_back(identity);
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{empty}, maps,
             parallelIterators(rank),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value sum = args[0];
               if (args.size() == 3)
                 sum = arith::AddFOp::create(nb, nloc, sum, args[1]);
               linalg::YieldOp::create(nb, nloc, sum);
             })
      .getResult(0);
}

/// The activation `op` applies last (ReLU or its `#cnn.activation`), as its
/// own elementwise op over `input`: the kernel's root, which the tiling
/// pass fuses with the convolution tile that produces its input. Returns
/// null if `op` has no activation.
static Value createConvActivation(OpBuilder &b, Location loc, Conv2DOp op,
                                  Value input) {
  if (!op.hasActivation())
    return Value();
  return createElementwise(
      b, loc, input, [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return buildConvActivation(nb, l, op, args[0]);
      });
}

//===----------------------------------------------------------------------===//
// Convolution and fully connected layers
//===----------------------------------------------------------------------===//

/// `filter` (HWCF [KH, KW, C, F]) times `scale` (NCHW [N, C, 1, 1]) per
/// image and input channel: [N, KH, KW, C, F], filter[n][kh][kw][c][f] =
/// filter[kh][kw][c][f] * scale[n][c]. Built as a 4-D elementwise op over
/// [N, KH * KW, C, F], which the tiler vectorizes along F.
static Value scaleFilterPerImage(OpBuilder &b, Location loc, Value filter,
                                 Value scale) {
  auto filterType = cast<RankedTensorType>(filter.getType());
  ArrayRef<int64_t> hwcf = filterType.getShape();
  int64_t n = cast<RankedTensorType>(scale.getType()).getDimSize(0);
  Type elementType = filterType.getElementType();
  Value taps = tensor::CollapseShapeOp::create(
      b, loc, filter, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
  Value gates = tensor::CollapseShapeOp::create(
      b, loc, scale, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  MLIRContext *ctx = b.getContext();
  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {d1, d2, d3}, ctx),
                                 AffineMap::get(4, 0, {d0, d2}, ctx),
                                 AffineMap::getMultiDimIdentityMap(4, ctx)};
  SmallVector<int64_t> shape = {n, hwcf[0] * hwcf[1], hwcf[2], hwcf[3]};
  Value empty = tensor::EmptyOp::create(b, loc, shape, elementType);
  Value scaled =
      linalg::GenericOp::create(
          b, loc, TypeRange{empty.getType()}, ValueRange{taps, gates},
          ValueRange{empty}, maps, parallelIterators(4),
          [](OpBuilder &nb, Location nloc, ValueRange args) {
            Value product = arith::MulFOp::create(nb, nloc, args[0], args[1]);
            linalg::YieldOp::create(nb, nloc, product);
          })
          .getResult(0);
  return tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({n, hwcf[0], hwcf[1], hwcf[2], hwcf[3]},
                            elementType),
      scaled, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}

namespace {
static Value createBroadcastElementwise(
    OpBuilder &b, Location loc, ValueRange inputs, RankedTensorType type,
    bool channelsLast,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// Patterns whose lowering has a channels-last and a channels-first form.
template <typename SourceOp>
struct LayoutAwareLowering : OpConversionPattern<SourceOp> {
  LayoutAwareLowering(MLIRContext *ctx, bool channelsLast)
      : OpConversionPattern<SourceOp>(ctx), channelsLast(channelsLast) {}

protected:
  bool channelsLast;
};

struct Conv2DLowering final : LayoutAwareLowering<Conv2DOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (channelsLast && op.getGroups() == 1)
      return lowerChannelsLast(op, adaptor, rewriter);
    // Without the channels-last kernel, an input scale is the product it
    // stands for.
    Value scaledInput = adaptor.getInput();
    if (Value scale = adaptor.getInputScale())
      scaledInput = createBroadcastElementwise(
          rewriter, op.getLoc(), ValueRange{adaptor.getInput(), scale},
          op.getInput().getType(), channelsLast,
          [](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return arith::MulFOp::create(b, loc, args[0], args[1]);
          });
    // A grouped convolution with a kernel: depthwise, or the groups'
    // convolutions side by side, both in NHWC vector form.
    if (channelsLast && getKernel(op)) {
      std::optional<SmallVector<float>> filter =
          getF32ConstantData(adaptor.getFilter());
      if (!filter)
        return rewriter.notifyMatchFailure(op, "a grouped kernel needs a "
                                               "constant f32 filter");
      if (op.isDepthwise())
        return lowerDepthwise(op, adaptor, *filter, rewriter);
      return lowerGrouped(op, adaptor, *filter, rewriter);
    }
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    Value input = padSpatial(rewriter, loc, scaledInput, op.getPadding(),
                             rewriter.getZeroAttr(elementType));
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    int64_t groups = op.getGroups();
    Value conv;
    if (groups == 1) {
      Value init = createZeroTensor(rewriter, loc, resultType);
      conv = linalg::Conv2DNchwFchwOp::create(
                 rewriter, loc, TypeRange{resultType},
                 ValueRange{input, adaptor.getFilter()}, ValueRange{init},
                 strides, dilations)
                 .getResult(0);
    } else {
      // Split channels into (groups, channels per group) on every operand.
      auto inputType = cast<RankedTensorType>(input.getType());
      ArrayRef<int64_t> in = inputType.getShape();
      ArrayRef<int64_t> filter = op.getFilter().getType().getShape();
      ArrayRef<int64_t> out = resultType.getShape();
      auto groupedInputType = RankedTensorType::get(
          {in[0], groups, in[1] / groups, in[2], in[3]}, elementType);
      auto groupedFilterType = RankedTensorType::get(
          {groups, filter[0] / groups, filter[1], filter[2], filter[3]},
          elementType);
      auto groupedResultType = RankedTensorType::get(
          {out[0], groups, out[1] / groups, out[2], out[3]}, elementType);
      SmallVector<ReassociationIndices> channelSplit = {{0}, {1, 2}, {3}, {4}};
      SmallVector<ReassociationIndices> outputSplit = {{0, 1}, {2}, {3}, {4}};
      Value groupedInput = tensor::ExpandShapeOp::create(
          rewriter, loc, groupedInputType, input, channelSplit);
      Value groupedFilter = tensor::ExpandShapeOp::create(
          rewriter, loc, groupedFilterType, adaptor.getFilter(), outputSplit);
      Value init = createZeroTensor(rewriter, loc, groupedResultType);
      Value groupedConv = linalg::Conv2DNgchwGfchwOp::create(
                              rewriter, loc, TypeRange{groupedResultType},
                              ValueRange{groupedInput, groupedFilter},
                              ValueRange{init}, strides, dilations)
                              .getResult(0);
      conv = tensor::CollapseShapeOp::create(rewriter, loc, resultType,
                                             groupedConv, channelSplit);
    }
    auto activation = [&](OpBuilder &b, Location l, Value x) {
      return buildConvActivation(b, l, op, x);
    };
    rewriter.replaceOp(op, applyEpilogue(rewriter, loc, conv, adaptor.getBias(),
                                         adaptor.getResidual(),
                                         op.hasActivation()
                                             ? ActivationFn(activation)
                                             : ActivationFn()));
    return success();
  }

private:
  /// A depthwise convolution in NHWC: linalg.depthwise_conv_2d_nhwc_hwc on
  /// the padded input with the constant filter as [KH, KW, C], the
  /// accumulator starting as bias + residual, the ReLU after it; the
  /// kernel decision goes onto the root as for other convolutions.
  LogicalResult lowerDepthwise(Conv2DOp op, OpAdaptor adaptor,
                               ArrayRef<float> data,
                               ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    ArrayRef<int64_t> out = op.getType().getShape();
    Type elementType = op.getType().getElementType();
    auto resultType =
        RankedTensorType::get({out[0], out[2], out[3], out[1]}, elementType);
    Value input = transpose(rewriter, loc, adaptor.getInput(), kToChannelsLast);
    input = padSpatial(rewriter, loc, input, op.getPadding(),
                       rewriter.getZeroAttr(elementType), {0, 0},
                       /*heightDim=*/1);
    ArrayRef<int64_t> fchw = op.getFilter().getType().getShape();
    int64_t c = fchw[0], kh = fchw[2], kw = fchw[3];
    SmallVector<float> hwc(data.size());
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t hi = 0; hi < kh; ++hi)
        for (int64_t wi = 0; wi < kw; ++wi)
          hwc[(hi * kw + wi) * c + ci] = data[(ci * kh + hi) * kw + wi];
    auto filterType = RankedTensorType::get({kh, kw, c}, elementType);
    Value filter = arith::ConstantOp::create(
        rewriter, loc, filterType,
        DenseElementsAttr::getFromRawBuffer(
            filterType,
            ArrayRef<char>(reinterpret_cast<const char *>(hwc.data()),
                           hwc.size() * sizeof(float))));
    Value residual = adaptor.getResidual();
    if (residual)
      residual = transpose(rewriter, loc, residual, kToChannelsLast);
    Value init = createAccumulatorInit(rewriter, loc, resultType,
                                       adaptor.getBias(), residual);
    auto convOp = linalg::DepthwiseConv2DNhwcHwcOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{input, filter},
        ValueRange{init}, rewriter.getI64TensorAttr(op.getStrides()),
        rewriter.getI64TensorAttr(op.getDilations()));
    Value conv = convOp.getResult(0);
    Operation *root = convOp;
    if (Value activated = createConvActivation(rewriter, loc, op, conv)) {
      conv = activated;
      root = conv.getDefiningOp();
    }
    if (KernelAttr kernel = getKernel(op))
      root->setAttr(KernelAttr::kAttrName, kernel);
    rewriter.replaceOp(op, transpose(rewriter, loc, conv, kToChannelsFirst));
    return success();
  }

  /// A grouped convolution in NHWC: the channels split into (groups,
  /// channels per group) on the padded input [N, H, W, G, C/G], the
  /// accumulator [N, OH, OW, G, F/G] (starting as bias + residual) and the
  /// ReLU; the constant filter as [G, KH, KW, C/G, F/G], so that one
  /// group's filter is an HWCF filter whose output channels are
  /// contiguous. The kernel decision goes onto the root as for other
  /// convolutions.
  LogicalResult lowerGrouped(Conv2DOp op, OpAdaptor adaptor,
                             ArrayRef<float> data,
                             ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    ArrayRef<int64_t> out = op.getType().getShape();
    Type elementType = op.getType().getElementType();
    ArrayRef<int64_t> fchw = op.getFilter().getType().getShape();
    KernelAttr kernel = getKernel(op);
    int64_t groups = op.getGroups(), f = fchw[0], c = fchw[1], kh = fchw[2],
            kw = fchw[3], groupOutputs = f / groups;
    // Groups per register block: more than one when the kernel's block
    // spans whole groups (`channels` a multiple of the group's outputs).
    int64_t spanned = std::max<int64_t>(1, kernel.getChannels() / groupOutputs);
    int64_t blocks = groups / spanned;
    auto resultType =
        RankedTensorType::get({out[0], out[2], out[3], f}, elementType);
    // The channel dimension as (groups, outputs) or (blocks, spanned,
    // outputs).
    SmallVector<int64_t> groupShape = {groups};
    if (spanned > 1)
      groupShape = {blocks, spanned};
    auto splitShape = [&](ArrayRef<int64_t> leading, int64_t channels) {
      SmallVector<int64_t> shape(leading);
      llvm::append_range(shape, groupShape);
      shape.push_back(channels);
      return shape;
    };
    auto groupedType = RankedTensorType::get(
        splitShape({out[0], out[2], out[3]}, groupOutputs), elementType);
    ReassociationIndices channelDims = {3, 4};
    if (spanned > 1)
      channelDims.push_back(5);
    SmallVector<ReassociationIndices> splitChannels = {
        {0}, {1}, {2}, channelDims};

    Value input = transpose(rewriter, loc, adaptor.getInput(), kToChannelsLast);
    input = padSpatial(rewriter, loc, input, op.getPadding(),
                       rewriter.getZeroAttr(elementType), {0, 0},
                       /*heightDim=*/1);
    ArrayRef<int64_t> padded =
        cast<RankedTensorType>(input.getType()).getShape();
    input = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(
            splitShape({padded[0], padded[1], padded[2]}, padded[3] / groups),
            elementType),
        input, splitChannels);

    // w'[b][h][w][c][s][k] = w[(b * spanned + s) * F/G + k][c][h][w]; with
    // one group per block, [G][KH][KW][C/G][F/G].
    SmallVector<float> grouped(data.size());
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t k = 0; k < groupOutputs; ++k)
        for (int64_t ci = 0; ci < c; ++ci)
          for (int64_t hi = 0; hi < kh; ++hi)
            for (int64_t wi = 0; wi < kw; ++wi) {
              int64_t block = g / spanned, s = g % spanned;
              grouped[((((block * kh + hi) * kw + wi) * c + ci) * spanned + s) *
                          groupOutputs +
                      k] =
                  data[(((g * groupOutputs + k) * c + ci) * kh + hi) * kw + wi];
            }
    SmallVector<int64_t> filterShape = {blocks, kh, kw, c};
    if (spanned > 1)
      filterShape.push_back(spanned);
    filterShape.push_back(groupOutputs);
    auto filterType = RankedTensorType::get(filterShape, elementType);
    Value filter = arith::ConstantOp::create(
        rewriter, loc, filterType,
        DenseElementsAttr::get(filterType, ArrayRef(grouped)));

    Value bias = adaptor.getBias();
    if (bias) {
      ReassociationIndices all = {0, 1};
      if (spanned > 1)
        all.push_back(2);
      bias = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(splitShape({}, groupOutputs), elementType),
          bias, SmallVector<ReassociationIndices>{all});
    }
    Value residual = adaptor.getResidual();
    if (residual)
      residual = tensor::ExpandShapeOp::create(
          rewriter, loc, groupedType,
          transpose(rewriter, loc, residual, kToChannelsLast), splitChannels);
    Value init =
        createAccumulatorInit(rewriter, loc, groupedType, bias, residual);
    linalg::GenericOp convOp = createGroupedConvolution(
        rewriter, loc, input, filter, init, op.getStrides(), op.getDilations(),
        /*kernel=*/nullptr, spanned);
    Value conv = convOp.getResult(0);
    Operation *root = convOp;
    if (Value activated = createConvActivation(rewriter, loc, op, conv)) {
      conv = activated;
      root = conv.getDefiningOp();
    }
    root->setAttr(KernelAttr::kAttrName, kernel);
    conv = tensor::CollapseShapeOp::create(rewriter, loc, resultType, conv,
                                           splitChannels);
    rewriter.replaceOp(op, transpose(rewriter, loc, conv, kToChannelsFirst));
    return success();
  }

  LogicalResult lowerChannelsLast(Conv2DOp op, OpAdaptor adaptor,
                                  ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    ArrayRef<int64_t> out = op.getType().getShape();
    auto resultType = RankedTensorType::get({out[0], out[2], out[3], out[1]},
                                            op.getType().getElementType());
    KernelAttr kernel = getKernel(op);
    Value input = transpose(rewriter, loc, adaptor.getInput(), kToChannelsLast);
    Value residual = adaptor.getResidual();
    if (residual)
      residual = transpose(rewriter, loc, residual, kToChannelsLast);
    Value inputScale = adaptor.getInputScale();
    if (inputScale && kernel &&
        (kernel.getAlgorithm() != KernelAlgorithm::Direct ||
         kernel.packsFilter()))
      return rewriter.notifyMatchFailure(op, "an input scale needs a direct "
                                             "kernel without pack_filter");
    if (kernel && kernel.isWinograd()) {
      std::optional<SmallVector<float>> data =
          getF32ConstantData(adaptor.getFilter());
      if (!data)
        return rewriter.notifyMatchFailure(op, "winograd needs a constant "
                                               "f32 filter");
      input = padSpatial(rewriter, loc, input, op.getPadding(),
                         rewriter.getZeroAttr(resultType.getElementType()),
                         {0, 0}, /*heightDim=*/1);
      Value result = buildWinogradConvolution(
          rewriter, loc, input,
          permuteToHwcf(*data, op.getFilter().getType().getShape()),
          adaptor.getBias(), residual,
          [&](OpBuilder &b, Location l, Value x) {
            return buildConvActivation(b, l, op, x);
          },
          resultType, kernel);
      rewriter.replaceOp(op,
                         transpose(rewriter, loc, result, kToChannelsFirst));
      return success();
    }
    SmallVector<int64_t> strides(op.getStrides());
    std::optional<SmallVector<float>> pairedFilter;
    if (kernel && kernel.getAlgorithm() == KernelAlgorithm::PairedColumns) {
      pairedFilter = pairColumnsFilter(op, adaptor.getFilter());
      if (!pairedFilter)
        return rewriter.notifyMatchFailure(op, "paired_columns needs a "
                                               "constant f32 filter");
    }
    // Pairing columns needs an even padded width: one more zero column on
    // the right, which no output reads with a nonzero weight.
    int64_t paddedWidth = op.getInput().getType().getDimSize(3) +
                          op.getPadding()[1] + op.getPadding()[3];
    input = padSpatial(rewriter, loc, input, op.getPadding(),
                       rewriter.getZeroAttr(resultType.getElementType()),
                       {0, pairedFilter && paddedWidth % 2 ? 1 : 0},
                       /*heightDim=*/1);
    Value filter;
    if (pairedFilter) {
      // Stride 2 along the width with few input channels: pixels 2w and
      // 2w+1 become one pixel of 2C channels (a free reshape of NHWC), and
      // the convolution runs with stride 1 along the width over ceil(KW/2)
      // columns, each now twice as deep: the kernel's unit-stride form.
      auto paddedType = cast<RankedTensorType>(input.getType());
      ArrayRef<int64_t> p = paddedType.getShape();
      Type elementType = paddedType.getElementType();
      Value flat = tensor::CollapseShapeOp::create(
          rewriter, loc, input,
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
      input = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({p[0], p[1], p[2] / 2, 2 * p[3]}, elementType),
          flat, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
      ArrayRef<int64_t> fchw = op.getFilter().getType().getShape();
      auto pairedType = RankedTensorType::get(
          {fchw[2], (fchw[3] + 1) / 2, 2 * fchw[1], fchw[0]}, elementType);
      filter = arith::ConstantOp::create(
          rewriter, loc, pairedType,
          DenseElementsAttr::getFromRawBuffer(
              pairedType,
              ArrayRef<char>(
                  reinterpret_cast<const char *>(pairedFilter->data()),
                  pairedFilter->size() * sizeof(float))));
      strides[1] = 1;
    } else {
      filter = permuteFilterToHwcf(rewriter, loc, adaptor.getFilter());
    }
    // Output channels padded to whole vectors: zero filter and bias
    // channels, a zero residual, and the extra outputs dropped after the
    // kernel (the NHWC slice is a view of the padded buffer).
    Value bias = adaptor.getBias();
    RankedTensorType kernelType = resultType;
    int64_t padded = kernel ? kernel.getPaddedChannels() : 0;
    if (padded) {
      filter = padLastDimension(rewriter, loc, filter, padded);
      if (bias)
        bias = padLastDimension(rewriter, loc, bias, padded);
      if (residual)
        residual = padLastDimension(rewriter, loc, residual, padded);
      kernelType = RankedTensorType::get({out[0], out[2], out[3], padded},
                                         resultType.getElementType());
    }
    Value init =
        createAccumulatorInit(rewriter, loc, kernelType, bias, residual);
    Operation *convOp;
    if (inputScale) {
      // Each image's filter: the constant times the image's gate.
      filter = scaleFilterPerImage(rewriter, loc, filter, inputScale);
      convOp = createPerImageFilterConvolution(
          rewriter, loc, input, filter, init, strides, op.getDilations());
    } else {
      convOp = linalg::Conv2DNhwcHwcfOp::create(
          rewriter, loc, TypeRange{kernelType}, ValueRange{input, filter},
          ValueRange{init}, rewriter.getI64TensorAttr(strides),
          rewriter.getI64TensorAttr(op.getDilations()));
    }
    Value conv = convOp->getResult(0);
    // The kernel's root: the ReLU (whose input is the convolution) when
    // there is one, else the convolution. The tiler fuses the convolution
    // and its accumulator's initialization into the root's tiles.
    Operation *root = convOp;
    if (Value activated = createConvActivation(rewriter, loc, op, conv)) {
      conv = activated;
      root = conv.getDefiningOp();
    }
    if (kernel)
      root->setAttr(KernelAttr::kAttrName, kernel);
    // The layer's own channels: a view of the padded buffer.
    if (padded)
      conv = tensor::ExtractSliceOp::create(
          rewriter, loc, resultType, conv, ValueRange(), ValueRange(),
          ValueRange(), SmallVector<int64_t>(4, 0), resultType.getShape(),
          SmallVector<int64_t>(4, 1));
    rewriter.replaceOp(op, transpose(rewriter, loc, conv, kToChannelsFirst));
    return success();
  }
};

struct LinearLowering final : LayoutAwareLowering<LinearOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (channelsLast)
      if (Value packed = lowerPacked(op, adaptor, rewriter)) {
        rewriter.replaceOp(op, packed);
        return success();
      }
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    MLIRContext *ctx = rewriter.getContext();
    // (n, m, k): out[n, m] += x[n, k] * w[m, k]
    AffineExpr n, m, k;
    bindDims(ctx, n, m, k);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {n, k}, ctx),
                                   AffineMap::get(3, 0, {m, k}, ctx),
                                   AffineMap::get(3, 0, {n, m}, ctx)};
    Value init = createZeroTensor(rewriter, loc, resultType);
    Value product =
        linalg::MatmulOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{adaptor.getInput(), adaptor.getWeight()},
            ValueRange{init},
            ArrayRef<NamedAttribute>{rewriter.getNamedAttr(
                "indexing_maps", rewriter.getAffineMapArrayAttr(maps))})
            .getResult(0);
    rewriter.replaceOp(
        op,
        applyEpilogue(rewriter, loc, product, adaptor.getBias(), Value(),
                      op.getRelu() ? ActivationFn(buildRelu) : ActivationFn()));
    return success();
  }

private:
  /// With a `#cnn.kernel` (constant f32 weights [m, k]): the weights packed
  /// at compile time into blocks [m / b, k, b] of b = `task_channels`
  /// output features, so that each block is one contiguous stream, and
  ///   blocks[mb, n, j] = sum_k x[n, k] * packed[mb, k, j]
  /// as a contraction generic carrying the kernel (the tiling pass gives it
  /// the convolution's register kernel), then bias and ReLU over [n, m].
  /// Returns null without a kernel.
  Value lowerPacked(LinearOp op, OpAdaptor adaptor,
                    ConversionPatternRewriter &rewriter) const {
    KernelAttr kernel = getKernel(op);
    if (!kernel)
      return {};
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    std::optional<SmallVector<float>> weights =
        getF32ConstantData(adaptor.getWeight());
    if (!weights)
      return {};
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t n = op.getType().getDimSize(0);
    int64_t m = weightType.getDimSize(0), k = weightType.getDimSize(1);
    int64_t block = kernel.getTaskChannels();
    if (block < 1 || m % block != 0)
      return {};
    int64_t blocks = m / block;
    SmallVector<float> packed(weights->size());
    for (int64_t mb = 0; mb < blocks; ++mb)
      for (int64_t ki = 0; ki < k; ++ki)
        for (int64_t j = 0; j < block; ++j)
          packed[(mb * k + ki) * block + j] =
              (*weights)[(mb * block + j) * k + ki];
    Type elementType = weightType.getElementType();
    auto packedType = RankedTensorType::get({blocks, k, block}, elementType);
    Value packedWeights = arith::ConstantOp::create(
        rewriter, loc, packedType,
        DenseElementsAttr::getFromRawBuffer(
            packedType,
            ArrayRef<char>(reinterpret_cast<const char *>(packed.data()),
                           packed.size() * sizeof(float))));

    // (mb, n, j, k): blocks[mb, n, j] += x[n, k] * packed[mb, k, j]
    AffineExpr mb, ni, j, ki;
    bindDims(ctx, mb, ni, j, ki);
    auto blockedType = RankedTensorType::get({blocks, n, block}, elementType);
    Value init = createZeroTensor(rewriter, loc, blockedType);
    auto product = createBatchedContraction(
        rewriter, loc, adaptor.getInput(), packedWeights, init,
        AffineMap::get(4, 0, {ni, ki}, ctx),
        AffineMap::get(4, 0, {mb, ki, j}, ctx), kernel);
    // [m / b, n, b] -> [n, m / b, b] -> [n, m]
    Value features = transpose(rewriter, loc, product.getResult(0), {1, 0, 2});
    features = tensor::CollapseShapeOp::create(
        rewriter, loc, op.getType(), features,
        SmallVector<ReassociationIndices>{{0}, {1, 2}});
    return applyEpilogue(rewriter, loc, features, adaptor.getBias(), Value(),
                         op.getRelu() ? ActivationFn(buildRelu)
                                      : ActivationFn());
  }
};

//===----------------------------------------------------------------------===//
// Normalization and elementwise ops
//===----------------------------------------------------------------------===//

static SmallVector<int64_t> permuteToChannelsLast(ArrayRef<int64_t> values);
static Value reshape(OpBuilder &b, Location loc, Value value,
                     RankedTensorType type);

/// Inference batch norm as one elementwise generic; rank-4 values in NHWC
/// (channel parameters along the last dimension) with channels-last.
struct BatchNormLowering final : LayoutAwareLowering<BatchNormOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    bool nhwc = channelsLast && rank == 4;
    Value input = adaptor.getInput();
    SmallVector<int64_t> shape = llvm::to_vector(type.getShape());
    if (nhwc) {
      input = transpose(rewriter, loc, input, kToChannelsLast);
      shape = permuteToChannelsLast(shape);
    }
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channel =
        AffineMap::get(rank, 0, rewriter.getAffineDimExpr(nhwc ? 3 : 1));
    Value init =
        tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
    APFloat epsilonValue = op.getEpsilon();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()},
        ValueRange{input, adaptor.getScale(), adaptor.getShift(),
                   adaptor.getMean(), adaptor.getVariance()},
        ValueRange{init},
        SmallVector<AffineMap>{identity, channel, channel, channel, channel,
                               identity},
        parallelIterators(rank),
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          Type elementType = args[0].getType();
          Value epsilon = arith::ConstantOp::create(
              b, nloc,
              b.getFloatAttr(elementType, epsilonValue.convertToDouble()));
          // (x - mean) * (scale / sqrt(variance + epsilon)) + shift
          Value stddev = math::SqrtOp::create(
              b, nloc, arith::AddFOp::create(b, nloc, args[4], epsilon));
          Value factor = arith::DivFOp::create(b, nloc, args[1], stddev);
          Value centered = arith::SubFOp::create(b, nloc, args[0], args[3]);
          Value scaled = arith::MulFOp::create(b, nloc, centered, factor);
          Value result = arith::AddFOp::create(b, nloc, scaled, args[2]);
          linalg::YieldOp::create(b, nloc, result);
        });
    Value result = generic.getResult(0);
    if (nhwc)
      result = transpose(rewriter, loc, result, kToChannelsFirst);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ReluLowering final : LayoutAwareLowering<ReluOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(ReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createBroadcastElementwise(
                rewriter, op.getLoc(), ValueRange{adaptor.getInput()},
                cast<RankedTensorType>(op.getType()), channelsLast,
                [](OpBuilder &b, Location loc, ValueRange args) -> Value {
                  Value zero = arith::ConstantOp::create(
                      b, loc, b.getZeroAttr(args[0].getType()));
                  return arith::MaximumFOp::create(b, loc, args[0], zero);
                }));
    return success();
  }
};

/// Broadcasting elementwise arithmetic: one generic, `ArithOp` in its body.
template <typename SourceOp, typename ArithOp>
struct BinaryLowering final : LayoutAwareLowering<SourceOp> {
  using LayoutAwareLowering<SourceOp>::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createBroadcastElementwise(
                rewriter, op.getLoc(),
                ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                cast<RankedTensorType>(op.getType()), this->channelsLast,
                [](OpBuilder &b, Location loc, ValueRange args) -> Value {
                  return ArithOp::create(b, loc, args[0], args[1]);
                }));
    return success();
  }
};

/// PReLU: x if x > 0, else slope * x, the slope broadcast to x.
struct PReluLowering final : LayoutAwareLowering<PReluOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(PReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createBroadcastElementwise(
                rewriter, op.getLoc(),
                ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                cast<RankedTensorType>(op.getType()), this->channelsLast,
                [](OpBuilder &b, Location loc, ValueRange args) -> Value {
                  Value x = args[0];
                  Value positive = arith::CmpFOp::create(
                      b, loc, arith::CmpFPredicate::OGT, x,
                      floatConstant(b, loc, x.getType(), 0.0));
                  Value scaled = arith::MulFOp::create(b, loc, x, args[1]);
                  return arith::SelectOp::create(b, loc, positive, x, scaled);
                }));
    return success();
  }
};

/// Reduces `input` along `axis` with `combine`, starting from `initValue`.
/// The result keeps every other dimension. `combine` gets the element of
/// `input`, then those of `perRow` (values with extent 1 along the axis,
/// one per reduced row: a mean to centre by), then the accumulator.
static Value reduceAlongAxis(
    OpBuilder &b, Location loc, Value input, int64_t axis, TypedAttr initValue,
    function_ref<Value(OpBuilder &, Location, ValueRange, Value)> combine,
    ValueRange perRow = {}) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> reducedShape;
  SmallVector<AffineExpr> reducedExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t dim = 0; dim < rank; ++dim) {
    if (dim == axis) {
      iterators.push_back(utils::IteratorType::reduction);
      continue;
    }
    iterators.push_back(utils::IteratorType::parallel);
    reducedShape.push_back(type.getDimSize(dim));
    reducedExprs.push_back(b.getAffineDimExpr(dim));
  }
  auto reducedType = RankedTensorType::get(reducedShape, type.getElementType());
  Value init = createFilledTensor(b, loc, reducedType, initValue);
  // Inputs of one value per row: extent 1 along the axis, read at index 0.
  SmallVector<AffineExpr> rowExprs;
  for (int64_t dim = 0; dim < rank; ++dim)
    rowExprs.push_back(dim == axis ? b.getAffineConstantExpr(0)
                                   : b.getAffineDimExpr(dim));
  SmallVector<Value> inputs{input};
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
  for (Value row : perRow) {
    inputs.push_back(row);
    maps.push_back(AffineMap::get(rank, 0, rowExprs, ctx));
  }
  maps.push_back(AffineMap::get(rank, 0, reducedExprs, ctx));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{reducedType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(
            nb, nloc, combine(nb, nloc, args.drop_back(), args.back()));
      });
  return generic.getResult(0);
}

/// The mean of `input` over `axes`, with extent-1 dimensions in their
/// place (keepdims).
static Value reduceMean(OpBuilder &b, Location loc, Value input,
                        ArrayRef<int64_t> axes) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elementType = type.getElementType();
  SmallVector<int64_t> sorted(axes);
  llvm::sort(sorted);
  int64_t count = 1;
  Value sum = input;
  // From the last axis down, so that the earlier axes keep their numbers.
  for (int64_t axis : llvm::reverse(sorted)) {
    count *= type.getDimSize(axis);
    sum = reduceAlongAxis(
        b, loc, sum, axis, b.getZeroAttr(elementType),
        [](OpBuilder &nb, Location nloc, ValueRange x, Value acc) -> Value {
          return arith::AddFOp::create(nb, nloc, x[0], acc);
        });
  }
  SmallVector<int64_t> kept(type.getShape());
  for (int64_t axis : axes)
    kept[axis] = 1;
  auto keptType = RankedTensorType::get(kept, elementType);
  Value mean = reshape(b, loc, sum, keptType);
  Value scale = arith::ConstantOp::create(
      b, loc, FloatAttr::get(elementType, 1.0 / double(count)));
  return createBroadcastElementwise(
      b, loc, ValueRange{mean}, keptType, /*channelsLast=*/false,
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return arith::MulFOp::create(nb, nloc, args[0], scale);
      });
}

struct ReduceMeanLowering final : OpConversionPattern<ReduceMeanOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReduceMeanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reduceMean(rewriter, op.getLoc(), adaptor.getInput(),
                                      op.getAxes()));
    return success();
  }
};

/// The mean over the axis; the variance as the mean of (x - mean)^2, the
/// centred values computed inside that reduction; 1 / sqrt(var + eps) per
/// row; then one elementwise generic: (x - mean) * rstd * scale + bias.
/// Nothing of the input's size is materialized but the output, and the
/// square root and division are computed once per row.
struct LayerNormLowering final : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type elementType = type.getElementType();
    int64_t axis = op.getAxis();
    auto bodyOf = [](auto fn) {
      return [fn](OpBuilder &b, Location l, ValueRange args) -> Value {
        return fn(b, l, args);
      };
    };
    Value mean = reduceMean(rewriter, loc, x, {axis});
    auto keptType = cast<RankedTensorType>(mean.getType());
    Value squares = reduceAlongAxis(
        rewriter, loc, x, axis, rewriter.getZeroAttr(elementType),
        [](OpBuilder &b, Location l, ValueRange args, Value acc) -> Value {
          Value centred = arith::SubFOp::create(b, l, args[0], args[1]);
          return arith::AddFOp::create(
              b, l, acc, arith::MulFOp::create(b, l, centred, centred));
        },
        ValueRange{mean});
    Value inverseCount = arith::ConstantOp::create(
        rewriter, loc,
        FloatAttr::get(elementType, 1.0 / double(type.getDimSize(axis))));
    Value epsilon = arith::ConstantOp::create(
        rewriter, loc,
        FloatAttr::get(elementType, op.getEpsilon().convertToDouble()));
    Value one = arith::ConstantOp::create(rewriter, loc,
                                          FloatAttr::get(elementType, 1));
    Value inverseDeviation = createBroadcastElementwise(
        rewriter, loc, ValueRange{reshape(rewriter, loc, squares, keptType)},
        keptType, /*channelsLast=*/false,
        bodyOf([&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value variance = arith::MulFOp::create(b, l, a[0], inverseCount);
          Value deviation = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, variance, epsilon));
          return arith::DivFOp::create(b, l, one, deviation);
        }));
    // scale and bias along the axis, extent 1 elsewhere.
    SmallVector<int64_t> paramShape(type.getRank(), 1);
    paramShape[axis] = type.getDimSize(axis);
    auto paramType = RankedTensorType::get(paramShape, elementType);
    Value scale = reshape(rewriter, loc, adaptor.getScale(), paramType);
    Value bias = reshape(rewriter, loc, adaptor.getBias(), paramType);
    rewriter.replaceOp(
        op,
        createBroadcastElementwise(
            rewriter, loc, ValueRange{x, mean, inverseDeviation, scale, bias},
            type, /*channelsLast=*/false,
            bodyOf([&](OpBuilder &b, Location l, ValueRange a) -> Value {
              Value centred = arith::SubFOp::create(b, l, a[0], a[1]);
              Value normalized = arith::MulFOp::create(b, l, centred, a[2]);
              return arith::AddFOp::create(
                  b, l, arith::MulFOp::create(b, l, normalized, a[3]), a[4]);
            })));
    return success();
  }
};

struct SoftmaxLowering final : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    int64_t axis = op.getNormalizedAxis();
    MLIRContext *ctx = rewriter.getContext();
    auto elementType = cast<FloatType>(type.getElementType());
    Value input = adaptor.getInput();

    // max along the axis, then exp(x - max), its sum, and the quotient.
    auto lowest = rewriter.getFloatAttr(
        elementType,
        APFloat::getInf(elementType.getFloatSemantics(), /*Negative=*/true));
    Value maximum = reduceAlongAxis(
        rewriter, loc, input, axis, lowest,
        [](OpBuilder &b, Location l, ValueRange x, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, x[0], acc);
        });
    SmallVector<AffineExpr> reducedExprs;
    for (int64_t dim = 0; dim < rank; ++dim)
      if (dim != axis)
        reducedExprs.push_back(rewriter.getAffineDimExpr(dim));
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap reduced = AffineMap::get(rank, 0, reducedExprs, ctx);
    auto broadcastGeneric =
        [&](Value full, Value perRow,
            function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
          Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                               elementType);
          return linalg::GenericOp::create(
                     rewriter, loc, TypeRange{type}, ValueRange{full, perRow},
                     ValueRange{init},
                     SmallVector<AffineMap>{identity, reduced, identity},
                     parallelIterators(rank),
                     [&](OpBuilder &b, Location l, ValueRange args) {
                       linalg::YieldOp::create(b, l,
                                               body(b, l, args[0], args[1]));
                     })
              .getResult(0);
        };
    Value exponentials = broadcastGeneric(
        input, maximum, [](OpBuilder &b, Location l, Value x, Value m) {
          return math::ExpOp::create(b, l, arith::SubFOp::create(b, l, x, m))
              .getResult();
        });
    Value sum = reduceAlongAxis(
        rewriter, loc, exponentials, axis, rewriter.getZeroAttr(elementType),
        [](OpBuilder &b, Location l, ValueRange x, Value acc) -> Value {
          return arith::AddFOp::create(b, l, x[0], acc);
        });
    if (op.getLog()) {
      // x - max - log(sum): the shifted input, then the log of the sum.
      Value shifted = broadcastGeneric(
          input, maximum, [](OpBuilder &b, Location l, Value x, Value m) {
            return arith::SubFOp::create(b, l, x, m).getResult();
          });
      rewriter.replaceOp(
          op, broadcastGeneric(
                  shifted, sum, [](OpBuilder &b, Location l, Value d, Value s) {
                    return arith::SubFOp::create(b, l, d,
                                                 math::LogOp::create(b, l, s))
                        .getResult();
                  }));
      return success();
    }
    rewriter.replaceOp(
        op,
        broadcastGeneric(exponentials, sum,
                         [](OpBuilder &b, Location l, Value e, Value s) {
                           return arith::DivFOp::create(b, l, e, s).getResult();
                         }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling and reshaping
//===----------------------------------------------------------------------===//

/// Bottom/right padding that ceil_mode adds so every output window fits.
template <typename PoolOp>
static SmallVector<int64_t> ceilModeExtraPadding(PoolOp op) {
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  ArrayRef<int64_t> out = op.getType().getShape();
  SmallVector<int64_t> extra;
  for (int dim = 0; dim < 2; ++dim) {
    int64_t needed =
        (out[2 + dim] - 1) * op.getStrides()[dim] + op.getKernel()[dim];
    int64_t available =
        in[2 + dim] + op.getPadding()[dim] + op.getPadding()[dim + 2];
    extra.push_back(std::max<int64_t>(0, needed - available));
  }
  return extra;
}

/// The pooling of `input` (NCHW, or NHWC when `channelsLast`) by
/// `LinalgPoolOp`, in the same layout as the input.
template <typename PoolOp, typename LinalgPoolOp>
static Value createPooling(ConversionPatternRewriter &rewriter, PoolOp op,
                           Value input, TypedAttr padValue, bool channelsLast) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  if (channelsLast) {
    ArrayRef<int64_t> out = resultType.getShape();
    resultType = RankedTensorType::get({out[0], out[2], out[3], out[1]},
                                       resultType.getElementType());
  }
  Value padded =
      padSpatial(rewriter, loc, input, op.getPadding(), padValue,
                 ceilModeExtraPadding(op), /*heightDim=*/channelsLast ? 1 : 2);
  Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernel(),
                                         resultType.getElementType());
  Value init = createFilledTensor(rewriter, loc, resultType, padValue);
  auto pool = LinalgPoolOp::create(rewriter, loc, TypeRange{resultType},
                                   ValueRange{padded, window}, ValueRange{init},
                                   rewriter.getI64TensorAttr(op.getStrides()),
                                   rewriter.getI64TensorAttr({1, 1}));
  if (KernelAttr kernel = getKernel(op); kernel && channelsLast)
    pool->setAttr(KernelAttr::kAttrName, kernel);
  return pool.getResult(0);
}

struct MaxPool2DLowering final : LayoutAwareLowering<MaxPool2DOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto elementType = cast<FloatType>(op.getType().getElementType());
    auto negativeInfinity = rewriter.getFloatAttr(
        elementType,
        APFloat::getInf(elementType.getFloatSemantics(), /*Negative=*/true));
    if (!channelsLast) {
      rewriter.replaceOp(op,
                         createPooling<MaxPool2DOp, linalg::PoolingNchwMaxOp>(
                             rewriter, op, adaptor.getInput(), negativeInfinity,
                             /*channelsLast=*/false));
      return success();
    }
    Value input = transpose(rewriter, loc, adaptor.getInput(), kToChannelsLast);
    Value pooled = createPooling<MaxPool2DOp, linalg::PoolingNhwcMaxOp>(
        rewriter, op, input, negativeInfinity, /*channelsLast=*/true);
    rewriter.replaceOp(op, transpose(rewriter, loc, pooled, kToChannelsFirst));
    return success();
  }
};

struct AvgPool2DLowering final : LayoutAwareLowering<AvgPool2DOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type elementType = op.getType().getElementType();
    Value sum;
    if (channelsLast) {
      Value input =
          transpose(rewriter, loc, adaptor.getInput(), kToChannelsLast);
      sum = createPooling<AvgPool2DOp, linalg::PoolingNhwcSumOp>(
          rewriter, op, input, rewriter.getZeroAttr(elementType),
          /*channelsLast=*/true);
    } else {
      sum = createPooling<AvgPool2DOp, linalg::PoolingNchwSumOp>(
          rewriter, op, adaptor.getInput(), rewriter.getZeroAttr(elementType),
          /*channelsLast=*/false);
    }
    auto resultType = cast<RankedTensorType>(sum.getType());

    // The divisor of each output position, known at compile time: the
    // window clipped to the padded input (count_include_pad) or the input.
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    ArrayRef<int64_t> out = op.getType().getShape();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding();
    auto windowCounts = [&](int dim) {
      SmallVector<int64_t> counts;
      for (int64_t o = 0; o < out[2 + dim]; ++o) {
        int64_t start = o * strides[dim] - padding[dim];
        int64_t end =
            std::min(start + kernel[dim], in[2 + dim] + padding[dim + 2]);
        if (!op.getCountIncludePad()) {
          start = std::max<int64_t>(start, 0);
          end = std::min(end, in[2 + dim]);
        }
        counts.push_back(end - start);
      }
      return counts;
    };
    SmallVector<int64_t> rows = windowCounts(0), cols = windowCounts(1);
    SmallVector<APFloat> divisors;
    const llvm::fltSemantics &semantics =
        cast<FloatType>(elementType).getFloatSemantics();
    for (int64_t r : rows)
      for (int64_t c : cols) {
        APFloat value(static_cast<double>(r * c));
        bool losesInfo;
        value.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
        divisors.push_back(value);
      }
    auto divisorType = RankedTensorType::get({out[2], out[3]}, elementType);
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisors));

    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    int64_t heightDim = channelsLast ? 1 : 2;
    AffineMap spatial =
        AffineMap::get(4, 0,
                       {rewriter.getAffineDimExpr(heightDim),
                        rewriter.getAffineDimExpr(heightDim + 1)},
                       ctx);
    Value average =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{divisor},
            ValueRange{sum}, SmallVector<AffineMap>{spatial, identity},
            parallelIterators(4),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l,
                  arith::DivFOp::create(b, l, args[1], args[0]).getResult());
            })
            .getResult(0);
    if (channelsLast)
      average = transpose(rewriter, loc, average, kToChannelsFirst);
    rewriter.replaceOp(op, average);
    return success();
  }
};

/// The body of a sum's generic: the input added to the accumulator.
static void buildSum(OpBuilder &b, Location loc, ValueRange args) {
  linalg::YieldOp::create(
      b, loc, arith::AddFOp::create(b, loc, args[0], args[1]).getResult());
}

struct GlobalAvgPoolLowering final : LayoutAwareLowering<GlobalAvgPoolOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    double count = static_cast<double>(in[2] * in[3]);
    auto divide = [&](OpBuilder &b, Location l, ValueRange args) -> Value {
      Value divisor =
          arith::ConstantOp::create(b, l, b.getFloatAttr(elementType, count));
      return arith::DivFOp::create(b, l, args[0], divisor);
    };
    // In NHWC: a sum pooling whose window is the whole image, read where
    // the producer wrote it (no layout change), vectorized over channels
    // by its kernel.
    KernelAttr kernel = getKernel(op);
    if (channelsLast && kernel) {
      Value input =
          transpose(rewriter, loc, adaptor.getInput(), kToChannelsLast);
      SmallVector<int64_t> window = {in[2], in[3]};
      // Summed in the producer's register blocks (in_producer): each row's
      // sum [N, H, 1, C], a reduction over the width that the depthwise
      // producer's kernel takes in (cnn-tile-convolutions; it carries this
      // kernel to be found), then a sum pooling of the rows' sums.
      if (kernel.getInProducer()) {
        MLIRContext *ctx = rewriter.getContext();
        // Loops (n, h, w, c): the width reduced, channels innermost, so
        // that a vector of pixels adds up along its rows.
        AffineExpr n, h, w, c;
        bindDims(ctx, n, h, w, c);
        auto rowsType =
            RankedTensorType::get({in[0], in[2], 1, in[1]}, elementType);
        auto rows = linalg::GenericOp::create(
            rewriter, loc, TypeRange{rowsType}, ValueRange{input},
            ValueRange{createZeroTensor(rewriter, loc, rowsType)},
            SmallVector<AffineMap>{
                AffineMap::get(4, 0, {n, h, w, c}, ctx),
                AffineMap::get(
                    4, 0, {n, h, rewriter.getAffineConstantExpr(0), c}, ctx)},
            SmallVector<utils::IteratorType>{
                utils::IteratorType::parallel, utils::IteratorType::parallel,
                utils::IteratorType::reduction, utils::IteratorType::parallel},
            buildSum);
        rows->setAttr(KernelAttr::kAttrName, kernel);
        input = rows.getResult(0);
        window = {in[2], 1};
      }
      auto sumType = RankedTensorType::get({in[0], 1, 1, in[1]}, elementType);
      Value windowTensor =
          tensor::EmptyOp::create(rewriter, loc, window, elementType);
      Value init = createFilledTensor(rewriter, loc, sumType,
                                      rewriter.getZeroAttr(elementType));
      auto pool = linalg::PoolingNhwcSumOp::create(
          rewriter, loc, TypeRange{sumType}, ValueRange{input, windowTensor},
          ValueRange{init}, rewriter.getI64TensorAttr({1, 1}),
          rewriter.getI64TensorAttr({1, 1}));
      pool->setAttr(KernelAttr::kAttrName, kernel);
      Value average =
          createElementwise(rewriter, loc, pool.getResult(0), divide);
      rewriter.replaceOp(op,
                         transpose(rewriter, loc, average, kToChannelsFirst));
      return success();
    }
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, c, h, w;
    bindDims(ctx, n, c, h, w);
    AffineExpr zero = rewriter.getAffineConstantExpr(0);
    Value init = createZeroTensor(rewriter, loc, resultType);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{adaptor.getInput()}, ValueRange{init},
            SmallVector<AffineMap>{
                AffineMap::getMultiDimIdentityMap(4, ctx),
                AffineMap::get(4, 0, {n, c, zero, zero}, ctx)},
            SmallVector<utils::IteratorType>{
                utils::IteratorType::parallel, utils::IteratorType::parallel,
                utils::IteratorType::reduction, utils::IteratorType::reduction},
            buildSum)
            .getResult(0);
    rewriter.replaceOp(op, createElementwise(rewriter, loc, sum, divide));
    return success();
  }
};

struct FlattenLowering final : OpConversionPattern<FlattenOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    RankedTensorType resultType = op.getType();
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    Value input = adaptor.getInput();
    if (axis > 0 && axis < rank) {
      ReassociationIndices outer, inner;
      for (int64_t dim = 0; dim < rank; ++dim)
        (dim < axis ? outer : inner).push_back(dim);
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
          op, resultType, input,
          SmallVector<ReassociationIndices>{outer, inner});
      return success();
    }
    // A unit dimension appears on one side.
    rewriter.replaceOp(op, reshape(rewriter, loc, input, resultType));
    return success();
  }
};

/// The row-major reinterpretation of a static `value` as `type` (same
/// element count): collapse to 1-D, then expand; both are views after
/// bufferization.
static Value reshape(OpBuilder &b, Location loc, Value value,
                     RankedTensorType type) {
  auto inputType = cast<RankedTensorType>(value.getType());
  auto allDims = [](int64_t rank) {
    ReassociationIndices all;
    for (int64_t dim = 0; dim < rank; ++dim)
      all.push_back(dim);
    return SmallVector<ReassociationIndices>{all};
  };
  if (inputType.getRank() > 1)
    value = tensor::CollapseShapeOp::create(
        b, loc,
        RankedTensorType::get({inputType.getNumElements()},
                              inputType.getElementType()),
        value, allDims(inputType.getRank()));
  if (type.getRank() > 1)
    value = tensor::ExpandShapeOp::create(b, loc, type, value,
                                          allDims(type.getRank()));
  return value;
}

struct ReshapeLowering final : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshape(rewriter, op.getLoc(), adaptor.getInput(),
                                   cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering final : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, transpose(rewriter, op.getLoc(), adaptor.getInput(), op.getPerm()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Slice and pad
//===----------------------------------------------------------------------===//

/// `values` (one per NCHW dimension) in NHWC order.
static SmallVector<int64_t> permuteToChannelsLast(ArrayRef<int64_t> values) {
  SmallVector<int64_t> permuted;
  for (int64_t dim : kToChannelsLast)
    permuted.push_back(values[dim]);
  return permuted;
}

/// Slices and pads move data only: in channels-last form, a 4-D one runs
/// in NHWC between transposes that cancel with its neighbours'.
template <typename SourceOp>
struct DataMovementLowering : LayoutAwareLowering<SourceOp> {
  using LayoutAwareLowering<SourceOp>::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    bool nhwc = this->channelsLast && op.getType().getRank() == 4;
    if (nhwc)
      input = transpose(rewriter, loc, input, kToChannelsLast);
    Value result = lower(rewriter, op, input, nhwc);
    if (nhwc)
      result = transpose(rewriter, loc, result, kToChannelsFirst);
    rewriter.replaceOp(op, result);
    return success();
  }

  /// `op` on `input`, whose dimensions are NHWC if `nhwc`.
  virtual Value lower(OpBuilder &b, SourceOp op, Value input,
                      bool nhwc) const = 0;
};

struct SliceLowering final : DataMovementLowering<SliceOp> {
  using DataMovementLowering::DataMovementLowering;

  Value lower(OpBuilder &b, SliceOp op, Value input, bool nhwc) const override {
    auto layout = [&](ArrayRef<int64_t> values) {
      return nhwc ? permuteToChannelsLast(values) : llvm::to_vector(values);
    };
    SmallVector<int64_t> sizes = layout(op.getSizes());
    auto type = RankedTensorType::get(sizes, op.getType().getElementType());
    return tensor::ExtractSliceOp::create(
        b, op.getLoc(), type, input, ValueRange(), ValueRange(), ValueRange(),
        layout(op.getStarts()), sizes, layout(op.getSteps()));
  }
};

/// In NCHW: [N, g, C/g, H, W], swap the group dimensions, [N, C, H, W];
/// in NHWC the same on the trailing channel dimension.
struct ChannelShuffleLowering final : DataMovementLowering<ChannelShuffleOp> {
  using DataMovementLowering::DataMovementLowering;

  Value lower(OpBuilder &b, ChannelShuffleOp op, Value input,
              bool nhwc) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> shape = type.getShape();
    int64_t groups = static_cast<int64_t>(op.getGroups());
    int64_t channelDim = nhwc ? 3 : 1;
    SmallVector<int64_t> grouped(shape.take_front(channelDim));
    grouped.push_back(groups);
    grouped.push_back(shape[channelDim] / groups);
    llvm::append_range(grouped, shape.drop_front(channelDim + 1));
    SmallVector<ReassociationIndices> groups4;
    for (int64_t dim = 0, next = 0; dim < 4; ++dim) {
      if (dim == channelDim) {
        groups4.push_back({next, next + 1});
        next += 2;
      } else {
        groups4.push_back({next++});
      }
    }
    Value expanded = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(grouped, type.getElementType()), input,
        groups4);
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, 5));
    std::swap(perm[channelDim], perm[channelDim + 1]);
    Value swapped = transpose(b, loc, expanded, perm);
    return tensor::CollapseShapeOp::create(b, loc, type, swapped, groups4);
  }
};

/// The channels split into (i, j, c) (DCR) or (c, i, j) (CRD), the block
/// offsets moved next to the rows and columns, collapsed: in NHWC
/// [N, H, W, .., .., ..] -> [N, H, i, W, j, C], in NCHW
/// [N, .., .., .., H, W] -> [N, C, H, i, W, j]. DCR in NHWC moves whole
/// pixels of C contiguous channels.
struct DepthToSpaceLowering final : DataMovementLowering<DepthToSpaceOp> {
  using DataMovementLowering::DataMovementLowering;

  Value lower(OpBuilder &b, DepthToSpaceOp op, Value input,
              bool nhwc) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> shape = type.getShape();
    int64_t block = static_cast<int64_t>(op.getBlock());
    int64_t channels = op.getType().getDimSize(1);
    bool crd = op.getCrd();
    SmallVector<int64_t> split =
        crd ? SmallVector<int64_t>{channels, block, block}
            : SmallVector<int64_t>{block, block, channels};
    SmallVector<int64_t> expanded;
    SmallVector<ReassociationIndices> expand;
    SmallVector<int64_t> perm;
    SmallVector<ReassociationIndices> collapse;
    if (nhwc) {
      expanded = {shape[0], shape[1], shape[2], split[0], split[1], split[2]};
      expand = {{0}, {1}, {2}, {3, 4, 5}};
      perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
                 : SmallVector<int64_t>{0, 1, 3, 2, 4, 5};
      collapse = {{0}, {1, 2}, {3, 4}, {5}};
    } else {
      expanded = {shape[0], split[0], split[1], split[2], shape[2], shape[3]};
      expand = {{0}, {1, 2, 3}, {4}, {5}};
      perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
                 : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
      collapse = {{0}, {1}, {2, 3}, {4, 5}};
    }
    Value blocks = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(expanded, type.getElementType()), input,
        expand);
    Value moved = transpose(b, loc, blocks, perm);
    SmallVector<int64_t> result =
        nhwc ? permuteToChannelsLast(op.getType().getShape())
             : llvm::to_vector(op.getType().getShape());
    return tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get(result, type.getElementType()), moved,
        collapse);
  }
};

/// Where the output pixels of one axis of a resize sample the input: the
/// two neighbours and the weight of the second (0 for nearest), computed in
/// f32 as ONNX Runtime and PyTorch do.
struct ResizeAxis {
  SmallVector<int32_t> first, second;
  SmallVector<float> weight;
};

static ResizeAxis computeResizeAxis(ResizeOp op, unsigned axis) {
  int64_t in = op.getInput().getType().getDimSize(2 + axis);
  int64_t out = op.getType().getDimSize(2 + axis);
  float scale = op.getScale(axis);
  ResizeAxis result;
  for (int64_t x = 0; x < out; ++x) {
    float position = 0.0f;
    switch (op.getCoordinates()) {
    case ResizeCoordinates::HalfPixel:
      position = (float(x) + 0.5f) / scale - 0.5f;
      break;
    case ResizeCoordinates::PytorchHalfPixel:
      position = out > 1 ? (float(x) + 0.5f) / scale - 0.5f : 0.0f;
      break;
    case ResizeCoordinates::AlignCorners:
      position = out > 1 ? float(x) * float(in - 1) / float(out - 1) : 0.0f;
      break;
    case ResizeCoordinates::Asymmetric:
      position = float(x) / scale;
      break;
    }
    auto clampIndex = [&](int64_t i) {
      return static_cast<int32_t>(std::clamp<int64_t>(i, 0, in - 1));
    };
    if (op.getMode() == ResizeMode::Nearest) {
      float rounded = 0.0f;
      switch (op.getNearest()) {
      case NearestRounding::RoundPreferFloor:
        rounded = position == std::floor(position) + 0.5f
                      ? std::floor(position)
                      : std::round(position);
        break;
      case NearestRounding::RoundPreferCeil:
        rounded = std::round(position);
        break;
      case NearestRounding::Floor:
        rounded = std::floor(position);
        break;
      case NearestRounding::Ceil:
        rounded = std::ceil(position);
        break;
      }
      result.first.push_back(clampIndex(static_cast<int64_t>(rounded)));
      result.second.push_back(result.first.back());
      result.weight.push_back(0.0f);
      continue;
    }
    position = std::clamp(position, 0.0f, float(in - 1));
    int64_t low = static_cast<int64_t>(std::floor(position));
    result.first.push_back(clampIndex(low));
    result.second.push_back(clampIndex(low + 1));
    result.weight.push_back(position - float(low));
  }
  return result;
}

/// One generic over the output that reads the input with tensor.extract at
/// positions from constant tables (per output row and column: the two
/// neighbours and the weight of the second), bilinear or nearest.
struct ResizeLowering final : DataMovementLowering<ResizeOp> {
  using DataMovementLowering::DataMovementLowering;

  Value lower(OpBuilder &b, ResizeOp op, Value input,
              bool nhwc) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> shape = nhwc ? permuteToChannelsLast(type.getShape())
                                      : llvm::to_vector(type.getShape());
    unsigned hDim = nhwc ? 1 : 2, wDim = nhwc ? 2 : 3, cDim = nhwc ? 3 : 1;
    bool linear = op.getMode() == ResizeMode::Linear;
    SmallVector<Value> tables;
    SmallVector<AffineMap> maps;
    for (unsigned axis = 0; axis < 2; ++axis) {
      ResizeAxis table = computeResizeAxis(op, axis);
      int64_t size = table.first.size();
      auto indexType = RankedTensorType::get({size}, b.getI32Type());
      auto weightType = RankedTensorType::get({size}, b.getF32Type());
      AffineMap map =
          AffineMap::get(4, 0, getAffineDimExpr(axis ? wDim : hDim, ctx), ctx);
      tables.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(indexType, ArrayRef(table.first))));
      maps.push_back(map);
      if (!linear)
        continue;
      tables.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(indexType, ArrayRef(table.second))));
      tables.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(weightType, ArrayRef(table.weight))));
      maps.push_back(map);
      maps.push_back(map);
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(4, ctx));
    Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
    return linalg::GenericOp::create(
               b, loc, TypeRange{init.getType()}, tables, ValueRange{init},
               maps, parallelIterators(4),
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 auto index = [&](Value i32) {
                   return arith::IndexCastOp::create(nb, nloc,
                                                     nb.getIndexType(), i32);
                 };
                 Value n = linalg::IndexOp::create(nb, nloc, 0);
                 Value c = linalg::IndexOp::create(nb, nloc, cDim);
                 auto read = [&](Value h, Value w) -> Value {
                   SmallVector<Value> at(4);
                   at[0] = n;
                   at[cDim] = c;
                   at[hDim] = index(h);
                   at[wDim] = index(w);
                   return tensor::ExtractOp::create(nb, nloc, input, at);
                 };
                 if (!linear) {
                   linalg::YieldOp::create(nb, nloc, read(args[0], args[1]));
                   return;
                 }
                 // PyTorch's order: (1 - lh) * ((1 - lw) * a + lw * b) +
                 // lh * ((1 - lw) * c + lw * d).
                 Value h0 = args[0], h1 = args[1], lh = args[2];
                 Value w0 = args[3], w1 = args[4], lw = args[5];
                 Value one = arith::ConstantOp::create(
                     nb, nloc, nb.getF32FloatAttr(1.0f));
                 auto blend = [&](Value x, Value y, Value l) -> Value {
                   Value keep = arith::SubFOp::create(nb, nloc, one, l);
                   return arith::AddFOp::create(
                       nb, nloc, arith::MulFOp::create(nb, nloc, keep, x),
                       arith::MulFOp::create(nb, nloc, l, y));
                 };
                 Value top = blend(read(h0, w0), read(h0, w1), lw);
                 Value bottom = blend(read(h1, w0), read(h1, w1), lw);
                 linalg::YieldOp::create(nb, nloc, blend(top, bottom, lh));
               })
        .getResult(0);
  }
};

struct PadLowering final : DataMovementLowering<PadOp> {
  using DataMovementLowering::DataMovementLowering;

  Value lower(OpBuilder &b, PadOp op, Value input, bool nhwc) const override {
    auto layout = [&](ArrayRef<int64_t> values) {
      return nhwc ? permuteToChannelsLast(values) : llvm::to_vector(values);
    };
    SmallVector<int64_t> shape = layout(op.getType().getShape());
    auto type = RankedTensorType::get(shape, op.getType().getElementType());
    Value value = arith::ConstantOp::create(
        b, op.getLoc(),
        FloatAttr::get(type.getElementType(), op.getValue().convertToDouble()));
    return tensor::PadOp::create(
        b, op.getLoc(), type, input,
        getAsIndexOpFoldResult(b.getContext(), layout(op.getLow())),
        getAsIndexOpFoldResult(b.getContext(), layout(op.getHigh())), value);
  }
};

//===----------------------------------------------------------------------===//
// Activations, broadcast product, concatenation
//===----------------------------------------------------------------------===//

/// An elementwise linalg.generic over `inputs` of `type`'s rank, an input
/// dimension of extent 1 broadcasting; with `channelsLast`, rank-4 values
/// are computed in NHWC between transposes that cancel with the
/// neighbouring layers' (the op is layout-agnostic).
static Value createBroadcastElementwise(
    OpBuilder &b, Location loc, ValueRange inputs, RankedTensorType type,
    bool channelsLast,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  bool nhwc = channelsLast && type.getRank() == 4;
  SmallVector<int64_t> shape = nhwc ? permuteToChannelsLast(type.getShape())
                                    : llvm::to_vector(type.getShape());
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    Value operand = nhwc ? transpose(b, loc, input, kToChannelsLast) : input;
    ArrayRef<int64_t> operandShape =
        cast<RankedTensorType>(operand.getType()).getShape();
    SmallVector<AffineExpr> exprs;
    for (auto [dim, extent] : llvm::enumerate(operandShape))
      exprs.push_back(extent == 1 && shape[dim] != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(dim, ctx));
    maps.push_back(AffineMap::get(shape.size(), 0, exprs, ctx));
    operands.push_back(operand);
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(shape.size(), ctx));
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  Value result =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()}, operands, ValueRange{init}, maps,
          parallelIterators(shape.size()),
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
          })
          .getResult(0);
  return nhwc ? transpose(b, loc, result, kToChannelsFirst) : result;
}

/// Lowers a one-input activation whose scalar form `body` gives.
template <typename SourceOp>
struct ActivationLowering : LayoutAwareLowering<SourceOp> {
  using LayoutAwareLowering<SourceOp>::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createBroadcastElementwise(
                rewriter, op.getLoc(), ValueRange{adaptor.getInput()},
                cast<RankedTensorType>(op.getType()), this->channelsLast,
                [&](OpBuilder &b, Location loc, ValueRange args) {
                  return body(b, loc, op, args[0]);
                }));
    return success();
  }

  virtual Value body(OpBuilder &b, Location loc, SourceOp op,
                     Value x) const = 0;
};

struct ClipLowering final : ActivationLowering<ClipOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, ClipOp op, Value x) const override {
    return clamp(b, loc, x, op.getMin().convertToDouble(),
                 op.getMax().convertToDouble());
  }
};

struct SigmoidLowering final : ActivationLowering<SigmoidOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, SigmoidOp, Value x) const override {
    return buildSigmoid(b, loc, x);
  }
};

struct HardSigmoidLowering final : ActivationLowering<HardSigmoidOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, HardSigmoidOp op,
             Value x) const override {
    Type type = x.getType();
    Value scaled = arith::MulFOp::create(
        b, loc, x,
        floatConstant(b, loc, type, op.getAlpha().convertToDouble()));
    Value shifted = arith::AddFOp::create(
        b, loc, scaled,
        floatConstant(b, loc, type, op.getBeta().convertToDouble()));
    return clamp(b, loc, shifted, 0.0, 1.0);
  }
};

struct HardSwishLowering final : ActivationLowering<HardSwishOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, HardSwishOp, Value x) const override {
    return buildHardSwish(b, loc, x);
  }
};

struct SiluLowering final : ActivationLowering<SiluOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, SiluOp, Value x) const override {
    return buildSilu(b, loc, x);
  }
};

struct LeakyReluLowering final : ActivationLowering<LeakyReluOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, LeakyReluOp op,
             Value x) const override {
    return buildLeakyRelu(b, loc, x, op.getAlpha().convertToDouble());
  }
};

struct EluLowering final : ActivationLowering<EluOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, EluOp op, Value x) const override {
    return buildElu(b, loc, x, op.getAlpha().convertToDouble(),
                    op.getGamma().convertToDouble());
  }
};

struct TanhLowering final : ActivationLowering<TanhOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, TanhOp, Value x) const override {
    return math::TanhOp::create(b, loc, x);
  }
};

struct SoftplusLowering final : ActivationLowering<SoftplusOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, SoftplusOp, Value x) const override {
    return buildSoftplus(b, loc, x);
  }
};

struct MishLowering final : ActivationLowering<MishOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, MishOp, Value x) const override {
    return buildMish(b, loc, x);
  }
};

struct SqrtLowering final : ActivationLowering<SqrtOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, SqrtOp, Value x) const override {
    return math::SqrtOp::create(b, loc, x);
  }
};

struct ErfLowering final : ActivationLowering<ErfOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, ErfOp, Value x) const override {
    return math::ErfOp::create(b, loc, x);
  }
};

struct GeluLowering final : ActivationLowering<GeluOp> {
  using ActivationLowering::ActivationLowering;
  Value body(OpBuilder &b, Location loc, GeluOp, Value x) const override {
    return buildGelu(b, loc, x);
  }
};

/// Each input inserted into one tensor at its offset along the axis (in
/// NHWC for rank-4 values: channel concatenation writes channel ranges).
struct ConcatLowering final : LayoutAwareLowering<ConcatOp> {
  using LayoutAwareLowering::LayoutAwareLowering;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    bool nhwc = channelsLast && type.getRank() == 4;
    int64_t axis = op.getAxis();
    SmallVector<int64_t> shape = llvm::to_vector(type.getShape());
    if (nhwc) {
      shape = permuteToChannelsLast(shape);
      axis = llvm::find(kToChannelsLast, axis) - std::begin(kToChannelsLast);
    }
    Value result =
        tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      if (nhwc)
        input = transpose(rewriter, loc, input, kToChannelsLast);
      ArrayRef<int64_t> inputShape =
          cast<RankedTensorType>(input.getType()).getShape();
      SmallVector<int64_t> offsets(shape.size(), 0);
      offsets[axis] = offset;
      SmallVector<int64_t> strides(shape.size(), 1);
      result = tensor::InsertSliceOp::create(
          rewriter, loc, input, result, ValueRange(), ValueRange(),
          ValueRange(), offsets, inputShape, strides);
      offset += inputShape[axis];
    }
    if (nhwc)
      result = transpose(rewriter, loc, result, kToChannelsFirst);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct ConvertCnnToLinalgPass final
    : cnn::impl::ConvertCnnToLinalgBase<ConvertCnnToLinalgPass> {
  using ConvertCnnToLinalgBase::ConvertCnnToLinalgBase;

  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<CnnDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateCnnToLinalgPatterns(patterns, channelsLast);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::cnn::populateCnnToLinalgPatterns(RewritePatternSet &patterns,
                                            bool channelsLast) {
  patterns.add<FlattenLowering, LayerNormLowering, ReduceMeanLowering,
               ReshapeLowering, SoftmaxLowering, TransposeLowering>(
      patterns.getContext());
  patterns.add<BinaryLowering<AddOp, arith::AddFOp>,
               BinaryLowering<SubOp, arith::SubFOp>,
               BinaryLowering<MulOp, arith::MulFOp>,
               BinaryLowering<DivOp, arith::DivFOp>>(patterns.getContext(),
                                                     channelsLast);
  patterns.add<AvgPool2DLowering, BatchNormLowering, ClipLowering,
               ConcatLowering, Conv2DLowering, ErfLowering, GeluLowering,
               GlobalAvgPoolLowering, HardSigmoidLowering, HardSwishLowering,
               LeakyReluLowering, EluLowering, TanhLowering, SoftplusLowering,
               MishLowering, PReluLowering, LinearLowering, MaxPool2DLowering,
               SqrtLowering, PadLowering, ReluLowering, ResizeLowering,
               SigmoidLowering, SiluLowering, SliceLowering,
               ChannelShuffleLowering, DepthToSpaceLowering>(
      patterns.getContext(), channelsLast);
}
