//===- CnnOps.h - The cnn dialect and its operations ------------*- C++ -*-===//
//
// Declarations of the cnn dialect and its operations (see CnnOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef CNN_CNNOPS_H
#define CNN_CNNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "cnn/CnnDialect.h.inc"
#include "cnn/CnnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "cnn/CnnAttrs.h.inc"

#define GET_OP_CLASSES
#include "cnn/CnnOps.h.inc"

namespace mlir::cnn {

/// Output extent of a sliding window over `inputSize` elements padded by
/// `padBefore`/`padAfter`, following PyTorch: with `ceilMode` the size rounds
/// up but the last window must start inside the input or the leading padding.
int64_t windowOutputSize(int64_t inputSize, int64_t padBefore, int64_t padAfter,
                         int64_t kernel, int64_t stride, int64_t dilation,
                         bool ceilMode);

} // namespace mlir::cnn

#endif // CNN_CNNOPS_H
