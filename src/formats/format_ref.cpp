// format_ref.cpp: the table of reference implementations by type.
#include "formats/format_ref.h"

namespace hymt {

namespace {
const FormatRef kRefs[] = {
    {WeightType::kF32, WeightType::kF32, dequantize_row_f32, quantize_row_f32, vec_dot_f32_f32},
    {WeightType::kF16, WeightType::kF32, dequantize_row_f16, quantize_row_f16, vec_dot_f16_f32},
    {WeightType::kBF16, WeightType::kF32, dequantize_row_bf16, quantize_row_bf16, vec_dot_bf16_f32},
    {WeightType::kQ8_0, WeightType::kQ8_0, dequantize_row_q8_0, quantize_row_q8_0, vec_dot_q8_0_q8_0},
};
}  // namespace

const FormatRef* format_ref(WeightType t) {
  for (const FormatRef& r : kRefs)
    if (r.type == t) return &r;
  return nullptr;
}

}  // namespace hymt
