//===- ModelReport.h - Summaries and pictures of a model --------*- C++ -*-===//
//
// What `cnnc --emit=summary` and `--emit=dot` print: a per-layer table of a
// cnn-dialect model (parameters, multiply-accumulates, receptive field) and
// the network as a Graphviz graph.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_REPORT_MODELREPORT_H
#define CNN_REPORT_MODELREPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::cnn {

/// One line of the module's `cnn.layer_table` (see cnn-instrument-layers):
/// a layer of the compiled model as the profiler names it.
struct LayerRecord {
  std::string name;
  std::string kind;
  std::string shape;
  int64_t flops = 0;
  std::string algorithm;
};

/// The layers recorded in `module`'s layer table, in layer order; empty if
/// the module has none.
SmallVector<LayerRecord> readLayerTable(ModuleOp module);

/// Prints `model` as a Graphviz digraph: one node per cnn op with its name,
/// kind and fused epilogue, output shape, FLOPs and algorithm (from
/// `layers`, the i-th record describing the i-th cnn op of the body, as
/// cnn-instrument-layers numbers them), and one edge per value passed
/// between them; residual edges are dashed.
void printGraphDot(func::FuncOp model, ArrayRef<LayerRecord> layers,
                   llvm::raw_ostream &os);

/// Prints the per-layer summary of `model` (best before the graph passes,
/// where batch norms still count their parameters as PyTorch does): op,
/// output shape, parameters, multiply-accumulates and receptive field, then
/// totals. As a terminal table, or as JSON with `json`.
void printModelSummary(func::FuncOp model, StringRef modelName, bool json,
                       llvm::raw_ostream &os);

} // namespace mlir::cnn

#endif // CNN_REPORT_MODELREPORT_H
