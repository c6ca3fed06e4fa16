// charset.h: input decoding for documents. Everything downstream works on UTF-8; files arrive as
// UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM (LE or BE), or legacy windows-1252.
// Output is always UTF-8 without BOM.
#pragma once

#include <string>

#include "core/status.h"

namespace hymt::doc {

enum class Charset { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kUtf32Le, kUtf32Be, kWindows1252 };
const char* charset_name(Charset c);

struct Decoded {
  std::string utf8;  // BOM removed
  Charset charset = Charset::kUtf8;
};

// Decodes by BOM (UTF-32 is tested before UTF-16: FF FE 00 00 starts both); without a BOM, valid
// UTF-8 stays as is and anything else is read as windows-1252 (every byte maps to a character, so
// this never fails; callers should say so). Broken UTF-16/32 (odd length, lone surrogates, code
// points above U+10FFFF) is a corrupt-file error with the byte offset.
Result<Decoded> decode_to_utf8(const std::string& bytes);

}  // namespace hymt::doc
