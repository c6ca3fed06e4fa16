// chat_template.cpp: the HY chat templates (spec §3.5), rendered by code rather than by a Jinja
// engine. A prompt is a list of segments: template text (control tokens, looked up by their exact
// text) and message contents (encoded with parse_special = false, so a message cannot smuggle in a
// control token). tests/tokenizer checks the text against @huggingface/jinja rendering the template.
#include "tokenizer/tokenizer.h"

namespace hymt {

namespace {

constexpr const char* kBos = "<｜hy_begin▁of▁sentence｜>";
constexpr const char* kUser = "<｜hy_User｜>";
constexpr const char* kAssistant = "<｜hy_Assistant｜>";
constexpr const char* kEndOfTurn = "<｜hy_place▁holder▁no▁2｜>";
constexpr const char* kEndOfSystem = "<｜hy_place▁holder▁no▁3｜>";
constexpr const char* kNoGeneration = "<｜hy_place▁holder▁no▁8｜>";
constexpr const char* k7bStart = "<|startoftext|>";
constexpr const char* k7bEndOfUser = "<|extra_0|>";
constexpr const char* k7bEndOfSystem = "<|extra_4|>";
constexpr const char* k7bEos = "<|eos|>";

}  // namespace

Status Tokenizer::chat_segments(const std::vector<ChatMessage>& messages, const ChatOptions& opt,
                                std::vector<std::pair<bool, std::string>>* segs) const {
  auto tmpl = [&](const char* s) { segs->emplace_back(true, s); };
  auto text = [&](const std::string& s) { segs->emplace_back(false, s); };
  for (size_t i = 0; i < messages.size(); ++i) {
    const std::string& r = messages[i].role;
    if (r != "system" && r != "user" && r != "assistant")
      return invalid_argument("message " + std::to_string(i) + ": role '" + r + "' (system, user or assistant)");
    if (r == "system" && i != 0) return invalid_argument("message " + std::to_string(i) + ": a system message must come first");
  }
  const bool has_system = !messages.empty() && messages[0].role == "system";
  const size_t first = has_system ? 1 : 0;
  if (family_ == ChatFamily::kHyDense) {
    // BOS [system <no_3>] then <User>content / <Assistant>content<no_2>, then <Assistant> or <no_8>.
    tmpl(kBos);
    if (has_system) {
      text(messages[0].content);
      tmpl(kEndOfSystem);
    }
    for (size_t i = first; i < messages.size(); ++i) {
      if (messages[i].role == "user") {
        tmpl(kUser);
        text(messages[i].content);
      } else {
        tmpl(kAssistant);
        text(messages[i].content);
        tmpl(kEndOfTurn);
      }
    }
    tmpl(opt.add_generation_prompt ? kAssistant : kNoGeneration);
    return Status();
  }
  if (family_ == ChatFamily::kHy7B) {
    // [<startoftext> system <extra_4>] then <startoftext>user<extra_0> (no <startoftext> right after
    // the system head) / assistant<eos>; the model answers right after <extra_0>.
    if (has_system) {
      tmpl(k7bStart);
      text(messages[0].content);
      tmpl(k7bEndOfSystem);
    }
    for (size_t i = first; i < messages.size(); ++i) {
      if (messages[i].role == "user") {
        if (!(has_system && i == 1)) tmpl(k7bStart);
        text(messages[i].content);
        tmpl(k7bEndOfUser);
      } else {
        text(messages[i].content);
        tmpl(k7bEos);
      }
    }
    return Status();
  }
  return unsupported("this vocabulary has neither the HY 1.8B nor the 7B chat tokens");
}

Result<std::string> Tokenizer::render_chat(const std::vector<ChatMessage>& messages, const ChatOptions& opt) const {
  std::vector<std::pair<bool, std::string>> segs;
  HYMT_RETURN_IF_ERROR(chat_segments(messages, opt, &segs));
  std::string out;
  for (const auto& s : segs) out += s.second;
  return out;
}

Result<std::vector<int32_t>> Tokenizer::encode_chat(const std::vector<ChatMessage>& messages,
                                                    const ChatOptions& opt) const {
  std::vector<std::pair<bool, std::string>> segs;
  HYMT_RETURN_IF_ERROR(chat_segments(messages, opt, &segs));
  std::vector<int32_t> ids;
  for (const auto& [is_template, s] : segs) {
    if (!is_template) {
      std::vector<int32_t> part = encode(s, /*parse_special=*/false);
      ids.insert(ids.end(), part.begin(), part.end());
      continue;
    }
    auto id = token_id(s);
    if (!id) return unsupported("the chat template needs token '" + s + "', which is not in the vocabulary");
    ids.push_back(*id);
  }
  return ids;
}

}  // namespace hymt
