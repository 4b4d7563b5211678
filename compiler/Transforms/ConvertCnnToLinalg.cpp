//===- ConvertCnnToLinalg.cpp - Lower cnn ops to linalg on tensors --------===//
//
//   cnn.conv2d      -> tensor.pad + linalg.conv_2d_nchw_fchw
//                      (groups: expand_shape + linalg.conv_2d_ngchw_gfchw)
//                      + one elementwise linalg.generic epilogue
//   cnn.max_pool2d  -> tensor.pad(-inf) + linalg.pooling_nchw_max
//   cnn.avg_pool2d  -> tensor.pad(0) + linalg.pooling_nchw_sum + divide
//   cnn.linear      -> linalg.matmul (transposed weight maps) + epilogue
//   elementwise ops, reductions -> linalg.generic; flatten -> reshapes
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
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

/// Pads the spatial dimensions of an NCHW tensor with `padValue`;
/// `padding` is [top, left, bottom, right], `extraHigh` extends the bottom
/// and right sides (the windows that ceil_mode adds).
static Value padSpatial(OpBuilder &b, Location loc, Value input,
                        ArrayRef<int64_t> padding, TypedAttr padValue,
                        ArrayRef<int64_t> extraHigh = {0, 0}) {
  int64_t bottom = padding[2] + extraHigh[0];
  int64_t right = padding[3] + extraHigh[1];
  if (padding[0] == 0 && padding[1] == 0 && bottom == 0 && right == 0)
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += padding[0] + bottom;
  shape[3] += padding[1] + right;
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(padding[0]),
                                   b.getIndexAttr(padding[1])};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(bottom),
                                    b.getIndexAttr(right)};
  Value value = arith::ConstantOp::create(b, loc, padValue);
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input, low,
      high, value);
}

static SmallVector<utils::IteratorType> parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

/// Applies `bias` (per channel, dimension 1), `residual` and ReLU to `acc`
/// in place, in one elementwise pass. Returns `acc` if there is nothing to do.
static Value applyEpilogue(OpBuilder &b, Location loc, Value acc, Value bias,
                           Value residual, bool relu) {
  if (!bias && !residual && !relu)
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
        if (relu) {
          Value zero = arith::ConstantOp::create(
              nb, nloc, nb.getZeroAttr(value.getType()));
          value = arith::MaximumFOp::create(nb, nloc, value, zero);
        }
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

//===----------------------------------------------------------------------===//
// Convolution and fully connected layers
//===----------------------------------------------------------------------===//

namespace {
struct Conv2DLowering final : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(),
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
    rewriter.replaceOp(op, applyEpilogue(rewriter, loc, conv, adaptor.getBias(),
                                         adaptor.getResidual(), op.getRelu()));
    return success();
  }
};

struct LinearLowering final : OpConversionPattern<LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
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
    rewriter.replaceOp(op,
                       applyEpilogue(rewriter, loc, product, adaptor.getBias(),
                                     Value(), op.getRelu()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalization and elementwise ops
//===----------------------------------------------------------------------===//

struct BatchNormLowering final : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channel = AffineMap::get(rank, 0, rewriter.getAffineDimExpr(1));
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    APFloat epsilonValue = op.getEpsilon();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type},
        ValueRange{adaptor.getInput(), adaptor.getScale(), adaptor.getShift(),
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
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ReluLowering final : OpConversionPattern<ReluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, op.getLoc(), adaptor.getInput(),
                [](OpBuilder &b, Location loc, ValueRange args) -> Value {
                  Value zero = arith::ConstantOp::create(
                      b, loc, b.getZeroAttr(args[0].getType()));
                  return arith::MaximumFOp::create(b, loc, args[0], zero);
                }));
    return success();
  }
};

struct AddLowering final : OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, op.getLoc(),
                ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                [](OpBuilder &b, Location loc, ValueRange args) -> Value {
                  return arith::AddFOp::create(b, loc, args[0], args[1]);
                }));
    return success();
  }
};

/// Reduces `input` along `axis` with `combine`, starting from `initValue`.
/// The result keeps every other dimension.
static Value reduceAlongAxis(
    OpBuilder &b, Location loc, Value input, int64_t axis, TypedAttr initValue,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
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
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{reducedType}, ValueRange{input}, ValueRange{init},
      SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(rank, ctx),
                             AffineMap::get(rank, 0, reducedExprs, ctx)},
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, args[0], args[1]));
      });
  return generic.getResult(0);
}

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
        [](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, x, acc);
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
        [](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          return arith::AddFOp::create(b, l, x, acc);
        });
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

template <typename PoolOp, typename LinalgPoolOp>
static Value createPooling(ConversionPatternRewriter &rewriter, PoolOp op,
                           Value input, TypedAttr padValue) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  Value padded = padSpatial(rewriter, loc, input, op.getPadding(), padValue,
                            ceilModeExtraPadding(op));
  Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernel(),
                                         resultType.getElementType());
  Value init = createFilledTensor(rewriter, loc, resultType, padValue);
  return LinalgPoolOp::create(rewriter, loc, TypeRange{resultType},
                              ValueRange{padded, window}, ValueRange{init},
                              rewriter.getI64TensorAttr(op.getStrides()),
                              rewriter.getI64TensorAttr({1, 1}))
      .getResult(0);
}

struct MaxPool2DLowering final : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto elementType = cast<FloatType>(op.getType().getElementType());
    auto negativeInfinity = rewriter.getFloatAttr(
        elementType,
        APFloat::getInf(elementType.getFloatSemantics(), /*Negative=*/true));
    rewriter.replaceOp(op,
                       createPooling<MaxPool2DOp, linalg::PoolingNchwMaxOp>(
                           rewriter, op, adaptor.getInput(), negativeInfinity));
    return success();
  }
};

struct AvgPool2DLowering final : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    Value sum = createPooling<AvgPool2DOp, linalg::PoolingNchwSumOp>(
        rewriter, op, adaptor.getInput(), rewriter.getZeroAttr(elementType));

    // The divisor of each output position, known at compile time: the
    // window clipped to the padded input (count_include_pad) or the input.
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    ArrayRef<int64_t> out = resultType.getShape();
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
    AffineMap spatial = AffineMap::get(
        4, 0, {rewriter.getAffineDimExpr(2), rewriter.getAffineDimExpr(3)},
        ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{divisor},
        ValueRange{sum}, SmallVector<AffineMap>{spatial, identity},
        parallelIterators(4), [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, arith::DivFOp::create(b, l, args[1], args[0]).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct GlobalAvgPoolLowering final : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
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
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, args[0], args[1]).getResult());
            })
            .getResult(0);
    double count = static_cast<double>(in[2] * in[3]);
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, loc, sum,
                [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                  Value divisor = arith::ConstantOp::create(
                      b, l, b.getFloatAttr(elementType, count));
                  return arith::DivFOp::create(b, l, args[0], divisor);
                }));
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
    // A unit dimension appears on one side: collapse fully, then expand.
    if (rank > 1) {
      ReassociationIndices all;
      for (int64_t dim = 0; dim < rank; ++dim)
        all.push_back(dim);
      input = tensor::CollapseShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({inputType.getNumElements()},
                                inputType.getElementType()),
          input, SmallVector<ReassociationIndices>{all});
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, input, SmallVector<ReassociationIndices>{{0, 1}});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct ConvertCnnToLinalgPass final
    : cnn::impl::ConvertCnnToLinalgBase<ConvertCnnToLinalgPass> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<CnnDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateCnnToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::cnn::populateCnnToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<AddLowering, AvgPool2DLowering, BatchNormLowering, Conv2DLowering,
           FlattenLowering, GlobalAvgPoolLowering, LinearLowering,
           MaxPool2DLowering, ReluLowering, SoftmaxLowering>(
          patterns.getContext());
}
