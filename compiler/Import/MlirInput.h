//===- MlirInput.h - Models in MLIR text or bytecode ------------*- C++ -*-===//
//
// How cnnc reads a model given as MLIR: text or bytecode, told apart by
// content, with a guard against input that would crash the parser.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_IMPORT_MLIRINPUT_H
#define CNN_IMPORT_MLIRINPUT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

namespace mlir::cnn {

/// Deepest bracket nesting accepted in MLIR text. MLIR's recursive-descent
/// parser uses stack per level and has no limit of its own: a few thousand
/// nested parentheses overflow the stack. Real models nest a few levels.
inline constexpr int64_t kMaxMlirNesting = 256;

/// Parses the main buffer of `sourceMgr` (MLIR text or bytecode) into a
/// module; returns null after emitting a diagnostic on failure.
OwningOpRef<ModuleOp> parseMlirModel(llvm::SourceMgr &sourceMgr,
                                     MLIRContext *context);

} // namespace mlir::cnn

#endif // CNN_IMPORT_MLIRINPUT_H
