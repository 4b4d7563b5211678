//===- LowerMemrefCopy.cpp - Strided copies as loops of contiguous ones ---===//
//
// Keeps copies inside the compiled model and fast: a strided memref.copy
// would call MLIR's C runner utilities (an element at a time). A copy
// becomes parallel loops over its leading dimensions, each iteration one
// copy of a contiguous run (which lowers to llvm.memcpy, inlined as vector
// moves when short); a copy with no contiguous innermost dimension becomes
// linalg.copy (scalar loops).
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNLOWERMEMREFCOPY
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

/// The first dimension of `type` from which on its elements are contiguous
/// (row-major, unit stride innermost): 0 for a contiguous memref, the rank
/// when not even the innermost dimension is; nullopt if its layout is not
/// static.
static std::optional<int64_t> getContiguousSuffix(MemRefType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t expected = 1;
  for (int64_t dim = type.getRank() - 1; dim >= 0; --dim) {
    if (shape[dim] != 1 && strides[dim] != expected)
      return dim + 1;
    expected *= shape[dim];
  }
  return 0;
}

/// Rewrites `copy` as scf.parallel loops over the dimensions before
/// `inner`, each iteration copying the subviews of the dimensions from
/// `inner` on.
static void splitCopy(RewriterBase &rewriter, memref::CopyOp copy,
                      int64_t inner) {
  Location loc = copy.getLoc();
  auto sourceType = cast<MemRefType>(copy.getSource().getType());
  ArrayRef<int64_t> shape = sourceType.getShape();
  int64_t rank = sourceType.getRank();
  rewriter.setInsertionPoint(copy);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<Value> lower(inner, zero), steps(inner, one), upper;
  for (int64_t dim = 0; dim < inner; ++dim)
    upper.push_back(arith::ConstantIndexOp::create(rewriter, loc, shape[dim]));
  Value source = copy.getSource(), target = copy.getTarget();
  scf::ParallelOp::create(
      rewriter, loc, lower, upper, steps,
      [&](OpBuilder &b, Location nested, ValueRange ivs) {
        SmallVector<OpFoldResult> offsets(ivs.begin(), ivs.end());
        offsets.append(rank - inner, b.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes(inner, b.getIndexAttr(1));
        for (int64_t dim = inner; dim < rank; ++dim)
          sizes.push_back(b.getIndexAttr(shape[dim]));
        SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
        Value from = memref::SubViewOp::create(b, nested, source, offsets,
                                               sizes, strides);
        Value to = memref::SubViewOp::create(b, nested, target, offsets, sizes,
                                             strides);
        memref::CopyOp::create(b, nested, from, to);
        scf::ReduceOp::create(b, nested);
      });
  rewriter.eraseOp(copy);
}

namespace {
struct CnnLowerMemrefCopyPass final
    : cnn::impl::CnnLowerMemrefCopyBase<CnnLowerMemrefCopyPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      auto sourceType = dyn_cast<MemRefType>(copy.getSource().getType());
      auto targetType = dyn_cast<MemRefType>(copy.getTarget().getType());
      std::optional<int64_t> source, target;
      if (sourceType && targetType) {
        source = getContiguousSuffix(sourceType);
        target = getContiguousSuffix(targetType);
      }
      // Contiguous on both sides: one llvm.memcpy.
      if (source && target && *source == 0 && *target == 0)
        continue;
      int64_t rank = sourceType ? sourceType.getRank() : 0;
      if (source && target && std::max(*source, *target) < rank) {
        splitCopy(rewriter, copy, std::max(*source, *target));
        continue;
      }
      // No contiguous run: element by element.
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }
  }
};
} // namespace
