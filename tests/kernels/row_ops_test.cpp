// row_ops_test.cpp: the exp-based row operations (kernels.h softmax, swiglu) of every path this CPU
// runs. exp_approx against the C library's exp (double) over the whole clamped range; each path's
// swiglu bit for bit against the scalar reference (the SIMD exp repeats it step for step); softmax
// against the reference within a few float roundings (the paths sum in float lanes, the reference
// in one double); the edges: huge and tiny arguments, -inf scores (masked positions), NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/rng.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {
namespace {

std::vector<KernelTable> simd_tables() {
  std::vector<KernelTable> out;
  for (const char* isa : {"avx2", "avx512", "neon", "dotprod"}) {
    KernelTable t;
    if (build_kernel_table(isa, &t, nullptr)) out.push_back(t);
  }
  return out;
}

TEST(RowOps, ExpApproxWithinTwoUlpOverItsRange) {
  double worst = 0;
  for (float x = -87.0f; x <= 88.0f; x += 0.0137f) {
    const double want = std::exp(static_cast<double>(x));
    const double got = exp_approx(x);
    const double ulp = std::ldexp(1.0, std::ilogb(want) - 23);
    worst = std::max(worst, std::fabs(got - want) / ulp);
  }
  EXPECT_LE(worst, 2.0);
  EXPECT_EQ(exp_approx(0.0f), 1.0f);
  // Clamped: below -87 the value of -87 (tiny, normal), above 88 that of 88 (finite).
  EXPECT_EQ(exp_approx(-1000.0f), exp_approx(-87.0f));
  EXPECT_GT(exp_approx(-1000.0f), 0.0f);
  EXPECT_EQ(exp_approx(-std::numeric_limits<float>::infinity()), exp_approx(-87.0f));
  EXPECT_TRUE(std::isfinite(exp_approx(1000.0f)));
  EXPECT_TRUE(std::isnan(exp_approx(std::numeric_limits<float>::quiet_NaN())));
}

std::vector<float> random_values(int64_t n, float scale, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = (2.0f * rng.uniform() - 1.0f) * scale;
  return v;
}

TEST(RowOps, SwigluBitIdenticalToTheReferenceOnEveryPath) {
  int paths = 0;
  for (const KernelTable& kt : simd_tables()) {
    for (int64_t n : {1, 7, 16, 37, 6144}) {  // tails of every vector width, and a real row
      std::vector<float> g = random_values(n, 30.0f, 1 + n), u = random_values(n, 3.0f, 2 + n);
      g[0] = 120.0f;  // beyond the clamp on both sides
      if (n > 1) g[1] = -120.0f;
      std::vector<float> want(static_cast<size_t>(n)), got(want);
      KernelTable ref;
      build_kernel_table("ref", &ref, nullptr);
      ref.swiglu(g.data(), u.data(), want.data(), n);
      kt.swiglu(g.data(), u.data(), got.data(), n);
      for (int64_t i = 0; i < n; ++i) {
        ASSERT_EQ(got[i], want[i]) << kt.isa << " n " << n << " i " << i << " g " << g[i];
        const double exact = g[i] / (1.0 + std::exp(-static_cast<double>(g[i]))) * u[i];
        // Below g = -88 the clamp leaves about 1e-36 where the exact value is smaller still.
        EXPECT_NEAR(want[i], exact, 1e-6 * std::fabs(exact) + 1e-30) << "g " << g[i];
      }
    }
    ++paths;
  }
  if (paths == 0) GTEST_SKIP() << "no SIMD path on this CPU";
}

TEST(RowOps, SoftmaxMatchesTheReferenceOnEveryPath) {
  int paths = 0;
  KernelTable ref;
  build_kernel_table("ref", &ref, nullptr);
  for (const KernelTable& kt : simd_tables()) {
    for (int64_t n : {1, 3, 16, 17, 100, 4096}) {
      std::vector<float> x = random_values(n, 20.0f, 10 + n);
      if (n > 2) x[2] = -std::numeric_limits<float>::infinity();  // a masked position
      std::vector<float> want = x, got = x;
      ref.softmax(want.data(), n);
      kt.softmax(got.data(), n);
      double total = 0;
      for (int64_t i = 0; i < n; ++i) {
        EXPECT_NEAR(got[i], want[i], 1e-6 * want[i] + 1e-30) << kt.isa << " n " << n << " i " << i;
        total += got[i];
      }
      EXPECT_NEAR(total, 1.0, 1e-5) << kt.isa << " n " << n;
      // Against exact softmax in double.
      double mx = -INFINITY, s = 0;
      for (float v : x) mx = std::max(mx, static_cast<double>(v));
      for (float v : x) s += std::exp(v - mx);
      for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(got[i], std::exp(x[i] - mx) / s, 1e-6 * std::exp(x[i] - mx) / s + 1e-12);
    }
    std::vector<float> nan_row = {1.0f, std::numeric_limits<float>::quiet_NaN(), 2.0f, 0.5f};
    kt.softmax(nan_row.data(), 4);
    EXPECT_TRUE(std::isnan(nan_row[1])) << kt.isa << ": a NaN score must not turn into a weight";
    ++paths;
  }
  if (paths == 0) GTEST_SKIP() << "no SIMD path on this CPU";
}

}  // namespace
}  // namespace hymt
