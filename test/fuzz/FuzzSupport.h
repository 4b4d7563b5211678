//===- FuzzSupport.h - Shared set-up of the cnnc fuzz targets ---*- C++ -*-===//
//
// One MLIRContext per process (creating one per input would dominate the
// run), diagnostics swallowed (bad input is the point), and the stage-1
// graph pipeline that imported or parsed models go through next in cnnc.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_TEST_FUZZ_FUZZSUPPORT_H
#define CNN_TEST_FUZZ_FUZZSUPPORT_H

#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace cnn_fuzz {

inline mlir::MLIRContext &getContext() {
  static mlir::MLIRContext *context = [] {
    mlir::DialectRegistry registry;
    registry.insert<mlir::cnn::CnnDialect, mlir::arith::ArithDialect,
                    mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
    auto *ctx =
        new mlir::MLIRContext(registry, mlir::MLIRContext::Threading::DISABLED);
    ctx->loadAllAvailableDialects();
    // Every diagnostic handled here: nothing printed, nothing aborts.
    ctx->getDiagEngine().registerHandler(
        [](mlir::Diagnostic &) { return mlir::success(); });
    return ctx;
  }();
  return *context;
}

/// Verifies `module` and runs cnnc's graph passes on it, as cnnc does after
/// importing or parsing.
inline void runGraphPasses(mlir::ModuleOp module) {
  if (mlir::failed(mlir::verify(module)))
    return;
  mlir::PassManager pm(module.getContext());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addNestedPass<mlir::func::FuncOp>(mlir::cnn::createCnnFoldBatchNorm());
  pm.addNestedPass<mlir::func::FuncOp>(mlir::cnn::createCnnFuseConvEpilogue());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
  (void)pm.run(module);
}

} // namespace cnn_fuzz

#endif // CNN_TEST_FUZZ_FUZZSUPPORT_H
