// cmd_detect.cpp: `hymt detect TEXT | -i FILE [--lines] [--json] [--top N]`, a thin layer over
// detect_language_ranked() (src/translate/detect.h). The whole text is one detection by default;
// --lines gives one per line ('\n'-separated; a line without letters reports no language). Input
// must be valid UTF-8 with letters of some HY-MT script; otherwise the command fails before
// printing anything (exit 3 for a file, 2 for text on the command line).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_common.h"
#include "core/utf8.h"
#include "translate/detect.h"

namespace hymt::cli {

namespace {

struct DetectArgs {
  std::string text, input;
  bool has_text = false, has_input = false;  // given on the command line (an empty text is an error)
  bool lines = false, json = false;
  size_t top = 3;
};

Result<std::string> read_all(const std::string& path) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return not_found("cannot open " + path);
  std::string all;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) all.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed) return io_error("reading " + path + " failed");
  return all;
}

// Lines split on '\n' (a '\r' before it is dropped); a final '\n' does not start another line.
std::vector<std::string> split_lines(const std::string& all) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < all.size();) {
    size_t j = all.find('\n', i);
    if (j == std::string::npos) j = all.size();
    std::string line = all.substr(i, j - i);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    i = j + 1;
  }
  return lines;
}

nlohmann::ordered_json to_json(const std::vector<Detection>& d) {
  nlohmann::ordered_json j;
  if (d.empty()) {
    j["code"] = nullptr;
    j["name"] = nullptr;
    j["confidence"] = 0.0;
    j["alternatives"] = nlohmann::ordered_json::array();
    return j;
  }
  j["code"] = d[0].language->code;
  j["name"] = d[0].language->english;
  j["confidence"] = d[0].confidence;
  nlohmann::ordered_json alts = nlohmann::ordered_json::array();
  for (size_t i = 1; i < d.size(); ++i)
    alts.push_back({{"code", d[i].language->code}, {"name", d[i].language->english}, {"confidence", d[i].confidence}});
  j["alternatives"] = alts;
  return j;
}

// "ms\tMalay\t0.981"; "-\t-\t0.000" for a line without letters.
std::string to_text(const std::vector<Detection>& d) {
  char conf[32];
  std::snprintf(conf, sizeof conf, "%.3f", d.empty() ? 0.0 : d[0].confidence);
  if (d.empty()) return std::string("-\t-\t") + conf;
  return d[0].language->code + "\t" + d[0].language->english + "\t" + conf;
}

int run_detect(const DetectArgs& a) {
  if (a.has_text == a.has_input) return report(invalid_argument("give the text or -i FILE (one of them)"));
  std::string all = a.text;
  if (a.has_input) {
    Result<std::string> r = read_all(a.input);
    if (!r.ok()) return report(r.status());
    all = std::move(r.value());
  }
  const std::string where = a.has_input ? a.input : "the text";
  const auto bad = [&](const std::string& m) { return a.has_input ? corrupt_file(m) : invalid_argument(m); };
  if (all.empty()) return report(bad(where + " is empty"));
  if (!utf8_valid(all)) return report(bad(where + " is not valid UTF-8"));
  const std::vector<std::string> units = a.lines ? split_lines(all) : std::vector<std::string>{all};
  std::vector<std::vector<Detection>> found;
  bool any = false;
  for (const std::string& u : units) {
    found.push_back(detect_language_ranked(u, a.top));
    any |= !found.back().empty();
  }
  // Nothing is printed unless some unit has a language: a script reading the output never sees a
  // partial answer for a file that cannot be detected at all.
  if (!any) return report(bad(where + " has no letters of a script an HY-MT language is written in"));
  for (const auto& d : found) {
    const std::string line =
        a.json ? to_json(d).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) : to_text(d);
    std::printf("%s\n", line.c_str());
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) return report(io_error("writing standard output failed"));
  return kExitOk;
}

}  // namespace

void register_detect(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* c = app.add_subcommand("detect", "Detect the language of a text (code, name, confidence)");
  CLI::Option* text = c->add_option("text", args->text, "Text to detect (or -i FILE)");
  CLI::Option* input = c->add_option("--input,-i", args->input, "Read the text from FILE ('-' for standard input)");
  c->add_flag("--lines", args->lines, "One detection per line of the input instead of one for the whole text");
  c->add_flag("--json", args->json, "JSON (one object per detection: code, name, confidence, alternatives)");
  c->add_option("--top", args->top, "Answers per detection: the best plus up to N-1 alternatives")
      ->check(CLI::Range(1, 38))
      ->default_val(3);
  c->callback([args, exit_code, text, input] {
    args->has_text = text->count() > 0;
    args->has_input = input->count() > 0;
    *exit_code = run_detect(*args);
  });
}

}  // namespace hymt::cli
