//===- KernelSelection.h - The per-layer kernel decision ---------*- C++
//-*-===//
//
// `cnn-select-kernels` decides, for each convolution, linear and pooling
// layer, how it is computed on the target and records it as a
// `#cnn.kernel` attribute (see CnnOps.td). The lowering reads the decision
// from there: ConvertCnnToLinalg copies it onto the root of the layer's
// kernel, and cnn-tile-convolutions tiles that root as it says.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_KERNELSELECTION_H
#define CNNC_TRANSFORMS_KERNELSELECTION_H

#include "cnn/CnnOps.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>

namespace mlir::cnn {

/// The largest divisor of `n` that is at most `limit` and satisfies `pred`,
/// or 0 if none does.
int64_t largestDivisor(
    int64_t n, int64_t limit,
    llvm::function_ref<bool(int64_t)> pred = [](int64_t) { return true; });

/// The kernel decision `op` carries, or null.
inline KernelAttr getKernel(Operation *op) {
  return op->getAttrOfType<KernelAttr>(KernelAttr::kAttrName);
}

/// The name the layer table (and so --profile) gives a kernel algorithm:
/// "direct", "paired cols", "winograd F2", "winograd F4".
StringRef getKernelAlgorithmName(KernelAlgorithm algorithm);

/// The name the layer table gives a kernel: its algorithm's, "in
/// consumer" for a depthwise kernel computed in its consumer's tasks
/// (`in_consumer`), or "in producer" for a global pooling summed in its
/// producer's (`in_producer`).
std::string getKernelName(KernelAttr kernel);

/// The algorithm the layer table names `name` (getKernelAlgorithmName's
/// inverse), if any.
std::optional<KernelAlgorithm> parseKernelAlgorithmName(StringRef name);

} // namespace mlir::cnn

#endif // CNNC_TRANSFORMS_KERNELSELECTION_H
