//===- KernelTarget.cpp - What the kernels derive from the target CPU ----===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//

#include "Target/KernelTarget.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <cstdlib>
#include <unistd.h>

using namespace mlir;
using namespace mlir::cnn;

/// The CPU features a compiled model may record: one list, shared with the
/// runtime's check.
static constexpr const char *kCheckableFeatures[] = {
#define CNNRT_CPU_FEATURE(name) name,
#include "cnnrt/cpu_features.def"
};

std::string KernelTarget::requiredFeatureList() const {
  return llvm::join(requiredFeatures, ",");
}

void KernelTarget::applyTo(PipelineOptions &options) const {
  options.vectorWidth = vectorWidth;
  options.vectorRegisters = vectorRegisters;
  options.registerBudget = registerBudget;
  options.filterCacheKiB = filterCacheBytes / 1024;
  options.l1CacheKiB = l1CacheBytes / 1024;
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static llvm::Expected<const llvm::Target *> lookupTarget(llvm::Triple &triple) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  triple = llvm::Triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return makeError("no target for '" + triple.str() + "': " + error);
  return target;
}

llvm::Expected<KernelTarget>
mlir::cnn::createKernelTarget(llvm::StringRef cpuName,
                              llvm::StringRef requestedFeatures,
                              llvm::CodeGenOptLevel level) {
  llvm::Triple triple;
  llvm::Expected<const llvm::Target *> target = lookupTarget(triple);
  if (!target)
    return target.takeError();
  std::string cpu = cpuName.str();
  std::string features = requestedFeatures.str();
  bool native = cpu == "native" || cpu == "host";
  // CNNC_NATIVE_CPU names the CPU that "native" stands for, with that CPU's
  // own features: it makes any host build (and the test suite check) the
  // code and kernel decisions of another one, e.g. an AVX2-only host's
  // (`CNNC_NATIVE_CPU=znver3`) on an AVX-512 machine. The caches stay the
  // host's.
  const char *nativeCpu = native ? std::getenv("CNNC_NATIVE_CPU") : nullptr;
  llvm::StringRef cpuSource = "--target-cpu";
  if (nativeCpu && *nativeCpu) {
    cpu = nativeCpu;
    cpuSource = "CNNC_NATIVE_CPU";
  } else if (native) {
    cpu = llvm::sys::getHostCPUName().str();
    if (features.empty()) {
      llvm::SmallVector<std::string> hostFeatures;
      for (const auto &feature : llvm::sys::getHostCPUFeatures())
        hostFeatures.push_back((feature.second ? "+" : "-") +
                               feature.first().str());
      features = llvm::join(hostFeatures, ",");
    }
  }
  // LLVM only warns about unknown CPUs and features (and then may abort):
  // check them first.
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      (*target)->createMCSubtargetInfo(triple, "", ""));
  if (subtarget && !subtarget->isCPUStringValid(cpu))
    return makeError("unknown " + cpuSource + " '" + cpu +
                     "' (try 'native', 'x86-64-v3' or 'znver4')");
  if (subtarget && !requestedFeatures.empty()) {
    llvm::SmallVector<llvm::StringRef> requested;
    requestedFeatures.split(requested, ',', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef feature : requested) {
      llvm::StringRef name = feature.ltrim("+-");
      if (feature.size() == name.size() ||
          !llvm::any_of(subtarget->getAllProcessorFeatures(),
                        [&](const llvm::SubtargetFeatureKV &kv) {
                          return name == kv.Key;
                        }))
        return makeError("invalid --mattr feature '" + feature +
                         "': expected +name or -name of a " +
                         triple.getArchName() +
                         " feature, e.g. '+avx2,-avx512f'");
    }
  }
  llvm::TargetOptions options;
  KernelTarget result;
  result.cpu = cpu;
  result.machine.reset((*target)->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt, level));
  if (!result.machine)
    return makeError("cannot create a target machine for CPU '" + cpu + "'");

  const llvm::MCSubtargetInfo &info = *result.machine->getMCSubtargetInfo();
  bool avx512 = info.checkFeatures("+avx512f");
  result.vectorWidth = avx512 ? 16 : 8;
  result.vectorRegisters = avx512 ? 32 : 16;
  result.registerBudget = avx512 ? 16 : 12;
  if (native) {
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (l2 > 0)
      result.filterCacheBytes =
          std::clamp<int64_t>(l2 / 2, 128 * 1024, 4 * 1024 * 1024);
    long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE);
    if (l1 > 0)
      result.l1CacheBytes = std::clamp<int64_t>(l1, 16 * 1024, 256 * 1024);
  }
  for (const char *feature : kCheckableFeatures)
    if (info.checkFeatures(std::string("+") + feature))
      result.requiredFeatures.push_back(feature);
  return result;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::cnn::createBaselineTargetMachine(llvm::CodeGenOptLevel level) {
  llvm::Triple triple;
  llvm::Expected<const llvm::Target *> target = lookupTarget(triple);
  if (!target)
    return target.takeError();
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine((*target)->createTargetMachine(
      triple, "x86-64", "", options, llvm::Reloc::PIC_, std::nullopt, level));
  if (!machine)
    return makeError("cannot create a target machine for x86-64");
  return machine;
}
