// prompt.h: the official translation prompts (spec §7.2 HY-MT1.5, §7.3 Hy-MT2),
// verbatim. The template is chosen from the model family, the request (terms,
// context, style, ...) and the language pair: if either side is Chinese (zh,
// zh-Hant, yue) the Chinese template with the target's Chinese name, otherwise
// the English template with its English name (HY-MT1.5 has only Chinese
// terminology, context and formatted templates, so those always use the Chinese
// name). Rendering keeps the template's literal text apart from the user's
// text, so the output checks can look for echoed instructions without mistaking
// the user's own words for them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "translate/languages.h"

namespace hymt {

enum class PromptFamily { kHyMT15, kHyMT2 };

// "hy-mt1.5" / "hy-mt2" (case-insensitive; "hymt1.5", "1.5", "hymt2", "2" too);
// false on anything else.
bool parse_prompt_family(const std::string& s, PromptFamily* out);
const char* prompt_family_name(PromptFamily f);

bool is_chinese_side(const Language& l);
// The naming rule: a Chinese prompt when either side is Chinese (an unknown
// source counts as not).
bool uses_chinese_prompt(const Language* from, const Language& to);

// Which official template a prompt was rendered from.
enum class PromptKind {
  kDefault,          // HY-MT1.5 ZH<->XX / XX<->XX, Hy-MT2 default
  kTerminology,      // glossary terms present in the segment
  kContext,          // HY-MT1.5 context template
  kTermsAndContext,  // HY-MT1.5: the terminology block followed by the context
                     // template (composed)
  kFormatted,        // <source>/<sn>/<target> (HY-MT1.5 template; used for both
                     // families)
  kStyle,            // Hy-MT2
  kPersonalization,  // Hy-MT2
  kDelimiters,       // Hy-MT2
  kStructured,       // Hy-MT2 structured data 1
  kBackground,       // Hy-MT2 structured data 2 (also Hy-MT2's form of a context)
};
const char* prompt_kind_name(PromptKind k);

struct PromptRequest {
  PromptFamily family = PromptFamily::kHyMT15;
  const Language* from = nullptr;  // may be null (unknown)
  const Language* to = nullptr;    // required
  std::string source;
  std::vector<std::pair<std::string, std::string>> terms;  // (source term, target term), in order
  std::string context;                                     // preceding text / background
  bool formatted = false;                                  // the source carries <sn></sn> tags
  // Hy-MT2 only (rendering refuses them for HY-MT1.5, whose model was not
  // trained on them):
  std::string style;                     // e.g. "formal"; Style template
  std::vector<std::string> preferences;  // Personalization template, one task line each
  bool delimiters = false;               // Delimiters template
  std::string structured_format;         // e.g. "JSON"; Structured data template
  // Retry wording: Hy-MT2's stricter "you must ONLY output" sentence in English
  // prompts.
  bool strict = false;
};

struct RenderedPrompt {
  PromptKind kind = PromptKind::kDefault;
  std::string text;
  // The template's own sentences (literal text split at newlines, at least 6
  // code points, without the user's source, context, terms or names): an output
  // that contains one echoed the instructions.
  std::vector<std::string> instruction_fragments;
};

// Which template a request selects. Precedence: formatted > structured >
// delimiters > personalization > style > terminology (+context) > context >
// default.
PromptKind select_prompt_kind(const PromptRequest& req);

// Renders the request; an error for Hy-MT2-only options with the HY-MT1.5
// family or a missing target.
Result<RenderedPrompt> render_prompt(const PromptRequest& req);

// The user message for translating `source` from `from` (may be null: unknown)
// into `to` with the default template.
std::string translation_prompt(PromptFamily family, const Language* from, const Language& to,
                               const std::string& source);

// The formatted template's answer is "<target>...</target>": the text inside,
// or, without the tags, the whole output (an opening tag without its closing
// tag keeps everything after it).
std::string extract_target_text(const std::string& output);

}  // namespace hymt
