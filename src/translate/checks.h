// checks.h: checks on a translation, for the failures users of HY-MT report
// most: output in the wrong language (by script), echoed prompt instructions,
// repetition loops, truncation, lost placeholders and <sn> tags, ignored
// glossary terms, empty output. Each finding is a Problem with a stable code
// (for --json and scripts) and a message a person can act on. The checks only
// read text; the Translator decides whether to retry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "translate/glossary.h"
#include "translate/languages.h"

namespace hymt {

struct Problem {
  std::string code;  // "wrong_language", "echoed_instructions", "repetition_loop",
                     // "truncated", "lost_placeholder", "glossary_miss", "empty_output"
  std::string message;
};

struct CheckInput {
  std::string source;
  std::string output;
  const Language* to = nullptr;
  std::vector<std::string> instruction_fragments;  // RenderedPrompt::instruction_fragments
  std::vector<GlossaryEntry> terms;                // the glossary entries present in the source
  bool hit_token_limit = false;
  bool loop_stopped = false;  // the decoder's loop guard gave up
  int64_t max_new_tokens = 0;
};

std::vector<Problem> check_output(const CheckInput& in);

// The individual checks (exposed for tests).

// Placeholders in order of appearance: {name} / {0} / {}, {{var}}, ${var},
// printf conversions (%s, %d, %1$s, %.2f, %lu; "%%" is a literal percent, not a
// placeholder) and <sn> / </sn> tags.
std::vector<std::string> find_placeholders(const std::string& text);

// A run of one unit of text repeated back to back: the unit must contain a
// letter (rules like
// "-----" or "......" are not loops), repeat at least 3 times and cover at
// least 20 code points.
struct TextLoop {
  std::string unit;
  int repeats = 0;
};
bool find_text_loop(const std::string& text, TextLoop* loop);

// Writing systems, for the wrong-language check.
enum class Script {
  kOther,
  kLatin,
  kGreek,
  kCyrillic,
  kArabic,
  kHebrew,
  kDevanagari,
  kBengali,
  kGujarati,
  kTamil,
  kTelugu,
  kThai,
  kKhmer,
  kMyanmar,
  kTibetan,
  kMongolian,
  kHan,
  kKana,
  kHangul,
};
Script script_of(uint32_t cp);
const char* script_name(Script s);
// The scripts a translation into `to` is written in (Japanese: Han and kana;
// Kazakh: Cyrillic or Arabic; ...).
std::vector<Script> target_scripts(const Language& to);

}  // namespace hymt
