// capi_model.cpp: models (load, info, tokenizer) and translators of the C API.
#include <string>
#include <vector>

#include "capi_internal.h"
#include "io/gguf.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

using namespace hymt;
using capi::fail;
using capi::guarded;

namespace hymt::capi {
hymt_model_params model_defaults() {
  hymt_model_params p{};
  p.struct_size = sizeof(p);
  p.n_threads = 2;
  p.n_ctx = 4096;
  p.max_seqs = 8;
  p.kv_type = HYMT_KV_F16;
  p.cache_mb = 128;
  return p;
}
}  // namespace hymt::capi

extern "C" {

hymt_status hymt_model_params_init(hymt_model_params* params, size_t size) {
  return guarded("hymt_model_params_init", [&] { return capi::init_params(capi::model_defaults(), params, size); });
}

hymt_status hymt_model_load(const char* path, const hymt_model_params* params, hymt_model** out) {
  return guarded("hymt_model_load", [&] {
    if (out) *out = nullptr;
    if (!path || !out) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_model_load: path and out must not be NULL");
    hymt_model_params p;
    if (hymt_status s = capi::read_params(params, capi::model_defaults(), &p, "hymt_model_params"); s != HYMT_OK)
      return s;
    if (p.n_ctx < 1) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_model_params.n_ctx must be at least 1");
    if (p.max_seqs < 1 || p.max_seqs > 256)
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_model_params.max_seqs must be in 1..256");
    if (p.kv_type != HYMT_KV_F16 && p.kv_type != HYMT_KV_F32)
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_model_params.kv_type must be HYMT_KV_F16 or HYMT_KV_F32");
    if (p.cache_mb < 0) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_model_params.cache_mb must not be negative");

    auto model = Model::load(path);
    if (!model.ok()) return fail(model.status());
    auto tok = Tokenizer::from_gguf(model.value()->gguf());
    if (!tok.ok()) return fail(tok.status().with_context(std::string(path) + ": the tokenizer vocabulary"));
    std::shared_ptr<const Model> m(std::move(model).value());
    std::shared_ptr<const Tokenizer> t(std::move(tok).value());

    EngineOptions eo;
    eo.n_threads = p.n_threads;
    eo.max_seqs = p.max_seqs;
    eo.n_ctx = p.n_ctx;
    eo.kv_type = p.kv_type == HYMT_KV_F32 ? KvType::kF32 : KvType::kF16;
    eo.cache_mb = p.cache_mb;
    auto h = std::make_unique<hymt_model>();
    h->engine = std::make_shared<Engine>(m, t, eo);
    // A translator now, so that a file without the HY chat vocabulary fails here, not later.
    auto probe = Translator::create(*h->engine);
    if (!probe.ok()) return fail(probe.status());
    h->family = probe.value()->family() == PromptFamily::kHyMT2 ? "hy-mt2" : "hy-mt1.5";
    if (const GgufValue* v = m->gguf().find("general.name"); v && v->type == GgufType::kString) h->name = v->s;
    *out = h.release();
    return HYMT_OK;
  });
}

void hymt_model_free(hymt_model* model) {
  try {
    delete model;  // the engine goes with the last translator holding it
  } catch (...) {}
}

hymt_status hymt_model_get_info(const hymt_model* model, hymt_model_info* out) {
  return guarded("hymt_model_get_info", [&] {
    if (!model) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_model_get_info: model is NULL");
    const HParams& hp = model->engine->model().hparams();
    hymt_model_info full{};
    full.struct_size = sizeof(full);
    full.name = model->name.c_str();
    full.family = model->family.c_str();
    full.n_vocab = static_cast<int32_t>(model->engine->tokenizer()->n_vocab());
    full.n_layer = static_cast<int32_t>(hp.n_layer);
    full.n_embd = static_cast<int32_t>(hp.n_embd);
    full.n_ctx_train = static_cast<int32_t>(hp.n_ctx_train);
    return capi::write_out(full, out, "hymt_model_get_info");
  });
}

hymt_status hymt_tokenize(const hymt_model* model, const char* text, size_t len, int parse_special, int32_t* tokens,
                          size_t capacity, size_t* n_tokens) {
  return guarded("hymt_tokenize", [&] {
    if (!model || !n_tokens || (!text && len > 0) || (!tokens && capacity > 0))
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_tokenize: model, text, tokens and n_tokens must not be NULL");
    const std::vector<int32_t> ids =
        model->engine->tokenizer()->encode(std::string_view(text ? text : "", len), parse_special != 0);
    *n_tokens = ids.size();
    if (ids.size() > capacity)
      return fail(HYMT_ERR_BUFFER_TOO_SMALL, "hymt_tokenize: " + std::to_string(ids.size()) +
                                                 " tokens do not fit in a buffer of " + std::to_string(capacity));
    std::copy(ids.begin(), ids.end(), tokens);
    return HYMT_OK;
  });
}

hymt_status hymt_detokenize(const hymt_model* model, const int32_t* tokens, size_t n, char* buf, size_t capacity,
                            size_t* len) {
  return guarded("hymt_detokenize", [&] {
    if (!model || !len || (!tokens && n > 0) || (!buf && capacity > 0))
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_detokenize: model, tokens, buf and len must not be NULL");
    const Tokenizer& tok = *model->engine->tokenizer();
    std::vector<int32_t> ids(tokens, tokens + n);
    for (size_t i = 0; i < n; ++i)
      if (ids[i] < 0 || ids[i] >= tok.n_vocab())
        return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_detokenize: token " + std::to_string(ids[i]) + " (at " +
                                                   std::to_string(i) + ") is outside the vocabulary of " +
                                                   std::to_string(tok.n_vocab()));
    const std::string text = tok.decode(ids);
    *len = text.size();
    if (text.size() + 1 > capacity)
      return fail(HYMT_ERR_BUFFER_TOO_SMALL, "hymt_detokenize: " + std::to_string(text.size() + 1) +
                                                 " bytes do not fit in a buffer of " + std::to_string(capacity));
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    return HYMT_OK;
  });
}

hymt_status hymt_translator_new(hymt_model* model, hymt_translator** out) {
  return guarded("hymt_translator_new", [&] {
    if (out) *out = nullptr;
    if (!model || !out) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_translator_new: model and out must not be NULL");
    auto t = Translator::create(*model->engine);
    if (!t.ok()) return fail(t.status());
    auto h = std::make_unique<hymt_translator>();
    h->engine = model->engine;
    h->t = std::move(t).value();
    h->t->set_max_batch(model->engine->options().max_seqs);
    *out = h.release();
    return HYMT_OK;
  });
}

void hymt_translator_free(hymt_translator* translator) {
  try {
    if (!translator) return;
    translator->t.reset();  // before the engine it refers to
    delete translator;
  } catch (...) {}
}

hymt_status hymt_translator_cancel(hymt_translator* translator) {
  return guarded("hymt_translator_cancel", [&] {
    if (!translator) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_translator_cancel: translator is NULL");
    std::lock_guard<std::mutex> lock(translator->mu);
    if (translator->cancel) translator->cancel->store(true);
    return HYMT_OK;
  });
}

}  // extern "C"
