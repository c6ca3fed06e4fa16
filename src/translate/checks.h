// checks.h: checks on a translation, for the failures users of HY-MT report
// most: output in the wrong language (by script), echoed prompt instructions,
// repetition loops, truncation, lost placeholders and <sn> tags, ignored
// glossary terms, empty output; and garbage (checks_garbage.cpp): U+FFFD and
// control characters, letters of scripts the target does not use, a length out
// of proportion to the source, text the n-gram detector places in another
// language, a low model confidence. Each finding is a Problem with a stable code
// (for --json and scripts) and a message a person can act on. The checks only
// read text; the Translator decides whether to retry.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "translate/glossary.h"
#include "translate/languages.h"

namespace hymt {

struct Problem {
  std::string code;  // "wrong_language", "echoed_instructions", "repetition_loop",
                     // "truncated", "lost_placeholder", "glossary_miss", "empty_output",
                     // "bad_characters", "foreign_script", "length_ratio", "low_confidence"
  std::string message;
};

struct CheckInput {
  std::string source;
  std::string output;
  const Language* to = nullptr;
  const Language* from = nullptr;                  // given or detected; null: no length check
  std::vector<std::string> instruction_fragments;  // RenderedPrompt::instruction_fragments
  std::vector<GlossaryEntry> terms;                // the glossary entries present in the source
  bool hit_token_limit = false;
  bool loop_stopped = false;  // the decoder's loop guard gave up
  int64_t max_new_tokens = 0;
  // The model's confidence (mean token log-probability, <= 0) and the least the caller accepts
  // (--min-confidence; NaN: not checked, the default). Only checked when n_output_tokens > 0.
  double mean_logprob = 0;
  int64_t n_output_tokens = 0;
  double min_confidence = std::numeric_limits<double>::quiet_NaN();
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
  kArmenian,
  kGeorgian,
  kEthiopic,
  kGurmukhi,
  kOriya,
  kKannada,
  kMalayalam,
  kSinhala,
  kLao,
  kBopomofo,
  kSyriac,
  kThaana,
  kUnknown,  // a letter of a script not listed, or of no script in particular (U+00B5, U+02BC)
};
Script script_of(uint32_t cp);
const char* script_name(Script s);
// The scripts a translation into `to` is written in (Japanese: Han and kana;
// Kazakh: Cyrillic or Arabic; ...).
std::vector<Script> target_scripts(const Language& to);

// ---- garbage checks (checks_garbage.cpp) ----

// U+FFFD (unless the source has it too), C0/C1 control characters and DEL (tab, newline and
// carriage return only where the source has them too), noncharacters; leading and trailing
// whitespace of the output is ignored.
std::optional<Problem> check_characters(const std::string& source, const std::string& output);

// The scripts a translation into `to` may use: its own (target_scripts), Latin everywhere (names,
// codes, units), Han for Korean, Bopomofo for Traditional Chinese.
std::vector<Script> allowed_scripts(const Language& to);
// Letters of scripts `to` does not use, other than letters copied from the source (a run of one
// script that occurs in the source; a Han or kana character that occurs in it), when there are
// more than kForeignLetterTolerance of them. The message names the script with the most.
constexpr int kForeignLetterTolerance = 1;
std::optional<Problem> check_foreign_script(const std::string& source, const std::string& output, const Language& to);

// Length in units: code points that are not White_Space.
size_t length_units(const std::string& text);
struct LengthBounds {
  double lo = 0, hi = 0;     // output units / source units
  int min_source_units = 0;  // shorter sources are exempt
};
// The calibrated bounds of a pair (checks_calibration.inc, scripts/calibrate-checks.py); false for
// from == to or an unknown pair.
bool length_bounds(const Language& from, const Language& to, LengthBounds* b);
std::optional<Problem> check_length_ratio(const std::string& source, const std::string& output, const Language& from,
                                          const Language& to);

// The n-gram detector (detect.h) on an output of a target whose script several HY-MT languages
// share (Latin, Cyrillic, Arabic, Devanagari) and with at least kDetectMinLetters letters: a
// problem when the whole output and each of its word halves (thirds from 90 letters) are detected
// as one language outside the target's group (zh/zh-Hant/yue, ms/id), the whole with at least the
// calibrated confidence. `from` (may be null) only words the message ("left in the source
// language").
std::optional<Problem> check_detected_language(const std::string& output, const Language* from, const Language& to);
// Whether a and b are languages the detector does not separate reliably (the same, or one group).
bool same_language_group(const Language& a, const Language& b);

}  // namespace hymt
