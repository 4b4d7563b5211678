//===- WinogradConvolutions.cpp - F(4x4, 3x3) Winograd convolutions -------===//
//
// A stride-1 3x3 convolution computes each 4x4 output tile from a 6x6 input
// tile with 36 products per channel pair instead of 144 (Lavin & Gray):
//
//   Y = A^T [ (G g G^T) ⊙ (B^T d B) ] A
//
// For each convolution whose `#cnn.kernel` says Winograd, the lowering to
// linalg (ConvertCnnToLinalg.cpp) builds here, on tensors:
//   U = G g G^T            computed here, a constant [36, C, F]
//   V = B^T d B            input transform: vector code over channel
//                          vectors, [36, T, C] with T = N * (OH/4) * (OW/4)
//   M[36, T, F] = V x U    36 GEMMs, a contraction generic carrying the
//                          kernel, which cnn-tile-convolutions turns into
//                          the convolutions' register kernel
//   Y = A^T M A            output transform, vector code that adds the
//                          bias (and residual) and applies the ReLU in
//                          registers, writing the convolution's result
//
// The transforms are generated here rather than with upstream's
// linalg.winograd_*_transform ops: those have no bufferization, and their
// decomposition works one channel at a time with dense 6x6 products (slower
// than direct convolution on some layers, see PERF_NOTES). Here they are
// vector code over channels that uses only the nonzero coefficients.
//
//===----------------------------------------------------------------------===//

#include "Transforms/KernelBuilders.h"
#include "Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <tuple>

using namespace mlir;

namespace {
// F(m x m, 3x3) matrices (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016), row-major.
constexpr double kG43[] = {1.0 / 4,  0,        0,        -1.0 / 6,  -1.0 / 6,
                           -1.0 / 6, -1.0 / 6, 1.0 / 6,  -1.0 / 6,  1.0 / 24,
                           1.0 / 12, 1.0 / 6,  1.0 / 24, -1.0 / 12, 1.0 / 6,
                           0,        0,        1};
constexpr double kBT43[] = {4, 0, -5, 0,  1, 0, 0, -4, -4, 1,  1, 0,
                            0, 4, -4, -1, 1, 0, 0, -2, -1, 2,  1, 0,
                            0, 2, -1, -2, 1, 0, 0, 4,  0,  -5, 0, 1};
constexpr double kAT43[] = {1, 1, 1, 1, 1, 0, 0, 1, -1, 2, -2, 0,
                            0, 1, 1, 4, 4, 0, 0, 1, -1, 8, -8, 1};
constexpr double kG23[] = {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1};
constexpr double kBT23[] = {1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1};
constexpr double kAT23[] = {1, 1, 1, 0, 0, 1, -1, -1};

/// One F(m x m, 3x3) algorithm: output tiles of `tile` x `tile` from input
/// tiles of `alpha` x `alpha` (alpha = tile + 2).
struct WinogradVariant {
  int64_t tile, alpha;
  ArrayRef<double> g;  // alpha x 3
  ArrayRef<double> bt; // alpha x alpha
  ArrayRef<double> at; // tile x alpha
};
constexpr int64_t kRadius = 3;
const WinogradVariant kF43 = {4, 6, kG43, kBT43, kAT43};
const WinogradVariant kF23 = {2, 4, kG23, kBT23, kAT23};
} // namespace

/// The transformed filter U[a][b][c][f] = (G g G^T)[a][b] of an HWCF filter,
/// as [alpha^2, C, F] floats.
static SmallVector<float> transformFilter(ArrayRef<float> hwcf, int64_t c,
                                          int64_t f, const WinogradVariant &v) {
  int64_t alpha = v.alpha;
  SmallVector<float> u(alpha * alpha * c * f);
  SmallVector<double> gg(alpha * kRadius);
  for (int64_t ci = 0; ci < c; ++ci)
    for (int64_t fi = 0; fi < f; ++fi) {
      auto g = [&](int64_t h, int64_t w) {
        return static_cast<double>(hwcf[((h * kRadius + w) * c + ci) * f + fi]);
      };
      for (int64_t a = 0; a < alpha; ++a)
        for (int64_t w = 0; w < kRadius; ++w) {
          double sum = 0;
          for (int64_t h = 0; h < kRadius; ++h)
            sum += v.g[a * kRadius + h] * g(h, w);
          gg[a * kRadius + w] = sum;
        }
      for (int64_t a = 0; a < alpha; ++a)
        for (int64_t b = 0; b < alpha; ++b) {
          double sum = 0;
          for (int64_t w = 0; w < kRadius; ++w)
            sum += gg[a * kRadius + w] * v.g[b * kRadius + w];
          u[((a * alpha + b) * c + ci) * f + fi] = static_cast<float>(sum);
        }
    }
  return u;
}

/// sum_k coefficients[k] * values[k] over vectors, with no operation for
/// zero coefficients, adds and subtracts for +-1, and FMAs otherwise.
static Value linearCombination(OpBuilder &b, Location loc,
                               ArrayRef<double> coefficients,
                               ArrayRef<Value> values) {
  Value sum;
  auto type = cast<VectorType>(values.front().getType());
  for (auto [coefficient, value] : llvm::zip(coefficients, values)) {
    if (coefficient == 0)
      continue;
    if (!sum) {
      if (coefficient == 1) {
        sum = value;
      } else {
        Value scale = arith::ConstantOp::create(
            b, loc,
            DenseElementsAttr::get(type, static_cast<float>(coefficient)));
        sum = arith::MulFOp::create(b, loc, value, scale);
      }
      continue;
    }
    if (coefficient == 1) {
      sum = arith::AddFOp::create(b, loc, sum, value);
    } else if (coefficient == -1) {
      sum = arith::SubFOp::create(b, loc, sum, value);
    } else {
      Value scale = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(type, static_cast<float>(coefficient)));
      sum = vector::FMAOp::create(b, loc, value, scale, sum);
    }
  }
  if (!sum)
    sum = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, 0.0f));
  return sum;
}

/// `matrix` (rows x n) applied on both sides of an n x n tile of vectors:
/// out = matrix * tile * matrix^T, rows x rows.
static SmallVector<Value> transformTile(OpBuilder &b, Location loc,
                                        ArrayRef<double> matrix, int64_t rows,
                                        int64_t n, ArrayRef<Value> tile) {
  // Rows of the tile first: t[r][j] = sum_i matrix[r][i] tile[i][j].
  SmallVector<Value> partial(rows * n);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      SmallVector<Value> column;
      for (int64_t i = 0; i < n; ++i)
        column.push_back(tile[i * n + j]);
      partial[r * n + j] =
          linearCombination(b, loc, matrix.slice(r * n, n), column);
    }
  SmallVector<Value> out(rows * rows);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t q = 0; q < rows; ++q)
      out[r * rows + q] =
          linearCombination(b, loc, matrix.slice(q * n, n),
                            ArrayRef<Value>(partial).slice(r * n, n));
  return out;
}

static Value index(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// `base + scale * iv` as an index value.
static Value affineIndex(OpBuilder &b, Location loc, Value iv, int64_t scale,
                         int64_t offset) {
  AffineExpr d0 = b.getAffineDimExpr(0);
  return affine::AffineApplyOp::create(
      b, loc, AffineMap::get(1, 0, d0 * scale + offset), ValueRange{iv});
}

namespace {
/// What the output transform adds to each tile, and where it writes.
struct OutputEpilogue {
  Value bias;        // [F], or null
  Value residual;    // [N, OH, OW, F] NHWC, or null
  Value destination; // where the result is written
  // The activation, of a vector; the identity if the layer has none.
  function_ref<Value(OpBuilder &, Location, Value)> activation;
};
} // namespace

/// An scf.forall over `tasks` whose task t computes the slab of `init` at
/// `offsets(t)` with sizes `sizes`: `body` gets the slab and returns it
/// updated. Returns the forall's result.
static Value buildTaskLoop(
    OpBuilder &b, Location loc, int64_t tasks, Value init,
    function_ref<SmallVector<OpFoldResult>(OpBuilder &, Location, Value)>
        offsets,
    ArrayRef<int64_t> sizes,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(tasks)}, ValueRange{init},
      std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  Block *block = forall.getBody();
  b.setInsertionPoint(block->getTerminator());
  Value task = block->getArgument(0), shared = block->getArgument(1);
  SmallVector<OpFoldResult> slabOffsets = offsets(b, loc, task);
  SmallVector<OpFoldResult> slabSizes =
      llvm::map_to_vector(sizes, [&](int64_t size) -> OpFoldResult {
        return b.getIndexAttr(size);
      });
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  Value slab = tensor::ExtractSliceOp::create(b, loc, shared, slabOffsets,
                                              slabSizes, strides);
  Value updated = body(b, loc, task, slab);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, updated, shared, slabOffsets,
                                        slabSizes, strides);
  return forall.getResult(0);
}

/// A counted scf.for from 0 to `count` by `step` carrying one tensor.
static Value
buildLoop(OpBuilder &b, Location loc, int64_t count, int64_t step, Value init,
          function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, count), index(b, loc, step),
      ValueRange{init},
      [&](OpBuilder &nb, Location l, Value iv, ValueRange args) {
        scf::YieldOp::create(nb, l, body(nb, l, iv, args[0]));
      });
  return loop.getResult(0);
}

/// Builds `outputType`'s Winograd convolution of the padded NHWC `input`
/// with the HWCF filter data `hwcf`, adding `epilogue`; `kernel` is the
/// decision (its blocks are the GEMMs').
static Value buildWinograd(OpBuilder &rewriter, Location loc, Value input,
                           RankedTensorType outputType,
                           const OutputEpilogue &epilogue, ArrayRef<float> hwcf,
                           const WinogradVariant &wv, cnn::KernelAttr kernel) {
  const int64_t kTile = wv.tile, kAlpha = wv.alpha;
  const int64_t vectorWidth = kernel.getVectorWidth();
  MLIRContext *ctx = rewriter.getContext();
  ArrayRef<int64_t> out = outputType.getShape();
  int64_t n = out[0], oh = out[1], ow = out[2], f = out[3];
  int64_t c = cast<RankedTensorType>(input.getType()).getDimSize(3);
  // Edge tiles reach past the output (and their input patches past the
  // padded input): those input rows and columns read as zeros, and the
  // output tiles are computed whole into a tile-aligned tensor.
  int64_t tilesH = llvm::divideCeil(oh, kTile),
          tilesW = llvm::divideCeil(ow, kTile);
  int64_t alignedH = tilesH * kTile, alignedW = tilesW * kTile;
  auto inputShape = cast<RankedTensorType>(input.getType()).getShape();
  int64_t inputH = inputShape[1], inputW = inputShape[2];
  int64_t tiles = n * tilesH * tilesW;
  const int64_t alpha2 = kAlpha * kAlpha;
  Type f32 = rewriter.getF32Type();
  auto vectorType = VectorType::get({vectorWidth}, f32);
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));

  // U: [36, C, F], computed now.
  SmallVector<float> u = transformFilter(hwcf, c, f, wv);
  auto uType = RankedTensorType::get({alpha2, c, f}, f32);
  Value filter = arith::ConstantOp::create(
      rewriter, loc, uType,
      DenseElementsAttr::getFromRawBuffer(
          uType, ArrayRef<char>(reinterpret_cast<const char *>(u.data()),
                                u.size() * sizeof(float))));

  // One task per tile t = (image, tile row, tile column): enough tasks to
  // share evenly between threads even for small images.
  auto position = [&](OpBuilder &b, Location l, Value task) {
    int64_t perImage = tilesH * tilesW;
    Value image = arith::DivUIOp::create(b, l, task, index(b, l, perImage));
    Value inImage = arith::RemUIOp::create(b, l, task, index(b, l, perImage));
    Value th = arith::DivUIOp::create(b, l, inImage, index(b, l, tilesW));
    Value tw = arith::RemUIOp::create(b, l, inImage, index(b, l, tilesW));
    return std::make_tuple(image, affineIndex(b, l, th, kTile, 0),
                           affineIndex(b, l, tw, kTile, 0));
  };

  // V = B^T d B: [36, T, C].
  auto vType = RankedTensorType::get({alpha2, tiles, c}, f32);
  Value v = buildTaskLoop(
      rewriter, loc, tiles,
      tensor::EmptyOp::create(rewriter, loc, vType.getShape(), f32),
      [&](OpBuilder &b, Location l, Value task) -> SmallVector<OpFoldResult> {
        return {b.getIndexAttr(0), task, b.getIndexAttr(0)};
      },
      {alpha2, 1, c},
      [&](OpBuilder &b, Location l, Value task, Value slab) {
        Value image, top, left;
        std::tie(image, top, left) = position(b, l, task);
        {
          return buildLoop(
              b, l, c, vectorWidth, slab,
              [&](OpBuilder &b, Location l, Value ch, Value slab) {
                // Row top + i can pass the input only in the last tile row,
                // and only for i >= inputH - 4 (tilesH - 1); likewise columns.
                // Those read a clamped position and select zero.
                auto clamp = [&](Value position, int64_t offset, int64_t extent,
                                 int64_t tilesAlong, Value &inBounds) {
                  Value at = affineIndex(b, l, position, 1, offset);
                  if (kTile * (tilesAlong - 1) + offset < extent)
                    return at;
                  Value limit = index(b, l, extent - 1);
                  Value ok = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::ule, at, limit);
                  inBounds =
                      inBounds ? arith::AndIOp::create(b, l, inBounds, ok) : ok;
                  return arith::MinUIOp::create(b, l, at, limit).getResult();
                };
                SmallVector<Value> d;
                for (int64_t i = 0; i < kAlpha; ++i)
                  for (int64_t j = 0; j < kAlpha; ++j) {
                    Value inBounds;
                    Value row = clamp(top, i, inputH, tilesH, inBounds);
                    Value col = clamp(left, j, inputW, tilesW, inBounds);
                    Value value = vector::TransferReadOp::create(
                        b, l, vectorType, input,
                        ValueRange{image, row, col, ch}, zero,
                        ArrayRef<bool>{true});
                    if (inBounds)
                      value = arith::SelectOp::create(
                          b, l, inBounds, value,
                          arith::ConstantOp::create(
                              b, l, DenseElementsAttr::get(vectorType, 0.0f)));
                    d.push_back(value);
                  }
                SmallVector<Value> transformed =
                    transformTile(b, l, wv.bt, kAlpha, kAlpha, d);
                for (int64_t ab = 0; ab < alpha2; ++ab)
                  slab = vector::TransferWriteOp::create(
                             b, l, transformed[ab], slab,
                             ValueRange{index(b, l, ab), index(b, l, 0), ch},
                             ArrayRef<bool>{true})
                             .getResult();
                return slab;
              });
        }
      });

  // M = V x U: 36 GEMMs [T, C] x [C, F], a contraction generic with the
  // (batch, row, column, reduction) loops of the packed linear layers.
  AffineExpr bd, td, fd, kd;
  bindDims(ctx, bd, td, fd, kd);
  auto mType = RankedTensorType::get({alpha2, tiles, f}, f32);
  Value mInit = linalg::FillOp::create(rewriter, loc, zero,
                                       tensor::EmptyOp::create(
                                           rewriter, loc, mType.getShape(), f32)
                                           .getResult())
                    .getResult(0);
  auto gemm = cnn::createBatchedContraction(
      rewriter, loc, v, filter, mInit, AffineMap::get(4, 0, {bd, td, kd}, ctx),
      AffineMap::get(4, 0, {bd, kd, fd}, ctx), kernel);
  Value m = gemm.getResult(0);

  // Y = A^T M A (+ bias, residual or accumulator; ReLU), written into the
  // destination: task t writes output rows [4 * tileRow, +4) of its image.
  bool aligned = alignedH == oh && alignedW == ow;
  Value destination =
      aligned
          ? epilogue.destination
          : tensor::EmptyOp::create(
                rewriter, loc, ArrayRef<int64_t>{n, alignedH, alignedW, f}, f32)
                .getResult();
  Value y = buildTaskLoop(
      rewriter, loc, tiles, destination,
      [&](OpBuilder &b, Location l, Value task) -> SmallVector<OpFoldResult> {
        Value image, top, left;
        std::tie(image, top, left) = position(b, l, task);
        return {image, top, left, b.getIndexAttr(0)};
      },
      {1, kTile, kTile, f},
      [&](OpBuilder &b, Location l, Value task, Value slab) {
        Value image, top, left;
        std::tie(image, top, left) = position(b, l, task);
        Value tile = task;
        {
          return buildLoop(
              b, l, f, vectorWidth, slab,
              [&](OpBuilder &b, Location l, Value ch, Value slab) {
                SmallVector<Value> tileValues;
                for (int64_t ab = 0; ab < alpha2; ++ab)
                  tileValues.push_back(vector::TransferReadOp::create(
                      b, l, vectorType, m,
                      ValueRange{index(b, l, ab), tile, ch}, zero,
                      ArrayRef<bool>{true}));
                SmallVector<Value> y =
                    transformTile(b, l, wv.at, kTile, kAlpha, tileValues);
                Value bias;
                if (epilogue.bias)
                  bias = vector::TransferReadOp::create(
                      b, l, vectorType, epilogue.bias, ValueRange{ch}, zero,
                      ArrayRef<bool>{true});
                for (int64_t i = 0; i < kTile; ++i)
                  for (int64_t j = 0; j < kTile; ++j) {
                    Value value = y[i * kTile + j];
                    Value col = affineIndex(b, l, left, 1, j);
                    Value row = affineIndex(b, l, top, 1, i);
                    // Addends have the true output shape: edge positions read
                    // a clamped element (their results are dropped).
                    auto clampTo = [&](Value position, int64_t offset,
                                       int64_t extent, int64_t tilesAlong) {
                      if (kTile * (tilesAlong - 1) + offset < extent)
                        return position;
                      return arith::MinUIOp::create(b, l, position,
                                                    index(b, l, extent - 1))
                          .getResult();
                    };
                    SmallVector<Value> at = {image, clampTo(row, i, oh, tilesH),
                                             clampTo(col, j, ow, tilesW), ch};
                    if (bias)
                      value = arith::AddFOp::create(b, l, value, bias);
                    if (epilogue.residual)
                      value = arith::AddFOp::create(
                          b, l, value,
                          vector::TransferReadOp::create(
                              b, l, vectorType, epilogue.residual, at, zero,
                              ArrayRef<bool>{true}));
                    value = epilogue.activation(b, l, value);
                    slab = vector::TransferWriteOp::create(
                               b, l, value, slab,
                               ValueRange{index(b, l, 0), index(b, l, i),
                                          index(b, l, j), ch},
                               ArrayRef<bool>{true})
                               .getResult();
                  }
                return slab;
              });
        }
      });
  if (!aligned) {
    // The valid part, copied into the destination.
    SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes =
        llvm::map_to_vector(out, [&](int64_t size) -> OpFoldResult {
          return rewriter.getIndexAttr(size);
        });
    SmallVector<OpFoldResult> strides(4, rewriter.getIndexAttr(1));
    Value valid = tensor::ExtractSliceOp::create(rewriter, loc, outputType, y,
                                                 offsets, sizes, strides);
    y = linalg::CopyOp::create(rewriter, loc, valid, epilogue.destination)
            .getResult(0);
  }
  return y;
}

Value mlir::cnn::buildWinogradConvolution(OpBuilder &b, Location loc,
                                          Value input, ArrayRef<float> hwcf,
                                          Value bias, Value residual,
                                          ActivationFn activation,
                                          RankedTensorType resultType,
                                          KernelAttr kernel) {
  OutputEpilogue epilogue;
  epilogue.bias = bias;
  epilogue.residual = residual;
  epilogue.activation = activation;
  epilogue.destination = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                                 resultType.getElementType());
  const WinogradVariant &variant =
      kernel.getAlgorithm() == cnn::KernelAlgorithm::WinogradF4 ? kF43 : kF23;
  return buildWinograd(b, loc, input, resultType, epilogue, hwcf, variant,
                       kernel);
}
