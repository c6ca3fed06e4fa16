// charset.cpp: BOM sniffing, UTF-16/32 and windows-1252 decoding to UTF-8 (the UTF-8 codec itself is
// core/utf8.h).
#include "translate/documents/charset.h"

#include <cstdint>

#include "core/utf8.h"

namespace hymt::doc {

namespace {

// windows-1252 bytes 0x80-0x9F (WHATWG encoding standard index); 0 marks the five undefined bytes,
// which WHATWG maps to the C1 control of the same value.
constexpr uint16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

uint32_t read_unit(const std::string& b, size_t i, int width, bool le) {
  uint32_t v = 0;
  for (int k = 0; k < width; ++k) {
    const uint32_t byte = static_cast<unsigned char>(b[i + (le ? k : width - 1 - k)]);
    v |= byte << (8 * k);
  }
  return v;
}

Result<std::string> decode_utf16(const std::string& b, size_t start, bool le) {
  if ((b.size() - start) % 2 != 0) return corrupt_file("UTF-16 text has an odd number of bytes");
  std::string out;
  out.reserve(b.size());
  for (size_t i = start; i < b.size(); i += 2) {
    uint32_t u = read_unit(b, i, 2, le);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 4 > b.size())
        return corrupt_file("UTF-16 text ends inside a surrogate pair (byte " + std::to_string(i) + ")");
      const uint32_t lo = read_unit(b, i + 2, 2, le);
      if (lo < 0xDC00 || lo > 0xDFFF) return corrupt_file("UTF-16 lone high surrogate at byte " + std::to_string(i));
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return corrupt_file("UTF-16 lone low surrogate at byte " + std::to_string(i));
    }
    utf8_append(out, u);
  }
  return out;
}

Result<std::string> decode_utf32(const std::string& b, size_t start, bool le) {
  if ((b.size() - start) % 4 != 0) return corrupt_file("UTF-32 text length is not a multiple of 4 bytes");
  std::string out;
  out.reserve(b.size() / 2);
  for (size_t i = start; i < b.size(); i += 4) {
    const uint32_t u = read_unit(b, i, 4, le);
    if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF))
      return corrupt_file("UTF-32 invalid code point at byte " + std::to_string(i));
    utf8_append(out, u);
  }
  return out;
}

bool starts_with(const std::string& s, const char* p, size_t n) { return s.size() >= n && s.compare(0, n, p, n) == 0; }

}  // namespace

const char* charset_name(Charset c) {
  switch (c) {
    case Charset::kUtf8:
      return "UTF-8";
    case Charset::kUtf8Bom:
      return "UTF-8 with BOM";
    case Charset::kUtf16Le:
      return "UTF-16LE";
    case Charset::kUtf16Be:
      return "UTF-16BE";
    case Charset::kUtf32Le:
      return "UTF-32LE";
    case Charset::kUtf32Be:
      return "UTF-32BE";
    case Charset::kWindows1252:
      return "windows-1252";
  }
  return "?";
}

Result<Decoded> decode_to_utf8(const std::string& b) {
  Decoded d;
  if (starts_with(b, "\xFF\xFE\x00\x00", 4)) {
    d.charset = Charset::kUtf32Le;
    auto r = decode_utf32(b, 4, true);
    if (!r.ok()) return r.status();
    d.utf8 = std::move(r).value();
  } else if (starts_with(b, "\x00\x00\xFE\xFF", 4)) {
    d.charset = Charset::kUtf32Be;
    auto r = decode_utf32(b, 4, false);
    if (!r.ok()) return r.status();
    d.utf8 = std::move(r).value();
  } else if (starts_with(b, "\xFF\xFE", 2) || starts_with(b, "\xFE\xFF", 2)) {
    const bool le = b[0] == '\xFF';
    d.charset = le ? Charset::kUtf16Le : Charset::kUtf16Be;
    auto r = decode_utf16(b, 2, le);
    if (!r.ok()) return r.status();
    d.utf8 = std::move(r).value();
  } else if (starts_with(b, "\xEF\xBB\xBF", 3)) {
    d.charset = Charset::kUtf8Bom;
    d.utf8 = b.substr(3);
    if (!utf8_valid(d.utf8)) return corrupt_file("the file starts with a UTF-8 BOM but is not valid UTF-8");
  } else if (utf8_valid(b)) {
    d.utf8 = b;
  } else {
    d.charset = Charset::kWindows1252;
    d.utf8.reserve(b.size() + b.size() / 8);
    for (char ch : b) {
      const unsigned char c = static_cast<unsigned char>(ch);
      uint32_t cp = c;
      if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] != 0) cp = kCp1252High[c - 0x80];
      utf8_append(d.utf8, cp);
    }
  }
  return d;
}

}  // namespace hymt::doc
