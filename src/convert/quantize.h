// quantize.h: whole-model quantization (`hymt quantize`), following the mixed-precision policy of
// the official files: the 7 matrices of every layer in the target type (with Q4_K_M's Q6_K layers
// for attn_v/ffn_down), token embedding / tied head in Q6_K unless told otherwise, norms in F32.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "formats/ggml_type.h"

namespace hymt {

struct QuantizeOptions {
  std::string type;            // STQ1_0, Q2_0C, Q4_K_M, Q4_K_S, Q6_K, Q8_0, Q4_0, F16, ... (case-insensitive)
  std::string embedding_type;  // "" = policy default
  int n_threads = 0;           // 0 = all cores
  // Called after each tensor: (done, total, tensor name).
  std::function<void(size_t, size_t, const std::string&)> progress;
};

// What `type` puts where, for one tensor of a model with n_layer layers (exposed for tests and
// `hymt quantize --dry-run`).
struct QuantPlan {
  WeightType linear = WeightType::kF32;   // default for layer matrices
  WeightType more_bits = WeightType::kF32;  // attn_v / ffn_down in "use more bits" layers (Q4_K_M)
  WeightType embedding = WeightType::kF32;
  uint32_t file_type = 0;                 // general.file_type (llama_ftype)
  std::string name;
};
Result<QuantPlan> quant_plan(const std::string& type, const std::string& embedding_type);
WeightType planned_type(const QuantPlan& plan, const std::string& tensor_name, int64_t n_layer);

// general.file_type (llama_ftype) of a model whose layer matrices are `linear` (K-quants as their
// _M mix, Tencent's 39 for Q2_0C and 41 for STQ1_0).
uint32_t llama_ftype_of(WeightType linear);

Status quantize_model(const std::string& in_path, const std::string& out_path, const QuantizeOptions& opt);

}  // namespace hymt
