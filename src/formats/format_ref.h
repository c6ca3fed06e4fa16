// format_ref.h: the scalar reference of each weight format, the oracle every SIMD kernel is tested
// against. A format's dot product takes the activation row already converted to the format's
// `act_type` (F32 for float weights, Q8_0 for Q8_0 weights, as llama.cpp pairs them), so a kernel
// converts each activation row once and reuses it for every weight row.
#pragma once

#include <cstdint>

#include "formats/ggml_type.h"

namespace hymt {

struct FormatRef {
  WeightType type;
  WeightType act_type;  // activation format the dot product expects
  // n values of one row: dequantize src -> dst.
  void (*dequantize_row)(const void* src, float* dst, int64_t n);
  // n values (a multiple of the block size): quantize src -> dst (reference rounding).
  void (*quantize_row)(const float* src, void* dst, int64_t n);
  // Dot product of n weights with n activations in act_type.
  float (*vec_dot)(int64_t n, const void* w, const void* act);
};

// nullptr when the type has no reference implementation yet.
const FormatRef* format_ref(WeightType t);

// Reference implementations, one set per format (src/formats/<format>.cpp).
void dequantize_row_f32(const void* src, float* dst, int64_t n);
void quantize_row_f32(const float* src, void* dst, int64_t n);
float vec_dot_f32_f32(int64_t n, const void* w, const void* act);
void dequantize_row_f16(const void* src, float* dst, int64_t n);
void quantize_row_f16(const float* src, void* dst, int64_t n);
float vec_dot_f16_f32(int64_t n, const void* w, const void* act);
void dequantize_row_bf16(const void* src, float* dst, int64_t n);
void quantize_row_bf16(const float* src, void* dst, int64_t n);
float vec_dot_bf16_f32(int64_t n, const void* w, const void* act);
void dequantize_row_q8_0(const void* src, float* dst, int64_t n);
void quantize_row_q8_0(const float* src, void* dst, int64_t n);
float vec_dot_q8_0_q8_0(int64_t n, const void* w, const void* act);
void dequantize_row_q8_k(const void* src, float* dst, int64_t n);
void quantize_row_q8_k(const float* src, void* dst, int64_t n);
float vec_dot_q8_k_q8_k(int64_t n, const void* w, const void* act);

void dequantize_row_q4_0(const void* src, float* dst, int64_t n);
void quantize_row_q4_0(const float* src, void* dst, int64_t n);
float vec_dot_q4_0_q8_0(int64_t n, const void* w, const void* act);
void dequantize_row_q4_1(const void* src, float* dst, int64_t n);
void quantize_row_q4_1(const float* src, void* dst, int64_t n);
float vec_dot_q4_1_q8_0(int64_t n, const void* w, const void* act);
void dequantize_row_q5_0(const void* src, float* dst, int64_t n);
void quantize_row_q5_0(const float* src, void* dst, int64_t n);
float vec_dot_q5_0_q8_0(int64_t n, const void* w, const void* act);
void dequantize_row_q5_1(const void* src, float* dst, int64_t n);
void quantize_row_q5_1(const float* src, void* dst, int64_t n);
float vec_dot_q5_1_q8_0(int64_t n, const void* w, const void* act);

void dequantize_row_q2_k(const void* src, float* dst, int64_t n);
void quantize_row_q2_k(const float* src, void* dst, int64_t n);
float vec_dot_q2_k_q8_k(int64_t n, const void* w, const void* act);
void dequantize_row_q4_k(const void* src, float* dst, int64_t n);
void quantize_row_q4_k(const float* src, void* dst, int64_t n);
float vec_dot_q4_k_q8_k(int64_t n, const void* w, const void* act);
void dequantize_row_q5_k(const void* src, float* dst, int64_t n);
void quantize_row_q5_k(const float* src, void* dst, int64_t n);
float vec_dot_q5_k_q8_k(int64_t n, const void* w, const void* act);
void dequantize_row_q6_k(const void* src, float* dst, int64_t n);
void quantize_row_q6_k(const float* src, void* dst, int64_t n);
float vec_dot_q6_k_q8_k(int64_t n, const void* w, const void* act);

void dequantize_row_tq1_0(const void* src, float* dst, int64_t n);
void quantize_row_tq1_0(const float* src, void* dst, int64_t n);
float vec_dot_tq1_0_q8_k(int64_t n, const void* w, const void* act);
void dequantize_row_tq2_0(const void* src, float* dst, int64_t n);
void quantize_row_tq2_0(const float* src, void* dst, int64_t n);
float vec_dot_tq2_0_q8_k(int64_t n, const void* w, const void* act);

void dequantize_row_q2_0c(const void* src, float* dst, int64_t n);
void quantize_row_q2_0c(const float* src, void* dst, int64_t n);
float vec_dot_q2_0c_q8_k(int64_t n, const void* w, const void* act);

// STQ1_0, stride-16 lanes (WeightType::kSTQ1_0) and consecutive lanes (kSTQ1_0_CONSEC).
void dequantize_row_stq1_0(const void* src, float* dst, int64_t n);
void quantize_row_stq1_0(const float* src, void* dst, int64_t n);  // absmax scale
float vec_dot_stq1_0_q8_k(int64_t n, const void* w, const void* act);
void dequantize_row_stq1_0_consec(const void* src, float* dst, int64_t n);
void quantize_row_stq1_0_consec(const float* src, void* dst, int64_t n);  // absmax scale
float vec_dot_stq1_0_consec_q8_k(int64_t n, const void* w, const void* act);

enum class StqLayout { kStride16, kConsecutive };
enum class StqScale {
  kAbsmax,         // d = max |x| of the block (llama.cpp's reference; exact for ternary QAT weights)
  kSparseAbsmean,  // d = mean |x| of the 192 non-zero lanes (least-squares optimal for the codes)
};
void quantize_row_stq1_0_opts(const float* src, void* dst, int64_t n, StqLayout layout, StqScale scale);

}  // namespace hymt
