// text_util.h: small string tools shared by the document formats: splicing translations into the
// original bytes, whitespace trimming, line scanning and placeholder masking. Masking replaces
// spans the model must not touch ({name}, %s, inline tags, inline code...) by tokens {1}, {2}, ...
// whose numbers never occur in the original text, so unmasking is exact.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "translate/documents/document.h"

namespace hymt::doc {

// [begin, end) of the source replaced by the rendered translation of unit `unit`.
struct Edit {
  size_t begin = 0, end = 0, unit = 0;
};
// Copies `src` with each edit's range replaced by piece(edit.unit). Edits must be sorted and must
// not overlap (asserted: the parsers build them in order).
std::string splice(const std::string& src, const std::vector<Edit>& edits,
                   const std::function<std::string(size_t)>& piece);

// Shrinks [*b, *e) of s past ASCII whitespace (space, tab, CR, LF, FF, VT) on both sides.
void trim_range(std::string_view s, size_t* b, size_t* e);
bool is_blank(std::string_view s);
// True when s holds something worth translating: a letter outside ASCII punctuation, digits and
// mask tokens (any non-ASCII byte counts, so every script qualifies).
bool has_words(std::string_view s);

// One line of a text: [begin, end) without its terminator; `next` is where the next line starts.
struct Line {
  size_t begin = 0, end = 0, next = 0;
  std::string_view text(const std::string& s) const { return std::string_view(s).substr(begin, end - begin); }
};
// Lines split at \n, \r\n or a lone \r. A final line without terminator is included when not empty.
std::vector<Line> split_lines(const std::string& s);

// A half-open byte span.
struct Span {
  size_t begin = 0, end = 0;
};
// Replaces the spans (sorted, non-overlapping) of `text` by mask tokens, appending them to *masks.
std::string mask_spans(const std::string& text, const std::vector<Span>& spans, std::vector<Mask>* masks);
// Placeholders of i18n strings: {name}, {0}, ICU groups {n, plural, ...} (balanced braces),
// {{var}}, ${var}, %{var}, printf conversions (%s, %d, %1$s, %-5.2f, %%, %@) and inline HTML tags (<b>,
// </b>, <br/>).
std::vector<Span> find_placeholders(std::string_view s);
// `out` with each mask token replaced by its original.
std::string unmask_text(const std::string& out, const std::vector<Mask>& masks);
size_t count_occurrences(std::string_view hay, std::string_view needle);

// Replaces each run of line breaks (and the spaces around it) by one space: for outputs that must
// stay on one line.
std::string join_lines(const std::string& s);

}  // namespace hymt::doc
