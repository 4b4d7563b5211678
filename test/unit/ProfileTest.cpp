//===- ProfileTest.cpp - cnnrt per-layer profiling ------------------------===//
//
// The hooks a compiled model calls (cnnrt_layer_begin) and the profile
// they accumulate, as the executable's --profile uses them.
//
//===----------------------------------------------------------------------===//

#include "cnnrt/cnnrt.h"

#include <gtest/gtest.h>

namespace {

/// Spends at least `ms` milliseconds of wall-clock time.
void spinFor(double ms) {
  double start = cnnrt_now_ms();
  while (cnnrt_now_ms() - start < ms) {
  }
}

TEST(Profile, TimeBetweenHooksGoesToTheEarlierLayer) {
  // Wall-clock time: a preempted attempt (a loaded machine, a sanitizer
  // build) may inflate either layer, so the ordering must hold in one of a
  // few attempts; the lower bounds hold in every one.
  bool ordered = false;
  for (int attempt = 0; attempt < 5 && !ordered; ++attempt) {
    ASSERT_EQ(cnnrt_profile_start(3), CNNRT_OK);
    for (int run = 0; run < 2; ++run) {
      cnnrt_layer_begin(0);
      spinFor(4.0);
      cnnrt_layer_begin(1);
      spinFor(1.0);
      cnnrt_layer_begin(-1); // the model returns
      spinFor(1.0);          // between runs: nobody's time
    }
    cnnrt_profile_stop();
    EXPECT_GE(cnnrt_profile_layer_ms(0), 8.0);
    EXPECT_GE(cnnrt_profile_layer_ms(1), 2.0);
    EXPECT_EQ(cnnrt_profile_layer_ms(2), 0.0);
    EXPECT_EQ(cnnrt_profile_layer_ms(3), 0.0);
    EXPECT_EQ(cnnrt_profile_layer_ms(-1), 0.0);
    ordered = cnnrt_profile_layer_ms(1) < cnnrt_profile_layer_ms(0) &&
              cnnrt_profile_layer_ms(0) < 8.0 + 50.0;
  }
  EXPECT_TRUE(ordered) << "layer 1 (2 ms) was never timed below layer 0 "
                          "(8 ms) in five attempts";
}

TEST(Profile, HooksDoNothingWhenOff) {
  ASSERT_EQ(cnnrt_profile_start(1), CNNRT_OK);
  cnnrt_profile_stop();
  cnnrt_layer_begin(0);
  spinFor(1.0);
  cnnrt_layer_begin(-1);
  EXPECT_EQ(cnnrt_profile_layer_ms(0), 0.0);
}

TEST(Profile, StartRestartsFromZeroAndRejectsNegativeCounts) {
  ASSERT_EQ(cnnrt_profile_start(1), CNNRT_OK);
  cnnrt_layer_begin(0);
  spinFor(1.0);
  cnnrt_layer_begin(-1);
  ASSERT_EQ(cnnrt_profile_start(1), CNNRT_OK);
  cnnrt_profile_stop();
  EXPECT_EQ(cnnrt_profile_layer_ms(0), 0.0);
  EXPECT_EQ(cnnrt_profile_start(-1), CNNRT_ERR_INVALID_ARGUMENT);
}

TEST(Profile, FmaPeakIsMeasuredForTheRequestedWidth) {
  double peak256 = cnnrt_measure_fma_peak_gflops(256);
  double peak512 = cnnrt_measure_fma_peak_gflops(512);
  EXPECT_GE(peak256, 0.0);
  EXPECT_EQ(cnnrt_measure_fma_peak_gflops(128), 0.0);
#if defined(__x86_64__)
  if (__builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2"))
    EXPECT_GT(peak256, 1.0);
  if (__builtin_cpu_supports("avx512f"))
    // Full-width (Zen 5) or split (Zen 4) AVX-512: never below the ymm peak.
    EXPECT_GT(peak512, 0.8 * peak256);
  else
    EXPECT_EQ(peak512, 0.0);
#endif
}

} // namespace
