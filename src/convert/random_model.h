// random_model.h: writes HunYuan-dense GGUF files with random weights of any shape and weight type,
// with a byte-level vocabulary and the real HY added tokens, so tests and benchmarks need no
// download. Weights are deterministic in (seed, tensor name, row).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "formats/ggml_type.h"

namespace hymt {

struct RandomModelConfig {
  std::string name = "hymt-random";
  int64_t n_vocab = 1536;  // >= 256 byte tokens + 818 added tokens
  int64_t n_embd = 256;
  int64_t n_layer = 2;
  int64_t n_head = 4;
  int64_t n_head_kv = 2;
  int64_t head_dim = 64;
  int64_t n_ff = 512;
  float rms_eps = 1e-5f;
  float rope_base = 11158840.0f;  // 10000 * 1000^(128/126), as the official files store it
  int64_t context_length = 262144;
  WeightType type = WeightType::kF32;        // the 7 matrices of every layer
  WeightType embd_type = WeightType::kCount; // kCount: same as `type`
  bool tied = true;                          // false adds an output.weight
  uint64_t seed = 42;
  int n_threads = 0;                         // 0: all cores
};

// Named shapes: "tiny" (the defaults), "hy-mt1.5-1.8b" / "hy-mt2-1.8b" (spec §1, exact), "hy-mt2-7b".
Result<RandomModelConfig> random_model_preset(const std::string& name);

Status write_random_model(const RandomModelConfig& cfg, const std::string& path,
                          const std::function<void(size_t, size_t)>& progress = nullptr);

}  // namespace hymt
