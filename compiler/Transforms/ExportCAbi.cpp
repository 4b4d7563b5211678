//===- ExportCAbi.cpp - Expose the model through the runtime's C ABI ------===//
//
// Each code variant of a model defines one function,
//   void <prefix>_run(const float *in0, ..., float *out0, ..., void *ws);
// (bufferization makes the results out-parameters, cnn-plan-activation-memory
// adds the workspace, the bare-pointer calling convention makes it plain C).
// This pass renames the entry function and records its inputs and outputs
// (name and shape) on it as `cnn.inputs` and `cnn.outputs`, which survive to
// the LLVM dialect: the multi-version linker (Target/Multiversion.cpp) makes
// the model's descriptor from them, and the C ABI that programs call
// (cnn_model_abi.h) answers the shape queries from that descriptor.
//
//===----------------------------------------------------------------------===//

#include "Transforms/Passes.h"
#include "cnnrt/cnnrt.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::cnn {
#define GEN_PASS_DEF_CNNEXPORTCABI
#include "Transforms/Passes.h.inc"
} // namespace mlir::cnn

using namespace mlir;

static constexpr unsigned kMaxTensors = CNNRT_MAX_TENSORS;
static constexpr llvm::StringLiteral kNameAttr = "cnn.name";
static constexpr llvm::StringLiteral kInputsAttr = "cnn.inputs";
static constexpr llvm::StringLiteral kOutputsAttr = "cnn.outputs";

namespace {
struct CnnExportCAbiPass final
    : cnn::impl::CnnExportCAbiBase<CnnExportCAbiPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        entries.push_back(func);
    if (entries.size() != 1) {
      module.emitError("expected exactly one public function (the model's "
                       "entry point), found ")
          << entries.size();
      return signalPassFailure();
    }
    func::FuncOp entry = entries.front();
    FunctionType type = entry.getFunctionType();
    auto isStaticF32Tensor = [](Type t) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      return tensor && tensor.hasStaticShape() &&
             tensor.getElementType().isF32() && tensor.getRank() > 0;
    };
    if (type.getNumInputs() < 1 || type.getNumResults() < 1 ||
        type.getNumInputs() > kMaxTensors ||
        type.getNumResults() > kMaxTensors ||
        !llvm::all_of(type.getInputs(), isStaticF32Tensor) ||
        !llvm::all_of(type.getResults(), isStaticF32Tensor)) {
      entry.emitError("the entry point '")
          << entry.getSymName() << "' must take 1 to " << kMaxTensors
          << " static f32 tensors and return 1 to " << kMaxTensors << ", got "
          << type;
      return signalPassFailure();
    }

    std::string runName = prefix + "_run";
    if (entry.getSymName() != runName &&
        failed(SymbolTable::replaceAllSymbolUses(
            entry, StringAttr::get(&getContext(), runName), module))) {
      entry.emitError("cannot rename the entry point to ") << runName;
      return signalPassFailure();
    }
    entry.setSymName(runName);

    // Names are the arguments' and results' `cnn.name`s (the ONNX graph's),
    // else input, input1, ..., output, output1, ...
    auto describe = [&](TypeRange types, StringRef kind,
                        llvm::function_ref<StringAttr(unsigned)> nameOf) {
      SmallVector<Attribute> tensors;
      llvm::StringSet<> seen;
      for (auto [index, type] : llvm::enumerate(types)) {
        StringAttr name = nameOf(index);
        std::string text = name         ? name.str()
                           : index == 0 ? kind.str()
                                        : (kind + Twine(index)).str();
        if (!seen.insert(text).second)
          text += "_" + std::to_string(index);
        SmallVector<int64_t> shape(cast<RankedTensorType>(type).getShape());
        // A dynamic batch: the compiled dimension 0 is a block.
        if (dynamicBatch)
          shape.front() = -1;
        Builder b(&getContext());
        tensors.push_back(b.getDictionaryAttr(
            {b.getNamedAttr("name", b.getStringAttr(text)),
             b.getNamedAttr("shape", b.getDenseI64ArrayAttr(shape))}));
      }
      return ArrayAttr::get(&getContext(), tensors);
    };
    entry->setAttr(kInputsAttr,
                   describe(type.getInputs(), "input", [&](unsigned i) {
                     return entry.getArgAttrOfType<StringAttr>(i, kNameAttr);
                   }));
    entry->setAttr(kOutputsAttr,
                   describe(type.getResults(), "output", [&](unsigned i) {
                     return entry.getResultAttrOfType<StringAttr>(i, kNameAttr);
                   }));
    // Recorded: the LLVM dialect would carry them as unknown argument
    // attributes.
    for (unsigned i = 0; i < entry.getNumArguments(); ++i)
      entry.removeArgAttr(i, kNameAttr);
    for (unsigned i = 0; i < entry.getNumResults(); ++i)
      entry.removeResultAttr(i, StringAttr::get(&getContext(), kNameAttr));
  }
};
} // namespace
