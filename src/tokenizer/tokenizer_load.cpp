// tokenizer_load.cpp: the two ways to build a Tokenizer. GGUF: the keys llama.cpp's converter writes
// (spec §3.4, §4.1): CONTROL tokens are the special added tokens, USER_DEFINED the plain ones.
// tokenizer.json: only what the HY tokenizers use is accepted (BPE, no normalizer, one of the two
// known pre-tokenizers, ByteLevel decoder); anything else is refused with the reason, never guessed.
#include <nlohmann/json.hpp>

#include "io/file_util.h"
#include "tokenizer/tokenizer.h"

namespace hymt {

namespace {

using nlohmann::json;

const json* member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

bool is_null_or_empty(const json* j) {
  return j == nullptr || j->is_null() || (j->is_string() && j->get_ref<const std::string&>().empty());
}

bool flag(const json& j, const char* key) {
  const json* v = member(j, key);
  return v && v->is_boolean() && v->get<bool>();
}

std::string str(const json& j, const char* key) {
  const json* v = member(j, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

// Reads a pre_tokenizer section: the list of Split regexes before a final ByteLevel.
Result<PreTokenizerKind> read_pre_tokenizer(const json* pt) {
  if (!pt || !pt->is_object()) return unsupported("tokenizer.json has no pre_tokenizer (HY uses regex splits)");
  std::vector<const json*> steps;
  if (str(*pt, "type") == "Sequence") {
    const json* list = member(*pt, "pretokenizers");
    if (!list || !list->is_array()) return corrupt_file("pre_tokenizer Sequence without a pretokenizers list");
    for (const json& s : *list) steps.push_back(&s);
  } else {
    steps.push_back(pt);
  }
  if (steps.empty() || str(*steps.back(), "type") != "ByteLevel" || flag(*steps.back(), "add_prefix_space") ||
      flag(*steps.back(), "use_regex"))
    return unsupported("pre_tokenizer must end with ByteLevel(add_prefix_space=false, use_regex=false)");
  std::vector<std::string> regexes;
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    const json& s = *steps[i];
    const json* pat = member(s, "pattern");
    const json* re = pat ? member(*pat, "Regex") : nullptr;
    if (str(s, "type") != "Split" || !re || !re->is_string() || str(s, "behavior") != "Isolated" || flag(s, "invert"))
      return unsupported("pre_tokenizer step " + std::to_string(i) + " is not an Isolated regex Split");
    regexes.push_back(re->get<std::string>());
  }
  for (PreTokenizerKind k : {PreTokenizerKind::kHunyuanDense, PreTokenizerKind::kHunyuan}) {
    const auto& want = pre_tokenizer_patterns(k);
    if (want.size() == regexes.size() && std::equal(want.begin(), want.end(), regexes.begin())) return k;
  }
  return unsupported("pre_tokenizer regexes are neither hunyuan-dense's nor hunyuan's (spec §3.2); first: " +
                     (regexes.empty() ? std::string("(none)") : regexes[0]));
}

Result<json> read_json(const std::string& path) {
  HYMT_ASSIGN_OR_RETURN(std::string text, read_file(path));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return corrupt_file(path + ": not valid JSON");
  return j;
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> Tokenizer::from_gguf(const GgufFile& f) {
  std::unique_ptr<Tokenizer> t(new Tokenizer());
  const GgufValue* model = f.find("tokenizer.ggml.model");
  if (!model || model->type != GgufType::kString) return not_found("no tokenizer.ggml.model in " + f.path());
  if (model->s != "gpt2") return unsupported("tokenizer.ggml.model '" + model->s + "': only byte-level BPE (gpt2)");
  const GgufValue* pre = f.find("tokenizer.ggml.pre");
  if (!pre || pre->type != GgufType::kString) return not_found("no tokenizer.ggml.pre (hunyuan-dense or hunyuan)");
  auto kind = parse_pre_tokenizer_name(pre->s);
  if (!kind) return unsupported("tokenizer.ggml.pre '" + pre->s + "' is not supported (hunyuan-dense, hunyuan)");
  t->pre_ = *kind;

  const GgufValue* toks = f.find("tokenizer.ggml.tokens");
  if (!toks || toks->type != GgufType::kArray || toks->elem_type != GgufType::kString)
    return corrupt_file("tokenizer.ggml.tokens is missing or not an array of strings");
  if (toks->arr.empty() || toks->arr.size() > 0x7fffffff) return corrupt_file("tokenizer.ggml.tokens has a bad size");
  const size_t n = toks->arr.size();
  const GgufValue* types = f.find("tokenizer.ggml.token_type");
  if (types && (types->type != GgufType::kArray || types->arr.size() != n))
    return corrupt_file("tokenizer.ggml.token_type must be " + std::to_string(n) + " integers");
  t->tokens_.reserve(n);
  t->types_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    t->tokens_.push_back(toks->arr[i].s);
    TokenType ty = TokenType::kNormal;
    if (types) {
      auto v = types->arr[i].as_int();
      if (!v || *v < 1 || *v > 6)
        return corrupt_file("tokenizer.ggml.token_type[" + std::to_string(i) + "] is not a token type (1..6)");
      ty = static_cast<TokenType>(*v);
    }
    t->types_.push_back(ty);
    if (ty == TokenType::kControl || ty == TokenType::kUserDefined)
      t->added_.push_back({toks->arr[i].s, static_cast<int32_t>(i), ty == TokenType::kControl, false});
  }
  std::vector<std::pair<std::string, std::string>> merges;
  if (const GgufValue* mg = f.find("tokenizer.ggml.merges")) {
    if (mg->type != GgufType::kArray || (!mg->arr.empty() && mg->elem_type != GgufType::kString))
      return corrupt_file("tokenizer.ggml.merges is not an array of strings");
    merges.reserve(mg->arr.size());
    for (size_t i = 0; i < mg->arr.size(); ++i) {
      const std::string& m = mg->arr[i].s;
      const size_t sp = m.find(' ', 1);
      if (sp == std::string::npos || sp + 1 >= m.size())
        return corrupt_file("tokenizer.ggml.merges[" + std::to_string(i) + "] '" + m + "' is not 'left right'");
      merges.emplace_back(m.substr(0, sp), m.substr(sp + 1));
    }
  }
  auto id_key = [&](const char* key, std::optional<int32_t>* dst) -> Status {
    const GgufValue* v = f.find(key);
    if (!v) return Status();
    auto i = v->as_int();
    if (!i || *i < 0 || *i >= static_cast<int64_t>(n))
      return corrupt_file(std::string(key) + " is not a token id below " + std::to_string(n));
    *dst = static_cast<int32_t>(*i);
    return Status();
  };
  HYMT_RETURN_IF_ERROR(id_key("tokenizer.ggml.bos_token_id", &t->bos_));
  HYMT_RETURN_IF_ERROR(id_key("tokenizer.ggml.eos_token_id", &t->eos_));
  HYMT_RETURN_IF_ERROR(id_key("tokenizer.ggml.eot_token_id", &t->eot_));
  HYMT_RETURN_IF_ERROR(id_key("tokenizer.ggml.eom_token_id", &t->eom_));
  HYMT_RETURN_IF_ERROR(t->finish(merges).with_context(f.path()));
  return t;
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::from_hf_json(const std::string& path,
                                                           const std::string& tokenizer_config_path) {
  HYMT_ASSIGN_OR_RETURN(json j, read_json(path));
  auto bad = [&](const std::string& m) { return Status(StatusCode::kUnsupported, path + ": " + m); };
  std::unique_ptr<Tokenizer> t(new Tokenizer());

  const json* model = member(j, "model");
  if (!model || str(*model, "type") != "BPE") return bad("model.type must be BPE");
  if (flag(*model, "byte_fallback")) return bad("byte_fallback BPE is not byte-level BPE");
  if (!is_null_or_empty(member(*model, "continuing_subword_prefix")) ||
      !is_null_or_empty(member(*model, "end_of_word_suffix")))
    return bad("continuing_subword_prefix / end_of_word_suffix are not used by HY and not supported");
  if (const json* d = member(*model, "dropout"); d && !d->is_null() && !(d->is_number() && d->get<double>() == 0.0))
    return bad("BPE dropout is not supported");
  t->ignore_merges_ = flag(*model, "ignore_merges");
  const json* norm = member(j, "normalizer");
  if (norm && !norm->is_null()) {
    const json* list = member(*norm, "normalizers");
    if (str(*norm, "type") != "Sequence" || !list || !list->is_array() || !list->empty())
      return bad("a normalizer is set; HY tokenizers have none");
  }
  auto pre = read_pre_tokenizer(member(j, "pre_tokenizer"));
  if (!pre.ok()) return pre.status().with_context(path);
  t->pre_ = pre.value();
  const json* dec = member(j, "decoder");
  if (!dec || str(*dec, "type") != "ByteLevel") return bad("decoder must be ByteLevel");

  const json* vocab = member(*model, "vocab");
  if (!vocab || !vocab->is_object() || vocab->empty()) return Status(StatusCode::kCorruptFile, path + ": model.vocab is missing");
  auto put = [&](int64_t id, const std::string& text, TokenType ty) -> Status {
    if (id < 0 || id >= (int64_t{1} << 30)) return corrupt_file(path + ": token id " + std::to_string(id) + " out of range");
    const auto i = static_cast<size_t>(id);
    if (i >= t->tokens_.size()) {
      t->tokens_.resize(i + 1);
      t->types_.resize(i + 1, TokenType::kUnused);
    }
    if (t->types_[i] != TokenType::kUnused && t->tokens_[i] != text)
      return corrupt_file(path + ": id " + std::to_string(id) + " is both '" + t->tokens_[i] + "' and '" + text + "'");
    t->tokens_[i] = text;
    t->types_[i] = ty;
    return Status();
  };
  for (auto it = vocab->begin(); it != vocab->end(); ++it) {
    if (!it.value().is_number_integer()) return corrupt_file(path + ": vocab entry '" + it.key() + "' has no integer id");
    HYMT_RETURN_IF_ERROR(put(it.value().get<int64_t>(), it.key(), TokenType::kNormal));
  }
  // Added tokens: tokenizer.json's list, then tokenizer_config.json's added_tokens_decoder fills in
  // what the first does not have (transformers does the same when it loads both).
  auto add = [&](int64_t id, const json& e) -> Status {
    if (!e.is_object() || !member(e, "content") || !member(e, "content")->is_string())
      return corrupt_file(path + ": added token " + std::to_string(id) + " has no content");
    if (flag(e, "lstrip") || flag(e, "rstrip") || flag(e, "single_word"))
      return bad("added token " + std::to_string(id) + " uses lstrip/rstrip/single_word, which HY does not");
    const std::string content = str(e, "content");
    for (const AddedEntry& a : t->added_)
      if (a.id == id) return a.text == content ? Status() : corrupt_file(path + ": added token id " + std::to_string(id) + " twice");
    const bool special = flag(e, "special");
    HYMT_RETURN_IF_ERROR(put(id, content, special ? TokenType::kControl : TokenType::kUserDefined));
    // Hugging Face stores special tokens as normalized=false whatever the file says.
    t->added_.push_back({content, static_cast<int32_t>(id), special, !special && flag(e, "normalized")});
    return Status();
  };
  if (const json* at = member(j, "added_tokens"); at && at->is_array()) {
    for (const json& e : *at) {
      const json* id = member(e, "id");
      if (!id || !id->is_number_integer()) return corrupt_file(path + ": an added token has no id");
      HYMT_RETURN_IF_ERROR(add(id->get<int64_t>(), e));
    }
  }
  std::string eos_text, bos_text;
  if (!tokenizer_config_path.empty()) {
    HYMT_ASSIGN_OR_RETURN(json cfg, read_json(tokenizer_config_path));
    if (const json* atd = member(cfg, "added_tokens_decoder"); atd && atd->is_object()) {
      for (auto it = atd->begin(); it != atd->end(); ++it) {
        char* end = nullptr;
        const long long id = std::strtoll(it.key().c_str(), &end, 10);
        if (it.key().empty() || *end != '\0') return corrupt_file(tokenizer_config_path + ": added token key '" + it.key() + "'");
        HYMT_RETURN_IF_ERROR(add(id, it.value()));
      }
    }
    auto special_text = [&](const char* key) {
      const json* v = member(cfg, key);
      if (v && v->is_string()) return v->get<std::string>();
      if (v && v->is_object()) return str(*v, "content");
      return std::string();
    };
    eos_text = special_text("eos_token");
    bos_text = special_text("bos_token");
  }
  std::vector<std::pair<std::string, std::string>> merges;
  if (const json* mg = member(*model, "merges"); mg && mg->is_array()) {
    merges.reserve(mg->size());
    for (size_t i = 0; i < mg->size(); ++i) {
      const json& m = (*mg)[i];
      if (m.is_string()) {  // "left right"
        const std::string& s = m.get_ref<const std::string&>();
        const size_t sp = s.find(' ');
        if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
          return corrupt_file(path + ": merge " + std::to_string(i) + " '" + s + "' is not 'left right'");
        merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
      } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {  // ["left", "right"]
        merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
      } else {
        return corrupt_file(path + ": merge " + std::to_string(i) + " is neither 'a b' nor [a, b]");
      }
    }
  }
  HYMT_RETURN_IF_ERROR(t->finish(merges).with_context(path));
  if (!eos_text.empty()) t->eos_ = t->token_id(eos_text);
  if (!bos_text.empty()) t->bos_ = t->token_id(bos_text);
  if (t->eos_) {  // the configured eos also stops generation
    auto& s = t->stop_ids_;
    if (!t->is_stop(*t->eos_)) s.insert(std::upper_bound(s.begin(), s.end(), *t->eos_), *t->eos_);
  }
  return t;
}

}  // namespace hymt
