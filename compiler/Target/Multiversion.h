//===- Multiversion.h - A code variant per target CPU ------*- C++ -*-===//
//
// `cnnc --target-cpu=x86-64-v3,znver4` compiles the model once per target
// and links the variants into one LLVM module: each variant's functions
// carry their target's `target-cpu`/`target-features` attributes and are
// internal. The model's C ABI (runtime/include/cnnrt/cnn_model_abi.h) is
// defined once, as thin forwarders to the runtime (runtime/src/model.c)
// with a constant descriptor of the model and its variant table; the
// runtime runs the first variant, best first, whose CPU features this CPU
// has. A single target is the case of one variant: its binary still checks
// the CPU before running any of its code. With a dynamic batch each variant
// has two entry points, a batch block's and one image's.
//
//   variant 0 (x86-64-v3)   cnn_model_run.v0 (block), cnn_model_run1.v0
//                           (one image), cnn_model_layer_table.v0, and
//                           cnn_model_run.v0.packed, ... (taking arrays of
//                           buffers, as the runtime calls them)
//   variant 1 (znver4)      cnn_model_run.v1, ...
//   model                   cnn_model.variants, cnn_model.inputs/outputs,
//                           cnn_model.model (the cnnrt_model descriptor)
//   C ABI                   cnn_model_run -> cnnrt_model_run(&model, ...),
//                           cnn_model_input_shape -> cnnrt_model_tensor_shape
//                           (&model, 0, 0), ...
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TARGET_MULTIVERSION_H
#define CNNC_TARGET_MULTIVERSION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace mlir::cnn {

struct KernelTarget;

/// One target's translated, optimized model.
struct CodeVariant {
  /// The model compiled for the batch block.
  std::unique_ptr<llvm::Module> module;
  /// With a dynamic batch and a block of more than one image: the model
  /// compiled for one image, which runs the remainder of a batch.
  std::unique_ptr<llvm::Module> singleModule;
  /// Activation workspace either entry point needs, the larger.
  int64_t workspaceBytes = 0;
  const KernelTarget *target = nullptr;
};

/// An input or output of the model: its name and shape (-1 in dimension 0
/// for a dynamic batch), as cnn-export-c-abi records them.
struct TensorInterface {
  std::string name;
  llvm::SmallVector<int64_t> shape;
};

/// What the C ABI of the linked model says about its batch and buffers.
struct ModelInterface {
  std::string prefix;
  int64_t batchBlock = 1;
  bool dynamicBatch = false;
  llvm::SmallVector<TensorInterface> inputs, outputs;
};

/// Sets `target`'s CPU and features on every function `module` defines, so
/// that optimization and code generation use them whatever the machine.
void setTargetAttributes(llvm::Module &module, const KernelTarget &target);

/// Links `variants` (best first) into the first one's module and defines
/// the C ABI of `model` over them. Identical constants of the variants (the
/// weights of a block's and an image's code) are stored once. Returns that
/// module.
llvm::Expected<std::unique_ptr<llvm::Module>>
linkVariants(llvm::MutableArrayRef<CodeVariant> variants,
             const ModelInterface &model);

} // namespace mlir::cnn

#endif // CNNC_TARGET_MULTIVERSION_H
