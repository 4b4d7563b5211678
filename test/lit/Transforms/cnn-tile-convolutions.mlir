// RUN: cnn-opt %s -split-input-file -cnn-tile-convolutions | FileCheck %s
// RUN: cnn-opt %s -split-input-file -cnn-tile-convolutions -mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s --check-prefix=PACK

// The pass tiles each op that carries a #cnn.kernel as the kernel says (the
// decisions come from cnn-select-kernels; see cnn-select-kernels.mlir).
// Output 8x8x32, 16 input channels, a register block of 8 pixels x 32
// channels (2 vectors of 16: 16 accumulators) and one output row per
// parallel task. The accumulator is read
// before the reduction loops (kh, kw, input-channel blocks of 8), carried
// through them as a vector, and written once after them.
// CHECK-LABEL: func @conv3x3
// CHECK: scf.forall (%[[ROW:.+]]) in (8) shared_outs(%[[OUT:.+]] = %{{.+}})
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[OUT]][0, %[[ROW]], 0, 0] [1, 1, 8, 32]
// CHECK: %[[ACC0:.+]] = vector.transfer_read %[[OUT]][%c0, %[[ROW]], %c0, %c0]{{.*}} vector<8x32xf32>
// CHECK: scf.for %[[KH:.+]] = %c0 to %c3 step %c1 iter_args(%{{.+}} = %[[ACC0]]) -> (vector<8x32xf32>)
// CHECK: scf.for %[[KW:.+]] = %c0 to %c3 step %c1 iter_args(
// CHECK: scf.for %[[IC:.+]] = %c0 to %c16 step %c8 iter_args(%[[ACC:.+]] = %{{.+}}) -> (vector<8x32xf32>)
// CHECK: %[[IN:.+]] = vector.transfer_read %{{.+}}[%c0, %{{.+}}, %[[KW]], %[[IC]]]{{.*}} vector<8x8xf32>
// CHECK: %[[W:.+]] = vector.transfer_read %{{.+}}[%[[KH]], %[[KW]], %[[IC]], %c0]{{.*}} vector<8x32xf32>
// CHECK: vector.contract {{.*}} %[[IN]], %[[W]], %[[ACC]] : vector<8x8xf32>, vector<8x32xf32> into vector<8x32xf32>
// CHECK: vector.transfer_write %{{.+}}, %[[TILE]]
// CHECK-NOT: scf.for %
// CHECK: tensor.parallel_insert_slice
func.func @conv3x3(%x: tensor<1x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %init: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} ins(%x, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// The AVX2 decision for the same layer (8-wide vectors, 16 registers):
// 32 channels (4 vectors) x 2 pixels.
// CHECK-LABEL: func @conv3x3_avx2
// CHECK: scf.forall
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c2
// CHECK: vector.contract {{.*}} into vector<2x32xf32>
func.func @conv3x3_avx2(%x: tensor<1x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %init: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 8, pixels = 2, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} ins(%x, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// A 3x3x512x512 filter (9 MiB) that does not stay in cache: each task is
// one block of 32 output channels over all rows. 7 output pixels (7 divides the
// width, 8 does not) x 32 channels; with stride 2 each pixel gets its own
// contraction, as every other input pixel is read.
// CHECK-LABEL: func @deep_strided
// CHECK: scf.forall (%{{.+}}) = (0) to (512) step (32)
// CHECK: scf.for %{{.+}} = %c0 to %c7 step %c1
// CHECK: vector.transfer_read {{.*}} vector<7x32xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c512 step %c8
// CHECK-COUNT-7: vector.contract {{.*}} : vector<8xf32>, vector<8x32xf32> into vector<32xf32>
func.func @deep_strided(%x: tensor<1x15x15x512xf32>, %w: tensor<3x3x512x512xf32>, %init: tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 7, tail = 0, channels = 32, reduction = 8, task_rows = 7, task_channels = 32, pack_filter = false>} ins(%x, %w : tensor<1x15x15x512xf32>, tensor<3x3x512x512xf32>) outs(%init : tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  return %0 : tensor<1x7x7x512xf32>
}

// -----

// Tasks of one row by 64 channels run channel block by channel block: the
// forall's outer dimension is the output channels, its inner the rows, so
// that a thread's contiguous share of tasks streams one filter slice at a
// time.
// CHECK-LABEL: func @tasks_channels_outer
// CHECK: scf.forall (%[[F:.+]], %[[R:.+]]) = (0, 0) to (128, 4) step (64, 1)
// CHECK: vector.transfer_read %{{.+}}[%c0, %[[R]], %c0, %c0]{{.*}} : tensor<1x4x4x8xf32>, vector<4x8xf32>
// CHECK: vector.transfer_read %{{.+}}[%c0, %c0, %c0, %[[F]]]{{.*}} : tensor<1x1x8x128xf32>, vector<8x64xf32>
func.func @tasks_channels_outer(%x: tensor<1x4x4x8xf32>, %w: tensor<1x1x8x128xf32>, %init: tensor<1x4x4x128xf32>) -> tensor<1x4x4x128xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 64, reduction = 8, task_rows = 1, task_channels = 64, pack_filter = false>} ins(%x, %w : tensor<1x4x4x8xf32>, tensor<1x1x8x128xf32>) outs(%init : tensor<1x4x4x128xf32>) -> tensor<1x4x4x128xf32>
  return %0 : tensor<1x4x4x128xf32>
}

// -----

// A constant filter that register blocks split into blocks of output
// channels is packed at compile time as [F / channels][KH][KW][C][channels]:
// each register block (and so each task, a run of blocks) reads one
// contiguous slice. Here 1x1x8x128 with w[0][0][c][f] = 128c + f, tasks of
// 64 channels and register blocks of 32: block 0 holds 0..31 of row 0,
// then 128..159 of row 1, ...; block 1 starts with 32..63. A block's index
// adds the task's offset and the block's own.
// PACK-LABEL: func @packed_filter
// PACK: %[[PACKED:.+]] = arith.constant dense<{{\[\[\[\[\[}}0.000000e+00, 1.000000e+00,{{.*}}3.100000e+01], [1.280000e+02,{{.*}}]]]], {{\[\[\[\[}}3.200000e+01,{{.*}}6.300000e+01], [1.600000e+02,{{.*}}> : tensor<4x1x1x8x32xf32>
// PACK-NOT: tensor<1x1x8x128xf32>
// PACK: scf.forall (%[[F:.+]]) = (0) to (128) step (64)
// PACK: scf.for %[[C:.+]] = %c0 to %c64 step %c32
// PACK: %[[G:.+]] = affine.apply #{{.+}}(%[[C]], %[[F]])
// PACK: vector.transfer_read %[[PACKED]][%[[G]], %c0, %c0, %c0, %c0]{{.*}} : tensor<4x1x1x8x32xf32>, vector<8x32xf32>
func.func @packed_filter(%x: tensor<1x4x4x8xf32>, %init: tensor<1x4x4x128xf32>) -> tensor<1x4x4x128xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0, 112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0, 120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0], [128.0, 129.0, 130.0, 131.0, 132.0, 133.0, 134.0, 135.0, 136.0, 137.0, 138.0, 139.0, 140.0, 141.0, 142.0, 143.0, 144.0, 145.0, 146.0, 147.0, 148.0, 149.0, 150.0, 151.0, 152.0, 153.0, 154.0, 155.0, 156.0, 157.0, 158.0, 159.0, 160.0, 161.0, 162.0, 163.0, 164.0, 165.0, 166.0, 167.0, 168.0, 169.0, 170.0, 171.0, 172.0, 173.0, 174.0, 175.0, 176.0, 177.0, 178.0, 179.0, 180.0, 181.0, 182.0, 183.0, 184.0, 185.0, 186.0, 187.0, 188.0, 189.0, 190.0, 191.0, 192.0, 193.0, 194.0, 195.0, 196.0, 197.0, 198.0, 199.0, 200.0, 201.0, 202.0, 203.0, 204.0, 205.0, 206.0, 207.0, 208.0, 209.0, 210.0, 211.0, 212.0, 213.0, 214.0, 215.0, 216.0, 217.0, 218.0, 219.0, 220.0, 221.0, 222.0, 223.0, 224.0, 225.0, 226.0, 227.0, 228.0, 229.0, 230.0, 231.0, 232.0, 233.0, 234.0, 235.0, 236.0, 237.0, 238.0, 239.0, 240.0, 241.0, 242.0, 243.0, 244.0, 245.0, 246.0, 247.0, 248.0, 249.0, 250.0, 251.0, 252.0, 253.0, 254.0, 255.0], [256.0, 257.0, 258.0, 259.0, 260.0, 261.0, 262.0, 263.0, 264.0, 265.0, 266.0, 267.0, 268.0, 269.0, 270.0, 271.0, 272.0, 273.0, 274.0, 275.0, 276.0, 277.0, 278.0, 279.0, 280.0, 281.0, 282.0, 283.0, 284.0, 285.0, 286.0, 287.0, 288.0, 289.0, 290.0, 291.0, 292.0, 293.0, 294.0, 295.0, 296.0, 297.0, 298.0, 299.0, 300.0, 301.0, 302.0, 303.0, 304.0, 305.0, 306.0, 307.0, 308.0, 309.0, 310.0, 311.0, 312.0, 313.0, 314.0, 315.0, 316.0, 317.0, 318.0, 319.0, 320.0, 321.0, 322.0, 323.0, 324.0, 325.0, 326.0, 327.0, 328.0, 329.0, 330.0, 331.0, 332.0, 333.0, 334.0, 335.0, 336.0, 337.0, 338.0, 339.0, 340.0, 341.0, 342.0, 343.0, 344.0, 345.0, 346.0, 347.0, 348.0, 349.0, 350.0, 351.0, 352.0, 353.0, 354.0, 355.0, 356.0, 357.0, 358.0, 359.0, 360.0, 361.0, 362.0, 363.0, 364.0, 365.0, 366.0, 367.0, 368.0, 369.0, 370.0, 371.0, 372.0, 373.0, 374.0, 375.0, 376.0, 377.0, 378.0, 379.0, 380.0, 381.0, 382.0, 383.0], [384.0, 385.0, 386.0, 387.0, 388.0, 389.0, 390.0, 391.0, 392.0, 393.0, 394.0, 395.0, 396.0, 397.0, 398.0, 399.0, 400.0, 401.0, 402.0, 403.0, 404.0, 405.0, 406.0, 407.0, 408.0, 409.0, 410.0, 411.0, 412.0, 413.0, 414.0, 415.0, 416.0, 417.0, 418.0, 419.0, 420.0, 421.0, 422.0, 423.0, 424.0, 425.0, 426.0, 427.0, 428.0, 429.0, 430.0, 431.0, 432.0, 433.0, 434.0, 435.0, 436.0, 437.0, 438.0, 439.0, 440.0, 441.0, 442.0, 443.0, 444.0, 445.0, 446.0, 447.0, 448.0, 449.0, 450.0, 451.0, 452.0, 453.0, 454.0, 455.0, 456.0, 457.0, 458.0, 459.0, 460.0, 461.0, 462.0, 463.0, 464.0, 465.0, 466.0, 467.0, 468.0, 469.0, 470.0, 471.0, 472.0, 473.0, 474.0, 475.0, 476.0, 477.0, 478.0, 479.0, 480.0, 481.0, 482.0, 483.0, 484.0, 485.0, 486.0, 487.0, 488.0, 489.0, 490.0, 491.0, 492.0, 493.0, 494.0, 495.0, 496.0, 497.0, 498.0, 499.0, 500.0, 501.0, 502.0, 503.0, 504.0, 505.0, 506.0, 507.0, 508.0, 509.0, 510.0, 511.0], [512.0, 513.0, 514.0, 515.0, 516.0, 517.0, 518.0, 519.0, 520.0, 521.0, 522.0, 523.0, 524.0, 525.0, 526.0, 527.0, 528.0, 529.0, 530.0, 531.0, 532.0, 533.0, 534.0, 535.0, 536.0, 537.0, 538.0, 539.0, 540.0, 541.0, 542.0, 543.0, 544.0, 545.0, 546.0, 547.0, 548.0, 549.0, 550.0, 551.0, 552.0, 553.0, 554.0, 555.0, 556.0, 557.0, 558.0, 559.0, 560.0, 561.0, 562.0, 563.0, 564.0, 565.0, 566.0, 567.0, 568.0, 569.0, 570.0, 571.0, 572.0, 573.0, 574.0, 575.0, 576.0, 577.0, 578.0, 579.0, 580.0, 581.0, 582.0, 583.0, 584.0, 585.0, 586.0, 587.0, 588.0, 589.0, 590.0, 591.0, 592.0, 593.0, 594.0, 595.0, 596.0, 597.0, 598.0, 599.0, 600.0, 601.0, 602.0, 603.0, 604.0, 605.0, 606.0, 607.0, 608.0, 609.0, 610.0, 611.0, 612.0, 613.0, 614.0, 615.0, 616.0, 617.0, 618.0, 619.0, 620.0, 621.0, 622.0, 623.0, 624.0, 625.0, 626.0, 627.0, 628.0, 629.0, 630.0, 631.0, 632.0, 633.0, 634.0, 635.0, 636.0, 637.0, 638.0, 639.0], [640.0, 641.0, 642.0, 643.0, 644.0, 645.0, 646.0, 647.0, 648.0, 649.0, 650.0, 651.0, 652.0, 653.0, 654.0, 655.0, 656.0, 657.0, 658.0, 659.0, 660.0, 661.0, 662.0, 663.0, 664.0, 665.0, 666.0, 667.0, 668.0, 669.0, 670.0, 671.0, 672.0, 673.0, 674.0, 675.0, 676.0, 677.0, 678.0, 679.0, 680.0, 681.0, 682.0, 683.0, 684.0, 685.0, 686.0, 687.0, 688.0, 689.0, 690.0, 691.0, 692.0, 693.0, 694.0, 695.0, 696.0, 697.0, 698.0, 699.0, 700.0, 701.0, 702.0, 703.0, 704.0, 705.0, 706.0, 707.0, 708.0, 709.0, 710.0, 711.0, 712.0, 713.0, 714.0, 715.0, 716.0, 717.0, 718.0, 719.0, 720.0, 721.0, 722.0, 723.0, 724.0, 725.0, 726.0, 727.0, 728.0, 729.0, 730.0, 731.0, 732.0, 733.0, 734.0, 735.0, 736.0, 737.0, 738.0, 739.0, 740.0, 741.0, 742.0, 743.0, 744.0, 745.0, 746.0, 747.0, 748.0, 749.0, 750.0, 751.0, 752.0, 753.0, 754.0, 755.0, 756.0, 757.0, 758.0, 759.0, 760.0, 761.0, 762.0, 763.0, 764.0, 765.0, 766.0, 767.0], [768.0, 769.0, 770.0, 771.0, 772.0, 773.0, 774.0, 775.0, 776.0, 777.0, 778.0, 779.0, 780.0, 781.0, 782.0, 783.0, 784.0, 785.0, 786.0, 787.0, 788.0, 789.0, 790.0, 791.0, 792.0, 793.0, 794.0, 795.0, 796.0, 797.0, 798.0, 799.0, 800.0, 801.0, 802.0, 803.0, 804.0, 805.0, 806.0, 807.0, 808.0, 809.0, 810.0, 811.0, 812.0, 813.0, 814.0, 815.0, 816.0, 817.0, 818.0, 819.0, 820.0, 821.0, 822.0, 823.0, 824.0, 825.0, 826.0, 827.0, 828.0, 829.0, 830.0, 831.0, 832.0, 833.0, 834.0, 835.0, 836.0, 837.0, 838.0, 839.0, 840.0, 841.0, 842.0, 843.0, 844.0, 845.0, 846.0, 847.0, 848.0, 849.0, 850.0, 851.0, 852.0, 853.0, 854.0, 855.0, 856.0, 857.0, 858.0, 859.0, 860.0, 861.0, 862.0, 863.0, 864.0, 865.0, 866.0, 867.0, 868.0, 869.0, 870.0, 871.0, 872.0, 873.0, 874.0, 875.0, 876.0, 877.0, 878.0, 879.0, 880.0, 881.0, 882.0, 883.0, 884.0, 885.0, 886.0, 887.0, 888.0, 889.0, 890.0, 891.0, 892.0, 893.0, 894.0, 895.0], [896.0, 897.0, 898.0, 899.0, 900.0, 901.0, 902.0, 903.0, 904.0, 905.0, 906.0, 907.0, 908.0, 909.0, 910.0, 911.0, 912.0, 913.0, 914.0, 915.0, 916.0, 917.0, 918.0, 919.0, 920.0, 921.0, 922.0, 923.0, 924.0, 925.0, 926.0, 927.0, 928.0, 929.0, 930.0, 931.0, 932.0, 933.0, 934.0, 935.0, 936.0, 937.0, 938.0, 939.0, 940.0, 941.0, 942.0, 943.0, 944.0, 945.0, 946.0, 947.0, 948.0, 949.0, 950.0, 951.0, 952.0, 953.0, 954.0, 955.0, 956.0, 957.0, 958.0, 959.0, 960.0, 961.0, 962.0, 963.0, 964.0, 965.0, 966.0, 967.0, 968.0, 969.0, 970.0, 971.0, 972.0, 973.0, 974.0, 975.0, 976.0, 977.0, 978.0, 979.0, 980.0, 981.0, 982.0, 983.0, 984.0, 985.0, 986.0, 987.0, 988.0, 989.0, 990.0, 991.0, 992.0, 993.0, 994.0, 995.0, 996.0, 997.0, 998.0, 999.0, 1000.0, 1001.0, 1002.0, 1003.0, 1004.0, 1005.0, 1006.0, 1007.0, 1008.0, 1009.0, 1010.0, 1011.0, 1012.0, 1013.0, 1014.0, 1015.0, 1016.0, 1017.0, 1018.0, 1019.0, 1020.0, 1021.0, 1022.0, 1023.0]]]]> : tensor<1x1x8x128xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 32, reduction = 8, task_rows = 4, task_channels = 64, pack_filter = true>} ins(%x, %w : tensor<1x4x4x8xf32>, tensor<1x1x8x128xf32>) outs(%init : tensor<1x4x4x128xf32>) -> tensor<1x4x4x128xf32>
  return %0 : tensor<1x4x4x128xf32>
}

// -----

// The bias broadcast becomes the accumulators' initial value and the ReLU
// applies to them in registers: one store per register block, and neither
// the bias tensor nor the convolution's result is materialized.
// CHECK-LABEL: func @conv_bias_relu
// CHECK-NOT: linalg.
// CHECK: %[[BIAS:.+]] = vector.transfer_read %arg2{{.*}} vector<32xf32>
// CHECK: %[[INIT:.+]] = vector.broadcast %[[BIAS]] : vector<32xf32> to vector<8x32xf32>
// CHECK: scf.forall
// CHECK: %[[SUM:.+]] = scf.for {{.*}} iter_args(%{{.+}} = %[[INIT]]) -> (vector<8x32xf32>)
// CHECK: vector.contract
// CHECK: %[[RELU:.+]] = arith.maximumf %[[SUM]], %{{.+}} : vector<8x32xf32>
// CHECK: vector.transfer_write %[[RELU]]
// CHECK-NOT: linalg.
func.func @conv_bias_relu(%x: tensor<1x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %b: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %e2 = tensor.empty() : tensor<1x8x8x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x8x32xf32>) outs(%e2 : tensor<1x8x8x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x32xf32>
  return %1 : tensor<1x8x8x32xf32>
}

// -----

// Dynamic shapes do not tile into static vectors: the op is left alone.
// CHECK-LABEL: func @dynamic
// CHECK-NOT: scf.forall
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @dynamic(%x: tensor<?x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %init: tensor<?x8x8x32xf32>) -> tensor<?x8x8x32xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} ins(%x, %w : tensor<?x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<?x8x8x32xf32>) -> tensor<?x8x8x32xf32>
  return %0 : tensor<?x8x8x32xf32>
}

// -----

// Max pooling: parallel rows, 4 pixels x 64 channels per register block,
// the -inf fill as the initial vector, window rows as a loop and the window
// columns unrolled as vector maxima over stride-2 input rows.
// CHECK-LABEL: func @max_pool
// CHECK: %[[NEGINF:.+]] = arith.constant dense<0xFF800000> : vector<4x64xf32>
// CHECK: scf.forall (%{{.+}}) in (4)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %[[NEGINF]]) -> (vector<4x64xf32>)
// CHECK: vector.transfer_read {{.*}} vector<9x64xf32>
// CHECK-COUNT-12: arith.maximumf {{.*}} : vector<64xf32>
// CHECK-NOT: linalg.
func.func @max_pool(%x: tensor<1x10x10x64xf32>) -> tensor<1x4x4x64xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x4x4x64xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x4x64xf32>) -> tensor<1x4x4x64xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 64, reduction = 1, task_rows = 1, task_channels = 64, pack_filter = false>} ins(%x, %w : tensor<1x10x10x64xf32>, tensor<3x3xf32>) outs(%f : tensor<1x4x4x64xf32>) -> tensor<1x4x4x64xf32>
  return %p : tensor<1x4x4x64xf32>
}

// -----

// A packed linear layer (2 rows, blocks of 32 features, 64 inputs): one
// task per feature block, 2 x 32 accumulators, 8 input features a step.
// CHECK-LABEL: func @packed_linear
// CHECK: scf.forall (%[[BLOCK:.+]]) in (4)
// CHECK: scf.for %{{.+}} = %c0 to %c64 step %c8 iter_args(%{{.+}} = %{{.+}}) -> (vector<2x32xf32>)
// CHECK: vector.contract {{.*}} : vector<2x8xf32>, vector<8x32xf32> into vector<2x32xf32>
// CHECK-NOT: linalg.
func.func @packed_linear(%x: tensor<2x64xf32>, %w: tensor<4x64x32xf32>) -> tensor<4x2x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2x32xf32>) -> tensor<4x2x32xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(mb, n, j, k) -> (n, k)>, affine_map<(mb, n, j, k) -> (mb, k, j)>, affine_map<(mb, n, j, k) -> (mb, n, j)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<2x64xf32>, tensor<4x64x32xf32>) outs(%f : tensor<4x2x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 2, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x2x32xf32>
  return %0 : tensor<4x2x32xf32>
}

// -----

// A fill left over (a padded buffer's border value): parallel rows, 5
// pixels (a divisor of 230) x all channels per vector store.
// CHECK-LABEL: func @border_fill
// CHECK: scf.forall (%{{.+}}) in (230)
// CHECK: scf.for %{{.+}} = %c0 to %c230 step %c5
// CHECK: vector.transfer_write %{{.+}} : vector<5x3xf32>
func.func @border_fill(%v: f32) -> tensor<1x230x230x3xf32> {
  %e = tensor.empty() : tensor<1x230x230x3xf32>
  %f = linalg.fill ins(%v : f32) outs(%e : tensor<1x230x230x3xf32>) -> tensor<1x230x230x3xf32>
  return %f : tensor<1x230x230x3xf32>
}

// -----

// A layout change (the model input's NCHW to NHWC) becomes one task per
// output row and, per block, one read of the input rows, an in-register
// transpose and one write; not one OpenMP loop over every element.
// CHECK-LABEL: func @layout_change
// CHECK: scf.forall (%[[ROW:.+]]) in (8)
// CHECK: %[[IN:.+]] = vector.transfer_read %arg0[%c0, %c0, %[[ROW]], %c0]{{.*}} : tensor<1x3x8x16xf32>, vector<3x1x16xf32>
// CHECK: vector.transpose %{{.+}}, [0, 2, 3, 1] : vector<1x3x1x16xf32> to vector<1x1x16x3xf32>
// CHECK: vector.transfer_write %{{.+}} : vector<16x3xf32>, tensor<1x1x16x3xf32>
// CHECK: tensor.parallel_insert_slice
func.func @layout_change(%x: tensor<1x3x8x16xf32>) -> tensor<1x8x16x3xf32> {
  %e = tensor.empty() : tensor<1x8x16x3xf32>
  %t = linalg.transpose ins(%x : tensor<1x3x8x16xf32>) outs(%e : tensor<1x8x16x3xf32>) permutation = [0, 2, 3, 1]
  return %t : tensor<1x8x16x3xf32>
}

// -----

// A permutation of outer dimensions only (a depth-to-space in NHWC, DCR):
// one task per (dim 0, dim 1) slab and, per block, one whole innermost row
// (32 channels) copied; no linalg.transpose is left to
// linalg-to-parallel-loops.
// CHECK-LABEL: func @outer_permutation
// CHECK: scf.forall (%[[ROW:.+]]) in (3)
// CHECK: scf.for %[[I:[^ ]+]] =
// CHECK: scf.for %[[W:[^ ]+]] =
// CHECK: scf.for %[[J:[^ ]+]] =
// CHECK: %[[PIXEL:.+]] = tensor.extract_slice %{{.+}}[0, 0, %[[W]], %[[I]], %[[J]], 0] [1, 1, 1, 1, 1, 32]
// CHECK: tensor.insert_slice %[[PIXEL]] into %{{.+}}[0, 0, %[[I]], %[[W]], %[[J]], 0] [1, 1, 1, 1, 1, 32]
// CHECK-NOT: linalg.transpose
func.func @outer_permutation(%x: tensor<1x3x5x2x2x32xf32>) -> tensor<1x3x2x5x2x32xf32> {
  %e = tensor.empty() : tensor<1x3x2x5x2x32xf32>
  %t = linalg.transpose ins(%x : tensor<1x3x5x2x2x32xf32>) outs(%e : tensor<1x3x2x5x2x32xf32>) permutation = [0, 1, 3, 2, 4, 5]
  return %t : tensor<1x3x2x5x2x32xf32>
}

// -----

// A width with no good divisor (17 is prime): each row gets two blocks of
// 8 pixels x 32 channels in a loop and one peeled tail block of 1 pixel,
// both vectorized; the bias and the ReLU fuse into both.
// CHECK-LABEL: func @tail_block
// CHECK: scf.forall (%[[ROW:.+]]) in (17)
// CHECK: scf.for %{{.+}} = %c0 to %c16 step %c8
// CHECK: vector.contract {{.*}} : vector<8x8xf32>, vector<8x32xf32> into vector<8x32xf32>
// CHECK: arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK: vector.contract {{.*}} : vector<8xf32>, vector<8x32xf32> into vector<32xf32>
// CHECK: arith.maximumf {{.*}} : vector<32xf32>
// CHECK-NOT: linalg.
func.func @tail_block(%x: tensor<1x19x19x16xf32>, %w: tensor<3x3x16x32xf32>, %b: tensor<32xf32>) -> tensor<1x17x17x32xf32> {
  %e = tensor.empty() : tensor<1x17x17x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x17x17x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x17x17x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x19x19x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<1x17x17x32xf32>) -> tensor<1x17x17x32xf32>
  %e2 = tensor.empty() : tensor<1x17x17x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x17x17x32xf32>) outs(%e2 : tensor<1x17x17x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 1, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x17x17x32xf32>
  return %1 : tensor<1x17x17x32xf32>
}

// -----

// A depthwise convolution root (the ReLU over it): row tasks, blocks of 4
// pixels x 32 channels with the bias init and the ReLU fused, one filter
// row per step, each filter column a vector FMA per pixel over channels.
// CHECK-LABEL: func @depthwise
// CHECK: scf.forall (%{{.+}}) in (8)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (vector<4x32xf32>)
// CHECK-COUNT-3: vector.fma {{.*}} : vector<4x32xf32>
// CHECK: arith.maximumf {{.*}} : vector<4x32xf32>
// CHECK-NOT: linalg.depthwise
func.func @depthwise(%x: tensor<1x10x10x32xf32>, %b: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
  %w = arith.constant dense<0.01> : tensor<3x3x32xf32>
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x32xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x32xf32>, tensor<3x3x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %e2 = tensor.empty() : tensor<1x8x8x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x8x32xf32>) outs(%e2 : tensor<1x8x8x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 32, reduction = 1, task_rows = 1, task_channels = 32, pack_filter = false>} {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x32xf32>
  return %1 : tensor<1x8x8x32xf32>
}

// -----

// A depthwise kernel computed in its 1x1 consumer's tasks (in_consumer):
// the consumer's row tasks each compute the depthwise row they read, all
// 32 channels, in blocks of 4 pixels x 32 channels (the depthwise kernel's)
// into a buffer of the task's own (an allocation in the task, not a slice
// of a whole map), then the 1x1 blocks (4 pixels x 16 channels) read it.
// CHECK-LABEL: func @depthwise_in_consumer
// CHECK: scf.forall (%{{.+}}) in (8)
// CHECK-NEXT: %[[ROW:.+]] = bufferization.alloc_tensor() : tensor<1x1x8x32xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4 iter_args(%{{.+}} = %[[ROW]])
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (vector<4x32xf32>)
// CHECK-COUNT-3: vector.fma {{.*}} : vector<4x32xf32>
// CHECK: arith.maximumf {{.*}} : vector<4x32xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4
// CHECK: vector.contract {{.*}} : vector<4x8xf32>, vector<8x16xf32> into vector<4x16xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: scf.forall
// CHECK-NOT: linalg.depthwise
func.func @depthwise_in_consumer(%x: tensor<1x10x10x32xf32>, %b: tensor<32xf32>) -> tensor<1x8x8x16xf32> {
  %w = arith.constant dense<0.01> : tensor<3x3x32xf32>
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x32xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x10x32xf32>, tensor<3x3x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %e2 = tensor.empty() : tensor<1x8x8x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x8x32xf32>) outs(%e2 : tensor<1x8x8x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 32, reduction = 1, task_rows = 1, task_channels = 32, pack_filter = false, in_consumer = true>} {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x32xf32>
  %p = arith.constant dense<0.02> : tensor<1x1x32x16xf32>
  %zero = arith.constant 0.0 : f32
  %e3 = tensor.empty() : tensor<1x8x8x16xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 16, reduction = 8, task_rows = 1, task_channels = 16, pack_filter = false>} ins(%1, %p : tensor<1x8x8x32xf32>, tensor<1x1x32x16xf32>) outs(%fill : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %2 : tensor<1x8x8x16xf32>
}

// -----

// A grouped convolution root (the ReLU over the generic of 2 groups of 8
// channels): row tasks; register blocks of one group's 8 channels by 4
// pixels, groups outside pixels, with the bias init and the ReLU fused;
// each block is an HWCF convolution on slices without the group dimension,
// whose accumulators stay in registers across the filter's rows and
// columns (vector iter_args), one contraction of 8 input channels per step.
// CHECK-LABEL: func @grouped
// CHECK: scf.forall (%{{.+}}) in (8)
// CHECK: scf.for %[[G:.+]] = %c0 to %c2 step %c1
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0, 0, 0] [1, 1, 4, 1, 8] [1, 1, 1, 1, 1] : tensor<1x1x4x1x8xf32> to tensor<1x1x4x8xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (vector<4x8xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (vector<4x8xf32>)
// CHECK: vector.transfer_read %arg0[%c0, %{{.+}}, %{{.+}}, %[[G]], %c0]{{.*}} : tensor<1x10x10x2x8xf32>, vector<4x8xf32>
// CHECK: vector.transfer_read %{{.+}}[%[[G]], %{{.+}}, %{{.+}}, %c0, %c0]{{.*}} : tensor<2x3x3x8x8xf32>, vector<8x8xf32>
// CHECK: vector.contract {{.*}} : vector<4x8xf32>, vector<8x8xf32> into vector<4x8xf32>
// CHECK: arith.maximumf {{.*}} : vector<4x1x8xf32>
// CHECK-NOT: linalg.generic
func.func @grouped(%x: tensor<1x10x10x2x8xf32>, %b: tensor<2x8xf32>) -> tensor<1x8x8x2x8xf32> {
  %w = arith.constant dense<0.01> : tensor<2x3x3x8x8xf32>
  %e = tensor.empty() : tensor<1x8x8x2x8xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, g, k) -> (g, k)>, affine_map<(n, h, w, g, k) -> (n, h, w, g, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<2x8xf32>) outs(%e : tensor<1x8x8x2x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x2x8xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(n, oh, ow, g, k, kh, kw, c) -> (n, oh + kh, ow + kw, g, c)>, affine_map<(n, oh, ow, g, k, kh, kw, c) -> (g, kh, kw, c, k)>, affine_map<(n, oh, ow, g, k, kh, kw, c) -> (n, oh, ow, g, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x10x10x2x8xf32>, tensor<2x3x3x8x8xf32>) outs(%init : tensor<1x8x8x2x8xf32>) {
  ^bb0(%in: f32, %f: f32, %out: f32):
    %p = arith.mulf %in, %f : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x8x8x2x8xf32>
  %e2 = tensor.empty() : tensor<1x8x8x2x8xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, g, k) -> (n, h, w, g, k)>, affine_map<(n, h, w, g, k) -> (n, h, w, g, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x8x2x8xf32>) outs(%e2 : tensor<1x8x8x2x8xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 8, reduction = 8, task_rows = 1, task_channels = 16, pack_filter = false, groups = 2>} {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x2x8xf32>
  return %1 : tensor<1x8x8x2x8xf32>
}

// -----

// A grouped convolution whose register blocks span whole groups (8 groups
// of 4 channels, split as 2 blocks x 4 groups; one 16-lane vector is 4
// groups' outputs): row tasks; blocks of 4 pixels x one vector, the bias
// read once per block of groups; per filter tap, 4 filter vectors and
// each pixel's input vector (its 4 groups' 4 channels), from which one
// shuffle per input channel gives lane (group, output) that group's input
// for an FMA; the accumulators stay in registers (vector iter_args) and
// the ReLU acts on the same 16-lane vectors.
// CHECK-LABEL: func @grouped_spanning
// CHECK: scf.forall (%{{.+}}) in (8)
// CHECK: scf.for %{{.+}} = %c0 to %c2 step %c1
// CHECK: %[[BIAS:.+]] = vector.transfer_read {{.*}} : tensor<1x16xf32>, vector<16xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %[[BIAS]], %{{.+}} = %[[BIAS]], %{{.+}} = %[[BIAS]], %{{.+}} = %[[BIAS]]) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args
// CHECK-COUNT-4: vector.transfer_read {{.*}} : tensor<3x3x4x16xf32>, vector<16xf32>
// CHECK: %[[X:.+]] = vector.transfer_read {{.*}} : tensor<3x6x16xf32>, vector<16xf32>
// CHECK: %[[S0:.+]] = vector.shuffle %[[X]], %[[X]] [0, 0, 0, 0, 4, 4, 4, 4, 8, 8, 8, 8, 12, 12, 12, 12]
// CHECK: vector.fma %[[S0]], {{.*}} : vector<16xf32>
// CHECK: vector.shuffle %[[X]], %[[X]] [3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15, 15, 15]
// CHECK-COUNT-12: vector.fma
// CHECK: arith.maximumf {{.*}} : vector<4x1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<4x1x16xf32>, tensor<1x1x4x1x16xf32>
// CHECK-NOT: linalg.generic
func.func @grouped_spanning(%x: tensor<1x10x10x2x4x4xf32>, %b: tensor<2x4x4xf32>) -> tensor<1x8x8x2x4x4xf32> {
  %w = arith.constant dense<0.01> : tensor<2x3x3x4x4x4xf32>
  %e = tensor.empty() : tensor<1x8x8x2x4x4xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, gb, gi, k) -> (gb, gi, k)>, affine_map<(n, h, w, gb, gi, k) -> (n, h, w, gb, gi, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<2x4x4xf32>) outs(%e : tensor<1x8x8x2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x2x4x4xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(n, oh, ow, gb, gi, k, kh, kw, c) -> (n, oh + kh, ow + kw, gb, gi, c)>, affine_map<(n, oh, ow, gb, gi, k, kh, kw, c) -> (gb, kh, kw, c, gi, k)>, affine_map<(n, oh, ow, gb, gi, k, kh, kw, c) -> (n, oh, ow, gb, gi, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x10x10x2x4x4xf32>, tensor<2x3x3x4x4x4xf32>) outs(%init : tensor<1x8x8x2x4x4xf32>) {
  ^bb0(%in: f32, %f: f32, %out: f32):
    %p = arith.mulf %in, %f : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x8x8x2x4x4xf32>
  %e2 = tensor.empty() : tensor<1x8x8x2x4x4xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, gb, gi, k) -> (n, h, w, gb, gi, k)>, affine_map<(n, h, w, gb, gi, k) -> (n, h, w, gb, gi, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x8x2x4x4xf32>) outs(%e2 : tensor<1x8x8x2x4x4xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 16, reduction = 4, task_rows = 1, task_channels = 32, pack_filter = false, groups = 8>} {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x2x4x4xf32>
  return %1 : tensor<1x8x8x2x4x4xf32>
}

// -----

// An elementwise op outside any kernel (a squeeze-excitation product):
// row tasks and vectorized blocks of 4 vectors (2 pixels x 32 channels),
// the [1, 1, 1, 32] gate read once (hoisted out of the tasks) and
// broadcast.
// CHECK-LABEL: func @scale
// CHECK: vector.transfer_read %arg1{{.*}} : tensor<1x1x1x32xf32>, vector<32xf32>
// CHECK: scf.forall (%{{.+}}) in (8)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c2
// CHECK: arith.mulf {{.*}} : vector<2x32xf32>
// CHECK-NOT: linalg.generic
func.func @scale(%x: tensor<1x8x8x32xf32>, %s: tensor<1x1x1x32xf32>) -> tensor<1x8x8x32xf32> {
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, 0, 0, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %s : tensor<1x8x8x32xf32>, tensor<1x1x1x32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// A sum of squares along the last dimension (a layer norm's variance over
// 384 channels): row tasks, blocks of one pixel by 128 channels (8 vectors),
// the sum carried across the row's three blocks, each block one horizontal
// reduction: no vector.contract (which would become scalar FMAs).
// CHECK-LABEL: func @row_sum_of_squares
// CHECK: scf.forall (%{{.+}}) in (4)
// CHECK: scf.for %{{.+}} = %c0 to %c4 step %c1
// CHECK: scf.for %{{.+}} = %c0 to %c384 step %c128
// CHECK: arith.subf {{.*}} : vector<128xf32>
// CHECK: arith.mulf {{.*}} : vector<128xf32>
// CHECK: vector.reduction <add>, %{{.+}}, %{{.+}} : vector<128xf32> into f32
// CHECK-NOT: vector.contract
// CHECK-NOT: linalg.generic
func.func @row_sum_of_squares(%x: tensor<1x4x4x384xf32>, %m: tensor<1x4x4x1xf32>) -> tensor<1x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, 0)>, affine_map<(n, h, w, c) -> (n, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %m : tensor<1x4x4x384xf32>, tensor<1x4x4x1xf32>) outs(%f : tensor<1x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %s = arith.mulf %d, %d : f32
    %r = arith.addf %acc, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x4x4xf32>
  return %0 : tensor<1x4x4xf32>
}

// -----

// A copy (a Winograd layer's valid 7x7 part of its tile-aligned 8x8 output)
// is generalized and vectorized like any elementwise op: parallel rows,
// whole-vector reads and writes; no linalg.copy is left for
// linalg-to-parallel-loops to scalarize.
// CHECK-LABEL: func @valid_part_copy
// CHECK-NOT: linalg.copy
// CHECK: scf.forall (%[[ROW:.+]]) in (7)
// CHECK: scf.for %[[PIXEL:[a-z0-9_]+]] =
// CHECK: %[[V:.+]] = vector.transfer_read %{{.+}}[%{{.+}}, %[[ROW]], %[[PIXEL]], %{{.+}}]{{.*}} : tensor<1x8x8x32xf32>, vector<32xf32>
// CHECK: vector.transfer_write %[[V]]
// CHECK-NOT: linalg.copy
func.func @valid_part_copy(%aligned: tensor<1x8x8x32xf32>) -> tensor<1x7x7x32xf32> {
  %valid = tensor.extract_slice %aligned[0, 0, 0, 0] [1, 7, 7, 32] [1, 1, 1, 1] : tensor<1x8x8x32xf32> to tensor<1x7x7x32xf32>
  %e = tensor.empty() : tensor<1x7x7x32xf32>
  %c = linalg.copy ins(%valid : tensor<1x7x7x32xf32>) outs(%e : tensor<1x7x7x32xf32>) -> tensor<1x7x7x32xf32>
  return %c : tensor<1x7x7x32xf32>
}

// -----

// A convolution with a filter per image (an input scale's lowering:
// createPerImageFilterConvolution) tiles like an HWCF convolution: each
// task is one row of one image, and its register block is the HWCF
// convolution of that image's filter, [KH, KW, C, F] at [n, 0, 0, 0, 0].
// CHECK-LABEL: func @per_image_filter
// CHECK: scf.forall (%[[N:.+]], %[[ROW:.+]]) in (2, 8)
// CHECK: scf.for %[[KH:.+]] = %c0 to %c3 step %c1
// CHECK: scf.for %[[KW:.+]] = %c0 to %c3 step %c1
// CHECK: scf.for %[[IC:.+]] = %c0 to %c16 step %c8
// CHECK: %[[W:.+]] = vector.transfer_read %{{.+}}[%[[N]], %[[KH]], %[[KW]], %[[IC]], %c0]{{.*}} : tensor<2x3x3x16x32xf32>, vector<8x32xf32>
// CHECK: vector.contract {{.*}} %{{.+}}, %[[W]], %{{.+}} : vector<8x8xf32>, vector<8x32xf32> into vector<8x32xf32>
// CHECK-NOT: linalg.generic
#input = affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#filter = affine_map<(n, oh, ow, f, kh, kw, c) -> (n, kh, kw, c, f)>
#output = affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>
func.func @per_image_filter(%x: tensor<2x10x10x16xf32>, %w: tensor<2x3x3x16x32xf32>, %init: tensor<2x8x8x32xf32>) -> tensor<2x8x8x32xf32> {
  %0 = linalg.generic {indexing_maps = [#input, #filter, #output], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<2x10x10x16xf32>, tensor<2x3x3x16x32xf32>) outs(%init : tensor<2x8x8x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 8, tail = 0, channels = 32, reduction = 8, task_rows = 1, task_channels = 32, pack_filter = false>} {
  ^bb0(%in: f32, %wt: f32, %acc: f32):
    %1 = arith.mulf %in, %wt : f32
    %2 = arith.addf %acc, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<2x8x8x32xf32>
  return %0 : tensor<2x8x8x32xf32>
}

// -----

// A global pooling's row sums (in_producer) over a depthwise kernel's output:
// fused into the depthwise tasks (a second output of the task loop) and into
// its register blocks (4 pixels x 32 channels), where each block adds its
// 4 pixels (post-ReLU) into the row's sums, carried from block to block in
// registers from zero and written once per task (no fill of the sums before
// the task loop). The map's other user (a layout
// change, tiled after the kernels) does not keep the sums out.
// CHECK-LABEL: func @depthwise_pool_rows
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<32xf32>
// CHECK-DAG: %[[EMPTY:.+]] = tensor.empty() : tensor<2x8x1x32xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.+}}, %{{.+}}) in (2, 8) shared_outs(%{{.+}} = %{{.+}}, %{{.+}} = %[[EMPTY]]) -> (tensor<2x8x8x32xf32>, tensor<2x8x1x32xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4 iter_args(%{{.+}} = %{{.+}}, %[[ACC:.+]] = %[[ZERO]]) -> (tensor<1x1x8x32xf32>, vector<32xf32>)
// CHECK-COUNT-3: vector.fma {{.*}} : vector<4x32xf32>
// CHECK: %[[RELU:.+]] = arith.maximumf {{.*}} : vector<4x32xf32>
// CHECK: %[[P0:.+]] = vector.extract %[[RELU]][0] : vector<32xf32> from vector<4x32xf32>
// CHECK: %[[S0:.+]] = arith.addf %[[P0]], %[[ACC]] : vector<32xf32>
// CHECK-COUNT-3: arith.addf {{.*}} : vector<32xf32>
// CHECK: scf.yield
// CHECK: vector.transfer_write %{{.+}}#1, {{.*}} : vector<32xf32>, tensor<1x1x1x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK-COUNT-2: tensor.parallel_insert_slice
// CHECK-NOT: linalg.generic
func.func @depthwise_pool_rows(%x: tensor<2x10x10x32xf32>) -> (tensor<2x32x8x8xf32>, tensor<2x8x1x32xf32>) {
  %w = arith.constant dense<0.01> : tensor<3x3x32xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x8x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x8x32xf32>) -> tensor<2x8x8x32xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<2x10x10x32xf32>, tensor<3x3x32xf32>) outs(%init : tensor<2x8x8x32xf32>) -> tensor<2x8x8x32xf32>
  %e2 = tensor.empty() : tensor<2x8x8x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<2x8x8x32xf32>) outs(%e2 : tensor<2x8x8x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 4, tail = 0, channels = 32, reduction = 1, task_rows = 1, task_channels = 32, pack_filter = false>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8x32xf32>
  %e3 = tensor.empty() : tensor<2x8x1x32xf32>
  %rows0 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<2x8x1x32xf32>) -> tensor<2x8x1x32xf32>
  %rows = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, 0, c)>], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%1 : tensor<2x8x8x32xf32>) outs(%rows0 : tensor<2x8x1x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 32, reduction = 1, task_rows = 1, task_channels = 32, pack_filter = false, in_producer = true>} {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<2x8x1x32xf32>
  %e4 = tensor.empty() : tensor<2x32x8x8xf32>
  %nchw = linalg.transpose ins(%1 : tensor<2x8x8x32xf32>) outs(%e4 : tensor<2x32x8x8xf32>) permutation = [0, 3, 1, 2]
  return %nchw, %rows : tensor<2x32x8x8xf32>, tensor<2x8x1x32xf32>
}

// -----

// Row sums (in_producer) that no depthwise kernel took (here: of the
// function's argument): tasks of one row by the kernel's 16 channels, each
// adding the row's 6 pixels one vector at a time.
// CHECK-LABEL: func @pool_rows_alone
// CHECK: scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (2, 5, 32) step (1, 1, 16)
// CHECK-COUNT-6: arith.addf {{.*}} : vector<16xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: vector.multi_reduction
// CHECK-NOT: linalg.generic
func.func @pool_rows_alone(%x: tensor<2x5x6x32xf32>) -> tensor<2x5x1x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x5x1x32xf32>
  %rows0 = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x1x32xf32>) -> tensor<2x5x1x32xf32>
  %rows = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, 0, c)>], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%x : tensor<2x5x6x32xf32>) outs(%rows0 : tensor<2x5x1x32xf32>) attrs = {cnn.kernel = #cnn.kernel<algorithm = direct, vector_width = 16, pixels = 1, tail = 0, channels = 16, reduction = 1, task_rows = 1, task_channels = 16, pack_filter = false, in_producer = true>} {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<2x5x1x32xf32>
  return %rows : tensor<2x5x1x32xf32>
}
