//===- FuzzOnnxImport.cpp - libFuzzer target: the ONNX importer -----------===//
//
// Any bytes as an ONNX model: the importer must reject or import them
// (followed by the graph passes), never crash, hang or exhaust memory.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"
#include "Import/OnnxImporter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &context = cnn_fuzz::getContext();
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::cnn::importOnnxModelFromBytes(&context, bytes, "fuzz.onnx",
                                          mlir::cnn::OnnxImportOptions());
  if (module)
    cnn_fuzz::runGraphPasses(*module);
  return 0;
}
