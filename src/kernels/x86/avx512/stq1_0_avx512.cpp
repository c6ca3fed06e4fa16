// stq1_0_avx512.cpp: STQ1_0 (stride-16 lanes, the Hy-MT2 file layout) x Q8_K with AVX-512 VNNI.
// Decode of one 256-weight block, all in registers:
//  - the 32 slot bytes widen to 16-bit words and split into nibbles, giving 64 slot codes in group
//    order, 16 groups (= one 64-weight chunk) per 128-bit lane;
//  - vpshufb looks each slot up in the two 16-entry codebook halves and the 64 sign bits, loaded
//    straight into a mask register, pick the half: 64 packed groups (2-bit lane codes 0/1/2);
//  - with stride-16 lanes, lane p of chunk c covers weights 64c+16p .. +15, so broadcasting chunk
//    c's 16 packed bytes to the 4 lanes and shifting lane p right by 2p lines the codes up with the
//    64 contiguous activations of that chunk: one vpdpbusd (u8 code x s8 activation) per chunk.
// Codes are value+1, so the block sum is sum(code*x) - sum(x), with sum(x) from the Q8_K bsums.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"

namespace hymt {

namespace {

struct Decoded {
  __m512i chunk[4];  // codes of chunk c, lane p = plane p, aligned with activations 64c .. 64c+63
  float d;
};

inline void decode(const BlockSTQ1_0& b, const __m512i& t0, const __m512i& t1, Decoded* out) {
  const __m512i w = _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)));
  const __m512i slots = _mm512_and_si512(_mm512_or_si512(w, _mm512_slli_epi16(w, 4)), _mm512_set1_epi8(0x0F));
  uint64_t signs;
  __builtin_memcpy(&signs, b.sign, 8);
  const __m512i packed = _mm512_mask_blend_epi8(static_cast<__mmask64>(signs), _mm512_shuffle_epi8(t0, slots),
                                                _mm512_shuffle_epi8(t1, slots));
  // Lane p (words 8p .. 8p+7) shifts by 2p; "& 3" per byte then keeps lane p's code in every byte.
  const __m512i shifts = _mm512_set_epi32(0x00060006, 0x00060006, 0x00060006, 0x00060006, 0x00040004, 0x00040004,
                                          0x00040004, 0x00040004, 0x00020002, 0x00020002, 0x00020002, 0x00020002,
                                          0, 0, 0, 0);
  const __m512i three = _mm512_set1_epi8(3);
  out->chunk[0] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0x00), shifts), three);
  out->chunk[1] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0x55), shifts), three);
  out->chunk[2] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0xAA), shifts), three);
  out->chunk[3] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0xFF), shifts), three);
  out->d = _cvtsh_ss(b.d);
}

template <int NR, int NT>
void tile(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
  const int64_t nb = n / kQK_K;
  __m128i cb0, cb1;
  {
    alignas(16) uint8_t lo[16], hi[16];
    for (int i = 0; i < 16; ++i) {
      lo[i] = kStq1_0Codebook[static_cast<size_t>(i)];
      hi[i] = kStq1_0Codebook[static_cast<size_t>(16 + i)];
    }
    cb0 = _mm_load_si128(reinterpret_cast<const __m128i*>(lo));
    cb1 = _mm_load_si128(reinterpret_cast<const __m128i*>(hi));
  }
  const __m512i t0 = _mm512_broadcast_i32x4(cb0), t1 = _mm512_broadcast_i32x4(cb1);
  __m512 acc[NR][NT];
  for (int r = 0; r < NR; ++r)
    for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
  for (int64_t i = 0; i < nb; ++i) {
    Decoded dec[NR];
    for (int r = 0; r < NR; ++r) {
      const BlockSTQ1_0* blk = reinterpret_cast<const BlockSTQ1_0*>(w + r * ws) + i;
      _mm_prefetch(reinterpret_cast<const char*>(blk) + 8 * sizeof(BlockSTQ1_0), _MM_HINT_T0);
      decode(*blk, t0, t1, &dec[r]);
    }
    for (int t = 0; t < NT; ++t) {
      const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
      const __m512i x0 = _mm512_loadu_si512(x.qs), x1 = _mm512_loadu_si512(x.qs + 64);
      const __m512i x2 = _mm512_loadu_si512(x.qs + 128), x3 = _mm512_loadu_si512(x.qs + 192);
      // sum(x) over the block from the 16 bsums, as the starting value of lane 0.
      const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bsums));
      const __m256i s8 = _mm256_madd_epi16(bs, _mm256_set1_epi16(1));
      __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
      s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
      s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
      const __m512i init = _mm512_zextsi128_si512(_mm_sub_epi32(_mm_setzero_si128(), _mm_cvtsi32_si128(_mm_cvtsi128_si32(s4))));
      for (int r = 0; r < NR; ++r) {
        __m512i s = _mm512_dpbusd_epi32(init, dec[r].chunk[0], x0);
        s = _mm512_dpbusd_epi32(s, dec[r].chunk[1], x1);
        s = _mm512_dpbusd_epi32(s, dec[r].chunk[2], x2);
        s = _mm512_dpbusd_epi32(s, dec[r].chunk[3], x3);
        acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_set1_ps(dec[r].d * x.d), acc[r][t]);
      }
    }
  }
  for (int r = 0; r < NR; ++r)
    for (int t = 0; t < NT; ++t) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
}

template <int NR>
void rows(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, int nt, float* y, int64_t ldy) {
  switch (nt) {
    case 1: tile<NR, 1>(n, w, ws, a, as, y, ldy); break;
    case 2: tile<NR, 2>(n, w, ws, a, as, y, ldy); break;
    case 3: tile<NR, 3>(n, w, ws, a, as, y, ldy); break;
    default: tile<NR, 4>(n, w, ws, a, as, y, ldy); break;
  }
}

void gemm(int64_t n, const uint8_t* w, size_t ws, int nr, const uint8_t* a, size_t as, int nt, float* y, int64_t ldy) {
  switch (nr) {
    case 1: rows<1>(n, w, ws, a, as, nt, y, ldy); break;
    case 2: rows<2>(n, w, ws, a, as, nt, y, ldy); break;
    case 3: rows<3>(n, w, ws, a, as, nt, y, ldy); break;
    default: rows<4>(n, w, ws, a, as, nt, y, ldy); break;
  }
}

float dot(int64_t n, const void* w, const void* a) {
  float y;
  tile<1, 1>(n, static_cast<const uint8_t*>(w), 0, static_cast<const uint8_t*>(a), 0, &y, 1);
  return y;
}

}  // namespace

void register_avx512_stq1_0(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kSTQ1_0)] = dot;
  t.gemm[static_cast<size_t>(WeightType::kSTQ1_0)] = gemm;
}

}  // namespace hymt
