// vgg16 (torchvision), 1x3x224x224, as cnnc sees it after the graph passes:
// `examples/zoo/export.py vgg16 --out vgg16.onnx && cnnc --emit=cnn vgg16.onnx -o vgg16.mlir`.
// Weights are elided (dense_resource<__elided__>) so the architecture can be
// read; compile the ONNX file, or print with --print-weights for a compilable file.
module {
  func.func @forward(%arg0: tensor<1x3x224x224xf32>) -> tensor<1x1000xf32> {
    %cst = arith.constant dense_resource<__elided__> : tensor<1000xf32>
    %cst_0 = arith.constant dense_resource<__elided__> : tensor<1000x4096xf32>
    %cst_1 = arith.constant dense_resource<__elided__> : tensor<4096xf32>
    %cst_2 = arith.constant dense_resource<__elided__> : tensor<4096x4096xf32>
    %cst_3 = arith.constant dense_resource<__elided__> : tensor<4096xf32>
    %cst_4 = arith.constant dense_resource<__elided__> : tensor<4096x25088xf32>
    %cst_5 = arith.constant dense_resource<__elided__> : tensor<512xf32>
    %cst_6 = arith.constant dense_resource<__elided__> : tensor<512x512x3x3xf32>
    %cst_7 = arith.constant dense_resource<__elided__> : tensor<512xf32>
    %cst_8 = arith.constant dense_resource<__elided__> : tensor<512x512x3x3xf32>
    %cst_9 = arith.constant dense_resource<__elided__> : tensor<512xf32>
    %cst_10 = arith.constant dense_resource<__elided__> : tensor<512x512x3x3xf32>
    %cst_11 = arith.constant dense_resource<__elided__> : tensor<512xf32>
    %cst_12 = arith.constant dense_resource<__elided__> : tensor<512x512x3x3xf32>
    %cst_13 = arith.constant dense_resource<__elided__> : tensor<512xf32>
    %cst_14 = arith.constant dense_resource<__elided__> : tensor<512x512x3x3xf32>
    %cst_15 = arith.constant dense_resource<__elided__> : tensor<512xf32>
    %cst_16 = arith.constant dense_resource<__elided__> : tensor<512x256x3x3xf32>
    %cst_17 = arith.constant dense_resource<__elided__> : tensor<256xf32>
    %cst_18 = arith.constant dense_resource<__elided__> : tensor<256x256x3x3xf32>
    %cst_19 = arith.constant dense_resource<__elided__> : tensor<256xf32>
    %cst_20 = arith.constant dense_resource<__elided__> : tensor<256x256x3x3xf32>
    %cst_21 = arith.constant dense_resource<__elided__> : tensor<256xf32>
    %cst_22 = arith.constant dense_resource<__elided__> : tensor<256x128x3x3xf32>
    %cst_23 = arith.constant dense_resource<__elided__> : tensor<128xf32>
    %cst_24 = arith.constant dense_resource<__elided__> : tensor<128x128x3x3xf32>
    %cst_25 = arith.constant dense_resource<__elided__> : tensor<128xf32>
    %cst_26 = arith.constant dense_resource<__elided__> : tensor<128x64x3x3xf32>
    %cst_27 = arith.constant dense_resource<__elided__> : tensor<64xf32>
    %cst_28 = arith.constant dense_resource<__elided__> : tensor<64x64x3x3xf32>
    %cst_29 = arith.constant dense_resource<__elided__> : tensor<64xf32>
    %cst_30 = arith.constant dense_resource<__elided__> : tensor<64x3x3x3xf32>
    %0 = cnn.conv2d %arg0, %cst_30 bias(%cst_29) padding [1, 1, 1, 1] relu : (tensor<1x3x224x224xf32>, tensor<64x3x3x3xf32>, tensor<64xf32>) -> tensor<1x64x224x224xf32>
    %1 = cnn.conv2d %0, %cst_28 bias(%cst_27) padding [1, 1, 1, 1] relu : (tensor<1x64x224x224xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<1x64x224x224xf32>
    %2 = cnn.max_pool2d %1 kernel [2, 2] strides [2, 2] : tensor<1x64x224x224xf32> -> tensor<1x64x112x112xf32>
    %3 = cnn.conv2d %2, %cst_26 bias(%cst_25) padding [1, 1, 1, 1] relu : (tensor<1x64x112x112xf32>, tensor<128x64x3x3xf32>, tensor<128xf32>) -> tensor<1x128x112x112xf32>
    %4 = cnn.conv2d %3, %cst_24 bias(%cst_23) padding [1, 1, 1, 1] relu : (tensor<1x128x112x112xf32>, tensor<128x128x3x3xf32>, tensor<128xf32>) -> tensor<1x128x112x112xf32>
    %5 = cnn.max_pool2d %4 kernel [2, 2] strides [2, 2] : tensor<1x128x112x112xf32> -> tensor<1x128x56x56xf32>
    %6 = cnn.conv2d %5, %cst_22 bias(%cst_21) padding [1, 1, 1, 1] relu : (tensor<1x128x56x56xf32>, tensor<256x128x3x3xf32>, tensor<256xf32>) -> tensor<1x256x56x56xf32>
    %7 = cnn.conv2d %6, %cst_20 bias(%cst_19) padding [1, 1, 1, 1] relu : (tensor<1x256x56x56xf32>, tensor<256x256x3x3xf32>, tensor<256xf32>) -> tensor<1x256x56x56xf32>
    %8 = cnn.conv2d %7, %cst_18 bias(%cst_17) padding [1, 1, 1, 1] relu : (tensor<1x256x56x56xf32>, tensor<256x256x3x3xf32>, tensor<256xf32>) -> tensor<1x256x56x56xf32>
    %9 = cnn.max_pool2d %8 kernel [2, 2] strides [2, 2] : tensor<1x256x56x56xf32> -> tensor<1x256x28x28xf32>
    %10 = cnn.conv2d %9, %cst_16 bias(%cst_15) padding [1, 1, 1, 1] relu : (tensor<1x256x28x28xf32>, tensor<512x256x3x3xf32>, tensor<512xf32>) -> tensor<1x512x28x28xf32>
    %11 = cnn.conv2d %10, %cst_14 bias(%cst_13) padding [1, 1, 1, 1] relu : (tensor<1x512x28x28xf32>, tensor<512x512x3x3xf32>, tensor<512xf32>) -> tensor<1x512x28x28xf32>
    %12 = cnn.conv2d %11, %cst_12 bias(%cst_11) padding [1, 1, 1, 1] relu : (tensor<1x512x28x28xf32>, tensor<512x512x3x3xf32>, tensor<512xf32>) -> tensor<1x512x28x28xf32>
    %13 = cnn.max_pool2d %12 kernel [2, 2] strides [2, 2] : tensor<1x512x28x28xf32> -> tensor<1x512x14x14xf32>
    %14 = cnn.conv2d %13, %cst_10 bias(%cst_9) padding [1, 1, 1, 1] relu : (tensor<1x512x14x14xf32>, tensor<512x512x3x3xf32>, tensor<512xf32>) -> tensor<1x512x14x14xf32>
    %15 = cnn.conv2d %14, %cst_8 bias(%cst_7) padding [1, 1, 1, 1] relu : (tensor<1x512x14x14xf32>, tensor<512x512x3x3xf32>, tensor<512xf32>) -> tensor<1x512x14x14xf32>
    %16 = cnn.conv2d %15, %cst_6 bias(%cst_5) padding [1, 1, 1, 1] relu : (tensor<1x512x14x14xf32>, tensor<512x512x3x3xf32>, tensor<512xf32>) -> tensor<1x512x14x14xf32>
    %17 = cnn.max_pool2d %16 kernel [2, 2] strides [2, 2] : tensor<1x512x14x14xf32> -> tensor<1x512x7x7xf32>
    %18 = cnn.flatten %17 : tensor<1x512x7x7xf32> -> tensor<1x25088xf32>
    %19 = cnn.linear %18, %cst_4 bias(%cst_3) relu : (tensor<1x25088xf32>, tensor<4096x25088xf32>, tensor<4096xf32>) -> tensor<1x4096xf32>
    %20 = cnn.linear %19, %cst_2 bias(%cst_1) relu : (tensor<1x4096xf32>, tensor<4096x4096xf32>, tensor<4096xf32>) -> tensor<1x4096xf32>
    %21 = cnn.linear %20, %cst_0 bias(%cst) : (tensor<1x4096xf32>, tensor<1000x4096xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
    return %21 : tensor<1x1000xf32>
  }
}

