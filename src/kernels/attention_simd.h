// attention_simd.h: the attention kernels (kernels.h attn_scores / attn_values) written once over a
// small vector-traits type V, and instantiated per instruction set by attention_<isa>.cpp with its
// own compile flags. V provides: kW (float lanes), Reg, zero(), load(const float*),
// load(const uint16_t*) (fp16 -> f32), scalar(const uint16_t*), fma(a, b, c) = a * b + c,
// set1(float), reduce(Reg) (horizontal sum), store(float*, Reg).
// Sums run over positions (values) or dimensions (scores) in the same order for every nq, so the
// batch shape never changes a result. Unnamed namespace: see tile_dispatch.h.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hymt {
namespace {

template <class V>
inline float scalar_of(const float* p) {
  return *p;
}
template <class V>
inline float scalar_of(const uint16_t* p) {
  return V::scalar(p);
}

// Keys as float: the row itself (F32) or converted once into `buf` (F16), so nq queries reuse it.
template <class V>
inline const float* key_row(const float* k, int64_t, float*) {
  return k;
}
template <class V>
inline const float* key_row(const uint16_t* k, int64_t hd, float* buf) {
  int64_t d = 0;
  for (; d + V::kW <= hd; d += V::kW) V::store(buf + d, V::load(k + d));
  for (; d < hd; ++d) buf[d] = V::scalar(k + d);
  return buf;
}

template <class V, class T>
void attn_scores_simd(const float* q, int64_t ldq, int nq, const void* kv, int64_t kstride, int64_t n_kv,
                      int64_t hd, float scale, float* s, int64_t lds) {
  constexpr int64_t kMaxHd = 512;
  if (hd > kMaxHd) {  // no head is this wide in any HY model; keep the kernel total anyway
    for (int i = 0; i < nq; ++i)
      for (int64_t p = 0; p < n_kv; ++p) {
        const T* kp = static_cast<const T*>(kv) + p * kstride;
        float acc = 0;
        for (int64_t d = 0; d < hd; ++d) acc += q[i * ldq + d] * scalar_of<V>(kp + d);
        s[i * lds + p] = acc * scale;
      }
    return;
  }
  alignas(64) float buf[kMaxHd];
  const int64_t main = hd / (2 * V::kW) * (2 * V::kW);
  for (int64_t p = 0; p < n_kv; ++p) {
    const float* kp = key_row<V>(static_cast<const T*>(kv) + p * kstride, hd, buf);
    for (int i = 0; i < nq; ++i) {
      const float* qi = q + i * ldq;
      typename V::Reg a0 = V::zero(), a1 = V::zero();
      for (int64_t d = 0; d < main; d += 2 * V::kW) {
        a0 = V::fma(V::load(qi + d), V::load(kp + d), a0);
        a1 = V::fma(V::load(qi + d + V::kW), V::load(kp + d + V::kW), a1);
      }
      float acc = V::reduce(V::add(a0, a1));
      for (int64_t d = main; d < hd; ++d) acc += qi[d] * kp[d];
      s[i * lds + p] = acc * scale;
    }
  }
}

// Values from a cache in blocks of block_rows positions (kernels.h): the positions are walked in
// order block by block with the accumulators kept in registers, so the result does not depend on
// the block size.
template <class V, class T>
void attn_values_simd(const float* w, int64_t ldw, int nq, const void* const* vb, int64_t block_rows, int64_t vstride,
                      int64_t n_kv, int64_t hd, float* out, int64_t ldo) {
  constexpr int kQ = 8;  // query rows per pass: 8 accumulators + the value register
  const int64_t main = hd / V::kW * V::kW;
  for (int i0 = 0; i0 < nq; i0 += kQ) {
    const int m = nq - i0 < kQ ? nq - i0 : kQ;
    for (int64_t d = 0; d < main; d += V::kW) {
      typename V::Reg acc[kQ];
      for (int j = 0; j < m; ++j) acc[j] = V::zero();
      for (int64_t p0 = 0; p0 < n_kv; p0 += block_rows) {
        const T* v = static_cast<const T*>(vb[p0 / block_rows]);
        const int64_t np = n_kv - p0 < block_rows ? n_kv - p0 : block_rows;
        for (int64_t p = 0; p < np; ++p) {
          const typename V::Reg x = V::load(v + p * vstride + d);
          for (int j = 0; j < m; ++j) acc[j] = V::fma(V::set1(w[(i0 + j) * ldw + p0 + p]), x, acc[j]);
        }
      }
      for (int j = 0; j < m; ++j) V::store(out + (i0 + j) * ldo + d, acc[j]);
    }
    for (int64_t d = main; d < hd; ++d)
      for (int j = 0; j < m; ++j) {
        float acc = 0;
        for (int64_t p = 0; p < n_kv; ++p)
          acc += w[(i0 + j) * ldw + p] *
                 scalar_of<V>(static_cast<const T*>(vb[p / block_rows]) + (p % block_rows) * vstride + d);
        out[(i0 + j) * ldo + d] = acc;
      }
  }
}

template <class V>
void install_attention(KernelTable& t) {
  t.attn_scores[0] = attn_scores_simd<V, float>;
  t.attn_scores[1] = attn_scores_simd<V, uint16_t>;
  t.attn_values[0] = attn_values_simd<V, float>;
  t.attn_values[1] = attn_values_simd<V, uint16_t>;
}

}  // namespace
}  // namespace hymt
