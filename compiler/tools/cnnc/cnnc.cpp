//===- cnnc.cpp - The cnn ahead-of-time compiler driver -------------------===//
//
//   cnnc MODEL.mlir|MODEL.mlirbc|MODEL.onnx [-o OUT] [--emit=STAGE]
//
// The command line of cnn::compileModel (compiler/Driver/Compiler.h): flags
// to CompileOptions, MLIR's context with one-line diagnostics, and the pass
// statistics on exit.
//
//===----------------------------------------------------------------------===//

#include "Driver/Compiler.h"
#include "Transforms/PassStatistics.h"
#include "Transforms/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
cl::OptionCategory cnncCategory("cnnc options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<model>"),
                                   cl::Required, cl::cat(cnncCategory));
cl::opt<std::string> outputFilename(
    "o",
    cl::desc("Output file ('-' for stdout; default: derived from the "
             "model name and --emit)"),
    cl::value_desc("file"), cl::init(""), cl::cat(cnncCategory));
cl::opt<cnn::EmitKind> emitKind(
    "emit", cl::desc("What to produce"), cl::init(cnn::EmitKind::Exe),
    cl::values(
        clEnumValN(cnn::EmitKind::Summary, "summary",
                   "a per-layer table: op, output shape, parameters, "
                   "MACs, receptive field"),
        clEnumValN(cnn::EmitKind::SummaryJson, "summary-json",
                   "the summary as JSON"),
        clEnumValN(cnn::EmitKind::Cnn, "cnn",
                   "the cnn dialect after graph passes"),
        clEnumValN(cnn::EmitKind::Dot, "dot",
                   "the network as a Graphviz graph (shapes, fused "
                   "epilogues, FLOPs, algorithm per layer)"),
        clEnumValN(cnn::EmitKind::Svg, "svg",
                   "the graph drawn by Graphviz's dot as SVG"),
        clEnumValN(cnn::EmitKind::Linalg, "linalg", "linalg on tensors"),
        clEnumValN(cnn::EmitKind::LLVMDialect, "llvm", "the MLIR LLVM dialect"),
        clEnumValN(cnn::EmitKind::LLVMIR, "llvm-ir", "optimized LLVM IR"),
        clEnumValN(cnn::EmitKind::Asm, "asm", "target assembly"),
        clEnumValN(cnn::EmitKind::Obj, "obj",
                   "an object file and its C header (as for lib)"),
        clEnumValN(cnn::EmitKind::Lib, "lib",
                   "a shared library and its C header (cnn_model.h, or "
                   "NAME.h with --name)"),
        clEnumValN(cnn::EmitKind::Exe, "exe", "a native executable (default)")),
    cl::cat(cnncCategory));
cl::opt<std::string> targetCpu(
    "target-cpu",
    cl::desc("Target CPU, or a comma-separated list for one binary with a "
             "variant per CPU, chosen at load by the CPU's features, e.g. "
             "'x86-64-v3,znver4' (default: native, the host's)"),
    cl::init("native"), cl::cat(cnncCategory));
cl::opt<std::string> targetFeatures(
    "mattr",
    cl::desc("Target features, e.g. '+avx2,-avx512f' (default: the host's)"),
    cl::init(""), cl::cat(cnncCategory));
cl::opt<std::string> symbolName(
    "name",
    cl::desc("Prefix of the exported C symbols (NAME_run, NAME_input_shape, "
             "...) and name of a library's header (NAME.h), so that several "
             "models link into one program (default: cnn_model)"),
    cl::value_desc("NAME"), cl::init(cnn::kDefaultModelName),
    cl::cat(cnncCategory));
cl::opt<std::string> inputShape(
    "input-shape",
    cl::desc("Input shape of an ONNX model, e.g. 4x3x224x224 (sets symbolic "
             "dimensions such as the batch)"),
    cl::value_desc("NxCxHxW"), cl::init(""), cl::cat(cnncCategory));
cl::opt<std::string> batchOption(
    "batch",
    cl::desc("Batch size: N, or 'dynamic' for a model that takes any batch "
             "at run time (NAME_run_batch), compiled as blocks of "
             "--batch-block images plus one-image code for the remainder "
             "(default: the model's batch; dynamic for an ONNX model whose "
             "batch dimension is symbolic)"),
    cl::value_desc("N|dynamic"), cl::init(""), cl::cat(cnncCategory));
cl::opt<unsigned> batchBlock(
    "batch-block",
    cl::desc("With a dynamic batch: images per block of compiled code "
             "(default 8)"),
    cl::value_desc("N"), cl::init(8), cl::cat(cnncCategory));
cl::opt<bool> printWeights(
    "print-weights",
    cl::desc("Print weights in full in textual IR (default: tensors of more "
             "than 16 elements are elided)"),
    cl::init(false), cl::cat(cnncCategory));
cl::opt<bool> graphPasses(
    "graph-passes",
    cl::desc("Fold batch norms and fuse epilogues (default on; off gives the "
             "unfused reference path)"),
    cl::init(true), cl::cat(cnncCategory));
cl::opt<std::string> winogradMode(
    "winograd",
    cl::desc("Winograd for stride-1 3x3 convolutions: auto (a cost model "
             "chooses per layer), on (F(4x4, 3x3) for every eligible layer), "
             "f2 (F(2x2, 3x3) for every eligible layer), off"),
    cl::init("auto"), cl::cat(cnncCategory));
cl::opt<std::string> kernelConfigFile(
    "kernel-config",
    cl::desc("JSON file overriding the kernel chosen for named layers: "
             "{\"layers\": {\"conv1\": {\"algorithm\": \"direct\", "
             "\"pixels\": 7}}} (fields as --emit=cnn shows them)"),
    cl::value_desc("FILE"), cl::init(""), cl::cat(cnncCategory));
cl::opt<unsigned> kernelRegisters(
    "kernel-registers",
    cl::desc("Most vector accumulators of a convolution's register block "
             "(default: 16 with AVX-512, 12 with AVX2)"),
    cl::init(0), cl::cat(cnncCategory));
cl::opt<std::string> dumpDir(
    "dump-dir",
    cl::desc("Also write every stage to DIR: 00-import.mlir, 01-graph.mlir, "
             "02-linalg.mlir, 03-llvm.mlir, 04-model.ll, 05-model.s (up to "
             "the stage --emit asks for)"),
    cl::value_desc("dir"), cl::init(""), cl::cat(cnncCategory));
cl::opt<std::string> irTreeDir(
    "ir-tree-dir",
    cl::desc("Write the IR after every pass to DIR, one file per pass, in a "
             "subdirectory per stage (1-graph, 2-to-linalg, 3-to-llvm); "
             "weights elided unless --print-weights"),
    cl::value_desc("dir"), cl::init(""), cl::cat(cnncCategory));
cl::opt<bool> timingReport(
    "timing",
    cl::desc("Print the compile-time report: every pass and stage (MLIR's "
             "pass timing, as --mlir-timing)"),
    cl::init(false), cl::cat(cnncCategory));
cl::opt<cl::boolOrDefault> progressLines(
    "progress",
    cl::desc("Print a line as each stage finishes (default: when stderr is "
             "a terminal)"),
    cl::cat(cnncCategory));
cl::opt<bool>
    tune("tune",
         cl::desc("Instead of compiling: time each layer under every candidate "
                  "algorithm on this CPU and write the fastest as a "
                  "--kernel-config file (-o, default MODEL.kernels.json)"),
         cl::init(false), cl::cat(cnncCategory));
cl::opt<unsigned> tuneRuns("tune-runs",
                           cl::desc("Profiled runs per candidate (default 10)"),
                           cl::init(10), cl::cat(cnncCategory));
cl::opt<unsigned>
    tuneThreads("tune-threads",
                cl::desc("Threads the candidates run on (default: every CPU)"),
                cl::init(0), cl::cat(cnncCategory));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::Prefix, cl::init(3), cl::cat(cnncCategory));

/// A one-line diagnostic: `file:line:col: error: message`.
void printDiagnostic(Diagnostic &diag) {
  std::string location;
  llvm::raw_string_ostream os(location);
  if (auto fileLoc = dyn_cast<FileLineColLoc>(diag.getLocation())) {
    os << fileLoc.getFilename().getValue();
    if (fileLoc.getLine() != 0)
      os << ":" << fileLoc.getLine() << ":" << fileLoc.getColumn();
  } else if (auto nameLoc = dyn_cast<NameLoc>(diag.getLocation())) {
    if (auto fileLoc = dyn_cast<FileLineColLoc>(nameLoc.getChildLoc()))
      os << fileLoc.getFilename().getValue() << ": ";
    os << "node '" << nameLoc.getName().getValue() << "'";
  } else
    os << inputFilename;
  StringRef severity = diag.getSeverity() == DiagnosticSeverity::Error ? "error"
                       : diag.getSeverity() == DiagnosticSeverity::Warning
                           ? "warning"
                           : "note";
  llvm::errs() << location << ": " << severity << ": " << diag.str() << "\n";
}

/// Directory holding libcnnrt.a: <bin>/../lib next to the cnnc executable.
std::string runtimeLibraryDir(const char *argv0) {
  std::string executable =
      llvm::sys::fs::getMainExecutable(argv0, (void *)&runtimeLibraryDir);
  SmallString<256> dir(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(executable)));
  llvm::sys::path::append(dir, "lib");
  return std::string(dir);
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  // The pipeline spells upstream passes by name: they must be registered.
  registerAllPasses();
  cnn::registerCnnPasses();
  cl::AddExtraVersionPrinter([](llvm::raw_ostream &os) {
    os << "cnnc " CNNC_VERSION " (built with MLIR/LLVM " LLVM_VERSION_STRING
          ")\n";
  });
  cl::HideUnrelatedOptions({&cnncCategory});
  // MLIR's IR printing, statistics and timing options under --help-hidden.
  for (auto &[name, option] : cl::getRegisteredOptions())
    if (name.starts_with("mlir-print-ir") || name.starts_with("mlir-pass") ||
        name.starts_with("mlir-timing") || name.starts_with("mlir-elide"))
      option->setHiddenFlag(cl::Hidden);
  cl::ParseCommandLineOptions(
      argc, argv,
      "cnnc: compile a convolutional network to native code\n\n"
      "  cnnc model.mlir -o model          a native executable\n"
      "  cnnc --emit=lib model.mlir -o libmodel.so\n"
      "  cnnc --emit=linalg model.mlir     print a stage of the IR\n"
      "  cnnc --emit=summary model.onnx    layers, parameters, MACs\n\n"
      "MLIR's own options work too (listed by --help-hidden), e.g.\n"
      "--mlir-print-ir-after-all, --mlir-pass-statistics (what each cnn pass\n"
      "folded, fused or tiled) and --mlir-timing.\n");

  // MLIR's file-tree printing numbers its files per pass manager, and cnnc
  // runs one per stage: --ir-tree-dir gives each stage its subdirectory.
  if (cl::Option *treeDir =
          cl::getRegisteredOptions().lookup("mlir-print-ir-tree-dir");
      treeDir && treeDir->getNumOccurrences()) {
    llvm::errs() << "cnnc: error: use --ir-tree-dir=DIR (one subdirectory per "
                    "stage) instead of --mlir-print-ir-tree-dir\n";
    return 1;
  }

  DialectRegistry registry;
  cnn::registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  ScopedDiagnosticHandler diagnostics(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });
  bool printStatistics = cnn::takePassStatisticsFlag();
  cnn::CompileOptions options;
  options.inputFilename = inputFilename;
  options.outputFilename = outputFilename;
  options.emit = emitKind;
  options.targetCpu = targetCpu;
  options.targetFeatures = targetFeatures;
  options.name = symbolName;
  options.inputShape = inputShape;
  options.batch = batchOption;
  options.batchBlock = batchBlock;
  options.batchBlockGiven = batchBlock.getNumOccurrences() > 0;
  options.printWeights = printWeights;
  options.graphPasses = graphPasses;
  options.winograd = winogradMode;
  options.kernelConfig = kernelConfigFile;
  options.kernelRegisters = kernelRegisters;
  options.dumpDir = dumpDir;
  options.irTreeDir = irTreeDir;
  options.timing = timingReport;
  if (progressLines != cl::BOU_UNSET)
    options.progress = progressLines == cl::BOU_TRUE;
  options.optLevel = optLevel;
  options.runtimeLibraryDir = runtimeLibraryDir(argv[0]);
  LogicalResult compiled = failure();
  if (tune) {
    if (emitKind.getNumOccurrences())
      llvm::errs() << "cnnc: error: --tune writes a kernel config; it takes "
                      "no --emit\n";
    else if (tuneRuns < 1 || tuneRuns > 10000)
      llvm::errs() << "cnnc: error: invalid --tune-runs=" << tuneRuns
                   << ": expected 1 to 10000\n";
    else
      compiled = cnn::tuneModel(context, options,
                                cnn::TuneOptions{tuneRuns, tuneThreads});
  } else {
    compiled = cnn::compileModel(context, options);
  }
  if (printStatistics)
    cnn::printPassStatistics(llvm::errs());
  return failed(compiled) ? 1 : 0;
}
