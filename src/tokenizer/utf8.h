// utf8.h: lossy UTF-8 decoding for token text, on the codec of core/utf8.h: each maximal ill-formed
// subpart becomes one U+FFFD, as in Hugging Face tokenizers (Rust String::from_utf8_lossy), browsers
// and Node. Decoding the same bytes whole or in pieces through Utf8Stream gives the same text, and
// Utf8Stream never emits half a character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace hymt {

// `s` with each maximal ill-formed subpart (including a truncated tail) replaced by U+FFFD.
std::string utf8_sanitize(std::string_view s);

// Incremental decoder over a byte stream: push() returns the text that is complete so far (valid
// UTF-8, possibly empty) and keeps an unfinished character for the next call; finish() flushes the
// rest (an unfinished tail becomes U+FFFD). Concatenating every piece equals utf8_sanitize of the
// concatenated input.
class Utf8Stream {
 public:
  std::string push(std::string_view bytes);
  std::string finish();
  // Bytes held back waiting for the rest of a character (0 to 3).
  size_t pending() const { return pending_.size(); }

 private:
  std::string pending_;
};

}  // namespace hymt
