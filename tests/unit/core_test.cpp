// core_test.cpp: half/bfloat16 conversions, the thread pool, status plumbing.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <utility>

#include "core/half.h"
#include "core/large_buffer.h"
#include "core/thread_pool.h"

namespace hymt {
namespace {

TEST(Half, KnownBitPatterns) {
  EXPECT_EQ(f32_to_fp16(1.0f), 0x3c00);
  EXPECT_EQ(f32_to_fp16(-2.0f), 0xc000);
  EXPECT_EQ(f32_to_fp16(65504.0f), 0x7bff);
  EXPECT_EQ(f32_to_fp16(65520.0f), 0x7c00);  // rounds to infinity
  EXPECT_EQ(f32_to_fp16(5.9604645e-08f), 0x0001);  // smallest subnormal
  EXPECT_EQ(f32_to_fp16(2.9802322e-08f), 0x0000);  // exactly half of it: ties to even (0)
  EXPECT_EQ(f32_to_fp16(1.0f + 1.0f / 2048), 0x3c00);  // tie between 1 and 1+2^-10: even
  EXPECT_EQ(f32_to_fp16(1.0f + 3.0f / 2048), 0x3c02);  // tie: rounds up to even
  EXPECT_FLOAT_EQ(fp16_to_f32(0x3555), 0.33325195f);
  EXPECT_TRUE(std::isnan(fp16_to_f32(f32_to_fp16(NAN))));
}

TEST(Half, RoundTripAllHalves) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = fp16_to_f32(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(f32_to_fp16(f), h) << h;
  }
}

TEST(BFloat16, RoundsToNearestEven) {
  EXPECT_EQ(f32_to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(f32_to_bf16(bits_f32(0x3f808000u)), 0x3f80);  // tie -> even
  EXPECT_EQ(f32_to_bf16(bits_f32(0x3f818000u)), 0x3f82);  // tie -> even (up)
  EXPECT_EQ(f32_to_bf16(bits_f32(0x3f808001u)), 0x3f81);
  EXPECT_FLOAT_EQ(bf16_to_f32(0xc040), -3.0f);
}

TEST(ThreadPool, CoversEveryIndexOnce) {
  for (int threads : {1, 2, 3, 7}) {
    ThreadPool pool(threads);
    for (int64_t n : {1, 2, 5, 100, 1001}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      pool.parallel_for(n, [&](int64_t b, int64_t e, int tid) {
        ASSERT_GE(tid, 0);
        ASSERT_LT(tid, threads);
        for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
      });
      for (auto& h : hits) ASSERT_EQ(h.load(), 1);
    }
  }
}

TEST(ThreadPool, ExplicitGrainChunksAndRepeatedJobs) {
  ThreadPool pool(3);
  for (int64_t grain : {1, 3, 64, 5000}) {
    for (int rep = 0; rep < 50; ++rep) {  // back-to-back jobs reuse the claim counter
      const int64_t n = 997;
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      std::atomic<int64_t> max_chunk{0};
      pool.parallel_for(
          n,
          [&](int64_t b, int64_t e, int) {
            int64_t m = max_chunk.load();
            while (e - b > m && !max_chunk.compare_exchange_weak(m, e - b)) {
            }
            for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
          },
          grain);
      for (auto& h : hits) ASSERT_EQ(h.load(), 1);
      ASSERT_EQ(max_chunk.load(), std::min(grain, n));
    }
  }
}

// Packed weights live in LargeBuffer: 2 MiB-aligned (so huge pages can back it), writable over its
// whole size, and owned by exactly one object through moves.
TEST(LargeBuffer, AlignedWritableAndMovable) {
  LargeBuffer empty;
  EXPECT_FALSE(empty);
  EXPECT_EQ(empty.data(), nullptr);
  EXPECT_FALSE(LargeBuffer(0));

  const size_t n = (size_t{3} << 20) + 5;
  LargeBuffer a(n);
  ASSERT_TRUE(a);
  EXPECT_EQ(a.size(), n);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % (size_t{2} << 20), 0u);
  for (size_t i = 0; i < n; i += 4093) a.data()[i] = static_cast<uint8_t>(i * 7);
  a.data()[n - 1] = 0x5A;

  LargeBuffer b(std::move(a));
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  ASSERT_EQ(b.size(), n);
  for (size_t i = 0; i < n; i += 4093) ASSERT_EQ(b.data()[i], static_cast<uint8_t>(i * 7)) << i;
  EXPECT_EQ(b.data()[n - 1], 0x5A);

  LargeBuffer c(4096);
  c = std::move(b);  // c's own mapping is released, b's is taken over
  EXPECT_FALSE(b);   // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.size(), n);
  EXPECT_EQ(c.data()[n - 1], 0x5A);
}

}  // namespace
}  // namespace hymt
