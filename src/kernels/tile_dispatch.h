// tile_dispatch.h: turns one kernel template `K::run<NR, NT>` into the table's GemmTileFn (a switch
// over the 16 tile shapes) and VecDotFn (the 1x1 tile), so vec_dot and every tile shape share one
// body and each output gets the same arithmetic whatever the batch shape (dispatch.h contract).
// Everything is in an unnamed namespace: this header is included by translation units compiled
// with different -m flags, and a shared inline symbol could be resolved to the wrong ISA's copy.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hymt {
namespace {

template <class K, int NR>
void tile_rows_nt(int64_t n, const uint8_t* w, size_t ws, const uint8_t* a, size_t as, int nt, float* y,
                  int64_t ldy) {
  switch (nt) {
    case 1: K::template run<NR, 1>(n, w, ws, a, as, y, ldy); break;
    case 2: K::template run<NR, 2>(n, w, ws, a, as, y, ldy); break;
    case 3: K::template run<NR, 3>(n, w, ws, a, as, y, ldy); break;
    default: K::template run<NR, 4>(n, w, ws, a, as, y, ldy); break;
  }
}

template <class K>
void gemm_tiles(int64_t n, const uint8_t* w, size_t ws, int nr, const uint8_t* a, size_t as, int nt, float* y,
                int64_t ldy) {
  switch (nr) {
    case 1: tile_rows_nt<K, 1>(n, w, ws, a, as, nt, y, ldy); break;
    case 2: tile_rows_nt<K, 2>(n, w, ws, a, as, nt, y, ldy); break;
    case 3: tile_rows_nt<K, 3>(n, w, ws, a, as, nt, y, ldy); break;
    default: tile_rows_nt<K, 4>(n, w, ws, a, as, nt, y, ldy); break;
  }
}

template <class K>
float dot_tile(int64_t n, const void* w, const void* a) {
  float y;
  K::template run<1, 1>(n, static_cast<const uint8_t*>(w), 0, static_cast<const uint8_t*>(a), 0, &y, 1);
  return y;
}

// A packed product (dispatch.h PackedGemmFn) from `K::run<NT>(ne0, group, act, as, y, ldy)` for
// NT <= P: a tile of up to kPackTokens tokens runs in passes of at most P tokens (as many as leave
// the accumulators in registers), each output computed by exactly one pass. For the float layouts,
// which take no activation sums.
template <class K, int P, int NT = P>
void run_tokens(int nt, int64_t ne0, const uint8_t* g, const uint8_t* act, size_t as, float* y, int64_t ldy) {
  if constexpr (NT > 1) {
    if (nt < NT) return run_tokens<K, P, NT - 1>(nt, ne0, g, act, as, y, ldy);
  }
  K::template run<NT>(ne0, g, act, as, y, ldy);
}

template <class K, int P>
void packed_passes(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t*, int64_t, int nt,
                   float* y, int64_t ldy) {
  for (int t0 = 0; t0 < nt; t0 += P)
    run_tokens<K, P>(nt - t0 < P ? nt - t0 : P, ne0, group, act + static_cast<size_t>(t0) * as, as, y + t0 * ldy, ldy);
}

}  // namespace
}  // namespace hymt
