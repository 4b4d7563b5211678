//===- cnn-opt.cpp - mlir-opt with the cnn dialect and passes -------------===//
//
// The mlir-opt style driver: every upstream dialect and pass, plus the cnn
// dialect, the project's passes (flags prefixed `cnn-`) and its pipeline.
//
//===----------------------------------------------------------------------===//

#include "Transforms/PassStatistics.h"
#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::cnn::registerCnnPasses();
  mlir::cnn::registerCnnPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::cnn::CnnDialect>();
  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "cnn optimizer driver\n", registry);
  bool printStatistics = mlir::cnn::takePassStatisticsFlag();
  mlir::LogicalResult result =
      mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry);
  if (printStatistics)
    mlir::cnn::printPassStatistics(llvm::errs());
  return mlir::asMainReturnCode(result);
}
