//===- FlattenConstantGlobals.cpp - Weight globals as 1-D blobs -----------===//
//
//   memref.global constant @w : memref<64x3x7x7xf32> = dense<...>
//   %w = memref.get_global @w : memref<64x3x7x7xf32>
// becomes
//   memref.global constant @w : memref<9408xf32> = dense<...>
//   %flat = memref.get_global @w : memref<9408xf32>
//   %w = memref.expand_shape %flat [[0, 1, 2, 3]] : ... into
//   memref<64x3x7x7xf32>
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNFLATTENCONSTANTGLOBALS
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

/// The initializer reshaped to `type`, or null if it cannot be.
static Attribute reshapeInitializer(Attribute initializer,
                                    RankedTensorType type) {
  if (auto dense = dyn_cast<DenseElementsAttr>(initializer))
    return dense.reshape(type);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(initializer))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  return {};
}

namespace {
struct CnnFlattenConstantGlobalsPass final
    : cnn::impl::CnnFlattenConstantGlobalsBase<CnnFlattenConstantGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::StringMap<MemRefType> originalTypes;
    for (auto global : module.getOps<memref::GlobalOp>()) {
      MemRefType type = global.getType();
      if (!global.getConstant() || type.getRank() <= 1 ||
          !type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !global.getInitialValue())
        continue;
      auto flatType =
          MemRefType::get({type.getNumElements()}, type.getElementType(),
                          nullptr, type.getMemorySpace());
      Attribute initializer = reshapeInitializer(
          *global.getInitialValue(),
          RankedTensorType::get(flatType.getShape(), type.getElementType()));
      if (!initializer)
        continue;
      global.setType(flatType);
      global.setInitialValueAttr(initializer);
      originalTypes[global.getSymName()] = type;
    }
    module.walk([&](memref::GetGlobalOp get) {
      auto it = originalTypes.find(get.getName());
      if (it == originalTypes.end())
        return;
      MemRefType type = it->second;
      OpBuilder builder(get);
      auto flat = memref::GetGlobalOp::create(
          builder, get.getLoc(),
          MemRefType::get({type.getNumElements()}, type.getElementType(),
                          nullptr, type.getMemorySpace()),
          get.getName());
      ReassociationIndices all;
      for (int64_t dim = 0; dim < type.getRank(); ++dim)
        all.push_back(dim);
      Value shaped =
          memref::ExpandShapeOp::create(builder, get.getLoc(), type, flat,
                                        SmallVector<ReassociationIndices>{all});
      get.replaceAllUsesWith(shaped);
      get.erase();
    });
  }
};
} // namespace
