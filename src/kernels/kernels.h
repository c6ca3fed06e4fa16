// kernels.h: the compute interface the model uses. Kernels know nothing about models: they see
// weight views, activation rows and a thread pool. The function table (dispatch.cpp) starts with
// the scalar references in ref/ and is overwritten by SIMD versions chosen from CPUID; setting
// HYMT_FORCE_ISA=ref pins the references.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/large_buffer.h"
#include "core/thread_pool.h"
#include "formats/ggml_type.h"

namespace hymt {

// A 2-D weight matrix: n_rows rows of ne0 values each, row-major, in `type`.
struct WeightView {
  WeightType type = WeightType::kF32;
  const uint8_t* data = nullptr;
  int64_t ne0 = 0;
  int64_t n_rows = 0;
  size_t row_bytes = 0;
  // Rows [0, packed_rows) also exist row-interleaved at `packed` (dispatch.h PackedKernel; set at
  // load time when the kernel path has a packed kernel for the type); matmul then reads those.
  const uint8_t* packed = nullptr;
  int64_t packed_rows = 0;
  const uint8_t* row(int64_t r) const { return data + static_cast<size_t>(r) * row_bytes; }
};

// Scratch memory a caller owns and reuses across calls, so the token loop never allocates once
// buffers have grown to their working size.
struct KernelScratch {
  std::vector<uint8_t> act;     // activations converted to the weight format's act_type
  std::vector<int32_t> sums;    // per activation block, the sum of its integer codes (packed kernels)
  std::vector<uint8_t> tiles;   // token tiles of the activations, for packed kernels that read them
};

// Packs rows [0, n_rows / kPackRows * kPackRows) of `w` for the kernel path in use, if it has a
// packed kernel for w's type: returns the packed bytes (empty if not packed; in huge pages where
// the system offers them, not zero-filled first, so each page is touched once). The caller keeps
// them alive and sets w.packed / w.packed_rows.
// packed_slice, if given, is called after each slice of rows [r0, r1) is packed (the loader
// releases those rows' mapped pages as it goes, so packing a large matrix never holds two copies
// of it). The slices are packed on all cores.
LargeBuffer pack_weight(const WeightView& w, int64_t* packed_rows,
                        const std::function<void(int64_t r0, int64_t r1)>& packed_slice = nullptr);

// True if the weight type can be used in matmul/get_row.
bool kernel_supports(WeightType t);

// y[t * ldy + r] = sum_k W[r, k] * x[t * ldx + k], for t < n_tok, r < W.n_rows.
// Every y element is computed by exactly one thread in a fixed order: thread-count invariant.
void matmul(const WeightView& w, const float* x, int64_t ldx, int64_t n_tok, float* y, int64_t ldy,
            ThreadPool& pool, KernelScratch& scratch);

// One output of matmul_multi: a weight and where its rows go.
struct MatmulOut {
  const WeightView* w;
  float* y;
  int64_t ldy;
};
// Several products of the same activations (Q/K/V, gate/up): the activations are converted once
// and all row chunks of all weights are shared out in one parallel pass. All weights must have the
// same ne0 and activation type. Results are bit-identical to separate matmul calls.
void matmul_multi(const MatmulOut* outs, int n_outs, const float* x, int64_t ldx, int64_t n_tok, ThreadPool& pool,
                  KernelScratch& scratch);

// Element type of a KV cache.
enum class KvType : uint8_t { kF32 = 0, kF16 = 1 };
inline size_t kv_type_size(KvType t) { return t == KvType::kF16 ? 2 : 4; }
const char* kv_type_name(KvType t);

// Attention over one KV head: nq query heads (the ones sharing this KV head, or several tokens'
// heads) against n_kv cached positions, keys and values `kstride` / `vstride` elements apart.
//   s[i * lds + p]   = scale * dot(q + i * ldq, k_p)                  (i < nq, p < n_kv)
//   out[i * ldo + d] = sum_p w[i * ldw + p] * v_p[d]                  (d < hd)
// Each output is computed in a fixed order whatever nq, so batching never changes a result.
// The values are read from a cache held in blocks (model/kv_cache.h): v_blocks[b] holds positions
// b * block_rows .. (b + 1) * block_rows - 1 (the last block may be partial), rows vstride elements
// apart. The sum runs over the positions in order across blocks, in registers, so the bits are
// those of one contiguous run (a contiguous cache: one block of n_kv rows).
void attn_scores(KvType kv, const float* q, int64_t ldq, int nq, const void* k, int64_t kstride, int64_t n_kv,
                 int64_t hd, float scale, float* s, int64_t lds);
void attn_values(KvType kv, const float* w, int64_t ldw, int nq, const void* const* v_blocks, int64_t block_rows,
                 int64_t vstride, int64_t n_kv, int64_t hd, float* out, int64_t ldo);

// Dequantizes row r of w into out[0..ne0).
void get_row(const WeightView& w, int64_t r, float* out);

// --- element-wise and row ops (ref/ops.cpp) ---
// y = w * x / sqrt(mean(x^2) + eps), one row of n values (x and y may alias).
void rms_norm(const float* x, const float* w, float* y, int64_t n, float eps);
// The RoPE rotation of position pos: cos_sin[2i], cos_sin[2i + 1] = cos, sin of pos * inv_freq[i]
// for i < hd/2. Computed once per token and shared by every head of every layer.
void rope_angles(int64_t hd, int64_t pos, const float* inv_freq, float* cos_sin);
// NeoX rotate-half RoPE on one head of `hd` values, pairs (i, i + hd/2), by rope_angles' rotation.
void rope_neox(float* x, int64_t hd, const float* cos_sin);
// In-place softmax over n values (through the kernel table).
void softmax(float* x, int64_t n);
// out[i] = silu(g[i]) * u[i] = g[i] / (1 + exp(-g[i])) * u[i] (through the kernel table).
void swiglu(const float* g, const float* u, float* out, int64_t n);

// The exp of softmax and swiglu, in a form every SIMD path repeats step for step (ops_simd.h):
// x clamped to [kExpApproxLo, kExpApproxHi] (so 2^n stays a normal float: exp(-87) = 1.6e-38
// stands for anything smaller, which no sum or 1 + e can tell apart), n = round(x / ln 2),
// r = x - n ln 2 in two FMAs (ln 2 = Hi + Lo, Hi exact in 9 bits), exp(r) = 1 + r + r^2 P(r) with
// a degree-5 minimax P on [-ln2/2, ln2/2] (Cephes expf's coefficients), times 2^n. Within 2 ulp of
// exp on the clamped range; NaN gives NaN.
inline constexpr float kExpApproxLo = -87.0f, kExpApproxHi = 88.0f;
inline constexpr float kExpApproxLog2e = 1.44269504088896341f;
inline constexpr float kExpApproxLn2Hi = 0.693359375f, kExpApproxLn2Lo = -2.12194440e-4f;
inline constexpr float kExpApproxP[6] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
                                         4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
float exp_approx(float x);

// Name of the instruction-set path in use ("ref" until SIMD kernels land).
const char* kernel_isa_name();

}  // namespace hymt
