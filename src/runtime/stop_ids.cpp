// stop_ids.cpp: stop-id discovery.
#include "runtime/stop_ids.h"

#include <algorithm>

#include "io/gguf.h"
#include "tokenizer/hy_special_tokens.h"

namespace hymt {

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
