// stq1_0_avx2.cpp: STQ1_0 (both lane layouts) x Q8_K with AVX2.
// Decode of one block: the 32 slot bytes split into nibbles and interleave (vpunpck*bw) into 64
// slot codes in group order, 16 groups (= one 64-weight chunk) per 128-bit lane; vpshufb looks
// each up in both codebook halves and the sign bits, spread to byte masks, choose (vpblendvb).
// With stride-16 lanes, lane p of chunk c covers weights 64c+16p .. +15, so chunk c's 16 packed
// bytes copied to both ymm lanes and shifted by 2p (vpsrlvd) line up with 32 contiguous
// activations. With consecutive lanes (the older HY-MT1.5 file: lane p of group g is weight
// 4g+p), each 128-bit lane takes 4 groups (vpermd: dword p = their 4 packed bytes, shifted by 2p)
// and the activations are transposed 4x4 per lane to match (vpshufb, once per block and tile).
// Codes are value+1 in {0,1,2}: vpmaddubsw pairs are at most 2*2*128 = 512 and the
// block's eight pair vectors add in int16 (at most 4096); sum((t - 1) x) = sum(t x) - sum(x).
#include <immintrin.h>

#include <type_traits>

#include "formats/blocks.h"
#include "kernels/dispatch.h"
#include "kernels/x86/avx2/common_avx2.h"
#include "kernels/tile_dispatch.h"

namespace hymt {

namespace {

// Consecutive lanes: -sum(x) as NegSumPrep, plus the block's activations with each 16-byte lane
// transposed 4x4 (position 4p + j = activation 4j + p), the order decode() gives the codes.
struct TransposedPrep {
  __m256i init;
  __m256i x[8];
  static void prepare(const BlockQ8_K& x, TransposedPrep* p) {
    const __m256i tr = _mm256_broadcastsi128_si256(_mm_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
    p->init = _mm256_zextsi128_si256(_mm_cvtsi32_si128(-q8k_sum(x)));
    for (int j = 0; j < 8; ++j) p->x[j] = _mm256_shuffle_epi8(load256(x.qs + 32 * j), tr);
  }
};

template <bool kStride16>
struct STQ1 {
  using Block = BlockSTQ1_0;
  using Prep = std::conditional_t<kStride16, NegSumPrep, TransposedPrep>;
  static void prepare(const BlockQ8_K& x, Prep* p) { Prep::prepare(x, p); }
  struct Decoded {
    __m256i q[8];  // codes 0..2 of weights 32j .. 32j+31
    float d;
  };

  static void decode(const Block& b, Decoded* o) {
    const __m128i cb0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kStq1_0Codebook.data()));
    const __m128i cb1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kStq1_0Codebook.data() + 16));
    const __m256i t0 = _mm256_broadcastsi128_si256(cb0), t1 = _mm256_broadcastsi128_si256(cb1);
    const __m256i lo4 = _mm256_set1_epi8(0x0F);
    const __m256i qs = load256(b.qs);
    const __m256i lo = _mm256_and_si256(qs, lo4), hi = _mm256_and_si256(_mm256_srli_epi16(qs, 4), lo4);
    // Group g = 2k (low nibble of byte k) and 2k+1 (high); per lane: unpacklo = bytes 0-7 of the
    // lane, unpackhi = bytes 8-15. Lane 0 of qs holds groups 0-31, lane 1 groups 32-63.
    const __m256i slots02 = _mm256_unpacklo_epi8(lo, hi);  // chunk 0 | chunk 2
    const __m256i slots13 = _mm256_unpackhi_epi8(lo, hi);  // chunk 1 | chunk 3
    // Sign bit g%8 of byte g/8 -> byte mask: copy sign byte 2c (groups 16c..16c+7) and 2c+1 to
    // the lane's bytes, keep each byte's own bit, compare.
    uint64_t sign;
    __builtin_memcpy(&sign, b.sign, 8);
    const __m256i s = _mm256_set1_epi64x(static_cast<long long>(sign));
    const __m256i bits = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
    const __m256i sel02 = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5,
                                           5, 5, 5, 5, 5, 5);
    const __m256i sel13 = _mm256_add_epi8(sel02, _mm256_set1_epi8(2));
    const __m256i m02 = _mm256_cmpeq_epi8(_mm256_and_si256(_mm256_shuffle_epi8(s, sel02), bits), bits);
    const __m256i m13 = _mm256_cmpeq_epi8(_mm256_and_si256(_mm256_shuffle_epi8(s, sel13), bits), bits);
    const __m256i p02 = _mm256_blendv_epi8(_mm256_shuffle_epi8(t0, slots02), _mm256_shuffle_epi8(t1, slots02), m02);
    const __m256i p13 = _mm256_blendv_epi8(_mm256_shuffle_epi8(t0, slots13), _mm256_shuffle_epi8(t1, slots13), m13);
    const __m256i three = _mm256_set1_epi8(3);
    if constexpr (kStride16) {
      const __m256i sh01 = _mm256_setr_epi32(0, 0, 0, 0, 2, 2, 2, 2), sh23 = _mm256_setr_epi32(4, 4, 4, 4, 6, 6, 6, 6);
      const __m256i chunk[4] = {_mm256_permute2x128_si256(p02, p02, 0x00), _mm256_permute2x128_si256(p13, p13, 0x00),
                                _mm256_permute2x128_si256(p02, p02, 0x11), _mm256_permute2x128_si256(p13, p13, 0x11)};
      for (int c = 0; c < 4; ++c) {
        // 32-bit shifts: a byte's bits 0-1 after shifting by 2p come from its own bits 2p, 2p+1.
        o->q[2 * c] = _mm256_and_si256(_mm256_srlv_epi32(chunk[c], sh01), three);
        o->q[2 * c + 1] = _mm256_and_si256(_mm256_srlv_epi32(chunk[c], sh23), three);
      }
    } else {
      // q[2c + h] covers weights 64c + 32h .. +31: lane L takes dword 2h + L of chunk c (lane 0 of
      // p02 / p13 for c = 0 / 1, lane 1 for c = 2 / 3), in all 4 dwords, dword p shifted by 2p.
      const __m256i sh = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
      const __m256i* src[4] = {&p02, &p13, &p02, &p13};
      for (int c = 0; c < 4; ++c)
        for (int h = 0; h < 2; ++h) {
          const int d0 = 4 * (c / 2) + 2 * h;
          const __m256i idx = _mm256_setr_epi32(d0, d0, d0, d0, d0 + 1, d0 + 1, d0 + 1, d0 + 1);
          o->q[2 * c + h] = _mm256_and_si256(_mm256_srlv_epi32(_mm256_permutevar8x32_epi32(*src[c], idx), sh), three);
        }
    }
    o->d = h2f(b.d);
  }

  static __m256 accumulate(const Decoded& w, const BlockQ8_K& x, const Prep& p, __m256 acc) {
    auto xj = [&](int j) {
      if constexpr (kStride16) return load256(x.qs + 32 * j);
      else return p.x[j];
    };
    __m256i s16 = _mm256_maddubs_epi16(w.q[0], xj(0));
    for (int j = 1; j < 8; ++j) s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(w.q[j], xj(j)));
    const __m256i s = _mm256_add_epi32(_mm256_madd_epi16(s16, _mm256_set1_epi16(1)), p.init);
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(w.d * x.d), acc);
  }
};

}  // namespace

void register_avx2_stq1_0(KernelTable& t) {
  t.vec_dot[static_cast<size_t>(WeightType::kSTQ1_0)] = dot_tile<Q8KTile<STQ1<true>>>;
  t.gemm[static_cast<size_t>(WeightType::kSTQ1_0)] = gemm_tiles<Q8KTile<STQ1<true>>>;
  t.vec_dot[static_cast<size_t>(WeightType::kSTQ1_0_CONSEC)] = dot_tile<Q8KTile<STQ1<false>>>;
  t.gemm[static_cast<size_t>(WeightType::kSTQ1_0_CONSEC)] = gemm_tiles<Q8KTile<STQ1<false>>>;
}

}  // namespace hymt
