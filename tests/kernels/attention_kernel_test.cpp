// attention_kernel_test.cpp: the attention kernels (kernels.h attn_scores / attn_values) of every
// path this CPU runs against the scalar reference, for F32 and F16 caches, head sizes with and
// without a SIMD tail, and any number of query rows; and the batch-shape contract: scoring or
// weighting several query rows together gives bit-identical results to one row at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/half.h"
#include "core/rng.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {
namespace {

std::vector<std::string> runnable_isas() {
  std::vector<std::string> out;
  for (const char* isa : {"ref", "avx2", "avx512", "neon", "dotprod"}) {
    KernelTable t;
    if (build_kernel_table(isa, &t, nullptr)) out.push_back(isa);
  }
  return out;
}

// A cache of n_kv rows, `stride` elements apart, in the given type (values in [-1, 1)).
std::vector<uint8_t> make_cache(KvType kv, int64_t n_kv, int64_t stride, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<uint8_t> bytes(static_cast<size_t>(n_kv * stride) * kv_type_size(kv));
  for (int64_t i = 0; i < n_kv * stride; ++i) {
    const float x = rng.uniform();
    if (kv == KvType::kF32)
      reinterpret_cast<float*>(bytes.data())[i] = x;
    else
      reinterpret_cast<uint16_t*>(bytes.data())[i] = f32_to_fp16(x);
  }
  return bytes;
}

std::vector<float> make_rows(int64_t n, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = rng.uniform();
  return v;
}

TEST(AttentionKernels, EveryPathAgreesWithTheReference) {
  KernelTable ref;
  ASSERT_TRUE(build_kernel_table("ref", &ref, nullptr));
  for (const std::string& isa : runnable_isas()) {
    KernelTable kt;
    ASSERT_TRUE(build_kernel_table(isa, &kt, nullptr));
    for (KvType kv : {KvType::kF32, KvType::kF16}) {
      const size_t ki = static_cast<size_t>(kv);
      ASSERT_NE(kt.attn_scores[ki], nullptr);
      ASSERT_NE(kt.attn_values[ki], nullptr);
      for (int64_t hd : {128, 64, 24, 7}) {
        for (int64_t n_kv : {1, 5, 37}) {
          const int nq = 5;
          const int64_t stride = hd * 3 + 1;  // rows of several heads, odd stride
          const std::vector<uint8_t> k = make_cache(kv, n_kv, stride, 11 + hd), v = make_cache(kv, n_kv, stride, 12);
          const std::vector<float> q = make_rows(nq * hd, 13);
          const int64_t lds = n_kv + 3;
          std::vector<float> s_ref(static_cast<size_t>(nq * lds)), s(s_ref.size());
          ref.attn_scores[ki](q.data(), hd, nq, k.data(), stride, n_kv, hd, 0.125f, s_ref.data(), lds);
          kt.attn_scores[ki](q.data(), hd, nq, k.data(), stride, n_kv, hd, 0.125f, s.data(), lds);
          for (int i = 0; i < nq; ++i)
            for (int64_t p = 0; p < n_kv; ++p) {
              const size_t at = static_cast<size_t>(i * lds + p);
              // |q|,|k| < 1: the sum of hd products errs by far less than 1e-5 * hd in float32.
              ASSERT_NEAR(s[at], s_ref[at], 1e-5 * static_cast<double>(hd) * 0.125)
                  << isa << " " << kv_type_name(kv) << " hd " << hd << " n_kv " << n_kv;
            }
          const std::vector<float> w = make_rows(nq * lds, 14);
          std::vector<float> o_ref(static_cast<size_t>(nq * hd)), o(o_ref.size());
          const void* vb[1] = {v.data()};  // one contiguous block
          ref.attn_values[ki](w.data(), lds, nq, vb, n_kv, stride, n_kv, hd, o_ref.data(), hd);
          kt.attn_values[ki](w.data(), lds, nq, vb, n_kv, stride, n_kv, hd, o.data(), hd);
          for (size_t i = 0; i < o.size(); ++i)
            ASSERT_NEAR(o[i], o_ref[i], 1e-5 * static_cast<double>(n_kv))
                << isa << " " << kv_type_name(kv) << " hd " << hd << " n_kv " << n_kv;
        }
      }
    }
  }
}

TEST(AttentionKernels, QueryRowsTogetherEqualOneAtATime) {
  for (const std::string& isa : runnable_isas()) {
    KernelTable kt;
    ASSERT_TRUE(build_kernel_table(isa, &kt, nullptr));
    for (KvType kv : {KvType::kF32, KvType::kF16}) {
      const size_t ki = static_cast<size_t>(kv);
      const int64_t hd = 128, n_kv = 29, stride = 512;
      const int nq = 11;  // more than one pass of the value kernel's query block
      const std::vector<uint8_t> k = make_cache(kv, n_kv, stride, 21), v = make_cache(kv, n_kv, stride, 22);
      const std::vector<float> q = make_rows(nq * hd, 23), w = make_rows(nq * n_kv, 24);
      std::vector<float> s_all(static_cast<size_t>(nq * n_kv)), s_one(s_all.size());
      std::vector<float> o_all(static_cast<size_t>(nq * hd)), o_one(o_all.size());
      kt.attn_scores[ki](q.data(), hd, nq, k.data(), stride, n_kv, hd, 0.5f, s_all.data(), n_kv);
      const void* vb[1] = {v.data()};
      kt.attn_values[ki](w.data(), n_kv, nq, vb, n_kv, stride, n_kv, hd, o_all.data(), hd);
      for (int i = 0; i < nq; ++i) {
        kt.attn_scores[ki](q.data() + i * hd, hd, 1, k.data(), stride, n_kv, hd, 0.5f, s_one.data() + i * n_kv, n_kv);
        kt.attn_values[ki](w.data() + i * n_kv, n_kv, 1, vb, n_kv, stride, n_kv, hd, o_one.data() + i * hd, hd);
      }
      EXPECT_EQ(s_all, s_one) << isa << " " << kv_type_name(kv);
      EXPECT_EQ(o_all, o_one) << isa << " " << kv_type_name(kv);
    }
  }
}

// A cache held in blocks of positions (model/kv_cache.h): the values summed over blocks of 16 (and
// of 5, the last partial) must be the one contiguous run's, bit for bit, on every path, and agree
// with the reference.
TEST(AttentionKernels, ValuesInBlocksEqualOneRun) {
  KernelTable ref;
  ASSERT_TRUE(build_kernel_table("ref", &ref, nullptr));
  for (const std::string& isa : runnable_isas()) {
    KernelTable kt;
    ASSERT_TRUE(build_kernel_table(isa, &kt, nullptr));
    for (KvType kv : {KvType::kF32, KvType::kF16}) {
      const size_t ki = static_cast<size_t>(kv);
      const size_t es = kv_type_size(kv);
      for (int64_t hd : {128, 7}) {
        const int64_t n_kv = 53, stride = hd * 2 + 3;
        const int nq = 9;
        const std::vector<uint8_t> v = make_cache(kv, n_kv, stride, 31);
        const std::vector<float> w = make_rows(nq * n_kv, 32);
        std::vector<float> o_one(static_cast<size_t>(nq * hd)), o_ref(o_one.size());
        const void* one[1] = {v.data()};
        kt.attn_values[ki](w.data(), n_kv, nq, one, n_kv, stride, n_kv, hd, o_one.data(), hd);
        for (int64_t rows : {16, 5}) {
          // Blocks copied apart, so that a kernel reading past a block's end reads other bytes.
          std::vector<std::vector<uint8_t>> copies;
          std::vector<const void*> blocks;
          for (int64_t p0 = 0; p0 < n_kv; p0 += rows) {
            const int64_t np = std::min(rows, n_kv - p0);
            copies.emplace_back(v.begin() + static_cast<long>(p0 * stride * static_cast<int64_t>(es)),
                                v.begin() + static_cast<long>((p0 + np) * stride * static_cast<int64_t>(es)));
            copies.back().resize(static_cast<size_t>(rows * stride) * es, 0xff);
          }
          for (const auto& c : copies) blocks.push_back(c.data());
          std::vector<float> o_blk(o_one.size(), 123.0f);
          kt.attn_values[ki](w.data(), n_kv, nq, blocks.data(), rows, stride, n_kv, hd, o_blk.data(), hd);
          EXPECT_EQ(o_one, o_blk) << isa << " " << kv_type_name(kv) << " hd " << hd << " blocks of " << rows;
          ref.attn_values[ki](w.data(), n_kv, nq, blocks.data(), rows, stride, n_kv, hd, o_ref.data(), hd);
          for (size_t i = 0; i < o_ref.size(); ++i) ASSERT_NEAR(o_blk[i], o_ref[i], 1e-5 * static_cast<double>(n_kv));
        }
      }
    }
  }
}

}  // namespace
}  // namespace hymt
