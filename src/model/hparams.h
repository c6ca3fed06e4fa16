// hparams.h: HunYuan-dense hyperparameters (spec §1, §4.1), read from GGUF metadata and checked
// for consistency before any tensor is touched.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace hymt {

class GgufFile;
class GgufWriter;

struct HParams {
  std::string arch = "hunyuan-dense";
  int64_t n_vocab = 0;
  int64_t n_embd = 0;
  int64_t n_layer = 0;
  int64_t n_head = 0;
  int64_t n_head_kv = 0;
  int64_t head_dim = 0;
  int64_t n_ff = 0;
  float rms_eps = 1e-5f;
  float rope_base = 0;     // as stored: GGUF already folds the dynamic-alpha factor in (spec §0.3)
  int64_t n_ctx_train = 0; // informational only: never used to size the KV cache

  int64_t n_embd_q() const { return n_head * head_dim; }
  int64_t n_embd_kv() const { return n_head_kv * head_dim; }
  std::string to_string() const;
};

// Reads and validates `hunyuan-dense.*` keys. n_vocab comes from the tokenizer token list if
// present, else from hunyuan-dense.vocab_size; the loader cross-checks it with token_embd.
Result<HParams> hparams_from_gguf(const GgufFile& f);

// Writes general.architecture and every `hunyuan-dense.*` key hparams_from_gguf reads (rope scaling
// "none": the base is stored already folded), so every writer of model files (gen-model, convert)
// uses the same names.
void write_hparams(GgufWriter& w, const HParams& hp);

}  // namespace hymt
