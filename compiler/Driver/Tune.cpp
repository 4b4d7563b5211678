//===- Tune.cpp - Choose each layer's algorithm by timing it --------------===//
//
// Part of the cnnc project. See Compiler.h.
//
// The tuner compiles the model once per candidate (the cost model's choice,
// and every eligible layer direct, Winograd F(2x2) and Winograd F(4x4)),
// times every layer of each binary in a child process (`--profile`), and
// writes a --kernel-config file that gives each layer the algorithm that
// ran fastest there. A candidate replaces the cost model's choice only if
// it is clearly faster (kMargin), so noise does not undo good choices. The
// cost model then derives each chosen algorithm's blocks, as for any
// configured algorithm.
//
//===----------------------------------------------------------------------===//

#include "Driver/Compiler.h"
#include "Transforms/KernelSelection.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <fmt/format.h>
#include <map>

using namespace mlir;

namespace {
/// A candidate must beat the cost model's choice by this factor.
constexpr double kMargin = 0.97;

/// The candidates: --winograd modes.
constexpr const char *kCandidates[] = {"auto", "off", "f2", "on"};

LogicalResult fail(const Twine &message) {
  llvm::errs() << "cnnc: error: " << message << "\n";
  return failure();
}

/// Milliseconds as the file records them: to 0.1 microsecond.
double roundMs(double ms) { return std::round(ms * 1e4) / 1e4; }

/// One layer's time under one candidate.
struct Timing {
  std::string algorithm;
  double ms;
};

/// Layer name -> its algorithm and time, in the profile's order.
using Profile =
    llvm::MapVector<std::string, Timing, std::map<std::string, unsigned>>;

/// Reads a --profile-out JSON file.
FailureOr<Profile> readProfile(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail(fmt::format("cannot read the profile '{}': {}", path.str(),
                            buffer.getError().message()));
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return fail(fmt::format("the profile '{}' is not JSON: {}", path.str(),
                            llvm::toString(json.takeError())));
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Array *layers = root ? root->getArray("layers") : nullptr;
  if (!layers)
    return fail(fmt::format("the profile '{}' has no layers", path.str()));
  Profile timings;
  for (const llvm::json::Value &value : *layers) {
    const llvm::json::Object *layer = value.getAsObject();
    std::optional<StringRef> name =
        layer ? layer->getString("name") : std::nullopt;
    std::optional<StringRef> algorithm =
        layer ? layer->getString("algorithm") : std::nullopt;
    std::optional<double> ms = layer ? layer->getNumber("ms") : std::nullopt;
    if (!name || !algorithm || !ms)
      return fail(
          fmt::format("the profile '{}' has a malformed layer", path.str()));
    timings[name->str()] = {algorithm->str(), *ms};
  }
  return timings;
}
} // namespace

LogicalResult mlir::cnn::tuneModel(MLIRContext &context,
                                   const CompileOptions &options,
                                   const TuneOptions &tune) {
  if (options.targetCpu.find(',') != std::string::npos)
    return fail("--tune times code on this CPU: give one --target-cpu (or "
                "none, for this CPU's)");
  std::string output = options.outputFilename;
  if (output.empty())
    output =
        (llvm::sys::path::stem(options.inputFilename) + ".kernels.json").str();
  SmallString<128> work;
  if (std::error_code error =
          llvm::sys::fs::createUniqueDirectory("cnnc-tune", work))
    return fail("cannot create a temporary directory: " + error.message());
  // Removes the binaries and profiles, whatever happens.
  struct Cleanup {
    SmallString<128> &dir;
    ~Cleanup() { llvm::sys::fs::remove_directories(dir); }
  } cleanup{work};

  // Each candidate's per-layer times.
  SmallVector<Profile> profiles;
  for (const char *candidate : kCandidates) {
    CompileOptions compile = options;
    compile.emit = EmitKind::Exe;
    compile.winograd = candidate;
    compile.kernelConfig.clear();
    compile.dumpDir.clear();
    compile.timing = false;
    SmallString<128> binary(work), profile(work);
    llvm::sys::path::append(binary, fmt::format("model-{}", candidate));
    llvm::sys::path::append(profile, fmt::format("profile-{}.json", candidate));
    compile.outputFilename = std::string(binary);
    if (failed(compileModel(context, compile)))
      return failure();
    std::string runs = std::to_string(tune.runs);
    std::string threads = std::to_string(tune.threads);
    SmallVector<StringRef> argv = {binary, "--profile", runs, "--profile-out",
                                   profile};
    if (tune.threads > 0) {
      argv.push_back("--threads");
      argv.push_back(threads);
    }
    std::string error;
    SmallString<128> log(work);
    llvm::sys::path::append(log, "run.log");
    std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                            StringRef(log)};
    int status = llvm::sys::ExecuteAndWait(binary, argv, std::nullopt,
                                           redirects, 0, 0, &error);
    if (status != 0) {
      auto text = llvm::MemoryBuffer::getFile(log);
      return fail(
          fmt::format("timing the '--winograd={}' candidate failed ({}): {}",
                      candidate, status,
                      !error.empty() ? error
                      : text ? StringRef((*text)->getBuffer()).trim().str()
                             : std::string("no output")));
    }
    FailureOr<Profile> timings = readProfile(profile);
    if (failed(timings))
      return failure();
    profiles.push_back(std::move(*timings));
  }

  // Per layer: the fastest algorithm, if clearly faster than the cost
  // model's; only layers whose algorithm is a kernel's (not "-").
  llvm::json::Object layers, measured;
  double modelMs = 0, tunedMs = 0;
  unsigned changed = 0;
  for (const auto &[name, chosen] : profiles.front()) {
    modelMs += chosen.ms;
    std::optional<KernelAlgorithm> algorithm =
        parseKernelAlgorithmName(chosen.algorithm);
    if (!algorithm) {
      tunedMs += chosen.ms;
      continue;
    }
    Timing best = chosen;
    llvm::json::Object times;
    for (auto [candidate, profile] : llvm::zip(kCandidates, profiles)) {
      auto it = profile.find(name);
      if (it == profile.end())
        continue;
      const Timing &timing = it->second;
      times[timing.algorithm] = roundMs(timing.ms);
      if (timing.ms < best.ms * kMargin &&
          parseKernelAlgorithmName(timing.algorithm))
        best = timing;
    }
    tunedMs += best.ms;
    if (best.algorithm != chosen.algorithm)
      ++changed;
    layers[name] = llvm::json::Object{
        {"algorithm",
         stringifyKernelAlgorithm(*parseKernelAlgorithmName(best.algorithm))}};
    measured[name] = std::move(times);
  }

  llvm::json::Value result = llvm::json::Object{
      {"layers", std::move(layers)},
      {"tuning",
       llvm::json::Object{
           {"model", llvm::sys::path::filename(options.inputFilename)},
           {"target", options.targetCpu},
           {"threads", tune.threads},
           {"runs", tune.runs},
           {"changed_layers", changed},
           {"cost_model_ms", roundMs(modelMs)},
           {"tuned_ms", roundMs(tunedMs)},
           {"ms_per_algorithm", std::move(measured)}}}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", result) << "\n";
  if (output == "-") {
    llvm::outs() << text;
    return success();
  }
  std::string temporary = output + ".tmp-tune";
  {
    std::error_code error;
    llvm::raw_fd_ostream file(temporary, error);
    if (error)
      return fail(
          fmt::format("cannot write '{}': {}", output, error.message()));
    file << text;
    file.close();
    if (file.has_error()) {
      file.clear_error();
      llvm::sys::fs::remove(temporary);
      return fail(fmt::format("cannot write '{}'", output));
    }
  }
  if (std::error_code error = llvm::sys::fs::rename(temporary, output)) {
    llvm::sys::fs::remove(temporary);
    return fail(fmt::format("cannot write '{}': {}", output, error.message()));
  }
  llvm::errs() << fmt::format(
      "cnnc: tuned {} layers ({} changed): {:.2f} ms per run with the cost "
      "model's kernels, {:.2f} ms with the fastest measured; wrote {}\n",
      profiles.front().size(), changed, modelMs, tunedMs, output);
  return success();
}
