// formats.h: the per-format parsers behind parse_document() (internal to src/translate/documents).
// Each takes UTF-8 text without BOM and returns a Document or a status naming the line at fault.
#pragma once

#include <memory>
#include <string>

#include "translate/documents/document.h"

namespace hymt::doc {

Result<std::unique_ptr<Document>> parse_text(const std::string& s);
Result<std::unique_ptr<Document>> parse_subtitles(const std::string& s, bool vtt);
Result<std::unique_ptr<Document>> parse_html(const std::string& s);
Result<std::unique_ptr<Document>> parse_markdown(const std::string& s);
Result<std::unique_ptr<Document>> parse_json(const std::string& s);
Result<std::unique_ptr<Document>> parse_yaml(const std::string& s);

// "line N" for byte offset `pos` of s (1-based).
std::string line_of(const std::string& s, size_t pos);

}  // namespace hymt::doc
