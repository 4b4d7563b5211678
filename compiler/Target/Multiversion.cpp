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
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/IPO/ConstantMerge.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"

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

/// The functions each variant's module defines (ExportCAbi.cpp and
/// InstrumentLayers.cpp), after the prefix; the rest of the ABI is defined
/// below.
static constexpr const char *kVariantFunctions[] = {"_run", "_layer_table"};

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

/// Renames the ABI functions of a variant's module to `<name><tag>` (tag
/// ".v<index>" for the block's code; the one-image code keeps only its run
/// function, as "<prefix>_run1.v<index>") and makes everything else it
/// defines internal, so that modules do not clash. (The renamed functions
/// stay external until the modules are linked: the linker only brings in
/// what some external symbol needs.) Constants become unnamed_addr: nothing
/// compares their addresses, so identical ones may be merged.
static void privatize(llvm::Module &module, llvm::StringRef prefix,
                      unsigned index, bool single) {
  llvm::SmallPtrSet<llvm::GlobalValue *, 8> abi;
  for (const char *suffix : kVariantFunctions) {
    llvm::Function *function = module.getFunction((prefix + suffix).str());
    if (!function || (single && llvm::StringRef(suffix) != "_run"))
      continue;
    function->setName(prefix + suffix + (single ? "1" : "") + ".v" +
                      llvm::Twine(index));
    abi.insert(function);
  }
  internalize(module,
              [&](llvm::GlobalValue &value) { return abi.contains(&value); });
  for (llvm::GlobalVariable &global : module.globals())
    if (global.isConstant() && global.hasLocalLinkage())
      global.setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
}

/// Float arrays of at least this size are weights and go to the model's
/// constants section. Everything else (names, shapes, the layer table, of
/// any size) stays in .rodata: the C ABI may read it while the first run
/// moves the section.
static constexpr uint64_t kMinSectionConstantBytes = 64 << 10;

/// Puts the module's large float constants, the model's weights, into the
/// section `<prefix>_constants` and returns the bounds the linker defines
/// for it (`__start_<section>` and `__stop_<section>`, hidden: each
/// executable or library has its own), or null pointers if there is none.
/// Before the first run the runtime moves the section onto huge pages
/// (runtime/src/constants.c); the section name is per model so that two
/// models in one program are moved separately.
static std::pair<llvm::Constant *, llvm::Constant *>
placeConstants(llvm::Module &module, llvm::StringRef prefix) {
  std::string section = (prefix + "_constants").str();
  const llvm::DataLayout &layout = module.getDataLayout();
  bool any = false;
  for (llvm::GlobalVariable &global : module.globals()) {
    auto *array = dyn_cast<llvm::ArrayType>(global.getValueType());
    if (!global.isConstant() || !global.hasInitializer() ||
        !global.hasLocalLinkage() || !array ||
        !array->getElementType()->isFloatTy() ||
        layout.getTypeAllocSize(array) < kMinSectionConstantBytes)
      continue;
    global.setSection(section);
    any = true;
  }
  auto *ptr = llvm::PointerType::getUnqual(module.getContext());
  if (!any)
    return {llvm::ConstantPointerNull::get(ptr),
            llvm::ConstantPointerNull::get(ptr)};
  auto bound = [&](llvm::StringRef kind) {
    auto *symbol = new llvm::GlobalVariable(
        module, llvm::Type::getInt8Ty(module.getContext()),
        /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage, nullptr,
        "__" + kind + "_" + section);
    symbol->setVisibility(llvm::GlobalValue::HiddenVisibility);
    return symbol;
  };
  return {bound("start"), bound("stop")};
}

/// Drops what nothing uses and stores identical constants once.
static void mergeAndStrip(llvm::Module &module) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder;
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  llvm::ModulePassManager passes;
  passes.addPass(llvm::ConstantMergePass());
  passes.addPass(llvm::GlobalDCEPass());
  passes.run(module, modules);
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::cnn::linkVariants(llvm::MutableArrayRef<CodeVariant> variants,
                        const ModelInterface &model) {
  llvm::StringRef prefix = model.prefix;
  if (variants.empty())
    return makeError("no target to compile for");
  bool hasSingle = model.dynamicBatch && model.batchBlock > 1;
  for (auto [index, variant] : llvm::enumerate(variants)) {
    for (llvm::Module *module :
         {variant.module.get(), variant.singleModule.get()}) {
      if (!module)
        continue;
      if (!module->getFunction((prefix + "_run").str()))
        return makeError("the model defines no '" + prefix + "_run'");
      privatize(*module, prefix, index, module == variant.singleModule.get());
    }
    if (hasSingle != bool(variant.singleModule))
      return makeError("internal error: a dynamic batch of blocks needs "
                       "one-image code in every variant");
  }
  std::unique_ptr<llvm::Module> result = std::move(variants[0].module);
  llvm::Linker linker(*result);
  for (auto [index, variant] : llvm::enumerate(variants)) {
    for (std::unique_ptr<llvm::Module> *module :
         {&variant.module, &variant.singleModule})
      if (*module && linker.linkInModule(std::move(*module)))
        return makeError("cannot link the code variants into one module");
  }

  llvm::Module &module = *result;
  // Only the C ABI below is exported.
  internalize(module, [](llvm::GlobalValue &) { return false; });
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  auto *ptr = builder.getPtrTy();
  auto *i32 = builder.getInt32Ty();
  auto *i64 = builder.getInt64Ty();
  auto name = [&](llvm::StringRef suffix, unsigned index) {
    return (prefix + suffix + ".v" + llvm::Twine(index)).str();
  };
  auto nullPtr = llvm::ConstantPointerNull::get(ptr);
  auto functionOrNull = [&](const std::string &symbol) -> llvm::Constant * {
    if (llvm::Function *function = module.getFunction(symbol))
      return function;
    return nullPtr;
  };
  for (auto [index, variant] : llvm::enumerate(variants)) {
    llvm::Function *run = module.getFunction(name("_run", index));
    if (run &&
        run->arg_size() != model.inputs.size() + model.outputs.size() + 1)
      return makeError("internal error: '" + run->getName() + "' takes " +
                       llvm::Twine(run->arg_size()) +
                       " buffers, not one per input and output and the "
                       "workspace");
  }

  // The runtime calls a variant's run functions with arrays of buffers:
  // `<run>.packed(inputs, outputs, workspace)` unpacks them.
  size_t numInputs = model.inputs.size(), numOutputs = model.outputs.size();
  auto packed = [&](const std::string &symbol) -> llvm::Constant * {
    llvm::Function *run = module.getFunction(symbol);
    if (!run)
      return nullPtr;
    auto *function = llvm::Function::Create(
        llvm::FunctionType::get(builder.getVoidTy(), {ptr, ptr, ptr}, false),
        llvm::GlobalValue::InternalLinkage, symbol + ".packed", module);
    // The variant's CPU, so that the call may inline.
    for (llvm::StringRef attribute : {"target-cpu", "target-features"})
      if (run->hasFnAttribute(attribute))
        function->addFnAttr(run->getFnAttribute(attribute));
    builder.SetInsertPoint(llvm::BasicBlock::Create(context, "", function));
    llvm::SmallVector<llvm::Value *> arguments;
    for (auto [array, count] : {std::pair(function->getArg(0), numInputs),
                                std::pair(function->getArg(1), numOutputs)})
      for (size_t i = 0; i < count; ++i)
        arguments.push_back(builder.CreateLoad(
            ptr, builder.CreateConstInBoundsGEP1_64(ptr, array, i)));
    arguments.push_back(function->getArg(2));
    builder.CreateCall(run, arguments);
    builder.CreateRetVoid();
    return function;
  };

  // The variant table: cnnrt_variant in runtime/include/cnnrt/cnnrt.h.
  auto *variantType =
      llvm::StructType::get(context, {ptr, ptr, i64, ptr, ptr, ptr, i64});
  llvm::SmallVector<llvm::Constant *> entries;
  for (auto [index, variant] : llvm::enumerate(variants)) {
    const KernelTarget &target = *variant.target;
    entries.push_back(llvm::ConstantStruct::get(
        variantType,
        {builder.CreateGlobalString(
             target.cpu, (prefix + ".target.v" + llvm::Twine(index)).str(), 0,
             &module),
         builder.CreateGlobalString(
             target.requiredFeatureList(),
             (prefix + ".features.v" + llvm::Twine(index)).str(), 0, &module),
         llvm::ConstantInt::get(i64, target.vectorWidth * 32),
         packed(name("_run", index)), packed(name("_run1", index)),
         functionOrNull(name("_layer_table", index)),
         llvm::ConstantInt::get(i64, variant.workspaceBytes)}));
  }
  auto *tableType = llvm::ArrayType::get(variantType, entries.size());
  auto *table = new llvm::GlobalVariable(
      module, tableType, /*isConstant=*/true,
      llvm::GlobalValue::InternalLinkage,
      llvm::ConstantArray::get(tableType, entries), prefix + ".variants");
  auto *selected = new llvm::GlobalVariable(
      module, i32, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantInt::getSigned(i32, -1), prefix + ".selected");

  // The inputs and outputs: cnnrt_tensor_info arrays.
  auto *tensorType = llvm::StructType::get(context, {ptr, i64, ptr, i64});
  auto tensorArray = [&](llvm::ArrayRef<TensorInterface> tensors,
                         llvm::StringRef kind) {
    llvm::SmallVector<llvm::Constant *> infos;
    for (auto [index, tensor] : llvm::enumerate(tensors)) {
      std::string base = (prefix + "." + kind + llvm::Twine(index)).str();
      auto *shapeType = llvm::ArrayType::get(i64, tensor.shape.size());
      llvm::SmallVector<llvm::Constant *> dims;
      int64_t imageFloats = 1;
      for (auto [dim, size] : llvm::enumerate(tensor.shape)) {
        dims.push_back(llvm::ConstantInt::getSigned(i64, size));
        if (dim > 0)
          imageFloats *= size;
      }
      auto *shape = new llvm::GlobalVariable(
          module, shapeType, /*isConstant=*/true,
          llvm::GlobalValue::InternalLinkage,
          llvm::ConstantArray::get(shapeType, dims), base + ".shape");
      infos.push_back(llvm::ConstantStruct::get(
          tensorType,
          {builder.CreateGlobalString(tensor.name, base + ".name", 0, &module),
           llvm::ConstantInt::get(i64, tensor.shape.size()), shape,
           llvm::ConstantInt::get(i64, imageFloats)}));
    }
    auto *arrayType = llvm::ArrayType::get(tensorType, infos.size());
    return new llvm::GlobalVariable(module, arrayType, /*isConstant=*/true,
                                    llvm::GlobalValue::InternalLinkage,
                                    llvm::ConstantArray::get(arrayType, infos),
                                    prefix + "." + kind);
  };

  auto [constantsBegin, constantsEnd] = placeConstants(module, prefix);
  auto *constantsMapped = new llvm::GlobalVariable(
      module, i64, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantInt::getSigned(i64, -1), prefix + ".constants_mapped");

  // The descriptor: cnnrt_model in runtime/include/cnnrt/cnnrt.h.
  auto *modelType =
      llvm::StructType::get(context, {ptr, ptr, i32, ptr, i64, i64, i64, ptr,
                                      i64, ptr, ptr, ptr, ptr});
  auto *descriptor = new llvm::GlobalVariable(
      module, modelType, /*isConstant=*/true,
      llvm::GlobalValue::InternalLinkage,
      llvm::ConstantStruct::get(
          modelType, {builder.CreateGlobalString(
                          prefix, (prefix + ".name").str(), 0, &module),
                      table, llvm::ConstantInt::get(i32, entries.size()),
                      selected, llvm::ConstantInt::get(i64, model.batchBlock),
                      llvm::ConstantInt::get(i64, model.dynamicBatch ? 1 : 0),
                      llvm::ConstantInt::get(i64, numInputs),
                      tensorArray(model.inputs, "inputs"),
                      llvm::ConstantInt::get(i64, numOutputs),
                      tensorArray(model.outputs, "outputs"), constantsBegin,
                      constantsEnd, constantsMapped}),
      prefix + ".model");

  // Each function of the C ABI: one call into the runtime with the
  // descriptor, or a constant.
  auto define = [&](llvm::StringRef suffix, llvm::Type *result,
                    llvm::ArrayRef<llvm::Type *> params) {
    auto *function = llvm::Function::Create(
        llvm::FunctionType::get(result, params, false),
        llvm::GlobalValue::ExternalLinkage, prefix + suffix, module);
    builder.SetInsertPoint(llvm::BasicBlock::Create(context, "", function));
    return function;
  };
  auto returnCall = [&](llvm::StringRef runtime, llvm::Type *result,
                        llvm::ArrayRef<llvm::Value *> arguments) {
    llvm::SmallVector<llvm::Type *> types;
    for (llvm::Value *argument : arguments)
      types.push_back(argument->getType());
    llvm::CallInst *call = builder.CreateCall(
        module.getOrInsertFunction(
            runtime, llvm::FunctionType::get(result, types, false)),
        arguments);
    if (result->isVoidTy())
      builder.CreateRetVoid();
    else
      builder.CreateRet(call);
  };
  llvm::Value *noWorkspace[] = {nullPtr, builder.getInt64(0)};
  {
    // The batch the shapes give; one image if the batch is dynamic.
    llvm::Function *run = define("_run", i32, {ptr, ptr});
    returnCall("cnnrt_model_run", i32,
               {descriptor,
                builder.getInt64(model.dynamicBatch ? 1 : model.batchBlock),
                run->getArg(0), run->getArg(1), noWorkspace[0],
                noWorkspace[1]});
  }
  {
    llvm::Function *run = define("_run_batch", i32, {i64, ptr, ptr});
    returnCall("cnnrt_model_run", i32,
               {descriptor, run->getArg(0), run->getArg(1), run->getArg(2),
                noWorkspace[0], noWorkspace[1]});
  }
  {
    llvm::Function *run =
        define("_run_with_workspace", i32, {i64, ptr, ptr, ptr, i64});
    returnCall("cnnrt_model_run", i32,
               {descriptor, run->getArg(0), run->getArg(1), run->getArg(2),
                run->getArg(3), run->getArg(4)});
  }
  define("_workspace_size", i64, {});
  returnCall("cnnrt_model_workspace_size", i64, {descriptor});
  define("_release_workspace", builder.getVoidTy(), {});
  returnCall("cnnrt_release_workspace", builder.getVoidTy(), {});
  define("_error_message", ptr, {});
  returnCall("cnnrt_last_error", ptr, {});
  define("_batch_block", i64, {});
  builder.CreateRet(builder.getInt64(model.batchBlock));
  {
    llvm::Function *check = define("_check_cpu", i32, {ptr, i64});
    returnCall("cnnrt_model_check_cpu", i32,
               {descriptor, check->getArg(0), check->getArg(1)});
  }
  define("_target", ptr, {});
  returnCall("cnnrt_model_target", ptr, {descriptor});
  define("_vector_bits", i64, {});
  returnCall("cnnrt_model_vector_bits", i64, {descriptor});
  define("_num_layers", i64, {});
  returnCall("cnnrt_model_num_layers", i64, {descriptor});
  {
    llvm::Function *layer = define("_layer", ptr, {i64});
    returnCall("cnnrt_model_layer", ptr, {descriptor, layer->getArg(0)});
  }
  {
    llvm::Function *run = define("_run_io", i32, {i64, ptr, ptr, ptr, i64});
    returnCall("cnnrt_model_run_io", i32,
               {descriptor, run->getArg(0), run->getArg(1), run->getArg(2),
                run->getArg(3), run->getArg(4)});
  }
  // The tensors: (input 0, output 1) x (index, or the first).
  for (auto [kind, isOutput] : {std::pair(llvm::StringRef("_input"), 0),
                                std::pair(llvm::StringRef("_output"), 1)}) {
    llvm::Value *which = builder.getInt64(isOutput);
    define((kind == "_input" ? "_num_inputs" : "_num_outputs"), i64, {});
    builder.CreateRet(builder.getInt64(isOutput ? numOutputs : numInputs));
    for (auto [suffix, runtime, type] :
         {std::tuple(llvm::StringRef("_name"),
                     llvm::StringRef("cnnrt_model_tensor_name"),
                     static_cast<llvm::Type *>(ptr)),
          std::tuple(llvm::StringRef("_rank"),
                     llvm::StringRef("cnnrt_model_tensor_rank"),
                     static_cast<llvm::Type *>(i64)),
          std::tuple(llvm::StringRef("_shape"),
                     llvm::StringRef("cnnrt_model_tensor_shape"),
                     static_cast<llvm::Type *>(ptr))}) {
      if (suffix != "_name") {
        // The first tensor's: NAME_input_rank(), NAME_input_shape(), ...
        define((kind + suffix).str(), type, {});
        returnCall(runtime, type, {descriptor, which, builder.getInt64(0)});
      }
      std::string indexed =
          (kind + suffix + (suffix == "_name" ? "" : "_at")).str();
      llvm::Function *query = define(indexed, type, {i64});
      returnCall(runtime, type, {descriptor, which, query->getArg(0)});
    }
  }
  mergeAndStrip(module);
  // The linker defines a section's bounds only if the section exists.
  if (auto *start = dyn_cast<llvm::GlobalVariable>(constantsBegin)) {
    bool used = llvm::any_of(module.globals(), [&](llvm::GlobalVariable &g) {
      return g.getSection() == (prefix + "_constants").str();
    });
    if (!used) {
      auto *end = cast<llvm::GlobalVariable>(constantsEnd);
      for (llvm::GlobalVariable *bound : {start, end}) {
        bound->replaceAllUsesWith(llvm::ConstantPointerNull::get(ptr));
        bound->eraseFromParent();
      }
    }
  }
  return result;
}
