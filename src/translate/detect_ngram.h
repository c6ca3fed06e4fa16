// detect_ngram.h: the character n-gram stage of language detection (internal to src/translate).
// Profiles of 1-3-gram counts come from the generated langid_profile.inc (FLORES-200 devtest lines
// 0-799, scripts/build-langid-profile.py); scoring is naive Bayes over the n-grams of the text.
#pragma once

#include <string>
#include <vector>

namespace hymt {

struct NgramScore {
  std::string code;  // HY-MT language code
  double log_likelihood = 0;
};

// Letters and marks lower-cased; every other run of characters becomes one space; padded with a
// space at both ends. The profile generator normalises its training text the same way.
std::u32string normalise_for_ngrams(const std::string& text);

// Log-likelihood of the text under each candidate's profile (candidates without a profile are
// skipped), in the order given: character 1-3-grams, plus whole words when use_words (not for Han
// text, which does not separate words). Also returns the number of n-grams scored through n_grams.
std::vector<NgramScore> score_ngrams(const std::string& text, const std::vector<std::string>& candidates,
                                     bool use_words, size_t* n_grams = nullptr);

// For a pair with a table in langid_pairs.inc (ms/id, zh-Hant/yue, in either order): the log-odds
// log P(text | a) - log P(text | b) under the pair's naive Bayes model, whole words weighted as in
// score_ngrams. Returns false (and leaves *log_odds alone) for any other pair.
bool pair_log_odds(const std::string& text, const std::string& a, const std::string& b, double* log_odds);

// Han characters of the text seen only in Simplified (zh) build text and only in Traditional
// (zh-Hant, yue) build text ("@forms" in langid_pairs.inc), counted per occurrence.
struct HanForms {
  size_t simplified_only = 0, traditional_only = 0;
};
HanForms count_han_forms(const std::string& text);

}  // namespace hymt
