// hparams.cpp: metadata -> HParams with the refusals the spec asks for (missing keys, values that
// contradict each other, rope scaling re-introduced).
#include "model/hparams.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/gguf.h"

namespace hymt {

namespace {

Result<int64_t> get_int(const GgufFile& f, const std::string& key, bool required, int64_t fallback) {
  const GgufValue* v = f.find(key);
  if (!v) {
    if (required) return not_found("missing metadata key '" + key + "'");
    return fallback;
  }
  auto i = v->as_int();
  if (!i && v->is_integer())  // a u64 above 2^63: no hyperparameter is that large
    return corrupt_file("metadata key '" + key + "' has the out-of-range value " + std::to_string(v->u));
  if (!i)
    return corrupt_file("metadata key '" + key + "' has type " + gguf_type_name(v->type) + ", expected an integer");
  return *i;
}

Result<double> get_float(const GgufFile& f, const std::string& key, bool required, double fallback) {
  const GgufValue* v = f.find(key);
  if (!v) {
    if (required) return not_found("missing metadata key '" + key + "'");
    return fallback;
  }
  auto x = v->as_number();
  if (!x) return corrupt_file("metadata key '" + key + "' has type " + gguf_type_name(v->type) + ", expected a number");
  return *x;
}

// %g keeps small epsilons readable ("1e-05", where std::to_string prints "0.000010").
std::string num(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", x);
  return b;
}

}  // namespace

std::string HParams::to_string() const {
  return "n_vocab=" + std::to_string(n_vocab) + " n_embd=" + std::to_string(n_embd) + " n_layer=" +
         std::to_string(n_layer) + " n_head=" + std::to_string(n_head) + " n_head_kv=" + std::to_string(n_head_kv) +
         " head_dim=" + std::to_string(head_dim) + " n_ff=" + std::to_string(n_ff);
}

Result<HParams> hparams_from_gguf(const GgufFile& f) {
  HParams hp;
  const GgufValue* arch = f.find("general.architecture");
  if (!arch) return not_found("missing metadata key 'general.architecture'");
  if (arch->type != GgufType::kString)
    return corrupt_file(std::string("general.architecture has type ") + gguf_type_name(arch->type) +
                        ", expected a string");
  if (arch->s != "hunyuan-dense")
    return unsupported("architecture '" + arch->s + "' is not supported (hymt runs 'hunyuan-dense')");
  const std::string p = "hunyuan-dense.";

  HYMT_ASSIGN_OR_RETURN(hp.n_layer, get_int(f, p + "block_count", true, 0));
  HYMT_ASSIGN_OR_RETURN(hp.n_embd, get_int(f, p + "embedding_length", true, 0));
  HYMT_ASSIGN_OR_RETURN(hp.n_ff, get_int(f, p + "feed_forward_length", true, 0));
  HYMT_ASSIGN_OR_RETURN(hp.n_head, get_int(f, p + "attention.head_count", true, 0));
  HYMT_ASSIGN_OR_RETURN(hp.n_head_kv, get_int(f, p + "attention.head_count_kv", false, hp.n_head));
  HYMT_ASSIGN_OR_RETURN(hp.n_ctx_train, get_int(f, p + "context_length", false, 0));
  double eps, base;
  HYMT_ASSIGN_OR_RETURN(eps, get_float(f, p + "attention.layer_norm_rms_epsilon", true, 0));
  HYMT_ASSIGN_OR_RETURN(base, get_float(f, p + "rope.freq_base", true, 0));

  auto bad = [](const std::string& m) { return corrupt_file("inconsistent hyperparameters: " + m); };
  if (hp.n_layer <= 0 || hp.n_layer > 1024) return bad("block_count " + std::to_string(hp.n_layer));
  if (hp.n_embd <= 0 || hp.n_embd > (1 << 20)) return bad("embedding_length " + std::to_string(hp.n_embd));
  if (hp.n_ff <= 0 || hp.n_ff > (1 << 22)) return bad("feed_forward_length " + std::to_string(hp.n_ff));
  if (hp.n_head <= 0 || hp.n_head > 4096) return bad("head_count " + std::to_string(hp.n_head));
  if (hp.n_head_kv <= 0 || hp.n_head % hp.n_head_kv != 0)
    return bad("head_count " + std::to_string(hp.n_head) + " is not a multiple of head_count_kv " +
               std::to_string(hp.n_head_kv));

  int64_t key_len, val_len;
  HYMT_ASSIGN_OR_RETURN(key_len, get_int(f, p + "attention.key_length", false, -1));
  HYMT_ASSIGN_OR_RETURN(val_len, get_int(f, p + "attention.value_length", false, key_len));
  if (key_len < 0) {
    if (hp.n_embd % hp.n_head != 0)
      return bad("embedding_length " + std::to_string(hp.n_embd) + " is not divisible by head_count and " +
                 "attention.key_length is missing");
    key_len = hp.n_embd / hp.n_head;
    if (val_len < 0) val_len = key_len;
  }
  if (key_len != val_len)
    return unsupported("attention.key_length " + std::to_string(key_len) + " differs from value_length " +
                       std::to_string(val_len));
  if (key_len <= 0 || key_len % 2 != 0 || key_len > 1024)
    return bad("head dimension " + std::to_string(key_len) + " (must be even, 2 to 1024)");
  hp.head_dim = key_len;

  int64_t rope_dims;
  HYMT_ASSIGN_OR_RETURN(rope_dims, get_int(f, p + "rope.dimension_count", false, hp.head_dim));
  if (rope_dims != hp.head_dim)
    return unsupported("rope.dimension_count " + std::to_string(rope_dims) + " differs from the head dimension " +
                       std::to_string(hp.head_dim) + " (HunYuan-dense rotates the full head)");
  if (const GgufValue* st = f.find(p + "rope.scaling.type")) {
    if (st->type != GgufType::kString) return corrupt_file(p + "rope.scaling.type is not a string");
    if (st->s != "none")
      return unsupported("rope.scaling.type '" + st->s + "' is not supported: HY-MT GGUF files store the " +
                         "alpha-folded base with scaling 'none'");
  }
  if (!(static_cast<float>(eps) > 0 && eps < 1)) return bad("layer_norm_rms_epsilon " + num(eps));
  // Checked as a float too: the base is stored and used in f32, and 1e300 is finite only in f64.
  if (!(base > 1 && std::isfinite(static_cast<float>(base)))) return bad("rope.freq_base " + num(base));
  hp.rms_eps = static_cast<float>(eps);
  hp.rope_base = static_cast<float>(base);

  int64_t vocab_key;
  HYMT_ASSIGN_OR_RETURN(vocab_key, get_int(f, p + "vocab_size", false, -1));
  if (f.find(p + "vocab_size") && vocab_key <= 0) return bad("vocab_size " + std::to_string(vocab_key));
  int64_t n_tokens = -1;
  if (const GgufValue* toks = f.find("tokenizer.ggml.tokens")) {
    if (toks->type != GgufType::kArray || toks->elem_type != GgufType::kString)
      return corrupt_file("tokenizer.ggml.tokens is not an array of strings");
    n_tokens = static_cast<int64_t>(toks->arr.size());
  }
  if (vocab_key >= 0 && n_tokens >= 0 && vocab_key != n_tokens)
    return bad("vocab_size " + std::to_string(vocab_key) + " but tokenizer.ggml.tokens has " +
               std::to_string(n_tokens) + " entries");
  hp.n_vocab = n_tokens >= 0 ? n_tokens : vocab_key;  // -1: taken from token_embd by the loader
  return hp;
}

void write_hparams(GgufWriter& w, const HParams& hp) {
  const std::string a = "hunyuan-dense.";
  auto u32 = [](int64_t v) { return static_cast<uint32_t>(std::clamp<int64_t>(v, 0, 0xffffffffLL)); };
  w.set_string("general.architecture", "hunyuan-dense");
  w.set_u32(a + "block_count", u32(hp.n_layer));
  w.set_u32(a + "context_length", u32(hp.n_ctx_train));
  w.set_u32(a + "embedding_length", u32(hp.n_embd));
  w.set_u32(a + "feed_forward_length", u32(hp.n_ff));
  w.set_u32(a + "attention.head_count", u32(hp.n_head));
  w.set_u32(a + "attention.head_count_kv", u32(hp.n_head_kv));
  w.set_u32(a + "attention.key_length", u32(hp.head_dim));
  w.set_u32(a + "attention.value_length", u32(hp.head_dim));
  w.set_f32(a + "attention.layer_norm_rms_epsilon", hp.rms_eps);
  w.set_u32(a + "rope.dimension_count", u32(hp.head_dim));
  w.set_f32(a + "rope.freq_base", hp.rope_base);
  w.set_string(a + "rope.scaling.type", "none");
  w.set_f32(a + "rope.scaling.factor", 1.0f);
  w.set_u32(a + "vocab_size", u32(hp.n_vocab));
}

}  // namespace hymt
