//===- LowerMemrefCopy.cpp - memref.copy as linalg.copy -------------------===//
//
// Keeps copies inside the compiled model: linalg.copy lowers to loops, while
// a strided memref.copy would call MLIR's C runner utilities.
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNLOWERMEMREFCOPY
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

namespace {
// memref.copy %a, %b -> linalg.copy ins(%a) outs(%b)
struct MemrefCopyToLinalg final : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct CnnLowerMemrefCopyPass final
    : cnn::impl::CnnLowerMemrefCopyBase<CnnLowerMemrefCopyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MemrefCopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
