// eval_instruct.cpp: the instruction-following set of eval_instruct.h. Items are validated before
// any translation (a malformed line is an error naming it); the rates are over the items a rule
// applies to (an item without placeholders does not count for placeholder preservation).
#include "eval_instruct.h"

#include <algorithm>
#include <map>

#include "eval/chrf.h"
#include "eval/text.h"
#include "io/file_util.h"
#include "translate/checks.h"
#include "translate/document_job.h"
#include "translate/documents/document.h"
#include "translate/glossary.h"

namespace hymt::cli {

std::vector<std::string> find_tags(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '<') continue;
    size_t j = i + 1;
    if (j < s.size() && s[j] == '/') ++j;
    if (j >= s.size() || !std::isalpha(static_cast<unsigned char>(s[j]))) continue;
    const size_t end = s.find_first_of("<>", j);
    if (end == std::string::npos || s[end] != '>') continue;
    out.push_back(s.substr(i, end + 1 - i));
    i = end;
  }
  return out;
}

std::vector<std::string> find_cue_timings(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    std::string line = s.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find("-->") != std::string::npos) out.push_back(line);
    start = nl + 1;
  }
  return out;
}

namespace {

struct Item {
  std::string id, src, ref, format = "text";
  const Language *from = nullptr, *to = nullptr;
  std::vector<std::pair<std::string, std::string>> glossary;
};

template <class T>
bool same_multiset(std::vector<T> a, std::vector<T> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

Result<std::vector<Item>> load(const std::string& path) {
  auto lines = eval::read_lines(path);
  if (!lines.ok()) return lines.status().with_context("--instruct");
  std::vector<Item> items;
  for (size_t n = 0; n < lines->size(); ++n) {
    const std::string& l = (*lines)[n];
    if (l.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(n + 1);
    nlohmann::json j = nlohmann::json::parse(l, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return invalid_argument(where + ": not a JSON object");
    Item it;
    auto str = [&](const char* k, std::string* out, bool required) -> Status {
      if (!j.contains(k)) return required ? invalid_argument(where + ": \"" + k + "\" is required") : Status();
      if (!j[k].is_string()) return invalid_argument(where + ": \"" + k + "\" must be a string");
      *out = j[k].get<std::string>();
      return Status();
    };
    std::string from, to;
    for (Status st : {str("src", &it.src, true), str("to", &to, true), str("from", &from, false),
                      str("ref", &it.ref, false), str("format", &it.format, false), str("id", &it.id, false)})
      if (!st.ok()) return st;
    if (it.src.empty()) return invalid_argument(where + ": \"src\" is empty");
    it.to = find_language(to);
    if (!it.to) return invalid_argument(where + ": unknown language '" + to + "' (" + language_code_list() + ")");
    if (!from.empty()) {
      it.from = find_language(from);
      if (!it.from) return invalid_argument(where + ": unknown language '" + from + "'");
    }
    doc::Format f;
    if (!doc::parse_format(it.format, &f))
      return invalid_argument(where + ": unknown format '" + it.format +
                              "' (text, srt, vtt, html, markdown, json, yaml)");
    if (j.contains("glossary")) {
      if (!j["glossary"].is_object())
        return invalid_argument(where + ": \"glossary\" must be an object {term: target}");
      for (auto& [k, v] : j["glossary"].items()) {
        if (!v.is_string() || k.empty() || v.get<std::string>().empty())
          return invalid_argument(where + ": glossary entries must be non-empty strings");
        it.glossary.emplace_back(k, v.get<std::string>());
      }
    }
    if (it.id.empty()) it.id = std::to_string(n + 1);
    items.push_back(std::move(it));
  }
  if (items.empty()) return invalid_argument(path + ": no items");
  return items;
}

nlohmann::json rate(size_t ok, size_t n) {
  return {{"items", n},
          {"passed", ok},
          {"rate", n ? nlohmann::json(static_cast<double>(ok) / static_cast<double>(n)) : nlohmann::json()}};
}

}  // namespace

Result<nlohmann::json> run_instruct(const std::string& path, Translator& t, bool quiet) {
  auto items = load(path);
  if (!items.ok()) return items.status();
  nlohmann::json rows = nlohmann::json::array();
  size_t terms = 0, term_hits = 0, ph_n = 0, ph_ok = 0, tag_n = 0, tag_ok = 0, srt_n = 0, srt_ok = 0;
  size_t wrong = 0, echo = 0, loop = 0;
  std::vector<std::string> hyps, refs;
  for (const Item& it : *items) {
    doc::Format f;
    doc::parse_format(it.format, &f);
    auto d = doc::parse_document(f, it.src);
    if (!d.ok()) return d.status().with_context(path + " item " + it.id);
    auto g = std::make_shared<Glossary>();
    for (const auto& [s, tg] : it.glossary)
      if (Status st = g->add(s, tg, false, "item " + it.id); !st.ok()) return st;
    JobOptions jo;
    jo.tmpl.from = it.from;
    jo.tmpl.to = it.to;
    if (!it.glossary.empty()) jo.tmpl.glossary = g;
    auto job = translate_document(*d.value(), t, jo);
    if (!job.ok()) return job.status().with_context(path + " item " + it.id);
    const std::string& out = job->output;
    std::map<std::string, bool> codes;
    nlohmann::json problems = nlohmann::json::array();
    for (const UnitResult& u : job->units)
      for (const Problem& p : u.problems) {
        codes[p.code] = true;
        problems.push_back({{"where", u.where}, {"code", p.code}, {"message", p.message}});
      }
    nlohmann::json row = {{"id", it.id}, {"format", it.format}, {"output", out}, {"problems", problems}};
    nlohmann::json misses = nlohmann::json::array();
    for (const auto& [s, tg] : it.glossary) {
      ++terms;
      if (out.find(tg) != std::string::npos)
        ++term_hits;
      else
        misses.push_back(s);
    }
    if (!it.glossary.empty()) row["glossary_misses"] = misses;
    const auto ph_src = find_placeholders(it.src);
    if (!ph_src.empty()) {
      const bool kept = same_multiset(ph_src, find_placeholders(out));
      ++ph_n;
      ph_ok += kept;
      row["placeholders_kept"] = kept;
    }
    const auto tags_src = find_tags(it.src);
    if (!tags_src.empty()) {
      const bool kept = same_multiset(tags_src, find_tags(out));
      ++tag_n;
      tag_ok += kept;
      row["tags_kept"] = kept;
    }
    if (f == doc::Format::kSrt || f == doc::Format::kVtt) {
      const bool aligned = find_cue_timings(it.src) == find_cue_timings(out);
      ++srt_n;
      srt_ok += aligned;
      row["cues_aligned"] = aligned;
    }
    wrong += codes.count("wrong_language");
    echo += codes.count("echoed_instructions");
    loop += codes.count("repetition_loop");
    if (!it.ref.empty() && f == doc::Format::kText) {
      hyps.push_back(out);
      refs.push_back(it.ref);
    }
    rows.push_back(std::move(row));
    if (!quiet) std::fprintf(stderr, "\r\033[Kinstruct %zu/%zu", rows.size(), items->size());
  }
  if (!quiet) std::fputs("\r\033[K", stderr);
  const size_t n = items->size();
  nlohmann::json j = {{"file", path},
                      {"n_items", n},
                      {"terminology",
                       {{"terms", terms},
                        {"hits", term_hits},
                        {"success", terms ? nlohmann::json(static_cast<double>(term_hits) / static_cast<double>(terms))
                                          : nlohmann::json()}}},
                      {"placeholders", rate(ph_ok, ph_n)},
                      {"tags", rate(tag_ok, tag_n)},
                      {"srt_cues", rate(srt_ok, srt_n)},
                      {"wrong_language_rate", static_cast<double>(wrong) / static_cast<double>(n)},
                      {"echo_rate", static_cast<double>(echo) / static_cast<double>(n)},
                      {"loop_rate", static_cast<double>(loop) / static_cast<double>(n)},
                      {"items", rows}};
  if (!hyps.empty()) {
    eval::Chrf chrf(eval::ChrfOptions{});
    auto st = eval::corpus_stats(chrf, hyps, {refs}, nullptr);
    if (st.ok()) j["chrf_vs_ref"] = chrf.score_from_stats(eval::sum_stats(chrf, *st)).score;
  }
  return j;
}

}  // namespace hymt::cli
