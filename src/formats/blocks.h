// blocks.h: the byte layout of every quantized block hymt reads (spec §5), as packed structs with
// a size assertion each. The scalar references (src/formats/<format>.cpp) and the SIMD kernels share
// these definitions, so a layout is written down exactly once. All fields are little-endian; `d`,
// `dmin`, `m`, `s` are IEEE binary16 bit patterns (core/half.h) except Q8_K's float `d`.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace hymt {

constexpr int kQK_K = 256;  // super-block size of the K-quants, TQ*, STQ1_0 and Q8_K

// --- 32-weight "legacy" blocks ---------------------------------------------------------------

struct BlockQ4_0 {  // w = d * (q - 8), q = nibble; bytes j hold weights j (low) and j+16 (high)
  uint16_t d;
  uint8_t qs[16];
};
static_assert(sizeof(BlockQ4_0) == 18, "Q4_0 block is 18 bytes");

struct BlockQ4_1 {  // w = d * q + m
  uint16_t d;
  uint16_t m;
  uint8_t qs[16];
};
static_assert(sizeof(BlockQ4_1) == 20, "Q4_1 block is 20 bytes");

struct BlockQ5_0 {  // w = d * ((nibble | bit << 4) - 16); bit j of the LE uint32 qh is weight j's
  uint16_t d;
  uint8_t qh[4];
  uint8_t qs[16];
};
static_assert(sizeof(BlockQ5_0) == 22, "Q5_0 block is 22 bytes");

struct BlockQ5_1 {  // w = d * (nibble | bit << 4) + m
  uint16_t d;
  uint16_t m;
  uint8_t qh[4];
  uint8_t qs[16];
};
static_assert(sizeof(BlockQ5_1) == 24, "Q5_1 block is 24 bytes");

struct BlockQ8_0 {  // w = d * qs
  uint16_t d;
  int8_t qs[32];
};
static_assert(sizeof(BlockQ8_0) == 34, "Q8_0 block is 34 bytes");

struct BlockQ8_1 {  // activations for Q4_1 / Q5_1: w = d * qs, s = fp16(d * sum(qs))
  uint16_t d;
  uint16_t s;
  int8_t qs[32];
};
static_assert(sizeof(BlockQ8_1) == 36, "Q8_1 block is 36 bytes");

// --- 256-weight K-quants -----------------------------------------------------------------------

struct BlockQ2_K {  // 16 sub-blocks of 16: w = d*(sc&15)*q - dmin*(sc>>4), q 2-bit
  uint8_t scales[16];
  uint8_t qs[64];
  uint16_t d;
  uint16_t dmin;
};
static_assert(sizeof(BlockQ2_K) == 84, "Q2_K block is 84 bytes");

struct BlockQ4_K {  // 8 sub-blocks of 32 with 6-bit scale and min packed in scales[12]
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[12];
  uint8_t qs[128];
};
static_assert(sizeof(BlockQ4_K) == 144, "Q4_K block is 144 bytes");

struct BlockQ5_K {  // Q4_K plus one high bit per weight in qh
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[12];
  uint8_t qh[32];
  uint8_t qs[128];
};
static_assert(sizeof(BlockQ5_K) == 176, "Q5_K block is 176 bytes");

struct BlockQ6_K {  // 16 sub-blocks of 16 with int8 scales: w = d*sc*(q - 32), q 6-bit
  uint8_t ql[128];
  uint8_t qh[64];
  int8_t scales[16];
  uint16_t d;
};
static_assert(sizeof(BlockQ6_K) == 210, "Q6_K block is 210 bytes");

struct BlockQ8_K {  // activation side: x = d * qs, bsums[i] = sum(qs[16i .. 16i+15])
  float d;
  int8_t qs[kQK_K];
  int16_t bsums[kQK_K / 16];
};
static_assert(sizeof(BlockQ8_K) == 292, "Q8_K block is 292 bytes");

// --- ternary and Tencent formats ---------------------------------------------------------------

struct BlockTQ1_0 {  // base-3: 5 trits per qs byte, 4 per qh byte; w = (t - 1) * d
  uint8_t qs[48];
  uint8_t qh[4];
  uint16_t d;
};
static_assert(sizeof(BlockTQ1_0) == 54, "TQ1_0 block is 54 bytes");

struct BlockTQ2_0 {  // 2-bit codes, w = (q - 1) * d (code 3 unused)
  uint8_t qs[64];
  uint16_t d;
};
static_assert(sizeof(BlockTQ2_0) == 66, "TQ2_0 block is 66 bytes");

struct BlockSTQ1_0 {  // Sherry 3:4 sparse ternary: 64 groups of 4 lanes, 5 bits per group
  uint8_t qs[32];   // slot code of group g: byte g/2, low nibble for even g
  uint8_t sign[8];  // table select of group g: bit g%8 of byte g/8
  uint16_t d;
};
static_assert(sizeof(BlockSTQ1_0) == 42, "STQ1_0 block is 42 bytes");

constexpr int kQK_Q2_0C = 512;
struct BlockQ2_0C {  // code c of weight i: bits 2(i%4) of qs[i/4]; w = (2c - 3) * d
  uint16_t d;
  uint8_t qs[kQK_Q2_0C / 4];
};
static_assert(sizeof(BlockQ2_0C) == 130, "Q2_0C block is 130 bytes");

// --- STQ1_0 codebook (spec §5.10) --------------------------------------------------------------
// Built from the generating rule rather than typed in, so the table and the rule cannot drift
// apart; tests/formats compares it with the 32 bytes printed in the spec.
// slot = zero_pos << 2 | tail. Lane zero_pos is 0; the other lanes in increasing order are +1,
// (tail bit0 ? -1 : +1), (tail bit1 ? -1 : +1); sign = 1 negates them. Lane codes are value + 1
// (0b00 = -1, 0b01 = 0, 0b10 = +1), lane p at bits 2p.
constexpr std::array<uint8_t, 32> make_stq1_0_codebook() {
  std::array<uint8_t, 32> cb{};
  for (int sign = 0; sign < 2; ++sign)
    for (int slot = 0; slot < 16; ++slot) {
      const int zero_pos = slot >> 2, tail = slot & 3;
      int nth = 0;  // how many non-zero lanes so far
      int pack = 0;
      for (int p = 0; p < 4; ++p) {
        int v = 0;
        if (p != zero_pos) {
          v = nth == 0 ? 1 : ((tail >> (nth - 1)) & 1) ? -1 : 1;
          if (sign) v = -v;
          ++nth;
        }
        pack |= (v + 1) << (2 * p);
      }
      cb[static_cast<size_t>(sign * 16 + slot)] = static_cast<uint8_t>(pack);
    }
  return cb;
}
inline constexpr std::array<uint8_t, 32> kStq1_0Codebook = make_stq1_0_codebook();

// Inverse: packed lane codes -> sign << 4 | slot, 0xFF where no 3:4 pattern packs to that byte.
constexpr std::array<uint8_t, 256> make_stq1_0_inverse() {
  std::array<uint8_t, 256> inv{};
  for (auto& v : inv) v = 0xFF;
  for (int i = 0; i < 32; ++i) inv[kStq1_0Codebook[static_cast<size_t>(i)]] = static_cast<uint8_t>(i);
  return inv;
}
inline constexpr std::array<uint8_t, 256> kStq1_0Inverse = make_stq1_0_inverse();

// Position inside the 256-weight block of lane p (0..3) of group g (0..63).
// Stride-16 (Hy-MT2 release, PR #22836 head): lanes of a group are 16 apart inside a 64-chunk.
// Consecutive (PR revision 1, older HY-MT1.5 file): lanes are adjacent.
constexpr int stq1_0_pos_stride16(int g, int p) { return 64 * (g / 16) + g % 16 + 16 * p; }
constexpr int stq1_0_pos_consecutive(int g, int p) { return 4 * g + p; }

}  // namespace hymt
