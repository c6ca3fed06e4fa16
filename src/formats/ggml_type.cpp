// ggml_type.cpp: block geometry per type (spec §5.1) and the GGUF id mapping, including the
// producers' conflicting uses of ids 40..43 (spec §4.3).
#include "formats/ggml_type.h"

#include <algorithm>
#include <cctype>

namespace hymt {

namespace {

struct Row {
  WeightType type;
  WeightTypeInfo info;
  int gguf_id;  // -1: we never write it
};

constexpr Row kRows[] = {
    {WeightType::kF32, {"F32", 1, 4}, 0},
    {WeightType::kF16, {"F16", 1, 2}, 1},
    {WeightType::kBF16, {"BF16", 1, 2}, 30},
    {WeightType::kQ4_0, {"Q4_0", 32, 18}, 2},
    {WeightType::kQ4_1, {"Q4_1", 32, 20}, 3},
    {WeightType::kQ5_0, {"Q5_0", 32, 22}, 6},
    {WeightType::kQ5_1, {"Q5_1", 32, 24}, 7},
    {WeightType::kQ8_0, {"Q8_0", 32, 34}, 8},
    {WeightType::kQ8_1, {"Q8_1", 32, 36}, 9},
    {WeightType::kQ2_K, {"Q2_K", 256, 84}, 10},
    {WeightType::kQ3_K, {"Q3_K", 256, 110}, 11},
    {WeightType::kQ4_K, {"Q4_K", 256, 144}, 12},
    {WeightType::kQ5_K, {"Q5_K", 256, 176}, 13},
    {WeightType::kQ6_K, {"Q6_K", 256, 210}, 14},
    {WeightType::kQ8_K, {"Q8_K", 256, 292}, 15},
    {WeightType::kTQ1_0, {"TQ1_0", 256, 54}, 34},
    {WeightType::kTQ2_0, {"TQ2_0", 256, 66}, 35},
    {WeightType::kMXFP4, {"MXFP4", 32, 17}, 39},
    {WeightType::kQ2_0C, {"Q2_0C", 512, 130}, 40},
    {WeightType::kSTQ1_0, {"STQ1_0", 256, 42}, 42},
    {WeightType::kSTQ1_0_CONSEC, {"STQ1_0_CONSEC", 256, 42}, 42},
    {WeightType::kNVFP4, {"NVFP4", 64, 36}, -1},
    {WeightType::kQ1_0, {"Q1_0", 128, 18}, -1},
    {WeightType::kQ2_0, {"Q2_0", 64, 18}, -1},
    {WeightType::kI8, {"I8", 1, 1}, 24},
    {WeightType::kI16, {"I16", 1, 2}, 25},
    {WeightType::kI32, {"I32", 1, 4}, 26},
    {WeightType::kI64, {"I64", 1, 8}, 27},
    {WeightType::kF64, {"F64", 1, 8}, 28},
};
static_assert(sizeof(kRows) / sizeof(kRows[0]) == static_cast<size_t>(WeightType::kCount),
              "one row per WeightType");

const Row& row_of(WeightType t) {
  for (const Row& r : kRows)
    if (r.type == t) return r;
  return kRows[0];  // unreachable: the static_assert keeps the table complete
}

}  // namespace

const WeightTypeInfo& type_info(WeightType t) { return row_of(t).info; }

std::optional<size_t> row_bytes(WeightType t, int64_t ne0) {
  const WeightTypeInfo& info = type_info(t);
  if (ne0 < 0 || ne0 % info.block != 0) return std::nullopt;
  return static_cast<size_t>(ne0 / info.block) * info.block_bytes;
}

uint32_t gguf_type_id(WeightType t) {
  int id = row_of(t).gguf_id;
  return id < 0 ? 0xffffffffu : static_cast<uint32_t>(id);
}

std::optional<WeightType> unambiguous_type_for_gguf_id(uint32_t id) {
  if (id >= 40 && id <= 43) return std::nullopt;
  for (const Row& r : kRows)
    if (r.gguf_id >= 0 && static_cast<uint32_t>(r.gguf_id) == id) return r.type;
  return std::nullopt;
}

std::vector<WeightType> candidates_for_gguf_id(uint32_t id) {
  switch (id) {
    // Upstream ggml: 40 NVFP4, 41 Q1_0, 42 Q2_0. Tencent: 40 Q2_0C, 42 STQ1_0 (an early AngelSlim
    // file used 40 for STQ1_0). The STQ pull request head: 43 STQ1_0.
    case 40: return {WeightType::kQ2_0C, WeightType::kSTQ1_0, WeightType::kNVFP4};
    case 41: return {WeightType::kQ1_0, WeightType::kSTQ1_0};
    case 42: return {WeightType::kSTQ1_0, WeightType::kQ2_0};
    case 43: return {WeightType::kSTQ1_0};
    default: {
      auto t = unambiguous_type_for_gguf_id(id);
      if (t) return {*t};
      return {};
    }
  }
}

std::optional<WeightType> parse_type_name(const std::string& s) {
  std::string u = s;
  std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const Row& r : kRows)
    if (u == r.info.name) return r.type;
  return std::nullopt;
}

}  // namespace hymt
