// checks.cpp: each check works on code points and compares the output with the
// source, so text the translation legitimately copies (names, URLs,
// placeholders, a rule of dashes) is never held against it.
#include "translate/checks.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include "core/utf8.h"
#include "tokenizer/unicode_class.h"

namespace hymt {

namespace {

bool is_letter(uint32_t cp) { return script_of(cp) != Script::kOther; }

// ---- placeholders ----

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == ':';
}

size_t match_printf(const std::string& t, size_t i) {
  // %[n$][flags][width][.precision][length]conversion ; returns the length or
  // 0.
  size_t j = i + 1;
  size_t k = j;
  while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k;
  if (k > j && k < t.size() && t[k] == '$') j = k + 1;  // positional argument
  while (j < t.size() && t[j] != '\0' && std::strchr("-+0#", t[j])) ++j;
  while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
  if (j < t.size() && t[j] == '.') {
    ++j;
    while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
  }
  for (const char* len : {"ll", "hh", "l", "h", "z", "j", "t", "L"})
    if (t.compare(j, std::strlen(len), len) == 0) {
      j += std::strlen(len);
      break;
    }
  if (j < t.size() && t[j] != '\0' && std::strchr("sdiufFxXc@p", t[j])) return j + 1 - i;
  return 0;
}

}  // namespace

std::vector<std::string> find_placeholders(const std::string& t) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      const size_t e = t.find("}}", i + 2);
      if (e != std::string::npos && e - i <= 64 && t.find('\n', i) > e) {
        out.push_back(t.substr(i, e + 2 - i));
        i = e + 2;
        continue;
      }
    } else if (c == '$' && i + 1 < t.size() && t[i + 1] == '{') {
      const size_t e = t.find('}', i + 2);
      if (e != std::string::npos && e - i <= 64 && t.find('\n', i) > e) {
        out.push_back(t.substr(i, e + 1 - i));
        i = e + 1;
        continue;
      }
    } else if (c == '{') {
      size_t j = i + 1;
      while (j < t.size() && j - i <= 64 && ident_char(t[j])) ++j;
      if (j < t.size() && t[j] == '}') {
        out.push_back(t.substr(i, j + 1 - i));
        i = j + 1;
        continue;
      }
    } else if (c == '%') {
      if (i + 1 < t.size() && t[i + 1] == '%') {
        i += 2;  // a literal percent sign
        continue;
      }
      if (size_t n = match_printf(t, i)) {
        out.push_back(t.substr(i, n));
        i += n;
        continue;
      }
    } else if (c == '<') {
      for (const char* tag : {"<sn>", "</sn>"})
        if (t.compare(i, std::strlen(tag), tag) == 0) {
          out.push_back(tag);
          i += std::strlen(tag) - 1;
          break;
        }
    }
    ++i;
  }
  return out;
}

bool find_text_loop(const std::string& text, TextLoop* loop) {
  const std::vector<uint32_t> v = utf8_code_points(text);
  const size_t n = v.size();
  TextLoop best;
  for (size_t p = 1; p <= std::min<size_t>(256, n / 3); ++p) {
    size_t run = 0;  // consecutive positions i with v[i] == v[i - p]
    for (size_t i = p; i <= n; ++i) {
      if (i < n && v[i] == v[i - p]) {
        ++run;
        continue;
      }
      const int repeats = static_cast<int>((run + p) / p);
      if (repeats >= 3 && run + p >= 20 && repeats > best.repeats) {
        const size_t start = i - run - p;
        const bool has_letter = std::any_of(v.begin() + static_cast<ptrdiff_t>(start),
                                            v.begin() + static_cast<ptrdiff_t>(start + p), is_letter);
        if (has_letter) {
          best.unit = utf8_from_code_points(v, start, start + p);
          best.repeats = repeats;
        }
      }
      run = 0;
    }
  }
  if (best.repeats == 0) return false;
  if (loop) *loop = best;
  return true;
}

// ---- scripts ----

Script script_of(uint32_t c) {
  // Only letters and marks have a script here: digits, punctuation and symbols inside a script's
  // block (the Arabic comma, the danda) do not count for or against a language.
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? Script::kLatin : Script::kOther;
  if (!(unicode_class(c) & (kUcLetter | kUcMark))) return Script::kOther;
  if ((c >= 0xC0 && c <= 0x2AF && c != 0xD7 && c != 0xF7) || (c >= 0x1D00 && c <= 0x1DBF) ||
      (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF) ||
      (c >= 0xAB30 && c <= 0xAB6F) || (c >= 0xFB00 && c <= 0xFB06) || (c >= 0xFF21 && c <= 0xFF3A) ||
      (c >= 0xFF41 && c <= 0xFF5A))
    return Script::kLatin;
  if ((c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF)) return Script::kGreek;
  if ((c >= 0x400 && c <= 0x52F) || (c >= 0x1C80 && c <= 0x1C8F) || (c >= 0x2DE0 && c <= 0x2DFF) ||
      (c >= 0xA640 && c <= 0xA69F))
    return Script::kCyrillic;
  if (c >= 0x530 && c <= 0x58F) return Script::kArmenian;
  if ((c >= 0x590 && c <= 0x5FF) || (c >= 0xFB1D && c <= 0xFB4F)) return Script::kHebrew;
  if ((c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F) || (c >= 0x8A0 && c <= 0x8FF) ||
      (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
    return Script::kArabic;
  if (c >= 0x700 && c <= 0x74F) return Script::kSyriac;
  if (c >= 0x780 && c <= 0x7BF) return Script::kThaana;
  if ((c >= 0x900 && c <= 0x97F) || (c >= 0xA8E0 && c <= 0xA8FF)) return Script::kDevanagari;
  if (c >= 0x980 && c <= 0x9FF) return Script::kBengali;
  if (c >= 0xA00 && c <= 0xA7F) return Script::kGurmukhi;
  if (c >= 0xA80 && c <= 0xAFF) return Script::kGujarati;
  if (c >= 0xB00 && c <= 0xB7F) return Script::kOriya;
  if (c >= 0xB80 && c <= 0xBFF) return Script::kTamil;
  if (c >= 0xC00 && c <= 0xC7F) return Script::kTelugu;
  if (c >= 0xC80 && c <= 0xCFF) return Script::kKannada;
  if (c >= 0xD00 && c <= 0xD7F) return Script::kMalayalam;
  if (c >= 0xD80 && c <= 0xDFF) return Script::kSinhala;
  if (c >= 0xE00 && c <= 0xE7F) return Script::kThai;
  if (c >= 0xE80 && c <= 0xEFF) return Script::kLao;
  if ((c >= 0x10A0 && c <= 0x10FF) || (c >= 0x2D00 && c <= 0x2D2F) || (c >= 0x1C90 && c <= 0x1CBF))
    return Script::kGeorgian;
  if (c >= 0x1200 && c <= 0x139F) return Script::kEthiopic;
  if ((c >= 0x1780 && c <= 0x17FF) || (c >= 0x19E0 && c <= 0x19FF)) return Script::kKhmer;
  if ((c >= 0x1000 && c <= 0x109F) || (c >= 0xA9E0 && c <= 0xA9FF) || (c >= 0xAA60 && c <= 0xAA7F))
    return Script::kMyanmar;
  if (c >= 0xF00 && c <= 0xFFF) return Script::kTibetan;
  if (c >= 0x1800 && c <= 0x18AF) return Script::kMongolian;
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x20000 && c <= 0x3134F) || (c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029) ||
      (c >= 0x3038 && c <= 0x303B))
    return Script::kHan;
  // The prolonged sound mark U+30FC is kana in practice (Japanese only).
  if ((c >= 0x3041 && c <= 0x30FA) || (c >= 0x30FC && c <= 0x30FF) || (c >= 0x309D && c <= 0x309F) ||
      (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x1B000 && c <= 0x1B16F))
    return Script::kKana;
  if ((c >= 0xAC00 && c <= 0xD7FF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
      (c >= 0xA960 && c <= 0xA97F) || (c >= 0xFFA0 && c <= 0xFFDC))
    return Script::kHangul;
  if ((c >= 0x3100 && c <= 0x312F) || (c >= 0x31A0 && c <= 0x31BF)) return Script::kBopomofo;
  // Letters of other scripts, and the few letters Unicode gives to no script in particular
  // (U+00AA, U+00B5, U+00BA, the modifier letters, letterlike symbols): the callers decide.
  return (unicode_class(c) & kUcLetter) ? Script::kUnknown : Script::kOther;
}

const char* script_name(Script s) {
  switch (s) {
    case Script::kLatin: return "Latin";
    case Script::kGreek: return "Greek";
    case Script::kCyrillic: return "Cyrillic";
    case Script::kArabic: return "Arabic";
    case Script::kHebrew: return "Hebrew";
    case Script::kDevanagari: return "Devanagari";
    case Script::kBengali: return "Bengali";
    case Script::kGujarati: return "Gujarati";
    case Script::kTamil: return "Tamil";
    case Script::kTelugu: return "Telugu";
    case Script::kThai: return "Thai";
    case Script::kKhmer: return "Khmer";
    case Script::kMyanmar: return "Myanmar";
    case Script::kTibetan: return "Tibetan";
    case Script::kMongolian: return "Mongolian";
    case Script::kHan: return "Han";
    case Script::kKana: return "kana";
    case Script::kHangul: return "Hangul";
    case Script::kArmenian: return "Armenian";
    case Script::kGeorgian: return "Georgian";
    case Script::kEthiopic: return "Ethiopic";
    case Script::kGurmukhi: return "Gurmukhi";
    case Script::kOriya: return "Oriya";
    case Script::kKannada: return "Kannada";
    case Script::kMalayalam: return "Malayalam";
    case Script::kSinhala: return "Sinhala";
    case Script::kLao: return "Lao";
    case Script::kBopomofo: return "Bopomofo";
    case Script::kSyriac: return "Syriac";
    case Script::kThaana: return "Thaana";
    case Script::kUnknown: return "unrecognised";
    case Script::kOther: break;
  }
  return "other";
}

std::vector<Script> target_scripts(const Language& to) {
  static const std::map<std::string, std::vector<Script>> kTable = {
      {"zh", {Script::kHan}},
      {"zh-Hant", {Script::kHan}},
      {"yue", {Script::kHan}},
      {"ja", {Script::kHan, Script::kKana}},
      {"ko", {Script::kHangul, Script::kHan}},
      {"ru", {Script::kCyrillic}},
      {"uk", {Script::kCyrillic}},
      {"kk", {Script::kCyrillic, Script::kArabic}},  // Arabic: the Kazakh of Xinjiang
      {"mn", {Script::kCyrillic, Script::kMongolian}},
      {"ar", {Script::kArabic}},
      {"fa", {Script::kArabic}},
      {"ur", {Script::kArabic}},
      {"ug", {Script::kArabic}},
      {"he", {Script::kHebrew}},
      {"hi", {Script::kDevanagari}},
      {"mr", {Script::kDevanagari}},
      {"bn", {Script::kBengali}},
      {"gu", {Script::kGujarati}},
      {"ta", {Script::kTamil}},
      {"te", {Script::kTelugu}},
      {"th", {Script::kThai}},
      {"km", {Script::kKhmer}},
      {"my", {Script::kMyanmar}},
      {"bo", {Script::kTibetan}},
  };
  auto it = kTable.find(to.code);
  return it != kTable.end() ? it->second : std::vector<Script>{Script::kLatin};
}

namespace {

// The share of the output's letters in the target's scripts, ignoring
// same-script runs (words) that occur verbatim in the source (copied names,
// codes, URLs).
void script_counts(const std::string& source, const std::string& output, const std::vector<Script>& want, int* total,
                   int* good, int* raw_total, int* raw_good, std::map<Script, int>* by_script) {
  const std::vector<uint32_t> v = utf8_code_points(output);
  size_t i = 0;
  while (i < v.size()) {
    const Script s = script_of(v[i]);
    size_t j = i + 1;
    while (j < v.size() && script_of(v[j]) == s) ++j;
    if (s != Script::kOther) {
      const std::string word = utf8_from_code_points(v, i, j);
      // Han and kana runs are not words: never discount them (a zh source and
      // zh output share characters).
      const bool copied = s != Script::kHan && s != Script::kKana && source.find(word) != std::string::npos;
      const int n = static_cast<int>(j - i);
      *raw_total += n;
      (*by_script)[s] += n;  // all letters: names the dominant script in the message
      const bool wanted = std::find(want.begin(), want.end(), s) != want.end();
      if (wanted) *raw_good += n;
      if (!copied) {
        *total += n;
        if (wanted) *good += n;
      }
    }
    i = j;
  }
}

bool has_code(const std::vector<Problem>& ps, const char* code) {
  return std::any_of(ps.begin(), ps.end(), [&](const Problem& p) { return p.code == code; });
}

}  // namespace

std::vector<Problem> check_output(const CheckInput& in) {
  std::vector<Problem> out;
  const std::vector<uint32_t> sv = utf8_code_points(in.source);
  const bool source_has_letters = std::any_of(sv.begin(), sv.end(), is_letter);
  const std::vector<uint32_t> ov = utf8_code_points(in.output);
  const bool output_has_letters = std::any_of(ov.begin(), ov.end(), is_letter);
  if (source_has_letters && !output_has_letters && in.output.find_first_not_of(" \t\r\n") == std::string::npos)
    out.push_back({"empty_output", "the model produced no translation"});

  if (in.to && output_has_letters) {
    const std::vector<Script> want = target_scripts(*in.to);
    int total = 0, good = 0, raw_total = 0, raw_good = 0;
    std::map<Script, int> by;
    script_counts(in.source, in.output, want, &total, &good, &raw_total, &raw_good, &by);
    Script top = Script::kOther;
    int top_n = 0;
    for (const auto& [s, n] : by)
      if (n > top_n) {
        top = s;
        top_n = n;
      }
    // Copied words are forgiven only next to a real translation: an output with
    // 8+ letters and none in the target's scripts (e.g. the source echoed back
    // untranslated) is wrong however copied.
    const bool mostly_other = (total >= 4 && good * 2 < total) || (raw_good == 0 && raw_total >= 8);

    // Japanese written only in Han is Chinese: a real Japanese sentence of 8+
    // letters has kana.
    const bool ja_without_kana =
        in.to->code == "ja" && by.count(Script::kHan) && by.at(Script::kHan) >= 8 && !by.count(Script::kKana);
    if (mostly_other || ja_without_kana) {
      std::string want_names;
      for (Script s : want) want_names += std::string(want_names.empty() ? "" : " or ") + script_name(s);
      out.push_back({"wrong_language", std::string("the output is mostly in ") +
                                           (ja_without_kana ? "Han without kana (Chinese?)" : script_name(top)) +
                                           " script; " + in.to->english + " is written in " + want_names});
    }
  }

  if (auto p = check_characters(in.source, in.output)) out.push_back(*p);
  const bool wrong_by_script = has_code(out, "wrong_language");
  if (in.to && !wrong_by_script)
    if (auto p = check_foreign_script(in.source, in.output, *in.to)) out.push_back(*p);
  if (in.to && in.from && output_has_letters)
    if (auto p = check_length_ratio(in.source, in.output, *in.from, *in.to)) out.push_back(*p);
  if (in.to && !wrong_by_script)
    if (auto p = check_detected_language(in.output, in.from, *in.to)) out.push_back(*p);
  if (!std::isnan(in.min_confidence) && in.n_output_tokens > 0 && in.mean_logprob < in.min_confidence) {
    char b[160];
    std::snprintf(b, sizeof b,
                  "the model's confidence %.3f (mean token log-probability) is below --min-confidence %.3f",
                  in.mean_logprob, in.min_confidence);
    out.push_back({"low_confidence", b});
  }

  for (const std::string& f : in.instruction_fragments)
    if (in.output.find(f) != std::string::npos && in.source.find(f) == std::string::npos) {
      out.push_back({"echoed_instructions", "the output repeats the prompt's instruction \"" + f + "\""});
      break;
    }

  TextLoop loop;
  if (in.loop_stopped) {
    out.push_back({"repetition_loop",
                   "decoding was stopped by the loop guard: "
                   "the model kept repeating itself"});
  } else if (find_text_loop(in.output, &loop)) {
    TextLoop src_loop;
    const int allowed = find_text_loop(in.source, &src_loop) ? src_loop.repeats + 2 : 0;
    if (loop.repeats > allowed)
      out.push_back(
          {"repetition_loop", "the output repeats \"" + loop.unit + "\" " + std::to_string(loop.repeats) + " times"});
  }

  if (in.hit_token_limit)
    out.push_back({"truncated", "the translation stopped at the token limit (" + std::to_string(in.max_new_tokens) +
                                    " tokens) before the model finished; raise --max-tokens"});

  std::map<std::string, int> src_ph, out_ph;
  for (const std::string& p : find_placeholders(in.source)) src_ph[p]++;
  for (const std::string& p : find_placeholders(in.output)) out_ph[p]++;
  for (const auto& [p, n] : src_ph)
    if (out_ph[p] < n)
      out.push_back({"lost_placeholder", "the placeholder " + p + " occurs " + std::to_string(n) +
                                             " time(s) in the source, " + std::to_string(out_ph[p]) +
                                             " in the output"});

  for (const GlossaryEntry& e : in.terms)
    if (!target_term_present(in.output, e.target))
      out.push_back({"glossary_miss", e.keep ? "'" + e.source + "' should be kept as is but is missing from the output"
                                             : "'" + e.source + "' should be translated as '" + e.target +
                                                   "' but the output does not contain it"});
  return out;
}

}  // namespace hymt
