//===- Passes.h - cnnc passes and pipelines ---------------------*- C++ -*-===//
//
// Declarations of the project's passes (generated from Passes.td), their
// public pattern sets, and the named pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_TRANSFORMS_PASSES_H
#define CNN_TRANSFORMS_PASSES_H

#include "cnn/CnnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
class RewritePatternSet;
class OpPassManager;

namespace cnn {

#define GEN_PASS_DECL
#include "Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Transforms/Passes.h.inc"

/// The index of the layer an op belongs to, on each layer's ops from
/// cnn-instrument-layers on (the layers themselves are described by the
/// module's `cnn.layer_table`, see LayerInfoAttr).
inline constexpr llvm::StringLiteral kLayerAttr = "cnn.layer";

/// The model's entry function: its (last) public function with a body;
/// null if there is none.
func::FuncOp getModelFunction(ModuleOp module);

/// The model's layers: every cnn op of its single-block body, in order.
/// Layer i of the layer table, the profile and `--emit=dot` is the i-th.
SmallVector<Operation *> getModelLayers(func::FuncOp model);

/// A layer's name: its ONNX node or location name, else `<op>_<index>`.
std::string getLayerName(Operation *op, int64_t index);

/// A layer's kind: the op with its window, stride, groups and fused
/// epilogue, e.g. "conv2d 3x3/s2+bias+relu".
std::string getLayerKind(Operation *op);

/// A layer's multiply-adds times two (convolutions and linear layers; 0 for
/// the others).
int64_t getLayerFlops(Operation *op);

/// Layer `index` of the model as the layer table records it: name, kind,
/// output shape, FLOPs and the algorithm of its `#cnn.kernel` ("direct" for
/// a convolution or linear layer without one, "-" for the other ops).
LayerInfoAttr getLayerInfo(Operation *op, int64_t index);

/// The module's layer table (cnn-instrument-layers), in layer order; empty
/// if it has none.
SmallVector<LayerInfoAttr> getLayerTable(ModuleOp module);

/// Patterns lowering every cnn op to linalg/tensor/arith on tensors; with
/// `channelsLast`, convolutions and pooling compute in NHWC.
void populateCnnToLinalgPatterns(RewritePatternSet &patterns,
                                 bool channelsLast);

//===----------------------------------------------------------------------===//
// Pipelines
//===----------------------------------------------------------------------===//

/// Options of the whole lowering, shared by cnnc and cnn-opt.
struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  PassOptions::Option<std::string> symbolPrefix{
      *this, "prefix", llvm::cl::desc("Prefix of the exported C symbols"),
      llvm::cl::init("cnn_model")};
  PassOptions::Option<bool> dynamicBatch{
      *this, "dynamic-batch",
      llvm::cl::desc("The C ABI reports the batch dimension as -1: the "
                     "compiled batch is a block of a run-time batch"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> graphPasses{
      *this, "graph-passes",
      llvm::cl::desc("Fold batch norms and fuse epilogues in stage 1 (off: "
                     "the unfused reference path)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes of the kernels' vectors (16: AVX-512, 8: "
                     "AVX2)"),
      llvm::cl::init(16)};
  PassOptions::Option<std::string> kernelConfig{
      *this, "kernel-config",
      llvm::cl::desc("JSON file of per-layer overrides of the kernel "
                     "decisions (see cnn-select-kernels)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> winograd{
      *this, "winograd",
      llvm::cl::desc("Winograd for stride-1 3x3 convolutions: auto (cost "
                     "model), on (F(4x4, 3x3)), f2 (F(2x2, 3x3)), off"),
      llvm::cl::init("auto")};
  PassOptions::Option<int64_t> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Architectural vector registers (32: AVX-512, 16: "
                     "AVX2); a register block's accumulators, filter "
                     "vectors and broadcast must fit in them"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> filterCacheKiB{
      *this, "filter-cache-kib",
      llvm::cl::desc("Most filter bytes (KiB) one parallel task should "
                     "stream from cache (cnnc: half the host's L2 for "
                     "native code)"),
      llvm::cl::init(512)};
  PassOptions::Option<int64_t> l1CacheKiB{
      *this, "l1-cache-kib",
      llvm::cl::desc("L1 data cache (KiB) the register blocks are chosen "
                     "for (cnnc: the host's for native code)"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> registerBudget{
      *this, "register-budget",
      llvm::cl::desc("Most vector accumulators of a convolution's register "
                     "block"),
      llvm::cl::init(16)};
};

/// Stage 1, `cnn` -> `cnn`: graph simplification on the cnn dialect, then
/// the kernel decision of every layer for the target.
void buildCnnGraphPipeline(OpPassManager &pm, const PipelineOptions &options);
/// The kernel decisions alone (cnn-select-kernels with the target's
/// options): what stage 1 ends with.
void buildKernelSelectionPipeline(OpPassManager &pm,
                                  const PipelineOptions &options);
/// Stage 2, `cnn` -> `linalg`: lowering to linalg on tensors.
void buildCnnToLinalgPipeline(OpPassManager &pm,
                              const PipelineOptions &options);
/// Stage 3, `linalg` -> `llvm`: bufferization, loops, the LLVM dialect.
void buildLinalgToLLVMPipeline(OpPassManager &pm,
                               const PipelineOptions &options);
/// All three stages: the pipeline `cnnc` runs.
void buildCnnToLLVMPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Registers `cnn-graph`, `cnn-to-linalg`, `cnn-linalg-to-llvm` and
/// `cnn-to-llvm` so that cnn-opt reproduces every stage of cnnc.
void registerCnnPipelines();

} // namespace cnn
} // namespace mlir

#endif // CNN_TRANSFORMS_PASSES_H
