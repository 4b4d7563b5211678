//===- ConstantData.cpp - Reading constant weights ------------------------===//
//
// Part of the cnnc project. See ConstantData.h.
//
//===----------------------------------------------------------------------===//

#include "Transforms/ConstantData.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

std::optional<SmallVector<float>> mlir::cnn::getF32ConstantData(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  SmallVector<float> data;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    data.assign(values.begin(), values.end());
    return data;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() !=
                     static_cast<size_t>(type.getNumElements()) * sizeof(float))
      return std::nullopt;
    ArrayRef<float> values = blob->getDataAs<float>();
    data.assign(values.begin(), values.end());
    return data;
  }
  return std::nullopt;
}
