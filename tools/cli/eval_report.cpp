// eval_report.cpp: the outputs of `hymt eval run`: the table on stdout, the Markdown and JSON
// reports and the SVG chart (hand-written SVG 1.1: one bar group per direction; with --compare a
// second series and a panel of chrF against file size, the docs/formats.md view of a format).
#include <cstdio>
#include <string>

#include "eval_run.h"

namespace hymt::cli {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string problems_text(const DirectionReport& d) {
  std::string p;
  for (const auto& [code, n] : d.problems) p += (p.empty() ? "" : ", ") + code + " " + std::to_string(n);
  return p.empty() ? "none" : p;
}

double score_of(const std::vector<DirectionReport::Score>& s, const std::string& prefix) {
  for (const auto& x : s)
    if (x.name.rfind(prefix, 0) == 0) return x.score;
  return 0;
}

std::string base_name(const std::string& p) {
  const size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

}  // namespace

nlohmann::json report_json(const RunReport& r) {
  nlohmann::json j = {{"model", r.model}, {"model_bytes", r.model_bytes}, {"data", r.data}, {"limit", r.limit}};
  if (!r.model2.empty()) {
    j["compare"] = r.model2;
    j["compare_bytes"] = r.model2_bytes;
  }
  j["directions"] = nlohmann::json::array();
  for (const auto& d : r.directions) {
    nlohmann::json e = {{"pair", d.src + "-" + d.tgt},    {"n_segments", d.n_segments},
                        {"seconds", d.seconds},           {"sentences_per_s", d.sentences_per_s},
                        {"tokens_per_s", d.tokens_per_s}, {"n_output_tokens", d.n_output_tokens}};
    e["scores"] = nlohmann::json::array();
    for (const auto& s : d.scores)
      e["scores"].push_back({{"name", s.name}, {"score", s.score}, {"signature", s.signature}});
    e["problems"] = nlohmann::json::object();
    for (const auto& [code, n] : d.problems) e["problems"][code] = n;
    if (d.compared) {
      nlohmann::json c = {{"kl_divergence", d.kl},
                          {"top1_agreement", d.top1},
                          {"greedy_exact", d.greedy_exact},
                          {"chrf_between_outputs", d.chrf_between},
                          {"n_positions", d.n_positions}};
      c["scores"] = nlohmann::json::array();
      for (const auto& s : d.scores2)
        c["scores"].push_back({{"name", s.name}, {"score", s.score}, {"signature", s.signature}});
      e["compare"] = c;
    }
    j["directions"].push_back(std::move(e));
  }
  if (!r.instruct.is_null()) j["instruct"] = r.instruct;
  return j;
}

std::string report_table(const RunReport& r) {
  std::string o;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-10s %6s %8s %8s %9s %9s  %s\n", "pair", "n", "BLEU", "chrF", "sent/s", "tok/s",
                "problems");
  o += buf;
  for (const auto& d : r.directions) {
    std::snprintf(buf, sizeof buf, "%-10s %6zu %8.2f %8.2f %9.2f %9.1f  %s\n", (d.src + "-" + d.tgt).c_str(),
                  d.n_segments, score_of(d.scores, "BLEU"), score_of(d.scores, "chrF"), d.sentences_per_s,
                  d.tokens_per_s, problems_text(d).c_str());
    o += buf;
  }
  if (!r.model2.empty()) {
    o += "\ncompared with " + r.model2 + ":\n";
    std::snprintf(buf, sizeof buf, "%-10s %8s %8s %12s %8s %8s %10s\n", "pair", "BLEU2", "chrF2", "KL", "top-1",
                  "exact", "chrF(1,2)");
    o += buf;
    for (const auto& d : r.directions) {
      std::snprintf(buf, sizeof buf, "%-10s %8.2f %8.2f %12.6f %8.4f %8.4f %10.2f\n", (d.src + "-" + d.tgt).c_str(),
                    score_of(d.scores2, "BLEU"), score_of(d.scores2, "chrF"), d.kl, d.top1, d.greedy_exact,
                    d.chrf_between);
      o += buf;
    }
  }
  o += "\n";
  std::string seen;
  for (const auto& d : r.directions)
    for (const auto& s : d.scores) {
      const std::string line = s.name + "|" + s.signature + "\n";
      if (seen.find(line) == std::string::npos) seen += line;
    }
  o += seen;
  if (!r.instruct.is_null()) {
    const auto& in = r.instruct;
    auto pct = [](const nlohmann::json& v) {
      return v.is_null() ? std::string("n/a") : fmt("%.1f%%", 100 * v.get<double>());
    };
    o += "\ninstruction following (" + in["file"].get<std::string>() + ", " +
         std::to_string(in["n_items"].get<size_t>()) + " items): terminology " + pct(in["terminology"]["success"]) +
         ", placeholders " + pct(in["placeholders"]["rate"]) + ", tags " + pct(in["tags"]["rate"]) + ", SRT cues " +
         pct(in["srt_cues"]["rate"]) + ", wrong language " + pct(in["wrong_language_rate"]) + ", echo " +
         pct(in["echo_rate"]) + ", loops " + pct(in["loop_rate"]) + "\n";
  }
  return o;
}

std::string report_markdown(const RunReport& r) {
  std::string o = "# hymt eval report\n\n";
  o += "- model: `" + r.model + "` (" + std::to_string(r.model_bytes) + " bytes)\n";
  if (!r.model2.empty()) o += "- compared with: `" + r.model2 + "` (" + std::to_string(r.model2_bytes) + " bytes)\n";
  o += "- data: `" + r.data + "`" + (r.limit ? ", first " + std::to_string(r.limit) + " segments" : std::string()) +
       "\n\n";
  o += "| pair | segments | BLEU | chrF | sentences/s | tokens/s | problems |\n|---|---:|---:|---:|---:|---:|---|\n";
  for (const auto& d : r.directions)
    o += "| " + d.src + "-" + d.tgt + " | " + std::to_string(d.n_segments) + " | " +
         fmt("%.2f", score_of(d.scores, "BLEU")) + " | " + fmt("%.2f", score_of(d.scores, "chrF")) + " | " +
         fmt("%.2f", d.sentences_per_s) + " | " + fmt("%.1f", d.tokens_per_s) + " | " + problems_text(d) + " |\n";
  if (!r.model2.empty()) {
    o += "\n## Fidelity of the compared model\n\n";
    o += "| pair | BLEU | chrF | KL divergence | top-1 agreement | greedy-exact | chrF between outputs |\n"
         "|---|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& d : r.directions)
      o += "| " + d.src + "-" + d.tgt + " | " + fmt("%.2f", score_of(d.scores2, "BLEU")) + " | " +
           fmt("%.2f", score_of(d.scores2, "chrF")) + " | " + fmt("%.6f", d.kl) + " | " + fmt("%.4f", d.top1) + " | " +
           fmt("%.4f", d.greedy_exact) + " | " + fmt("%.2f", d.chrf_between) + " |\n";
    o += "\nKL(P_model || P_compared) and top-1 agreement over the reference translations' tokens (teacher forcing).\n";
  }
  o += "\n## Signatures\n\n";
  std::string seen;
  for (const auto& d : r.directions)
    for (const auto& s : d.scores) {
      const std::string line = "- " + d.src + "-" + d.tgt + ": `" + s.name + "|" + s.signature + "`\n";
      seen += line;
    }
  o += seen;
  if (!r.instruct.is_null()) {
    const auto& in = r.instruct;
    auto cell = [](const nlohmann::json& v) { return v.is_null() ? std::string("n/a") : fmt("%.3f", v.get<double>()); };
    o += "\n## Instruction following\n\n| check | items | rate |\n|---|---:|---:|\n";
    o += "| terminology (terms) | " + std::to_string(in["terminology"]["terms"].get<size_t>()) + " | " +
         cell(in["terminology"]["success"]) + " |\n";
    for (const char* k : {"placeholders", "tags", "srt_cues"})
      o += std::string("| ") + k + " | " + std::to_string(in[k]["items"].get<size_t>()) + " | " + cell(in[k]["rate"]) +
           " |\n";
    const std::string n = std::to_string(in["n_items"].get<size_t>());
    o += "| wrong language | " + n + " | " + cell(in["wrong_language_rate"]) + " |\n";
    o += "| echoed instructions | " + n + " | " + cell(in["echo_rate"]) + " |\n";
    o += "| repetition loops | " + n + " | " + cell(in["loop_rate"]) + " |\n";
  }
  return o;
}

std::string report_svg(const RunReport& r) {
  const bool cmp = !r.model2.empty();
  const size_t nd = r.directions.size();
  const int series = cmp ? 4 : 2;  // BLEU, chrF (and the compared model's)
  const int group_w = 26 * series + 30, left = 50, top = 40, plot_h = 240;
  const int bars_w = left + static_cast<int>(nd) * group_w + 20;
  const int scatter_w = cmp ? 320 : 0;
  const int width = std::max(bars_w + scatter_w, 360), height = top + plot_h + 70;
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + std::to_string(width) + "\" height=\"" +
       std::to_string(height) + "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  o += "<title>hymt eval: scores per direction</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o += "<text x=\"" + std::to_string(left) + "\" y=\"20\" font-size=\"14\">" + xml_escape(base_name(r.model)) +
       (cmp ? " vs " + xml_escape(base_name(r.model2)) : std::string()) + "</text>\n";
  const char* colors[] = {"#4477aa", "#66ccee", "#ee6677", "#ccbb44"};
  const char* names[] = {"BLEU", "chrF", "BLEU (compared)", "chrF (compared)"};
  auto y_of = [&](double v) {
    return top + plot_h - static_cast<int>(plot_h * std::min(std::max(v, 0.0), 100.0) / 100.0);
  };
  for (int t = 0; t <= 100; t += 25) {
    o += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(bars_w - 10) + "\" y1=\"" +
         std::to_string(y_of(t)) + "\" y2=\"" + std::to_string(y_of(t)) + "\" stroke=\"#ddd\"/>\n";
    o += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(y_of(t) + 4) + "\" text-anchor=\"end\">" +
         std::to_string(t) + "</text>\n";
  }
  for (size_t i = 0; i < nd; ++i) {
    const auto& d = r.directions[i];
    const double vals[] = {score_of(d.scores, "BLEU"), score_of(d.scores, "chrF"), score_of(d.scores2, "BLEU"),
                           score_of(d.scores2, "chrF")};
    const int gx = left + static_cast<int>(i) * group_w + 15;
    for (int s = 0; s < series; ++s) {
      const int x = gx + 26 * s, y = y_of(vals[s]);
      o += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"22\" height=\"" +
           std::to_string(top + plot_h - y) + "\" fill=\"" + colors[s] + "\"><title>" + names[s] + " " +
           fmt("%.2f", vals[s]) + "</title></rect>\n";
    }
    o += "<text x=\"" + std::to_string(gx + 13 * series) + "\" y=\"" + std::to_string(top + plot_h + 16) +
         "\" text-anchor=\"middle\">" + xml_escape(d.src + "-" + d.tgt) + "</text>\n";
  }
  for (int s = 0; s < series; ++s)
    o += "<rect x=\"" + std::to_string(left + 130 * s) + "\" y=\"" + std::to_string(top + plot_h + 34) +
         "\" width=\"10\" height=\"10\" fill=\"" + colors[s] + "\"/><text x=\"" + std::to_string(left + 130 * s + 14) +
         "\" y=\"" + std::to_string(top + plot_h + 43) + "\">" + names[s] + "</text>\n";
  if (cmp) {
    // chrF (mean over directions) against file size, one point per file.
    const int sx = bars_w + 40, sw = scatter_w - 70;
    double c1 = 0, c2 = 0;
    for (const auto& d : r.directions) {
      c1 += score_of(d.scores, "chrF") / static_cast<double>(nd);
      c2 += score_of(d.scores2, "chrF") / static_cast<double>(nd);
    }
    const double mb1 = static_cast<double>(r.model_bytes) / 1e6, mb2 = static_cast<double>(r.model2_bytes) / 1e6;
    const double max_mb = std::max(mb1, mb2) * 1.15 + 1e-9;
    o += "<text x=\"" + std::to_string(sx) + "\" y=\"" + std::to_string(top - 8) +
         "\">mean chrF against file size (MB)</text>\n";
    o += "<rect x=\"" + std::to_string(sx) + "\" y=\"" + std::to_string(top) + "\" width=\"" + std::to_string(sw) +
         "\" height=\"" + std::to_string(plot_h) + "\" fill=\"none\" stroke=\"#999\"/>\n";
    const struct {
      double mb, c;
      const char* color;
      std::string label;
    } pts[] = {{mb1, c1, colors[1], base_name(r.model)}, {mb2, c2, colors[3], base_name(r.model2)}};
    for (const auto& p : pts) {
      const int x = sx + static_cast<int>(sw * p.mb / max_mb), y = y_of(p.c);
      o += "<circle cx=\"" + std::to_string(x) + "\" cy=\"" + std::to_string(y) + "\" r=\"5\" fill=\"" + p.color +
           "\"><title>" + xml_escape(p.label) + ": " + fmt("%.1f", p.mb) + " MB, chrF " + fmt("%.2f", p.c) +
           "</title></circle>\n<text x=\"" + std::to_string(x + 7) + "\" y=\"" + std::to_string(y - 6) + "\">" +
           xml_escape(p.label) + "</text>\n";
    }
    o += "<text x=\"" + std::to_string(sx + sw) + "\" y=\"" + std::to_string(top + plot_h + 16) +
         "\" text-anchor=\"end\">" + fmt("%.1f", max_mb) + " MB</text>\n";
  }
  o += "</svg>\n";
  return o;
}

}  // namespace hymt::cli
