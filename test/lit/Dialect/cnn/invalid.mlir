// RUN: cnn-opt %s -split-input-file -verify-diagnostics

// Every verifier error of the cnn dialect, one case each.

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{groups must be positive, got 0}}
  %0 = cnn.conv2d %x, %w groups 0 : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x6x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{input channels (6) are not divisible by groups (4)}}
  %0 = cnn.conv2d %x, %w groups 4 : (tensor<1x6x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+1 {{output channels (6) are not divisible by groups (4)}}
  %0 = cnn.conv2d %x, %w groups 4 : (tensor<1x8x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{filter expects 3 input channels (3 per group x 1 groups) but the input has 4}}
  %0 = cnn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{strides must be two positive values, got [0, 1]}}
  %0 = cnn.conv2d %x, %w strides [0, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{strides must be two positive values, got [1, -2]}}
  %0 = cnn.conv2d %x, %w strides [1, -2] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{strides must be two positive values, got [2]}}
  %0 = cnn.conv2d %x, %w strides [2] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{dilations must be two positive values, got [0, 0]}}
  %0 = cnn.conv2d %x, %w dilations [0, 0] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{padding must be four non-negative values [top, left, bottom, right], got [1, 1]}}
  %0 = cnn.conv2d %x, %w padding [1, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{padding must be four non-negative values [top, left, bottom, right], got [1, -1, 1, 1]}}
  %0 = cnn.conv2d %x, %w padding [1, -1, 1, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x7x7xf32>) {
  // expected-error @+1 {{kernel [7, 7] (dilated to 7) is larger than the padded input height 6}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x3x4x4xf32>, tensor<4x3x7x7xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{kernel [3, 3] (dilated to 9) is larger than the padded input height 8}}
  %0 = cnn.conv2d %x, %w dilations [4, 4] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @f(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{input must have a static shape, got 'tensor<?x3x8x8xf32>'}}
  %0 = cnn.conv2d %x, %w : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<0x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{input has an empty dimension}}
  %0 = cnn.conv2d %x, %w : (tensor<0x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<0x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<100000x100000x100000x3xf32>, %w: tensor<4x100000x3x3xf32>) {
  // expected-error @+1 {{input is too large}}
  %0 = cnn.conv2d %x, %w : (tensor<100000x100000x100000x3xf32>, tensor<4x100000x3x3xf32>) -> tensor<100000x4x99998x1xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'cnn.conv2d' op result type 'tensor<1x4x8x8xf32>' does not match the inferred type 'tensor<1x4x6x6xf32>'}}
  %0 = cnn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'cnn.conv2d' op operand #1 must be 4D tensor of floating-point values}}
  %0 = cnn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'cnn.conv2d' op bias has 3 elements but the convolution has 4 output channels}}
  %0 = cnn.conv2d %x, %w bias(%b) : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %r: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'cnn.conv2d' op residual type 'tensor<1x4x8x8xf32>' does not match the result type 'tensor<1x4x6x6xf32>'}}
  %0 = cnn.conv2d %x, %w residual(%r) : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %s: tensor<1x3x1x1xf32>) {
  // expected-error @+1 {{'cnn.conv2d' op input_scale must be [2, 3, 1, 1] (one factor per image and input channel), got 'tensor<1x3x1x1xf32>'}}
  %0 = cnn.conv2d %x, %w input_scale(%s) : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x3x1x1xf32>) -> tensor<2x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>, %s: tensor<1x4x1x1xf32>) {
  // expected-error @+1 {{'cnn.conv2d' op input_scale needs an ungrouped convolution, got 4 groups}}
  %0 = cnn.conv2d %x, %w groups 4 input_scale(%s) : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error @+1 {{'cnn.conv2d' op operands must share one element type, got 'f32' and 'f16'}}
  %0 = cnn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %w: tensor<10x7xf32>) {
  // expected-error @+1 {{weight 'tensor<10x7xf32>' expects 7 input features but the input has 8}}
  %0 = cnn.linear %x, %w : (tensor<2x8xf32>, tensor<10x7xf32>) -> tensor<2x10xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %w: tensor<10x8xf32>, %b: tensor<9xf32>) {
  // expected-error @+1 {{'cnn.linear' op bias has 9 elements but the layer has 10 output features}}
  %0 = cnn.linear %x, %w bias(%b) : (tensor<2x8xf32>, tensor<10x8xf32>, tensor<9xf32>) -> tensor<2x10xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'cnn.batch_norm' op variance has 3 elements but the input has 4 channels}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %v : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>) {
  // expected-error @+1 {{'cnn.batch_norm' op epsilon must be finite and non-negative, got -1}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %c epsilon -1.0 : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @f(%x: tensor<4xf32>, %c: tensor<4xf32>) {
  // expected-error @+1 {{input must have a channel dimension, got 'tensor<4xf32>'}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %c : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{kernel must be two positive sizes, got [0, 2]}}
  %0 = cnn.max_pool2d %x kernel [0, 2] : tensor<1x3x8x8xf32> -> tensor<1x3x8x7xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{kernel must be two positive sizes, got [2, 2, 2]}}
  %0 = cnn.avg_pool2d %x kernel [2, 2, 2] : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{padding [2, 0, 0, 0] must be smaller than the kernel [2, 2]}}
  %0 = cnn.max_pool2d %x kernel [2, 2] padding [2, 0, 0, 0] : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x9x8xf32>) {
  // expected-error @+1 {{kernel [9, 9] (dilated to 9) is larger than the padded input width 8}}
  %0 = cnn.avg_pool2d %x kernel [9, 9] : tensor<1x3x9x8xf32> -> tensor<1x3x1x1xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x9x9xf32>) {
  // expected-error @+1 {{'cnn.max_pool2d' op result type 'tensor<1x3x4x4xf32>' does not match the inferred type 'tensor<1x3x5x5xf32>'}}
  %0 = cnn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] ceil_mode : tensor<1x3x9x9xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8xf32>) {
  // expected-error @+1 {{'cnn.global_avg_pool' op operand #0 must be 4D tensor of floating-point values}}
  %0 = cnn.global_avg_pool %x : tensor<1x3x8xf32> -> tensor<1x3x1x1xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x2x2xf32>) {
  // expected-error @+1 {{axis 5 is out of range for rank 4}}
  %0 = cnn.flatten %x axis 5 : tensor<1x3x2x2xf32> -> tensor<12x1xf32>
  return
}

// -----

func.func @f(%x: tensor<1x10xf32>) {
  // expected-error @+1 {{'cnn.softmax' op axis 2 is out of range for rank 2}}
  %0 = cnn.softmax %x axis 2 : tensor<1x10xf32>
  return
}

// -----

func.func @f(%a: tensor<1x4x8x8xf32>, %b: tensor<1x4x4x4xf32>) {
  // expected-error @+1 {{operands do not broadcast: 'tensor<1x4x8x8xf32>' and 'tensor<1x4x4x4xf32>'}}
  %0 = "cnn.add"(%a, %b) : (tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<4xi32>) {
  // expected-error @+1 {{'cnn.relu' op operand #0 must be tensor of floating-point values}}
  %0 = cnn.relu %x : tensor<4xi32>
  return
}


// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{starts, sizes and steps need 4 values each (the input's rank), got [0, 0], [1, 4] and [1, 1]}}
  %0 = cnn.slice %x starts [0, 0] sizes [1, 4] steps [1, 1] : tensor<1x4x8x8xf32> -> tensor<1x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{dimension 2: start must be non-negative and size and step positive, got start 0, size 4, step 0}}
  %0 = cnn.slice %x starts [0, 0, 0, 0] sizes [1, 4, 4, 4] steps [1, 1, 0, 2] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{dimension 3: 4 elements from 2 by 2 do not fit in 8}}
  %0 = cnn.slice %x starts [0, 0, 0, 2] sizes [1, 4, 4, 4] steps [1, 1, 2, 2] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{result type 'tensor<1x4x8x8xf32>' does not match the inferred type 'tensor<1x4x4x4xf32>'}}
  %0 = cnn.slice %x starts [0, 0, 0, 0] sizes [1, 4, 4, 4] steps [1, 1, 2, 2] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{low and high need 4 values each (the input's rank), got [0, 2] and [0, 2]}}
  %0 = cnn.pad %x low [0, 2] high [0, 2] : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{padding must be non-negative, got low [0, -1, 0, 0] and high [0, 0, 0, 0]}}
  %0 = cnn.pad %x low [0, -1, 0, 0] high [0, 0, 0, 0] : tensor<1x4x8x8xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{the padded tensor is too large}}
  %0 = cnn.pad %x low [0, 0, 0, 0] high [0, 0, 1099511627776, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{result type 'tensor<1x4x8x8xf32>' does not match the inferred type 'tensor<1x8x8x8xf32>'}}
  %0 = cnn.pad %x low [0, 2, 0, 0] high [0, 2, 0, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

// The kernel decision (#cnn.kernel) and the ops it may sit on.

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<16x16x1x1xf32>) {
  // expected-error @+1 {{kernel winograd_f4 needs a 3x3 convolution with stride 1, dilation 1 and one group}}
  %0 = cnn.conv2d %x, %w {cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16, pixels = 4, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 16, pack_filter = false>} : (tensor<1x16x8x8xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<16x16x3x3xf32>, %s: tensor<1x16x1x1xf32>) {
  // expected-error @+1 {{kernel with an input_scale must be direct without pack_filter (each image's filter is computed at run time)}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] input_scale(%s) {cnn.kernel = #cnn.kernel<algorithm = winograd_f4, vector_width = 16, pixels = 4, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 16, pack_filter = false>} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>, tensor<1x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xf32>, %s: tensor<1x16x1x1xf32>) {
  // expected-error @+1 {{kernel with an input_scale must be direct without pack_filter}}
  %0 = cnn.conv2d %x, %w input_scale(%s) {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = true>} : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xf32>, tensor<1x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{kernel paired_columns needs a width stride of 2, width dilation 1, one group and at most 4 input channels}}
  %0 = cnn.conv2d %x, %w {cnn.kernel = #cnn.kernel<algorithm = paired_columns, vector_width = 16, pixels = 2, tail = 0, channels = 16, reduction = 6, task_rows = 1, task_channels = 16, pack_filter = false>} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<48x16x1x1xf32>) {
  // expected-error @+1 {{kernel task_channels (32) must divide the output channels (48)}}
  %0 = cnn.conv2d %x, %w {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} : (tensor<1x16x8x8xf32>, tensor<48x16x1x1xf32>) -> tensor<1x48x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @+1 {{kernel winograd_f2 applies to convolutions only}}
  %0 = cnn.linear %x, %w {cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16, pixels = 2, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 16, pack_filter = true>} : (tensor<2x16xf32>, tensor<16x16xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{takes no 'cnn.kernel': kernels are chosen for convolution, linear and pooling layers}}
  %0 = cnn.relu %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false>} : tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{'cnn.kernel' must be a #cnn.kernel attribute}}
  %0 = cnn.relu %x {cnn.kernel = 1 : i64} : tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{kernel tail must be in [0, pixels), not 4}}
  %0 = cnn.relu %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 4, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false>} : tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{kernel vector_width must be 4, 8 or 16, not 32}}
  %0 = cnn.relu %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 32, pixels = 4, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false>} : tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{kernel pixels, channels, reduction, task_rows and task_channels must be positive}}
  %0 = cnn.relu %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 0, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false>} : tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{kernel task_channels (24) must be a multiple of channels (16)}}
  %0 = cnn.relu %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 24, pack_filter = false>} : tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+1 {{min 6.000000e+00 is greater than max 0.000000e+00}}
  %0 = cnn.clip %x min 6.0 max 0.0 : tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %s: tensor<1x4x1x1xf32>) {
  // expected-error @+1 {{operands do not broadcast: 'tensor<1x8x4x4xf32>' and 'tensor<1x4x1x1xf32>'}}
  %0 = cnn.mul %x, %s : (tensor<1x8x4x4xf32>, tensor<1x4x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %s: tensor<8x1x1xf32>) {
  // expected-error @+1 {{operands must have the same rank, got 'tensor<1x8x4x4xf32>' and 'tensor<8x1x1xf32>'}}
  %0 = cnn.mul %x, %s : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %s: tensor<1x8x1x1xf32>) {
  // expected-error @+1 {{result type 'tensor<1x8x1x1xf32>' does not match the inferred type 'tensor<1x8x4x4xf32>'}}
  %0 = cnn.mul %x, %s : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %y: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{inputs differ outside axis 1: 'tensor<1x8x4x4xf32>' and 'tensor<1x4x4x2xf32>'}}
  %0 = cnn.concat %x, %y : (tensor<1x8x4x4xf32>, tensor<1x4x4x2xf32>) -> tensor<1x12x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+1 {{axis 4 is out of range for rank 4}}
  %0 = cnn.concat %x axis 4 : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %y: tensor<1x4x4xf32>) {
  // expected-error @+1 {{inputs must have the same rank, got 'tensor<1x8x4x4xf32>' and 'tensor<1x4x4xf32>'}}
  %0 = cnn.concat %x, %y : (tensor<1x8x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x12x4x4xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{needs at least one input}}
  %0 = cnn.concat : () -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<16x4x3x3xf32>) {
  // expected-error @+1 {{kernel winograd_f2 needs a 3x3 convolution with stride 1, dilation 1 and one group}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 4 {cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false>} : (tensor<1x16x8x8xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x6x4x4xf32>) {
  // expected-error @+1 {{cannot reshape 'tensor<1x6x4x4xf32>' (96 elements) to 'tensor<1x2x4x4xf32>' (32 elements)}}
  %0 = cnn.reshape %x : tensor<1x6x4x4xf32> -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x6x4x4xf32>) {
  // expected-error @+1 {{changes the element type from 'f32' to 'f16'}}
  %0 = cnn.reshape %x : tensor<1x6x4x4xf32> -> tensor<1x6x16xf16>
  return
}

// -----

func.func @f(%x: tensor<1x6x4x4xf32>) {
  // expected-error @+1 {{perm [0, 2, 2, 1] is not a permutation of the 4 dimensions of 'tensor<1x6x4x4xf32>'}}
  %0 = cnn.transpose %x perm [0, 2, 2, 1] : tensor<1x6x4x4xf32> -> tensor<1x4x4x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x6x4x4xf32>) {
  // expected-error @+1 {{perm [0, 1] is not a permutation of the 4 dimensions}}
  %0 = cnn.transpose %x perm [0, 1] : tensor<1x6x4x4xf32> -> tensor<1x6xf32>
  return
}

// -----

func.func @f(%x: tensor<1x6x4x4xf32>) {
  // expected-error @+1 {{groups 4 must be positive and divide the 6 channels}}
  %0 = cnn.channel_shuffle %x groups 4 : tensor<1x6x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x5x7x9xf32>) {
  // expected-error @+1 {{resizes H and W only, but the batch or channels change from 'tensor<1x5x7x9xf32>' to 'tensor<1x6x7x9xf32>'}}
  %0 = cnn.resize %x linear coordinates half_pixel : tensor<1x5x7x9xf32> -> tensor<1x6x7x9xf32>
  return
}

// -----

func.func @f(%x: tensor<1x5x7x9xf32>) {
  // expected-error @+1 {{scale 2.000000e+00 of W gives 18 from 9, not 17}}
  %0 = cnn.resize %x nearest coordinates asymmetric scales [2.0, 2.0] : tensor<1x5x7x9xf32> -> tensor<1x5x14x17xf32>
  return
}

// -----

func.func @f(%x: tensor<1x5x7x9xf32>) {
  // expected-error @+1 {{scales needs 2 values (H and W), got 1}}
  %0 = cnn.resize %x nearest coordinates asymmetric scales [2.0] : tensor<1x5x7x9xf32> -> tensor<1x5x14x18xf32>
  return
}

// -----

func.func @f(%x: tensor<1x5x7x9xf32>) {
  // expected-error @+1 {{scales must be positive, got -2.000000e+00}}
  %0 = cnn.resize %x nearest coordinates asymmetric scales [-2.0, 2.0] : tensor<1x5x7x9xf32> -> tensor<1x5x14x18xf32>
  return
}

// -----

func.func @f(%a: tensor<1x4x8x8xf32>, %b: tensor<1x4x1x1xf32>) {
  // expected-error @+1 {{result type 'tensor<1x4x1x1xf32>' does not match the inferred type 'tensor<1x4x8x8xf32>'}}
  %0 = cnn.sub %a, %b : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @f(%a: tensor<1x4x8x8xf32>, %b: tensor<4x1x1xf32>) {
  // expected-error @+1 {{operands must have the same rank, got 'tensor<1x4x8x8xf32>' and 'tensor<4x1x1xf32>'}}
  %0 = cnn.div %a, %b : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{axes [3, 3] must be distinct dimensions of 'tensor<1x4x8x8xf32>'}}
  %0 = cnn.reduce_mean %x axes [3, 3] : tensor<1x4x8x8xf32> -> tensor<1x4x8x1xf32>
  return
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{axes [4] must be distinct dimensions of 'tensor<1x4x8x8xf32>'}}
  %0 = cnn.reduce_mean %x axes [4] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x4xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{scale and bias need 4 values (dimension 3 of 'tensor<1x8x8x4xf32>'), got 'tensor<8xf32>'}}
  %0 = cnn.layer_norm %x, %s, %b axis 3 epsilon 1.0e-6 : (tensor<1x8x8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{axis 4 is out of range for 'tensor<1x8x8x4xf32>'}}
  %0 = cnn.layer_norm %x, %s, %b axis 4 epsilon 1.0e-6 : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{epsilon must be non-negative}}
  %0 = cnn.layer_norm %x, %s, %b axis 3 epsilon -1.0 : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<58x16x1x1xf32>) {
  // expected-error @+1 {{kernel padded_channels (48) must exceed the 58 output channels of an ungrouped convolution}}
  %0 = cnn.conv2d %x, %w {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, padded_channels = 48>} : (tensor<1x16x8x8xf32>, tensor<58x16x1x1xf32>) -> tensor<1x58x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<58x16x3x3xf32>) {
  // expected-error @+1 {{kernel padded_channels must be 0, or positive with the direct or paired_columns algorithm}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] {cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, padded_channels = 64>} : (tensor<1x16x8x8xf32>, tensor<58x16x3x3xf32>) -> tensor<1x58x8x8xf32>
  return
}

// -----

// A grouped kernel's groups are the convolution's.
func.func @f(%x: tensor<1x32x8x8xf32>, %w: tensor<32x8x3x3xf32>) {
  // expected-error @+1 {{kernel groups (1) must be 4, the convolution's groups}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 4 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 8, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} : (tensor<1x32x8x8xf32>, tensor<32x8x3x3xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x32x8x8xf32>, %w: tensor<32x32x3x3xf32>) {
  // expected-error @+1 {{kernel groups (4) must be 1 (an ungrouped or depthwise convolution)}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 8, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false, groups = 4>} : (tensor<1x32x8x8xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x32x8x8xf32>, %w: tensor<32x1x3x3xf32>) {
  // expected-error @+1 {{kernel groups (32) must be 1 (an ungrouped or depthwise convolution)}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 32 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 32, pack_filter = false, groups = 32>} : (tensor<1x32x8x8xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x32x8x8xf32>, %w: tensor<32x8x3x3xf32>) {
  // expected-error @+1 {{kernel groups must be 1, or above 1 with the direct algorithm and no padded_channels}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 4 {cnn.kernel = #cnn.kernel<algorithm = winograd_f2, vector_width = 16, pixels = 8, tail = 0, channels = 8, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false, groups = 4>} : (tensor<1x32x8x8xf32>, tensor<32x8x3x3xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x64xf32>, %w: tensor<16x64xf32>) {
  // expected-error @+1 {{kernel groups applies to convolutions only}}
  %0 = cnn.linear %x, %w {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 16, pack_filter = false, groups = 2>} : (tensor<1x64xf32>, tensor<16x64xf32>) -> tensor<1x16xf32>
  return
}

// -----

func.func @f(%x: tensor<*xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{input must be a ranked tensor}}
  %0 = cnn.layer_norm %x, %s, %s axis 0 epsilon 1.0e-6 : (tensor<*xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{applies either relu or an activation, not both}}
  %0 = cnn.conv2d %x, %w relu activation(#cnn.activation<kind = silu>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{activation clip needs both min and max}}
  %0 = cnn.conv2d %x, %w activation(#cnn.activation<kind = clip, min = 0.0 : f32>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{activation clip's min (6.000000e+00) exceeds its max (0.000000e+00)}}
  %0 = cnn.conv2d %x, %w activation(#cnn.activation<kind = clip, min = 6.0 : f32, max = 0.0 : f32>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{activation silu takes no min or max}}
  %0 = cnn.conv2d %x, %w activation(#cnn.activation<kind = silu, max = 6.0 : f32>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{activation leaky_relu needs an alpha}}
  %0 = cnn.conv2d %x, %w activation(#cnn.activation<kind = leaky_relu>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{activation elu needs a gamma}}
  %0 = cnn.conv2d %x, %w activation(#cnn.activation<kind = elu, alpha = 1.0 : f32>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{activation tanh takes no alpha}}
  %0 = cnn.conv2d %x, %w activation(#cnn.activation<kind = tanh, alpha = 1.0 : f32>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) {
  // expected-error @+1 {{activation leaky_relu takes no gamma}}
  %0 = cnn.conv2d %x, %w activation(#cnn.activation<kind = leaky_relu, alpha = 0.1 : f32, gamma = 1.0 : f32>) : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x1x1xf32>, %s: tensor<1x8x4x4xf32>) {
  // expected-error @+1 {{'cnn.prelu' op slope 'tensor<1x8x4x4xf32>' does not broadcast to the input 'tensor<1x8x1x1xf32>' without enlarging it}}
  %0 = cnn.prelu %x, %s : (tensor<1x8x1x1xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x6x4x4xf32>) {
  // expected-error @+1 {{block 2 must be positive and its square divide the 6 channels}}
  %0 = cnn.depth_to_space %x block 2 : tensor<1x6x4x4xf32> -> tensor<1x1x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+1 {{'cnn.depth_to_space' op result type 'tensor<1x2x4x16xf32>' does not match the inferred type 'tensor<1x2x8x8xf32>'}}
  %0 = cnn.depth_to_space %x block 2 : tensor<1x8x4x4xf32> -> tensor<1x2x4x16xf32>
  return
}

// -----

// expected-error @+1 {{layer_info shape dimensions must be sizes, or -1 for an unknown one}}
module attributes {cnn.layer_table = [#cnn.layer_info<name = "a", op = "relu", shape = [1, -2], flops = 0, algorithm = "-">]} {}

// -----

// expected-error @+1 {{layer_info flops must not be negative}}
module attributes {cnn.layer_table = [#cnn.layer_info<name = "a", op = "linear", shape = [1, 10], flops = -1, algorithm = "direct">]} {}

// -----

// expected-error @+1 {{layer_info op and algorithm must not be empty}}
module attributes {cnn.layer_table = [#cnn.layer_info<name = "a", op = "linear", shape = [1, 10], flops = 20, algorithm = "">]} {}

// -----

// expected-error @+1 {{'builtin.module' op 'cnn.layer_table' must be an array of #cnn.layer_info on a module}}
module attributes {cnn.layer_table = ["a\tlinear\t1x10\t20\tdirect"]} {}

// -----

func.func @f(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'cnn.relu' op 'cnn.layer_table' must be an array of #cnn.layer_info on a module}}
  %0 = cnn.relu %x {cnn.layer_table = []} : tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<32x16x1x1xf32>) {
  // expected-error @+1 {{kernel in_consumer applies to depthwise convolutions only}}
  %0 = cnn.conv2d %x, %w {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false, in_consumer = true>} : (tensor<1x16x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{kernel in_consumer applies to depthwise convolutions only}}
  %0 = cnn.max_pool2d %x kernel [2, 2] strides [2, 2] {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, in_consumer = true>} : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<16x1x3x3xf32>) {
  // expected-error @+1 {{kernel in_consumer needs the direct algorithm, one group, no padded_channels and no pack_filter}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 16 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = true, in_consumer = true>} : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<16x1x3x3xf32>) {
  // expected-error @+2 {{expected true or false}}
  // expected-error @+1 {{failed to parse Cnn_KernelAttr parameter 'in_consumer' which is to be a `bool`}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 16 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, in_consumer = 1>} : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>, %w: tensor<16x1x3x3xf32>) {
  // expected-error @+1 {{kernel in_producer applies to global average poolings only}}
  %0 = cnn.conv2d %x, %w padding [1, 1, 1, 1] groups 16 {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, in_producer = true>} : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{kernel in_producer applies to global average poolings only}}
  %0 = cnn.max_pool2d %x kernel [2, 2] strides [2, 2] {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, in_producer = true>} : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{kernel in_producer needs the direct algorithm, one group, no padded_channels, no pack_filter and no in_consumer}}
  %0 = cnn.global_avg_pool %x {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, in_consumer = true, in_producer = true>} : tensor<1x16x8x8xf32> -> tensor<1x16x1x1xf32>
  return
}
