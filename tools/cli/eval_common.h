// eval_common.h: pieces shared by the `hymt eval` subcommands (cmd_eval.cpp: score/tokenize,
// eval_run.cpp: run): the metric list, building metrics from flags, JSON of a score.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "eval/bleu.h"
#include "eval/chrf.h"
#include "eval/metric.h"
#include "eval/ter.h"

namespace hymt::cli {

struct MetricFlags {
  std::string metrics = "bleu,chrf";
  std::string tokenize;  // empty: from the target language, else 13a
  bool lowercase = false;
  std::string smooth = "exp";
  double smooth_value = -1;
  bool effective_order = false;
  bool ter_case_sensitive = false;
};

struct NamedMetric {
  std::string key;  // "bleu", "chrf", "chrf++", "ter"
  std::unique_ptr<eval::Metric> metric;
};

// Builds the metrics of --metrics (comma-separated). target_lang: the target language's code, for
// the default tokenizer ("" = unknown: 13a). Refuses unknown names and unavailable tokenizers.
Result<std::vector<NamedMetric>> make_metrics(const MetricFlags& f, const std::string& target_lang,
                                              bool sentence_level);

// {"name", "score", "signature", "verbose_score", and BLEU's counts/totals/precisions/bp/lengths}.
nlohmann::json score_json(const eval::MetricScore& s, const std::string& signature);

}  // namespace hymt::cli
