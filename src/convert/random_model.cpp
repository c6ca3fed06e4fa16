// random_model.cpp: random-weight HunYuan-dense GGUF writer. Linear weights are uniform with
// variance 1/n_in (activations keep unit scale through the layers), norm weights 1 +- 0.25 (so
// that w[i] != w[i+hd/2] and RoPE/QK-norm order errors show up in tests), embeddings +-0.5.
#include "convert/random_model.h"
#include "model/hparams.h"

#include "convert/quantize.h"

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "core/thread_pool.h"
#include "formats/format_ref.h"
#include "io/gguf.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/hy_special_tokens.h"

namespace hymt {

Result<RandomModelConfig> random_model_preset(const std::string& name) {
  RandomModelConfig c;
  if (name == "tiny") return c;
  if (name == "hy-mt1.5-1.8b" || name == "hy-mt2-1.8b" || name == "1.8b") {
    c.name = name == "1.8b" ? "hy-mt-1.8b-random" : name + "-random";
    c.n_vocab = 120818;
    c.n_embd = 2048;
    c.n_layer = 32;
    c.n_head = 16;
    c.n_head_kv = 4;
    c.head_dim = 128;
    c.n_ff = 6144;
    return c;
  }
  if (name == "hy-mt2-7b" || name == "hy-mt1.5-7b" || name == "7b") {
    // Shapes of the 7B family; the vocabulary here is the 1.8B-style one padded to 128167 ids.
    c.name = name + "-random";
    c.n_vocab = 128167;
    c.n_embd = 4096;
    c.n_layer = 32;
    c.n_head = 32;
    c.n_head_kv = 8;
    c.head_dim = 128;
    c.n_ff = 14336;
    return c;
  }
  return invalid_argument("unknown model preset '" + name + "' (known: tiny, hy-mt1.5-1.8b, hy-mt2-1.8b, hy-mt2-7b)");
}

namespace {

enum class Init { kLinear, kNorm, kEmbedding };

Status check_config(const RandomModelConfig& c) {
  if (c.n_vocab < 256 + kHyNumAddedTokens)
    return invalid_argument("n_vocab must be at least " + std::to_string(256 + kHyNumAddedTokens) +
                            " (256 byte tokens + the 818 HY added tokens)");
  if (c.n_embd <= 0 || c.n_layer <= 0 || c.n_head <= 0 || c.n_head_kv <= 0 || c.n_ff <= 0 || c.head_dim <= 0)
    return invalid_argument("all dimensions must be positive");
  if (c.head_dim % 2) return invalid_argument("head_dim must be even");
  if (c.n_head % c.n_head_kv) return invalid_argument("n_head must be a multiple of n_head_kv");
  return {};
}

}  // namespace

Status write_random_model(const RandomModelConfig& c, const std::string& path,
                          const std::function<void(size_t, size_t)>& progress) {
  HYMT_RETURN_IF_ERROR(check_config(c));
  const WeightType embd_type = c.embd_type == WeightType::kCount ? c.type : c.embd_type;
  for (WeightType t : {c.type, embd_type})
    if (!format_ref(t)) return unsupported(std::string("cannot generate weights of type ") + type_name(t) + " yet");

  GgufWriter w;
  HParams hp;
  hp.n_vocab = c.n_vocab;
  hp.n_embd = c.n_embd;
  hp.n_layer = c.n_layer;
  hp.n_head = c.n_head;
  hp.n_head_kv = c.n_head_kv;
  hp.head_dim = c.head_dim;
  hp.n_ff = c.n_ff;
  hp.rms_eps = c.rms_eps;
  hp.rope_base = c.rope_base;
  hp.n_ctx_train = c.context_length;
  write_hparams(w, hp);
  w.set_string("general.name", c.name);
  w.set_u32("general.quantization_version", 2);

  // Vocabulary: 256 byte tokens, unused fillers, then the 818 HY added tokens at the top (their
  // real ids 120000.. when n_vocab is the real 120818). No merges: every text encodes to bytes.
  const int64_t first_added = c.n_vocab - kHyNumAddedTokens;
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  tokens.reserve(static_cast<size_t>(c.n_vocab));
  for (int b = 0; b < 256; ++b) {
    tokens.push_back(byte_token(static_cast<uint8_t>(b)));
    types.push_back(1);
  }
  for (int64_t id = 256; id < first_added; ++id) {
    tokens.push_back("[PAD" + std::to_string(id) + "]");
    types.push_back(5);
  }
  for (const AddedToken& t : hy_added_tokens()) {
    tokens.push_back(t.text);
    types.push_back(t.special ? 3 : 4);
  }
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_string("tokenizer.ggml.pre", "hunyuan-dense");
  w.set_string_array("tokenizer.ggml.tokens", tokens);
  w.set_i32_array("tokenizer.ggml.token_type", types);
  w.set_string_array("tokenizer.ggml.merges", {});
  w.set_u32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(first_added + kHyBosOffset));
  w.set_u32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(first_added + kHyEosOffset));
  w.set_u32("tokenizer.ggml.padding_token_id", static_cast<uint32_t>(first_added + kHyPadOffset));

  auto pool = std::make_shared<ThreadPool>(c.n_threads);
  auto add = [&](const std::string& name, std::vector<int64_t> ne, WeightType type, Init init) -> Status {
    const int64_t ne0 = ne[0];
    const uint64_t seed = c.seed ^ hash_string(name);
    return w.add_tensor(name, ne, type, [=](uint8_t* dst, size_t n_bytes) -> Status {
      const int64_t rows = static_cast<int64_t>(n_bytes / *row_bytes(type, ne0));
      const size_t rb = *row_bytes(type, ne0);
      const FormatRef* ref = format_ref(type);
      const float lin = std::sqrt(3.0f / static_cast<float>(ne0));
      pool->parallel_for(rows, [&](int64_t r0, int64_t r1, int) {
        std::vector<float> row(static_cast<size_t>(ne0));
        for (int64_t r = r0; r < r1; ++r) {
          SplitMix64 rng(seed + static_cast<uint64_t>(r) * 0x9e3779b97f4a7c15ull);
          for (auto& x : row) {
            const float u = rng.uniform();
            x = init == Init::kLinear ? u * lin : init == Init::kNorm ? 1.0f + 0.25f * u : 0.5f * u;
          }
          ref->quantize_row(row.data(), dst + static_cast<size_t>(r) * rb, ne0);
        }
      });
      return {};
    });
  };

  HYMT_RETURN_IF_ERROR(add("token_embd.weight", {c.n_embd, c.n_vocab}, embd_type, Init::kEmbedding));
  HYMT_RETURN_IF_ERROR(add("output_norm.weight", {c.n_embd}, WeightType::kF32, Init::kNorm));
  if (!c.tied) HYMT_RETURN_IF_ERROR(add("output.weight", {c.n_embd, c.n_vocab}, embd_type, Init::kEmbedding));
  const int64_t q = c.n_head * c.head_dim, kv = c.n_head_kv * c.head_dim;
  for (int64_t l = 0; l < c.n_layer; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    HYMT_RETURN_IF_ERROR(add(b + "attn_norm.weight", {c.n_embd}, WeightType::kF32, Init::kNorm));
    HYMT_RETURN_IF_ERROR(add(b + "attn_q.weight", {c.n_embd, q}, c.type, Init::kLinear));
    HYMT_RETURN_IF_ERROR(add(b + "attn_k.weight", {c.n_embd, kv}, c.type, Init::kLinear));
    HYMT_RETURN_IF_ERROR(add(b + "attn_v.weight", {c.n_embd, kv}, c.type, Init::kLinear));
    HYMT_RETURN_IF_ERROR(add(b + "attn_output.weight", {q, c.n_embd}, c.type, Init::kLinear));
    HYMT_RETURN_IF_ERROR(add(b + "attn_q_norm.weight", {c.head_dim}, WeightType::kF32, Init::kNorm));
    HYMT_RETURN_IF_ERROR(add(b + "attn_k_norm.weight", {c.head_dim}, WeightType::kF32, Init::kNorm));
    HYMT_RETURN_IF_ERROR(add(b + "ffn_norm.weight", {c.n_embd}, WeightType::kF32, Init::kNorm));
    HYMT_RETURN_IF_ERROR(add(b + "ffn_gate.weight", {c.n_embd, c.n_ff}, c.type, Init::kLinear));
    HYMT_RETURN_IF_ERROR(add(b + "ffn_up.weight", {c.n_embd, c.n_ff}, c.type, Init::kLinear));
    HYMT_RETURN_IF_ERROR(add(b + "ffn_down.weight", {c.n_ff, c.n_embd}, c.type, Init::kLinear));
  }
  w.set_u32("general.file_type", llama_ftype_of(c.type));
  // The official Hy-MT2 1.25-bit file marks its stride-16 STQ1_0 lanes this way (spec §4.1); the
  // older lane order gets a marker the reader also understands.
  if (c.type == WeightType::kSTQ1_0) w.set_string("general.finetune", "2bit-stride16");
  if (c.type == WeightType::kSTQ1_0_CONSEC) w.set_string("general.finetune", "stq-consecutive");
  if (progress) w.on_progress(progress);
  return w.write(path);
}

}  // namespace hymt
