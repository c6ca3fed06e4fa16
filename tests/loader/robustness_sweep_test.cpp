// robustness_sweep_test.cpp: a valid random model, truncated at ~200 lengths and with bytes of its
// header region overwritten at ~500 seeded positions. Every open must succeed or fail with a
// Status (no crash; the ASan build proves no out-of-bounds read). Beyond "no crash", each test
// checks what must hold: truncation before the last tensor's data is always refused, and any
// file that opens has every tensor's bytes inside the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "convert/random_model.h"
#include "io/gguf.h"
#include "model/model.h"

namespace hymt {
namespace {

std::string tmp_path(const std::string& name) { return std::string(HYMT_TEST_TMP) + "/loader_sweep_" + name; }

void write_bytes(const std::string& path, const uint8_t* p, size_t n) {
  // Removed first: truncating a just-written file makes ext4 flush it (auto_da_alloc), ~5 ms a time.
  std::remove(path.c_str());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n));
  ASSERT_TRUE(f.good()) << path;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// A small model (about 70 KB, Q8_0 matrices, F32 norms) with a full 1074-token vocabulary, so the
// header holds long string arrays as real files do.
std::vector<uint8_t> small_model(const std::string& path) {
  RandomModelConfig c;
  c.n_vocab = 1074;
  c.n_embd = 32;
  c.n_layer = 1;
  c.n_head = 2;
  c.n_head_kv = 1;
  c.head_dim = 16;
  c.n_ff = 32;
  c.type = WeightType::kQ8_0;
  c.n_threads = 1;
  Status st = write_random_model(c, path);
  EXPECT_TRUE(st.ok()) << st.message();
  return read_bytes(path);
}

// Opens `path`; if it opens, checks every tensor lies inside the file and tries the model loader.
// Returns whether the container opened.
bool open_and_check(const std::string& path, size_t file_size) {
  auto f = GgufFile::open(path);
  if (!f.ok()) {
    EXPECT_FALSE(f.status().message().empty());
    return false;
  }
  const GgufFile& g = *f.value();
  for (const GgufTensor& t : g.tensors()) {
    EXPECT_LE(g.data_offset() + t.offset + t.n_bytes, file_size) << t.name;
    EXPECT_NE(t.data, nullptr) << t.name;
  }
  auto m = Model::load(path);
  if (!m.ok()) {
    EXPECT_FALSE(m.status().message().empty());
  }
  return true;
}

TEST(LoaderSweep, Truncation) {
  const std::string src = tmp_path("model.gguf");
  const std::vector<uint8_t> full = small_model(src);
  ASSERT_GT(full.size(), 10000u);
  auto f = GgufFile::open(src);
  ASSERT_TRUE(f.ok()) << f.status().message();
  size_t data_end = 0;  // end of the last tensor's bytes (its padding may go)
  for (const GgufTensor& t : f.value()->tensors())
    data_end = std::max(data_end, f.value()->data_offset() + static_cast<size_t>(t.offset) + t.n_bytes);
  const size_t header_end = f.value()->data_offset();
  f.value().reset();  // unmap before the file is rewritten

  // 200 evenly spread lengths, plus the boundaries where off-by-one errors live.
  std::vector<size_t> lengths;
  for (size_t k = 0; k < 200; ++k) lengths.push_back(k * full.size() / 200);
  for (size_t d : {size_t{1}, size_t{4}, size_t{8}, size_t{23}, size_t{24}, size_t{25}, header_end - 1, header_end,
                   header_end + 1, data_end - 1, data_end, full.size() - 1})
    lengths.push_back(d);

  const std::string path = tmp_path("truncated.gguf");
  int refused = 0;
  for (size_t n : lengths) {
    SCOPED_TRACE("length " + std::to_string(n));
    write_bytes(path, full.data(), n);
    const bool opened = open_and_check(path, n);
    if (n < data_end) {
      EXPECT_FALSE(opened) << "a file cut before its last tensor's data was accepted";
    }
    refused += !opened;
  }
  EXPECT_GE(refused, 200);
}

// xorshift64*: deterministic positions and values, independent of the library's own generators.
struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545f4914f6cdd1dull;
  }
};

TEST(LoaderSweep, HeaderByteCorruption) {
  const std::string src = tmp_path("model2.gguf");
  const std::vector<uint8_t> full = small_model(src);
  auto f = GgufFile::open(src);
  ASSERT_TRUE(f.ok()) << f.status().message();
  const size_t header_end = f.value()->data_offset();
  f.value().reset();  // unmap before the file is rewritten

  const std::string path = tmp_path("flipped.gguf");
  std::vector<uint8_t> b;
  // HYMT_LOADER_SWEEP_SEEDS raises the count for a longer run (e.g. under ASan); CI uses 500.
  uint64_t n_seeds = 500;
  if (const char* e = std::getenv("HYMT_LOADER_SWEEP_SEEDS"))
    n_seeds = std::max<uint64_t>(500, std::strtoull(e, nullptr, 10));
  int refused = 0;
  for (uint64_t seed = 1; seed <= n_seeds; ++seed) {
    Rng rng{seed * 0x9e3779b97f4a7c15ull};
    b = full;
    // Most damage in the first 512 bytes (header, counts, hyperparameter keys), the rest anywhere
    // in the header region (token strings, tensor records).
    const size_t span = seed % 4 == 0 ? header_end : std::min<size_t>(512, header_end);
    const size_t pos = static_cast<size_t>(rng.next() % span);
    const uint64_t r = rng.next();
    switch (seed % 5) {
      case 0: b[pos] ^= static_cast<uint8_t>(1u << (r % 8)); break;  // one bit
      case 1: b[pos] = static_cast<uint8_t>(r); break;                // one byte
      case 2: b[pos] = 0xff; break;
      case 3: b[pos] = 0x00; break;
      case 4:  // eight bytes: a whole count, length or offset replaced
        for (size_t k = 0; k < 8 && pos + k < header_end; ++k) b[pos + k] = static_cast<uint8_t>(r >> (8 * k));
        break;
    }
    SCOPED_TRACE("seed " + std::to_string(seed) + " position " + std::to_string(pos));
    write_bytes(path, b.data(), b.size());
    refused += !open_and_check(path, b.size());
  }
  // Damage inside token strings is harmless to the container, but most positions are structural.
  std::printf("[   INFO   ] %d of %llu damaged headers refused\n", refused, static_cast<unsigned long long>(n_seeds));
  EXPECT_GT(refused, static_cast<int>(n_seeds / 5));
}

}  // namespace
}  // namespace hymt
