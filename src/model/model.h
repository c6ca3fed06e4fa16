// model.h: a loaded HunYuan-dense model: hyperparameters plus read-only views of the weights in the
// memory-mapped GGUF file. Where the kernel path has a packed (row-interleaved) kernel for a
// matrix's type, the matrix is copied into that layout at load and its mapped pages are released
// (HYMT_REPACK=0 keeps every weight in the mapping only). A Model is immutable after load and may be shared by any number of
// Sessions (one per sequence) and threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "io/gguf.h"
#include "kernels/kernels.h"
#include "model/hparams.h"

namespace hymt {

struct LayerWeights {
  std::vector<float> attn_norm, ffn_norm, q_norm, k_norm;  // small: dequantized at load
  WeightView wq, wk, wv, wo, gate, up, down;
  // True when the matrices share an activation format, so one conversion serves them all
  // (mixed-precision files such as Q4_K_M may give attn_v another type than attn_q).
  bool qkv_fusable = false, gate_up_fusable = false;
};

// One row of the tensor-name table: what the loader expects to find in a GGUF file.
struct TensorSpec {
  std::string name;
  int64_t ne0 = 0;
  int64_t ne1 = 0;  // 0 for vectors
  bool optional = false;
};
// The complete table for these hyperparameters (spec §2.2): drives loading, validation and `info`.
std::vector<TensorSpec> expected_tensors(const HParams& hp);

class Model {
 public:
  // pack = false skips the load-time packing (for commands that only inspect the file).
  static Result<std::unique_ptr<Model>> load(const std::string& path, bool pack = true);

  const HParams& hparams() const { return hp_; }
  const GgufFile& gguf() const { return *file_; }
  const WeightView& token_embd() const { return tok_embd_; }
  const WeightView& output() const { return output_; }  // == token_embd() when tied
  bool tied_output() const { return tied_; }
  const std::vector<float>& output_norm() const { return output_norm_; }
  const LayerWeights& layer(int64_t l) const { return layers_[static_cast<size_t>(l)]; }
  const std::vector<float>& rope_inv_freq() const { return inv_freq_; }

 private:
  Model() = default;
  Status bind();
  void pack_weights();
  // For a file whose STQ1_0 lane layout neither the environment nor the metadata names: reads the
  // model both ways and keeps the one that predicts a reference translation (stq_layout_check.cpp).
  Status decide_stq_layout();

  std::unique_ptr<GgufFile> file_;
  HParams hp_;
  WeightView tok_embd_, output_;
  bool tied_ = true;
  std::vector<float> output_norm_;
  std::vector<LayerWeights> layers_;
  std::vector<float> inv_freq_;
  // Row-interleaved copies of the matrices the kernel path packs (kernels.h pack_weight).
  std::vector<LargeBuffer> packed_;
};

}  // namespace hymt
