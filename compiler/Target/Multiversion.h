//===- Multiversion.h - One binary, a code variant per target CPU -*- C++
//-*-===//
//
// `cnnc --target-cpu=x86-64-v3,znver4` compiles the model once per target
// and links the variants into one LLVM module: each variant's functions
// carry their target's `target-cpu`/`target-features` attributes and are
// internal; the model's C ABI (runtime/include/cnnrt/cnn_model_abi.h) is
// defined once, as thin dispatchers that ask the runtime for the first
// variant, best first, whose CPU features this CPU has
// (runtime/src/cpu.c). A single target is the case of one variant: its
// binary still checks the CPU before running any of its code.
//
//   variant 0 (x86-64-v3)   cnn_model_run.v0, cnn_model_layer_table.v0, ...
//   variant 1 (znver4)      cnn_model_run.v1, ...
//   dispatch                cnn_model_run -> cnnrt_variant_get(table)->run
//                           cnn_model_check_cpu, _target, _vector_bits
//                           cnn_model_{input,output}_{rank,shape} -> v0's
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TARGET_MULTIVERSION_H
#define CNNC_TARGET_MULTIVERSION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace mlir::cnn {

struct KernelTarget;

/// One target's translated, optimized model.
struct CodeVariant {
  std::unique_ptr<llvm::Module> module;
  const KernelTarget *target;
};

/// Sets `target`'s CPU and features on every function `module` defines, so
/// that optimization and code generation use them whatever the machine.
void setTargetAttributes(llvm::Module &module, const KernelTarget &target);

/// Links `variants` (best first) into the first one's module and defines
/// the C ABI with `prefix` as dispatchers over them. Returns that module.
llvm::Expected<std::unique_ptr<llvm::Module>>
linkVariants(llvm::MutableArrayRef<CodeVariant> variants,
             llvm::StringRef prefix);

} // namespace mlir::cnn

#endif // CNNC_TARGET_MULTIVERSION_H
