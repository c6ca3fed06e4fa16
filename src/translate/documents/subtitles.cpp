// subtitles.cpp: SRT and WebVTT. Exactly one unit per cue with text; indexes, timings, cue settings,
// the VTT header and NOTE/STYLE/REGION blocks are copied byte for byte (the output is the input with
// only cue text replaced). Tags at the start or end of a cue ({\an8}, <i>...</i>) stay outside the
// unit; tags inside are masked. A cue's lines are sent as one sentence (dialogue lines starting
// with "-" keep their breaks) and re-wrapped into two lines when the source had several. Rendering
// can never split or merge cues: blank lines in a translation are dropped and "-->" is defused.
#include <cstdint>

#include "core/utf8.h"
#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses "[h+:]mm:ss<sep>ttt" at s[*i]; `srt` requires the hours and accepts ',' or '.' (pysrt
// does), VTT requires '.' and makes the hours optional.
bool parse_timestamp(std::string_view s, size_t* i, bool srt) {
  size_t k = *i;
  int groups[3];
  int n = 0;
  for (;;) {
    size_t d = k;
    while (d < s.size() && is_digit(s[d])) ++d;
    if (d == k || n == 3) return false;
    if (n > 0 && d - k != 2) return false;  // minutes and seconds have two digits
    if (d - k > 6) return false;            // hours beyond 999999 are not a subtitle timing
    int v = 0;
    for (size_t q = k; q < d; ++q) v = v * 10 + (s[q] - '0');
    groups[n++] = v;
    k = d;
    if (k < s.size() && s[k] == ':') {
      ++k;
      continue;
    }
    break;
  }
  if (n < (srt ? 3 : 2)) return false;
  if (groups[n - 1] > 59 || groups[n - 2] > 59) return false;
  if (k >= s.size() || !(s[k] == '.' || (srt && s[k] == ','))) return false;
  ++k;
  size_t d = k;
  while (d < s.size() && is_digit(s[d])) ++d;
  if (srt ? (d == k || d - k > 3) : d - k != 3) return false;
  *i = d;
  return true;
}

// "start --> end[ settings]".
bool is_timing_line(std::string_view l, bool srt) {
  size_t i = 0;
  while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
  if (!parse_timestamp(l, &i, srt)) return false;
  while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
  if (l.substr(i, 3) != "-->") return false;
  i += 3;
  while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
  if (!parse_timestamp(l, &i, srt)) return false;
  return i == l.size() || l[i] == ' ' || l[i] == '\t';
}

bool is_index_line(std::string_view l) {
  size_t b = 0, e = l.size();
  trim_range(l, &b, &e);
  if (b == e) return false;
  for (size_t k = b; k < e; ++k)
    if (!is_digit(l[k])) return false;
  return true;
}

// Formatting tags of cue text: <i>, </font>, <c.red>, <v Bob>, <00:01.000> and ASS overrides {\an8}.
std::vector<Span> find_cue_tags(std::string_view s) {
  std::vector<Span> spans;
  for (size_t i = 0; i < s.size(); ++i) {
    size_t end = std::string_view::npos;
    if (s[i] == '<') {
      const size_t c = s.find('>', i);
      if (c != std::string_view::npos && c > i + 1 && s.substr(i, c - i).find('\n') == std::string_view::npos)
        end = c + 1;
    } else if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '\\') {
      const size_t c = s.find('}', i);
      if (c != std::string_view::npos) end = c + 1;
    }
    if (end != std::string_view::npos) {
      spans.push_back({i, end});
      i = end - 1;
    }
  }
  return spans;
}

struct Cue {
  size_t unit = 0;
  std::string prefix, suffix;  // leading/trailing tags kept outside the unit
  std::string eol;             // the cue's line ending
  std::string raw;             // the cue's text lines as they were
  size_t n_lines = 1;
  bool dialogue = false;  // lines start with "-": one speaker per line, breaks kept
};

class SubtitleDocument : public Document {
 public:
  SubtitleDocument(std::string src, bool vtt) : Document(vtt ? Format::kVtt : Format::kSrt), src_(std::move(src)) {}

  Status parse() {
    const bool srt = format_ == Format::kSrt;
    const std::vector<Line> lines = split_lines(src_);
    size_t i = 0;
    auto blank = [&](size_t k) { return is_blank(lines[k].text(src_)); };
    if (!srt) {
      const std::string_view first = lines.empty() ? std::string_view() : lines[0].text(src_);
      if (first.substr(0, 6) != "WEBVTT" || (first.size() > 6 && first[6] != ' ' && first[6] != '\t'))
        return corrupt_file("line 1: a WebVTT file starts with 'WEBVTT'");
      while (i < lines.size() && !blank(i)) ++i;  // the header block
    }
    while (i < lines.size()) {
      if (blank(i)) {
        ++i;
        continue;
      }
      const std::string_view first = lines[i].text(src_);
      if (!srt && (first.substr(0, 4) == "NOTE" || first.substr(0, 5) == "STYLE" || first.substr(0, 6) == "REGION") &&
          first.find("-->") == std::string_view::npos) {
        while (i < lines.size() && !blank(i)) ++i;  // kept verbatim
        continue;
      }
      size_t t = i;
      if (!is_timing_line(first, srt)) {
        if (first.find("-->") != std::string_view::npos)  // a timing line, but malformed
          return corrupt_file(line_of(src_, lines[i].begin) + ": malformed timing line '" +
                              std::string(first.substr(0, 60)) + "', expected " +
                              (srt ? "HH:MM:SS,mmm --> HH:MM:SS,mmm" : "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm"));
        // An index (SRT) or cue identifier (VTT) line, then the timing.
        if (srt && !is_index_line(first))
          return corrupt_file(line_of(src_, lines[i].begin) + ": expected a cue number or a timing line " +
                              "(HH:MM:SS,mmm --> HH:MM:SS,mmm), found '" + std::string(first.substr(0, 60)) + "'");
        t = i + 1;
        if (t >= lines.size() || !is_timing_line(lines[t].text(src_), srt))
          return corrupt_file((t < lines.size() ? line_of(src_, lines[t].begin) : line_of(src_, src_.size())) +
                              ": expected a timing line " +
                              (srt ? "HH:MM:SS,mmm --> HH:MM:SS,mmm" : "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm") +
                              (t < lines.size() ? ", found '" + std::string(lines[t].text(src_).substr(0, 60)) + "'"
                                                : ", found the end"));
      }
      size_t k = t + 1;
      while (k < lines.size() && !blank(k)) ++k;
      if (k > t + 1)
        add_cue(lines, t + 1, k,
                (t > i ? std::string("cue ") + std::string(first) + ", " : "") + line_of(src_, lines[t].begin));
      ++n_cues_;
      i = k;
    }
    if (n_cues_ == 0) return invalid_argument("nothing to translate: the file has no subtitle cues");
    return {};
  }

  std::vector<Issue> check(size_t i, const std::string& out) const override {
    std::vector<Issue> p = Document::check(i, out);
    std::string s = out;
    size_t b = 0, e = s.size();
    trim_range(s, &b, &e);
    s = s.substr(b, e - b);
    bool blank_line = false;
    for (const Line& l : split_lines(s)) blank_line |= is_blank(l.text(s));
    if (blank_line) p.push_back({"cue_split", "the translation has a blank line (it looks like several cues)", false});
    if (s.find("-->") != std::string::npos)
      p.push_back({"cue_timing", "the translation contains a cue timing arrow '-->'", false});
    return p;
  }

  std::string render(const std::vector<std::string>& t) const override {
    HYMT_ASSERT(t.size() == units_.size());
    return splice(src_, edits_, [&](size_t i) {
      // An unchanged unit (identity, or the source kept after failed checks) keeps its exact lines.
      if (t[i] == units_[i].text) return cues_[i].raw;
      return render_cue(cues_[i], unmask(i, t[i]));
    });
  }

  size_t n_cues() const { return n_cues_; }

 private:
  void add_cue(const std::vector<Line>& lines, size_t first, size_t end, const std::string& where) {
    Cue c;
    c.eol = lines[first].next > lines[first].end ? src_.substr(lines[first].end, lines[first].next - lines[first].end)
                                                 : "\n";
    c.n_lines = end - first;
    c.dialogue = c.n_lines > 1;
    std::string text;
    for (size_t k = first; k < end; ++k) {
      std::string_view l = lines[k].text(src_);
      size_t b = 0, e = l.size();
      trim_range(l, &b, &e);
      c.dialogue = c.dialogue && b < e && l[b] == '-';
      if (k > first) text += '\n';
      text += l;
    }
    if (!c.dialogue)
      for (char& ch : text)
        if (ch == '\n') ch = ' ';
    // Tags at the edges go around the translation; inner ones are masked.
    std::vector<Span> tags = find_cue_tags(text);
    size_t b = 0, e = text.size();
    for (;;) {
      trim_range(text, &b, &e);
      bool moved = false;
      for (const Span& sp : tags) {
        if (sp.begin == b && sp.end <= e) b = sp.end, moved = true;
        if (sp.end == e && sp.begin >= b) e = sp.begin, moved = true;
      }
      if (!moved) break;
    }
    c.prefix = text.substr(0, b);
    c.suffix = text.substr(e);
    std::vector<Span> inner;
    for (const Span& sp : tags)
      if (sp.begin >= b && sp.end <= e) inner.push_back({sp.begin - b, sp.end - b});
    Unit u;
    u.where = where;
    u.text = mask_spans(text.substr(b, e - b), inner, &u.masks);
    if (!has_words(u.text)) return;  // a cue of tags or numbers only stays as it is
    c.unit = units_.size();
    c.raw = src_.substr(lines[first].begin, lines[end - 1].end - lines[first].begin);
    units_.push_back(std::move(u));
    cues_.push_back(c);
    edits_.push_back({lines[first].begin, lines[end - 1].end, c.unit});
  }

  std::string render_cue(const Cue& c, const std::string& out) const {
    // Lines of the translation, without blank ones and with "-->" defused.
    std::vector<std::string> parts;
    for (const Line& l : split_lines(out)) {
      std::string_view v = l.text(out);
      size_t b = 0, e = v.size();
      trim_range(v, &b, &e);
      if (b == e) continue;
      std::string line(v.substr(b, e - b));
      for (size_t p = line.find("-->"); p != std::string::npos; p = line.find("-->", p)) line.replace(p, 3, "->");
      parts.push_back(std::move(line));
    }
    if (parts.empty()) return c.prefix + c.suffix;
    // Re-wrap a one-line translation of a multi-line cue into two balanced lines at a space.
    if (parts.size() == 1 && c.n_lines > 1 && !c.dialogue && utf8_length(parts[0]) > 42) {
      const std::string& s = parts[0];
      size_t best = std::string::npos;
      for (size_t p = s.find(' '); p != std::string::npos; p = s.find(' ', p + 1))
        if (best == std::string::npos || (p > s.size() / 2 ? p - s.size() / 2 : s.size() / 2 - p) <
                                             (best > s.size() / 2 ? best - s.size() / 2 : s.size() / 2 - best))
          best = p;
      if (best != std::string::npos) parts = {s.substr(0, best), s.substr(best + 1)};
    }
    std::string r = c.prefix;
    for (size_t k = 0; k < parts.size(); ++k) r += (k ? c.eol : "") + parts[k];
    return r + c.suffix;
  }

  std::string src_;
  std::vector<Cue> cues_;
  std::vector<Edit> edits_;
  size_t n_cues_ = 0;
};

}  // namespace

Result<std::unique_ptr<Document>> parse_subtitles(const std::string& s, bool vtt) {
  auto d = std::make_unique<SubtitleDocument>(s, vtt);
  Status st = d->parse();
  if (!st.ok()) return st;
  return std::unique_ptr<Document>(std::move(d));
}

}  // namespace hymt::doc
