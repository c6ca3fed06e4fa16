// document.h: the document model behind `hymt translate`. A format parser turns UTF-8 text into a
// Document: the list of translatable units (what the model sees) plus everything needed to render
// the output from their translations. Invariants: render() with each unit's own text gives back the
// input (byte for byte for the splicing formats: text, SRT, VTT, HTML, Markdown, YAML; the same data
// with the same key order for JSON), and render() never produces a structurally broken file,
// whatever strings it is given (each format escapes or normalizes them).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace hymt::doc {

enum class Format { kText, kSrt, kVtt, kHtml, kMarkdown, kJson, kYaml };

const char* format_name(Format f);
// "text", "srt", "vtt", "html", "markdown" (or "md"), "json", "yaml" (or "yml").
bool parse_format(const std::string& name, Format* out);
// The format of `path` from its extension (.txt, .srt, .vtt, .html/.htm, .md/.markdown, .json,
// .yaml/.yml; anything else, or no path, is plain text) unless `forced` names one ("" = detect).
Result<Format> detect_format(const std::string& path, const std::string& forced);

// One placeholder the model must copy: `token` ({1}, {2}, ...) stands for `original` in Unit::text.
struct Mask {
  std::string token, original;
};

struct Unit {
  std::string text;          // what the model sees (placeholders replaced by mask tokens)
  std::string where;         // for messages: "line 12", "cue 3 (line 40)", "key menu.open"
  std::vector<Mask> masks;   // every token must come back exactly once
  bool splittable = false;   // prose the driver may split into sentences and pack by token budget
  bool single_line = false;  // the output position holds one line (newlines become spaces)
  bool isolated = false;     // translate alone (no rolling context): subtitle cues, short UI strings
};

// A problem with one unit's translation. `fatal`: the translation cannot be used (a placeholder
// lost or repeated, nothing produced) and the driver keeps the source text after the retry;
// otherwise render() repairs the structure (a blank line in a cue is dropped) and it is reported.
struct Issue {
  std::string code;  // "lost_placeholder", "empty_output", "cue_split", "cue_timing"
  std::string message;
  bool fatal = false;
};

class Document {
 public:
  virtual ~Document() = default;
  Format format() const { return format_; }
  const std::vector<Unit>& units() const { return units_; }

  // Problems with `out` as the translation of unit i that a retry may fix; empty when fine.
  // The base checks: not empty when the source is not, every mask token exactly once.
  virtual std::vector<Issue> check(size_t i, const std::string& out) const;
  // The output document; translations.size() must equal units().size(). Mask tokens are replaced
  // by their originals (a missing one is simply absent: callers that care run check() first).
  virtual std::string render(const std::vector<std::string>& translations) const = 0;

 protected:
  explicit Document(Format f) : format_(f) {}
  // translations[i] with mask tokens replaced by their originals.
  std::string unmask(size_t i, const std::string& out) const;
  Format format_;
  std::vector<Unit> units_;
};

// Parses UTF-8 text (see charset.h for decoding) as `f`. Malformed input gives a corrupt-file
// status naming the line; an input with nothing to translate gives an invalid-argument status
// starting with "nothing to translate".
Result<std::unique_ptr<Document>> parse_document(Format f, const std::string& utf8);

}  // namespace hymt::doc
