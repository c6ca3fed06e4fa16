// markdown.cpp: Markdown (CommonMark/GFM subset) by a line-based scanner. Hand-written on purpose:
// the C parsers Debian ships (cmark, cmark-gfm) build an AST and re-render it, which normalizes
// the whole file (list markers, emphasis, spacing, tables), while splicing translations into the
// original lines keeps every byte we do not translate. Kept verbatim: front matter, fenced and
// indented code, HTML blocks, link reference definitions, thematic breaks, setext underlines,
// table delimiter rows. Translated: headings, paragraphs (one unit each, re-flowed to one line),
// list items, block quotes, table cells. Inside a unit, inline code, URLs, link targets ("[" and
// "](url)"), images, footnote marks and inline HTML tags are masked so they come back unchanged.
#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// Offset just past the container prefix (indentation and block-quote markers).
size_t quote_prefix_end(std::string_view l) {
  size_t i = skip_spaces(l, 0);
  while (i < l.size() && l[i] == '>') i = skip_spaces(l, i + 1);
  return i;
}

// True when the line is in a block quote (its first non-space character is '>').
bool quoted(std::string_view l) {
  const size_t i = skip_spaces(l, 0);
  return i < l.size() && l[i] == '>';
}

bool is_fence(std::string_view l, char* ch, size_t* len) {
  size_t i = skip_spaces(l, 0);
  if (i > 3 || i >= l.size() || (l[i] != '`' && l[i] != '~')) return false;
  size_t k = i;
  while (k < l.size() && l[k] == l[i]) ++k;
  if (k - i < 3) return false;
  if (l[i] == '`' && l.substr(k).find('`') != std::string_view::npos) return false;
  *ch = l[i];
  *len = k - i;
  return true;
}

bool is_thematic_break(std::string_view l) {
  size_t i = skip_spaces(l, 0), n = 0;
  if (i >= l.size() || (l[i] != '-' && l[i] != '*' && l[i] != '_' && l[i] != '=')) return false;
  const char c = l[i];
  for (; i < l.size(); ++i) {
    if (l[i] == c)
      ++n;
    else if (l[i] != ' ' && l[i] != '\t')
      return false;
  }
  return n >= 3 || (c == '=' && n >= 1);
}

// Length of a list marker ("- ", "* ", "+ ", "12. ", "3) ", plus a task box "[ ] ") at s[i], or 0.
size_t list_marker(std::string_view s, size_t i) {
  size_t k = i;
  if (k < s.size() && (s[k] == '-' || s[k] == '*' || s[k] == '+')) {
    ++k;
  } else {
    while (k < s.size() && k - i < 9 && s[k] >= '0' && s[k] <= '9') ++k;
    if (k == i || k >= s.size() || (s[k] != '.' && s[k] != ')')) return 0;
    ++k;
  }
  if (k >= s.size() || (s[k] != ' ' && s[k] != '\t')) return 0;
  k = skip_spaces(s, k);
  if (s.substr(k, 3) == "[ ]" || s.substr(k, 3) == "[x]" || s.substr(k, 3) == "[X]") k = skip_spaces(s, k + 3);
  return k - i;
}

bool is_html_block_start(std::string_view s, size_t i) {
  if (i >= s.size() || s[i] != '<') return false;
  if (s.substr(i, 4) == "<!--" || s.substr(i, 2) == "<!" || s.substr(i, 2) == "<?") return true;
  size_t k = i + 1;
  if (k < s.size() && s[k] == '/') ++k;
  return k < s.size() && is_alpha(s[k]);
}

bool is_table_delimiter(std::string_view l) {
  size_t i = skip_spaces(l, 0);
  bool dash = false, pipe = false;
  for (; i < l.size(); ++i) {
    const char c = l[i];
    if (c == '-')
      dash = true;
    else if (c == '|')
      pipe = true;
    else if (c != ':' && c != ' ' && c != '\t')
      return false;
  }
  return dash && pipe;
}

// Cell ranges of a table row: split at '|' outside code spans and not escaped.
std::vector<Span> table_cells(std::string_view l) {
  std::vector<size_t> bars;
  bool code = false;
  for (size_t i = 0; i < l.size(); ++i) {
    if (l[i] == '\\')
      ++i;
    else if (l[i] == '`')
      code = !code;
    else if (l[i] == '|' && !code)
      bars.push_back(i);
  }
  std::vector<Span> cells;
  size_t start = 0;
  size_t first = skip_spaces(l, 0);
  size_t bi = 0;
  if (!bars.empty() && bars[0] == first) start = bars[0] + 1, bi = 1;
  for (; bi <= bars.size(); ++bi) {
    const size_t end = bi < bars.size() ? bars[bi] : l.size();
    if (bi == bars.size() && is_blank(l.substr(start))) break;
    cells.push_back({start, end});
    start = end + 1;
  }
  return cells;
}

// Spans of inline syntax to keep as-is inside a unit's text.
std::vector<Span> inline_spans(std::string_view s) {
  std::vector<Span> spans;
  size_t i = 0;
  auto add = [&](size_t b, size_t e) { spans.push_back({b, e}); };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      i += 2;
    } else if (c == '`') {
      size_t k = i;
      while (k < s.size() && s[k] == '`') ++k;
      const std::string ticks(k - i, '`');
      const size_t close = s.find(ticks, k);
      if (close == std::string_view::npos) {
        i = k;
        continue;
      }
      add(i, close + ticks.size());
      i = close + ticks.size();
    } else if (c == '<') {
      const size_t close = s.find('>', i);
      const size_t nl = s.find_first_of("<\n", i + 1);
      if (close != std::string_view::npos && (nl == std::string_view::npos || nl > close) && close > i + 1 &&
          (is_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')) {
        add(i, close + 1);
        i = close + 1;
      } else {
        ++i;
      }
    } else if (c == '!' && i + 1 < s.size() && s[i + 1] == '[') {
      // Image: mask the whole ![alt](src).
      const size_t rb = s.find(']', i + 2);
      if (rb != std::string_view::npos && rb + 1 < s.size() && (s[rb + 1] == '(' || s[rb + 1] == '[')) {
        const size_t close = s.find(s[rb + 1] == '(' ? ')' : ']', rb + 2);
        if (close != std::string_view::npos) {
          add(i, close + 1);
          i = close + 1;
          continue;
        }
      }
      ++i;
    } else if (c == '[') {
      if (i + 1 < s.size() && s[i + 1] == '^') {  // footnote mark [^1]
        const size_t rb = s.find(']', i);
        if (rb != std::string_view::npos) {
          add(i, rb + 1);
          i = rb + 1;
          continue;
        }
      }
      // Link: "[" and "](target)" / "][ref]" are masked, the link text is translated.
      int depth = 0;
      size_t rb = std::string_view::npos;
      for (size_t k = i; k < s.size(); ++k) {
        if (s[k] == '\\')
          ++k;
        else if (s[k] == '[')
          ++depth;
        else if (s[k] == ']' && --depth == 0) {
          rb = k;
          break;
        }
      }
      if (rb != std::string_view::npos && rb + 1 < s.size() && (s[rb + 1] == '(' || s[rb + 1] == '[')) {
        const size_t close = s.find(s[rb + 1] == '(' ? ')' : ']', rb + 2);
        if (close != std::string_view::npos) {
          add(i, i + 1);
          // The link text itself may hold code or other inline syntax.
          for (const Span& in : inline_spans(s.substr(i + 1, rb - i - 1))) add(i + 1 + in.begin, i + 1 + in.end);
          add(rb, close + 1);
          i = close + 1;
          continue;
        }
      }
      ++i;
    } else if ((s.substr(i, 7) == "http://" || s.substr(i, 8) == "https://" || s.substr(i, 4) == "www.") &&
               (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '\t')) {
      size_t k = i;
      while (k < s.size() && s[k] != ' ' && s[k] != '\t' && s[k] != '\n' && s[k] != '<') ++k;
      while (k > i && std::string_view(".,;:!?)\"'").find(s[k - 1]) != std::string_view::npos) --k;
      add(i, k);
      i = k;
    } else {
      ++i;
    }
  }
  return spans;
}

class MarkdownDocument : public Document {
 public:
  explicit MarkdownDocument(std::string src) : Document(Format::kMarkdown), src_(std::move(src)) {}

  void build() {
    const std::vector<Line> lines = split_lines(src_);
    auto text = [&](size_t k) { return lines[k].text(src_); };
    size_t i = 0;
    // Front matter: a first line "---" (YAML) or "+++" (TOML) up to the matching closing line.
    if (!lines.empty() && (text(0) == "---" || text(0) == "+++")) {
      const std::string_view mark = text(0);
      for (size_t k = 1; k < lines.size(); ++k)
        if (text(k) == mark || (mark == "---" && text(k) == "...")) {
          i = k + 1;
          break;
        }
    }
    bool prev_blank = true, in_list = false;
    while (i < lines.size()) {
      const std::string_view l = text(i);
      if (is_blank(l)) {
        prev_blank = true;
        ++i;
        continue;
      }
      char fch;
      size_t flen;
      const size_t q = quote_prefix_end(l);
      const std::string_view body = l.substr(q);
      if (is_fence(body, &fch, &flen)) {  // fenced code: skip to the closing fence
        size_t k = i + 1;
        for (; k < lines.size(); ++k) {
          char c2;
          size_t len2;
          const std::string_view lk = text(k).substr(quote_prefix_end(text(k)));
          if (is_fence(lk, &c2, &len2) && c2 == fch && len2 >= flen && is_blank(lk.substr(skip_spaces(lk, 0) + len2)))
            break;
        }
        i = k + 1, prev_blank = false;
        continue;
      }
      const size_t indent = skip_spaces(l, 0);
      const bool four = l.substr(0, 4) == "    " || l[0] == '\t';
      if (four && prev_blank && !in_list) {  // indented code block
        while (i < lines.size() && (is_blank(text(i)) || text(i).substr(0, 4) == "    " || text(i)[0] == '\t')) ++i;
        prev_blank = true;
        continue;
      }
      if (is_html_block_start(l, indent) && indent < 4) {  // HTML block up to a blank line
        while (i < lines.size() && !is_blank(text(i))) ++i;
        prev_blank = false, in_list = false;
        continue;
      }
      if (is_thematic_break(body)) {
        ++i, prev_blank = false, in_list = false;
        continue;
      }
      if (l[indent] == '[' && l.find("]:") != std::string_view::npos && l.find("]:") < l.find(' ')) {
        ++i, prev_blank = false;  // link reference definition
        continue;
      }
      if (i + 1 < lines.size() && body.find('|') != std::string_view::npos && is_table_delimiter(text(i + 1))) {
        size_t k = i;
        while (k < lines.size() && !is_blank(text(k)) && text(k).find('|') != std::string_view::npos) {
          if (k != i + 1) add_row(lines[k]);
          ++k;
        }
        i = k, prev_blank = false, in_list = false;
        continue;
      }
      if (body.empty()) {  // a lone '>'
        ++i, prev_blank = true;
        continue;
      }
      if (body[0] == '#') {  // ATX heading
        size_t h = 0;
        while (h < body.size() && body[h] == '#') ++h;
        if (h <= 6 && (h == body.size() || body[h] == ' ' || body[h] == '\t')) {
          size_t b = lines[i].begin + q + h, e = lines[i].end;
          trim_range(src_, &b, &e);
          while (e > b && src_[e - 1] == '#') --e;  // closing #s stay
          trim_range(src_, &b, &e);
          add_unit(b, e, true);
          ++i, prev_blank = false, in_list = false;
          continue;
        }
      }
      // List item, block-quote line or paragraph: the unit runs over its continuation lines.
      const size_t marker = list_marker(body, skip_spaces(body, 0));
      size_t b = lines[i].begin + q + (marker ? skip_spaces(body, 0) + marker : 0);
      in_list = marker > 0 || (in_list && !prev_blank) || (in_list && indent >= 2);
      size_t e = lines[i].end;
      size_t k = i + 1;
      for (; k < lines.size(); ++k) {
        const std::string_view lk = text(k);
        if (is_blank(lk)) break;
        const std::string_view bk = lk.substr(quote_prefix_end(lk));
        char c2;
        size_t len2;
        if (is_fence(bk, &c2, &len2) || is_thematic_break(bk) || (!bk.empty() && bk[0] == '#') ||
            list_marker(bk, skip_spaces(bk, 0)) > 0 || is_html_block_start(bk, skip_spaces(bk, 0)) ||
            quoted(lk) != quoted(l))
          break;
        if (k + 1 < lines.size() && bk.find('|') != std::string_view::npos && is_table_delimiter(text(k + 1))) break;
        e = lines[k].end;
      }
      trim_range(src_, &b, &e);
      if (b < e) add_unit(b, e, false);
      // A setext underline (=== or ---) right after is a thematic-break-looking line: skipped next.
      i = k, prev_blank = false;
    }
  }

  std::string render(const std::vector<std::string>& t) const override {
    HYMT_ASSERT(t.size() == units_.size());
    return splice(src_, edits_, [&](size_t i) {
      if (t[i] == units_[i].text) return src_.substr(edits_[i].begin, edits_[i].end - edits_[i].begin);
      std::string out = join_lines(unmask(i, t[i]));
      if (cells_[i]) {  // a '|' in a cell's translation would add a column
        std::string r;
        for (size_t k = 0; k < out.size(); ++k) {
          if (out[k] == '|' && (k == 0 || out[k - 1] != '\\')) r += '\\';
          r += out[k];
        }
        out = r;
      }
      return out;
    });
  }

 private:
  void add_row(const Line& line) {
    const std::string_view l = line.text(src_);
    for (const Span& c : table_cells(l)) {
      size_t b = line.begin + c.begin, e = line.begin + c.end;
      trim_range(src_, &b, &e);
      if (b < e) add_unit(b, e, true, true);
    }
  }

  void add_unit(size_t b, size_t e, bool one_line, bool cell = false) {
    // The text as the model sees it: continuation lines joined (their quote prefixes dropped).
    std::string raw;
    for (const Line& l : split_lines(src_.substr(b, e - b))) {
      std::string_view v = std::string_view(src_).substr(b + l.begin, l.end - l.begin);
      if (l.begin > 0) v = v.substr(quote_prefix_end(v));
      size_t vb = 0, ve = v.size();
      trim_range(v, &vb, &ve);
      if (vb == ve) continue;
      if (!raw.empty()) raw += ' ';
      raw += v.substr(vb, ve - vb);
    }
    Unit u;
    u.text = mask_spans(raw, inline_spans(raw), &u.masks);
    if (!has_words(u.text)) return;
    u.where = line_of(src_, b);
    u.single_line = true;
    u.splittable = !one_line;
    cells_.push_back(cell);
    edits_.push_back({b, e, units_.size()});
    units_.push_back(std::move(u));
  }

  std::string src_;
  std::vector<Edit> edits_;
  std::vector<bool> cells_;
};

}  // namespace

Result<std::unique_ptr<Document>> parse_markdown(const std::string& s) {
  auto d = std::make_unique<MarkdownDocument>(s);
  d->build();
  return std::unique_ptr<Document>(std::move(d));
}

}  // namespace hymt::doc
