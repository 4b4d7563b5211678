// RUN: cnn-opt %s -split-input-file -cnn-fold-padding-into-producers | FileCheck %s

// The ReLU writes into the interior of a padded tensor whose border (and
// only its border: the top and bottom rows, then the left and right
// columns of the rows between) is zero-filled; that replaces the pad; its
// other user (the residual) reads the interior.
// CHECK-LABEL: func @relu_then_pad
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[BUF:.+]] = tensor.empty() : tensor<1x6x6x8xf32>
// CHECK: %[[S0:.+]] = tensor.extract_slice %[[BUF]][0, 0, 0, 0] [1, 1, 6, 8] [1, 1, 1, 1]
// CHECK: %[[F0:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[S0]] : tensor<1x1x6x8xf32>)
// CHECK: %[[B0:.+]] = tensor.insert_slice %[[F0]] into %[[BUF]][0, 0, 0, 0] [1, 1, 6, 8]
// CHECK: %[[S1:.+]] = tensor.extract_slice %[[B0]][0, 5, 0, 0] [1, 1, 6, 8] [1, 1, 1, 1]
// CHECK: %[[F1:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[S1]] : tensor<1x1x6x8xf32>)
// CHECK: %[[B1:.+]] = tensor.insert_slice %[[F1]] into %[[B0]][0, 5, 0, 0] [1, 1, 6, 8]
// CHECK: %[[S2:.+]] = tensor.extract_slice %[[B1]][0, 1, 0, 0] [1, 4, 1, 8] [1, 1, 1, 1]
// CHECK: %[[F2:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[S2]] : tensor<1x4x1x8xf32>)
// CHECK: %[[B2:.+]] = tensor.insert_slice %[[F2]] into %[[B1]][0, 1, 0, 0] [1, 4, 1, 8]
// CHECK: %[[S3:.+]] = tensor.extract_slice %[[B2]][0, 1, 5, 0] [1, 4, 1, 8] [1, 1, 1, 1]
// CHECK: %[[F3:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[S3]] : tensor<1x4x1x8xf32>)
// CHECK: %[[FILL:.+]] = tensor.insert_slice %[[F3]] into %[[B2]][0, 1, 5, 0] [1, 4, 1, 8]
// CHECK-NOT: linalg.fill
// CHECK: %[[INTERIOR:.+]] = tensor.extract_slice %[[FILL]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK: %[[RELU:.+]] = linalg.generic {{.*}} outs(%[[INTERIOR]] : tensor<1x4x4x8xf32>)
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[RELU]] into %[[FILL]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
// CHECK: return %[[PADDED]], %[[RELU]]
func.func @relu_then_pad(%x: tensor<1x4x4x8xf32>) -> (tensor<1x6x6x8xf32>, tensor<1x4x4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x4x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  %p = tensor.pad %r low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  return %p, %r : tensor<1x6x6x8xf32>, tensor<1x4x4x8xf32>
}

// -----

// The chain is followed through the convolution's accumulator init (the
// bias broadcast) to the tensor.empty that it started from; -inf padding
// (a max pool's) fills the border with -inf: padded only at the high end,
// it is the last row, then the last column of the rows above.
// CHECK-LABEL: func @conv_chain
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<1x1x5x4xf32>)
// CHECK: %[[B0:.+]] = tensor.insert_slice %{{.+}}[0, 4, 0, 0] [1, 1, 5, 4]
// CHECK: linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<1x4x1x4xf32>)
// CHECK: %[[FILL:.+]] = tensor.insert_slice %{{.+}} into %[[B0]][0, 0, 4, 0] [1, 4, 1, 4]
// CHECK-NOT: linalg.fill
// CHECK: %[[INTERIOR:.+]] = tensor.extract_slice %[[FILL]][0, 0, 0, 0] [1, 4, 4, 4]
// CHECK: %[[BIAS:.+]] = linalg.generic {{.*}} outs(%[[INTERIOR]] :
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[BIAS]] :
// CHECK: tensor.insert_slice %[[CONV]] into %[[FILL]]
func.func @conv_chain(%x: tensor<1x4x4x2xf32>, %w: tensor<1x1x2x4xf32>, %b: tensor<4xf32>) -> tensor<1x5x5x4xf32> {
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<4xf32>) outs(%e : tensor<1x4x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x4x4xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x1x2x4xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %neginf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %c low[0, 0, 0, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %neginf : f32
  } : tensor<1x4x4x4xf32> to tensor<1x5x5x4xf32>
  return %p : tensor<1x5x5x4xf32>
}

// -----

// A function argument has no producer to write into a padded buffer: the
// pad becomes the fill of the padded buffer and the insert of the argument.
// CHECK-LABEL: func @argument
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x4x8xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[BUF:.+]] = tensor.empty() : tensor<1x6x6x8xf32>
// CHECK: linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<1x4x1x8xf32>)
// CHECK: %[[FILL:.+]] = tensor.insert_slice %{{.+}}[0, 1, 5, 0] [1, 4, 1, 8]
// CHECK-NOT: tensor.extract_slice
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[X]] into %[[FILL]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
// CHECK: return %[[PADDED]]
func.func @argument(%x: tensor<1x4x4x8xf32>) -> tensor<1x6x6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  return %p : tensor<1x6x6x8xf32>
}

// -----

// A Winograd output transform (an scf.forall whose shared output starts as
// a tensor.empty) writes into the padded buffer's interior the same way.
// CHECK-LABEL: func @forall_then_pad
// CHECK: %[[FILL:.+]] = tensor.insert_slice {{.+}}[0, 1, 5, 0] [1, 4, 1, 8]
// CHECK: %[[INTERIOR:.+]] = tensor.extract_slice %[[FILL]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK: %[[OUT:.+]] = scf.forall (%{{.+}}) in (4) shared_outs(%{{.+}} = %[[INTERIOR]])
// CHECK: tensor.insert_slice %[[OUT]] into %[[FILL]]
// CHECK-NOT: tensor.pad
func.func @forall_then_pad(%x: tensor<4x1x4x8xf32>) -> tensor<1x6x6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %r = scf.forall (%i) in (4) shared_outs(%o = %e) -> (tensor<1x4x4x8xf32>) {
    %row = tensor.extract_slice %x[%i, 0, 0, 0] [1, 1, 4, 8] [1, 1, 1, 1] : tensor<4x1x4x8xf32> to tensor<1x1x4x8xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %row into %o[0, %i, 0, 0] [1, 1, 4, 8] [1, 1, 1, 1] : tensor<1x1x4x8xf32> into tensor<1x4x4x8xf32>
    }
  }
  %p = tensor.pad %r low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  return %p : tensor<1x6x6x8xf32>
}

// -----

// A kernel that computed padded channels (16 for the layer's 12): the pad
// of its leading-channel slice becomes a slice of the pad of the whole
// output, which the kernel then writes directly; the reader gets a view.
// CHECK-LABEL: func @pad_of_channel_slice
// CHECK: %[[FILL:.+]] = tensor.insert_slice {{.+}}[0, 1, 5, 0] [1, 4, 1, 16] {{.*}} into tensor<1x6x6x16xf32>
// CHECK: %[[INTERIOR:.+]] = tensor.extract_slice %[[FILL]][0, 1, 1, 0] [1, 4, 4, 16] [1, 1, 1, 1]
// CHECK: %[[RELU:.+]] = linalg.generic {{.*}} outs(%[[INTERIOR]] : tensor<1x4x4x16xf32>)
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[RELU]] into %[[FILL]]
// CHECK: %[[VIEW:.+]] = tensor.extract_slice %[[PADDED]][0, 0, 0, 0] [1, 6, 6, 12] [1, 1, 1, 1] : tensor<1x6x6x16xf32> to tensor<1x6x6x12xf32>
// CHECK-NOT: tensor.pad
// CHECK: return %[[VIEW]]
func.func @pad_of_channel_slice(%x: tensor<1x4x4x16xf32>) -> tensor<1x6x6x12xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x4x16xf32>) outs(%e : tensor<1x4x4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x16xf32>
  %s = tensor.extract_slice %r[0, 0, 0, 0] [1, 4, 4, 12] [1, 1, 1, 1] : tensor<1x4x4x16xf32> to tensor<1x4x4x12xf32>
  %p = tensor.pad %s low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x12xf32> to tensor<1x6x6x12xf32>
  return %p : tensor<1x6x6x12xf32>
}

// -----

// A slice that trims a padded dimension stays as it is; its pad becomes a
// fill and an insert.
// CHECK-LABEL: func @pad_of_spatial_slice
// CHECK: %[[SLICE:.+]] = tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 3, 4, 16]
// CHECK: %[[FILL:.+]] = tensor.insert_slice {{.+}}[0, 1, 5, 0] [1, 3, 1, 16]
// CHECK: tensor.insert_slice %[[SLICE]] into %[[FILL]][0, 1, 1, 0] [1, 3, 4, 16]
// CHECK-NOT: tensor.pad
func.func @pad_of_spatial_slice(%x: tensor<1x4x4x16xf32>) -> tensor<1x5x6x16xf32> {
  %zero = arith.constant 0.0 : f32
  %s = tensor.extract_slice %x[0, 0, 0, 0] [1, 3, 4, 16] [1, 1, 1, 1] : tensor<1x4x4x16xf32> to tensor<1x3x4x16xf32>
  %p = tensor.pad %s low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x3x4x16xf32> to tensor<1x5x6x16xf32>
  return %p : tensor<1x5x6x16xf32>
}

// -----

// A pad of a concatenation whose producers write into it: the padded
// buffer replaces the concatenation's tensor.empty, so that both producers
// write into its interior.
// CHECK-LABEL: func @pad_of_concatenation
// CHECK: %[[FILL:.+]] = tensor.insert_slice {{.+}}[0, 1, 5, 0] [1, 4, 1, 16] {{.*}} into tensor<1x6x6x16xf32>
// CHECK: %[[INTERIOR:.+]] = tensor.extract_slice %[[FILL]][0, 1, 1, 0] [1, 4, 4, 16]
// CHECK: %[[SA:.+]] = tensor.extract_slice %[[INTERIOR]][0, 0, 0, 0] [1, 4, 4, 8]
// CHECK: %[[A:.+]] = linalg.generic {{.*}} outs(%[[SA]] :
// CHECK: %[[CA:.+]] = tensor.insert_slice %[[A]] into %[[INTERIOR]][0, 0, 0, 0] [1, 4, 4, 8]
// CHECK: %[[SB:.+]] = tensor.extract_slice %[[CA]][0, 0, 0, 8] [1, 4, 4, 8]
// CHECK: %[[B:.+]] = linalg.generic {{.*}} outs(%[[SB]] :
// CHECK: %[[CB:.+]] = tensor.insert_slice %[[B]] into %[[CA]][0, 0, 0, 8] [1, 4, 4, 8]
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[CB]] into %[[FILL]][0, 1, 1, 0] [1, 4, 4, 16]
// CHECK-NOT: tensor.pad
// CHECK: return %[[PADDED]]
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @pad_of_concatenation(%x: tensor<1x4x4x8xf32>) -> tensor<1x6x6x16xf32> {
  %zero = arith.constant 0.0 : f32
  %c = tensor.empty() : tensor<1x4x4x16xf32>
  %sa = tensor.extract_slice %c[0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1] : tensor<1x4x4x16xf32> to tensor<1x4x4x8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x4x8xf32>) outs(%sa : tensor<1x4x4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  %ca = tensor.insert_slice %a into %c[0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1] : tensor<1x4x4x8xf32> into tensor<1x4x4x16xf32>
  %sb = tensor.extract_slice %ca[0, 0, 0, 8] [1, 4, 4, 8] [1, 1, 1, 1] : tensor<1x4x4x16xf32> to tensor<1x4x4x8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x4x8xf32>) outs(%sb : tensor<1x4x4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.minimumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  %cb = tensor.insert_slice %b into %ca[0, 0, 0, 8] [1, 4, 4, 8] [1, 1, 1, 1] : tensor<1x4x4x8xf32> into tensor<1x4x4x16xf32>
  %p = tensor.pad %cb low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x16xf32> to tensor<1x6x6x16xf32>
  return %p : tensor<1x6x6x16xf32>
}
