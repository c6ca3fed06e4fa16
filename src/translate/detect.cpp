// detect.cpp: script histogram over the text's code points; the dominant script decides when it
// belongs to one HY-MT language only (kana -> ja, Hangul -> ko, Thai, Khmer, Myanmar, Tibetan,
// Gujarati, Telugu, Tamil, Bengali, Hebrew); otherwise the n-gram stage (detect_ngram.cpp) chooses
// among the languages written in that script.
#include "translate/detect.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "core/utf8.h"
#include "translate/detect_ngram.h"

namespace hymt {

namespace {

const char* script_of(uint32_t cp) {
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x2FFFF))
    return "han";
  if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9D)) return "kana";
  if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F))
    return "hangul";
  if (cp >= 0x0E00 && cp <= 0x0E7F) return "th";
  if (cp >= 0x1780 && cp <= 0x17FF) return "km";
  if (cp >= 0x1000 && cp <= 0x109F) return "my";
  if (cp >= 0x0F00 && cp <= 0x0FFF) return "bo";
  if (cp >= 0x0A80 && cp <= 0x0AFF) return "gu";
  if (cp >= 0x0C00 && cp <= 0x0C7F) return "te";
  if (cp >= 0x0B80 && cp <= 0x0BFF) return "ta";
  if (cp >= 0x0980 && cp <= 0x09FF) return "bn";
  if (cp >= 0x0590 && cp <= 0x05FF) return "he";
  if (cp >= 0x0900 && cp <= 0x097F) return "deva";
  if ((cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
      (cp >= 0xFE70 && cp <= 0xFEFF))
    return "arab";
  if (cp >= 0x0400 && cp <= 0x04FF) return "cyrl";
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
      (cp >= 0x1E00 && cp <= 0x1EFF))
    return "latn";
  return nullptr;
}

std::map<std::string, int> script_counts(const std::string& text) {
  std::map<std::string, int> counts;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = 0; i < text.size();) {
    Utf8Char c = utf8_decode_one(p + i, text.size() - i);
    i += c.len == 0 ? 1 : c.len;
    if (const char* s = script_of(c.cp)) counts[s]++;
  }
  return counts;
}

// The languages the n-gram stage chooses among, per shared script. Han without kana includes
// Japanese: a short Japanese text can be all kanji.
const std::vector<std::string>* shared_script_candidates(const std::string& script) {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"latn", {"en", "fr", "de", "es", "pt", "it", "nl", "pl", "cs", "vi", "ms", "id", "tl", "tr"}},
      {"cyrl", {"ru", "uk", "kk", "mn"}},
      {"arab", {"ar", "fa", "ur", "ug"}},
      {"deva", {"hi", "mr"}},
      {"han", {"zh", "zh-Hant", "yue", "ja"}},
  };
  auto it = m.find(script);
  return it == m.end() ? nullptr : &it->second;
}

bool has_cantonese_character(const std::string& text) {
  static const char* const kMarkers[] = {"嘅", "咗", "佢", "哋", "喺", "唔", "冇", "嘢",   "嚟",  "啲",
                                         "噉", "睇", "啱", "嗰", "嘥", "攰", "諗", "乜嘢", "點解"};
  for (const char* m : kMarkers)
    if (text.find(m) != std::string::npos) return true;
  return false;
}

}  // namespace

const Language* detect_language_by_script(const std::string& text) {
  std::map<std::string, int> counts = script_counts(text);
  if (counts.empty()) return nullptr;
  if (counts["kana"] > 0) return find_language("ja");
  std::string best;
  int n = 0;
  for (const auto& [k, v] : counts)
    if (v > n) {
      best = k;
      n = v;
    }
  if (best == "han") return find_language("zh");
  if (best == "hangul") return find_language("ko");
  for (const char* single : {"th", "km", "my", "bo", "gu", "te", "ta", "bn", "he"})
    if (best == single) return find_language(single);
  return nullptr;  // Latin, Cyrillic, Arabic, Devanagari: several HY-MT languages share them
}

std::vector<Detection> detect_language_ranked(const std::string& text, size_t max_results) {
  std::vector<Detection> out;
  const std::map<std::string, int> counts = script_counts(text);
  int total = 0;
  for (const auto& [k, v] : counts) total += v;
  if (total == 0 || max_results == 0) return out;
  // Kana with Han is Japanese; kana weighs with the Han it is mixed with.
  std::map<std::string, int> merged = counts;
  if (merged.count("kana")) {
    merged["kana"] += merged["han"];
    merged.erase("han");
  }
  std::string script;
  int n = 0;
  for (const auto& [k, v] : merged)
    if (v > n) {
      script = k;
      n = v;
    }
  const double share = static_cast<double>(n) / static_cast<double>(total);
  const std::vector<std::string>* candidates = shared_script_candidates(script);
  if (!candidates) {
    const char* code = script == "kana" ? "ja" : script == "hangul" ? "ko" : script.c_str();
    if (const Language* l = find_language(code)) out.push_back({l, share});
    return out;
  }
  // Written Cantonese uses characters that standard written Chinese does not (嘅 咗 佢 哋 喺 唔 ...).
  // FLORES's Cantonese is close to standard written Chinese, so its n-grams barely learn them.
  if (script == "han" && has_cantonese_character(text)) {
    out.push_back({find_language("yue"), share});
    return out;
  }
  // Simplified-only characters (这 们 顾 ...) without Traditional-only ones rule out zh-Hant and yue;
  // two or more Traditional-only ones (這 們 顧 ...) without Simplified-only ones rule out zh. The
  // character lists come from FLORES build text, where a rare character shared by both forms can
  // look Traditional-only by chance; hence the second rule needs two.
  std::vector<std::string> han_candidates;
  if (script == "han") {
    const HanForms f = count_han_forms(text);
    for (const std::string& c : *candidates) {
      if (f.simplified_only > 0 && f.traditional_only == 0 && (c == "zh-Hant" || c == "yue")) continue;
      if (f.traditional_only >= 2 && f.simplified_only == 0 && c == "zh") continue;
      han_candidates.push_back(c);
    }
    candidates = &han_candidates;
  }
  const std::vector<NgramScore> scores = score_ngrams(text, *candidates, script != "han");
  if (scores.empty()) return out;
  // Overlapping 1-, 2- and 3-grams repeat the same evidence about three times: temper by 3 so the
  // posterior is not certain after a handful of characters.
  double best_ll = scores[0].log_likelihood;
  for (const NgramScore& s : scores) best_ll = std::max(best_ll, s.log_likelihood);
  std::vector<std::pair<double, std::string>> post;
  double z = 0;
  for (const NgramScore& s : scores) {
    post.push_back({std::exp((s.log_likelihood - best_ll) / 3.0), s.code});
    z += post.back().first;
  }
  for (auto& p : post) p.first /= z;
  std::stable_sort(post.begin(), post.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  // A close pair at the top is re-decided by its pair model; the pair keeps the posterior mass the
  // general profiles gave it and splits it by the pair's log-odds (tempered like the n-grams).
  if (post.size() >= 2) {
    double lo = 0;
    if (pair_log_odds(text, post[0].second, post[1].second, &lo)) {
      const double mass = post[0].first + post[1].first;
      const double p0 = 1.0 / (1.0 + std::exp(-std::clamp(lo / 3.0, -50.0, 50.0)));
      post[0].first = mass * p0;
      post[1].first = mass * (1 - p0);
      if (post[1].first > post[0].first) std::swap(post[0], post[1]);
    }
  }
  for (const auto& [p, code] : post) {
    if (out.size() == max_results) break;
    if (const Language* l = find_language(code)) out.push_back({l, share * p});
  }
  return out;
}

const Language* detect_language(const std::string& text, double* confidence) {
  const std::vector<Detection> d = detect_language_ranked(text, 1);
  if (confidence) *confidence = d.empty() ? 0 : d[0].confidence;
  return d.empty() ? nullptr : d[0].language;
}

}  // namespace hymt
