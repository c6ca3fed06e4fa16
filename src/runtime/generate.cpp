// generate.cpp: greedy generation loop and stop-id discovery.
#include "runtime/generate.h"

#include <algorithm>

#include "io/gguf.h"
#include "tokenizer/hy_special_tokens.h"

namespace hymt {

int32_t argmax(const float* x, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i)
    if (x[i] > x[best]) best = i;
  return static_cast<int32_t>(best);
}

Result<std::vector<int32_t>> generate_greedy(Session& s, const std::vector<int32_t>& prompt, ThreadPool& pool,
                                             const GreedyOptions& opt) {
  if (prompt.empty()) return invalid_argument("empty prompt");
  const int64_t n_vocab = s.model().hparams().n_vocab;
  std::vector<float> logits(static_cast<size_t>(n_vocab));
  HYMT_RETURN_IF_ERROR(s.forward(prompt.data(), static_cast<int64_t>(prompt.size()), pool, logits.data(), false));
  std::vector<int32_t> out;
  for (int64_t k = 0; k < opt.max_new_tokens; ++k) {
    const int32_t id = argmax(logits.data(), n_vocab);
    out.push_back(id);
    if (opt.on_token && !opt.on_token(id)) break;
    if (std::find(opt.stop_ids.begin(), opt.stop_ids.end(), id) != opt.stop_ids.end()) break;
    if (k + 1 == opt.max_new_tokens) break;
    if (s.n_past() >= s.n_ctx()) break;  // context full: return what we have
    HYMT_RETURN_IF_ERROR(s.forward(&id, 1, pool, logits.data(), false));
  }
  return out;
}

std::vector<int32_t> default_stop_ids(const Model& m) {
  std::vector<int32_t> ids;
  const GgufFile& f = m.gguf();
  const int64_t n_vocab = m.hparams().n_vocab;
  auto add = [&](int64_t id) {
    if (id >= 0 && id < n_vocab && std::find(ids.begin(), ids.end(), id) == ids.end())
      ids.push_back(static_cast<int32_t>(id));
  };
  for (const char* key : {"tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"})
    if (const GgufValue* v = f.find(key))
      if (auto id = v->as_int()) add(*id);
  if (const GgufValue* toks = f.find("tokenizer.ggml.tokens")) {
    const auto& added = hy_added_tokens();
    for (int off : {kHyEosSentOffset, kHyEotOffset}) {
      const std::string& text = added[static_cast<size_t>(off)].text;
      for (size_t id = 0; id < toks->arr.size(); ++id)
        if (toks->arr[id].s == text) add(static_cast<int64_t>(id));
    }
  }
  return ids;
}

}  // namespace hymt
