//===- OutlineParallelRegions.cpp - One function per parallel region -----===//
//
// LLVM's OpenMPIRBuilder outlines each omp.parallel with a CodeExtractor
// whose analysis cache covers the whole enclosing function, rebuilt for
// every region: with all of a model's layers in one function, translation
// time grows with (regions x function size). Giving each region a function
// of its own keeps that analysis to the region.
//
//   llvm.func @model(...) {               llvm.func internal @model_omp0(%a)
//     %c = llvm.mlir.constant(7)            %c = llvm.mlir.constant(7)
//     %p = llvm.getelementptr ...   ==>     omp.parallel { ... %c, %a ... }
//     omp.parallel { ... %c, %p ... }       llvm.return
//                                         llvm.func @model(...) {
//                                           %p = llvm.getelementptr ...
//                                           llvm.call @model_omp0(%p)
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNOUTLINEPARALLELREGIONS
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

/// Whether `op` is cheaper to clone into the outlined function than to
/// pass: an operand-free constant or global address.
static bool isClonableConstant(Operation *op) {
  return op && op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         isa<LLVM::ConstantOp, LLVM::AddressOfOp, LLVM::ZeroOp, LLVM::UndefOp,
             LLVM::PoisonOp>(op);
}

/// Moves `parallel` into a new internal function named after `parent`,
/// called where it was.
static void outline(omp::ParallelOp parallel, LLVM::LLVMFuncOp parent,
                    SymbolTable &symbols, unsigned index) {
  llvm::SetVector<Value> captured;
  for (Value operand : parallel->getOperands())
    captured.insert(operand);
  getUsedValuesDefinedAbove(parallel->getRegions(), captured);

  SmallVector<Value> arguments;
  SmallVector<Type> argumentTypes;
  for (Value value : captured)
    if (!isClonableConstant(value.getDefiningOp())) {
      arguments.push_back(value);
      argumentTypes.push_back(value.getType());
    }

  MLIRContext *context = parallel.getContext();
  Location loc = parallel.getLoc();
  OpBuilder builder(parent);
  auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                          argumentTypes);
  auto function = LLVM::LLVMFuncOp::create(
      builder, loc, (parent.getName() + "_omp" + llvm::Twine(index)).str(),
      type, LLVM::Linkage::Internal);
  symbols.insert(function);
  Block *entry = function.addEntryBlock(builder);

  builder.setInsertionPointToStart(entry);
  IRMapping mapping;
  for (auto [value, argument] : llvm::zip(arguments, entry->getArguments()))
    mapping.map(value, argument);
  for (Value value : captured)
    if (!mapping.contains(value))
      mapping.map(value, builder.clone(*value.getDefiningOp())->getResult(0));

  // The call takes the region's place; the region moves into the function.
  builder.setInsertionPoint(parallel);
  LLVM::CallOp::create(builder, loc, function, arguments);
  parallel->moveBefore(entry, entry->end());
  // Its operands take the function's values (found by walking the region:
  // a constant may have thousands of uses elsewhere in the parent).
  parallel->walk([&](Operation *op) {
    for (OpOperand &operand : op->getOpOperands())
      if (Value replacement = mapping.lookupOrNull(operand.get()))
        operand.set(replacement);
  });
  builder.setInsertionPointToEnd(entry);
  LLVM::ReturnOp::create(builder, loc, ValueRange());
}

namespace {
struct CnnOutlineParallelRegionsPass final
    : cnn::impl::CnnOutlineParallelRegionsBase<CnnOutlineParallelRegionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<LLVM::LLVMFuncOp> functions(module.getOps<LLVM::LLVMFuncOp>());
    for (LLVM::LLVMFuncOp function : functions) {
      SmallVector<omp::ParallelOp> regions;
      function.walk<WalkOrder::PreOrder>([&](omp::ParallelOp parallel) {
        regions.push_back(parallel);
        return WalkResult::skip();
      });
      // A function that is one region already needs no help.
      if (regions.size() < 2)
        continue;
      for (auto [index, parallel] : llvm::enumerate(regions))
        outline(parallel, function, symbols, index);
    }
  }
};
} // namespace
