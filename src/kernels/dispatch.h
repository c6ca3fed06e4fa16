// dispatch.h: the kernel function table, filled once at start-up from the CPU's features.
// Entries start as the scalar references (formats/format_ref) and are overwritten by the best SIMD
// version the CPU supports. HYMT_FORCE_ISA=ref|avx2|avx512|neon|dotprod pins one path (an ISA the
// CPU lacks is refused with a message; a format without a SIMD version on that path keeps its
// reference), which is how tests compare every path against the reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/ggml_type.h"

namespace hymt {

using VecDotFn = float (*)(int64_t n, const void* w, const void* act);
// Tile product: y[t * ldy + r] = dot(w row r, act row t) for r < nr, t < nt, rows at
// w + r * w_stride and act + t * a_stride. nr and nt are at most kTileMax. Each output must be
// computed with exactly the arithmetic of the same table's vec_dot (bit-identical), so batch shape
// never changes a result.
using GemmTileFn = void (*)(int64_t n, const uint8_t* w, size_t w_stride, int nr, const uint8_t* act,
                            size_t a_stride, int nt, float* y, int64_t ldy);
// Converts one activation row of n floats to an activation format (Q8_0, Q8_K, F32 copy).
using QuantizeRowFn = void (*)(const float* x, void* dst, int64_t n);

constexpr int kTileMax = 4;

// Row-interleaved ("packed") weights: at load time a matrix's rows are regrouped kPackRows at a
// time so that one SIMD register holds the same weights of all rows of a group (the decode product
// becomes vertical multiply-adds with no per-row reduction, and prefill reuses each decoded block
// for several tokens). Rows past the last full group keep the file's layout. See kernels/packed_layout.h.
constexpr int kPackRows = 16;
constexpr int kPackTokens = 8;  // tokens per packed tile: a decoded block serves up to 8 of them
// Bytes of one packed group (kPackRows rows of ne0 weights).
using PackedBytesFn = size_t (*)(int64_t ne0);
// Packs kPackRows rows (row_bytes apart, the file's layout) into one group at dst.
using PackFn = void (*)(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst);
// y[t * ldy + r] = dot(row r of the group, act row t) for r < kPackRows, t < nt <= kPackTokens.
// act_sums: per activation row, the integer sum of each activation block (stride sums_stride;
// blocks of 32 for Q8_0 activations, 256 for Q8_K), for formats whose codes carry an offset. Bit-identical to the scalar reference for any nt.
using PackedGemmFn = void (*)(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t a_stride,
                              const int32_t* act_sums, int64_t sums_stride, int nt, float* y, int64_t ldy);
// Writes row r (< kPackRows) of a packed group back in the file's layout (row_bytes bytes at dst):
// the exact inverse of PackFn, so a packed matrix needs no other copy (embedding lookups of a tied
// output head read it through this).
using UnpackRowFn = void (*)(const uint8_t* group, int64_t ne0, int r, uint8_t* dst);
// Re-lays a tile of nt <= kPackTokens converted activation rows and their block sums into the
// layout one kernel reads (packed_layout.h, activation tiles): tile_bytes(ne0, nt) bytes at dst.
using ActTileFn = void (*)(int64_t ne0, const uint8_t* act, size_t a_stride, const int32_t* act_sums,
                           int64_t sums_stride, int nt, uint8_t* dst);
using ActTileBytesFn = size_t (*)(int64_t ne0, int nt);
struct PackedKernel {
  PackedBytesFn bytes = nullptr;
  PackFn pack = nullptr;
  UnpackRowFn unpack_row = nullptr;
  PackedGemmFn gemm = nullptr;  // null: this path does not pack the format
  // Non-null: gemm takes its activations as one tile made by tile_act (act = the tile; a_stride,
  // act_sums and sums_stride are unused). matmul makes each token tile once per product.
  ActTileFn tile_act = nullptr;
  ActTileBytesFn tile_bytes = nullptr;
};

// Attention over one KV head of the cache (see kernels.h attn_scores / attn_values); the cache
// element type is fixed per table entry (index: KvType).
using AttnScoresFn = void (*)(const float* q, int64_t ldq, int nq, const void* k, int64_t kstride, int64_t n_kv,
                              int64_t hd, float scale, float* s, int64_t lds);
using AttnValuesFn = void (*)(const float* w, int64_t ldw, int nq, const void* const* v_blocks, int64_t block_rows,
                              int64_t vstride, int64_t n_kv, int64_t hd, float* out, int64_t ldo);
constexpr size_t kKvTypeCount = 2;
// The row operations with exp (kernels.h softmax, swiglu).
using SoftmaxFn = void (*)(float* x, int64_t n);
using SwigluFn = void (*)(const float* g, const float* u, float* out, int64_t n);

struct KernelTable {
  std::string isa = "ref";
  VecDotFn vec_dot[static_cast<size_t>(WeightType::kCount)] = {};
  GemmTileFn gemm[static_cast<size_t>(WeightType::kCount)] = {};  // null: matmul loops vec_dot
  QuantizeRowFn quantize_act[static_cast<size_t>(WeightType::kCount)] = {};
  PackedKernel packed[static_cast<size_t>(WeightType::kCount)] = {};
  AttnScoresFn attn_scores[kKvTypeCount] = {};
  AttnValuesFn attn_values[kKvTypeCount] = {};
  SoftmaxFn softmax = nullptr;
  SwigluFn swiglu = nullptr;
};

// The scalar references of the packed layouts (kernels/ref/packed_ref.cpp): not installed (packing
// only pays with SIMD); tests compare the SIMD packed kernels with these, bit for bit.
PackedKernel packed_reference(WeightType t);
// The float layouts' part of it (kernels/ref/packed_float_ref.cpp), and the installation of a
// path's float products beside the reference's layouts and unpacking; pack16 (null: the
// reference's) packs the two 16-bit layouts, F16x16 and BF16x16.
PackedKernel packed_float_reference(WeightType t);
void install_packed_float(KernelTable& t, PackFn pack16, PackedGemmFn f32, PackedGemmFn f16, PackedGemmFn bf16);

// The scalar references of the attention entries (kernels/ref/attention.cpp).
void register_ref_attention(KernelTable& t);
// The scalar references of softmax and swiglu (kernels/ref/ops.cpp).
void register_ref_ops(KernelTable& t);
// SIMD attention, softmax and swiglu, one per path (kernels/<isa>/attention_<isa>.cpp, from
// kernels/attention_simd.h and kernels/ops_simd.h).
void register_avx2_attention(KernelTable& t);
void register_avx512_attention(KernelTable& t);
void register_neon_attention(KernelTable& t);

// The table in use (built on first call).
const KernelTable& kernel_table();
// Builds the table for one named path ("ref", "avx2", "avx512", ...); "" = best for this CPU.
// Returns false (and leaves `out` as the reference table) if the CPU cannot run that path.
bool build_kernel_table(const std::string& isa, KernelTable* out, std::string* error);

// Per-ISA registration (each in its own translation unit, compiled with its own flags).
void register_avx2_kernels(KernelTable& t);
void register_avx512_kernels(KernelTable& t);
// AArch64: NEON is the baseline (every AArch64 CPU); dotprod (SDOT, Armv8.2 FEAT_DotProd) is
// installed on top of it, so a format without a dotprod kernel keeps its NEON one.
void register_neon_kernels(KernelTable& t);
void register_dotprod_kernels(KernelTable& t);

}  // namespace hymt
