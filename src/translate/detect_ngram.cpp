// detect_ngram.cpp: parses the generated profile text once (on first use) into hash maps and scores
// texts against them. An n-gram seen in training has probability count/total for its order; one
// that was not kept gets half a count, so that a single rare n-gram cannot veto a language.
#include "translate/detect_ngram.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/utf8.h"
#include "tokenizer/unicode_class.h"
#include "translate/letter_case.h"

namespace hymt {

namespace {

constexpr double kWordWeight = 3.0;

const char kProfileText[] =
#include "translate/langid_profile.inc"
    ;

const char kPairText[] =
#include "translate/langid_pairs.inc"
    ;

// Orders 1-3 are character n-grams; order 4 is whole words.
struct Profile {
  double total[4] = {1, 1, 1, 1};
  std::unordered_map<std::u32string, double> log_p;       // log probability of each kept n-gram
  std::unordered_map<std::u32string, double> word_log_p;  // and of each kept word
  double log_unseen[4] = {0, 0, 0, 0};
};

std::u32string decode32(std::string_view s) {
  std::u32string out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    Utf8Char c = utf8_decode_one(p + i, s.size() - i);
    out.push_back(c.cp);
    i += c.len == 0 ? 1 : c.len;
  }
  return out;
}

// "@code t1 t2 t3 t4" then "gram\tcount" and "#word\tcount" lines, until the next "@".
std::map<std::string, Profile> parse_profiles() {
  std::map<std::string, Profile> profiles;
  std::string_view text(kProfileText);
  Profile* cur = nullptr;
  std::vector<std::pair<std::u32string, double>> pending;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    if (line[0] == '@') {
      const size_t sp = line.find(' ');
      cur = &profiles[std::string(line.substr(1, sp - 1))];
      std::string nums(line.substr(sp + 1));
      char* end = nums.data();
      for (double& t : cur->total) t = std::max(1.0, std::strtod(end, &end));
      for (int n = 0; n < 4; ++n) cur->log_unseen[n] = std::log(0.5 / cur->total[n]);
      continue;
    }
    const size_t tab = line.rfind('\t');
    if (!cur || tab == std::string_view::npos) continue;
    const double count = std::strtod(std::string(line.substr(tab + 1)).c_str(), nullptr);
    if (count <= 0) continue;
    if (line[0] == '#') {
      cur->word_log_p[decode32(line.substr(1, tab - 1))] = std::log(count / cur->total[3]);
      continue;
    }
    const std::u32string gram = decode32(line.substr(0, tab));
    if (gram.empty() || gram.size() > 3) continue;
    cur->log_p[gram] = std::log(count / cur->total[gram.size() - 1]);
  }
  return profiles;
}

const std::map<std::string, Profile>& profiles() {
  static const std::map<std::string, Profile> p = parse_profiles();
  return p;
}

// One pair table: add-alpha naive Bayes over the features seen at least twice in the pair's build
// text. Features outside the table are skipped: they say nothing about the pair.
struct PairModel {
  std::string a, b;
  std::vector<size_t> orders;  // character n-gram orders used
  bool words = false;
  // Per feature: log P(f | a) - log P(f | b), the smoothed totals folded in at parse time.
  std::unordered_map<std::u32string, double> char_delta, word_delta;
};

std::vector<PairModel> parse_pairs() {
  struct Raw {
    std::vector<std::pair<std::u32string, std::pair<double, double>>> chars, words;
  };
  std::vector<PairModel> models;
  std::vector<Raw> raws;
  std::vector<double> alphas;
  std::string_view text(kPairText);
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    if (line[0] == '@') {  // "@a b orders words alpha"
      std::vector<std::string> f;
      for (size_t b = 1; b <= line.size();) {
        size_t e = line.find(' ', b);
        if (e == std::string_view::npos) e = line.size();
        f.emplace_back(line.substr(b, e - b));
        b = e + 1;
      }
      if (f.size() != 5) continue;
      PairModel m;
      m.a = f[0];
      m.b = f[1];
      for (char c : f[2]) m.orders.push_back(static_cast<size_t>(c - '0'));
      m.words = f[3] == "1";
      models.push_back(std::move(m));
      raws.emplace_back();
      alphas.push_back(std::strtod(f[4].c_str(), nullptr));
      continue;
    }
    if (models.empty()) continue;
    const size_t t1 = line.find('\t'), t2 = line.rfind('\t');
    if (t1 == std::string_view::npos || t2 == t1) continue;
    const double ca = std::strtod(std::string(line.substr(t1 + 1, t2 - t1 - 1)).c_str(), nullptr);
    const double cb = std::strtod(std::string(line.substr(t2 + 1)).c_str(), nullptr);
    if (line[0] == '#')
      raws.back().words.push_back({decode32(line.substr(1, t1 - 1)), {ca, cb}});
    else
      raws.back().chars.push_back({decode32(line.substr(0, t1)), {ca, cb}});
  }
  // Totals per feature kind (character n-grams of each order share one total, as in the generator's
  // cross-validation: the orders used are a single kind there too).
  for (size_t i = 0; i < models.size(); ++i) {
    for (auto* list : {&raws[i].chars, &raws[i].words}) {
      double ta = 0, tb = 0;
      for (const auto& [g, c] : *list) {
        ta += c.first;
        tb += c.second;
      }
      const double v = static_cast<double>(list->size());
      auto& out = list == &raws[i].chars ? models[i].char_delta : models[i].word_delta;
      for (const auto& [g, c] : *list)
        out[g] = std::log((c.first + alphas[i]) / (ta + alphas[i] * v)) -
                 std::log((c.second + alphas[i]) / (tb + alphas[i] * v));
    }
  }
  return models;
}

struct FormSets {
  std::unordered_set<uint32_t> simplified, traditional;
};

FormSets parse_forms() {
  FormSets f;
  std::string_view text(kPairText);
  const size_t at = text.find("@forms\n");
  if (at == std::string_view::npos) return f;
  text = text.substr(at + 7);
  while (!text.empty() && text[0] != '@') {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.size() < 2 || line[1] != '\t') continue;
    auto& set = line[0] == 'S' ? f.simplified : f.traditional;
    for (char32_t c : decode32(line.substr(2))) set.insert(c);
  }
  return f;
}

const std::vector<PairModel>& pair_models() {
  static const std::vector<PairModel> p = parse_pairs();
  return p;
}

}  // namespace

HanForms count_han_forms(const std::string& text) {
  static const FormSets sets = parse_forms();
  HanForms h;
  for (char32_t c : decode32(text)) {
    h.simplified_only += sets.simplified.count(c);
    h.traditional_only += sets.traditional.count(c);
  }
  return h;
}

bool pair_log_odds(const std::string& text, const std::string& a, const std::string& b, double* log_odds) {
  for (const PairModel& m : pair_models()) {
    double sign = 0;
    if (m.a == a && m.b == b)
      sign = 1;
    else if (m.a == b && m.b == a)
      sign = -1;
    else
      continue;
    const std::u32string norm = normalise_for_ngrams(text);
    double lo = 0;
    for (size_t n : m.orders)
      for (size_t i = 0; i + n <= norm.size(); ++i) {
        auto f = m.char_delta.find(norm.substr(i, n));
        if (f != m.char_delta.end()) lo += f->second;
      }
    if (m.words)
      for (size_t s = 1; s < norm.size();) {
        const size_t e = norm.find(U' ', s);
        if (e == std::u32string::npos) break;
        if (e > s) {
          auto f = m.word_delta.find(norm.substr(s, e - s));
          if (f != m.word_delta.end()) lo += kWordWeight * f->second;
        }
        s = e + 1;
      }
    *log_odds = sign * lo;
    return true;
  }
  return false;
}

std::u32string normalise_for_ngrams(const std::string& text) {
  std::u32string out = U" ";
  for (uint32_t cp : decode32(text)) {
    if (unicode_class(cp) & (kUcLetter | kUcMark)) {
      out.push_back(fold_case(cp, FoldScope::kAllCased));
    } else if (out.back() != U' ') {
      out.push_back(U' ');
    }
  }
  if (out.back() != U' ') out.push_back(U' ');
  return out;
}

std::vector<NgramScore> score_ngrams(const std::string& text, const std::vector<std::string>& candidates,
                                     bool use_words, size_t* n_grams) {
  const std::u32string norm = normalise_for_ngrams(text);
  std::vector<std::u32string> grams;
  for (size_t n = 1; n <= 3; ++n)
    for (size_t i = 0; i + n <= norm.size(); ++i) {
      std::u32string g = norm.substr(i, n);
      if (g.find_first_not_of(U' ') != std::u32string::npos) grams.push_back(std::move(g));
    }
  if (n_grams) *n_grams = grams.size();
  std::vector<std::u32string> words;
  if (use_words)
    for (size_t b = 1; b < norm.size();) {
      const size_t e = norm.find(U' ', b);
      if (e > b) words.push_back(norm.substr(b, e - b));
      b = e + 1;
    }
  std::vector<NgramScore> scores;
  for (const std::string& code : candidates) {
    auto it = profiles().find(code);
    if (it == profiles().end()) continue;
    const Profile& p = it->second;
    double ll = 0;
    for (const std::u32string& g : grams) {
      auto f = p.log_p.find(g);
      ll += f != p.log_p.end() ? f->second : p.log_unseen[g.size() - 1];
    }
    // A word is one observation against about 3 x its length overlapping character n-grams; the
    // weight gives words a say comparable to their characters. Of the two values tried (1, 3), 3
    // raised held-out Malay/Indonesian accuracy from 0.89/0.86 to 0.92/0.90 (docs/translate.md).
    for (const std::u32string& w : words) {
      auto f = p.word_log_p.find(w);
      ll += kWordWeight * (f != p.word_log_p.end() ? f->second : p.log_unseen[3]);
    }
    scores.push_back({code, ll});
  }
  return scores;
}

}  // namespace hymt
