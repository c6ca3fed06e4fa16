// format_ref.cpp: the table of reference implementations by type, with the activation format each
// weight format's dot product expects (llama.cpp's pairing; docs/formats.md).
#include "formats/format_ref.h"

namespace hymt {

namespace {
const FormatRef kRefs[] = {
    {WeightType::kF32, WeightType::kF32, dequantize_row_f32, quantize_row_f32, vec_dot_f32_f32},
    {WeightType::kF16, WeightType::kF32, dequantize_row_f16, quantize_row_f16, vec_dot_f16_f32},
    {WeightType::kBF16, WeightType::kF32, dequantize_row_bf16, quantize_row_bf16, vec_dot_bf16_f32},
    {WeightType::kQ8_0, WeightType::kQ8_0, dequantize_row_q8_0, quantize_row_q8_0, vec_dot_q8_0_q8_0},
    {WeightType::kQ8_K, WeightType::kQ8_K, dequantize_row_q8_k, quantize_row_q8_k, vec_dot_q8_k_q8_k},
    {WeightType::kQ4_0, WeightType::kQ8_0, dequantize_row_q4_0, quantize_row_q4_0, vec_dot_q4_0_q8_0},
    {WeightType::kQ4_1, WeightType::kQ8_0, dequantize_row_q4_1, quantize_row_q4_1, vec_dot_q4_1_q8_0},
    {WeightType::kQ5_0, WeightType::kQ8_0, dequantize_row_q5_0, quantize_row_q5_0, vec_dot_q5_0_q8_0},
    {WeightType::kQ5_1, WeightType::kQ8_0, dequantize_row_q5_1, quantize_row_q5_1, vec_dot_q5_1_q8_0},
    {WeightType::kQ2_K, WeightType::kQ8_K, dequantize_row_q2_k, quantize_row_q2_k, vec_dot_q2_k_q8_k},
    {WeightType::kQ4_K, WeightType::kQ8_K, dequantize_row_q4_k, quantize_row_q4_k, vec_dot_q4_k_q8_k},
    {WeightType::kQ5_K, WeightType::kQ8_K, dequantize_row_q5_k, quantize_row_q5_k, vec_dot_q5_k_q8_k},
    {WeightType::kQ6_K, WeightType::kQ8_K, dequantize_row_q6_k, quantize_row_q6_k, vec_dot_q6_k_q8_k},
    {WeightType::kTQ1_0, WeightType::kQ8_K, dequantize_row_tq1_0, quantize_row_tq1_0, vec_dot_tq1_0_q8_k},
    {WeightType::kTQ2_0, WeightType::kQ8_K, dequantize_row_tq2_0, quantize_row_tq2_0, vec_dot_tq2_0_q8_k},
    {WeightType::kQ2_0C, WeightType::kQ8_K, dequantize_row_q2_0c, quantize_row_q2_0c, vec_dot_q2_0c_q8_k},
    {WeightType::kSTQ1_0, WeightType::kQ8_K, dequantize_row_stq1_0, quantize_row_stq1_0, vec_dot_stq1_0_q8_k},
    {WeightType::kSTQ1_0_CONSEC, WeightType::kQ8_K, dequantize_row_stq1_0_consec, quantize_row_stq1_0_consec,
     vec_dot_stq1_0_consec_q8_k},
};
}  // namespace

const FormatRef* format_ref(WeightType t) {
  for (const FormatRef& r : kRefs)
    if (r.type == t) return &r;
  return nullptr;
}

}  // namespace hymt
