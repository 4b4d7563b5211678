// RUN: cnn-opt %s -cnn-outline-parallel-regions | FileCheck %s

// Each of the two parallel regions moves into an internal function of its
// own (placed before the function it came from), called where it was. The
// pointer it uses becomes an argument; the constant is cloned, so that the
// region still sees a constant.
// CHECK-LABEL: llvm.func internal @model_omp0(
// CHECK-SAME: %[[A:.+]]: !llvm.ptr)
// CHECK-NEXT: %[[C:.+]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK-NEXT: omp.parallel {
// CHECK-NEXT: llvm.store %[[C]], %[[A]] : f32, !llvm.ptr
// CHECK: llvm.return

// CHECK-LABEL: llvm.func internal @model_omp1(
// CHECK-SAME: %[[B:.+]]: !llvm.ptr)
// CHECK: omp.parallel {
// CHECK-NEXT: llvm.store %{{.+}}, %[[B]] : f32, !llvm.ptr

// CHECK-LABEL: llvm.func @model(
// CHECK-SAME: %[[P:.+]]: !llvm.ptr)
// CHECK: %[[Q:.+]] = llvm.getelementptr %[[P]][4]
// CHECK-NEXT: llvm.call @model_omp0(%[[P]]) : (!llvm.ptr) -> ()
// CHECK-NEXT: llvm.call @model_omp1(%[[Q]]) : (!llvm.ptr) -> ()
// CHECK-NEXT: llvm.return
llvm.func @model(%p: !llvm.ptr) {
  %one = llvm.mlir.constant(1.0 : f32) : f32
  %q = llvm.getelementptr %p[4] : (!llvm.ptr) -> !llvm.ptr, f32
  omp.parallel {
    llvm.store %one, %p : f32, !llvm.ptr
    omp.terminator
  }
  omp.parallel {
    llvm.store %one, %q : f32, !llvm.ptr
    omp.terminator
  }
  llvm.return
}

// A function with a single region is left alone.
// CHECK-LABEL: llvm.func @single(
// CHECK: omp.parallel
// CHECK-NOT: llvm.call
llvm.func @single(%p: !llvm.ptr) {
  %one = llvm.mlir.constant(1.0 : f32) : f32
  omp.parallel {
    llvm.store %one, %p : f32, !llvm.ptr
    omp.terminator
  }
  llvm.return
}
