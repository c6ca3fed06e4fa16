// chrf.cpp: chrF / chrF++ statistics and F-score (sacreBLEU's arithmetic order, so equal doubles).
#include "eval/chrf.h"

#include <unordered_map>

namespace hymt::eval {

namespace {

using Counts = std::unordered_map<U32, double>;

// Python's string.punctuation: the ASCII punctuation and symbols.
bool is_ascii_punct(char32_t c) {
  return (c >= U'!' && c <= U'/') || (c >= U':' && c <= U'@') || (c >= U'[' && c <= U'`') || (c >= U'{' && c <= U'~');
}

// One Counter per order, in the order the statistics are laid out.
std::vector<Counts> all_ngrams(const U32& sent, const ChrfOptions& o) {
  std::vector<Counts> out;
  U32 chars;
  if (o.whitespace) {
    chars = sent;
  } else {
    for (char32_t c : sent)
      if (!py_isspace(c)) chars.push_back(c);
  }
  for (int n = 1; n <= o.char_order; ++n) {
    Counts c;
    const size_t N = static_cast<size_t>(n);
    for (size_t i = 0; i + N <= chars.size(); ++i) c[chars.substr(i, N)] += 1;
    out.push_back(std::move(c));
  }
  if (o.word_order > 0) {
    const auto words = Chrf::split_punctuation(sent);
    for (int n = 1; n <= o.word_order; ++n) {
      Counts c;
      const size_t N = static_cast<size_t>(n);
      for (size_t i = 0; i + N <= words.size(); ++i) {
        U32 key = words[i];
        for (size_t k = 1; k < N; ++k) {
          key.push_back(U' ');
          key += words[i + k];
        }
        c[key] += 1;
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::vector<double> match_stats(const std::vector<Counts>& hyp, const std::vector<Counts>& ref) {
  std::vector<double> st;
  st.reserve(hyp.size() * 3);
  for (size_t k = 0; k < hyp.size(); ++k) {
    double n_hyp = 0, n_ref = 0, n_match = 0;
    for (const auto& [g, n] : hyp[k]) {
      n_hyp += n;
      auto it = ref[k].find(g);
      if (it != ref[k].end()) n_match += std::min(n, it->second);
    }
    for (const auto& [g, n] : ref[k]) n_ref += n;
    // sacreBLEU counts no hypothesis n-grams of an order the reference has none of (a one-word
    // Chinese reference has no word bigrams): that order then drops out of the effective order.
    st.push_back(ref[k].empty() ? 0.0 : n_hyp);
    st.push_back(n_ref);
    st.push_back(n_match);
  }
  return st;
}

}  // namespace

std::vector<U32> Chrf::split_punctuation(const U32& sent) {
  std::vector<U32> out;
  for (U32& w : py_split(sent)) {
    if (w.size() == 1) {
      out.push_back(std::move(w));
    } else if (is_ascii_punct(w.back())) {  // '(hi)' becomes '(hi' and ')', as in sacreBLEU
      out.push_back(w.substr(0, w.size() - 1));
      out.push_back(w.substr(w.size() - 1));
    } else if (is_ascii_punct(w.front())) {
      out.push_back(w.substr(0, 1));
      out.push_back(w.substr(1));
    } else {
      out.push_back(std::move(w));
    }
  }
  return out;
}

std::string Chrf::name() const {
  return "chrF" + std::to_string(o_.beta) + std::string(static_cast<size_t>(o_.word_order), '+');
}

std::vector<double> Chrf::segment_stats(const U32& hyp0, const std::vector<U32>& refs) const {
  const U32 hyp = o_.lowercase ? py_lower(hyp0) : hyp0;
  const auto h = all_ngrams(hyp, o_);
  std::vector<double> best;
  double best_f = -1.0;
  for (const U32& r0 : refs) {
    const auto st = match_stats(h, all_ngrams(o_.lowercase ? py_lower(r0) : r0, o_));
    if (refs.size() == 1) return st;
    const double f = f_score(st);
    if (f > best_f) {
      best_f = f;
      best = st;
    }
  }
  return best;
}

double Chrf::f_score(const std::vector<double>& st) const {
  const double eps = 1e-16;
  const double factor = static_cast<double>(o_.beta * o_.beta);
  const int n_order = o_.char_order + o_.word_order;
  double score = 0.0, avg_prec = 0.0, avg_rec = 0.0;
  int eff = 0;
  for (int i = 0; i < n_order; ++i) {
    const double n_hyp = st[3 * static_cast<size_t>(i)], n_ref = st[3 * static_cast<size_t>(i) + 1],
                 n_match = st[3 * static_cast<size_t>(i) + 2];
    if (o_.eps_smoothing) {
      const double prec = n_hyp > 0 ? n_match / n_hyp : eps;
      const double rec = n_ref > 0 ? n_match / n_ref : eps;
      const double denom = factor * prec + rec;
      score += denom > 0 ? ((1 + factor) * prec * rec / denom) : eps;
      ++eff;
      continue;
    }
    if (n_hyp > 0 && n_ref > 0) {
      avg_prec += n_match / n_hyp;
      avg_rec += n_match / n_ref;
      ++eff;
    }
  }
  if (o_.eps_smoothing) return 100 * score / n_order;
  if (eff == 0) {
    avg_prec = avg_rec = 0.0;
  } else {
    avg_prec /= eff;
    avg_rec /= eff;
  }
  if (avg_prec + avg_rec != 0) {
    score = (1 + factor) * avg_prec * avg_rec;
    score /= (factor * avg_prec) + avg_rec;
    return 100 * score;
  }
  return 0.0;
}

MetricScore Chrf::score_from_stats(const std::vector<double>& stats) const {
  MetricScore s;
  s.name = name();
  s.score = f_score(stats);
  return s;
}

std::string Chrf::signature(int nrefs) const {
  return "nrefs:" + (nrefs < 0 ? std::string("var") : std::to_string(nrefs)) +
         "|case:" + (o_.lowercase ? "lc" : "mixed") + "|eff:" + (o_.eps_smoothing ? "no" : "yes") +
         "|nc:" + std::to_string(o_.char_order) + "|nw:" + std::to_string(o_.word_order) +
         "|space:" + (o_.whitespace ? "yes" : "no") + "|version:" + kSacrebleuVersion;
}

}  // namespace hymt::eval
