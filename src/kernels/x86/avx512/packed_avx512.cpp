// packed_avx512.cpp: Q4_0x16 and Q8_0x16 (kernels/packed_layout.h) x Q8_0 with AVX-512 VNNI. Per
// block: the 16 rows' scales widen in one vcvtph2ps; 64-byte loads give eight registers of
// unsigned codes (lane r = 4 codes of row r): Q4_0 four loads masked and shifted into nibbles, Q8_0
// eight loads used as they are. Each activation token then needs eight vpdpbusd against broadcast
// 4-byte groups of its block, starting from -offset * sum(x) (Q4_0's 8, the packed Q8_0's 128),
// and one fused multiply-add by d_w * d_x. No horizontal sums: lane r is row r's output. Up to
// kPackTokens tokens share the decoded codes. The activations come as one tile (packed_layout.h,
// Q8_0 activation tiles) whose per-token values are all broadcast loads from one pointer. Same
// arithmetic as packed_ref.cpp, bit for bit.
#include <immintrin.h>


#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/packed_layout.h"
#include "kernels/x86/avx512/dpbusd_bcast.h"

namespace hymt {

namespace {

// Codes of one block: register k holds, in lane r, row r's codes of weights 4k .. 4k+3.
struct Q4x16 {
  static constexpr size_t kBlockBytes = kQ4_0x16BlockBytes;
  static constexpr int kOffset = 8;
  static void codes(const uint8_t* g, __m512i* c) {
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    for (int j = 0; j < 4; ++j) {
      const __m512i v = _mm512_loadu_si512(g + kPackedScaleBytes + 64 * j);
      c[j] = _mm512_and_si512(v, m4);                              // weights 4j .. 4j+3
      c[4 + j] = _mm512_and_si512(_mm512_srli_epi16(v, 4), m4);    // weights 16+4j .. 16+4j+3
    }
  }
};
struct Q8x16 {
  static constexpr size_t kBlockBytes = kQ8_0x16BlockBytes;
  static constexpr int kOffset = 128;
  static void codes(const uint8_t* g, __m512i* c) {
    for (int j = 0; j < 8; ++j) c[j] = _mm512_loadu_si512(g + kPackedScaleBytes + 64 * j);
  }
};

template <class F, int NT>
void packed_tile(int64_t ne0, const uint8_t* group, const uint8_t* tile, float* y, int64_t ldy) {
  constexpr size_t kRec = act_tile_q8_0_record(NT);
  constexpr size_t kInit = (F::kOffset == 8 ? kActTileOff8 : kActTileOff128) * NT, kQs = kActTileQs * NT;
  // Two integer chains per token for one or two tokens (vpdpbusd's latency), one chain for more:
  // the tokens are the independent chains then, and 8 tokens x 2 chains would not fit the
  // registers beside the 8 code registers and the 8 accumulators.
  constexpr int kC = NT <= 2 ? 2 : 1;
  const int64_t nb = ne0 / 32;
  __m512 acc[NT];
  for (int t = 0; t < NT; ++t) acc[t] = _mm512_setzero_ps();
  for (int64_t i = 0; i < nb; ++i) {
    const uint8_t* g = group + static_cast<size_t>(i) * F::kBlockBytes;
    // Four blocks ahead: far enough for DRAM latency at this consumption rate.
    const char* pf = reinterpret_cast<const char*>(g) + 4 * F::kBlockBytes;
    for (size_t off = 0; off < F::kBlockBytes; off += 64) _mm_prefetch(pf + off, _MM_HINT_T0);
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(g)));
    __m512i c[8];
    F::codes(g, c);
    const uint8_t* rec = tile + static_cast<size_t>(i) * kRec;
    const float* dx = reinterpret_cast<const float*>(rec);
    const int32_t* init = reinterpret_cast<const int32_t*>(rec + kInit);
    __m512i s[kC][NT];
    for (int t = 0; t < NT; ++t) {
      s[0][t] = _mm512_set1_epi32(init[t]);  // a broadcast load: no vector-port work
      if constexpr (kC == 2) s[1][t] = _mm512_setzero_si512();
    }
    for (int k = 0; k < 8; ++k)
      for (int t = 0; t < NT; ++t)
        s[k % kC][t] = dpbusd_bcast(s[k % kC][t], c[k], reinterpret_cast<const int8_t*>(rec + kQs + 32 * t + 4 * k));
    for (int t = 0; t < NT; ++t) {
      __m512i st = s[0][t];
      if constexpr (kC == 2) st = _mm512_add_epi32(st, s[1][t]);
      acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(st), _mm512_mul_ps(dw, _mm512_set1_ps(dx[t])), acc[t]);
    }
  }
  for (int t = 0; t < NT; ++t) _mm512_storeu_ps(y + t * ldy, acc[t]);
}

template <class F>
void packed_gemm(int64_t ne0, const uint8_t* group, const uint8_t* tile, size_t, const int32_t*, int64_t, int nt,
                 float* y, int64_t ldy) {
  switch (nt) {
    case 1: packed_tile<F, 1>(ne0, group, tile, y, ldy); break;
    case 2: packed_tile<F, 2>(ne0, group, tile, y, ldy); break;
    case 3: packed_tile<F, 3>(ne0, group, tile, y, ldy); break;
    case 4: packed_tile<F, 4>(ne0, group, tile, y, ldy); break;
    case 5: packed_tile<F, 5>(ne0, group, tile, y, ldy); break;
    case 6: packed_tile<F, 6>(ne0, group, tile, y, ldy); break;
    case 7: packed_tile<F, 7>(ne0, group, tile, y, ldy); break;
    default: packed_tile<F, 8>(ne0, group, tile, y, ldy); break;
  }
}

template <class F>
void install(KernelTable& t, WeightType type) {
  PackedKernel k = packed_reference(type);  // the layout and the packing are shared
  k.gemm = packed_gemm<F>;
  k.tile_act = act_tile_q8_0;
  k.tile_bytes = act_tile_q8_0_bytes;
  t.packed[static_cast<size_t>(type)] = k;
}

}  // namespace

void register_avx512_packed(KernelTable& t) {
  install<Q4x16>(t, WeightType::kQ4_0);
  install<Q8x16>(t, WeightType::kQ8_0);
}

}  // namespace hymt
