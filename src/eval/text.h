// text.h: the string operations sacreBLEU's metrics are defined with, as Python 3 performs them on
// str: text is a sequence of code points (U32), "whitespace" is str.isspace() (split, strip), and
// lower() is the full Unicode lower-case mapping (ICU, root locale: SpecialCasing and Final_Sigma,
// as CPython). Every metric works on U32 so that n-grams and lengths count code points, never bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hymt::eval {

using U32 = std::u32string;

// Well-formed UTF-8 -> code points; ill-formed bytes become U+FFFD (callers validate file input).
U32 to_u32(std::string_view s);
std::string to_utf8(const U32& s);

// Python's str.isspace() set: \t \n \v \f \r, U+001C-001F, space, U+0085, U+00A0, U+1680,
// U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000. (Not U+200B or U+FEFF.)
bool py_isspace(char32_t c);

// str.split() without arguments: runs of whitespace separate, none at the ends.
std::vector<U32> py_split(const U32& s);
// ' '.join(s.split()): the normalisation every tokenizer ends with.
U32 py_join_split(const U32& s);
U32 py_strip(const U32& s);
U32 py_rstrip(const U32& s);
// str.lower().
U32 py_lower(const U32& s);
// False when built without ICU: py_lower() then maps ASCII only.
bool lowercase_is_exact();

// The lines of a text file as Python reads a file opened in text mode: universal newlines (\n,
// \r\n and a lone \r end a line), the terminator removed, no empty last line after a final
// newline. Ill-formed UTF-8 is an error naming the line (Python refuses it as well).
Result<std::vector<std::string>> read_lines(const std::string& path);

}  // namespace hymt::eval
