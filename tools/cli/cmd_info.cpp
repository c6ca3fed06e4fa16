// cmd_info.cpp: `hymt info MODEL [--json]`: architecture, hyperparameters, tokenizer summary,
// tensor count by type, file and weight sizes; the STQ1_0 lane layout and why; general.file_type,
// general.finetune, the prompt family and chat template the file selects.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "translate/prompt.h"
#include "translate/translator.h"

namespace hymt::cli {

namespace {

const char* chat_template_name(ChatFamily f) {
  switch (f) {
    case ChatFamily::kHyDense: return "hy-dense";
    case ChatFamily::kHy7B: return "hy-7b";
    case ChatFamily::kNone: break;
  }
  return "none";
}

// The translation prompt each family's translate() uses for a non-Chinese pair (prompt.cpp).
const char* prompt_template(PromptFamily f) {
  return f == PromptFamily::kHyMT2 ? "Translate the following text into <lang>. Note that you should only output the "
                                     "translated result without any additional explanation:"
                                   : "Translate the following segment into <lang>, without additional explanation.";
}

struct InfoArgs {
  std::string model;
  bool json = false;
};

int run_info(const InfoArgs& a) {
  if (Status st = check_model_path(a.model); !st.ok()) return report(st);
  auto loaded = Model::load(a.model, /*pack=*/false);
  if (!loaded.ok()) return report(loaded.status());
  const Model& m = *loaded.value();
  const HParams& hp = m.hparams();
  const GgufFile& f = m.gguf();

  std::map<std::string, int> by_type;
  uint64_t weight_bytes = 0;
  int64_t n_params = 0;
  for (const auto& t : f.tensors()) {
    by_type[type_name(t.type)]++;
    weight_bytes += t.n_bytes;
    n_params += t.n_elements();
  }
  auto str = [&](const char* key) -> std::string {
    const GgufValue* v = f.find(key);
    return v && v->type == GgufType::kString ? v->s : std::string();
  };
  auto id = [&](const char* key) -> int64_t {
    const GgufValue* v = f.find(key);
    auto i = v ? v->as_int() : std::nullopt;
    return i ? *i : -1;
  };
  const StqLayoutDecision& stq = f.stq_layout();
  const bool has_stq = stq.source != StqLayoutSource::kNone;
  const char* stq_name = stq.layout == WeightType::kSTQ1_0_CONSEC ? "consecutive" : "stride16";
  const PromptFamily family = prompt_family_of(m);
  ChatFamily chat = ChatFamily::kNone;
  if (auto tok = Tokenizer::from_gguf(f); tok.ok()) chat = tok.value()->chat_family();
  const GgufValue* finetune = f.find("general.finetune");
  const std::string finetune_s = finetune && finetune->type == GgufType::kString ? finetune->s : std::string();
  int64_t n_merges = 0;
  if (const GgufValue* mg = f.find("tokenizer.ggml.merges")) n_merges = static_cast<int64_t>(mg->arr.size());

  nlohmann::json j;
  j["file"] = a.model;
  j["file_bytes"] = f.file_size();
  j["gguf_version"] = f.version();
  j["alignment"] = f.alignment();
  j["architecture"] = hp.arch;
  j["name"] = str("general.name");
  j["hparams"] = {{"n_vocab", hp.n_vocab},     {"n_embd", hp.n_embd},       {"n_layer", hp.n_layer},
                  {"n_head", hp.n_head},       {"n_head_kv", hp.n_head_kv}, {"head_dim", hp.head_dim},
                  {"n_ff", hp.n_ff},           {"rms_eps", hp.rms_eps},     {"rope_freq_base", hp.rope_base},
                  {"n_ctx_train", hp.n_ctx_train}};
  j["tied_output"] = m.tied_output();
  j["tokenizer"] = {{"model", str("tokenizer.ggml.model")},
                    {"pre", str("tokenizer.ggml.pre")},
                    {"n_tokens", hp.n_vocab},
                    {"n_merges", n_merges},
                    {"bos_token_id", id("tokenizer.ggml.bos_token_id")},
                    {"eos_token_id", id("tokenizer.ggml.eos_token_id")},
                    {"has_chat_template", f.find("tokenizer.chat_template") != nullptr}};
  j["n_tensors"] = f.tensors().size();
  j["tensor_types"] = by_type;
  j["weight_bytes"] = weight_bytes;
  j["n_params"] = n_params;
  j["kernel_isa"] = kernel_isa_name();
  j["file_type"] = id("general.file_type");  // -1: no key
  j["finetune"] = finetune ? nlohmann::json(finetune_s) : nlohmann::json(nullptr);
  j["prompt_family"] = prompt_family_name(family);
  j["prompt_template"] = prompt_template(family);
  j["chat_template"] = chat_template_name(chat);
  if (has_stq) {
    nlohmann::json sj = {{"layout", stq_name}, {"source", stq_layout_source_name(stq.source)}, {"detail", stq.detail}};
    if (stq.nll_stride16 >= 0) sj["nll_stride16"] = stq.nll_stride16;
    if (stq.nll_consecutive >= 0) sj["nll_consecutive"] = stq.nll_consecutive;
    j["stq_layout"] = sj;
  } else {
    j["stq_layout"] = nullptr;
  }

  if (a.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("file:          %s (%llu bytes, GGUF v%u, alignment %zu)\n", a.model.c_str(),
              static_cast<unsigned long long>(f.file_size()), f.version(), f.alignment());
  std::printf("architecture:  %s  name: %s\n", hp.arch.c_str(), str("general.name").c_str());
  std::printf("hparams:       %s\n", hp.to_string().c_str());
  std::printf("               rms_eps=%g rope_freq_base=%.9g n_ctx_train=%lld tied_output=%s\n", hp.rms_eps,
              hp.rope_base, static_cast<long long>(hp.n_ctx_train), m.tied_output() ? "yes" : "no");
  std::printf("tokenizer:     model=%s pre=%s tokens=%lld merges=%lld bos=%lld eos=%lld chat_template=%s\n",
              str("tokenizer.ggml.model").c_str(), str("tokenizer.ggml.pre").c_str(),
              static_cast<long long>(hp.n_vocab), static_cast<long long>(n_merges),
              static_cast<long long>(id("tokenizer.ggml.bos_token_id")),
              static_cast<long long>(id("tokenizer.ggml.eos_token_id")),
              f.find("tokenizer.chat_template") ? "yes" : "no");
  std::string types;
  for (const auto& [k, v] : by_type) types += (types.empty() ? "" : ", ") + std::to_string(v) + " " + k;
  std::printf("tensors:       %zu (%s)\n", f.tensors().size(), types.c_str());
  std::printf("weights:       %llu bytes, %lld parameters\n", static_cast<unsigned long long>(weight_bytes),
              static_cast<long long>(n_params));
  std::printf("kernels:       %s\n", kernel_isa_name());
  std::printf("file_type:     %lld  finetune: %s\n", static_cast<long long>(id("general.file_type")),
              finetune ? ("'" + finetune_s + "'").c_str() : "(none)");
  std::printf("family:        %s, chat template %s, prompt \"%s\"\n", prompt_family_name(family),
              chat_template_name(chat), prompt_template(family));
  if (has_stq)
    std::printf("stq_layout:    %s (%s: %s)\n", stq_name, stq_layout_source_name(stq.source), stq.detail.c_str());
  return kExitOk;
}

}  // namespace

void register_info(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<InfoArgs>();
  CLI::App* c = app.add_subcommand("info", "Show a model's architecture, hyperparameters, tokenizer and tensors");
  c->add_option("model", a->model, "GGUF model file")->required();
  c->add_flag("--json", a->json, "Print JSON");
  c->callback([a, exit_code] { *exit_code = run_info(*a); });
}

}  // namespace hymt::cli
