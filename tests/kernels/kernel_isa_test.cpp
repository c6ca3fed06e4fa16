// kernel_isa_test.cpp: every SIMD path against the scalar references, for every format that has a
// reference, on every ISA this CPU runs (the others are skipped and say so).
// Checks: (1) activation quantization is bit-identical to the reference; (2) each kernel's
// vec_dot agrees with the reference dot on the same quantized activations within
// 1e-5 * sum|w_i * x_i| (only float summation order differs: integer block sums are exact, and a
// float32 sum of n terms in lanes errs by far less than 1e-5 of the absolute sum for n <= 16384);
// (3) gemm tiles of every shape give bit-identical results to that path's own vec_dot; (4) each
// path has its own kernel for exactly the formats docs/formats.md lists for it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "formats/format_ref.h"
#include "kernels/dispatch.h"

namespace hymt {
namespace {

std::vector<std::string> runnable_isas() {
  std::vector<std::string> out;
  for (const char* isa : {"ref", "avx2", "avx512", "neon", "dotprod"}) {
    KernelTable t;
    std::string err;
    if (build_kernel_table(isa, &t, &err)) out.push_back(isa);
  }
  return out;
}

std::vector<float> random_row(int64_t n, uint64_t seed, float scale) {
  SplitMix64 rng(seed);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = rng.uniform() * scale;
  return v;
}

struct Case {
  WeightType type;
  const FormatRef* ref;
};

std::vector<Case> formats_with_refs() {
  std::vector<Case> c;
  for (size_t i = 0; i < static_cast<size_t>(WeightType::kCount); ++i) {
    const WeightType t = static_cast<WeightType>(i);
    const FormatRef* r = format_ref(t);
    // Activation-only types (Q8_K) have no dot product of their own.
    if (r && r->vec_dot && format_ref(r->act_type)) c.push_back({t, r});
  }
  return c;
}

TEST(KernelIsa, ActivationQuantizationIsBitIdentical) {
  for (const std::string& isa : runnable_isas()) {
    KernelTable kt;
    ASSERT_TRUE(build_kernel_table(isa, &kt, nullptr));
    for (size_t i = 0; i < static_cast<size_t>(WeightType::kCount); ++i) {
      const FormatRef* r = format_ref(static_cast<WeightType>(i));
      if (!r || !kt.quantize_act[i]) continue;
      const int64_t blk = type_info(r->type).block;
      for (int64_t n : {blk, 4 * blk, 7 * blk}) {
        std::vector<float> x = random_row(n, 100 + static_cast<uint64_t>(n), 3.0f);
        if (n > 2) {  // float types have blocks of 1, so their first row has a single value
          x[1] = 0.5f;  // exact ties and zeros exercise the rounding rule
          x[2] = -0.0f;
        }
        const size_t nbytes = *row_bytes(r->type, n);
        std::vector<uint8_t> a(nbytes), b(nbytes);
        r->quantize_row(x.data(), a.data(), n);
        kt.quantize_act[i](x.data(), b.data(), n);
        EXPECT_EQ(a, b) << isa << " " << type_name(r->type) << " n=" << n;
      }
      // Exact rounding ties: with a block maximum of -127 the scale is exactly 1 for both Q8_0
      // (d = 127/127) and Q8_K (iscale = -127/max), so x.5 values hit the rounding rule itself
      // (half away from zero for Q8_0, half to even for Q8_K) rather than random data near it.
      {
        std::vector<float> t(static_cast<size_t>(2 * blk));
        for (size_t k = 0; k < t.size(); ++k)
          t[k] = k % static_cast<size_t>(blk) == 0 ? -127.0f : static_cast<float>(static_cast<int>(k % 9) - 4) + 0.5f;
        const size_t nbytes = *row_bytes(r->type, 2 * blk);
        std::vector<uint8_t> a(nbytes), b(nbytes);
        r->quantize_row(t.data(), a.data(), 2 * blk);
        kt.quantize_act[i](t.data(), b.data(), 2 * blk);
        EXPECT_EQ(a, b) << isa << " rounding ties " << type_name(r->type);
      }
      // An all-zero row must give zero scale and zero codes on every path.
      std::vector<float> z(static_cast<size_t>(blk), 0.0f);
      const size_t nbytes = *row_bytes(r->type, blk);
      std::vector<uint8_t> a(nbytes), b(nbytes);
      r->quantize_row(z.data(), a.data(), blk);
      kt.quantize_act[i](z.data(), b.data(), blk);
      EXPECT_EQ(a, b) << isa << " zero row " << type_name(r->type);
    }
  }
}

TEST(KernelIsa, DotAndTilesMatchReference) {
  const auto isas = runnable_isas();
  std::printf("kernel paths runnable here:");
  for (const auto& s : isas) std::printf(" %s", s.c_str());
  std::printf("\n");
  for (const Case& c : formats_with_refs()) {
    const int64_t blk = std::max<int64_t>(type_info(c.type).block, type_info(c.ref->act_type).block);
    for (int64_t n : {blk, 2 * blk, 3 * blk, 9 * blk}) {
      const size_t wrb = *row_bytes(c.type, n), arb = *row_bytes(c.ref->act_type, n);
      const int rows = 5, toks = 5;
      std::vector<uint8_t> w(wrb * rows), a(arb * toks);
      std::vector<std::vector<float>> wf(rows), af(toks);
      for (int r = 0; r < rows; ++r) {
        auto v = random_row(n, 7 + static_cast<uint64_t>(r) * 31 + static_cast<uint64_t>(n), 1.0f);
        c.ref->quantize_row(v.data(), w.data() + r * wrb, n);
        wf[static_cast<size_t>(r)].resize(static_cast<size_t>(n));
        c.ref->dequantize_row(w.data() + r * wrb, wf[static_cast<size_t>(r)].data(), n);
      }
      const FormatRef* act = format_ref(c.ref->act_type);
      for (int t = 0; t < toks; ++t) {
        auto v = random_row(n, 1000 + static_cast<uint64_t>(t) * 17 + static_cast<uint64_t>(n), 2.0f);
        act->quantize_row(v.data(), a.data() + t * arb, n);
        af[static_cast<size_t>(t)].resize(static_cast<size_t>(n));
        if (act->dequantize_row) act->dequantize_row(a.data() + t * arb, af[static_cast<size_t>(t)].data(), n);
      }
      for (const std::string& isa : isas) {
        KernelTable kt;
        ASSERT_TRUE(build_kernel_table(isa, &kt, nullptr));
        const size_t ti = static_cast<size_t>(c.type);
        ASSERT_NE(kt.vec_dot[ti], nullptr);
        std::vector<float> own(static_cast<size_t>(rows * toks));
        for (int r = 0; r < rows; ++r)
          for (int t = 0; t < toks; ++t) {
            const float ref = c.ref->vec_dot(n, w.data() + r * wrb, a.data() + t * arb);
            const float got = kt.vec_dot[ti](n, w.data() + r * wrb, a.data() + t * arb);
            double abs_sum = 0;
            for (int64_t k = 0; k < n; ++k)
              abs_sum += std::fabs(static_cast<double>(wf[static_cast<size_t>(r)][static_cast<size_t>(k)]) *
                                   af[static_cast<size_t>(t)][static_cast<size_t>(k)]);
            EXPECT_NEAR(got, ref, 1e-5 * abs_sum + 1e-30)
                << isa << " " << type_name(c.type) << " n=" << n << " r=" << r << " t=" << t;
            own[static_cast<size_t>(t * rows + r)] = got;
          }
        if (!kt.gemm[ti]) continue;
        for (int nr = 1; nr <= kTileMax; ++nr)
          for (int nt = 1; nt <= kTileMax; ++nt) {
            std::vector<float> y(static_cast<size_t>(toks * rows), NAN);
            kt.gemm[ti](n, w.data() + wrb, wrb, nr, a.data() + arb, arb, nt, y.data() + rows + 1, rows);
            for (int r = 0; r < nr; ++r)
              for (int t = 0; t < nt; ++t) {
                const size_t k = static_cast<size_t>((t + 1) * rows + r + 1);
                EXPECT_EQ(y[k], own[k]) << isa << " " << type_name(c.type) << " tile " << nr << "x" << nt;
              }
          }
      }
    }
  }
}

// The coverage table of docs/formats.md ("Kernel coverage"): a format listed there for a path must
// have its own kernel on it (vec_dot and gemm tiles), not the reference it falls back to silently;
// a format not listed keeps the reference. Paths this CPU cannot run are skipped.
TEST(KernelIsa, CoverageMatchesDocs) {
  using W = WeightType;
  const std::vector<W> x86 = {W::kF32,  W::kF16,  W::kBF16, W::kQ8_0,  W::kQ4_0,  W::kQ4_1,  W::kQ5_0,
                              W::kQ5_1, W::kQ2_K, W::kQ4_K, W::kQ5_K,  W::kQ6_K,  W::kTQ1_0, W::kTQ2_0,
                              W::kQ2_0C, W::kSTQ1_0, W::kSTQ1_0_CONSEC};
  const std::vector<W> arm = {W::kF32,  W::kF16,  W::kBF16,  W::kQ8_0,  W::kQ4_0,  W::kQ2_K,  W::kQ4_K,
                              W::kQ5_K, W::kQ6_K, W::kQ8_K,  W::kTQ1_0, W::kTQ2_0, W::kQ2_0C, W::kSTQ1_0,
                              W::kSTQ1_0_CONSEC};
  const std::pair<const char*, const std::vector<W>*> paths[] = {
      {"avx2", &x86}, {"avx512", &x86}, {"neon", &arm}, {"dotprod", &arm}};
  for (const auto& [isa, covered] : paths) {
    KernelTable kt;
    if (!build_kernel_table(isa, &kt, nullptr)) continue;
    for (const Case& c : formats_with_refs()) {
      const size_t ti = static_cast<size_t>(c.type);
      const bool want = std::find(covered->begin(), covered->end(), c.type) != covered->end();
      EXPECT_EQ(kt.vec_dot[ti] != c.ref->vec_dot, want) << isa << " " << type_name(c.type);
      EXPECT_EQ(kt.gemm[ti] != nullptr, want) << isa << " " << type_name(c.type);
    }
  }
}

TEST(KernelIsa, ForcedUnavailablePathIsRefused) {
  KernelTable t;
  std::string err;
  EXPECT_FALSE(build_kernel_table("no-such-isa", &t, &err));
  EXPECT_NE(err.find("no-such-isa"), std::string::npos);
  EXPECT_EQ(t.isa, "ref");
}

}  // namespace
}  // namespace hymt
