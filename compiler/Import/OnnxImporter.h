//===- OnnxImporter.h - ONNX models into the cnn dialect --------*- C++ -*-===//
//
// Reads an ONNX model (as exported from PyTorch) into a module holding one
// function `@forward` in the cnn dialect. Errors are reported as diagnostics
// naming the file, the node and what is wrong.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_IMPORT_ONNXIMPORTER_H
#define CNN_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>

namespace mlir::cnn {

struct OnnxImportOptions {
  /// Replaces the model input's shape (all of it, or its symbolic
  /// dimensions); empty keeps the file's shape.
  SmallVector<int64_t> inputShape;
  /// Replaces dimension 0 of the input (after `inputShape`): the batch.
  std::optional<int64_t> batch;
  /// Set to true if the file's batch dimension is symbolic (then compiled
  /// as `batch`, else 1).
  bool *symbolicBatch = nullptr;
};

/// Imports `path`; returns null after emitting a diagnostic on failure.
OwningOpRef<ModuleOp> importOnnxModel(MLIRContext *context, StringRef path,
                                      const OnnxImportOptions &options);

/// Imports a serialized model held in memory; `name` stands for its path
/// in diagnostics and as the directory of external data files.
OwningOpRef<ModuleOp>
importOnnxModelFromBytes(MLIRContext *context, StringRef bytes, StringRef name,
                         const OnnxImportOptions &options);

} // namespace mlir::cnn

#endif // CNN_IMPORT_ONNXIMPORTER_H
