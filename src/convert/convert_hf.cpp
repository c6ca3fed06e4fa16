// convert_hf.cpp: Hugging Face HunYuan-dense checkpoint -> GGUF. Three checked stages: config.json ->
// HfConfig (refusing features hymt does not run), tokenizer.json (+ tokenizer_config.json) -> the
// tokenizer.ggml.* arrays (validated first by the engine's own tokenizer loader), safetensors ->
// tensors by the spec §2.2 name table with every shape derived from the config. Nothing is written
// until all three succeed; GgufWriter then converts row by row, in parallel, into a temporary file.
#include "convert/convert_hf.h"
#include "model/hparams.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "convert/quantize.h"
#include "core/thread_pool.h"
#include "formats/format_ref.h"
#include "io/file_util.h"
#include "io/gguf.h"
#include "io/safetensors.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/tokenizer.h"

namespace hymt {

namespace {

using json = nlohmann::json;

Result<json> load_json(const std::string& path) {
  HYMT_ASSIGN_OR_RETURN(std::string text, read_file(path));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return corrupt_file(path + ": not valid JSON");
  if (!j.is_object()) return corrupt_file(path + ": not a JSON object");
  return j;
}

const json* member(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

Result<std::optional<int64_t>> opt_int(const json& j, const char* key, const std::string& where) {
  const json* v = member(j, key);
  if (!v) return std::optional<int64_t>();
  if (!v->is_number_integer()) return corrupt_file(where + ": '" + key + "' must be an integer, not " + v->dump());
  return std::optional<int64_t>(v->get<int64_t>());
}

Result<int64_t> req_int(const json& j, const char* key, const std::string& where) {
  HYMT_ASSIGN_OR_RETURN(std::optional<int64_t> v, opt_int(j, key, where));
  if (!v) return corrupt_file(where + ": missing '" + std::string(key) + "'");
  return *v;
}

Result<std::optional<double>> opt_num(const json& j, const char* key, const std::string& where) {
  const json* v = member(j, key);
  if (!v) return std::optional<double>();
  if (!v->is_number()) return corrupt_file(where + ": '" + key + "' must be a number, not " + v->dump());
  return std::optional<double>(v->get<double>());
}

Result<std::optional<bool>> opt_bool(const json& j, const char* key, const std::string& where) {
  const json* v = member(j, key);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) return corrupt_file(where + ": '" + key + "' must be true or false, not " + v->dump());
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<std::string>> opt_str(const json& j, const char* key, const std::string& where) {
  const json* v = member(j, key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return corrupt_file(where + ": '" + key + "' must be a string, not " + v->dump());
  return std::optional<std::string>(v->get<std::string>());
}

// A *_token_id: an integer, or a list whose first entry is used (generation configs list several).
Result<std::optional<int64_t>> opt_token_id(const json& j, const char* key, const std::string& where) {
  const json* v = member(j, key);
  if (v && v->is_array()) {
    if (v->empty() || !(*v)[0].is_number_integer())
      return corrupt_file(where + ": '" + key + "' must be an integer or a list of integers");
    return std::optional<int64_t>((*v)[0].get<int64_t>());
  }
  return opt_int(j, key, where);
}

std::string num(double x) {
  char b[40];
  std::snprintf(b, sizeof b, "%.10g", x);
  return b;
}

std::string shape_str(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// Text that looks like a control token (llama.cpp's converter rule, spec §3.4).
bool looks_special(const std::string& s) {
  auto wrapped = [&](const std::string& open, const std::string& close) {
    return s.size() >= open.size() + close.size() && s.compare(0, open.size(), open) == 0 &&
           s.compare(s.size() - close.size(), close.size(), close) == 0;
  };
  return wrapped("<|", "|>") || wrapped("<\xEF\xBD\x9C", "\xEF\xBD\x9C>");  // ASCII | or U+FF5C ｜
}

struct Vocab {
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  std::vector<std::string> merges;
  std::optional<int64_t> bos, eos, pad;
  std::string pre;
  std::string chat_template;
};

Result<Vocab> read_vocab(const std::string& dir, const HfConfig& cfg) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string tok_path = (fs::path(dir) / "tokenizer.json").string();
  const std::string tcfg_path = (fs::path(dir) / "tokenizer_config.json").string();
  if (!fs::exists(tok_path, ec))
    return not_found(tok_path + ": missing (the GGUF carries the vocabulary; only tokenizer.json is read)");
  const bool have_tcfg = fs::exists(tcfg_path, ec);

  // The engine must be able to run this tokenizer: its own loader is the judge (pre-tokenizer, BPE
  // options, added-token flags).
  auto engine_tok = Tokenizer::from_hf_json(tok_path, have_tcfg ? tcfg_path : "");
  if (!engine_tok.ok()) return engine_tok.status();
  Vocab v;
  v.pre = pre_tokenizer_name(engine_tok.value()->pre_tokenizer());

  HYMT_ASSIGN_OR_RETURN(json tj, load_json(tok_path));
  json tc = json::object();
  if (have_tcfg) {
    HYMT_ASSIGN_OR_RETURN(tc, load_json(tcfg_path));
  }
  const int64_t n = cfg.n_vocab;
  v.tokens.assign(static_cast<size_t>(n), std::string());
  v.types.assign(static_cast<size_t>(n), 0);
  std::map<std::string, int64_t> id_of;
  auto put = [&](const std::string& where, int64_t id, const std::string& text, int32_t type) -> Status {
    if (id < 0 || id >= n)
      return corrupt_file(where + ": token '" + text + "' has id " + std::to_string(id) + ", outside config.json vocab_size " +
                          std::to_string(n));
    auto& slot = v.tokens[static_cast<size_t>(id)];
    if (v.types[static_cast<size_t>(id)] != 0 && slot != text)
      return corrupt_file(where + ": id " + std::to_string(id) + " is both '" + slot + "' and '" + text + "'");
    slot = text;
    v.types[static_cast<size_t>(id)] = type;
    id_of.emplace(text, id);
    return {};
  };

  const json* model = member(tj, "model");
  const json* vocab = model ? member(*model, "vocab") : nullptr;
  if (!vocab || !vocab->is_object()) return corrupt_file(tok_path + ": model.vocab is missing");
  for (auto it = vocab->begin(); it != vocab->end(); ++it) {
    if (!it.value().is_number_integer()) return corrupt_file(tok_path + ": vocab entry '" + it.key() + "' has no integer id");
    HYMT_RETURN_IF_ERROR(put(tok_path, it.value().get<int64_t>(), it.key(), 1));
  }
  auto add = [&](const std::string& where, int64_t id, const json& e) -> Status {
    const json* c = member(e, "content");
    if (!c || !c->is_string()) return corrupt_file(where + ": added token " + std::to_string(id) + " has no content");
    const std::string text = c->get<std::string>();
    const json* sp = member(e, "special");
    const bool special = (sp && sp->is_boolean() && sp->get<bool>()) || looks_special(text);
    return put(where, id, text, special ? 3 : 4);
  };
  if (const json* at = member(tj, "added_tokens")) {
    if (!at->is_array()) return corrupt_file(tok_path + ": added_tokens is not a list");
    for (const json& e : *at) {
      const json* id = e.is_object() ? member(e, "id") : nullptr;
      if (!id || !id->is_number_integer()) return corrupt_file(tok_path + ": an added token has no integer id");
      HYMT_RETURN_IF_ERROR(add(tok_path, id->get<int64_t>(), e));
    }
  }
  if (const json* atd = member(tc, "added_tokens_decoder"); atd && atd->is_object()) {
    for (auto it = atd->begin(); it != atd->end(); ++it) {
      char* end = nullptr;
      const long long id = std::strtoll(it.key().c_str(), &end, 10);
      if (it.key().empty() || *end != '\0' || !it.value().is_object())
        return corrupt_file(tcfg_path + ": added_tokens_decoder key '" + it.key() + "' is not a token id");
      HYMT_RETURN_IF_ERROR(add(tcfg_path, id, it.value()));
    }
  }
  for (int64_t id = 0; id < n; ++id) {
    if (v.types[static_cast<size_t>(id)] != 0) continue;
    v.tokens[static_cast<size_t>(id)] = "[PAD" + std::to_string(id) + "]";  // ids the tokenizer lacks
    v.types[static_cast<size_t>(id)] = 5;
  }

  const json* merges = member(*model, "merges");
  if (merges && !merges->is_array()) return corrupt_file(tok_path + ": model.merges is not a list");
  if (merges) {
    v.merges.reserve(merges->size());
    for (size_t i = 0; i < merges->size(); ++i) {
      const json& m = (*merges)[i];
      if (m.is_string()) {
        v.merges.push_back(m.get<std::string>());  // already "left right" (checked by the tokenizer loader)
      } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
        const std::string a = m[0].get<std::string>(), b = m[1].get<std::string>();
        if (a.find(' ') != std::string::npos || b.find(' ') != std::string::npos)
          return unsupported(tok_path + ": merge " + std::to_string(i) +
                             " has a space inside a token, which GGUF's 'left right' merge strings cannot hold");
        v.merges.push_back(a + " " + b);
      } else {
        return corrupt_file(tok_path + ": merge " + std::to_string(i) + " is neither 'a b' nor [a, b]");
      }
    }
  }

  // Special ids: config.json's *_token_id; tokenizer_config.json's strings fill gaps and must agree.
  auto special = [&](const char* tc_key, std::optional<int64_t> from_cfg, const char* cfg_key)
      -> Result<std::optional<int64_t>> {
    std::optional<int64_t> id = from_cfg;
    const json* s = member(tc, tc_key);
    std::string text;
    if (s && s->is_string()) text = s->get<std::string>();
    if (s && s->is_object() && member(*s, "content") && member(*s, "content")->is_string())
      text = member(*s, "content")->get<std::string>();
    if (!text.empty()) {
      auto it = id_of.find(text);
      if (it == id_of.end()) return corrupt_file(tcfg_path + ": " + tc_key + " '" + text + "' is not in the vocabulary");
      if (id && *id != it->second)
        return corrupt_file(std::string("config.json ") + cfg_key + " " + std::to_string(*id) + " ('" +
                            (*id >= 0 && *id < n ? v.tokens[static_cast<size_t>(*id)] : std::string("?")) +
                            "') disagrees with tokenizer_config.json " + tc_key + " '" + text + "' (id " +
                            std::to_string(it->second) + ")");
      id = it->second;
    }
    if (id && (*id < 0 || *id >= n))
      return corrupt_file(std::string("config.json ") + cfg_key + " " + std::to_string(*id) +
                          " is outside the vocabulary (vocab_size " + std::to_string(n) + ")");
    return id;
  };
  HYMT_ASSIGN_OR_RETURN(v.bos, special("bos_token", cfg.bos_id, "bos_token_id"));
  HYMT_ASSIGN_OR_RETURN(v.eos, special("eos_token", cfg.eos_id, "eos_token_id"));
  HYMT_ASSIGN_OR_RETURN(v.pad, special("pad_token", cfg.pad_id, "pad_token_id"));

  if (const json* ct = member(tc, "chat_template"); ct && ct->is_string()) {
    v.chat_template = ct->get<std::string>();
  } else {
    const std::string jinja = (fs::path(dir) / "chat_template.jinja").string();
    if (fs::exists(jinja, ec)) {
      HYMT_ASSIGN_OR_RETURN(v.chat_template, read_file(jinja));
    }
  }
  return v;
}

// One GGUF tensor and where its values come from.
struct Item {
  std::string gguf_name;
  const SafeTensor* src = nullptr;
  std::vector<int64_t> ne;  // GGUF order
  WeightType type = WeightType::kF32;
};

}  // namespace

Result<HfConfig> read_hf_config(const std::string& path) {
  HYMT_ASSIGN_OR_RETURN(json j, load_json(path));
  HfConfig c;
  auto bad = [&](const std::string& m) { return corrupt_file(path + ": " + m); };
  auto no = [&](const std::string& m) { return unsupported(path + ": " + m); };

  HYMT_ASSIGN_OR_RETURN(auto model_type, opt_str(j, "model_type", path));
  bool arch_ok = model_type && *model_type == "hunyuan_v1_dense";
  std::string archs;
  if (const json* a = member(j, "architectures"); a && a->is_array()) {
    for (const json& x : *a)
      if (x.is_string()) {
        archs += (archs.empty() ? "" : ", ") + x.get<std::string>();
        arch_ok = arch_ok || x.get<std::string>() == "HunYuanDenseV1ForCausalLM";
      }
  }
  if (!arch_ok)
    return no("model_type '" + model_type.value_or("") + "' (architectures: " + (archs.empty() ? "none" : archs) +
              ") is not HunYuan dense (hunyuan_v1_dense / HunYuanDenseV1ForCausalLM)");

  HYMT_ASSIGN_OR_RETURN(c.n_embd, req_int(j, "hidden_size", path));
  HYMT_ASSIGN_OR_RETURN(c.n_layer, req_int(j, "num_hidden_layers", path));
  HYMT_ASSIGN_OR_RETURN(c.n_head, req_int(j, "num_attention_heads", path));
  HYMT_ASSIGN_OR_RETURN(c.n_ff, req_int(j, "intermediate_size", path));
  HYMT_ASSIGN_OR_RETURN(c.n_vocab, req_int(j, "vocab_size", path));
  HYMT_ASSIGN_OR_RETURN(auto kv, opt_int(j, "num_key_value_heads", path));
  c.n_head_kv = kv.value_or(c.n_head);
  if (c.n_embd <= 0 || c.n_embd > (1 << 20)) return bad("hidden_size " + std::to_string(c.n_embd));
  if (c.n_layer <= 0 || c.n_layer > 1024) return bad("num_hidden_layers " + std::to_string(c.n_layer));
  if (c.n_head <= 0 || c.n_head > 4096) return bad("num_attention_heads " + std::to_string(c.n_head));
  if (c.n_ff <= 0 || c.n_ff > (1 << 22)) return bad("intermediate_size " + std::to_string(c.n_ff));
  if (c.n_vocab <= 0 || c.n_vocab > (1 << 24)) return bad("vocab_size " + std::to_string(c.n_vocab));
  if (c.n_head_kv <= 0 || c.n_head % c.n_head_kv != 0)
    return bad("num_attention_heads " + std::to_string(c.n_head) + " is not a multiple of num_key_value_heads " +
               std::to_string(c.n_head_kv));
  HYMT_ASSIGN_OR_RETURN(auto hd1, opt_int(j, "head_dim", path));
  HYMT_ASSIGN_OR_RETURN(auto hd2, opt_int(j, "attention_head_dim", path));
  if (hd1 && hd2 && *hd1 != *hd2)
    return bad("head_dim " + std::to_string(*hd1) + " and attention_head_dim " + std::to_string(*hd2) + " differ");
  if (hd1 || hd2) {
    c.head_dim = hd1 ? *hd1 : *hd2;
  } else {
    if (c.n_embd % c.n_head != 0)
      return bad("hidden_size " + std::to_string(c.n_embd) + " is not divisible by num_attention_heads and head_dim is missing");
    c.head_dim = c.n_embd / c.n_head;
  }
  if (c.head_dim <= 2 || c.head_dim % 2 != 0 || c.head_dim > 1024)
    return bad("head dimension " + std::to_string(c.head_dim) + " (must be even, 4 to 1024)");
  HYMT_ASSIGN_OR_RETURN(auto eps, opt_num(j, "rms_norm_eps", path));
  c.rms_eps = eps.value_or(1e-5);
  if (!(c.rms_eps > 0 && c.rms_eps < 1)) return bad("rms_norm_eps " + num(c.rms_eps));
  HYMT_ASSIGN_OR_RETURN(auto ctx, opt_int(j, "max_position_embeddings", path));
  c.n_ctx_train = ctx.value_or(0);
  if (c.n_ctx_train < 0 || c.n_ctx_train > (int64_t{1} << 32)) return bad("max_position_embeddings " + std::to_string(c.n_ctx_train));

  // Features outside the architecture hymt runs.
  HYMT_ASSIGN_OR_RETURN(auto qk, opt_bool(j, "use_qk_norm", path));
  if (qk && !*qk) return no("use_qk_norm is false; HunYuan dense (and hymt) normalizes Q and K per head");
  for (const char* k : {"attention_bias", "mlp_bias", "use_cla"}) {
    HYMT_ASSIGN_OR_RETURN(auto f, opt_bool(j, k, path));
    if (f && *f) return no(std::string(k) + " is true; hymt runs HunYuan dense without it");
  }
  HYMT_ASSIGN_OR_RETURN(auto act, opt_str(j, "hidden_act", path));
  if (act && *act != "silu") return no("hidden_act '" + *act + "' (hymt runs SwiGLU with silu)");
  HYMT_ASSIGN_OR_RETURN(auto norm, opt_str(j, "norm_type", path));
  if (norm && *norm != "rms") return no("norm_type '" + *norm + "' (hymt runs RMSNorm)");
  HYMT_ASSIGN_OR_RETURN(c.tied, opt_bool(j, "tie_word_embeddings", path));

  // RoPE: transformers 5 writes rope_parameters {rope_type, rope_theta, alpha}; 4.x writes a
  // top-level rope_theta and rope_scaling {type, alpha, factor, ...}. Read either, refuse conflicts.
  const json* rp = member(j, "rope_parameters");
  const char* rp_name = "rope_parameters";
  if (!rp) {
    rp = member(j, "rope_scaling");
    rp_name = "rope_scaling";
  }
  if (rp && !rp->is_object()) return bad(std::string(rp_name) + " is not an object");
  const std::string rwhere = path + " " + rp_name;
  HYMT_ASSIGN_OR_RETURN(auto theta_top, opt_num(j, "rope_theta", path));
  std::optional<double> theta_in, alpha;
  std::optional<std::string> t1, t2;
  if (rp) {
    HYMT_ASSIGN_OR_RETURN(theta_in, opt_num(*rp, "rope_theta", rwhere));
    HYMT_ASSIGN_OR_RETURN(alpha, opt_num(*rp, "alpha", rwhere));
    HYMT_ASSIGN_OR_RETURN(t1, opt_str(*rp, "rope_type", rwhere));
    HYMT_ASSIGN_OR_RETURN(t2, opt_str(*rp, "type", rwhere));
  }
  if (theta_top && theta_in && *theta_top != *theta_in)
    return bad("rope_theta " + num(*theta_top) + " and " + rp_name + ".rope_theta " + num(*theta_in) + " differ");
  if (t1 && t2 && *t1 != *t2) return bad(std::string(rp_name) + " has rope_type '" + *t1 + "' and type '" + *t2 + "'");
  c.rope_theta = theta_in ? *theta_in : theta_top.value_or(10000.0);
  c.rope_type = t1 ? *t1 : t2.value_or("default");
  if (!(c.rope_theta > 1 && std::isfinite(c.rope_theta))) return bad("rope_theta " + num(c.rope_theta));
  if (c.rope_type == "dynamic") {
    if (!alpha)
      return no(std::string(rp_name) + " type 'dynamic' without alpha (length-dependent NTK scaling) is not supported");
    if (!(*alpha > 0 && std::isfinite(*alpha))) return bad(std::string(rp_name) + ".alpha " + num(*alpha));
    c.rope_alpha = *alpha;
    // HF HunYuanDenseV1RotaryEmbedding: base = theta * alpha^(hd / (hd - 2)), at every position.
    const double hd = static_cast<double>(c.head_dim);
    c.rope_base = c.rope_theta * std::pow(c.rope_alpha, hd / (hd - 2.0));
  } else if (c.rope_type == "default" || c.rope_type == "none") {
    if (alpha)
      return no(std::string(rp_name) + ".alpha " + num(*alpha) + " with rope type '" + c.rope_type +
                "': only 'dynamic' uses alpha, refusing to guess whether to fold it");
    c.rope_base = c.rope_theta;
  } else {
    return no(std::string(rp_name) + " type '" + c.rope_type + "' is not supported (HunYuan dense uses 'dynamic' with alpha)");
  }
  if (!std::isfinite(static_cast<float>(c.rope_base))) return bad("folded RoPE base " + num(c.rope_base) + " overflows f32");

  HYMT_ASSIGN_OR_RETURN(c.bos_id, opt_token_id(j, "bos_token_id", path));
  HYMT_ASSIGN_OR_RETURN(c.eos_id, opt_token_id(j, "eos_token_id", path));
  HYMT_ASSIGN_OR_RETURN(c.pad_id, opt_token_id(j, "pad_token_id", path));
  return c;
}

Status convert_hf_to_gguf(const std::string& hf_dir, const std::string& out_path, const ConvertOptions& opt) {
  namespace fs = std::filesystem;
  const std::string cfg_path = (fs::path(hf_dir) / "config.json").string();
  std::error_code ec;
  if (!fs::is_directory(hf_dir, ec)) return not_found(hf_dir + ": not a folder");
  HYMT_ASSIGN_OR_RETURN(HfConfig cfg, read_hf_config(cfg_path));
  {
    std::string base = fs::path(hf_dir).lexically_normal().filename().string();
    if (base.empty()) base = fs::path(hf_dir).lexically_normal().parent_path().filename().string();
    cfg.name = base.empty() ? "hunyuan-dense" : base;
  }
  HYMT_ASSIGN_OR_RETURN(std::shared_ptr<SafetensorsModel> st, SafetensorsModel::open_dir(hf_dir));
  HYMT_ASSIGN_OR_RETURN(Vocab vocab, read_vocab(hf_dir, cfg));

  // Tensor table (spec §2.2): HF name, GGUF name, HF shape [out, in] implied by config.json.
  const int64_t D = cfg.n_embd, q = cfg.n_head * cfg.head_dim, kv = cfg.n_head_kv * cfg.head_dim;
  std::vector<Item> items;
  std::set<std::string> used;
  auto expect = [&](const std::string& hf, const std::string& gguf, std::vector<int64_t> shape,
                    const std::string& why) -> Status {
    const SafeTensor* t = st->find(hf);
    if (!t) return not_found(hf_dir + ": the checkpoint has no tensor '" + hf + "' (needed for " + gguf + ")");
    if (t->shape != shape)
      return corrupt_file(hf_dir + ": tensor '" + hf + "' has shape " + t->shape_string() + " but config.json implies " +
                          shape_str(shape) + " (" + why + ")");
    if (!safe_dtype_is_float_weight(t->dtype))
      return unsupported(hf_dir + ": tensor '" + hf + "' has dtype " + t->dtype_name +
                         "; only F32, F16 and BF16 weights are converted");
    used.insert(hf);
    Item it;
    it.gguf_name = gguf;
    it.src = t;
    it.ne.assign(shape.rbegin(), shape.rend());
    items.push_back(std::move(it));
    return {};
  };
  const std::string dv = "vocab_size " + std::to_string(cfg.n_vocab) + " x hidden_size " + std::to_string(D);
  const std::string dq = "num_attention_heads " + std::to_string(cfg.n_head) + " x head_dim " +
                         std::to_string(cfg.head_dim) + ", hidden_size " + std::to_string(D);
  const std::string dk = "num_key_value_heads " + std::to_string(cfg.n_head_kv) + " x head_dim " +
                         std::to_string(cfg.head_dim) + ", hidden_size " + std::to_string(D);
  const std::string df = "intermediate_size " + std::to_string(cfg.n_ff) + ", hidden_size " + std::to_string(D);
  HYMT_RETURN_IF_ERROR(expect("model.embed_tokens.weight", "token_embd.weight", {cfg.n_vocab, D}, dv));
  HYMT_RETURN_IF_ERROR(expect("model.norm.weight", "output_norm.weight", {D}, "hidden_size"));
  for (int64_t l = 0; l < cfg.n_layer; ++l) {
    const std::string h = "model.layers." + std::to_string(l) + ".", g = "blk." + std::to_string(l) + ".";
    HYMT_RETURN_IF_ERROR(expect(h + "input_layernorm.weight", g + "attn_norm.weight", {D}, "hidden_size"));
    HYMT_RETURN_IF_ERROR(expect(h + "self_attn.q_proj.weight", g + "attn_q.weight", {q, D}, dq));
    HYMT_RETURN_IF_ERROR(expect(h + "self_attn.k_proj.weight", g + "attn_k.weight", {kv, D}, dk));
    HYMT_RETURN_IF_ERROR(expect(h + "self_attn.v_proj.weight", g + "attn_v.weight", {kv, D}, dk));
    HYMT_RETURN_IF_ERROR(expect(h + "self_attn.o_proj.weight", g + "attn_output.weight", {D, q}, dq));
    HYMT_RETURN_IF_ERROR(expect(h + "self_attn.query_layernorm.weight", g + "attn_q_norm.weight", {cfg.head_dim}, "head_dim"));
    HYMT_RETURN_IF_ERROR(expect(h + "self_attn.key_layernorm.weight", g + "attn_k_norm.weight", {cfg.head_dim}, "head_dim"));
    HYMT_RETURN_IF_ERROR(expect(h + "post_attention_layernorm.weight", g + "ffn_norm.weight", {D}, "hidden_size"));
    HYMT_RETURN_IF_ERROR(expect(h + "mlp.gate_proj.weight", g + "ffn_gate.weight", {cfg.n_ff, D}, df));
    HYMT_RETURN_IF_ERROR(expect(h + "mlp.up_proj.weight", g + "ffn_up.weight", {cfg.n_ff, D}, df));
    HYMT_RETURN_IF_ERROR(expect(h + "mlp.down_proj.weight", g + "ffn_down.weight", {D, cfg.n_ff}, df));
  }
  // The LM head: tied (spec §2.2: ignore lm_head.weight) unless the config says otherwise; with no
  // tie_word_embeddings key, a stored lm_head.weight means an untied head.
  const bool has_head = st->find("lm_head.weight") != nullptr;
  const bool tied = cfg.tied.value_or(!has_head);
  if (!tied) {
    if (!has_head) return not_found(hf_dir + ": tie_word_embeddings is false but the checkpoint has no lm_head.weight");
    HYMT_RETURN_IF_ERROR(expect("lm_head.weight", "output.weight", {cfg.n_vocab, D}, dv));
  } else if (has_head) {
    used.insert("lm_head.weight");
  }
  for (const std::string& name : st->names()) {
    if (used.count(name)) continue;
    const std::string suffix = "rotary_emb.inv_freq";  // a buffer some exports keep: recomputed from the config
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) continue;
    return unsupported(hf_dir + ": checkpoint tensor '" + name + "' has no place in a " + std::to_string(cfg.n_layer) +
                       "-layer HunYuan dense model (config.json num_hidden_layers, or another architecture?)");
  }

  // Output types.
  std::string type = opt.type.empty() ? "auto" : opt.type;
  if (type == "auto" || type == "AUTO") {
    SafeDType common = items.front().src->dtype;
    for (const Item& it : items)
      if (it.ne.size() == 2 && it.src->dtype != common) common = SafeDType::kF32;
    type = common == SafeDType::kBF16 ? "BF16" : common == SafeDType::kF16 ? "F16" : "F32";
  }
  HYMT_ASSIGN_OR_RETURN(QuantPlan plan, quant_plan(type, opt.embedding_type));
  std::vector<TypeFallback> fallbacks;
  for (Item& it : items) {
    const WeightType t = it.ne.size() == 1 ? WeightType::kF32 : planned_type(plan, it.gguf_name, cfg.n_layer);
    // As `hymt quantize`: a row length the block cannot divide falls back to one that can.
    it.type = fitting_type(t, it.ne[0]);
    if (it.type != t) fallbacks.push_back({it.gguf_name, it.ne[0], t, it.type});
  }
  if (opt.warn)
    for (const std::string& m : type_fallback_warnings(fallbacks)) opt.warn(m);

  GgufWriter w;
  HParams hp;
  hp.n_vocab = cfg.n_vocab;
  hp.n_embd = D;
  hp.n_layer = cfg.n_layer;
  hp.n_head = cfg.n_head;
  hp.n_head_kv = cfg.n_head_kv;
  hp.head_dim = cfg.head_dim;
  hp.n_ff = cfg.n_ff;
  hp.rms_eps = static_cast<float>(cfg.rms_eps);
  hp.rope_base = static_cast<float>(cfg.rope_base);  // alpha already folded: scaling none
  hp.n_ctx_train = cfg.n_ctx_train;
  write_hparams(w, hp);
  w.set_string("general.name", cfg.name);
  w.set_u32("general.file_type", plan.file_type);
  w.set_u32("general.quantization_version", 2);
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_string("tokenizer.ggml.pre", vocab.pre);
  w.set_string_array("tokenizer.ggml.tokens", vocab.tokens);
  w.set_i32_array("tokenizer.ggml.token_type", vocab.types);
  w.set_string_array("tokenizer.ggml.merges", vocab.merges);
  if (vocab.bos) w.set_u32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(*vocab.bos));
  if (vocab.eos) w.set_u32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(*vocab.eos));
  if (vocab.pad) w.set_u32("tokenizer.ggml.padding_token_id", static_cast<uint32_t>(*vocab.pad));
  if (!vocab.chat_template.empty()) w.set_string("tokenizer.chat_template", vocab.chat_template);

  auto pool = std::make_shared<ThreadPool>(opt.n_threads);
  for (const Item& it : items) {
    const SafeTensor* src = it.src;
    const WeightType dst = it.type;
    const FormatRef* ref = format_ref(dst);
    if (!ref || !ref->quantize_row) return unsupported(std::string("this build cannot write ") + type_name(dst));
    HYMT_RETURN_IF_ERROR(w.add_tensor(it.gguf_name, it.ne, dst, [st, src, ref, dst, pool](uint8_t* out, size_t) -> Status {
      const int64_t ne0 = src->shape.back(), rows = src->n_elements() / ne0;
      const size_t rb = *row_bytes(dst, ne0);
      pool->parallel_for(rows, [&](int64_t r0, int64_t r1, int) {
        std::vector<float> row(static_cast<size_t>(ne0));
        for (int64_t r = r0; r < r1; ++r) {
          src->to_f32(r * ne0, ne0, row.data());
          ref->quantize_row(row.data(), out + static_cast<size_t>(r) * rb, ne0);
        }
      });
      return {};
    }));
  }
  if (opt.progress) w.on_progress(opt.progress);
  return w.write(out_path);
}

}  // namespace hymt
