//===- KernelTarget.h - What the kernels derive from the target CPU -*- C++
//-*-===//
//
// One place turns a `--target-cpu`/`--mattr` pair into an LLVM target
// machine and the facts code generation takes from it: vector width,
// vector register count, register-block budget, and the CPU features the
// compiled code may use (recorded in the binary and checked at load).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TARGET_KERNELTARGET_H
#define CNNC_TARGET_KERNELTARGET_H

#include "Transforms/Passes.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mlir::cnn {

/// One target of a compilation: `cnnc --target-cpu=a,b` has two.
struct KernelTarget {
  /// The CPU as the user named it (`native` resolved to the host's name).
  std::string cpu;
  std::unique_ptr<llvm::TargetMachine> machine;
  /// f32 lanes of one vector register: 16 with AVX-512, 8 with AVX2.
  int64_t vectorWidth = 8;
  /// Architectural vector registers: 32 with AVX-512, 16 with AVX2.
  int64_t vectorRegisters = 16;
  /// Most accumulators of a convolution's register block: AVX-512 keeps
  /// half its registers for accumulators (measured best on Zen 4 and 5);
  /// AVX2's block is further bounded by `vectorRegisters` in the tiling
  /// pass (accumulators + filter vectors + one broadcast).
  int64_t registerBudget = 12;
  /// Filter bytes one parallel task streams from cache: half the L2 of the
  /// host for native code (its own, measured by the C library from CPUID),
  /// else 512 KiB, half the L2 of Zen 4 and Zen 5.
  int64_t filterCacheBytes = 512 * 1024;
  /// L1 data cache bytes: the host's for native code (from CPUID, through
  /// the C library), else 32 KiB, the smallest of the x86-64 cores cnnc
  /// targets (Zen 2 and 3; Zen 4 and 5 have 32 and 48 KiB).
  int64_t l1CacheBytes = 32 * 1024;
  /// The names of runtime/include/cnnrt/cpu_features.def the target
  /// enables: a CPU must have all of them to run the code.
  llvm::SmallVector<std::string> requiredFeatures;

  /// The comma-separated `requiredFeatures`.
  std::string requiredFeatureList() const;
  /// Sets the target-derived pipeline options (vector width, registers).
  void applyTo(PipelineOptions &options) const;
};

/// Resolves `cpu` ("native"/"host" = this machine) and `features`
/// ("+avx2,-avx512f"; empty = the CPU's own) into a target, or an error
/// naming what is wrong.
llvm::Expected<KernelTarget> createKernelTarget(llvm::StringRef cpu,
                                                llvm::StringRef features,
                                                llvm::CodeGenOptLevel level);

/// A target machine for the baseline x86-64 (any 64-bit x86 CPU): it
/// generates the code that runs before a variant is chosen.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createBaselineTargetMachine(llvm::CodeGenOptLevel level);

} // namespace mlir::cnn

#endif // CNNC_TARGET_KERNELTARGET_H
