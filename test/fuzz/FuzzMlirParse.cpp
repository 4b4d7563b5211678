//===- FuzzMlirParse.cpp - libFuzzer target: cnnc's MLIR input ------------===//
//
// Any bytes as a model in MLIR text or bytecode, read as cnnc reads it:
// parse, verify (the cnn ops' verifiers), then the graph passes.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"
#include "Import/MlirInput.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &context = cnn_fuzz::getContext();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir"),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::cnn::parseMlirModel(sourceMgr, &context);
  if (module)
    cnn_fuzz::runGraphPasses(*module);
  return 0;
}
