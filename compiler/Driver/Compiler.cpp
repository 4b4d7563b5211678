//===- Compiler.cpp - A model file to a binary, as a library -------------===//
//
// Part of the cnnc project. See Compiler.h.
//
// Parses the model, runs the three pipeline stages (see Pipeline.cpp),
// translates to LLVM IR, optimizes and generates code for the target CPU,
// and links the object with the cnnc runtime into an executable or a shared
// library. Every stage can be printed. Outputs are written to a temporary
// file and renamed into place, so a failure leaves none behind.
//
//===----------------------------------------------------------------------===//

#include "Driver/Compiler.h"
#include "Import/MlirInput.h"
#include "Import/OnnxImporter.h"
#include "Report/ModelReport.h"
#include "Target/KernelTarget.h"
#include "Target/Multiversion.h"
#include "Transforms/PassStatistics.h"
#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <fmt/format.h>

#include "ModelAbiHeader.inc"

#include <chrono>
#include <cstdio>
#include <optional>

using namespace mlir;
namespace cl = llvm::cl;

/// Fails, at the first such constant, if a weight's data is not in the
/// file: MLIR printed with elided weights (`dense_resource<__elided__>`)
/// describes the structure only.
static LogicalResult checkWeightsPresent(ModuleOp module) {
  WalkResult result = module.walk([](arith::ConstantOp constant) {
    auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue());
    if (!resource || resource.getRawHandle().getBlob())
      return WalkResult::advance();
    constant.emitError("the weights of this ")
        << constant.getType() << " are not in the file (dense_resource<"
        << resource.getRawHandle().getKey()
        << "> has no data: MLIR printed with elided weights); cnnc needs them "
           "to compile the model (--emit=cnn, summary and dot work without)";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

namespace {
using Emit = cnn::EmitKind;

LogicalResult fail(const Twine &message) {
  llvm::errs() << "cnnc: error: " << message << "\n";
  return failure();
}

/// Writes `path` through a temporary file renamed into place on success,
/// so no partial output survives a failure. "-" writes to stdout.
LogicalResult writeAtomically(
    StringRef path,
    llvm::function_ref<LogicalResult(llvm::raw_pwrite_stream &)> write) {
  if (path == "-") {
    llvm::outs().SetUnbuffered();
    return write(llvm::outs());
  }
  // A device or a pipe (/dev/null, a FIFO) is written in place: renaming a
  // file over it would replace it.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) && llvm::sys::fs::exists(status) &&
      status.type() != llvm::sys::fs::file_type::regular_file &&
      status.type() != llvm::sys::fs::file_type::directory_file) {
    std::error_code error;
    llvm::raw_fd_ostream os(path, error);
    if (error)
      return fail(
          fmt::format("cannot write '{}': {}", path.str(), error.message()));
    LogicalResult written = write(os);
    os.flush();
    if (os.has_error()) {
      os.clear_error();
      return fail(fmt::format("cannot write '{}'", path.str()));
    }
    return written;
  }
  auto temp = llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
  if (!temp)
    return fail(fmt::format("cannot write '{}': {}", path.str(),
                            llvm::toString(temp.takeError())));
  LogicalResult written = success();
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    written = write(os);
    os.flush();
    if (os.has_error()) {
      written = fail(fmt::format("cannot write '{}': {}", path.str(),
                                 os.error().message()));
      os.clear_error();
    }
  }
  if (failed(written)) {
    llvm::consumeError(temp->discard());
    return failure();
  }
  if (llvm::Error error = temp->keep(path))
    return fail(fmt::format("cannot write '{}': {}", path.str(),
                            llvm::toString(std::move(error))));
  return success();
}

LogicalResult emitMachineCode(llvm::Module &module,
                              llvm::TargetMachine &machine,
                              llvm::CodeGenFileType fileType,
                              llvm::raw_pwrite_stream &os) {
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, fileType))
    return fail("the target cannot emit this file type");
  passes.run(module);
  return success();
}

LogicalResult runLinker(ArrayRef<std::string> arguments) {
  auto clang = llvm::sys::findProgramByName("clang-22");
  if (!clang)
    clang = llvm::sys::findProgramByName("clang", {CNNC_LLVM_BIN_DIR});
  if (!clang)
    return fail("cannot find clang-22 to link the model");
  SmallVector<StringRef> argv = {*clang};
  for (const std::string &argument : arguments)
    argv.push_back(argument);
  std::string error;
  int status =
      llvm::sys::ExecuteAndWait(*clang, argv, std::nullopt, {}, 0, 0, &error);
  if (status != 0)
    return fail(
        fmt::format("linking failed ({}): {}", status,
                    error.empty() ? "see the linker's output above" : error));
  return success();
}

/// A shape for people: 1x3x224x224, Nx3x224x224 for a dynamic batch.
std::string shapeComment(ArrayRef<int64_t> shape) {
  std::string text = fmt::format("{}", fmt::join(shape, "x"));
  if (!shape.empty() && shape.front() < 0)
    text =
        "N" + text.substr(text.find('x') == std::string::npos ? text.size()
                                                              : text.find('x'));
  return text;
}

/// A C identifier: what --name must be to prefix C symbols.
bool isCIdentifier(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// One line per finished stage on stderr, for users of large models.
class ProgressReporter {
public:
  explicit ProgressReporter(bool enabled)
      : enabled(enabled), start(Clock::now()) {}

  void finished(StringRef stage) {
    Clock::time_point now = Clock::now();
    if (enabled)
      llvm::errs() << fmt::format(
          "cnnc: {:<28} {:7.2f} s\n", stage.str(),
          std::chrono::duration<double>(now - start).count());
    start = now;
  }

private:
  using Clock = std::chrono::steady_clock;
  bool enabled;
  Clock::time_point start;
};

/// What a model file holds, told by its first bytes (and the `.onnx` name
/// for protobufs, which have no magic number).
enum class InputKind { Mlir, Onnx, TorchCheckpoint };

InputKind detectInputKind(StringRef path) {
  char head[4] = {0, 0, 0, 0};
  if (FILE *file = std::fopen(path.str().c_str(), "rb")) {
    size_t read = std::fread(head, 1, sizeof(head), file);
    std::fclose(file);
    (void)read;
  }
  auto byte = [&](int i) { return static_cast<unsigned char>(head[i]); };
  // torch.save: a zip archive (PyTorch >= 1.6) or a pickle (protocol 2-5).
  if ((head[0] == 'P' && head[1] == 'K' && byte(2) == 3 && byte(3) == 4) ||
      (byte(0) == 0x80 && byte(1) >= 2 && byte(1) <= 5))
    return InputKind::TorchCheckpoint;
  // An ONNX ModelProto begins with its ir_version field (tag 0x08).
  if (path.ends_with(".onnx") || byte(0) == 0x08)
    return InputKind::Onnx;
  return InputKind::Mlir;
}

/// One compile: the options, and the steps that read them.
class ModelCompiler {
public:
  ModelCompiler(MLIRContext &context, const cnn::CompileOptions &options)
      : context(context), options(options) {}

  std::string defaultOutputName() {
    StringRef stem = llvm::sys::path::stem(inputFilename);
    switch (emitKind) {
    case Emit::Summary:
    case Emit::SummaryJson:
    case Emit::Cnn:
    case Emit::Dot:
    case Emit::Linalg:
    case Emit::LLVMDialect:
    case Emit::LLVMIR:
      return "-";
    case Emit::Svg:
      return (stem + ".svg").str();
    case Emit::Asm:
      return (stem + ".s").str();
    case Emit::Obj:
      return (stem + ".o").str();
    case Emit::Lib:
      return ("lib" + stem + ".so").str();
    case Emit::Exe:
      return stem.str();
    }
    llvm_unreachable("unknown emit kind");
  }

  //===----------------------------------------------------------------------===//
  // Code generation and linking
  //===----------------------------------------------------------------------===//

  /// The targets of --target-cpu (a comma-separated list, best first) with
  /// --mattr applied to each.
  FailureOr<SmallVector<cnn::KernelTarget>> createTargets() {
    SmallVector<StringRef> cpus;
    StringRef(targetCpu).split(cpus, ',', -1, /*KeepEmpty=*/true);
    SmallVector<cnn::KernelTarget> targets;
    llvm::StringSet<> seen;
    for (StringRef cpu : cpus) {
      cpu = cpu.trim();
      if (cpu.empty())
        return fail(fmt::format("invalid --target-cpu '{}': expected a CPU or "
                                "a comma-separated list such as "
                                "'x86-64-v3,znver4'",
                                targetCpu));
      llvm::Expected<cnn::KernelTarget> target = cnn::createKernelTarget(
          cpu, targetFeatures,
          optLevel >= 2 ? llvm::CodeGenOptLevel::Aggressive
                        : llvm::CodeGenOptLevel::None);
      if (!target)
        return fail(llvm::toString(target.takeError()));
      if (!seen.insert(target->cpu).second)
        return fail(fmt::format("--target-cpu names '{}' twice", target->cpu));
      if (kernelRegisters)
        target->registerBudget = kernelRegisters;
      targets.push_back(std::move(*target));
    }
    // Best first, whatever order the list has: wider vectors, then more
    // features. The runtime runs the first variant the CPU can.
    SmallVector<size_t> order;
    for (size_t i = 0; i < targets.size(); ++i)
      order.push_back(i);
    auto rank = [&](size_t i) {
      return std::make_tuple(-targets[i].vectorWidth,
                             -int64_t(targets[i].requiredFeatures.size()), i);
    };
    llvm::sort(order, [&](size_t a, size_t b) { return rank(a) < rank(b); });
    SmallVector<cnn::KernelTarget> sorted;
    for (size_t i : order)
      sorted.push_back(std::move(targets[i]));
    return sorted;
  }

  /// The inputs and outputs cnn-export-c-abi recorded on the lowered entry
  /// point (`cnn.inputs`, `cnn.outputs`); nothing if it did not.
  std::optional<cnn::ModelInterface> readInterface(ModuleOp lowered) {
    auto entry = lowered.lookupSymbol<LLVM::LLVMFuncOp>(symbolName + "_run");
    if (!entry)
      return std::nullopt;
    cnn::ModelInterface interface;
    interface.prefix = symbolName;
    for (auto [attrName, tensors] :
         {std::pair("cnn.inputs", &interface.inputs),
          std::pair("cnn.outputs", &interface.outputs)}) {
      auto array = entry->getAttrOfType<ArrayAttr>(attrName);
      if (!array || array.empty())
        return std::nullopt;
      for (auto dict : array.getAsRange<DictionaryAttr>()) {
        auto name = dict ? dict.getAs<StringAttr>("name") : StringAttr();
        auto shape =
            dict ? dict.getAs<DenseI64ArrayAttr>("shape") : DenseI64ArrayAttr();
        if (!name || !shape || shape.empty())
          return std::nullopt;
        tensors->push_back({name.str(), llvm::to_vector(shape.asArrayRef())});
      }
    }
    return interface;
  }

  /// The C header of a model library or object: the runtime's declaration of
  /// the ABI (runtime/include/cnnrt/cnn_model_abi.h), after a comment with
  /// the model's tensors. With --name NAME, every `cnn_model_` becomes
  /// `NAME_` and the include guard `NAME_H`.
  std::string libraryHeader(const cnn::ModelInterface &model) {
    auto describe = [](ArrayRef<cnn::TensorInterface> tensors) {
      std::string text;
      for (const cnn::TensorInterface &tensor : tensors) {
        int64_t floats = 1;
        for (int64_t dim : ArrayRef(tensor.shape).drop_front())
          floats *= dim;
        text += fmt::format("{}'{}' {} ({} floats per image)",
                            text.empty() ? "" : ", ", tensor.name,
                            shapeComment(tensor.shape), floats);
      }
      return text;
    };
    std::string header = fmt::format(
        "/* Generated by cnnc from {0}: the C interface of the compiled "
        "model.\n"
        "   Inputs: {1}.\n   Outputs: {2}.\n   {3}; float32, C order; "
        "every\n   buffer is owned by the caller. */\n",
        llvm::sys::path::filename(inputFilename).str(), describe(model.inputs),
        describe(model.outputs),
        model.dynamicBatch
            ? fmt::format("Any batch N, run in blocks of {} images",
                          model.batchBlock)
            : fmt::format("Batch {}", model.batchBlock));
    header += kModelAbiHeader;
    auto replaceAll = [&](StringRef from, const std::string &to) {
      for (size_t at = header.find(from); at != std::string::npos;
           at = header.find(from, at + to.size()))
        header.replace(at, from.size(), to);
    };
    replaceAll("CNNRT_CNN_MODEL_ABI_H", StringRef(model.prefix).upper() + "_H");
    replaceAll("cnn_model_", model.prefix + "_");
    return header;
  }

  /// Prints `module` to `path` with its locations, so that the layer names
  /// (ONNX node names) survive a round trip through the text. With
  /// `allWeights` (the --dump-dir stages, which must compile again) or
  /// --print-weights, weights are printed in full (hex when large), else
  /// elided.
  LogicalResult printModule(ModuleOp module, StringRef path,
                            bool allWeights = false) {
    return writeAtomically(path, [&](llvm::raw_pwrite_stream &os) {
      OpPrintingFlags flags;
      flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
      if (!printWeights && !allWeights)
        flags.elideLargeElementsAttrs(16).elideLargeResourceString(64);
      module.print(os, flags);
      os << "\n";
      return success();
    });
  }

  /// Writes `fileName` into --dump-dir, if given.
  LogicalResult dumpStage(StringRef fileName,
                          llvm::function_ref<LogicalResult(StringRef)> write) {
    if (dumpDir.empty())
      return success();
    SmallString<256> path(dumpDir);
    llvm::sys::path::append(path, fileName);
    return write(path);
  }

  /// --emit=dot and svg: the graph after stage 1, each layer with the kernel
  /// chosen for it, as the layer table (built on a copy) describes it.
  LogicalResult emitGraph(ModuleOp module, StringRef output) {
    OwningOpRef<ModuleOp> lowered = module.clone();
    PassManager pm(module.getContext());
    pm.addPass(cnn::createCnnInstrumentLayers());
    if (failed(pm.run(*lowered)))
      return failure();
    func::FuncOp model = cnn::getModelFunction(module);
    if (!model)
      return fail(
          fmt::format("'{}' has no model function to draw", inputFilename));
    SmallVector<cnn::LayerInfoAttr> layers = cnn::getLayerTable(*lowered);
    if (emitKind == Emit::Dot)
      return writeAtomically(output, [&](llvm::raw_pwrite_stream &os) {
        cnn::printGraphDot(model, layers, os);
        return success();
      });

    auto dot = llvm::sys::findProgramByName("dot");
    if (!dot)
      return fail("--emit=svg needs Graphviz's 'dot' on PATH (Debian: apt "
                  "install graphviz); --emit=dot writes the graph itself");
    SmallString<128> dotPath;
    int dotFd;
    if (std::error_code error = llvm::sys::fs::createTemporaryFile(
            "cnnc-graph", "dot", dotFd, dotPath))
      return fail("cannot create a temporary file: " + error.message());
    llvm::FileRemover dotRemover(dotPath);
    {
      llvm::raw_fd_ostream os(dotFd, /*shouldClose=*/true);
      cnn::printGraphDot(model, layers, os);
    }
    std::string temporary = output.str() + ".tmp-svg";
    llvm::FileRemover temporaryRemover(temporary);
    SmallVector<StringRef> argv = {*dot, "-Tsvg", "-o", temporary, dotPath};
    std::string error;
    if (llvm::sys::ExecuteAndWait(*dot, argv, std::nullopt, {}, 0, 0, &error))
      return fail(fmt::format("Graphviz's dot failed{}{}",
                              error.empty() ? "" : ": ", error));
    if (std::error_code error = llvm::sys::fs::rename(temporary, output))
      return fail(
          fmt::format("cannot write '{}': {}", output.str(), error.message()));
    return success();
  }

  LogicalResult run() {
    ProgressReporter progress(
        options.progress.value_or(llvm::errs().is_displayed()));
    DefaultTimingManager timing;
    applyDefaultTimingManagerCLOptions(timing);
    if (timingReport)
      timing.setEnabled(true);
    TimingScope rootTiming = timing.getRootScope();
    TimingScope importTiming = rootTiming.nest("import");
    InputKind inputKind = detectInputKind(inputFilename);
    if (inputKind == InputKind::TorchCheckpoint)
      return fail(fmt::format(
          "'{}' is a PyTorch checkpoint (torch.save), not a model cnnc reads; "
          "export the model to ONNX first: torch.onnx.export(model.eval(), "
          "torch.randn(1, 3, 224, 224), 'model.onnx')",
          inputFilename));
    // --batch: a number, dynamic, or (unset) the model's own.
    std::optional<int64_t> fixedBatch;
    bool dynamicRequested = batchOption == "dynamic";
    if (!batchOption.empty() && !dynamicRequested) {
      int64_t value;
      if (StringRef(batchOption).getAsInteger(10, value) || value < 1 ||
          value > (1 << 20))
        return fail(fmt::format("invalid --batch={}: expected a batch size "
                                "such as 8, or 'dynamic'",
                                batchOption));
      fixedBatch = value;
    }
    if (batchBlock < 1 || batchBlock > 4096)
      return fail(fmt::format("invalid --batch-block={}: expected 1 to 4096",
                              batchBlock));

    cnn::OnnxImportOptions importOptions;
    bool symbolicBatch = false;
    importOptions.symbolicBatch = &symbolicBatch;
    if (inputKind == InputKind::Onnx && !inputShape.empty()) {
      SmallVector<StringRef> dims;
      StringRef(inputShape).split(dims, 'x');
      for (StringRef dim : dims) {
        int64_t value;
        if (dim.getAsInteger(10, value) || value <= 0 || value > (1 << 24))
          return fail(fmt::format("--input-shape '{}' is not a shape like "
                                  "1x3x224x224",
                                  inputShape));
        importOptions.inputShape.push_back(value);
      }
    }
    if (inputKind != InputKind::Onnx && !inputShape.empty())
      return fail("--input-shape applies to ONNX models only");
    // MLIR text or bytecode, told apart by content, is parsed once.
    OwningOpRef<ModuleOp> parsed;
    if (inputKind == InputKind::Mlir) {
      std::string errorMessage;
      auto file = openInputFile(inputFilename, &errorMessage);
      if (!file)
        return fail(
            fmt::format("cannot open '{}': {}", inputFilename, errorMessage));
      llvm::SourceMgr sourceMgr;
      sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
      parsed = cnn::parseMlirModel(sourceMgr, &context);
      if (!parsed)
        return failure();
    }
    // The model for `batch` (or the file's): ONNX is imported again, so that
    // shape arithmetic folds for that batch; MLIR gets its types recomputed.
    auto importAt = [&](std::optional<int64_t> batch) -> OwningOpRef<ModuleOp> {
      OwningOpRef<ModuleOp> imported;
      if (inputKind == InputKind::Onnx) {
        importOptions.batch = batch;
        imported = cnn::importOnnxModel(&context, inputFilename, importOptions);
      } else {
        imported = parsed->clone();
        if (batch) {
          PassManager pm(&context);
          pm.addPass(cnn::createCnnSetBatch(cnn::CnnSetBatchOptions{*batch}));
          if (failed(pm.run(*imported)))
            return nullptr;
        }
      }
      if (!imported || failed(verify(*imported)))
        return nullptr;
      return imported;
    };
    auto batchOf = [](ModuleOp module) -> int64_t {
      func::FuncOp model = cnn::getModelFunction(module);
      auto type = model && model.getNumArguments() >= 1
                      ? dyn_cast<RankedTensorType>(model.getArgumentTypes()[0])
                      : RankedTensorType();
      return type && type.getRank() > 0 ? type.getDimSize(0) : 0;
    };
    OwningOpRef<ModuleOp> module = importAt(fixedBatch);
    if (!module)
      return failure();
    // A dynamic batch runs blocks of the batch-block code, and the remainder
    // through one-image code (`singleModule`, when the block is larger).
    bool dynamicBatch =
        dynamicRequested || (batchOption.empty() && symbolicBatch);
    if (options.batchBlockGiven && !dynamicBatch)
      return fail("--batch-block applies to a dynamic batch (--batch=dynamic, "
                  "or an ONNX model with a symbolic batch dimension)");
    OwningOpRef<ModuleOp> singleModule;
    if (dynamicBatch) {
      if (batchOf(*module) < 1)
        return fail(fmt::format("'{}' has no batch dimension to make dynamic",
                                inputFilename));
      OwningOpRef<ModuleOp> single =
          batchOf(*module) == 1 ? std::move(module) : importAt(1);
      if (!single)
        return failure();
      if (batchBlock == 1) {
        module = std::move(single);
      } else {
        module = importAt(int64_t(batchBlock));
        if (!module)
          return failure();
        singleModule = std::move(single);
      }
    }
    int64_t compiledBatch = batchOf(*module);
    importTiming.stop();
    progress.finished("import");

    // The target decides the kernels' vector width: 16 f32 lanes with
    // AVX-512, 8 without.
    if (optLevel > 3)
      return fail(fmt::format("invalid -O{}: expected 0, 1, 2 or 3", optLevel));
    FailureOr<SmallVector<cnn::KernelTarget>> targets = createTargets();
    if (failed(targets))
      return failure();
    // Stages 1 and 2 do not depend on the target; stage 3 and what follows
    // run once per target (the first one's IR is what --emit prints).
    cnn::PipelineOptions pipeline;
    pipeline.graphPasses = graphPasses;
    targets->front().applyTo(pipeline);
    if (winogradMode != "auto" && winogradMode != "on" &&
        winogradMode != "f2" && winogradMode != "off")
      return fail(fmt::format(
          "invalid --winograd={}: expected auto, on, f2 or off", winogradMode));
    pipeline.winograd = winogradMode;
    if (!kernelConfigFile.empty()) {
      if (!llvm::sys::fs::exists(kernelConfigFile))
        return fail(
            fmt::format("cannot read --kernel-config '{}': no such file",
                        kernelConfigFile));
      pipeline.kernelConfig = kernelConfigFile;
    }
    if (!isCIdentifier(symbolName))
      return fail(
          fmt::format("invalid --name '{}': expected a C identifier such "
                      "as 'resnet18'",
                      symbolName));
    if (symbolName != cnn::kDefaultModelName &&
        (emitKind == Emit::Exe || emitKind == Emit::Svg ||
         emitKind == Emit::Dot || emitKind == Emit::Summary ||
         emitKind == Emit::SummaryJson))
      return fail("--name names the symbols of a library or object file "
                  "(--emit=lib, obj, asm, llvm-ir); an executable's are "
                  "cnn_model_*");
    pipeline.symbolPrefix = symbolName;
    std::string output =
        outputFilename.empty() ? defaultOutputName() : outputFilename;
    if (output == "-" && (emitKind == Emit::Lib || emitKind == Emit::Exe ||
                          emitKind == Emit::Svg))
      return fail("-o - is only for textual outputs (--emit=summary, cnn, dot, "
                  "linalg, llvm, llvm-ir, asm, obj)");
    // Fail before the work, not after it, when the output cannot be written.
    if (output != "-") {
      StringRef directory = llvm::sys::path::parent_path(output);
      if (directory.empty())
        directory = ".";
      if (!llvm::sys::fs::is_directory(directory))
        return fail(fmt::format("cannot write '{}': no such directory '{}'",
                                output, directory.str()));
      // Linked and drawn outputs are renamed into place: only over a file.
      llvm::sys::fs::file_status status;
      if ((emitKind == Emit::Lib || emitKind == Emit::Exe ||
           emitKind == Emit::Svg) &&
          !llvm::sys::fs::status(output, status) &&
          llvm::sys::fs::exists(status) &&
          status.type() != llvm::sys::fs::file_type::regular_file)
        return fail(
            fmt::format("cannot write '{}': not a regular file", output));
    }

    if (!dumpDir.empty())
      if (std::error_code error = llvm::sys::fs::create_directories(dumpDir))
        return fail(fmt::format("cannot create --dump-dir '{}': {}", dumpDir,
                                error.message()));
    if (failed(dumpStage("00-import.mlir", [&](StringRef path) {
          return printModule(*module, path, /*allWeights=*/true);
        })))
      return failure();
    // The summary counts parameters as the source model has them, before
    // batch norms fold away.
    if (emitKind == Emit::Summary || emitKind == Emit::SummaryJson) {
      func::FuncOp model = cnn::getModelFunction(*module);
      if (!model)
        return fail(fmt::format("'{}' has no model function to summarize",
                                inputFilename));
      return writeAtomically(output, [&](llvm::raw_pwrite_stream &os) {
        cnn::printModelSummary(model, llvm::sys::path::filename(inputFilename),
                               emitKind == Emit::SummaryJson, os);
        return success();
      });
    }

    int stageIndex = 0;
    auto runStageOn = [&](ModuleOp target, auto build,
                          StringRef name) -> LogicalResult {
      PassManager pm(&context);
      if (failed(applyPassManagerCLOptions(pm)))
        return failure();
      // --ir-tree-dir: MLIR numbers the files per pass manager, so each
      // stage gets its own subdirectory, or the stages would overwrite each
      // other's files.
      ++stageIndex;
      if (!irTreeDir.empty()) {
        SmallString<256> stageDir(irTreeDir);
        llvm::sys::path::append(stageDir,
                                fmt::format("{}-{}", stageIndex, name.str()));
        if (std::error_code error = llvm::sys::fs::create_directories(stageDir))
          return fail(fmt::format("cannot create --ir-tree-dir '{}': {}",
                                  stageDir.str(), error.message()));
        OpPrintingFlags flags;
        flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
        if (!printWeights)
          flags.elideLargeElementsAttrs(16).elideLargeResourceString(64);
        auto never = [](Pass *, Operation *) { return false; };
        auto always = [](Pass *, Operation *) { return true; };
        pm.enableIRPrintingToFileTree(never, always,
                                      /*printModuleScope=*/false,
                                      /*printAfterOnlyOnChange=*/false,
                                      /*printAfterOnlyOnFailure=*/false,
                                      stageDir, flags);
      }
      TimingScope stageTiming = rootTiming.nest(name);
      pm.enableTiming(stageTiming);
      build(pm, pipeline);
      return pm.run(target);
    };
    auto runStage = [&](auto build, StringRef name) {
      return runStageOn(*module, build, name);
    };

    auto dumpModule = [&](StringRef fileName) {
      return dumpStage(fileName, [&](StringRef path) {
        return printModule(*module, path, /*allWeights=*/true);
      });
    };
    // A stage-3 module (a 03-llvm.mlir of --dump-dir, LLVM dialect) compiles
    // as it is: its kernels were made for the target that lowered it.
    bool lowered = module->getOps<func::FuncOp>().empty() &&
                   !module->getOps<LLVM::LLVMFuncOp>().empty();
    if (lowered) {
      if (emitKind == Emit::Cnn || emitKind == Emit::Dot ||
          emitKind == Emit::Svg || emitKind == Emit::Linalg ||
          emitKind == Emit::Lib)
        return fail(fmt::format("'{}' is already lowered to the LLVM dialect; "
                                "it compiles to llvm, llvm-ir, asm, obj or exe",
                                inputFilename));
      if (targets->size() != 1)
        return fail(fmt::format("'{}' is already lowered to the LLVM dialect "
                                "for one target; give one --target-cpu",
                                inputFilename));
    }
    if (!lowered && (failed(runStage(cnn::buildCnnGraphPipeline, "graph")) ||
                     failed(dumpModule("01-graph.mlir"))))
      return failure();
    if (singleModule &&
        failed(runStageOn(*singleModule, cnn::buildCnnGraphPipeline,
                          "graph-one-image")))
      return failure();
    // Stage 1 decided the kernels for the first target; every further target
    // decides its own on a copy of this module and lowers that copy.
    OwningOpRef<ModuleOp> graphModule;
    if (targets->size() > 1)
      graphModule = module->clone();
    progress.finished("graph passes");
    if (emitKind == Emit::Cnn)
      return printModule(*module, output);
    if (emitKind == Emit::Dot || emitKind == Emit::Svg)
      return emitGraph(*module, output);
    if (!lowered &&
        (failed(checkWeightsPresent(*module)) ||
         failed(runStage(cnn::buildCnnToLinalgPipeline, "to-linalg")) ||
         failed(dumpModule("02-linalg.mlir"))))
      return failure();
    progress.finished("lowering to linalg");
    if (emitKind == Emit::Linalg)
      return printModule(*module, output);
    // Stage 3 and LLVM optimization, once per target: the first lowers the
    // module above, the others their own copy of stage 1's result; with a
    // dynamic batch, also the one-image code from a copy of its stage 1.
    pipeline.dynamicBatch = dynamicBatch;
    llvm::LLVMContext llvmContext;
    auto toLLVM =
        [&](ModuleOp lowered,
            const cnn::KernelTarget &target) -> std::unique_ptr<llvm::Module> {
      TimingScope translateTiming = rootTiming.nest("llvm-translate");
      std::unique_ptr<llvm::Module> llvmModule =
          translateModuleToLLVMIR(lowered, llvmContext, inputFilename);
      if (!llvmModule) {
        (void)fail("translation to LLVM IR failed");
        return nullptr;
      }
      translateTiming.stop();
      TimingScope optimizeTiming = rootTiming.nest("llvm-optimize");
      llvmModule->setTargetTriple(target.machine->getTargetTriple());
      llvmModule->setDataLayout(target.machine->createDataLayout());
      cnn::setTargetAttributes(*llvmModule, target);
      if (llvm::Error error = makeOptimizingTransformer(
              optLevel, 0, target.machine.get())(llvmModule.get())) {
        (void)fail("LLVM optimization failed: " +
                   llvm::toString(std::move(error)));
        return nullptr;
      }
      return llvmModule;
    };
    // The workspace the lowered entry point takes (cnn-plan-activation-memory).
    auto workspaceBytes = [&](ModuleOp lowered) -> int64_t {
      std::string run = pipeline.symbolPrefix.getValue() + "_run";
      auto entry = lowered.lookupSymbol<LLVM::LLVMFuncOp>(run);
      auto bytes = entry ? entry->getAttrOfType<IntegerAttr>("cnn.arena_bytes")
                         : IntegerAttr();
      return bytes ? bytes.getInt() : 0;
    };
    SmallVector<cnn::CodeVariant> variants;
    std::optional<cnn::ModelInterface> interface;
    for (auto [index, target] : llvm::enumerate(*targets)) {
      OwningOpRef<ModuleOp> copy;
      ModuleOp current = *module;
      target.applyTo(pipeline);
      if (index > 0) {
        copy = graphModule->clone();
        current = *copy;
        if (failed(runStageOn(current, cnn::buildKernelSelectionPipeline,
                              "kernels-" + target.cpu)) ||
            failed(runStageOn(current, cnn::buildCnnToLinalgPipeline,
                              "to-linalg-" + target.cpu)))
          return failure();
      }
      if (!lowered && failed(runStageOn(current, cnn::buildLinalgToLLVMPipeline,
                                        index == 0 ? std::string("to-llvm")
                                                   : "to-llvm-" + target.cpu)))
        return failure();
      if (index == 0) {
        // The tensors the C ABI reports (-1: a dynamic batch).
        interface = readInterface(current);
        if (failed(dumpStage("03-llvm.mlir", [&](StringRef path) {
              return printModule(current, path, /*allWeights=*/true);
            })))
          return failure();
        progress.finished("kernels, lowering to LLVM");
        if (emitKind == Emit::LLVMDialect)
          return printModule(current, output);
      }
      cnn::CodeVariant variant;
      variant.target = &target;
      variant.workspaceBytes = workspaceBytes(current);
      variant.module = toLLVM(current, target);
      if (!variant.module)
        return failure();
      if (singleModule) {
        OwningOpRef<ModuleOp> single = singleModule->clone();
        if ((index > 0 &&
             failed(runStageOn(*single, cnn::buildKernelSelectionPipeline,
                               "kernels-one-image-" + target.cpu))) ||
            failed(runStageOn(*single, cnn::buildCnnToLinalgPipeline,
                              "to-linalg-one-image-" + target.cpu)) ||
            failed(runStageOn(*single, cnn::buildLinalgToLLVMPipeline,
                              "to-llvm-one-image-" + target.cpu)))
          return failure();
        variant.workspaceBytes =
            std::max(variant.workspaceBytes, workspaceBytes(*single));
        variant.singleModule = toLLVM(*single, target);
        if (!variant.singleModule)
          return failure();
      }
      progress.finished(targets->size() == 1
                            ? std::string("LLVM optimization")
                            : "LLVM optimization for " + target.cpu);
      variants.push_back(std::move(variant));
    }
    if (!interface)
      return fail("cannot determine the model's inputs and outputs");
    if (lowered && interface->inputs.front().shape.front() < 1)
      return fail(fmt::format("'{}' was lowered for a dynamic batch: compile "
                              "the model itself with --batch=dynamic",
                              inputFilename));
    // One module: the variants, and the C ABI running them.
    interface->batchBlock =
        lowered ? interface->inputs.front().shape.front() : compiledBatch;
    interface->dynamicBatch = dynamicBatch;
    llvm::Expected<std::unique_ptr<llvm::Module>> linked =
        cnn::linkVariants(variants, *interface);
    if (!linked)
      return fail(llvm::toString(linked.takeError()));
    std::unique_ptr<llvm::Module> llvmModule = std::move(*linked);
    if (llvm::verifyModule(*llvmModule, &llvm::errs()))
      return fail("internal error: the linked code variants do not verify");
    // Code before the variant is chosen must run on any x86-64 CPU; each
    // variant's functions carry their own target attributes.
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> baseline =
        cnn::createBaselineTargetMachine(optLevel >= 2
                                             ? llvm::CodeGenOptLevel::Aggressive
                                             : llvm::CodeGenOptLevel::None);
    if (!baseline)
      return fail(llvm::toString(baseline.takeError()));
    std::unique_ptr<llvm::TargetMachine> machine = std::move(*baseline);
    if (failed(dumpStage("04-model.ll", [&](StringRef path) {
          return writeAtomically(path, [&](llvm::raw_pwrite_stream &os) {
            llvmModule->print(os, nullptr);
            return success();
          });
        })))
      return failure();
    TimingScope codegenTiming = rootTiming.nest("llvm-codegen");
    if (emitKind != Emit::LLVMIR &&
        failed(dumpStage("05-model.s", [&](StringRef path) {
          // Code generation changes the IR it runs on: a copy for the dump.
          std::unique_ptr<llvm::Module> copy = llvm::CloneModule(*llvmModule);
          return writeAtomically(path, [&](llvm::raw_pwrite_stream &os) {
            return emitMachineCode(*copy, *machine,
                                   llvm::CodeGenFileType::AssemblyFile, os);
          });
        })))
      return failure();
    if (emitKind == Emit::LLVMIR)
      return writeAtomically(output, [&](llvm::raw_pwrite_stream &os) {
        llvmModule->print(os, nullptr);
        return success();
      });
    // The C header of a library or object, next to it.
    auto writeHeader = [&]() {
      SmallString<256> headerPath(llvm::sys::path::parent_path(output));
      llvm::sys::path::append(headerPath, symbolName + ".h");
      return writeAtomically(headerPath, [&](llvm::raw_pwrite_stream &os) {
        os << libraryHeader(*interface);
        return success();
      });
    };
    if (emitKind == Emit::Asm || emitKind == Emit::Obj) {
      if (failed(writeAtomically(output, [&](llvm::raw_pwrite_stream &os) {
            return emitMachineCode(*llvmModule, *machine,
                                   emitKind == Emit::Asm
                                       ? llvm::CodeGenFileType::AssemblyFile
                                       : llvm::CodeGenFileType::ObjectFile,
                                   os);
          })))
        return failure();
      return emitKind == Emit::Obj && output != "-" ? writeHeader() : success();
    }

    // Executable or shared library: an object in a scratch file, then link.
    SmallString<128> objectPath;
    int objectFd;
    if (std::error_code error = llvm::sys::fs::createTemporaryFile(
            "cnnc-model", "o", objectFd, objectPath))
      return fail("cannot create a temporary object file: " + error.message());
    llvm::FileRemover objectRemover(objectPath);
    {
      llvm::raw_fd_ostream os(objectFd, /*shouldClose=*/true);
      if (failed(emitMachineCode(*llvmModule, *machine,
                                 llvm::CodeGenFileType::ObjectFile, os)))
        return failure();
    }
    codegenTiming.stop();
    progress.finished("code generation");
    const std::string &libDir = options.runtimeLibraryDir;
    std::string runtimeLib = libDir + "/libcnnrt.a";
    if (!llvm::sys::fs::exists(runtimeLib))
      return fail("cannot find the cnnc runtime at '" + runtimeLib + "'");
    TimingScope linkTiming = rootTiming.nest("link");
    // Link into a temporary next to the output, then rename into place.
    std::string temporary = output + ".tmp-link";
    llvm::FileRemover temporaryRemover(temporary);
    std::vector<std::string> arguments = {"-fuse-ld=lld", "-o", temporary,
                                          std::string(objectPath)};
    if (emitKind == Emit::Lib) {
      arguments.insert(arguments.begin(), "-shared");
      arguments.push_back(runtimeLib);
    } else {
      arguments.push_back(libDir + "/libcnnrt_main.a");
      arguments.push_back(runtimeLib);
    }
    if (StringRef(CNNC_MODEL_LINK_SANITIZERS).size())
      arguments.push_back(CNNC_MODEL_LINK_SANITIZERS);
    // The model's OpenMP calls (__kmpc_*) are served by the runtime's own
    // thread pool (runtime/src/threads.c): the binary needs only libc, libm
    // and libpthread, and no path into this LLVM installation.
    arguments.push_back("-lm");
    arguments.push_back("-lpthread");
    if (failed(runLinker(arguments)))
      return failure();
    linkTiming.stop();
    progress.finished("link");
    if (std::error_code error = llvm::sys::fs::rename(temporary, output))
      return fail(
          fmt::format("cannot write '{}': {}", output, error.message()));
    return emitKind == Emit::Lib ? writeHeader() : success();
  }

private:
  MLIRContext &context;
  const cnn::CompileOptions &options;
  // The options under their command-line names.
  const std::string &inputFilename = options.inputFilename;
  const std::string &outputFilename = options.outputFilename;
  const Emit &emitKind = options.emit;
  const std::string &targetCpu = options.targetCpu;
  const std::string &targetFeatures = options.targetFeatures;
  const std::string &symbolName = options.name;
  const std::string &inputShape = options.inputShape;
  const std::string &batchOption = options.batch;
  const unsigned &batchBlock = options.batchBlock;
  const bool &printWeights = options.printWeights;
  const bool &graphPasses = options.graphPasses;
  const std::string &winogradMode = options.winograd;
  const std::string &kernelConfigFile = options.kernelConfig;
  const unsigned &kernelRegisters = options.kernelRegisters;
  const std::string &dumpDir = options.dumpDir;
  const std::string &irTreeDir = options.irTreeDir;
  const bool &timingReport = options.timing;
  const unsigned &optLevel = options.optLevel;
};
} // namespace

LogicalResult mlir::cnn::compileModel(MLIRContext &context,
                                      const CompileOptions &options) {
  return ModelCompiler(context, options).run();
}

void mlir::cnn::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<cnn::CnnDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}
