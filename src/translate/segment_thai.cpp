// segment_thai.cpp: parses the generated weight table once and scores a space by its features,
// which must match features() in scripts/build-thai-breaks.py: "a1".."a3" the last 1-3 code points
// before the space, "b1".."b3" the first 1-3 after it, "la"/"lb" each chunk's length in tens of
// code points capped at 8. The decision threshold is folded into the bias by the generator.
#include "translate/segment_thai.h"

#include <cstdlib>
#include <string_view>
#include <unordered_map>

#include "core/utf8.h"

namespace hymt {

namespace {

const char kThaiModel[] =
#include "translate/segment_thai.inc"
    ;

struct ThaiModel {
  double bias = 0;
  std::unordered_map<std::string, double> w;
};

ThaiModel parse_model() {
  ThaiModel m;
  std::string_view text(kThaiModel);
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const size_t tab = line.rfind('\t');
    if (tab == std::string_view::npos || tab == 0) continue;
    const double v = std::strtod(std::string(line.substr(tab + 1)).c_str(), nullptr);
    if (line.substr(0, tab) == "@bias")
      m.bias = v;
    else
      m.w[std::string(line.substr(0, tab))] = v;
  }
  return m;
}

const ThaiModel& model() {
  static const ThaiModel m = parse_model();
  return m;
}

std::string utf8_of(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) utf8_append(out, c);
  return out;
}

}  // namespace

bool thai_space_ends_sentence(const std::u32string& before, const std::u32string& after) {
  if (before.empty() || after.empty()) return false;
  const ThaiModel& m = model();
  const std::u32string_view b(before), a(after);
  double z = m.bias;
  const auto add = [&](const std::string& f) {
    auto it = m.w.find(f);
    if (it != m.w.end()) z += it->second;
  };
  for (size_t n = 1; n <= 3; ++n) {
    add("a" + std::to_string(n) + utf8_of(b.substr(b.size() - std::min(n, b.size()))));
    add("b" + std::to_string(n) + utf8_of(a.substr(0, n)));
  }
  add("la" + std::to_string(std::min<size_t>(b.size() / 10, 8)));
  add("lb" + std::to_string(std::min<size_t>(a.size() / 10, 8)));
  return z > 0;
}

}  // namespace hymt
