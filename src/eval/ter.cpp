// ter.cpp: the shift search and the beam edit distance of ter.h. The operation names follow
// sacreBLEU: the matrix is filled rewriting the hypothesis into the reference, and the trace is
// flipped (insertions <-> deletions) to get the alignment used to propose shifts. Ties between
// operations go to substitution/no-op, then deletion, then insertion, which decides the alignment
// and hence which shifts are tried.
#include "eval/ter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hymt::eval {

namespace {

constexpr int kMaxShiftSize = 10;
constexpr int kMaxShiftDist = 50;
constexpr int kBeamWidth = 25;
constexpr int kMaxShiftCandidates = 1000;
constexpr int64_t kInf = 10000000000000000LL;  // 1e16

enum Op : char { kNop = ' ', kSub = 's', kIns = 'i', kDel = 'd', kUndef = 'x' };
struct Cell {
  int64_t cost;
  char op;
};
using Words = std::vector<U32>;

// Edit distance against a fixed reference. Rows depend only on the hypothesis prefix (and on the
// hypothesis length, through the beam), so the rows of the last full computation are reused for
// the common prefix of the next hypothesis of the same length (what sacreBLEU's cache achieves).
class BeamEditDistance {
 public:
  explicit BeamEditDistance(const Words& ref) : ref_(ref) {}

  int64_t operator()(const Words& h, std::string* trace) {
    const size_t nh = h.size(), nr = ref_.size();
    size_t start = 0;
    if (have_ && last_.size() == nh) {
      while (start < nh && last_[start] == h[start]) ++start;
    } else {
      rows_.assign(1, std::vector<Cell>(nr + 1));
      for (size_t j = 0; j <= nr; ++j) rows_[0][j] = {static_cast<int64_t>(j), kIns};
    }
    rows_.resize(nh + 1);
    const double ratio = nh ? static_cast<double>(nr) / static_cast<double>(nh) : 1.0;
    const int64_t beam = kBeamWidth < ratio / 2 ? static_cast<int64_t>(std::ceil(ratio / 2 + kBeamWidth)) : kBeamWidth;
    for (size_t i = start + 1; i <= nh; ++i) {
      std::vector<Cell>& row = rows_[i];
      row.assign(nr + 1, Cell{kInf, kUndef});
      const int64_t diag = static_cast<int64_t>(std::floor(static_cast<double>(i) * ratio));
      const int64_t min_j = std::max<int64_t>(0, diag - beam);
      int64_t max_j = std::min<int64_t>(static_cast<int64_t>(nr) + 1, diag + beam);
      if (i == nh) max_j = static_cast<int64_t>(nr) + 1;
      const std::vector<Cell>& up = rows_[i - 1];
      for (int64_t jj = min_j; jj < max_j; ++jj) {
        const size_t j = static_cast<size_t>(jj);
        if (j == 0) {
          row[0] = {up[0].cost + 1, kDel};
          continue;
        }
        const bool same = h[i - 1] == ref_[j - 1];
        const Cell cand[3] = {
            {up[j - 1].cost + (same ? 0 : 1), same ? kNop : kSub}, {up[j].cost + 1, kDel}, {row[j - 1].cost + 1, kIns}};
        for (const Cell& c : cand)
          if (row[j].cost > c.cost) row[j] = c;
      }
    }
    last_ = h;
    have_ = true;
    if (trace) {
      trace->clear();
      size_t i = nh, j = nr;
      while (i > 0 || j > 0) {
        const char op = rows_[i][j].op;
        trace->push_back(op);
        if (op == kSub || op == kNop) {
          --i;
          --j;
        } else if (op == kIns) {
          --j;
        } else if (op == kDel) {
          --i;
        } else {
          break;  // outside the beam: cannot happen on the last row, which is computed in full
        }
      }
      std::reverse(trace->begin(), trace->end());
    }
    return rows_[nh][nr].cost;
  }

 private:
  const Words& ref_;
  Words last_;
  bool have_ = false;
  std::vector<std::vector<Cell>> rows_;
};

Words perform_shift(const Words& w, size_t start, size_t len, size_t target) {
  Words out;
  out.reserve(w.size());
  auto app = [&](size_t a, size_t b) {
    for (size_t k = a; k < b && k < w.size(); ++k) out.push_back(w[k]);
  };
  if (target < start) {
    app(0, target);
    app(start, start + len);
    app(target, start);
    app(start + len, w.size());
  } else if (target > start + len) {
    app(0, start);
    app(start + len, target);
    app(start, start + len);
    app(target, w.size());
  } else {
    app(0, start);
    app(start + len, len + target);
    app(start, start + len);
    app(len + target, w.size());
  }
  return out;
}

// One round: the best shift of `h`, its gain (0 when none) and the updated candidate count.
int64_t best_shift(const Words& h, const Words& r, BeamEditDistance& ed, int* checked, Words* out) {
  std::string inv;
  const int64_t pre = ed(h, &inv);
  // Flip the trace (rewrite the reference into the hypothesis) and align.
  std::vector<long> align(r.size(), -1);
  std::vector<int> hyp_err, ref_err;
  long ph = -1, pr = -1;
  for (char op : inv) {
    if (op == kNop || op == kSub) {
      ++ph;
      ++pr;
      align[static_cast<size_t>(pr)] = ph;
      hyp_err.push_back(op == kSub);
      ref_err.push_back(op == kSub);
    } else if (op == kDel) {  // flipped: an insertion into the hypothesis
      ++ph;
      hyp_err.push_back(1);
    } else if (op == kIns) {  // flipped: a deletion
      ++pr;
      align[static_cast<size_t>(pr)] = ph;
      ref_err.push_back(1);
    }
  }
  bool have = false;
  int64_t b_gain = 0, b_len = 0, b_negstart = 0, b_negidx = 0;
  Words b_words;
  const size_t nh = h.size(), nr = r.size();
  for (size_t sh = 0; sh < nh; ++sh) {
    for (size_t sr = 0; sr < nr; ++sr) {
      if (std::labs(static_cast<long>(sr) - static_cast<long>(sh)) > kMaxShiftDist) continue;
      size_t len = 0;
      while (h[sh + len] == r[sr + len] && len < static_cast<size_t>(kMaxShiftSize)) {
        ++len;
        // A candidate (sh, sr, len).
        bool skip = false;
        int e = 0;
        for (size_t k = sh; k < sh + len && k < hyp_err.size(); ++k) e += hyp_err[k];
        if (e == 0) skip = true;
        if (!skip) {
          e = 0;
          for (size_t k = sr; k < sr + len && k < ref_err.size(); ++k) e += ref_err[k];
          if (e == 0) skip = true;
        }
        if (!skip) {
          const long a = align[sr];
          if (static_cast<long>(sh) <= a && a < static_cast<long>(sh + len)) skip = true;
        }
        if (!skip) {
          long prev_idx = -1;
          for (long off = -1; off < static_cast<long>(len); ++off) {
            long idx;
            const long pos = static_cast<long>(sr) + off;
            if (pos == -1)
              idx = 0;
            else if (pos < static_cast<long>(nr) && align[static_cast<size_t>(pos)] != -2)
              idx = align[static_cast<size_t>(pos)] + 1;
            else
              break;
            if (idx == prev_idx) continue;
            prev_idx = idx;
            Words shifted = perform_shift(h, sh, len, static_cast<size_t>(idx));
            const int64_t gain = pre - ed(shifted, nullptr);
            ++*checked;
            const int64_t c_len = static_cast<int64_t>(len), c_ns = -static_cast<int64_t>(sh), c_ni = -idx;
            bool better = !have;
            if (have) {
              if (gain != b_gain)
                better = gain > b_gain;
              else if (c_len != b_len)
                better = c_len > b_len;
              else if (c_ns != b_negstart)
                better = c_ns > b_negstart;
              else if (c_ni != b_negidx)
                better = c_ni > b_negidx;
              else
                better = shifted > b_words;
            }
            if (better) {
              have = true;
              b_gain = gain;
              b_len = c_len;
              b_negstart = c_ns;
              b_negidx = c_ni;
              b_words = std::move(shifted);
            }
          }
          // The budget is checked after each candidate block that was tried (as in sacreBLEU).
          if (*checked >= kMaxShiftCandidates) goto done;
        }
        if (nh == sh + len || nr == sr + len) break;
      }
    }
  }
done:
  if (!have) {
    *out = h;
    return 0;
  }
  *out = std::move(b_words);
  return b_gain;
}

}  // namespace

int64_t ter_edits(const Words& hyp, const Words& ref) {
  if (ref.empty()) return static_cast<int64_t>(hyp.size());
  BeamEditDistance ed(ref);
  int64_t shifts = 0;
  Words cur = hyp;
  int checked = 0;
  while (true) {
    Words next;
    const int64_t delta = best_shift(cur, ref, ed, &checked, &next);
    if (checked >= kMaxShiftCandidates) break;
    if (delta <= 0) break;
    ++shifts;
    cur = std::move(next);
  }
  return shifts + ed(cur, nullptr);
}

std::vector<double> Ter::segment_stats(const U32& hyp, const std::vector<U32>& refs) const {
  auto words = [&](const U32& s) { return py_split(o_.case_sensitive ? s : py_lower(s)); };
  const Words h = words(hyp);
  int64_t best = -1;
  double ref_lengths = 0;
  for (const U32& r : refs) {
    const Words rw = words(r);
    const int64_t e = ter_edits(h, rw);
    ref_lengths += static_cast<double>(rw.size());
    if (best < 0 || e < best) best = e;
  }
  return {static_cast<double>(best), ref_lengths / static_cast<double>(refs.size())};
}

MetricScore Ter::score_from_stats(const std::vector<double>& st) const {
  MetricScore s;
  s.name = "TER";
  const double edits = st[0], ref_len = st[1];
  if (ref_len > 0)
    s.score = edits / ref_len;
  else
    s.score = edits > 0 ? 1.0 : 0.0;
  s.score *= 100;
  return s;
}

std::string Ter::signature(int nrefs) const {
  return "nrefs:" + (nrefs < 0 ? std::string("var") : std::to_string(nrefs)) +
         "|case:" + (o_.case_sensitive ? "mixed" : "lc") +
         "|tok:tercom|norm:no|punct:yes|asian:no|version:" + kSacrebleuVersion;
}

}  // namespace hymt::eval
