// eval_instruct.h: instruction-following checks in the manner of IFMTBench's rule gates, on a
// JSONL set: one object per line, {"src", "to", "from"?, "ref"?, "glossary"?: {term: target},
// "format"?: text|srt|vtt|html|markdown|json|yaml, "id"?}. Each item is translated through the
// document layer (so formats keep their structure and glossaries reach the prompt) and checked:
// every glossary target present, placeholders and tags kept, SRT cues aligned, and the output
// checks' wrong-language / echoed-instructions / repetition-loop findings (docs/eval.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "translate/translator.h"

namespace hymt::cli {

Result<nlohmann::json> run_instruct(const std::string& path, Translator& t, bool quiet);

// The rule checks, exposed for the report and tests: tags as they appear (<b>, </b>, <br/>),
// SRT/WebVTT cue timings ("00:00:01,000 --> 00:00:02,000") in order.
std::vector<std::string> find_tags(const std::string& text);
std::vector<std::string> find_cue_timings(const std::string& text);

}  // namespace hymt::cli
