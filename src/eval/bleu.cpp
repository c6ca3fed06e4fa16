// bleu.cpp: BLEU statistics and score. The arithmetic follows sacreBLEU's operation order (precision
// 100*c/t, the exp smoothing's halving, the sum of logs divided by the order, log(0) taken as
// -9999999999) so that the doubles come out bit-equal with the same libm.
#include "eval/bleu.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace hymt::eval {

namespace {

using Counts = std::unordered_map<U32, double>;

// All n-grams of orders 1..max_order of whitespace-separated tokens; the key joins tokens with a
// space, which tokens never contain.
Counts ngrams(const std::vector<U32>& toks, int max_order) {
  Counts c;
  for (int n = 1; n <= max_order; ++n) {
    for (size_t i = 0; i + static_cast<size_t>(n) <= toks.size(); ++i) {
      U32 key = toks[i];
      for (int k = 1; k < n; ++k) {
        key.push_back(U' ');
        key += toks[i + static_cast<size_t>(k)];
      }
      c[key] += 1;
    }
  }
  return c;
}

size_t order_of(const U32& key) {
  size_t n = 1;
  for (char32_t ch : key) n += ch == U' ';
  return n;
}

double my_log(double x) { return x == 0.0 ? -9999999999.0 : std::log(x); }

double default_smooth_value(Smooth s) { return s == Smooth::kFloor ? 0.1 : 1.0; }

}  // namespace

bool parse_smooth(const std::string& s, Smooth* out) {
  if (s == "exp")
    *out = Smooth::kExp;
  else if (s == "floor")
    *out = Smooth::kFloor;
  else if (s == "add-k")
    *out = Smooth::kAddK;
  else if (s == "none")
    *out = Smooth::kNone;
  else
    return false;
  return true;
}

U32 Bleu::preprocess(const U32& s) const {
  const U32 t = o_.lowercase ? py_lower(s) : s;
  return tokenize(o_.tokenize, py_rstrip(t));
}

std::vector<double> Bleu::segment_stats(const U32& hyp, const std::vector<U32>& refs) const {
  const size_t N = static_cast<size_t>(o_.max_order);
  Counts ref_max;
  std::vector<size_t> ref_lens;
  for (const U32& r : refs) {
    const auto toks = py_split(preprocess(r));
    ref_lens.push_back(toks.size());
    for (const auto& [g, n] : ngrams(toks, o_.max_order)) {
      double& m = ref_max[g];
      if (n > m) m = n;
    }
  }
  const auto htoks = py_split(preprocess(hyp));
  const size_t hyp_len = htoks.size();
  // Closest reference length; on a tie the shorter one.
  long closest_diff = -1, closest_len = -1;
  for (size_t rl : ref_lens) {
    const long diff = std::labs(static_cast<long>(hyp_len) - static_cast<long>(rl));
    if (closest_diff == -1 || diff < closest_diff) {
      closest_diff = diff;
      closest_len = static_cast<long>(rl);
    } else if (diff == closest_diff && static_cast<long>(rl) < closest_len) {
      closest_len = static_cast<long>(rl);
    }
  }
  std::vector<double> st(2 + 2 * N, 0.0);
  st[0] = static_cast<double>(hyp_len);
  st[1] = static_cast<double>(closest_len);
  for (const auto& [g, n] : ngrams(htoks, o_.max_order)) {
    const size_t k = order_of(g) - 1;
    st[2 + N + k] += n;
    auto it = ref_max.find(g);
    if (it != ref_max.end()) st[2 + k] += std::min(n, it->second);
  }
  return st;
}

MetricScore Bleu::score_from_stats(const std::vector<double>& stats) const {
  const size_t N = static_cast<size_t>(o_.max_order);
  MetricScore s;
  s.name = "BLEU";
  s.sys_len = stats[0];
  s.ref_len = stats[1];
  s.counts.assign(stats.begin() + 2, stats.begin() + 2 + static_cast<long>(N));
  s.totals.assign(stats.begin() + 2 + static_cast<long>(N), stats.begin() + 2 + 2 * static_cast<long>(N));
  s.precisions.assign(N, 0.0);
  const double sv = o_.smooth_value >= 0 ? o_.smooth_value : default_smooth_value(o_.smooth);
  if (s.sys_len < s.ref_len)
    s.bp = s.sys_len > 0 ? std::exp(1.0 - s.ref_len / s.sys_len) : 0.0;
  else
    s.bp = 1.0;
  bool any = false;
  for (double c : s.counts) any |= c != 0;
  if (any) {
    double smooth_mteval = 1.0;
    size_t eff_order = N;
    for (size_t n = 1; n <= N; ++n) {
      if (o_.smooth == Smooth::kAddK && n > 1) {
        s.counts[n - 1] += sv;
        s.totals[n - 1] += sv;
      }
      if (s.totals[n - 1] == 0) break;
      if (o_.effective_order) eff_order = n;
      if (s.counts[n - 1] == 0) {
        if (o_.smooth == Smooth::kExp) {
          smooth_mteval *= 2;
          s.precisions[n - 1] = 100.0 / (smooth_mteval * s.totals[n - 1]);
        } else if (o_.smooth == Smooth::kFloor) {
          s.precisions[n - 1] = 100.0 * sv / s.totals[n - 1];
        }
      } else {
        s.precisions[n - 1] = 100.0 * s.counts[n - 1] / s.totals[n - 1];
      }
    }
    double sum = 0.0;
    for (size_t n = 0; n < eff_order; ++n) sum += my_log(s.precisions[n]);
    s.score = s.bp * std::exp(sum / static_cast<double>(eff_order));
  }
  std::string v;
  char buf[160];
  for (size_t n = 0; n < N; ++n) {
    std::snprintf(buf, sizeof buf, "%s%.1f", n ? "/" : "", s.precisions[n]);
    v += buf;
  }
  const double ratio = s.ref_len != 0 ? s.sys_len / s.ref_len : 0.0;
  std::snprintf(buf, sizeof buf, " (BP = %.3f ratio = %.3f hyp_len = %.0f ref_len = %.0f)", s.bp, ratio, s.sys_len,
                s.ref_len);
  s.verbose = v + buf;
  return s;
}

std::string Bleu::signature(int nrefs) const {
  std::string smooth;
  switch (o_.smooth) {
    case Smooth::kExp: smooth = "exp"; break;
    case Smooth::kNone: smooth = "none"; break;
    case Smooth::kFloor:
    case Smooth::kAddK: {
      char buf[48];
      const double sv = o_.smooth_value >= 0 ? o_.smooth_value : default_smooth_value(o_.smooth);
      std::snprintf(buf, sizeof buf, "[%.2f]", sv);
      smooth = std::string(o_.smooth == Smooth::kFloor ? "floor" : "add-k") + buf;
      break;
    }
  }
  return "nrefs:" + (nrefs < 0 ? std::string("var") : std::to_string(nrefs)) +
         "|case:" + (o_.lowercase ? "lc" : "mixed") + "|eff:" + (o_.effective_order ? "yes" : "no") +
         "|tok:" + tokenizer_name(o_.tokenize) + "|smooth:" + smooth + "|version:" + kSacrebleuVersion;
}

}  // namespace hymt::eval
