//===- ModelReport.h - Summaries and pictures of a model --------*- C++ -*-===//
//
// What `cnnc --emit=summary` and `--emit=dot` print: a per-layer table of a
// cnn-dialect model (parameters, multiply-accumulates, receptive field) and
// the network as a Graphviz graph.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_REPORT_MODELREPORT_H
#define CNN_REPORT_MODELREPORT_H

#include "cnn/CnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::cnn {

/// Prints `model` as a Graphviz digraph: one node per cnn op with its name,
/// kind and fused epilogue, output shape, FLOPs and algorithm (from
/// `layers`, the module's layer table: the i-th record describes the i-th
/// cnn op of the body, as cnn-instrument-layers numbers them), and one edge
/// per value passed between them; residual edges are dashed.
void printGraphDot(func::FuncOp model, ArrayRef<LayerInfoAttr> layers,
                   llvm::raw_ostream &os);

/// Prints the per-layer summary of `model` (best before the graph passes,
/// where batch norms still count their parameters as PyTorch does): op,
/// output shape, parameters, multiply-accumulates and receptive field, then
/// totals. As a terminal table, or as JSON with `json`.
void printModelSummary(func::FuncOp model, StringRef modelName, bool json,
                       llvm::raw_ostream &os);

} // namespace mlir::cnn

#endif // CNN_REPORT_MODELREPORT_H
