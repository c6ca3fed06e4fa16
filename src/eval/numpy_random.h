// numpy_random.h: the part of numpy's random Generator that sacreBLEU's paired bootstrap uses,
// reimplemented so that `hymt eval score --paired-bs` draws exactly the indices of
// `np.random.default_rng(seed).choice(n, size=(rows, n), replace=True)`:
//  - SeedSequence(seed): the integer as little-endian 32-bit words, hashed into a pool of four
//    32-bit words (hashmix/mix with numpy's constants), then generate_state(4, uint64);
//  - PCG64 (XSL-RR 128/64) seeded as pcg64_set_seed does: state word 0:1 and increment word 2:3,
//    inc = (seq << 1) | 1, step, add, step;
//  - next_uint32: the low half of one 64-bit output, then the high half;
//  - integers(0, n) as random_bounded_uint64_fill: a range that fits in 32 bits uses Lemire's
//    multiply-and-reject on next_uint32 (use_masked=False); a wider one on next_uint64.
// Checked against numpy at test time (tests/eval/paired_bs_test.py).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hymt::eval {

// numpy.random.SeedSequence(entropy).generate_state(n_words, np.uint32) for a non-negative
// integer entropy and no spawn key.
std::vector<uint32_t> seed_sequence_state32(uint64_t entropy, size_t n_words);

class NumpyPcg64 {
 public:
  explicit NumpyPcg64(uint64_t seed);  // np.random.default_rng(seed)'s bit generator
  uint64_t next_uint64();
  uint32_t next_uint32();
  // Generator.integers(0, n) for n >= 1 (numpy's random_bounded_uint64_fill), count draws.
  void integers_fill(uint64_t n, size_t count, uint64_t* out);

 private:
  unsigned __int128 state_ = 0, inc_ = 0;
  bool has_uint32_ = false;
  uint32_t uinteger_ = 0;
};

}  // namespace hymt::eval
