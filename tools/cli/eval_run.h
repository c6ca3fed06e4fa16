// eval_run.h: `hymt eval run`: translate parallel test sets with a model and score them; with
// --compare, the fidelity of a second model file to the first; with --instruct, instruction-
// following checks on a JSONL set (eval_instruct.cpp); reports and plots (eval_report.cpp).
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hymt::cli {

void register_eval_run(CLI::App& eval_cmd, int* exit_code);

// One direction's results, as the report shows them.
struct DirectionReport {
  std::string src, tgt;  // language codes
  size_t n_segments = 0;
  struct Score {
    std::string name, signature;
    double score = 0;
  };
  std::vector<Score> scores;
  double seconds = 0, sentences_per_s = 0, tokens_per_s = 0;
  int64_t n_output_tokens = 0;
  std::vector<std::pair<std::string, int>> problems;  // code -> segments with it
  // --compare
  bool compared = false;
  std::vector<Score> scores2;  // the second model's scores against the references
  double kl = 0, top1 = 0, greedy_exact = 0, chrf_between = 0;
  int64_t n_positions = 0;
};

struct RunReport {
  std::string model, model2;
  uint64_t model_bytes = 0, model2_bytes = 0;
  std::string data;
  size_t limit = 0;
  std::vector<DirectionReport> directions;
  nlohmann::json instruct;  // null unless --instruct
};

nlohmann::json report_json(const RunReport& r);
std::string report_markdown(const RunReport& r);
// A bar chart of the scores per direction and, when two models were compared, score against file
// size; hand-written SVG 1.1.
std::string report_svg(const RunReport& r);
// The per-direction table printed to stdout.
std::string report_table(const RunReport& r);

}  // namespace hymt::cli
