// convert_hf.h: Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json,
// tokenizer_config.json) -> hunyuan-dense GGUF, as `hymt convert` runs it. Hyperparameters come from
// config.json (RoPE alpha folded into the base: rope_theta * alpha^(hd/(hd-2)), spec §2.1), tensor
// names from the spec §2.2 table, the vocabulary from tokenizer.json. Every shape is checked against
// the config before anything is written; the output file appears atomically or not at all.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/status.h"

namespace hymt {

// What the converter takes from config.json (exposed for tests and `hymt convert --dry-run`).
struct HfConfig {
  std::string name;                 // general.name (from the folder name)
  int64_t n_vocab = 0;              // vocab_size
  int64_t n_embd = 0;               // hidden_size
  int64_t n_layer = 0;              // num_hidden_layers
  int64_t n_head = 0;               // num_attention_heads
  int64_t n_head_kv = 0;            // num_key_value_heads (default: n_head)
  int64_t head_dim = 0;             // head_dim / attention_head_dim (default: hidden / heads)
  int64_t n_ff = 0;                 // intermediate_size
  int64_t n_ctx_train = 0;          // max_position_embeddings (0 when absent)
  double rms_eps = 1e-5;            // rms_norm_eps
  double rope_theta = 10000.0;      // rope_theta (top level or in rope_parameters)
  double rope_alpha = 0;            // dynamic-alpha factor, 0 when none
  std::string rope_type;            // "default" or "dynamic"
  double rope_base = 0;             // folded: what GGUF rope.freq_base stores
  std::optional<bool> tied;         // tie_word_embeddings, when the config says
  std::optional<int64_t> bos_id, eos_id, pad_id;  // *_token_id (the first one of a list)
};

// Reads and checks config.json: architecture hunyuan_v1_dense, positive consistent dimensions,
// features hymt runs (QK norm on, no biases, no cross-layer attention, SiLU, RMS norm), RoPE type.
Result<HfConfig> read_hf_config(const std::string& config_json_path);

struct ConvertOptions {
  // "auto" keeps the checkpoint's float type (F32, F16 or BF16) for the matrices; otherwise any
  // `hymt quantize` type name (F32, F16, BF16, Q8_0, Q4_K_M, STQ1_0, ...), with the same
  // mixed-precision policy. Norm vectors are always F32.
  std::string type = "auto";
  std::string embedding_type;  // "" = the policy's default for `type`
  int n_threads = 0;           // 0 = all cores
  // Called after each tensor is written: (done, total).
  std::function<void(size_t, size_t)> progress;
  // Called with each warning before anything is written (tensors stored in another type than the
  // plan's, as quantize.h's type_fallback_warnings words them).
  std::function<void(const std::string&)> warn;
};

// Converts the checkpoint in `hf_dir` and writes `out_path`.
Status convert_hf_to_gguf(const std::string& hf_dir, const std::string& out_path, const ConvertOptions& opt);

}  // namespace hymt
