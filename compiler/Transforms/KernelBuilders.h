//===- KernelBuilders.h - IR forms of the kernels ----------------*- C++
//-*-===//
//
// Builders the lowering of cnn ops (ConvertCnnToLinalg.cpp) uses to emit
// the form a layer's `#cnn.kernel` decision asks for. Each sets the
// decision on the op that cnn-tile-convolutions tiles: the kernel's root.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_KERNELBUILDERS_H
#define CNNC_TRANSFORMS_KERNELBUILDERS_H

#include "cnn/CnnOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::cnn {

/// An activation (ReLU, SiLU, ...) of a scalar or vector value.
using ActivationFn = function_ref<Value(OpBuilder &, Location, Value)>;

/// init[b, r, c] += lhs[lhsMap] * rhs[rhsMap] over the loops (b, r, c, k),
/// as a linalg.generic carrying `kernel`: its register blocks are
/// `pixels` rows by `channels` columns, its tasks `task_channels` columns
/// of one batch.
linalg::GenericOp createBatchedContraction(OpBuilder &b, Location loc,
                                           Value lhs, Value rhs, Value init,
                                           AffineMap lhsMap, AffineMap rhsMap,
                                           KernelAttr kernel);

/// One grouped convolution in channels-last form, loops
/// (n, oh, ow, g, k, kh, kw, c):
///   init[n, oh, ow, g, k] += input[n, oh*sh + kh*dh, ow*sw + kw*dw, g, c]
///                            * filter[g, kh, kw, c, k]
/// on the padded input [N, H, W, G, C/G], the filter [G, KH, KW, C/G, F/G]
/// and the accumulator [N, OH, OW, G, F/G]: with one group, an HWCF
/// convolution. Carries `kernel` (if not null): its register blocks are
/// `pixels` x `channels` of one group, its tasks `task_rows` rows by
/// `task_channels` output channels (whole groups, or a part of one).
///
/// With `spanned` > 1 (a kernel whose register block spans that many whole
/// groups: `channels` = spanned x F/G), the group dimension is split in
/// (G / spanned, spanned) on every operand, loops
/// (n, oh, ow, gb, gi, k, kh, kw, c): input [N, H, W, G/s, s, C/G], filter
/// [G/s, KH, KW, C/G, s, F/G] (one block's filter vector per (kh, kw, c)
/// contiguous) and accumulator [N, OH, OW, G/s, s, F/G].
linalg::GenericOp
createGroupedConvolution(OpBuilder &b, Location loc, Value input, Value filter,
                         Value init, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilations, KernelAttr kernel,
                         int64_t spanned = 1);

/// An ungrouped convolution with one filter per image, loops
/// (n, oh, ow, f, kh, kw, c) as linalg.conv_2d_nhwc_hwcf's:
///   init[n, oh, ow, f] += input[n, oh*sh + kh*dh, ow*sw + kw*dw, c]
///                         * filter[n, kh, kw, c, f]
/// on the padded NHWC input, the filter [N, KH, KW, C, F] (a convolution
/// with an input scale: each image's filter scaled by its gate) and the
/// NHWC accumulator. One image of it is an HWCF convolution
/// (isPerImageFilterConvolution).
linalg::GenericOp createPerImageFilterConvolution(OpBuilder &b, Location loc,
                                                  Value input, Value filter,
                                                  Value init,
                                                  ArrayRef<int64_t> strides,
                                                  ArrayRef<int64_t> dilations);

/// Whether `op` has createPerImageFilterConvolution's form.
bool isPerImageFilterConvolution(Operation *op);

/// The NHWC result of a 3x3 stride-1 convolution computed as Winograd
/// F(4x4, 3x3) or F(2x2, 3x3) (`kernel`'s algorithm): `input` is the
/// padded NHWC input, `hwcf` the filter's data, `bias` ([F]) and
/// `residual` (NHWC, the output's shape) may be null. The epilogue (bias,
/// residual, then `activation` of each vector: the layer's ReLU or other
/// activation, the identity if none) is applied in the output transform, in
/// registers.
Value buildWinogradConvolution(OpBuilder &b, Location loc, Value input,
                               ArrayRef<float> hwcf, Value bias, Value residual,
                               ActivationFn activation,
                               RankedTensorType resultType, KernelAttr kernel);

} // namespace mlir::cnn

#endif // CNNC_TRANSFORMS_KERNELBUILDERS_H
