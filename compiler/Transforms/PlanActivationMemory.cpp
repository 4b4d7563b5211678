//===- PlanActivationMemory.cpp - One arena for intermediate buffers ------===//
//
// After bufferization the model function is a straight line of ops on
// buffers. Each static `memref.alloc` lives from its position to the last
// use of it or of a view of it; buffers whose lifetimes do not overlap share
// memory. Offsets are chosen at compile time (greedy, largest buffer first,
// lowest fitting offset). The arena is not allocated here: it is the
// caller's workspace, a trailing `memref<Nxi8>` argument of the function
// (N recorded as `cnn.arena_bytes`), which the runtime allocates once per
// thread or takes from the program (runtime/src/model.c). A run of the
// model allocates nothing: a parallel task's own buffer (an alloc in the
// body of an scf.forall) goes on its thread's stack.
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNPLANACTIVATIONMEMORY
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

static constexpr int64_t kAlignment = 64;
static constexpr llvm::StringLiteral kArenaAttr = "cnn.arena_bytes";

namespace {
struct PlannedBuffer {
  memref::AllocOp alloc;
  int64_t bytes;
  int64_t start, end; // Positions in the block, inclusive.
  int64_t offset = 0;
  SmallVector<memref::DeallocOp> deallocs;
};

struct CnnPlanActivationMemoryPass final
    : cnn::impl::CnnPlanActivationMemoryBase<CnnPlanActivationMemoryPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // The entry point only: its callers are outside the module.
    if (func.isExternal() || !func.isPublic() || !func.getBody().hasOneBlock())
      return;
    if (func->hasAttr(kArenaAttr)) {
      func.emitError("the activation memory of '")
          << func.getSymName() << "' is already planned";
      return signalPassFailure();
    }
    Block &block = func.getBody().front();
    // A parallel task's own buffer (the rows of a depthwise kernel
    // computed in its consumer's tasks) lives on its thread's stack: the
    // task's body becomes an alloca scope (convert-scf-to-openmp), so it is
    // freed at the end of each task.
    SmallVector<memref::AllocOp> scratch;
    func.walk([&](memref::AllocOp alloc) {
      if (isa<scf::ForallOp>(alloc->getParentOp()) &&
          alloc.getType().hasStaticShape())
        scratch.push_back(alloc);
    });
    for (memref::AllocOp alloc : scratch) {
      OpBuilder builder(alloc);
      auto alloca =
          memref::AllocaOp::create(builder, alloc.getLoc(), alloc.getType(),
                                   ValueRange{}, alloc.getAlignmentAttr());
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
    DenseMap<Operation *, int64_t> position;
    for (auto [index, op] : llvm::enumerate(block))
      position[&op] = index;

    SmallVector<PlannedBuffer> buffers;
    for (auto alloc : block.getOps<memref::AllocOp>()) {
      std::optional<PlannedBuffer> buffer = analyze(alloc, position, block);
      if (buffer)
        buffers.push_back(*buffer);
    }

    // Largest first; each at the lowest aligned offset that does not
    // collide with an already placed buffer live at the same time.
    SmallVector<PlannedBuffer *> order;
    for (PlannedBuffer &buffer : buffers)
      order.push_back(&buffer);
    llvm::sort(order, [](PlannedBuffer *a, PlannedBuffer *b) {
      return std::tie(b->bytes, a->start) < std::tie(a->bytes, b->start);
    });
    SmallVector<PlannedBuffer *> placed;
    int64_t arenaBytes = 0;
    for (PlannedBuffer *buffer : order) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (PlannedBuffer *other : placed)
        if (other->start <= buffer->end && buffer->start <= other->end)
          busy.push_back({other->offset, other->offset + other->bytes});
      llvm::sort(busy);
      int64_t offset = 0;
      for (auto [begin, end] : busy) {
        if (offset + buffer->bytes <= begin)
          break;
        offset = std::max<int64_t>(offset, llvm::alignTo(end, kAlignment));
      }
      buffer->offset = offset;
      arenaBytes = std::max(arenaBytes, offset + buffer->bytes);
      placed.push_back(buffer);
    }

    // One arena: the workspace argument, appended to the signature.
    OpBuilder builder(func.getContext());
    auto arenaType = MemRefType::get({arenaBytes}, builder.getI8Type());
    if (failed(func.insertArgument(func.getNumArguments(), arenaType,
                                   /*argAttrs=*/{}, func.getLoc())))
      return signalPassFailure();
    Value arena = func.getArguments().back();
    for (PlannedBuffer &buffer : buffers) {
      builder.setInsertionPoint(buffer.alloc);
      Value offset = arith::ConstantIndexOp::create(
          builder, buffer.alloc.getLoc(), buffer.offset);
      Value view = memref::ViewOp::create(builder, buffer.alloc.getLoc(),
                                          buffer.alloc.getType(), arena, offset,
                                          ValueRange{});
      buffer.alloc.replaceAllUsesWith(view);
      for (memref::DeallocOp dealloc : buffer.deallocs)
        dealloc.erase();
      buffer.alloc.erase();
    }
    func->setAttr(kArenaAttr, builder.getI64IntegerAttr(arenaBytes));
  }

  /// The live interval of `alloc`, or nothing if it must keep its own
  /// allocation (dynamic, non-identity layout, or escaping).
  std::optional<PlannedBuffer> analyze(memref::AllocOp alloc,
                                       DenseMap<Operation *, int64_t> &position,
                                       Block &block) {
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
        !type.getElementType().isIntOrFloat() ||
        type.getElementTypeBitWidth() % 8 != 0 || type.getMemorySpace())
      return std::nullopt;
    PlannedBuffer buffer{alloc,
                         type.getNumElements() *
                             (type.getElementTypeBitWidth() / 8),
                         position[alloc],
                         position[alloc],
                         0,
                         {}};
    // Follow the buffer through every view of it.
    SmallVector<Value> worklist = {alloc.getResult()};
    while (!worklist.empty()) {
      Value value = worklist.pop_back_val();
      for (OpOperand &use : value.getUses()) {
        Operation *user = use.getOwner();
        if (auto dealloc = dyn_cast<memref::DeallocOp>(user)) {
          if (value != alloc.getResult())
            return std::nullopt;
          buffer.deallocs.push_back(dealloc);
          continue;
        }
        if (isa<func::ReturnOp, CallOpInterface>(user))
          return std::nullopt;
        Operation *topLevel = block.findAncestorOpInBlock(*user);
        if (!topLevel)
          return std::nullopt;
        buffer.end = std::max(buffer.end, position[topLevel]);
        // Any memref result may alias the buffer: views and anything else.
        for (Value result : user->getResults())
          if (isa<BaseMemRefType>(result.getType()))
            worklist.push_back(result);
      }
    }
    return buffer;
  }
};
} // namespace
