// handbuilt_test.cpp: dequantization of blocks built byte by byte, against values worked out by hand
// from the spec (shared/design/hy-mt-spec.md §5) -- never from the code under test. Each block sets a
// "background" byte pattern whose value per sub-block is a hand-listed constant, plus a few chosen
// bytes whose weights are listed individually with the arithmetic in a comment.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <vector>

#include "formats/blocks.h"
#include "formats/format_ref.h"

namespace hymt {
namespace {

void put16(std::vector<uint8_t>& b, size_t off, uint16_t v) {
  b[off] = static_cast<uint8_t>(v & 0xFF);
  b[off + 1] = static_cast<uint8_t>(v >> 8);
}

std::vector<float> dequant(WeightType t, const std::vector<uint8_t>& bytes) {
  const FormatRef* r = format_ref(t);
  EXPECT_NE(r, nullptr) << type_name(t);
  const int64_t n = static_cast<int64_t>(bytes.size() / type_info(t).block_bytes) * type_info(t).block;
  std::vector<float> out(static_cast<size_t>(n), -12345.0f);
  r->dequantize_row(bytes.data(), out.data(), n);
  return out;
}

void expect_values(const std::vector<float>& got, const std::vector<float>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << what << " weight " << i;
}

// fp16 bit patterns used below.
constexpr uint16_t kH0_25 = 0x3400, kH0_5 = 0x3800, kH1 = 0x3C00, kHm1 = 0xBC00, kH2 = 0x4000, kHm2 = 0xC000,
                   kH2_5 = 0x4100;

TEST(HandBuilt, Q4_0) {
  std::vector<uint8_t> b(36, 0x88);  // two blocks; nibble 8 -> weight 0
  put16(b, 0, kH0_5);
  b[2 + 0] = 0x0F;  // w0 = 0.5*(15-8) = 3.5, w16 = 0.5*(0-8) = -4
  b[2 + 1] = 0x80;  // w1 = 0.5*(0-8) = -4,  w17 = 0.5*(8-8) = 0
  b[2 + 2] = 0x9A;  // w2 = 0.5*(10-8) = 1, w18 = 0.5*(9-8) = 0.5
  put16(b, 18, kHm2);
  b[20 + 15] = 0x71;  // w(32+15) = -2*(1-8) = 14, w(32+31) = -2*(7-8) = 2
  std::vector<float> want(64, 0.0f);
  want[0] = 3.5f, want[16] = -4.0f, want[1] = -4.0f, want[17] = 0.0f, want[2] = 1.0f, want[18] = 0.5f;
  want[47] = 14.0f, want[63] = 2.0f;
  expect_values(dequant(WeightType::kQ4_0, b), want, "Q4_0");
}

TEST(HandBuilt, Q4_1) {
  std::vector<uint8_t> b(20, 0x00);
  put16(b, 0, kH1);
  put16(b, 2, kHm1);
  b[4] = 0x21;  // w0 = 1*1 - 1 = 0, w16 = 1*2 - 1 = 1; every other nibble 0 -> -1
  std::vector<float> want(32, -1.0f);
  want[0] = 0.0f, want[16] = 1.0f;
  expect_values(dequant(WeightType::kQ4_1, b), want, "Q4_1");
}

TEST(HandBuilt, Q5_0) {
  std::vector<uint8_t> b(22, 0x00);
  put16(b, 0, kH1);
  b[2] = 0x01, b[3] = 0x00, b[4] = 0x01, b[5] = 0x80;  // qh = 0x80010001: bits 0, 16, 31
  b[6 + 0] = 0x3F;   // w0 = (15|16)-16 = 15, w16 = (3|16)-16 = 3
  b[6 + 15] = 0xF0;  // w15 = 0-16 = -16, w31 = (15|16)-16 = 15
  std::vector<float> want(32, -16.0f);  // nibble 0, no high bit
  want[0] = 15.0f, want[16] = 3.0f, want[31] = 15.0f;
  expect_values(dequant(WeightType::kQ5_0, b), want, "Q5_0");
}

TEST(HandBuilt, Q5_1) {
  std::vector<uint8_t> b(24, 0x00);
  put16(b, 0, kH0_5);
  put16(b, 2, kH1);
  b[4] = 0x02;        // qh bit 1
  b[8 + 1] = 0x14;    // w1 = 0.5*(4|16) + 1 = 11, w17 = 0.5*1 + 1 = 1.5
  std::vector<float> want(32, 1.0f);
  want[1] = 11.0f, want[17] = 1.5f;
  expect_values(dequant(WeightType::kQ5_1, b), want, "Q5_1");
}

TEST(HandBuilt, Q8_0) {
  std::vector<uint8_t> b(34, 0x00);
  put16(b, 0, kH0_25);
  b[2] = 0x80;  // -128 * 0.25 = -32
  b[3] = 0x7F;  // 127 * 0.25 = 31.75
  std::vector<float> want(32, 0.0f);
  want[0] = -32.0f, want[1] = 31.75f;
  expect_values(dequant(WeightType::kQ8_0, b), want, "Q8_0");
}

TEST(HandBuilt, Q8_K) {
  std::vector<uint8_t> b(292, 0x00);
  const float d = 0.5f;
  std::memcpy(b.data(), &d, 4);
  b[4 + 0] = 0x80;    // -128 * 0.5 = -64
  b[4 + 255] = 0x7F;  // 127 * 0.5 = 63.5
  std::vector<float> want(256, 0.0f);
  want[0] = -64.0f, want[255] = 63.5f;
  expect_values(dequant(WeightType::kQ8_K, b), want, "Q8_K");
}

// Q4_K and Q5_K share this header: d = 1, dmin = 0.5 and the 6-bit (scale, min) pairs
// sc = {1, 2, 3, 63, 5, 17, 33, 63}, m = {0, 1, 2, 3, 4, 20, 40, 63}, packed by hand per the spec:
// bytes 0-3 = sc0-3 | (sc4-7 >> 4) << 6, bytes 4-7 = m0-3 | (m4-7 >> 4) << 6,
// bytes 8-11 = (sc4-7 & 15) | (m4-7 & 15) << 4.
const uint8_t kK4Scales[12] = {0x01, 0x42, 0x83, 0xFF, 0x00, 0x41, 0x82, 0xC3, 0x45, 0x41, 0x81, 0xFF};
// Background weight of sub-block j with all codes 0: -dmin * m_j.
const float kK4Background[8] = {0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -10.0f, -20.0f, -31.5f};

TEST(HandBuilt, Q4_K) {
  std::vector<uint8_t> b(144, 0x00);
  put16(b, 0, kH1);
  put16(b, 2, kH0_5);
  std::memcpy(&b[4], kK4Scales, 12);
  const size_t qs = 16;
  b[qs + 0] = 0x21;   // chunk 0, l 0: w0 = 1*1*1 - 0 = 1; w32 = 1*2*2 - 0.5*1 = 3.5
  b[qs + 33] = 0xF3;  // chunk 1, l 1: w65 = 3*3 - 0.5*2 = 8; w97 = 63*15 - 0.5*3 = 943.5
  b[qs + 95] = 0x7F;  // chunk 2, l 31: w159 = 5*15 - 0.5*4 = 73; w191 = 17*7 - 0.5*20 = 109
  b[qs + 96] = 0x1E;  // chunk 3, l 0: w192 = 33*14 - 0.5*40 = 442; w224 = 63*1 - 0.5*63 = 31.5
  std::vector<float> want(256);
  for (int i = 0; i < 256; ++i) want[static_cast<size_t>(i)] = kK4Background[i / 32];
  want[0] = 1.0f, want[32] = 3.5f, want[65] = 8.0f, want[97] = 943.5f;
  want[159] = 73.0f, want[191] = 109.0f, want[192] = 442.0f, want[224] = 31.5f;
  expect_values(dequant(WeightType::kQ4_K, b), want, "Q4_K");
}

TEST(HandBuilt, Q5_K) {
  std::vector<uint8_t> b(176, 0x00);
  put16(b, 0, kH1);
  put16(b, 2, kH0_5);
  std::memcpy(&b[4], kK4Scales, 12);
  const size_t qh = 16, qs = 48;
  b[qh + 0] = 0x81;   // bit 0: w0 high bit; bit 7: w224 high bit
  b[qh + 1] = 0x0C;   // bits 2, 3: w65 and w97 high bits
  b[qh + 31] = 0x10;  // bit 4: w159 high bit
  b[qs + 0] = 0x21;   // w0 = 1*(1+16) - 0 = 17; w32 = 2*2 - 0.5 = 3.5
  b[qs + 33] = 0xF3;  // w65 = 3*(3+16) - 1 = 56; w97 = 63*(15+16) - 1.5 = 1951.5
  b[qs + 95] = 0x7F;  // w159 = 5*(15+16) - 2 = 153; w191 = 17*7 - 10 = 109
  b[qs + 96] = 0x1E;  // w192 = 33*14 - 20 = 442; w224 = 63*(1+16) - 31.5 = 1039.5
  std::vector<float> want(256);
  for (int i = 0; i < 256; ++i) want[static_cast<size_t>(i)] = kK4Background[i / 32];
  want[0] = 17.0f, want[32] = 3.5f, want[65] = 56.0f, want[97] = 1951.5f;
  want[159] = 153.0f, want[191] = 109.0f, want[192] = 442.0f, want[224] = 1039.5f;
  expect_values(dequant(WeightType::kQ5_K, b), want, "Q5_K");
}

TEST(HandBuilt, Q6_K) {
  std::vector<uint8_t> b(210, 0x00);
  const size_t ql = 0, qh = 128, sc = 192;
  const int8_t scales[16] = {1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 127, -128};
  std::memcpy(&b[sc], scales, 16);
  put16(b, 208, kH0_5);
  // Half 0, l = 0: ql[0] = 0x5A, ql[32] = 0, qh[0] = 0xE4 (fields 0, 1, 2, 3 from the LSB).
  b[ql + 0] = 0x5A;
  b[qh + 0] = 0xE4;
  // Half 1, l = 15: ql[64+15] = 0, ql[64+32+15] = 0xFF, qh[32+15] = 0xFF.
  b[ql + 111] = 0xFF;
  b[qh + 47] = 0xFF;
  // Half 1, l = 31: ql[64+31] = 0x3C, qh[32+31] = 0.
  b[ql + 95] = 0x3C;
  std::vector<float> want(256);
  // Background: code 0 -> q = -32, w = 0.5 * sc * -32 = -16 * sc for sub-block i/16.
  for (int i = 0; i < 256; ++i) want[static_cast<size_t>(i)] = -16.0f * scales[i / 16];
  want[0] = -11.0f;     // (0xA | 0<<4) - 32 = -22; 0.5*1*-22
  want[32] = -16.0f;    // (0 | 1<<4) - 32 = -16; 0.5*2*-16
  want[64] = 7.5f;      // (0x5 | 2<<4) - 32 = 5; 0.5*3*5
  want[96] = 32.0f;     // (0 | 3<<4) - 32 = 16; 0.5*4*16
  want[143] = 40.0f;    // (0 | 3<<4) - 32 = 16; sc[8] = 5: 0.5*5*16
  want[175] = 93.0f;    // (0xF | 3<<4) - 32 = 31; sc[10] = 6: 0.5*6*31
  want[207] = 56.0f;    // (0 | 3<<4) - 32 = 16; sc[12] = 7: 0.5*7*16
  want[239] = 1968.5f;  // (0xF | 3<<4) - 32 = 31; sc[14] = 127: 0.5*127*31
  want[159] = 50.0f;    // 0xC - 32 = -20; sc[9] = -5: 0.5*-5*-20
  want[223] = 101.5f;   // 0x3 - 32 = -29; sc[13] = -7: 0.5*-7*-29
  expect_values(dequant(WeightType::kQ6_K, b), want, "Q6_K");
}

TEST(HandBuilt, Q2_K) {
  std::vector<uint8_t> b(84, 0x00);
  for (int k = 0; k < 16; ++k) b[static_cast<size_t>(k)] = static_cast<uint8_t>(k | (15 - k) << 4);  // sc=k, m=15-k
  put16(b, 80, kH1);
  put16(b, 82, kH0_25);
  const size_t qs = 16;
  b[qs + 0] = 0xE4;   // half 0, l 0, planes j=0..3 codes 0,1,2,3 -> w0, w32, w64, w96
  b[qs + 49] = 0x1B;  // half 1, byte 17, codes 3,2,1,0 -> w145, w177, w209, w241
  std::vector<float> want(256);
  for (int i = 0; i < 256; ++i) want[static_cast<size_t>(i)] = -0.25f * static_cast<float>(15 - i / 16);
  want[32] = -1.25f;  // sub-block 2: 2*1 - 0.25*13
  want[64] = 5.25f;   // sub-block 4: 4*2 - 0.25*11
  want[96] = 15.75f;  // sub-block 6: 6*3 - 0.25*9
  want[145] = 25.5f;  // sub-block 9: 9*3 - 0.25*6
  want[177] = 21.0f;  // sub-block 11: 11*2 - 0.25*4
  want[209] = 12.5f;  // sub-block 13: 13*1 - 0.25*2
  expect_values(dequant(WeightType::kQ2_K, b), want, "Q2_K");
}

TEST(HandBuilt, TQ1_0) {
  // 0x80 decodes to trit 1 in every position (128 * odd = 128 mod 256; (128*3) >> 8 = 1): weight 0.
  std::vector<uint8_t> b(54, 0x80);
  put16(b, 52, kH0_5);
  b[0] = 205;    // = ceil(194*256/243), 194 = 2*81 + 1*27 + 0*9 + 1*3 + 2: trits 2,1,0,1,2
  b[40] = 0xFF;  // every trit 2
  b[47] = 0x00;  // every trit 0
  b[48 + 1] = 205;
  b[48 + 3] = 0x00;
  std::vector<float> want(256, 0.0f);
  want[0] = 0.5f, want[32] = 0.0f, want[64] = -0.5f, want[96] = 0.0f, want[128] = 0.5f;  // qs[0], n = 0..4
  for (int n = 0; n < 5; ++n) want[static_cast<size_t>(160 + 16 * n + 8)] = 0.5f;       // qs[40] = qs[32 + 8]
  for (int n = 0; n < 5; ++n) want[static_cast<size_t>(160 + 16 * n + 15)] = -0.5f;     // qs[47]
  want[241] = 0.5f, want[245] = 0.0f, want[249] = -0.5f, want[253] = 0.0f;              // qh[1], n = 0..3
  for (int n = 0; n < 4; ++n) want[static_cast<size_t>(240 + 4 * n + 3)] = -0.5f;      // qh[3]
  expect_values(dequant(WeightType::kTQ1_0, b), want, "TQ1_0");
}

TEST(HandBuilt, TQ2_0) {
  std::vector<uint8_t> b(66, 0x55);  // every code 1: weight 0
  put16(b, 64, kH2);
  b[0] = 0x86;   // codes 2,1,0,2 (LSB first) -> w0 = 2, w32 = 0, w64 = -2, w96 = 2
  b[63] = 0x1B;  // codes 3,2,1,0 -> w159 = (3-1)*2 = 4, w191 = 2, w223 = 0, w255 = -2
  std::vector<float> want(256, 0.0f);
  want[0] = 2.0f, want[64] = -2.0f, want[96] = 2.0f;
  want[159] = 4.0f, want[191] = 2.0f, want[255] = -2.0f;
  expect_values(dequant(WeightType::kTQ2_0, b), want, "TQ2_0");
}

TEST(HandBuilt, STQ1_0CodebookFollowsTheRule) {
  // The 32 bytes printed in spec §5.10 (index = sign*16 + slot).
  const uint8_t spec[32] = {0xA9, 0x89, 0x29, 0x09, 0xA6, 0x86, 0x26, 0x06, 0x9A, 0x92, 0x1A, 0x12, 0x6A, 0x62, 0x4A, 0x42,
                            0x01, 0x21, 0x81, 0xA1, 0x04, 0x24, 0x84, 0xA4, 0x10, 0x18, 0x90, 0x98, 0x40, 0x48, 0x60, 0x68};
  for (size_t i = 0; i < 32; ++i) EXPECT_EQ(kStq1_0Codebook[i], spec[i]) << "codebook index " << i;
  int valid = 0;
  for (size_t p = 0; p < 256; ++p)
    if (kStq1_0Inverse[p] != 0xFF) {
      ++valid;
      EXPECT_EQ(kStq1_0Codebook[kStq1_0Inverse[p]], p);
    }
  EXPECT_EQ(valid, 32);  // every entry distinct
}

// One STQ1_0 block with five chosen groups; the rest use slot 0 / sign 0 = 0xA9: lane 0 zero and
// lanes 1..3 = +1. Chosen groups (lanes p0..p3 from the spec's table, codes 00=-1, 01=0, 10=+1):
//   g 0:  slot 5,  sign 1 -> 0x24 -> -1, 0, +1, -1
//   g 1:  slot 14, sign 0 -> 0x4A -> +1, +1, -1, 0
//   g 17: slot 3,  sign 1 -> 0xA1 -> 0, -1, +1, +1
//   g 62: slot 0,  sign 1 -> 0x01 -> 0, -1, -1, -1
//   g 63: slot 11, sign 0 -> 0x12 -> +1, -1, 0, -1
std::vector<uint8_t> stq_block() {
  std::vector<uint8_t> b(42, 0x00);
  b[0] = 0xE5;         // g0 slot 5 (low nibble), g1 slot 14 (high)
  b[8] = 0x30;         // g17 slot 3 (high nibble of byte 8)
  b[31] = 0xB0;        // g62 slot 0, g63 slot 11
  b[32 + 0] = 0x01;    // g0 sign (bit 0 of sign[0])
  b[32 + 2] = 0x02;    // g17 sign (bit 1 of sign[2])
  b[32 + 7] = 0x40;    // g62 sign (bit 6 of sign[7])
  put16(b, 40, kH2_5);
  return b;
}

const std::map<int, std::vector<float>> kStqGroups = {
    {0, {-1, 0, 1, -1}}, {1, {1, 1, -1, 0}}, {17, {0, -1, 1, 1}}, {62, {0, -1, -1, -1}}, {63, {1, -1, 0, -1}}};

TEST(HandBuilt, STQ1_0Stride16) {
  // Lane p of group g at 64*(g/16) + g%16 + 16p: lane 0 of every group sits where (i % 64) < 16.
  std::vector<float> want(256);
  for (int i = 0; i < 256; ++i) want[static_cast<size_t>(i)] = (i % 64) < 16 ? 0.0f : 2.5f;
  const std::map<int, std::vector<int>> positions = {
      {0, {0, 16, 32, 48}}, {1, {1, 17, 33, 49}}, {17, {65, 81, 97, 113}}, {62, {206, 222, 238, 254}},
      {63, {207, 223, 239, 255}}};
  for (const auto& [g, pos] : positions)
    for (size_t p = 0; p < 4; ++p) want[static_cast<size_t>(pos[p])] = 2.5f * kStqGroups.at(g)[p];
  expect_values(dequant(WeightType::kSTQ1_0, stq_block()), want, "STQ1_0 stride-16");
}

TEST(HandBuilt, STQ1_0Consecutive) {
  // Lane p of group g at 4g + p: lane 0 of every group sits where i % 4 == 0.
  std::vector<float> want(256);
  for (int i = 0; i < 256; ++i) want[static_cast<size_t>(i)] = i % 4 == 0 ? 0.0f : 2.5f;
  for (const auto& [g, v] : kStqGroups)
    for (size_t p = 0; p < 4; ++p) want[static_cast<size_t>(4 * g) + p] = 2.5f * v[p];
  expect_values(dequant(WeightType::kSTQ1_0_CONSEC, stq_block()), want, "STQ1_0 consecutive");
}

TEST(HandBuilt, Q2_0C) {
  std::vector<uint8_t> b(130, 0x00);  // code 0 -> -3 * 0.25 = -0.75
  put16(b, 0, kH0_25);
  b[2 + 0] = 0xE4;    // codes 0,1,2,3 (LSB first) -> w0..3 = -0.75, -0.25, 0.25, 0.75
  b[2 + 64] = 0xFF;   // w256..259 = 0.75
  b[2 + 127] = 0x1B;  // codes 3,2,1,0 -> w508..511 = 0.75, 0.25, -0.25, -0.75
  std::vector<float> want(512, -0.75f);
  want[1] = -0.25f, want[2] = 0.25f, want[3] = 0.75f;
  for (int i = 256; i < 260; ++i) want[static_cast<size_t>(i)] = 0.75f;
  want[508] = 0.75f, want[509] = 0.25f, want[510] = -0.25f;
  expect_values(dequant(WeightType::kQ2_0C, b), want, "Q2_0C");
}

// Q8_K quantization, spec §5.9: the signed extreme maps to -127, iscale = -127/max, ties to even,
// d = 1/iscale, bsums per 16. max = 1.984375 = 127/64 makes iscale = -64 exactly, so the products
// below are exact and the ties are real ties.
TEST(HandBuilt, Q8_KQuantization) {
  std::vector<float> x(256, 0.0f);
  x[0] = 1.984375f;   // -127
  x[1] = -0.9765625f; // 62.5 -> 62 (tie to even)
  x[2] = 0.5390625f;  // -34.5 -> -34 (tie to even)
  x[3] = 0.5f;        // -32
  x[17] = -1.0f;      // 64
  x[18] = -0.5546875f; // 35.5 -> 36 (tie to even, upward)
  BlockQ8_K q;
  quantize_row_q8_k(x.data(), &q, 256);
  EXPECT_EQ(q.d, -0.015625f);
  EXPECT_EQ(q.qs[0], -127);
  EXPECT_EQ(q.qs[1], 62);
  EXPECT_EQ(q.qs[2], -34);
  EXPECT_EQ(q.qs[3], -32);
  EXPECT_EQ(q.qs[17], 64);
  EXPECT_EQ(q.qs[18], 36);
  EXPECT_EQ(q.bsums[0], -127 + 62 - 34 - 32);
  EXPECT_EQ(q.bsums[1], 64 + 36);
  for (int i = 2; i < 16; ++i) EXPECT_EQ(q.bsums[i], 0);
  // All zero: d = 0 and zero codes.
  std::vector<float> z(256, 0.0f);
  quantize_row_q8_k(z.data(), &q, 256);
  EXPECT_EQ(q.d, 0.0f);
  EXPECT_EQ(q.qs[5], 0);
  // A negative extreme: max = -2 -> iscale = 63.5, 1.0 -> 63.5 -> 64 (tie to even).
  z[7] = -2.0f;
  z[8] = 1.0f;
  quantize_row_q8_k(z.data(), &q, 256);
  EXPECT_EQ(q.qs[7], -127);
  EXPECT_EQ(q.qs[8], 64);
  EXPECT_EQ(q.d, 1.0f / 63.5f);
}

}  // namespace
}  // namespace hymt
