// glossary.h: user terminology for translation. Entries come from a file (TSV,
// CSV with RFC 4180 quoting, or JSON: an object {"source": "target"} or an
// array of {"source", "target"}), from
// `--term SRC=TGT` and from `--keep TERM` (never translated: target = source).
// Only the entries whose source term occurs in a segment go into that segment's
// prompt, and each one's target term is then looked for in the output.
//
// Matching: a source term written all in lower case matches regardless of case
// ("api" finds "API"), one with capitals matches exactly ("Apple" does not fire
// on "apple"); terms that start or end with a letter of a space-separated
// script (Latin, Greek, Cyrillic, Arabic, Hebrew, Indic) match whole words only
// ("cat" not in "category"), while Han, kana, Hangul, Thai, Khmer, Burmese and
// Tibetan match as substrings (those scripts do not separate words, and Korean
// attaches particles). A term inside a longer matched term does not count on
// its own ("York" inside "New York").
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace hymt {

struct GlossaryEntry {
  std::string source;
  std::string target;
  bool keep = false;  // --keep: the target is the source itself
  std::string where;  // "terms.tsv:12", "--term", "--keep": for messages
};

enum class GlossaryFormat { kAuto, kTsv, kCsv, kJson };

class Glossary {
 public:
  // Reads a glossary file; the format comes from the extension (.tsv/.tab/.txt,
  // .csv, .json) or, for other names, from the content. Errors name the file
  // and the line.
  static Result<Glossary> load(const std::string& path, GlossaryFormat format = GlossaryFormat::kAuto);
  // Parses text already in memory; `name` prefixes the messages.
  static Result<Glossary> parse(const std::string& text, GlossaryFormat format, const std::string& name);

  // Adds one entry. The same source twice with a different target is an error
  // (which one was meant?); an exact duplicate is ignored.
  Status add(const std::string& source, const std::string& target, bool keep, const std::string& where);
  // "SRC=TGT" (the first '=' splits; both sides trimmed and non-empty).
  Status add_term_spec(const std::string& spec);
  Status add_keep(const std::string& term);

  const std::vector<GlossaryEntry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  // The entries whose source occurs in `text`, in entry order (see the matching
  // rules above).
  std::vector<GlossaryEntry> present_in(const std::string& text) const;

 private:
  std::vector<GlossaryEntry> entries_;
};

// Byte ranges [begin, end) where `term` occurs in `text` under the matching
// rules; `fold_case` forces case-insensitive matching (otherwise it is decided
// from the term as described above).
std::vector<std::pair<size_t, size_t>> find_term(const std::string& text, const std::string& term,
                                                 bool fold_case = false);
// Whether a target term appears in a translation: case-insensitive (a term may
// open a sentence), whole words for space-separated scripts.
bool target_term_present(const std::string& output, const std::string& term);

}  // namespace hymt
