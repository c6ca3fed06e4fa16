// stq1_0_avx512.cpp: STQ1_0 (both lane layouts) x Q8_K with AVX-512 VNNI.
// Decode of one 256-weight block, all in registers:
//  - the 32 slot bytes widen to 16-bit words and split into nibbles, giving 64 slot codes in group
//    order, 16 groups (= one 64-weight chunk) per 128-bit lane;
//  - vpshufb looks each slot up in the two 16-entry codebook halves and the 64 sign bits, loaded
//    straight into a mask register, pick the half: 64 packed groups (2-bit lane codes 0/1/2);
//  - with stride-16 lanes, lane p of chunk c covers weights 64c+16p .. +15, so broadcasting chunk
//    c's 16 packed bytes to the 4 lanes and shifting lane p right by 2p lines the codes up with the
//    64 contiguous activations of that chunk: one vpdpbusd (u8 code x s8 activation) per chunk.
//  - consecutive lanes (the older HY-MT1.5 file: lane p of group g is weight 4g+p) pack like Q2_0C:
//    each 128-bit lane takes 4 groups (16 weights) in its 4 dwords, dword p shifted right by 2p, and
//    the activations get the matching 4x4 byte transpose per lane (vpshufb), as in q2_0c_avx512.cpp;
//    the per-block integer sums stay exact.
// Codes are value+1, so the block sum is sum(code*x) - sum(x), with sum(x) from the Q8_K bsums.
#include <immintrin.h>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

struct Decoded {
  __m512i chunk[4];  // codes of chunk c (weights 64c .. 64c+63), in the order of the activations
  float d;
};

// Stride-16: lane p (words 8p .. 8p+7) of a broadcast chunk shifts by 2p; "& 3" per byte then keeps
// lane p's code in every byte. Consecutive: 128-bit lane L gets chunk c's dword L (groups
// 16c+4L .. +3, copied to all 4 dwords) and dword p shifts by 2p.
template <bool kStride16>
inline void decode(const BlockSTQ1_0& b, const __m512i& t0, const __m512i& t1, Decoded* out) {
  const __m512i w = _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)));
  const __m512i slots = _mm512_and_si512(_mm512_or_si512(w, _mm512_slli_epi16(w, 4)), _mm512_set1_epi8(0x0F));
  uint64_t signs;
  __builtin_memcpy(&signs, b.sign, 8);
  const __m512i packed = _mm512_mask_blend_epi8(static_cast<__mmask64>(signs), _mm512_shuffle_epi8(t0, slots),
                                                _mm512_shuffle_epi8(t1, slots));
  const __m512i three = _mm512_set1_epi8(3);
  if constexpr (kStride16) {
    const __m512i shifts = _mm512_set_epi32(0x00060006, 0x00060006, 0x00060006, 0x00060006, 0x00040004, 0x00040004,
                                            0x00040004, 0x00040004, 0x00020002, 0x00020002, 0x00020002, 0x00020002,
                                            0, 0, 0, 0);
    out->chunk[0] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0x00), shifts), three);
    out->chunk[1] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0x55), shifts), three);
    out->chunk[2] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0xAA), shifts), three);
    out->chunk[3] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_shuffle_i32x4(packed, packed, 0xFF), shifts), three);
  } else {
    const __m512i shifts = _mm512_broadcast_i32x4(_mm_setr_epi16(0, 0, 2, 2, 4, 4, 6, 6));
    const __m512i spread = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    for (int c = 0; c < 4; ++c) {
      const __m512i idx = _mm512_add_epi32(spread, _mm512_set1_epi32(4 * c));
      out->chunk[c] = _mm512_and_si512(_mm512_srlv_epi16(_mm512_permutexvar_epi32(idx, packed), shifts), three);
    }
  }
  out->d = _cvtsh_ss(b.d);
}

template <bool kStride16>
struct Stq1_0Kernel {
  template <int NR, int NT>
  static void run(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, float* y, int64_t ldy) {
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
    // Consecutive lanes: within each 128-bit lane, position 4p + j takes activation 4j + p, the
    // order decode() gives the codes (a 4x4 byte transpose, once per activation block and tile).
    const __m512i transpose =
        _mm512_broadcast_i32x4(_mm_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
    __m512 acc[NR][NT];
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) acc[r][t] = _mm512_setzero_ps();
    for (int64_t i = 0; i < nb; ++i) {
      Decoded dec[NR];
      for (int r = 0; r < NR; ++r) {
        const BlockSTQ1_0* blk = reinterpret_cast<const BlockSTQ1_0*>(w + r * ws) + i;
        _mm_prefetch(reinterpret_cast<const char*>(blk) + 8 * sizeof(BlockSTQ1_0), _MM_HINT_T0);
        decode<kStride16>(*blk, t0, t1, &dec[r]);
      }
      for (int t = 0; t < NT; ++t) {
        const BlockQ8_K& x = reinterpret_cast<const BlockQ8_K*>(a + t * as)[i];
        __m512i xv[4];
        for (int c = 0; c < 4; ++c) {
          xv[c] = _mm512_loadu_si512(x.qs + 64 * c);
          if constexpr (!kStride16) xv[c] = _mm512_shuffle_epi8(xv[c], transpose);
        }
        // sum(x) over the block from the 16 bsums, as the starting value of lane 0.
        const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bsums));
        const __m256i s8 = _mm256_madd_epi16(bs, _mm256_set1_epi16(1));
        __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
        const __m512i init =
            _mm512_zextsi128_si512(_mm_sub_epi32(_mm_setzero_si128(), _mm_cvtsi32_si128(_mm_cvtsi128_si32(s4))));
        for (int r = 0; r < NR; ++r) {
          __m512i s = _mm512_dpbusd_epi32(init, dec[r].chunk[0], xv[0]);
          s = _mm512_dpbusd_epi32(s, dec[r].chunk[1], xv[1]);
          s = _mm512_dpbusd_epi32(s, dec[r].chunk[2], xv[2]);
          s = _mm512_dpbusd_epi32(s, dec[r].chunk[3], xv[3]);
          acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_set1_ps(dec[r].d * x.d), acc[r][t]);
        }
      }
    }
    for (int r = 0; r < NR; ++r)
      for (int t = 0; t < NT; ++t) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
  }
};

template <bool kStride16>
void install(KernelTable& t, WeightType type) {
  t.vec_dot[static_cast<size_t>(type)] = dot_tile<Stq1_0Kernel<kStride16>>;
  t.gemm[static_cast<size_t>(type)] = gemm_tiles<Stq1_0Kernel<kStride16>>;
}

}  // namespace

void register_avx512_stq1_0(KernelTable& t) {
  install<true>(t, WeightType::kSTQ1_0);
  install<false>(t, WeightType::kSTQ1_0_CONSEC);
}

}  // namespace hymt
