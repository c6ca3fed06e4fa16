// detect.h: offline source-language detection for the 38 HY-MT languages. The script decides first
// (a script used by one HY-MT language only — Hangul, kana, Thai, Khmer, Myanmar, Tibetan, Gujarati,
// Telugu, Tamil, Bengali, Hebrew — names the language); character 1-3-gram statistics from
// FLORES-200 (a generated table compiled in; nothing is read at run time) separate the languages
// that share a script: Latin, Cyrillic, Arabic, Devanagari and Han.
#pragma once

#include <string>

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

}  // namespace hymt
