//===- ConstantData.h - Reading constant weights ------------------*- C++
//-*-===//
//
// The one reader of constant weights for every pass: weights reach the
// passes as `dense` attributes (ONNX import, folds) or as `dense_resource`
// blobs (MLIR bytecode, MLIR from other tools), and a pass that read only
// one kind would silently skip its rewrite on the other.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_CONSTANTDATA_H
#define CNNC_TRANSFORMS_CONSTANTDATA_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::cnn {

/// The f32 contents of a statically shaped constant tensor, `dense` or
/// `dense_resource`, in row-major order; nothing if `value` is not one (not
/// a constant, not f32, or a resource whose blob is missing or of the wrong
/// size).
std::optional<SmallVector<float>> getF32ConstantData(Value value);

} // namespace mlir::cnn

#endif // CNNC_TRANSFORMS_CONSTANTDATA_H
