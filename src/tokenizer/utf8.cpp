// utf8.cpp: sanitizing and streaming over utf8_decode_one (core/utf8.cpp): an ill-formed subpart is
// replaced by U+FFFD; a well-formed prefix cut by the end of a piece waits for the next piece.
#include "tokenizer/utf8.h"

namespace hymt {

std::string utf8_sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    Utf8Char c = utf8_decode_one(p + i, s.size() - i);
    if (c.error) {
      utf8_append(out, kReplacementChar);
    } else {
      out.append(s.data() + i, c.len);
    }
    i += c.len;
  }
  return out;
}

std::string Utf8Stream::push(std::string_view bytes) {
  pending_.append(bytes);
  std::string out;
  const auto* p = reinterpret_cast<const uint8_t*>(pending_.data());
  size_t i = 0;
  while (i < pending_.size()) {
    Utf8Char c = utf8_decode_one(p + i, pending_.size() - i);
    if (c.incomplete) break;  // wait for the rest of this character
    if (c.error) {
      utf8_append(out, kReplacementChar);
    } else {
      out.append(pending_, i, c.len);
    }
    i += c.len;
  }
  pending_.erase(0, i);
  return out;
}

std::string Utf8Stream::finish() {
  std::string out;
  if (!pending_.empty()) utf8_append(out, kReplacementChar);  // a truncated character
  pending_.clear();
  return out;
}

}  // namespace hymt
