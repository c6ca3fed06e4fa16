// quantize.h: whole-model quantization (`hymt quantize`), following the mixed-precision policy of
// the official files: the 7 matrices of every layer in the target type (with Q4_K_M's Q6_K layers
// for attn_v/ffn_down), token embedding / tied head in Q6_K unless told otherwise, norms in F32.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "formats/ggml_type.h"

namespace hymt {

struct QuantizeOptions {
  std::string type;            // STQ1_0, Q2_0C, Q4_K_M, Q4_K_S, Q6_K, Q8_0, Q4_0, F16, ... (case-insensitive)
  std::string embedding_type;  // "" = policy default
  int n_threads = 0;           // 0 = all cores
  // Called after each tensor: (done, total, tensor name).
  std::function<void(size_t, size_t, const std::string&)> progress;
  // Called with each warning, before anything is written: tensors stored in another type than the
  // plan's (type_fallback_warnings) and an input that is already quantized.
  std::function<void(const std::string&)> warn;
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

// A tensor whose row length the planned type's block cannot divide is stored in the nearest type
// that can: Q8_0 when 32 divides the row, else F16 (any row). Returns `planned` when it fits.
WeightType fitting_type(WeightType planned, int64_t row_length);

// One tensor stored in another type than planned.
struct TypeFallback {
  std::string tensor;
  int64_t row_length = 0;
  WeightType planned = WeightType::kF32, used = WeightType::kF32;
};
// One line per (planned, used) pair, naming the count, both types, the block size and the first
// three tensors: "2 tensors written as Q8_0 instead of Q4_K (row length not a multiple of Q4_K's
// block of 256): blk.0.ffn_down.weight (row 192), blk.1.ffn_down.weight (row 192)".
std::vector<std::string> type_fallback_warnings(const std::vector<TypeFallback>& fallbacks);

Status quantize_model(const std::string& in_path, const std::string& out_path, const QuantizeOptions& opt);

}  // namespace hymt
