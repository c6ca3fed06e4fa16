// document_job.h: translates a parsed Document. Per unit: long prose is split into sentences and
// packed under a token budget (segment.h); each piece gets a rolling context of the preceding
// source segments (the official context template). The context is source text only, so every
// piece's prompt is known up front and all pieces go to the translator as one batch (decoded
// together, translator.h translate_batch). Then the document's own checks (placeholders, cue
// structure) run on each unit's joined translation; the failing units are retried once, again as
// one batch (without context, and with a repetition penalty when decoding is greedy, so the retry
// can differ), and a translation still unusable after that is replaced by the source text and
// reported: data is never lost. The output is the document rendered from the results. With a
// streaming callback (tmpl.on_text) pieces go one at a time, in order, and nothing is retried here.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "translate/documents/document.h"
#include "translate/translator.h"

namespace hymt {

struct UnitResult {
  std::string where;                                 // "line 12", "cue 3, line 9", "key menu.open"
  std::string source;                                // the unit's source text (placeholders restored)
  std::string output;                                // the text that went into the document (placeholders restored)
  int64_t n_prompt_tokens = 0, n_output_tokens = 0;  // summed over pieces and attempts kept
  int64_t n_cached_tokens = 0;                       // of the prompt tokens, from the prefix cache
  double prefill_ms = 0, decode_ms = 0;              // all attempts
  double confidence = 0;                             // mean token log-probability, weighted by output tokens
  size_t n_pieces = 1;                               // segments the unit was split into
  bool retried = false;                              // the document checks failed once
  bool kept_source = false;
  std::vector<Problem> problems;        // unresolved: the translator's and the document's
  std::vector<SegmentResult> segments;  // the translator's results of the attempt kept
};

struct JobOptions {
  TranslateOptions tmpl;  // copied per piece; from/to/sampling/glossary... as the user set them
  // Prose units longer than this many tokens are split into sentences and packed (0: never split).
  size_t segment_tokens = 256;
  // Rolling context: at most this many preceding source segments, at most context_bytes in all
  // (0 segments: off). Appended after any context the template already carries (--context).
  int context_segments = 2;
  size_t context_bytes = 600;
  // Called after each unit with (units done, total).
  std::function<void(size_t, size_t)> on_progress;
  // Called as each unit's first translation is complete, with the unit's index and that translation
  // (placeholders restored). It is a preview for streaming clients: the document's checks and a
  // retry may still change it (JobResult has the final text). Not called for units that failed.
  std::function<void(size_t unit, const std::string& output)> on_unit;
};

struct JobResult {
  std::string output;  // the rendered document (UTF-8)
  std::vector<UnitResult> units;
  bool checks_failed = false;  // some unit has unresolved problems
};

using TranslateFn = std::function<Result<SegmentResult>(const std::string&, const TranslateOptions&)>;
// Several segments at once; results in input order; on_done(i, result) when item i is final.
using BatchTranslateFn =
    std::function<std::vector<Result<SegmentResult>>(const std::vector<BatchItem>&, const Translator::ItemDone& on_done)>;
using CountTokensFn = std::function<size_t(const std::string&)>;

// The driver over any batch translate function (the Translator, or a fake in tests).
Result<JobResult> translate_document(const doc::Document& d, const BatchTranslateFn& translate,
                                     const CountTokensFn& count_tokens, const JobOptions& opt);
// The same over a one-segment function (called once per item, in order).
Result<JobResult> translate_document(const doc::Document& d, const TranslateFn& translate,
                                     const CountTokensFn& count_tokens, const JobOptions& opt);

// The same with a Translator (its tokenizer counts the tokens).
Result<JobResult> translate_document(const doc::Document& d, Translator& t, const JobOptions& opt);

}  // namespace hymt
