// sampling.cpp: HF-order logits processing (penalty -> temperature -> top-k ->
// top-p) in double precision over the kept candidates only, the seeded draw,
// and the n-gram loop guard.
#include "runtime/sampling.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace hymt {

SamplingParams SamplingParams::official() {
  SamplingParams p;
  p.temperature = 0.7f;
  p.top_p = 0.6f;
  p.top_k = 20;
  p.repetition_penalty = 1.05f;
  return p;
}

Status validate_sampling(const SamplingParams& p) {
  if (!std::isfinite(p.temperature) || p.temperature < 0)
    return invalid_argument("--temperature must be >= 0 (0 = greedy), got " + std::to_string(p.temperature));
  if (p.top_k < 0) return invalid_argument("--top-k must be >= 0 (0 = off), got " + std::to_string(p.top_k));
  if (!(p.top_p > 0 && p.top_p <= 1))
    return invalid_argument("--top-p must be in (0, 1], got " + std::to_string(p.top_p));
  if (!std::isfinite(p.repetition_penalty) || p.repetition_penalty <= 0)
    return invalid_argument("--repeat-penalty must be > 0 (1 = off), got " + std::to_string(p.repetition_penalty));
  return Status::ok_status();
}

double uniform01(SplitMix64& rng) { return static_cast<double>(rng.next() >> 11) * (1.0 / 9007199254740992.0); }

void apply_repetition_penalty(float* logits, int64_t n, const std::vector<int32_t>& history, float penalty) {
  if (penalty == 1.0f) return;
  std::vector<int32_t> ids;
  ids.reserve(history.size());
  for (int32_t id : history)
    if (id >= 0 && id < n) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (int32_t id : ids) {
    float& v = logits[id];
    v = v > 0 ? v / penalty : v * penalty;
  }
}

std::vector<std::pair<int32_t, double>> sampling_distribution(const float* logits, int64_t n, const SamplingParams& p) {
  // Candidates sorted by logit, most likely first, ties by id (a fixed order,
  // so draws reproduce).
  std::vector<int32_t> idx;
  idx.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    if (logits[i] > -std::numeric_limits<float>::infinity())
      idx.push_back(static_cast<int32_t>(i));  // not -inf, not NaN
  if (idx.empty()) return {};
  auto by_logit = [&](int32_t a, int32_t b) { return logits[a] != logits[b] ? logits[a] > logits[b] : a < b; };
  const double t = p.temperature > 0 ? p.temperature : 1.0;
  size_t keep = idx.size();
  if (p.top_k > 0 && static_cast<size_t>(p.top_k) < idx.size()) {
    std::nth_element(idx.begin(), idx.begin() + p.top_k - 1, idx.end(), by_logit);
    const float kth = logits[idx[static_cast<size_t>(p.top_k - 1)]];
    // HF removes only logits strictly below the k-th largest: ties with it
    // stay.
    keep = static_cast<size_t>(std::partition(idx.begin(), idx.end(), [&](int32_t i) { return logits[i] >= kth; }) -
                               idx.begin());
  }
  idx.resize(keep);
  std::sort(idx.begin(), idx.end(), by_logit);
  const double mx = static_cast<double>(logits[idx[0]]) / t;
  std::vector<double> prob(idx.size());
  double sum = 0;
  for (size_t i = 0; i < idx.size(); ++i) sum += prob[i] = std::exp(static_cast<double>(logits[idx[i]]) / t - mx);
  for (double& v : prob) v /= sum;
  if (p.top_p < 1.0f) {
    // HF: ascending cumulative mass; drop while it is <= 1 - top_p; the most
    // likely always stays.
    const double cut = 1.0 - static_cast<double>(p.top_p);
    double cum = 0;
    size_t first_kept = idx.size() - 1;  // index into the descending list
    for (size_t k = idx.size(); k-- > 1;) {
      cum += prob[k];
      if (cum <= cut) {
        first_kept = k - 1;
      } else {
        break;
      }
    }
    // Ties in probability: HF sorts them in an unspecified order; ours drops
    // the larger ids first.
    idx.resize(first_kept + 1);
    prob.resize(first_kept + 1);
    double s = 0;
    for (double v : prob) s += v;
    for (double& v : prob) v /= s;
  }
  std::vector<std::pair<int32_t, double>> out;
  out.reserve(idx.size());
  for (size_t i = 0; i < idx.size(); ++i)
    if (prob[i] > 0) out.emplace_back(idx[i], prob[i]);
  return out;
}

int loop_period(const std::vector<int32_t>& generated, int32_t next, const LoopGuardParams& g) {
  const size_t n = generated.size() + 1;
  auto at = [&](size_t i) { return i + 1 == n ? next : generated[i]; };  // tail = generated + next
  for (int L = 1; L <= g.max_period; ++L) {
    const size_t l = static_cast<size_t>(L);
    const int need = std::max(g.min_repeats, (g.min_tokens + L - 1) / L);
    if (n < l * static_cast<size_t>(need)) continue;
    // Length of the tail where x[i] == x[i - L]; R copies need (R - 1) * L such
    // positions.
    size_t match = 0;
    while (match + l < n && at(n - 1 - match) == at(n - 1 - match - l)) ++match;
    if (match / l + 1 >= static_cast<size_t>(need)) return L;
  }
  return 0;
}

bool contains_run(const std::vector<int32_t>& haystack, const int32_t* needle, size_t n) {
  if (n == 0) return true;
  if (haystack.size() < n) return false;
  return std::search(haystack.begin(), haystack.end(), needle, needle + n) != haystack.end();
}

Sampler::Sampler(const SamplingParams& p, const std::vector<int32_t>& prompt, int64_t n_vocab)
    : p_(p), n_vocab_(n_vocab), prompt_(prompt), seen_(static_cast<size_t>(n_vocab), 0), rng_(p.seed) {
  for (int32_t id : prompt)
    if (id >= 0 && id < n_vocab && !seen_[static_cast<size_t>(id)]) {
      seen_[static_cast<size_t>(id)] = 1;
      seen_ids_.push_back(id);
    }
}

void Sampler::accept(int32_t id) {
  generated_.push_back(id);
  if (id >= 0 && id < n_vocab_ && !seen_[static_cast<size_t>(id)]) {
    seen_[static_cast<size_t>(id)] = 1;
    seen_ids_.push_back(id);
  }
}

int32_t Sampler::pick(const float* logits) {
  if (p_.greedy()) {
    int32_t best = -1;
    for (int64_t i = 0; i < n_vocab_; ++i)
      if (logits[i] > -std::numeric_limits<float>::infinity() && (best < 0 || logits[i] > logits[best]))
        best = static_cast<int32_t>(i);
    return best;
  }
  const auto dist = sampling_distribution(logits, n_vocab_, p_);
  if (dist.empty()) return -1;
  double u = uniform01(rng_);
  for (const auto& [id, pr] : dist) {
    if (u < pr) return id;
    u -= pr;
  }
  return dist.back().first;  // rounding left u just above the total
}

int32_t Sampler::choose(float* logits) {
  apply_repetition_penalty(logits, n_vocab_, seen_ids_, p_.repetition_penalty);
  for (;;) {
    const int32_t id = pick(logits);
    if (id < 0 || !p_.loop_guard) return id;
    const int L = loop_period(generated_, id, {});
    if (L == 0) return id;
    // The span the loop would cover; allowed when the prompt itself repeats it.
    const LoopGuardParams g;
    const std::ptrdiff_t span = static_cast<std::ptrdiff_t>(L) * std::max(g.min_repeats, (g.min_tokens + L - 1) / L);
    std::vector<int32_t> tail(
        generated_.end() - std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(generated_.size()), span - 1),
        generated_.end());
    tail.push_back(id);
    if (contains_run(prompt_, tail.data(), tail.size())) return id;
    if (++n_bans_ > kMaxBans) return -1;
    logits[id] = -std::numeric_limits<float>::infinity();
  }
}

}  // namespace hymt
