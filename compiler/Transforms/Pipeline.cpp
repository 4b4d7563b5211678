//===- Pipeline.cpp - The cnnc lowering pipeline --------------------------===//
//
//   cnn (graph)  --[stage 1: cnn-graph]-->  cnn with batch norms folded,
//                                           epilogues fused into convolutions
//                                           and each layer's #cnn.kernel
//                                           decided for the target
//        --[stage 2: cnn-to-linalg]-->      linalg/tensor/arith on tensors
//        --[stage 3: cnn-linalg-to-llvm]--> C ABI, one-shot bufferization,
//              out-params, deallocation, loops, LLVM dialect (bare-pointer
//              calls)
//   then cnnc: LLVM IR -> TargetMachine -> object -> clang/lld link.
//
// cnnc and cnn-opt build the same stages from these functions.
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::cnn;

/// Appends upstream passes spelled as a textual pipeline: their options read
/// as they do on the mlir-opt command line.
static void addTextualPipeline(OpPassManager &pm, StringRef pipeline) {
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (failed(parsePassPipeline(pipeline, pm, errorStream)))
    llvm::report_fatal_error(llvm::Twine("invalid built-in pipeline: ") +
                             errors);
}

void mlir::cnn::buildCnnGraphPipeline(OpPassManager &pm,
                                      const PipelineOptions &options) {
  pm.addPass(createCanonicalizerPass());
  if (options.graphPasses) {
    pm.addNestedPass<func::FuncOp>(createCnnRecognizeComposites());
    pm.addNestedPass<func::FuncOp>(createCnnFoldBatchNorm());
    pm.addNestedPass<func::FuncOp>(createCnnFuseConvEpilogue());
    pm.addNestedPass<func::FuncOp>(createCnnFuseSqueezeExcitation());
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  buildKernelSelectionPipeline(pm, options);
}

void mlir::cnn::buildKernelSelectionPipeline(OpPassManager &pm,
                                             const PipelineOptions &options) {
  CnnSelectKernelsOptions select;
  select.vectorWidth = options.vectorWidth;
  select.registerBudget = options.registerBudget;
  select.vectorRegisters = options.vectorRegisters;
  select.filterCacheKiB = options.filterCacheKiB;
  select.l1CacheKiB = options.l1CacheKiB;
  select.winograd = options.winograd;
  select.kernelConfig = options.kernelConfig;
  pm.addPass(createCnnSelectKernels(select));
}

void mlir::cnn::buildCnnToLinalgPipeline(OpPassManager &pm,
                                         const PipelineOptions &options) {
  // Layer boundaries for the compiled model's --profile, while layers are
  // still one op each.
  pm.addPass(createCnnInstrumentLayers());
  pm.addNestedPass<func::FuncOp>(createConvertCnnToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::cnn::buildLinalgToLLVMPipeline(OpPassManager &pm,
                                          const PipelineOptions &options) {
  pm.addPass(createCnnExportCAbi(CnnExportCAbiOptions{
      options.symbolPrefix.getValue(), options.dynamicBatch.getValue()}));
  pm.addNestedPass<func::FuncOp>(createCnnFoldConcatIntoProducers());
  pm.addNestedPass<func::FuncOp>(createCnnFoldPaddingIntoProducers());
  pm.addPass(createCnnEmitLayerTable(
      CnnEmitLayerTableOptions{options.symbolPrefix.getValue()}));
  // Kernels become register-blocked vector code while they are still on
  // tensors, where tiling and hoisting are plain SSA rewrites.
  CnnTileConvolutionsOptions tiling;
  tiling.vectorWidth = options.vectorWidth;
  pm.addNestedPass<func::FuncOp>(createCnnTileConvolutions(tiling));
  addTextualPipeline(
      pm,
      // Tensors to buffers; the result becomes a caller-provided out-param.
      "one-shot-bufferize{bufferize-function-boundaries "
      "function-boundary-type-conversion=identity-layout-map},"
      "buffer-results-to-out-params{hoist-static-allocs=true "
      "modify-public-functions=true},"
      // (cse makes a tile's read and write views one value, and the
      // second canonicalize drops the copy between them.)
      "canonicalize,cse,canonicalize,"
      // Weights as flat blobs: one raw LLVM data array per tensor.
      "cnn-flatten-constant-globals,"
      // Every buffer is freed after its last use.
      "buffer-deallocation-pipeline,"
      // ...and intermediate buffers share one arena planned at compile time.
      "func.func(cnn-plan-activation-memory),"
      "func.func(cnn-lower-memref-copy),"
      // Vector kernels: contractions to FMAs, transfers to loads/stores
      // (unrolled: a loop would put a stack buffer in every iteration).
      "func.func(cnn-lower-vector-kernels),"
      "convert-vector-to-scf{full-unroll=true},"
      // Parallel loops over every parallel dimension, run by OpenMP
      // threads; reductions stay sequential inside each iteration.
      "func.func(convert-linalg-to-parallel-loops),"
      "scf-forall-to-parallel,"
      "convert-scf-to-openmp,"
      // Memrefs must reach LLVM before scf-to-cf splits the OpenMP regions.
      "lower-affine,expand-strided-metadata,lower-affine,"
      "finalize-memref-to-llvm,convert-scf-to-cf,"
      "convert-vector-to-llvm{reassociate-fp-reductions=true},"
      "convert-math-to-llvm,convert-arith-to-llvm,"
      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=true},"
      "convert-openmp-to-llvm,"
      "convert-cf-to-llvm,convert-ub-to-llvm,reconcile-unrealized-casts,"
      "canonicalize,cse,"
      // Translation outlines each parallel region with an analysis of its
      // whole function: one small function per region.
      "cnn-outline-parallel-regions");
}

void mlir::cnn::buildCnnToLLVMPipeline(OpPassManager &pm,
                                       const PipelineOptions &options) {
  buildCnnGraphPipeline(pm, options);
  buildCnnToLinalgPipeline(pm, options);
  buildLinalgToLLVMPipeline(pm, options);
}

void mlir::cnn::registerCnnPipelines() {
  PassPipelineRegistration<PipelineOptions>(
      "cnn-graph", "Stage 1: graph simplification on the cnn dialect",
      buildCnnGraphPipeline);
  PassPipelineRegistration<PipelineOptions>(
      "cnn-to-linalg", "Stage 2: lower cnn to linalg on tensors",
      buildCnnToLinalgPipeline);
  PassPipelineRegistration<PipelineOptions>(
      "cnn-linalg-to-llvm",
      "Stage 3: bufferize, lower to loops and to the LLVM dialect",
      buildLinalgToLLVMPipeline);
  PassPipelineRegistration<PipelineOptions>(
      "cnn-to-llvm", "The whole cnnc pipeline, cnn to the LLVM dialect",
      buildCnnToLLVMPipeline);
}
