// packed_kernel_test.cpp: the row-interleaved (packed) kernels. For every format a path packs:
// (1) its product is bit-identical to the scalar packed reference (same integer sums, same fused
// multiply-add per block) for every token count; (2) it agrees with the format's reference dot
// product on the unpacked rows within 1e-5 of sum |w x| (summation order only); (3) matmul over a
// WeightView with a packed part (and a tail of unpacked rows) gives the same as the plain view.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/thread_pool.h"
#include "formats/format_ref.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {
namespace {

std::vector<float> random_row(int64_t n, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = rng.uniform();
  return v;
}

// A matrix of n_rows random rows quantized to `type` (rows seeded from `seed`) and its plain view.
struct RandomMatrix {
  std::vector<uint8_t> data;
  WeightView view;
};
RandomMatrix random_matrix(WeightType type, int64_t n, int64_t n_rows, uint64_t seed) {
  const FormatRef* ref = format_ref(type);
  RandomMatrix m;
  const size_t wrb = *row_bytes(type, n);
  m.data.resize(wrb * static_cast<size_t>(n_rows));
  for (int64_t r = 0; r < n_rows; ++r) ref->quantize_row(random_row(n, seed + r).data(), m.data.data() + r * wrb, n);
  m.view.type = type;
  m.view.data = m.data.data();
  m.view.ne0 = n;
  m.view.n_rows = n_rows;
  m.view.row_bytes = wrb;
  return m;
}

TEST(PackedKernels, BitIdenticalToTheScalarPackedReference) {
  int checked = 0;
  for (const char* isa : {"avx2", "avx512", "neon", "dotprod"}) {
    KernelTable kt;
    if (!build_kernel_table(isa, &kt, nullptr)) continue;
    for (size_t ti = 0; ti < static_cast<size_t>(WeightType::kCount); ++ti) {
      const PackedKernel& pk = kt.packed[ti];
      if (pk.gemm == nullptr) continue;
      const WeightType type = static_cast<WeightType>(ti);
      const FormatRef* ref = format_ref(type);
      const PackedKernel pref = packed_reference(type);
      ASSERT_NE(pref.gemm, nullptr);
      const int64_t n = 1024;  // several blocks of every format (two of Q2_0C's 512)
      const size_t wrb = *row_bytes(type, n), arb = *row_bytes(ref->act_type, n);
      std::vector<uint8_t> rows(wrb * kPackRows), act(arb * kPackTokens);
      for (int r = 0; r < kPackRows; ++r) ref->quantize_row(random_row(n, 100 + r).data(), rows.data() + r * wrb, n);
      // The activation block sums matmul passes: from the codes themselves (Q8_0 blocks: 2-byte
      // scale, 32 codes; Q8_K blocks: 4-byte scale, 256 codes, then the bsums).
      const bool q8_k = ref->act_type == WeightType::kQ8_K;
      const bool float_act = ref->act_type == WeightType::kF32;  // float layouts take no sums
      const int64_t block = q8_k ? 256 : 32, nb = float_act ? 0 : n / block;
      const size_t block_bytes = q8_k ? 292 : 34, codes_at = q8_k ? 4 : 2;
      std::vector<int32_t> sums(static_cast<size_t>(nb * kPackTokens));
      for (int t = 0; t < kPackTokens; ++t) {
        format_ref(ref->act_type)->quantize_row(random_row(n, 200 + t).data(), act.data() + t * arb, n);
        const int8_t* q = reinterpret_cast<const int8_t*>(act.data() + t * arb);
        for (int64_t i = 0; i < nb; ++i) {
          int32_t s = 0;
          for (int j = 0; j < block; ++j) s += q[static_cast<size_t>(i) * block_bytes + codes_at + static_cast<size_t>(j)];
          sums[static_cast<size_t>(t * nb + i)] = s;
        }
      }
      std::vector<uint8_t> group(pk.bytes(n)), group_ref(group.size());
      pk.pack(rows.data(), wrb, n, group.data());
      pref.pack(rows.data(), wrb, n, group_ref.data());
      EXPECT_EQ(group, group_ref) << isa << " " << type_name(type) << ": the path's packing differs";
      for (int nt = 1; nt <= kPackTokens; ++nt) {
        std::vector<float> y(static_cast<size_t>(kPackTokens * kPackRows), -1.0f), y_ref(y);
        if (pk.tile_act != nullptr) {  // the kernel reads its activations as a tile
          std::vector<uint8_t> tile(pk.tile_bytes(n, nt));
          pk.tile_act(n, act.data(), arb, sums.data(), nb, nt, tile.data());
          pk.gemm(n, group.data(), tile.data(), 0, nullptr, 0, nt, y.data(), kPackRows);
        } else {
          pk.gemm(n, group.data(), act.data(), arb, sums.data(), nb, nt, y.data(), kPackRows);
        }
        pref.gemm(n, group.data(), act.data(), arb, sums.data(), nb, nt, y_ref.data(), kPackRows);
        EXPECT_EQ(y, y_ref) << isa << " " << type_name(type) << " nt " << nt;
        for (int t = 0; t < nt; ++t)
          for (int r = 0; r < kPackRows; ++r) {
            const float d = ref->vec_dot(n, rows.data() + r * wrb, act.data() + t * arb);
            EXPECT_NEAR(y[static_cast<size_t>(t * kPackRows + r)], d, 1e-4 * (std::fabs(d) + 1.0))
                << isa << " " << type_name(type) << " row " << r << " token " << t;
          }
      }
      ++checked;
    }
  }
  if (checked == 0) GTEST_SKIP() << "no kernel path on this CPU packs any format";
}

// The float layouts take any row length (the quantized ones are whole blocks): the SIMD outer
// products' tails (an odd k, one row shorter than a register) match the reference bit for bit.
TEST(PackedKernels, FloatLayoutsTakeAnyRowLength) {
  int checked = 0;
  for (const char* isa : {"avx2", "avx512", "neon", "dotprod"}) {
    KernelTable kt;
    if (!build_kernel_table(isa, &kt, nullptr)) continue;
    for (WeightType type : {WeightType::kF32, WeightType::kF16, WeightType::kBF16}) {
      const PackedKernel& pk = kt.packed[static_cast<size_t>(type)];
      if (pk.gemm == nullptr) continue;
      const PackedKernel pref = packed_reference(type);
      for (int64_t n : {1, 2, 17, 333, 1040}) {
        const RandomMatrix m = random_matrix(type, n, kPackRows, 700 + n);
        std::vector<float> act(static_cast<size_t>(n * kPackTokens));
        for (int t = 0; t < kPackTokens; ++t) {
          const std::vector<float> x = random_row(n, 800 + t);
          std::copy(x.begin(), x.end(), act.begin() + t * n);
        }
        std::vector<uint8_t> group(pk.bytes(n)), group_ref(group.size());
        pk.pack(m.data.data(), m.view.row_bytes, n, group.data());
        pref.pack(m.data.data(), m.view.row_bytes, n, group_ref.data());
        ASSERT_EQ(group, group_ref) << isa << " " << type_name(type) << " n " << n;
        for (int nt = 1; nt <= kPackTokens; ++nt) {
          std::vector<float> y(static_cast<size_t>(kPackTokens * kPackRows), -1.0f), y_ref(y);
          const auto* a = reinterpret_cast<const uint8_t*>(act.data());
          pk.gemm(n, group.data(), a, n * sizeof(float), nullptr, 0, nt, y.data(), kPackRows);
          pref.gemm(n, group.data(), a, n * sizeof(float), nullptr, 0, nt, y_ref.data(), kPackRows);
          EXPECT_EQ(y, y_ref) << isa << " " << type_name(type) << " n " << n << " nt " << nt;
        }
      }
      ++checked;
    }
  }
  if (checked == 0) GTEST_SKIP() << "no kernel path on this CPU packs the float formats";
}

// Packing loses nothing: every row comes back byte for byte (a tied head's embedding lookups read
// the packed copy), and get_row on a packed view dequantizes exactly what the plain view does.
TEST(PackedKernels, UnpackRowRestoresTheFileBytes) {
  int checked = 0;
  for (WeightType type :
       {WeightType::kQ4_0, WeightType::kQ8_0, WeightType::kQ4_K, WeightType::kQ6_K, WeightType::kSTQ1_0,
        WeightType::kQ2_0C, WeightType::kF32, WeightType::kF16, WeightType::kBF16}) {
    const PackedKernel pk = packed_reference(type);
    ASSERT_NE(pk.unpack_row, nullptr) << type_name(type);
    const FormatRef* ref = format_ref(type);
    const int64_t n = 512;
    const size_t wrb = *row_bytes(type, n);
    std::vector<uint8_t> rows(wrb * kPackRows);
    for (int r = 0; r < kPackRows; ++r) ref->quantize_row(random_row(n, 500 + r).data(), rows.data() + r * wrb, n);
    std::vector<uint8_t> group(pk.bytes(n));
    pk.pack(rows.data(), wrb, n, group.data());
    for (int r = 0; r < kPackRows; ++r) {
      std::vector<uint8_t> back(wrb, 0xA5);
      pk.unpack_row(group.data(), n, r, back.data());
      ASSERT_EQ(0, std::memcmp(back.data(), rows.data() + r * wrb, wrb)) << type_name(type) << " row " << r;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);

  const KernelTable& kt = kernel_table();
  for (size_t ti = 0; ti < static_cast<size_t>(WeightType::kCount); ++ti) {
    if (kt.packed[ti].gemm == nullptr) continue;
    const WeightType type = static_cast<WeightType>(ti);
    const int64_t n = 512, n_rows = 2 * kPackRows + 3;
    const RandomMatrix m = random_matrix(type, n, n_rows, 600);
    const WeightView& w = m.view;
    WeightView wp = w;
    LargeBuffer packed = pack_weight(w, &wp.packed_rows);
    wp.packed = packed.data();
    std::vector<float> a(static_cast<size_t>(n)), b(a);
    for (int64_t r = 0; r < n_rows; ++r) {
      get_row(w, r, a.data());
      get_row(wp, r, b.data());
      ASSERT_EQ(a, b) << type_name(type) << " row " << r;
    }
  }
}

TEST(PackedKernels, MatmulWithPackedRowsMatchesThePlainView) {
  const KernelTable& kt = kernel_table();
  for (size_t ti = 0; ti < static_cast<size_t>(WeightType::kCount); ++ti) {
    if (kt.packed[ti].gemm == nullptr) continue;
    const WeightType type = static_cast<WeightType>(ti);
    // A full 8-token tile and a partial one; a tail of unpacked rows.
    const int64_t n = 512, n_rows = 3 * kPackRows + 5, n_tok = 11;
    const RandomMatrix m = random_matrix(type, n, n_rows, 300);
    const WeightView& w = m.view;
    int64_t packed_rows = 0;
    LargeBuffer packed = pack_weight(w, &packed_rows);
    ASSERT_EQ(packed_rows, 3 * kPackRows);
    WeightView wp = w;
    wp.packed = packed.data();
    wp.packed_rows = packed_rows;
    const std::vector<float> x = random_row(n * n_tok, 400);
    ThreadPool pool(2);
    KernelScratch ks;
    std::vector<float> y(static_cast<size_t>(n_rows * n_tok)), yp(y.size());
    matmul(w, x.data(), n, n_tok, y.data(), n_rows, pool, ks);
    matmul(wp, x.data(), n, n_tok, yp.data(), n_rows, pool, ks);
    for (size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(yp[i], y[i], 1e-4 * (std::fabs(y[i]) + 1.0)) << i;
    // One token at a time (decode) gives exactly the batched values.
    for (int64_t t = 0; t < n_tok; ++t) {
      std::vector<float> y1(static_cast<size_t>(n_rows));
      matmul(wp, x.data() + t * n, n, 1, y1.data(), n_rows, pool, ks);
      for (int64_t r = 0; r < n_rows; ++r) ASSERT_EQ(y1[static_cast<size_t>(r)], yp[static_cast<size_t>(t * n_rows + r)]);
    }
  }
}

}  // namespace
}  // namespace hymt
