// result_json.h: the JSON schema of a translation result, shared by `hymt translate --json` and
// the server's native API, so both emit the same fields: one object per document unit (where,
// source, output, languages, tokens, timings, confidence, problems, retries), its pieces when the
// unit was split, and the document around them (format, charset, segments, output).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "translate/document_job.h"
#include "translate/languages.h"
#include "translate/translator.h"

namespace hymt {

// The per-segment fields of one translator result (prompt, template, problems, glossary hits and
// misses, retry flags, loop-guard bans), added to *seg.
void add_segment_json(const SegmentResult& r, nlohmann::json* seg);

// One document unit into `to`.
nlohmann::json unit_json(const UnitResult& u, const Language& to);

// The whole result: {"format", "charset", "segments": [unit...], "output"}.
nlohmann::json document_json(const JobResult& jr, const std::string& format, const std::string& charset,
                             const Language& to);

}  // namespace hymt
