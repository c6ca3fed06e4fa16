// packed_layout.h: byte layouts of the row-interleaved ("packed") weight formats (dispatch.h
// PackedKernel), shared by the scalar reference and the SIMD kernels.
//
// Q4_0x16: 16 rows of Q4_0 per group; per 32-weight block index i, 288 bytes:
//   [0, 32)    the 16 rows' fp16 scales d, row order
//   [32, 288)  four 64-byte chunks j = 0..3; chunk j holds, for row r = 0..15, the row's qs bytes
//              4j..4j+3 at 32 + 64j + 4r. Byte k of a row's qs holds weight k (low nibble) and
//              weight k + 16 (high nibble), as in the file.
// So one 512-bit load of chunk j, masked to low nibbles, has in 32-bit lane r the codes of weights
// 4j..4j+3 of row r; shifted, those of weights 16+4j..16+4j+3; a vpdpbusd against the broadcast
// activations x[4j..4j+3] (x[16+4j..]) adds row r's partial dot to lane r.
//
// Q8_0x16: 16 rows of Q8_0 per group; per 32-weight block index i, 544 bytes:
//   [0, 32)    the 16 rows' fp16 scales d
//   [32, 544)  eight 64-byte chunks j = 0..7; chunk j holds row r's codes 4j..4j+3 at 32 + 64j + 4r,
//              each stored as code + 128 (an unsigned byte, XOR 0x80), so vpdpbusd (u8 x s8) can
//              take them; the +128 comes back out as -128 * sum(x) per block.
//
// The k-quant layouts take Q8_K activations (one float scale per 256, bsums per 16) and work per
// 256-weight superblock i. The 6-bit scales and mins, packed into 12 bytes in the file, are
// unpacked to bytes at load: the group grows 2.8 % (Q4_K) and the kernels never unpack them.
//
// Q4_Kx16: per superblock, 2368 bytes:
//   [0, 32)      the 16 rows' fp16 d          [32, 64)  the 16 rows' fp16 dmin
//   [64, 192)    scale j of row r at 64 + 16j + r (u8, 0..63)
//   [192, 320)   min 2k + h of row r at 192 + 32k + 2r + h (u8): widened to int16, lane r holds the
//                pair (m_2k, m_2k+1), ready for a vpdpwssd against a pair of 32-weight activation sums
//   [320, 2368)  pair p = 0..3 (sub-blocks 2p, 2p+1), chunk c = 0..7: row r's qs bytes 32p+4c..+3 at
//                320 + 512p + 64c + 4r. As in the file, the low nibbles are weights 64p+4c..+3
//                (sub-block 2p) and the high nibbles weights 64p+32+4c..+3 (sub-block 2p+1).
//
// Q6_Kx16: per superblock, 3360 bytes (16 x 210: no growth):
//   [0, 32)      the 16 rows' fp16 d
//   [32, 288)    scale s (int8) of row r at 32 + 16s + r; sub-block s = weights 16s .. 16s+15
//   [288, 2336)  half n = 0, 1; chunk c = 0..15: row r's ql bytes 64n+4c..+3 at 288 + 1024n + 64c + 4r
//   [2336, 3360) half n; chunk c = 0..7: row r's qh bytes 32n+4c..+3 at 2336 + 512n + 64c + 4r
//   With a = ql chunk c, b = ql chunk 8+c and h = qh chunk c of half n (c < 8), the 6-bit codes of
//   weights 128n + 32m + 4c .. +3 are, for m = 0..3:
//     m=0: (a & 15) | (h & 3) << 4           m=1: (b & 15) | (h >> 2 & 3) << 4
//     m=2: (a >> 4) | (h >> 4 & 3) << 4      m=3: (b >> 4) | (h >> 6) << 4
//   (the file's own bit arrangement), and they lie in sub-block 8n + 2m + (c >= 4).
//
// STQ1_0x16 (stride-16 lanes only): per 256-weight block, 672 bytes (16 x 42: no growth):
//   [0, 32)      the 16 rows' fp16 d
//   [32, 672)    16 quads q = 4c + u (chunk c = 0..3 of 64 weights, u = 0..3), 40 bytes each, holding
//                groups g = 16c + 4u + v (v = 0..3) of all 16 rows. Position k = 4r + v: its 4-bit
//                slot is the low nibble of byte k (k < 32) or the high nibble of byte k - 32, and its
//                sign bit is bit k of the 8 bytes at 32 (a 64-bit mask, least significant first).
//   Looked up in the codebook, position k gives the packed 2-bit lane codes of group g of row r; lane
//   p of group g is weight 64c + 16p + 4u + v, so in 32-bit lane r the lane-p codes of v = 0..3 face
//   the 4 contiguous activations 64c + 16p + 4u .. +3: one vpdpbusd per lane p and quad.
//
// Q2_0Cx16: per 512-weight block, 2080 bytes (16 x 130: no growth):
//   [0, 32)      the 16 rows' fp16 d
//   [32, 2080)   32 groups G of 16 weights, 64 bytes each: byte 32 + 64G + 4r + j holds, at bits 2p,
//                the 2-bit code of weight 16G + 4p + j of row r (regrouped from the file's 4
//                consecutive weights per byte), so lane p's codes of bytes j = 0..3 face the 4
//                contiguous activations 16G + 4p .. +3. A block spans two Q8_K activation blocks
//                (groups 0..15 and 16..31), each its own integer sum 2 sum(c x) - 3 sum(x).
//
// F32x16, F16x16, BF16x16: the 16 rows transposed, in the file's element type: weight k of row r is
// element 16k + r (any ne0). One 16-element load holds weight k of all 16 rows, so the product is
// an outer product with no horizontal sums: lane r of a token's accumulator takes
// fma(w[k][r], x[k], acc) in order of k, in two chains per output (even and odd k, added at the
// end; one chain would wait on the FMA latency), which the reference repeats exactly.
//
// Q8_0 activation tiles (act_tile_q8_0, for the AVX-512 Q4_0x16 and Q8_0x16 products): the nt <= 8
// tokens of one tile re-laid once per product, so that the kernel walks one pointer and finds every
// per-block, per-token value ready to broadcast from memory. Per 32-weight block i, a record of
// 44 * nt bytes at 44 * nt * i:
//   [0, 4nt)     token t's scale d as a float (the fp16 widened: exact)
//   [4nt, 8nt)   -8 * sum(x) of token t's block (int32): the Q4_0 code offset's correction
//   [8nt, 12nt)  -128 * sum(x) (int32): the packed Q8_0's
//   [12nt, 44nt) token t's 32 int8 codes at 12nt + 32t
//
// Q8_K activation tiles (act_tile_q8_k, for the AVX-512 Q4_Kx16 and Q6_Kx16 products, which share
// it, as a fused QKV product mixes them): the tile's tokens in sub-tiles of m <= 8 (tokens 8s ..
// 8s + m - 1; sub-tile s at s * (ne0 / 256) * 2720 bytes; with kPackTokens = 8 a tile is one
// sub-tile, which one kernel pass takes whole). Per 256-weight superblock i, a record of 340 * m
// bytes at 340 * m * i:
//   [0, 4m)      token t's scale d (float)
//   [4m, 20m)    at 4m + 4(km + t), k = 0..3: token t's 32-weight sums of the block's weights
//                64k .. 64k+31 and 64k+32 .. 64k+63 as two int16 (low, high), ready for vpdpwssd
//                against the Q4_Kx16 min pairs
//   [20m, 84m)   at 20m + 4(sm + t), s = 0..15: -32 * bsums[s] of token t (int32), the Q6_K code
//                offset's correction, from which each sub-block's chain starts
//   [84m, 340m)  token t's 256 int8 codes at 84m + 256t
// A block and token then needs no scalar work and no conversion of its own in the kernel: the 8
// tokens' pointers (spilled) and per-token fp16 widening were most of its non-vpdpbusd work, and
// Q6_K's 16 bsums per superblock and token were each a load, a multiply and a move from a general
// register.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hymt {

constexpr size_t kQ4_0x16BlockBytes = 288;
constexpr size_t kPackedScaleBytes = 32;  // the 16 fp16 scales at the start of each block
constexpr size_t kQ8_0x16BlockBytes = 544;

constexpr size_t kQ4_Kx16BlockBytes = 2368;
constexpr size_t kQ4_Kx16Scales = 64, kQ4_Kx16Mins = 192, kQ4_Kx16Qs = 320;
constexpr size_t kQ6_Kx16BlockBytes = 3360;
constexpr size_t kQ6_Kx16Scales = 32, kQ6_Kx16Ql = 288, kQ6_Kx16Qh = 2336;
constexpr size_t kSTQ1_0x16BlockBytes = 672, kSTQ1_0x16QuadBytes = 40;
constexpr size_t kQ2_0Cx16BlockBytes = 2080;

// Q8_0 activation tiles (see above): record bytes per block, field offsets (times nt), and the
// re-laying of nt converted Q8_0 rows (a_stride bytes apart) with their block sums (row t's at
// sums + t * sums_stride) into ne0 / 32 records (packed_ref.cpp).
constexpr size_t act_tile_q8_0_record(int nt) { return 44 * static_cast<size_t>(nt); }
constexpr size_t kActTileOff8 = 4, kActTileOff128 = 8, kActTileQs = 12;
void act_tile_q8_0(int64_t ne0, const uint8_t* act, size_t a_stride, const int32_t* sums, int64_t sums_stride,
                   int nt, uint8_t* dst);
size_t act_tile_q8_0_bytes(int64_t ne0, int nt);
// Q8_K activation tiles: sub-tile size, record bytes, field offsets (times m), the re-laying of nt
// converted Q8_K rows (sums unused: the bsums are in the blocks).
constexpr int kActTileQ8KSub = 8;
constexpr size_t act_tile_q8_k_record(int m) { return 340 * static_cast<size_t>(m); }
constexpr size_t kActTileQ8KPairs = 4, kActTileQ8KBsums32 = 20, kActTileQ8KQs = 84;
void act_tile_q8_k(int64_t ne0, const uint8_t* act, size_t a_stride, const int32_t* sums, int64_t sums_stride,
                   int nt, uint8_t* dst);
size_t act_tile_q8_k_bytes(int64_t ne0, int nt);

namespace {  // included by translation units of different -m flags: see tile_dispatch.h
// Four activation bytes as one int32, for a broadcast against a packed chunk.
inline int32_t load_i32(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
}  // namespace

}  // namespace hymt
