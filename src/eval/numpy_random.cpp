// numpy_random.cpp: numpy's SeedSequence, PCG64 and bounded integers (numpy_random.h).
#include "eval/numpy_random.h"

namespace hymt::eval {
namespace {

constexpr uint32_t kInitA = 0x43b0d7e5, kMultA = 0x931e8875, kInitB = 0x8b51f9dd, kMultB = 0x58f38ded;
constexpr uint32_t kMixMultL = 0xca01f9dd, kMixMultR = 0x4973f715;
constexpr int kXShift = 16;  // 32-bit words / 2
constexpr size_t kPoolSize = 4;

uint32_t hashmix(uint32_t value, uint32_t* hash_const) {
  value ^= *hash_const;
  *hash_const *= kMultA;
  value *= *hash_const;
  value ^= value >> kXShift;
  return value;
}

uint32_t mix(uint32_t x, uint32_t y) {
  uint32_t r = kMixMultL * x - kMixMultR * y;
  r ^= r >> kXShift;
  return r;
}

std::array<uint32_t, kPoolSize> seed_pool(uint64_t entropy) {
  // The integer as 32-bit words, least significant first; 0 is one word.
  std::vector<uint32_t> words;
  do {
    words.push_back(static_cast<uint32_t>(entropy));
    entropy >>= 32;
  } while (entropy != 0);
  std::array<uint32_t, kPoolSize> pool{};
  uint32_t hc = kInitA;
  for (size_t i = 0; i < kPoolSize; ++i) pool[i] = hashmix(i < words.size() ? words[i] : 0u, &hc);
  for (size_t s = 0; s < kPoolSize; ++s)
    for (size_t d = 0; d < kPoolSize; ++d)
      if (s != d) pool[d] = mix(pool[d], hashmix(pool[s], &hc));
  for (size_t s = kPoolSize; s < words.size(); ++s)
    for (size_t d = 0; d < kPoolSize; ++d) pool[d] = mix(pool[d], hashmix(words[s], &hc));
  return pool;
}

constexpr unsigned __int128 kPcgMult =
    (static_cast<unsigned __int128>(2549297995355413924ULL) << 64) | 4865540595714422341ULL;

}  // namespace

std::vector<uint32_t> seed_sequence_state32(uint64_t entropy, size_t n_words) {
  const auto pool = seed_pool(entropy);
  std::vector<uint32_t> out(n_words);
  uint32_t hc = kInitB;
  for (size_t i = 0; i < n_words; ++i) {
    uint32_t v = pool[i % kPoolSize];
    v ^= hc;
    hc *= kMultB;
    v *= hc;
    v ^= v >> kXShift;
    out[i] = v;
  }
  return out;
}

NumpyPcg64::NumpyPcg64(uint64_t seed) {
  // generate_state(4, np.uint64): 32-bit words paired little-endian into 64-bit ones.
  const auto w = seed_sequence_state32(seed, 8);
  uint64_t v[4];
  for (int i = 0; i < 4; ++i) v[i] = static_cast<uint64_t>(w[2 * i]) | (static_cast<uint64_t>(w[2 * i + 1]) << 32);
  const unsigned __int128 initstate = (static_cast<unsigned __int128>(v[0]) << 64) | v[1];
  const unsigned __int128 initseq = (static_cast<unsigned __int128>(v[2]) << 64) | v[3];
  state_ = 0;
  inc_ = (initseq << 1) | 1u;
  state_ = state_ * kPcgMult + inc_;
  state_ += initstate;
  state_ = state_ * kPcgMult + inc_;
}

uint64_t NumpyPcg64::next_uint64() {
  state_ = state_ * kPcgMult + inc_;
  const uint64_t x = static_cast<uint64_t>(state_ >> 64) ^ static_cast<uint64_t>(state_);
  const unsigned rot = static_cast<unsigned>(state_ >> 122);
  return (x >> rot) | (x << ((64u - rot) & 63u));
}

uint32_t NumpyPcg64::next_uint32() {
  if (has_uint32_) {
    has_uint32_ = false;
    return uinteger_;
  }
  const uint64_t next = next_uint64();
  has_uint32_ = true;
  uinteger_ = static_cast<uint32_t>(next >> 32);
  return static_cast<uint32_t>(next);
}

void NumpyPcg64::integers_fill(uint64_t n, size_t count, uint64_t* out) {
  const uint64_t rng = n - 1;  // inclusive range, as numpy passes it
  if (rng == 0) {
    for (size_t i = 0; i < count; ++i) out[i] = 0;
  } else if (rng <= 0xFFFFFFFFull) {
    if (rng == 0xFFFFFFFFull) {
      for (size_t i = 0; i < count; ++i) out[i] = next_uint32();
      return;
    }
    const uint32_t excl = static_cast<uint32_t>(rng) + 1;
    const uint32_t threshold = (UINT32_MAX - static_cast<uint32_t>(rng)) % excl;
    for (size_t i = 0; i < count; ++i) {
      uint64_t m = static_cast<uint64_t>(next_uint32()) * excl;
      uint32_t left = static_cast<uint32_t>(m);
      if (left < excl)
        while (left < threshold) {
          m = static_cast<uint64_t>(next_uint32()) * excl;
          left = static_cast<uint32_t>(m);
        }
      out[i] = m >> 32;
    }
  } else if (rng == UINT64_MAX) {
    for (size_t i = 0; i < count; ++i) out[i] = next_uint64();
  } else {
    const uint64_t excl = rng + 1;
    const uint64_t threshold = (UINT64_MAX - rng) % excl;
    for (size_t i = 0; i < count; ++i) {
      unsigned __int128 m = static_cast<unsigned __int128>(next_uint64()) * excl;
      uint64_t left = static_cast<uint64_t>(m);
      if (left < excl)
        while (left < threshold) {
          m = static_cast<unsigned __int128>(next_uint64()) * excl;
          left = static_cast<uint64_t>(m);
        }
      out[i] = static_cast<uint64_t>(m >> 64);
    }
  }
}

}  // namespace hymt::eval
