// attention.cpp: scalar references of the attention kernels (kernels.h attn_scores / attn_values)
// for F32 and F16 caches. The SIMD versions (kernels/attention_simd.h) are tested against these.
#include "core/half.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {

namespace {

inline float load_kv(const float* p, int64_t i) { return p[i]; }
inline float load_kv(const uint16_t* p, int64_t i) { return fp16_to_f32(p[i]); }

template <class T>
void scores_ref(const float* q, int64_t ldq, int nq, const void* kv, int64_t kstride, int64_t n_kv, int64_t hd,
                float scale, float* s, int64_t lds) {
  const T* k = static_cast<const T*>(kv);
  for (int i = 0; i < nq; ++i)
    for (int64_t p = 0; p < n_kv; ++p) {
      const T* kp = k + p * kstride;
      float acc = 0;
      for (int64_t d = 0; d < hd; ++d) acc += q[i * ldq + d] * load_kv(kp, d);
      s[i * lds + p] = acc * scale;
    }
}

template <class T>
void values_ref(const float* w, int64_t ldw, int nq, const void* const* vb, int64_t block_rows, int64_t vstride,
                int64_t n_kv, int64_t hd, float* out, int64_t ldo) {
  for (int i = 0; i < nq; ++i) {
    float* o = out + i * ldo;
    for (int64_t d = 0; d < hd; ++d) o[d] = 0;
    for (int64_t p = 0; p < n_kv; ++p) {
      const float wp = w[i * ldw + p];
      const T* vp = static_cast<const T*>(vb[p / block_rows]) + (p % block_rows) * vstride;
      for (int64_t d = 0; d < hd; ++d) o[d] += wp * load_kv(vp, d);
    }
  }
}

}  // namespace

void register_ref_attention(KernelTable& t) {
  t.attn_scores[static_cast<size_t>(KvType::kF32)] = scores_ref<float>;
  t.attn_scores[static_cast<size_t>(KvType::kF16)] = scores_ref<uint16_t>;
  t.attn_values[static_cast<size_t>(KvType::kF32)] = values_ref<float>;
  t.attn_values[static_cast<size_t>(KvType::kF16)] = values_ref<uint16_t>;
}

const char* kv_type_name(KvType t) { return t == KvType::kF16 ? "f16" : "f32"; }

void attn_scores(KvType kv, const float* q, int64_t ldq, int nq, const void* k, int64_t kstride, int64_t n_kv,
                 int64_t hd, float scale, float* s, int64_t lds) {
  kernel_table().attn_scores[static_cast<size_t>(kv)](q, ldq, nq, k, kstride, n_kv, hd, scale, s, lds);
}

void attn_values(KvType kv, const float* w, int64_t ldw, int nq, const void* const* v_blocks, int64_t block_rows,
                 int64_t vstride, int64_t n_kv, int64_t hd, float* out, int64_t ldo) {
  kernel_table().attn_values[static_cast<size_t>(kv)](w, ldw, nq, v_blocks, block_rows, vstride, n_kv, hd, out, ldo);
}

}  // namespace hymt
