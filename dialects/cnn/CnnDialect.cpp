//===- CnnDialect.cpp - The cnn dialect -----------------------------------===//
//
// Registration of the cnn dialect.
//
//===----------------------------------------------------------------------===//

#include "cnn/CnnOps.h"

using namespace mlir;
using namespace mlir::cnn;

#include "cnn/CnnDialect.cpp.inc"

void CnnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "cnn/CnnOps.cpp.inc"
      >();
}
