// RUN: cnn-opt %s -split-input-file -cnn-plan-activation-memory | FileCheck %s

// %a dies when %c is born: they share offset 0; %b lives across both.
// 64 floats = 256 bytes each, so the arena holds two buffers: 512 bytes.
// The arena is the caller's workspace: a new last argument.
// CHECK-LABEL: func @chain
// CHECK-SAME: (%{{.+}}: memref<64xf32>, %{{.+}}: memref<64xf32>, %[[ARENA:.+]]: memref<512xi8>)
// CHECK-SAME: attributes {cnn.arena_bytes = 512 : i64}
// CHECK: %[[A:.+]] = memref.view %[[ARENA]][%c0{{(_[0-9]+)?}}][] : memref<512xi8> to memref<64xf32>
// CHECK: %[[B:.+]] = memref.view %[[ARENA]][%c256{{(_[0-9]+)?}}][] : memref<512xi8> to memref<64xf32>
// CHECK: linalg.copy ins(%[[A]] : memref<64xf32>) outs(%[[B]] : memref<64xf32>)
// CHECK: %[[C:.+]] = memref.view %[[ARENA]][%c0{{(_[0-9]+)?}}][] : memref<512xi8> to memref<64xf32>
// CHECK: linalg.copy ins(%[[B]] : memref<64xf32>) outs(%[[C]] : memref<64xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @chain(%in: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  %b = memref.alloc() : memref<64xf32>
  linalg.copy ins(%a : memref<64xf32>) outs(%b : memref<64xf32>)
  memref.dealloc %a : memref<64xf32>
  %c = memref.alloc() : memref<64xf32>
  linalg.copy ins(%b : memref<64xf32>) outs(%c : memref<64xf32>)
  memref.dealloc %b : memref<64xf32>
  linalg.copy ins(%c : memref<64xf32>) outs(%out : memref<64xf32>)
  memref.dealloc %c : memref<64xf32>
  return
}

// -----

// A view extends its buffer's lifetime: %a stays live until the collapsed
// view's last use, so %b cannot reuse it.
// CHECK-LABEL: func @views_keep_alive
// CHECK-SAME: attributes {cnn.arena_bytes = 512 : i64}
func.func @views_keep_alive(%in: memref<8x8xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<8x8xf32>
  linalg.copy ins(%in : memref<8x8xf32>) outs(%a : memref<8x8xf32>)
  %flat = memref.collapse_shape %a [[0, 1]] : memref<8x8xf32> into memref<64xf32>
  %b = memref.alloc() : memref<64xf32>
  linalg.copy ins(%flat : memref<64xf32>) outs(%b : memref<64xf32>)
  linalg.copy ins(%b : memref<64xf32>) outs(%flat : memref<64xf32>)
  linalg.copy ins(%flat : memref<64xf32>) outs(%out : memref<64xf32>)
  memref.dealloc %a : memref<8x8xf32>
  memref.dealloc %b : memref<64xf32>
  return
}

// -----

// A returned buffer keeps its own allocation; the workspace is empty.
// CHECK-LABEL: func @escaping
// CHECK-SAME: (%{{.+}}: memref<64xf32>, %{{.+}}: memref<0xi8>) -> memref<64xf32>
// CHECK-SAME: attributes {cnn.arena_bytes = 0 : i64}
// CHECK: memref.alloc() : memref<64xf32>
// CHECK-NOT: memref.view
func.func @escaping(%in: memref<64xf32>) -> memref<64xf32> {
  %a = memref.alloc() : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  return %a : memref<64xf32>
}

// -----

// Only the public entry point takes a workspace: a private function's
// callers are in the module.
// CHECK-LABEL: func private @helper
// CHECK-SAME: (%{{.+}}: memref<64xf32>)
// CHECK-NOT: cnn.arena_bytes
// CHECK: memref.alloc() : memref<64xf32>
func.func private @helper(%in: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  memref.dealloc %a : memref<64xf32>
  return
}

// -----

// A task's own buffer (allocated in the body of an scf.forall) goes on the
// task's stack: an alloca where the alloc was, without its dealloc. The
// arena holds only the buffer outside the loop.
// CHECK-LABEL: func @task_scratch
// CHECK-SAME: attributes {cnn.arena_bytes = 256 : i64}
// CHECK: memref.view
// CHECK: scf.forall
// CHECK-NEXT: %[[ROW:.+]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: linalg.copy ins(%{{.+}} : memref<16xf32, strided<[1], offset: ?>>) outs(%[[ROW]] : memref<16xf32>)
// CHECK: linalg.copy ins(%[[ROW]] : memref<16xf32>)
// CHECK-NOT: memref.alloc(
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @task_scratch(%in: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  scf.forall (%i) in (4) {
    %row = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
    %off = affine.apply affine_map<(d0) -> (d0 * 16)>(%i)
    %src = memref.subview %a[%off] [16] [1] : memref<64xf32> to memref<16xf32, strided<[1], offset: ?>>
    linalg.copy ins(%src : memref<16xf32, strided<[1], offset: ?>>) outs(%row : memref<16xf32>)
    %dst = memref.subview %out[%off] [16] [1] : memref<64xf32> to memref<16xf32, strided<[1], offset: ?>>
    linalg.copy ins(%row : memref<16xf32>) outs(%dst : memref<16xf32, strided<[1], offset: ?>>)
    memref.dealloc %row : memref<16xf32>
  }
  memref.dealloc %a : memref<64xf32>
  return
}
