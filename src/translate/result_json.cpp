// result_json.cpp: the translation result schema (result_json.h).
#include "translate/result_json.h"

namespace hymt {

void add_segment_json(const SegmentResult& r, nlohmann::json* seg) {
  nlohmann::json problems = nlohmann::json::array();
  for (const Problem& p : r.problems) problems.push_back({{"code", p.code}, {"message", p.message}});
  (*seg)["prompt"] = r.prompt;
  (*seg)["template"] = r.passed_through ? "none" : prompt_kind_name(r.prompt_kind);
  (*seg)["problems"] = problems;
  (*seg)["glossary_hits"] = r.glossary_hits;
  (*seg)["glossary_misses"] = r.glossary_misses;
  (*seg)["retried"] = r.retried;
  (*seg)["retry_kept"] = r.retry_kept;
  (*seg)["passed_through"] = r.passed_through;
  (*seg)["loop_guard_bans"] = r.loop_guard_bans;
}

nlohmann::json unit_json(const UnitResult& u, const Language& to) {
  nlohmann::json problems = nlohmann::json::array();
  for (const Problem& p : u.problems) problems.push_back({{"code", p.code}, {"message", p.message}});
  const SegmentResult* first = u.segments.empty() ? nullptr : &u.segments.front();
  bool hit_limit = false;
  for (const SegmentResult& s : u.segments) hit_limit |= s.hit_token_limit;
  nlohmann::json j = {{"where", u.where},
                      {"source", u.source},
                      {"output", u.output},
                      {"from", first && first->from ? first->from->code : "unknown"},
                      {"to", to.code},
                      {"prompt_tokens", u.n_prompt_tokens},
                      {"output_tokens", u.n_output_tokens},
                      {"prefill_ms", u.prefill_ms},
                      {"decode_ms", u.decode_ms},
                      {"confidence", u.confidence},
                      {"hit_token_limit", hit_limit}};
  if (u.segments.size() == 1) {
    add_segment_json(u.segments[0], &j);
  } else {
    nlohmann::json pieces = nlohmann::json::array();
    for (const SegmentResult& s : u.segments) {
      nlohmann::json pj = {{"source", s.source},
                           {"output", s.output},
                           {"prompt_tokens", s.n_prompt_tokens},
                           {"output_tokens", s.n_output_tokens},
                           {"confidence", s.mean_logprob}};
      add_segment_json(s, &pj);
      pieces.push_back(std::move(pj));
    }
    j["pieces"] = std::move(pieces);
  }
  // The unit's own fields last: its problem list includes the translator's and the document's.
  j["problems"] = problems;
  j["document_retry"] = u.retried;
  j["kept_source"] = u.kept_source;
  return j;
}

nlohmann::json document_json(const JobResult& jr, const std::string& format, const std::string& charset,
                             const Language& to) {
  nlohmann::json segs = nlohmann::json::array();
  for (const UnitResult& u : jr.units) segs.push_back(unit_json(u, to));
  return nlohmann::json{{"format", format}, {"charset", charset}, {"segments", segs}, {"output", jr.output}};
}

}  // namespace hymt
