//===- Multiversion.cpp - One binary, a code variant per target CPU ------===//
//
// Part of the cnnc project. See Multiversion.h.
//
//===----------------------------------------------------------------------===//

#include "Target/Multiversion.h"
#include "Target/KernelTarget.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Linker/Linker.h"

using namespace mlir;
using namespace mlir::cnn;

void mlir::cnn::setTargetAttributes(llvm::Module &module,
                                    const KernelTarget &target) {
  std::string features(target.machine->getTargetFeatureString());
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", target.machine->getTargetCPU());
    if (!features.empty())
      function.addFnAttr("target-features", features);
  }
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The functions of the ABI each variant defines (ExportCAbi.cpp and
/// InstrumentLayers.cpp), after the prefix.
static constexpr const char *kVariantFunctions[] = {
    "_run",         "_layer_table", "_input_rank",
    "_input_shape", "_output_rank", "_output_shape"};

/// Makes every symbol `module` defines internal, except `keep`.
static void internalize(llvm::Module &module,
                        llvm::function_ref<bool(llvm::GlobalValue &)> keep) {
  for (llvm::GlobalValue &value : module.global_values())
    if (!value.isDeclaration() && !value.hasLocalLinkage() &&
        !value.hasAppendingLinkage() && !value.getName().starts_with("llvm.") &&
        !keep(value)) {
      value.setLinkage(llvm::GlobalValue::InternalLinkage);
      value.setVisibility(llvm::GlobalValue::DefaultVisibility);
    }
}

/// Renames variant `index`'s ABI functions to `<name>.v<index>` and makes
/// everything else it defines internal, so that variants do not clash. (The
/// renamed functions stay external until the variants are linked: the
/// linker only brings in what some external symbol needs.)
static void privatize(llvm::Module &module, llvm::StringRef prefix,
                      unsigned index) {
  llvm::SmallPtrSet<llvm::GlobalValue *, 8> abi;
  for (const char *suffix : kVariantFunctions)
    if (llvm::Function *function =
            module.getFunction((prefix + suffix).str())) {
      function->setName(prefix + suffix + ".v" + llvm::Twine(index));
      abi.insert(function);
    }
  internalize(module,
              [&](llvm::GlobalValue &value) { return abi.contains(&value); });
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::cnn::linkVariants(llvm::MutableArrayRef<CodeVariant> variants,
                        llvm::StringRef prefix) {
  if (variants.empty())
    return makeError("no target to compile for");
  for (auto [index, variant] : llvm::enumerate(variants)) {
    if (!variant.module->getFunction((prefix + "_run").str()))
      return makeError("the model defines no '" + prefix + "_run'");
    privatize(*variant.module, prefix, index);
  }
  std::unique_ptr<llvm::Module> result = std::move(variants[0].module);
  llvm::Linker linker(*result);
  for (CodeVariant &variant : variants.drop_front())
    if (linker.linkInModule(std::move(variant.module)))
      return makeError("cannot link the code variants into one module");

  llvm::Module &module = *result;
  // Only the dispatchers below are exported.
  internalize(module, [](llvm::GlobalValue &) { return false; });
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  auto *ptr = builder.getPtrTy();
  auto *i32 = builder.getInt32Ty();
  auto *i64 = builder.getInt64Ty();
  auto name = [&](llvm::StringRef suffix, unsigned index) {
    return (prefix + suffix + ".v" + llvm::Twine(index)).str();
  };

  // The table runtime/include/cnnrt/cnnrt.h declares as cnnrt_variant.
  auto *variantType = llvm::StructType::get(context, {ptr, ptr, i64, ptr, ptr});
  llvm::SmallVector<llvm::Constant *> entries;
  for (auto [index, variant] : llvm::enumerate(variants)) {
    const KernelTarget &target = *variant.target;
    llvm::Function *layerTable =
        module.getFunction(name("_layer_table", index));
    entries.push_back(llvm::ConstantStruct::get(
        variantType,
        {builder.CreateGlobalString(
             target.cpu, (prefix + ".target.v" + llvm::Twine(index)).str(), 0,
             &module),
         builder.CreateGlobalString(
             target.requiredFeatureList(),
             (prefix + ".features.v" + llvm::Twine(index)).str(), 0, &module),
         llvm::ConstantInt::get(i64, target.vectorWidth * 32),
         module.getFunction(name("_run", index)),
         layerTable ? static_cast<llvm::Constant *>(layerTable)
                    : llvm::ConstantPointerNull::get(ptr)}));
  }
  auto *tableType = llvm::ArrayType::get(variantType, entries.size());
  auto *table = new llvm::GlobalVariable(
      module, tableType, /*isConstant=*/true,
      llvm::GlobalValue::InternalLinkage,
      llvm::ConstantArray::get(tableType, entries), prefix + ".variants");
  auto *selected = new llvm::GlobalVariable(
      module, i32, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantInt::getSigned(i32, -1), prefix + ".selected");
  llvm::Value *count = builder.getInt32(entries.size());

  llvm::FunctionCallee variantGet = module.getOrInsertFunction(
      "cnnrt_variant_get",
      llvm::FunctionType::get(ptr, {ptr, i32, ptr}, false));
  llvm::FunctionCallee variantSelect = module.getOrInsertFunction(
      "cnnrt_variant_select",
      llvm::FunctionType::get(i32, {ptr, i32, ptr, ptr, i64}, false));

  auto define = [&](llvm::StringRef suffix, llvm::FunctionType *type) {
    auto *function = llvm::Function::Create(
        type, llvm::GlobalValue::ExternalLinkage, prefix + suffix, module);
    builder.SetInsertPoint(llvm::BasicBlock::Create(context, "", function));
    return function;
  };
  // Forwards to field `field` (run or layer_table) of the chosen variant.
  auto defineForwarder = [&](llvm::StringRef suffix, unsigned field) {
    llvm::Function *first = module.getFunction(name(suffix, 0));
    if (!first)
      return;
    llvm::Function *function = define(suffix, first->getFunctionType());
    llvm::Value *variant =
        builder.CreateCall(variantGet, {table, count, selected});
    llvm::Value *callee = builder.CreateLoad(
        ptr, builder.CreateStructGEP(variantType, variant, field));
    llvm::SmallVector<llvm::Value *> arguments(
        llvm::make_pointer_range(function->args()));
    llvm::CallInst *call =
        builder.CreateCall(first->getFunctionType(), callee, arguments);
    if (function->getReturnType()->isVoidTy())
      builder.CreateRetVoid();
    else
      builder.CreateRet(call);
  };
  defineForwarder("_run", 3);
  defineForwarder("_layer_table", 4);

  // int <prefix>_check_cpu(char *err, size_t errlen): 0 if a variant runs.
  {
    llvm::Function *function =
        define("_check_cpu", llvm::FunctionType::get(i32, {ptr, i64}, false));
    llvm::Value *index = builder.CreateCall(
        variantSelect,
        {table, count, selected, function->getArg(0), function->getArg(1)});
    builder.CreateRet(builder.CreateZExt(
        builder.CreateICmpSLT(index, builder.getInt32(0)), i32));
  }
  // Field `field` of the chosen variant, or `none` if no variant runs.
  auto defineQuery = [&](llvm::StringRef suffix, llvm::Type *type,
                         unsigned field, llvm::Constant *none) {
    llvm::Function *function =
        define(suffix, llvm::FunctionType::get(type, false));
    llvm::Value *index =
        builder.CreateCall(variantSelect, {table, count, selected,
                                           llvm::ConstantPointerNull::get(ptr),
                                           builder.getInt64(0)});
    llvm::BasicBlock *found =
        llvm::BasicBlock::Create(context, "found", function);
    llvm::BasicBlock *missing =
        llvm::BasicBlock::Create(context, "none", function);
    builder.CreateCondBr(builder.CreateICmpSLT(index, builder.getInt32(0)),
                         missing, found);
    builder.SetInsertPoint(missing);
    builder.CreateRet(none);
    builder.SetInsertPoint(found);
    llvm::Value *address = builder.CreateInBoundsGEP(
        tableType, table,
        {builder.getInt64(0), builder.CreateSExt(index, i64),
         builder.getInt32(field)});
    builder.CreateRet(builder.CreateLoad(type, address));
  };
  defineQuery("_target", ptr, 0, llvm::ConstantPointerNull::get(ptr));
  defineQuery("_vector_bits", i64, 2, builder.getInt64(0));

  // The shapes are the same in every variant: variant 0's, as baseline
  // code (they run before the CPU is checked, e.g. for --help).
  for (llvm::StringRef suffix :
       {"_input_rank", "_input_shape", "_output_rank", "_output_shape"})
    if (llvm::Function *first = module.getFunction(name(suffix, 0))) {
      first->removeFnAttr("target-cpu");
      first->removeFnAttr("target-features");
      llvm::GlobalAlias::create(llvm::GlobalValue::ExternalLinkage,
                                prefix + suffix, first);
    }
  return result;
}
