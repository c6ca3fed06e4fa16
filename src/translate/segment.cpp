// segment.cpp: the sentence splitter. The text is decoded once into code points with their byte
// offsets; boundaries are byte offsets where the next sentence starts (after the whitespace that
// follows a sentence), collected into a sorted set and cut at the end, so the pieces always
// concatenate to the input. Rules follow common practice (Moses-style for cased scripts: a period
// ends a sentence when a capital, digit or uncased letter follows, unless the word is a known
// abbreviation, an initial or a dotted acronym) plus each script's own sentence marks.
#include "translate/segment.h"

#include <set>
#include <string_view>

#include "core/utf8.h"
#include "tokenizer/unicode_class.h"
#include "translate/segment_abbrev.h"
#include "translate/segment_chars.h"
#include "translate/segment_thai.h"

namespace hymt {

namespace {

struct Cp {
  uint32_t cp;
  size_t off;  // byte offset of the first byte
  size_t len;  // bytes (1 for an invalid byte)
};

std::vector<Cp> decode(const std::string& text) {
  std::vector<Cp> out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = 0; i < text.size();) {
    Utf8Char c = utf8_decode_one(p + i, text.size() - i);
    const size_t len = c.len == 0 ? 1 : c.len;
    out.push_back({c.cp, i, len});
    i += len;
  }
  return out;
}

// Languages that write ordinal numbers with a period ("am 3. Oktober", "19. yüzyıl"): a short
// number before the period is not a sentence end.
bool ordinal_dot_language(std::string_view code) {
  return code == "de" || code == "cs" || code == "pl" || code == "tr";
}

class Splitter {
 public:
  Splitter(const std::string& text, const Language* lang)
      : text_(text), cps_(decode(text)), code_(lang ? std::string_view(lang->code) : std::string_view()) {}

  std::vector<std::string> run() {
    const size_t n = cps_.size();
    for (size_t i = 0; i < n;) {
      const uint32_t c = cps_[i].cp;
      if (is_space(c)) {
        i = whitespace_run(i);
      } else if (terminator_kind(i) != TermKind::kNone) {
        i = at_terminator(i);
      } else {
        ++i;
      }
    }
    std::vector<std::string> pieces;
    size_t start = 0;
    for (size_t b : bounds_) {
      if (b <= start || b >= text_.size()) continue;
      pieces.push_back(text_.substr(start, b - start));
      start = b;
    }
    if (start < text_.size()) pieces.push_back(text_.substr(start));
    return pieces;
  }

 private:
  enum class TermKind { kNone, kFullWidth, kScript, kLatin };

  size_t off(size_t i) const { return i < cps_.size() ? cps_[i].off : text_.size(); }

  TermKind terminator_kind(size_t i) const {
    const uint32_t c = cps_[i].cp;
    if (is_fullwidth_terminator(c)) return TermKind::kFullWidth;
    if (is_script_terminator(c)) return TermKind::kScript;
    if (c == '|' && devanagari_context(i)) return TermKind::kScript;  // danda typed as a pipe
    if (is_latin_terminator(c)) return TermKind::kLatin;
    return TermKind::kNone;
  }

  // "|" stands in for the danda in Hindi/Marathi text typed without it.
  bool devanagari_context(size_t i) const {
    if (code_ == "hi" || code_ == "mr") return true;
    for (size_t k = i; k-- > 0 && i - k <= 3;)
      if (cps_[k].cp >= 0x0900 && cps_[k].cp <= 0x097F) return true;
    return false;
  }

  // Consumes a whitespace run starting at i; a run holding a blank line (two line feeds) or a
  // paragraph separator ends the paragraph, which always ends the sentence.
  size_t whitespace_run(size_t i) {
    int newlines = 0;
    bool para = false;
    size_t j = i;
    for (; j < cps_.size() && is_space(cps_[j].cp); ++j) {
      if (cps_[j].cp == '\n') ++newlines;
      if (cps_[j].cp == 0x2029) para = true;
    }
    if ((newlines >= 2 || para) && j < cps_.size()) bounds_.insert(off(j));
    if (j < cps_.size() && tibetan_omitted_shad(i, j)) bounds_.insert(off(j));
    if (j < cps_.size() && thai_space_boundary(i, j)) bounds_.insert(off(j));
    return j;
  }

  // A space next to Thai text: the model of segment_thai.h decides from the chunks (non-space runs)
  // on both sides. Zero-width spaces separate words, not sentences, and are not asked about.
  bool thai_space_boundary(size_t ws_begin, size_t ws_end) const {
    bool real_space = false;
    for (size_t k = ws_begin; k < ws_end; ++k) real_space |= cps_[k].cp != 0x200B && cps_[k].cp != 0xFEFF;
    if (!real_space) return false;
    size_t b = ws_begin, e = ws_end;
    while (b > 0 && !is_space(cps_[b - 1].cp)) --b;
    while (e < cps_.size() && !is_space(cps_[e].cp)) ++e;
    bool thai = false;
    for (size_t k = b; k < e && !thai; ++k) thai = is_thai(cps_[k].cp);
    if (!thai) return false;
    std::u32string before, after;
    for (size_t k = b; k < ws_begin; ++k) before.push_back(cps_[k].cp);
    for (size_t k = ws_end; k < e; ++k) after.push_back(cps_[k].cp);
    return thai_space_ends_sentence(before, after);
  }

  // Tibetan omits the shad after a syllable ending in ga (…འདུག ཁོང་…): a space between such a
  // syllable and the next Tibetan letter is where the shad would have been.
  bool tibetan_omitted_shad(size_t ws_begin, size_t ws_end) const {
    size_t e = ws_begin;
    if (e > 0 && cps_[e - 1].cp == 0x0F0B) --e;
    const auto tibetan_letter = [](uint32_t c) { return c >= 0x0F40 && c <= 0x0FBC; };
    return e > 0 && cps_[e - 1].cp == 0x0F42 && tibetan_letter(cps_[ws_end].cp);
  }

  // Closing marks after a sentence mark. After 。！？ an opening “ starts the next sentence, so the
  // German closers count only before whitespace.
  size_t skip_closers(size_t k) const {
    while (k < cps_.size() && (is_closer(cps_[k].cp) ||
                               (is_german_closer(cps_[k].cp) && (k + 1 == cps_.size() || is_space(cps_[k + 1].cp)))))
      ++k;
    // French puts a (no-break) space before the closing guillemet: « Texte. » Suite
    size_t m = k;
    while (m < cps_.size() && (cps_[m].cp == ' ' || cps_[m].cp == 0xA0 || cps_[m].cp == 0x202F)) ++m;
    if (m > k && m < cps_.size() && cps_[m].cp == 0xBB && (m + 1 == cps_.size() || is_space(cps_[m + 1].cp))) k = m + 1;
    return k;
  }

  size_t skip_spaces(size_t k) const {
    while (k < cps_.size() && is_space(cps_[k].cp)) ++k;
    return k;
  }

  // i is on a terminator. Returns where scanning continues (before the following whitespace, so
  // that a blank line there is still seen as a paragraph break).
  size_t at_terminator(size_t i) {
    size_t j = i;
    bool fullwidth = false, script = false, only_periods = true;
    for (; j < cps_.size(); ++j) {
      const TermKind k = terminator_kind(j);
      if (k == TermKind::kNone) break;
      fullwidth |= k == TermKind::kFullWidth;
      script |= k == TermKind::kScript;
      only_periods &= cps_[j].cp == '.';
    }
    const size_t k = skip_closers(j);
    const size_t w = skip_spaces(k);
    if (w >= cps_.size()) return k;
    const bool spaced = w > k;
    const uint32_t next = cps_[w].cp;
    if (fullwidth) {
      // No space is needed after 。！？. A particle or comma right after a closing quote continues
      // the sentence (「元気？」と聞いた, “好！”，他说).
      if (is_continuation_punct(next)) return k;
      if (!spaced && k > j && is_hiragana(next)) return k;
      bounds_.insert(off(w));
      return k;
    }
    if (!spaced) return k;  // 3.14, example.com, "?!" inside a word: not a boundary
    if (script) {
      if (tibetan_clause_shad(i)) return k;
      bounds_.insert(off(w));
      return k;
    }
    return latin_boundary(i, j, k, w, only_periods && j == i + 1) ? (bounds_.insert(off(w)), k) : k;
  }

  // Tibetan writes a shad after clauses as well as sentences. A single shad after a connective,
  // conditional, concessive, causal, temporal or topic particle (དང་། ན། ཀྱང་། པས། ནས། ནི། ...) joins
  // two clauses; after anything else (a verb or a final auxiliary: ཡོད། རེད། བཤད།) it ends a sentence.
  bool tibetan_clause_shad(size_t i) const {
    if (cps_[i].cp != 0x0F0D) return false;
    size_t e = i;
    while (e > 0 && (cps_[e - 1].cp == 0x0F0B || cps_[e - 1].cp == ' ')) --e;  // tsheg, space
    size_t b = e;
    while (b > 0 && cps_[b - 1].cp >= 0x0F40 && cps_[b - 1].cp <= 0x0FBC) --b;  // the syllable
    if (b == e) return false;
    const std::string_view syllable(text_.data() + off(b), off(e) - off(b));
    static const char* const kClauseParticles[] = {"དང", "ན",  "ནས", "ལ", "ཞིང", "ཅིང", "ཤིང", "མོད", "པས",
                                                   "བས", "ཀྱང", "ཡང", "ཏེ", "སྟེ",  "དེ",  "ནི",  "སྐབས"};
    for (const char* p : kClauseParticles)
      if (syllable == p) return true;
    return false;
  }

  // A period, ?, ! or … run [i, j) followed by closers up to k and whitespace up to w.
  bool latin_boundary(size_t i, size_t j, size_t k, size_t w, bool single_period) const {
    (void)j;
    // Look past opening quotes, brackets and dashes (and one space) to the first real character.
    size_t s = w;
    while (s < cps_.size() && (is_opener(cps_[s].cp) || (s > w && cps_[s].cp == ' ' && s - w < 4))) ++s;
    if (s >= cps_.size()) return true;
    const uint32_t c = cps_[s].cp;
    if (is_lower(c) || is_continuation_punct(c)) return false;
    if (!single_period || k > i + 1) return true;  // ?, !, …, "..." or a closer after the period
    // Thai uses the period for abbreviations only (ดร. น. จอห์น เอฟ.); Thai sentences end with a space.
    if (i > 0 && cps_[i - 1].cp >= 0x0E00 && cps_[i - 1].cp <= 0x0E7F) return false;
    const std::string word = word_before(i);
    if (word.empty()) return true;
    switch (abbreviation(word)) {
      case AbbrevKind::kAlways: return false;
      case AbbrevKind::kBeforeNumber:
        if (is_digit(c)) return false;
        break;
      case AbbrevKind::kNone: break;
    }
    if (is_initial(word) || is_dotted_acronym(word)) return false;
    if (ordinal_dot_language(code_) && !is_digit(c) && is_short_number(word)) return false;
    return true;
  }

  // The word that ends at the period at i: letters, digits and the dots, hyphens and apostrophes
  // inside abbreviations ("U.S", "J.-C", "г-н"), back to anything else (a space, a quote, 。).
  std::string word_before(size_t i) const {
    size_t b = i;
    while (b > 0) {
      const uint32_t c = cps_[b - 1].cp;
      if (!(unicode_class(c) & (kUcLetter | kUcMark | kUcNumber)) && c != '.' && c != '-' && c != '\'' && c != 0x2019)
        break;
      --b;
    }
    return text_.substr(off(b), off(i) - off(b));
  }

  // Abbreviation lists hold titles in lower case where the language writes them so ("проф",
  // "dhr"); a capitalised form at the start of a sentence is the same abbreviation.
  AbbrevKind abbreviation(const std::string& word) const {
    AbbrevKind k = abbreviation_kind(code_, word);
    if (k != AbbrevKind::kNone) return k;
    const auto* p = reinterpret_cast<const uint8_t*>(word.data());
    Utf8Char c = utf8_decode_one(p, word.size());
    if (c.error || !is_upper(c.cp)) return k;
    std::string lowered;
    utf8_append(lowered, fold_case(c.cp, FoldScope::kAllCased));
    return abbreviation_kind(code_, lowered + word.substr(c.len));
  }

  // One upper-case letter: an initial ("Henry T. Cheever", "А. С. Пушкин").
  static bool is_initial(const std::string& word) {
    const auto* p = reinterpret_cast<const uint8_t*>(word.data());
    Utf8Char c = utf8_decode_one(p, word.size());
    return c.len == word.size() && is_upper(c.cp);
  }

  // Letters in groups of one or two separated by periods: "U.S", "e.g", "z.B", "Ph.D", "т.е".
  static bool is_dotted_acronym(const std::string& word) {
    const auto* p = reinterpret_cast<const uint8_t*>(word.data());
    int groups = 0, run = 0;
    for (size_t i = 0; i < word.size();) {
      Utf8Char c = utf8_decode_one(p + i, word.size() - i);
      const size_t len = c.len == 0 ? 1 : c.len;
      i += len;
      if (c.cp == '.') {
        if (run == 0) return false;
        ++groups;
        run = 0;
      } else if (unicode_class(c.cp) & kUcLetter) {
        if (++run > 2) return false;
      } else {
        return false;
      }
    }
    return groups >= 1 && run > 0;
  }

  static bool is_short_number(const std::string& word) {
    if (word.empty() || word.size() > 2) return false;
    for (char ch : word)
      if (ch < '0' || ch > '9') return false;
    return true;
  }

  const std::string& text_;
  std::vector<Cp> cps_;
  std::string_view code_;
  std::set<size_t> bounds_;
};

}  // namespace

std::vector<std::string> split_sentences(const std::string& text, const Language* lang) {
  if (text.empty()) return {};
  return Splitter(text, lang).run();
}

}  // namespace hymt
