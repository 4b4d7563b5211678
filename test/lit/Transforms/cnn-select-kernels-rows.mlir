// RUN: cnn-opt %s -split-input-file -cnn-select-kernels | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-select-kernels="vector-width=8 vector-registers=16 register-budget=12" | FileCheck %s --check-prefix=AVX2
// RUN: cnn-opt %s -split-input-file -cnn-select-kernels="l1-cache-kib=128" | FileCheck %s --check-prefix=L1

// How the cost model splits a row into register blocks: each block costs
// the cycles of its FMAs (at least those of 12 accumulators, to cover
// their latency), of its loads, and of its filter vectors from L2 when the
// block's filter slice does not stay in L1; the split with the fewest
// cycles per output vector wins.

// A 17-wide row (Inception-v3's 17x17 layers, 768 -> 192 channels): its
// 192 KiB filter slice per 4-vector block streams from L2. 4 pixels x 4
// vectors leave a 1-pixel block (4 accumulators, a quarter of the FMA
// rate, 256 bytes of filter per pixel); the row split evenly into blocks
// of 2 vectors, 6 + 6 + 5 pixels, keeps every block at 10 or more.
// CHECK-LABEL: func @row17
// CHECK: pixels = 6, tail = 5, channels = 32,
// AVX2 (12 accumulators): 6 + 6 + 5 pixels of 2 vectors too.
// AVX2-LABEL: func @row17
// AVX2: pixels = 6, tail = 5, channels = 16,
func.func @row17(%x: tensor<1x768x17x17xf32>) -> tensor<1x192x17x17xf32> {
  %w = arith.constant dense<0.5> : tensor<192x768x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x768x17x17xf32>, tensor<192x768x1x1xf32>) -> tensor<1x192x17x17xf32>
  return %0 : tensor<1x192x17x17xf32>
}

// -----

// A 10-wide row whose 4-vector filter slice (16 x 64 floats, 4 KiB) stays
// in the L1 cache: 4 + 4 + 2 pixels of 4 vectors; the 2-pixel block is
// bound by its FMAs' latency, not by its filter.
// CHECK-LABEL: func @row10_filter_in_l1
// CHECK: pixels = 4, tail = 2, channels = 64,
func.func @row10_filter_in_l1(%x: tensor<1x16x10x10xf32>) -> tensor<1x64x10x10xf32> {
  %w = arith.constant dense<0.5> : tensor<64x16x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x16x10x10xf32>, tensor<64x16x1x1xf32>) -> tensor<1x64x10x10xf32>
  return %0 : tensor<1x64x10x10xf32>
}

// -----

// The same row over 256 input channels: a 4-vector block's filter slice
// (64 KiB) exceeds the 32 KiB L1, and the 2-pixel block would wait on 256
// bytes of filter from L2 per step: two blocks of 5 pixels x 2 vectors,
// no tail. With a 128 KiB L1 the slice stays in L1, and 4 + 4 + 2 wins
// again.
// CHECK-LABEL: func @row10_filter_from_l2
// CHECK: pixels = 5, tail = 0, channels = 32,
// L1-LABEL: func @row10_filter_from_l2
// L1: pixels = 4, tail = 2, channels = 64,
func.func @row10_filter_from_l2(%x: tensor<1x256x10x10xf32>) -> tensor<1x64x10x10xf32> {
  %w = arith.constant dense<0.5> : tensor<64x256x1x1xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x256x10x10xf32>, tensor<64x256x1x1xf32>) -> tensor<1x64x10x10xf32>
  return %0 : tensor<1x64x10x10xf32>
}
