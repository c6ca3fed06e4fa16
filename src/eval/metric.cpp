// metric.cpp: corpus statistics and the score line shared by every metric.
#include "eval/metric.h"

#include <cstdio>
#include <set>

namespace hymt::eval {

Result<std::vector<std::vector<double>>> corpus_stats(const Metric& m, const std::vector<std::string>& hyps,
                                                      const std::vector<std::vector<std::string>>& ref_streams,
                                                      int* nrefs) {
  if (ref_streams.empty()) return invalid_argument("no reference given");
  for (size_t r = 0; r < ref_streams.size(); ++r)
    if (ref_streams[r].size() != hyps.size())
      return invalid_argument("reference " + std::to_string(r + 1) + " has " + std::to_string(ref_streams[r].size()) +
                              " lines, the hypotheses " + std::to_string(hyps.size()));
  std::vector<std::vector<double>> out;
  out.reserve(hyps.size());
  std::set<size_t> counts;
  for (size_t i = 0; i < hyps.size(); ++i) {
    std::vector<U32> refs;
    for (const auto& stream : ref_streams)
      if (!stream[i].empty()) refs.push_back(to_u32(stream[i]));
    if (refs.empty())
      return invalid_argument("line " + std::to_string(i + 1) + ": empty reference (every segment needs one)");
    counts.insert(refs.size());
    out.push_back(m.segment_stats(to_u32(hyps[i]), refs));
  }
  if (nrefs) *nrefs = counts.size() == 1 ? static_cast<int>(*counts.begin()) : (counts.empty() ? 1 : -1);
  return out;
}

std::vector<double> sum_stats(const Metric& m, const std::vector<std::vector<double>>& stats) {
  std::vector<double> sum(m.n_stats(), 0.0);
  for (const auto& s : stats)
    for (size_t k = 0; k < sum.size() && k < s.size(); ++k) sum[k] += s[k];
  return sum;
}

std::string format_score(const MetricScore& s, int width) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", width, s.score);
  std::string out = s.name + " = " + buf;
  if (!s.verbose.empty()) out += " " + s.verbose;
  return out;
}

}  // namespace hymt::eval
