// matmul.cpp: weight x activation products over the per-format dot products in the dispatch
// table. Activations are converted to the format's act_type once per call; rows are split across
// threads (tokens inner, so a weight row is read from memory once for the whole batch).
#include <algorithm>

#include "core/status.h"
#include "formats/format_ref.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace hymt {

bool kernel_supports(WeightType t) { return format_ref(t) != nullptr; }

void matmul(const WeightView& w, const float* x, int64_t ldx, int64_t n_tok, float* y, int64_t ldy,
            ThreadPool& pool, KernelScratch& scratch) {
  const FormatRef* ref = format_ref(w.type);
  HYMT_ASSERT(ref != nullptr);
  const FormatRef* act = format_ref(ref->act_type);
  HYMT_ASSERT(act != nullptr);
  const auto act_row = row_bytes(ref->act_type, w.ne0);
  HYMT_ASSERT(act_row.has_value());
  const size_t arb = *act_row;
  if (scratch.act.size() < arb * static_cast<size_t>(n_tok)) scratch.act.resize(arb * static_cast<size_t>(n_tok));
  uint8_t* a = scratch.act.data();
  pool.parallel_for(n_tok, [&](int64_t t0, int64_t t1, int) {
    for (int64_t t = t0; t < t1; ++t) act->quantize_row(x + t * ldx, a + t * arb, w.ne0);
  });
  const VecDotFn dot = kernel_table().vec_dot[static_cast<size_t>(w.type)];
  HYMT_ASSERT(dot != nullptr);
  // Chunks of 16 rows keep the per-thread work coarse; the split never changes any result.
  const int64_t chunk = 16;
  const int64_t n_chunks = (w.n_rows + chunk - 1) / chunk;
  pool.parallel_for(n_chunks, [&](int64_t c0, int64_t c1, int) {
    for (int64_t r = c0 * chunk; r < std::min(w.n_rows, c1 * chunk); ++r) {
      const uint8_t* wr = w.row(r);
      for (int64_t t = 0; t < n_tok; ++t) y[t * ldy + r] = dot(w.ne0, wr, a + t * arb);
    }
  });
}

void get_row(const WeightView& w, int64_t r, float* out) {
  const FormatRef* ref = format_ref(w.type);
  HYMT_ASSERT(ref != nullptr && r >= 0 && r < w.n_rows);
  ref->dequantize_row(w.row(r), out, w.ne0);
}

}  // namespace hymt
