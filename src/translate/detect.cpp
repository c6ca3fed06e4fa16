// detect.cpp: script histogram over the text's code points; the dominant script decides when it
// belongs to one HY-MT language only (kana -> ja, Hangul -> ko, Thai, Khmer, Myanmar, Tibetan,
// Gujarati, Telugu, Tamil, Bengali, Hebrew) or to Chinese (Han without kana).
#include "translate/detect.h"

#include <cstdint>
#include <map>

namespace hymt {

namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes count as U+FFFD.
uint32_t next_cp(const std::string& s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
  i += static_cast<size_t>(len);
  return cp;
}

const char* script_of(uint32_t cp) {
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) return "han";
  if (cp >= 0x3040 && cp <= 0x30FF) return "kana";
  if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF)) return "hangul";
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
  if (cp >= 0x0600 && cp <= 0x06FF) return "arab";
  if (cp >= 0x0400 && cp <= 0x04FF) return "cyrl";
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F)) return "latn";
  return nullptr;
}

}  // namespace

const Language* detect_language_by_script(const std::string& text) {
  std::map<std::string, int> counts;
  for (size_t i = 0; i < text.size();) {
    const char* s = script_of(next_cp(text, i));
    if (s) counts[s]++;
  }
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

}  // namespace hymt
