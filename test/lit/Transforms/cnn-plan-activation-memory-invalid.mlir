// RUN: cnn-opt %s -cnn-plan-activation-memory -verify-diagnostics

// Planning twice would add a second workspace argument.
// expected-error @+1 {{the activation memory of 'planned' is already planned}}
func.func @planned(%in: memref<64xf32>, %out: memref<64xf32>, %arena: memref<0xi8>) attributes {cnn.arena_bytes = 0 : i64} {
  linalg.copy ins(%in : memref<64xf32>) outs(%out : memref<64xf32>)
  return
}
