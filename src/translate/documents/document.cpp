// document.cpp: format names and detection, the checks every format shares, parse dispatch.
#include "translate/documents/document.h"

#include <algorithm>

#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::kText:
      return "text";
    case Format::kSrt:
      return "srt";
    case Format::kVtt:
      return "vtt";
    case Format::kHtml:
      return "html";
    case Format::kMarkdown:
      return "markdown";
    case Format::kJson:
      return "json";
    case Format::kYaml:
      return "yaml";
  }
  return "?";
}

bool parse_format(const std::string& name, Format* out) {
  const std::string n = lower(name);
  if (n == "text" || n == "txt")
    *out = Format::kText;
  else if (n == "srt")
    *out = Format::kSrt;
  else if (n == "vtt" || n == "webvtt")
    *out = Format::kVtt;
  else if (n == "html" || n == "htm")
    *out = Format::kHtml;
  else if (n == "markdown" || n == "md")
    *out = Format::kMarkdown;
  else if (n == "json")
    *out = Format::kJson;
  else if (n == "yaml" || n == "yml")
    *out = Format::kYaml;
  else
    return false;
  return true;
}

Result<Format> detect_format(const std::string& path, const std::string& forced) {
  Format f = Format::kText;
  if (!forced.empty()) {
    if (!parse_format(forced, &f))
      return invalid_argument("unknown --format '" + forced + "'; known: text, srt, vtt, html, markdown, json, yaml");
    return f;
  }
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return Format::kText;
  const std::string ext = lower(path.substr(dot + 1));
  if (ext == "txt" || !parse_format(ext, &f)) return Format::kText;
  return f;
}

std::vector<Issue> Document::check(size_t i, const std::string& out) const {
  std::vector<Issue> issues;
  const Unit& u = units_[i];
  if (is_blank(out) && !is_blank(u.text)) issues.push_back({"empty_output", "the translation is empty", true});
  for (const Mask& m : u.masks) {
    const size_t n = count_occurrences(out, m.token);
    if (n == 0)
      issues.push_back({"lost_placeholder", "'" + m.original + "' is missing from the translation", true});
    else if (n > 1)
      issues.push_back({"lost_placeholder", "'" + m.original + "' appears " + std::to_string(n) + " times", true});
  }
  return issues;
}

std::string Document::unmask(size_t i, const std::string& out) const { return unmask_text(out, units_[i].masks); }

std::string line_of(const std::string& s, size_t pos) {
  pos = std::min(pos, s.size());
  return "line " + std::to_string(1 + std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

Result<std::unique_ptr<Document>> parse_document(Format f, const std::string& utf8) {
  Result<std::unique_ptr<Document>> r = invalid_argument("unknown format");
  switch (f) {
    case Format::kText:
      r = parse_text(utf8);
      break;
    case Format::kSrt:
      r = parse_subtitles(utf8, false);
      break;
    case Format::kVtt:
      r = parse_subtitles(utf8, true);
      break;
    case Format::kHtml:
      r = parse_html(utf8);
      break;
    case Format::kMarkdown:
      r = parse_markdown(utf8);
      break;
    case Format::kJson:
      r = parse_json(utf8);
      break;
    case Format::kYaml:
      r = parse_yaml(utf8);
      break;
  }
  if (!r.ok()) return r;
  if (r.value()->units().empty())
    return invalid_argument(std::string("nothing to translate: the ") + format_name(f) +
                            " input has no translatable text");
  return r;
}

}  // namespace hymt::doc
