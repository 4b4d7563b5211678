//===- Passes.td - cnnc passes -----------------------------*- tablegen -*-===//
//
// Every pass of the project, with its flag, description and options. The
// generated base classes and registration live in Passes.h.inc.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_TRANSFORMS_PASSES_TD
#define CNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertCnnToLinalg : Pass<"convert-cnn-to-linalg", "func::FuncOp"> {
  let summary = "Lower cnn ops to linalg, tensor and arith on tensors";
  let description = [{
    Convolutions become `linalg.conv_2d_nchw_fchw` (grouped ones
    `linalg.conv_2d_ngchw_gfchw`) on a `tensor.pad`-ed input, followed by
    one elementwise `linalg.generic` for the fused epilogue (bias, residual,
    ReLU); pooling becomes `linalg.pooling_nchw_max/sum` (the average's
    divisors are a compile-time constant per output position); the rest
    becomes `linalg.generic` or `tensor` reshapes. Every cnn op must lower:
    anything left is an error.
  }];
  let dependentDialects = [
    "arith::ArithDialect", "linalg::LinalgDialect", "math::MathDialect",
    "tensor::TensorDialect"
  ];
}

def CnnExportCAbi : Pass<"cnn-export-c-abi", "ModuleOp"> {
  let summary = "Expose the model through the runtime's C ABI";
  let description = [{
    Renames the module's one public function to `<prefix>_run` and adds
    `<prefix>_input_rank`, `<prefix>_input_shape`, `<prefix>_output_rank`
    and `<prefix>_output_shape` as LLVM-dialect functions returning the
    static shapes. Together with bufferization, results-to-out-params and
    the bare-pointer calling convention, the entry point becomes
    `void <prefix>_run(const float *input, float *output)`.
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", /*default=*/"\"cnn_model\"",
           "Prefix of the exported C symbols">
  ];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

def CnnLowerMemrefCopy : Pass<"cnn-lower-memref-copy", "func::FuncOp"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization expresses padding and out-params as `memref.copy`, whose
    strided form lowers to a call into MLIR's C runner utilities. As
    `linalg.copy` the copy lowers to loops with the rest of the model, and
    the compiled model needs no library beyond the cnnc runtime.
  }];
  let dependentDialects = ["linalg::LinalgDialect"];
}

#endif // CNN_TRANSFORMS_PASSES_TD
