// unicode_class.cpp: lookup in the generated change-point table. The Basic Multilingual Plane is
// expanded once into a 64 KiB array (almost all text lives there); other planes use binary search.
#include "tokenizer/unicode_class.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace hymt {

namespace {

constexpr uint32_t kChangePoints[] = {
#include "tokenizer/unicode_tables.inc"
};

uint8_t lookup_slow(uint32_t cp) {
  // Last change point whose start is <= cp.
  const uint32_t* it = std::upper_bound(std::begin(kChangePoints), std::end(kChangePoints), cp,
                                        [](uint32_t v, uint32_t e) { return v < (e & 0xFFFFFFu); });
  return static_cast<uint8_t>(*(it - 1) >> 24);
}

struct BmpTable {
  std::array<uint8_t, 0x10000> flags{};
  BmpTable() {
    for (uint32_t cp = 0; cp < 0x10000; ++cp) flags[cp] = lookup_slow(cp);
  }
};

const BmpTable& bmp() {
  static const BmpTable t;
  return t;
}

}  // namespace

uint8_t unicode_class(uint32_t cp) {
  if (cp < 0x10000) return bmp().flags[cp];
  if (cp > 0x10FFFF) return 0;
  return lookup_slow(cp);
}

}  // namespace hymt
