// detect.h: offline source-language detection for the 38 HY-MT languages. The script decides first
// (a script used by one HY-MT language only — Hangul, kana, Thai, Khmer, Myanmar, Tibetan, Gujarati,
// Telugu, Tamil, Bengali, Hebrew — names the language); character 1-3-gram statistics from
// FLORES-200 (a generated table compiled in; nothing is read at run time) separate the languages
// that share a script: Latin, Cyrillic, Arabic, Devanagari and Han. Han text with Simplified-only
// or Traditional-only characters loses the candidates of the other form; two close pairs (ms/id,
// zh-Hant/yue) are re-decided by a pair model built on all of the pair's build text.
#pragma once

#include <string>
#include <vector>

#include "translate/languages.h"

namespace hymt {

// The language the text is most likely in, or nullptr when the script alone cannot tell
// (Latin, Cyrillic, Arabic and Devanagari text; Han text is reported as Chinese).
const Language* detect_language_by_script(const std::string& text);

// The most likely HY-MT language of text (one sentence is enough for most languages), or nullptr
// when the text has no letters of a script an HY-MT language uses (empty text, digits, symbols).
// confidence (optional) receives a score in [0, 1]: the share of the text's letters in the chosen
// script times the tempered n-gram posterior of the chosen language among those sharing the script.
// It ranks how sure the detector is; it is not a calibrated probability. Invalid UTF-8 is tolerated.
const Language* detect_language(const std::string& text, double* confidence = nullptr);

// One ranked answer of detect_language_ranked().
struct Detection {
  const Language* language = nullptr;
  double confidence = 0;  // as for detect_language(); the answers' confidences sum to at most 1
};

// The candidate languages best first, at most max_results of them (the first is what
// detect_language() returns, with the same confidence). A script of one language gives one answer;
// a shared script gives its candidates ranked by posterior. Empty when detect_language() is null.
std::vector<Detection> detect_language_ranked(const std::string& text, size_t max_results = 3);

}  // namespace hymt
