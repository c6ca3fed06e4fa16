// segment_pack.cpp: packs sentences into segments under a token budget. Adjacent pieces are joined
// greedily while the joined text still fits (measured on the joined text, since a tokenizer may
// merge across the seam); a sentence over the budget is first cut into smaller pieces — after clause
// punctuation, then after whitespace, then between code points — so that every cut lands on a
// character boundary and the concatenation of the output equals the concatenation of the input.
#include <algorithm>

#include "core/utf8.h"
#include "translate/segment.h"
#include "translate/segment_chars.h"

namespace hymt {

namespace {

using Counter = std::function<size_t(const std::string&)>;

// Byte offsets just after each code point of s.
std::vector<size_t> cp_ends(const std::string& s) {
  std::vector<size_t> ends;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    Utf8Char c = utf8_decode_one(p + i, s.size() - i);
    i += c.len == 0 ? 1 : c.len;
    ends.push_back(i);
  }
  return ends;
}

// Cuts s after each mark accepted by `cut_after` (the whitespace that follows stays with the piece).
template <typename Pred>
std::vector<std::string> cut_at(const std::string& s, Pred cut_after) {
  std::vector<std::string> parts;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t start = 0;
  bool pending = false;  // a mark was seen; cut before the next non-space character
  for (size_t i = 0; i < s.size();) {
    Utf8Char c = utf8_decode_one(p + i, s.size() - i);
    const size_t len = c.len == 0 ? 1 : c.len;
    const bool space = is_space(c.cp);
    if (pending && !space && i > start) {
      parts.push_back(s.substr(start, i - start));
      start = i;
      pending = false;
    }
    if (cut_after(c.cp, space)) pending = true;
    i += len;
  }
  if (start < s.size()) parts.push_back(s.substr(start));
  return parts;
}

// Longest prefixes that fit, between code points; a code point that alone exceeds the budget is
// its own piece.
void cut_code_points(const std::string& s, size_t max_tokens, const Counter& count,
                     std::vector<std::string>& out) {
  const std::vector<size_t> ends = cp_ends(s);
  size_t start = 0, first = 0;  // first: index of the first code point not yet emitted
  while (first < ends.size()) {
    size_t lo = first, hi = ends.size() - 1;  // the answer is the last index whose prefix fits
    if (count(s.substr(start, ends[lo] - start)) <= max_tokens) {
      while (lo < hi) {
        const size_t mid = lo + (hi - lo + 1) / 2;
        if (count(s.substr(start, ends[mid] - start)) <= max_tokens) lo = mid;
        else hi = mid - 1;
      }
    }
    out.push_back(s.substr(start, ends[lo] - start));
    start = ends[lo];
    first = lo + 1;
  }
}

// Pieces of s, each within the budget where a character boundary allows it.
void units(const std::string& s, int level, size_t max_tokens, const Counter& count,
           std::vector<std::string>& out) {
  if (s.empty()) return;
  if (count(s) <= max_tokens) {
    out.push_back(s);
    return;
  }
  if (level >= 2) {
    cut_code_points(s, max_tokens, count, out);
    return;
  }
  const std::vector<std::string> parts =
      level == 0 ? cut_at(s, [](uint32_t c, bool) { return is_clause_punct(c); })
                 : cut_at(s, [](uint32_t, bool space) { return space; });
  if (parts.size() <= 1) {
    units(s, level + 1, max_tokens, count, out);
    return;
  }
  for (const std::string& part : parts) units(part, level + 1, max_tokens, count, out);
}

}  // namespace

std::vector<std::string> pack_segments(const std::vector<std::string>& sentences, size_t max_tokens,
                                       const std::function<size_t(const std::string&)>& count_tokens) {
  std::vector<std::string> pieces;
  for (const std::string& s : sentences) units(s, 0, max_tokens, count_tokens, pieces);
  std::vector<std::string> segments;
  std::string cur;
  for (std::string& piece : pieces) {
    if (cur.empty()) {
      cur = std::move(piece);
    } else if (count_tokens(cur + piece) <= max_tokens) {
      cur += piece;
    } else {
      segments.push_back(std::move(cur));
      cur = std::move(piece);
    }
  }
  if (!cur.empty()) segments.push_back(std::move(cur));
  return segments;
}

}  // namespace hymt
