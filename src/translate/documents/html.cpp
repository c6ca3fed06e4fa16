// html.cpp: HTML documents through Gumbo (Debian libgumbo-dev), a complete HTML5 parser that keeps
// the source offset of every text node and attribute value. Only text is translated: each text
// node's trimmed content is one unit and its translation, escaped, is spliced into the original
// bytes, so tags, attributes, entities of untranslated text, comments, doctype and whitespace stay
// byte-identical and the tag sequence of the output equals the input's. Skipped subtrees: <script>,
// <style>, <code>, <pre>, <kbd>, <samp>, <var>, <textarea>, <noscript>, <svg>, <math>, and elements
// with translate="no" (translate="yes" below one turns it back on, as the HTML spec says) or class
// "notranslate". Inline markup splits a sentence into separately translated pieces (the simple,
// always structure-safe choice). Attributes alt, title, placeholder, aria-label and the value of
// button-like <input>s are translated too.
#include <gumbo.h>
#include <strings.h>

#include <algorithm>
#include <cstring>

#include "translate/documents/formats.h"
#include "translate/documents/text_util.h"

namespace hymt::doc {

namespace {

bool skipped_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
      return true;
    default:
      return false;
  }
}

bool has_class(const GumboElement& e, const char* cls) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, "class");
  if (!a) return false;
  std::string_view v(a->value);
  const size_t n = std::strlen(cls);
  for (size_t p = v.find(cls); p != std::string_view::npos; p = v.find(cls, p + 1))
    if ((p == 0 || v[p - 1] == ' ') && (p + n == v.size() || v[p + n] == ' ')) return true;
  return false;
}

std::string escape_text(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (c == '&')
      r += "&amp;";
    else if (c == '<')
      r += "&lt;";
    else if (c == '>')
      r += "&gt;";
    else
      r += c;
  }
  return r;
}

std::string escape_attr(const std::string& s, char quote) {
  std::string r;
  for (char c : s) {
    if (c == '&')
      r += "&amp;";
    else if (c == '"' && quote != '\'')
      r += "&quot;";  // unquoted values are written in "..."
    else if (c == '\'' && quote == '\'')
      r += "&#39;";
    else if (c == '<')
      r += "&lt;";
    else
      r += c;
  }
  return r;
}

struct Piece {
  size_t begin = 0, end = 0;  // the source bytes this unit replaces
  std::string raw;            // those bytes (kept when the translation equals the source)
  char quote = 0;             // attribute value: its quote character, or 0 when unquoted
  bool attribute = false;
};

class HtmlDocument : public Document {
 public:
  explicit HtmlDocument(std::string src) : Document(Format::kHtml), src_(std::move(src)) {}

  void build() {
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, src_.data(), src_.size());
    struct Found {
      Piece piece;
      Unit unit;
    };
    std::vector<Found> found;
    walk(out->document, true, &found);
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    // Source order; a range overlapping an earlier one (possible only in odd tree repairs) is left
    // untranslated so the splice stays valid.
    std::stable_sort(found.begin(), found.end(),
                     [](const Found& a, const Found& b) { return a.piece.begin < b.piece.begin; });
    size_t last_end = 0;
    for (Found& f : found) {
      if (f.piece.begin < last_end) continue;
      last_end = f.piece.end;
      edits_.push_back({f.piece.begin, f.piece.end, units_.size()});
      pieces_.push_back(std::move(f.piece));
      units_.push_back(std::move(f.unit));
    }
  }

  std::string render(const std::vector<std::string>& t) const override {
    HYMT_ASSERT(t.size() == units_.size());
    return splice(src_, edits_, [&](size_t i) {
      const Piece& p = pieces_[i];
      const std::string out = unmask(i, t[i]);
      if (out == units_[i].text) return p.raw;  // unchanged: keep the original entities
      if (!p.attribute) return escape_text(out);
      const std::string v = escape_attr(join_lines(out), p.quote);
      return p.quote ? v : "\"" + v + "\"";
    });
  }

 private:
  template <class Out>
  void walk(const GumboNode* n, bool translatable, Out* found) {
    if (n->type == GUMBO_NODE_TEXT && translatable) {
      add_text(n->v.text, found);
      return;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE && n->type != GUMBO_NODE_DOCUMENT) return;
    const GumboVector* children = nullptr;
    if (n->type == GUMBO_NODE_DOCUMENT) {
      children = &n->v.document.children;
    } else {
      const GumboElement& e = n->v.element;
      if (skipped_tag(e.tag)) return;
      if (const GumboAttribute* a = gumbo_get_attribute(&e.attributes, "translate")) {
        if (strcasecmp(a->value, "no") == 0) translatable = false;
        if (strcasecmp(a->value, "yes") == 0 || a->value[0] == '\0') translatable = true;
      }
      if (has_class(e, "notranslate")) translatable = false;
      if (translatable) add_attributes(e, found);
      children = &e.children;
    }
    for (unsigned k = 0; k < children->length; ++k)
      walk(static_cast<const GumboNode*>(children->data[k]), translatable, found);
  }

  // The offset of a piece of the source, or npos when Gumbo's pointer is not into our buffer.
  size_t offset_of(const GumboStringPiece& p) const {
    if (!p.data || p.data < src_.data() || p.data + p.length > src_.data() + src_.size()) return std::string::npos;
    return static_cast<size_t>(p.data - src_.data());
  }

  template <class Out>
  void add_text(const GumboText& t, Out* found) {
    const size_t off = offset_of(t.original_text);
    if (off == std::string::npos) return;
    size_t b = off, e = off + t.original_text.length;
    trim_range(src_, &b, &e);
    std::string decoded = t.text;
    size_t db = 0, de = decoded.size();
    trim_range(decoded, &db, &de);
    if (b == e || db == de) return;
    typename Out::value_type f;
    f.unit.text = decoded.substr(db, de - db);
    if (!has_words(f.unit.text)) return;
    f.unit.where = line_of(src_, b);
    f.unit.splittable = true;
    f.piece.begin = b;
    f.piece.end = e;
    f.piece.raw = src_.substr(b, e - b);
    found->push_back(std::move(f));
  }

  template <class Out>
  void add_attributes(const GumboElement& e, Out* found) {
    const GumboAttribute* type = gumbo_get_attribute(&e.attributes, "type");
    const bool button_input = e.tag == GUMBO_TAG_INPUT && type &&
                              (strcasecmp(type->value, "submit") == 0 || strcasecmp(type->value, "button") == 0 ||
                               strcasecmp(type->value, "reset") == 0);
    for (unsigned k = 0; k < e.attributes.length; ++k) {
      const GumboAttribute* a = static_cast<const GumboAttribute*>(e.attributes.data[k]);
      const std::string name = a->name;
      if (!(name == "alt" || name == "title" || name == "placeholder" || name == "aria-label" ||
            (name == "value" && button_input)))
        continue;
      const size_t off = offset_of(a->original_value);
      if (off == std::string::npos || a->original_value.length == 0) continue;
      typename Out::value_type f;
      const char q = src_[off];
      f.piece.attribute = true;
      f.piece.quote = (q == '"' || q == '\'') ? q : 0;
      f.piece.begin = off + (f.piece.quote ? 1 : 0);
      f.piece.end = off + a->original_value.length - (f.piece.quote ? 1 : 0);
      if (f.piece.end <= f.piece.begin) continue;
      f.piece.raw = src_.substr(f.piece.begin, f.piece.end - f.piece.begin);
      f.unit.text = a->value;
      size_t b = 0, en = f.unit.text.size();
      trim_range(f.unit.text, &b, &en);
      if (b != 0 || en != f.unit.text.size() || !has_words(f.unit.text)) continue;
      f.unit.where = line_of(src_, off) + " (" + name + "=)";
      f.unit.single_line = true;
      f.unit.isolated = true;
      found->push_back(std::move(f));
    }
  }

  std::string src_;
  std::vector<Piece> pieces_;
  std::vector<Edit> edits_;
};

}  // namespace

Result<std::unique_ptr<Document>> parse_html(const std::string& s) {
  auto d = std::make_unique<HtmlDocument>(s);
  d->build();
  return std::unique_ptr<Document>(std::move(d));
}

}  // namespace hymt::doc
