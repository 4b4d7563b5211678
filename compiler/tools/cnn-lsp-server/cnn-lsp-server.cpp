//===- cnn-lsp-server.cpp - MLIR language server with the cnn dialect -----===//
//
// mlir-lsp-server that also knows the cnn dialect: editors get diagnostics
// (the ops' verifiers), hover, go-to-definition and completion in `.mlir`
// model files. Speaks LSP over stdin/stdout; see docs/USER_GUIDE.md for
// editor set-up.
//
//===----------------------------------------------------------------------===//

#include "cnn/CnnOps.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Tools/mlir-lsp-server/MlirLspServerMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::cnn::CnnDialect>();
  return mlir::failed(mlir::MlirLspServerMain(argc, argv, registry)) ? 1 : 0;
}
