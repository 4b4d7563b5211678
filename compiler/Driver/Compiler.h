//===- Compiler.h - A model file to a binary, as a library ------*- C++ -*-===//
//
// Part of the cnnc project.
//
// The whole of `cnnc` as one call: import a model (cnn-dialect MLIR text or
// bytecode, or ONNX), run the pipeline stages, generate code for the
// targets and write what `emit` asks for (a stage of the IR, a summary, a
// graph, an object, a library and its header, an executable). The `cnnc`
// tool is this call behind a command line (compiler/tools/cnnc); errors are
// MLIR diagnostics on the context, or lines beginning "cnnc: error:" on
// stderr for the driver's own checks.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DRIVER_COMPILER_H
#define CNNC_DRIVER_COMPILER_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir::cnn {

/// What a compile produces.
enum class EmitKind {
  Summary,
  SummaryJson,
  Cnn,
  Dot,
  Svg,
  Linalg,
  LLVMDialect,
  LLVMIR,
  Asm,
  Obj,
  Lib,
  Exe
};

/// The prefix of a model's C symbols unless `CompileOptions::name` says
/// otherwise.
inline constexpr const char *kDefaultModelName = "cnn_model";

/// Every option of a compile; the fields are `cnnc`'s flags (its --help and
/// docs/USER_GUIDE.md describe them).
struct CompileOptions {
  std::string inputFilename;
  /// Empty: derived from the model's name and `emit`; "-": stdout.
  std::string outputFilename;
  EmitKind emit = EmitKind::Exe;
  /// A CPU or a comma-separated list of them (one code variant each).
  std::string targetCpu = "native";
  std::string targetFeatures;
  /// The prefix of the exported C symbols and the header's name.
  std::string name = kDefaultModelName;
  /// ONNX only: NxCxHxW.
  std::string inputShape;
  /// "", a batch size, or "dynamic".
  std::string batch;
  unsigned batchBlock = 8;
  /// Whether batchBlock was given (it needs a dynamic batch).
  bool batchBlockGiven = false;
  bool printWeights = false;
  bool graphPasses = true;
  std::string winograd = "auto";
  std::string kernelConfig;
  /// 0: the target's default.
  unsigned kernelRegisters = 0;
  std::string dumpDir;
  /// The IR after every pass, one file each, under one subdirectory per
  /// stage (MLIR's file-tree printing); empty: none.
  std::string irTreeDir;
  bool timing = false;
  /// A line per stage on stderr; unset: when stderr is a terminal.
  std::optional<bool> progress;
  unsigned optLevel = 3;
  /// The directory holding libcnnrt.a and libcnnrt_main.a, for linking.
  std::string runtimeLibraryDir;
};

/// Compiles as `options` say; failure after reporting why.
LogicalResult compileModel(MLIRContext &context, const CompileOptions &options);

/// How `tuneModel` times the candidates.
struct TuneOptions {
  /// Profiled runs of each candidate binary.
  unsigned runs = 10;
  /// Threads they run on; 0: the binary's default (every CPU).
  unsigned threads = 0;
};

/// `cnnc --tune`: compiles the model once per candidate algorithm (the cost
/// model's choice; direct, Winograd F2 and F4 wherever eligible), times
/// every layer of each on this CPU in a child process, and writes a
/// --kernel-config file (`outputFilename`, default MODEL.kernels.json)
/// giving each layer the fastest algorithm, with the measured times.
LogicalResult tuneModel(MLIRContext &context, const CompileOptions &options,
                        const TuneOptions &tune);

/// The dialects and translations a compile needs.
void registerCompilerDialects(DialectRegistry &registry);

} // namespace mlir::cnn

#endif // CNNC_DRIVER_COMPILER_H
