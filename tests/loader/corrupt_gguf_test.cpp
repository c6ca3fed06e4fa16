// corrupt_gguf_test.cpp: hostile GGUF files, each breaking exactly one rule of the container (spec §4),
// must be refused with the right StatusCode and a message naming that problem. The files are built
// byte by byte here (not with GgufWriter, which cannot write invalid files), from one valid layout
// that a sanity test opens first, so every failure below is caused by the one thing each case breaks.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "io/gguf.h"
#include "model/model.h"

namespace hymt {
namespace {

constexpr uint32_t kGgufMagic = 0x46554747;  // the bytes "GGUF"
constexpr uint32_t kF32 = 0, kF16 = 1, kQ8_0 = 8;

// Little-endian byte sink (the test host is little-endian, like every target of hymt).
struct Bytes {
  std::vector<uint8_t> b;
  template <class T>
  Bytes& put(T v) {
    uint8_t t[sizeof v];
    std::memcpy(t, &v, sizeof v);
    b.insert(b.end(), t, t + sizeof v);
    return *this;
  }
  Bytes& u8(uint8_t v) { return put(v); }
  Bytes& u32(uint32_t v) { return put(v); }
  Bytes& u64(uint64_t v) { return put(v); }
  Bytes& f32(float v) { return put(v); }
  Bytes& raw(const std::string& s) {
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& raw(const std::vector<uint8_t>& v) {
    b.insert(b.end(), v.begin(), v.end());
    return *this;
  }
  Bytes& str(const std::string& s) { return u64(s.size()).raw(s); }
};

// An encoded metadata value: GGUF value type + payload bytes.
struct Val {
  uint32_t type;
  std::vector<uint8_t> payload;
};
Val v_u32(uint32_t x) { return {4, Bytes().u32(x).b}; }
Val v_bool(uint8_t raw) { return {7, {raw}}; }
Val v_str(const std::string& s) { return {8, Bytes().str(s).b}; }
Val v_u32_array(const std::vector<uint32_t>& xs, uint64_t count) {
  Bytes p;
  p.u32(4).u64(count);
  for (uint32_t x : xs) p.u32(x);
  return {9, p.b};
}
Val v_u32_array(const std::vector<uint32_t>& xs) { return v_u32_array(xs, xs.size()); }
Val v_str_array(const std::vector<std::string>& xs) {
  Bytes p;
  p.u32(8).u64(xs.size());
  for (const std::string& x : xs) p.str(x);
  return {9, p.b};
}
// `levels` arrays nested in each other, the innermost holding one u32.
Val v_nested(int levels) {
  Bytes p;
  for (int k = 1; k < levels; ++k) p.u32(9).u64(1);
  p.u32(4).u64(1).u32(7);
  return {9, p.b};
}

struct Kv {
  std::string key;
  Val v;
};
struct Ti {
  std::string name;
  std::vector<uint64_t> ne;
  uint32_t type;
  int64_t offset = -1;   // -1: packed after the previous tensor, aligned
  int64_t n_bytes = -1;  // -1: what the shape needs (own table below, independent of the reader's)
};

uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

uint64_t shape_bytes(uint32_t type, const std::vector<uint64_t>& ne) {
  uint64_t n = 1;
  for (uint64_t d : ne) n *= d;
  switch (type) {
    case kF32: return n * 4;
    case kF16: return n * 2;
    case kQ8_0: return n / 32 * 34;
    default: return 64;
  }
}

// A GGUF file described field by field; build() renders it and records where each part starts.
struct GgufSpec {
  uint32_t magic = kGgufMagic;
  uint32_t version = 3;
  int64_t n_tensors = -1, n_kv = -1;  // -1: the real counts
  std::vector<Kv> kv;
  std::vector<Ti> ti;
  uint64_t alignment = 32;  // for padding and packed offsets; the key is written only if listed in kv
  bool pad_end = true;      // pad the last tensor to the alignment, as real writers do

  std::vector<size_t> kv_at, ti_at;  // offsets of each key/value pair and tensor record
  size_t info_end = 0, data_start = 0;

  std::vector<uint8_t> build() {
    Bytes o;
    o.u32(magic).u32(version);
    o.u64(n_tensors >= 0 ? static_cast<uint64_t>(n_tensors) : ti.size());
    o.u64(n_kv >= 0 ? static_cast<uint64_t>(n_kv) : kv.size());
    kv_at.clear();
    ti_at.clear();
    for (const Kv& k : kv) {
      kv_at.push_back(o.b.size());
      o.str(k.key).u32(k.v.type).raw(k.v.payload);
    }
    std::vector<std::pair<uint64_t, uint64_t>> extents;  // offset, bytes
    uint64_t next = 0;
    for (const Ti& t : ti) {
      const uint64_t n = t.n_bytes >= 0 ? static_cast<uint64_t>(t.n_bytes) : shape_bytes(t.type, t.ne);
      const uint64_t off = t.offset >= 0 ? static_cast<uint64_t>(t.offset) : next;
      next = align_up(off + n, alignment);
      extents.emplace_back(off, n);
      ti_at.push_back(o.b.size());
      o.str(t.name).u32(static_cast<uint32_t>(t.ne.size()));
      for (uint64_t d : t.ne) o.u64(d);
      o.u32(t.type).u64(off);
    }
    info_end = o.b.size();
    data_start = align_up(info_end, alignment);
    o.b.resize(data_start, 0);
    uint64_t end = 0;
    for (auto [off, n] : extents)
      if (off < (1u << 20)) end = std::max(end, off + n);  // absurd offsets get no data
    std::vector<uint8_t> data(pad_end ? align_up(end, alignment) : end, 0);
    for (size_t k = 0; k < data.size(); ++k) data[k] = static_cast<uint8_t>(k * 7 + 1);
    o.raw(data);
    return o.b;
  }
};

// The valid file every case starts from: five kinds of metadata, an F32 and a Q8_0 tensor.
GgufSpec base_spec() {
  GgufSpec g;
  g.kv = {{"general.architecture", v_str("hunyuan-dense")},
          {"general.name", v_str("corrupt-test")},
          {"test.count", v_u32(7)},
          {"test.flag", v_bool(1)},
          {"test.list", v_u32_array({1, 2, 3})},
          {"test.words", v_str_array({"alpha", "beta", "gamma"})}};
  g.ti = {{"a", {8, 2}, kF32}, {"b", {32, 2}, kQ8_0}};
  return g;
}

std::string tmp_path(const std::string& name) { return std::string(HYMT_TEST_TMP) + "/loader_" + name; }

void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::remove(path.c_str());  // a fresh file: truncating one makes ext4 flush it first (slow)
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  ASSERT_TRUE(f.good()) << path;
}

std::vector<uint8_t> cut(std::vector<uint8_t> b, size_t n) {
  b.resize(n);
  return b;
}

// ---------------------------------------------------------------------------------------------
// Valid files: the builder's base and the edges just inside each limit.

TEST(GgufValid, BaseSpecOpens) {
  GgufSpec g = base_spec();
  const std::string path = tmp_path("valid_base.gguf");
  write_bytes(path, g.build());
  auto f = GgufFile::open(path);
  ASSERT_TRUE(f.ok()) << f.status().message();
  const GgufFile& gf = *f.value();
  EXPECT_EQ(gf.version(), 3u);
  EXPECT_EQ(gf.data_offset(), g.data_start);
  ASSERT_NE(gf.find("test.count"), nullptr);
  EXPECT_EQ(gf.find("test.count")->u, 7u);
  EXPECT_EQ(gf.find("test.flag")->u, 1u);
  ASSERT_EQ(gf.find("test.list")->arr.size(), 3u);
  EXPECT_EQ(gf.find("test.list")->arr[2].u, 3u);
  ASSERT_EQ(gf.tensors().size(), 2u);
  const GgufTensor* a = gf.find_tensor("a");
  const GgufTensor* b = gf.find_tensor("b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->type, WeightType::kF32);
  EXPECT_EQ(a->n_bytes, 64u);
  EXPECT_EQ(b->type, WeightType::kQ8_0);
  EXPECT_EQ(b->n_bytes, 68u);
  EXPECT_EQ(b->offset, 64u);
  EXPECT_NE(g.info_end, g.data_start) << "the truncation cases below need padding before the data";
}

TEST(GgufValid, Version2Accepted) {
  GgufSpec g = base_spec();
  g.version = 2;
  const std::string path = tmp_path("valid_v2.gguf");
  write_bytes(path, g.build());
  auto f = GgufFile::open(path);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f.value()->version(), 2u);
  EXPECT_EQ(f.value()->tensors().size(), 2u);
}

TEST(GgufValid, EdgesJustInsideTheLimits) {
  GgufSpec g = base_spec();
  g.kv.push_back({"test.nested4", v_nested(4)});                // deepest nesting allowed
  g.kv.push_back({std::string(65535, 'k'), v_u32(1)});          // longest key allowed
  g.kv.push_back({"general.alignment", v_u32(64)});
  g.alignment = 64;
  g.ti.push_back({std::string(64, 'n'), {4, 1, 1, 2}, kF32});   // longest name, four dimensions
  const std::string path = tmp_path("valid_edges.gguf");
  write_bytes(path, g.build());
  auto f = GgufFile::open(path);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f.value()->alignment(), 64u);
  EXPECT_EQ(f.value()->data_offset() % 64, 0u);
  const GgufTensor* t = f.value()->find_tensor(std::string(64, 'n'));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->n_bytes, 32u);
}

// Type id 42 is STQ1_0 in Tencent's files and Q2_0 upstream: the byte extent decides (spec §4.3).
TEST(GgufValid, TypeId42ResolvedByExtent) {
  for (auto [bytes, want] : {std::pair<int64_t, WeightType>{84, WeightType::kSTQ1_0}, {144, WeightType::kQ2_0}}) {
    GgufSpec g = base_spec();
    g.ti.push_back({"s", {256, 2}, 42, -1, bytes});
    const std::string path = tmp_path("valid_id42_" + std::to_string(bytes) + ".gguf");
    write_bytes(path, g.build());
    auto f = GgufFile::open(path);
    ASSERT_TRUE(f.ok()) << f.status().message();
    EXPECT_EQ(f.value()->find_tensor("s")->type, want) << bytes;
  }
  // An extent both formats fit is settled by general.file_type 41 (the legacy STQ1_0 files).
  GgufSpec g = base_spec();
  g.kv.push_back({"general.file_type", v_u32(41)});
  g.ti.push_back({"s", {256, 1}, 42, -1, 72});
  g.pad_end = false;
  const std::string path = tmp_path("valid_id42_hint.gguf");
  write_bytes(path, g.build());
  auto f = GgufFile::open(path);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f.value()->find_tensor("s")->type, WeightType::kSTQ1_0);
}

// ---------------------------------------------------------------------------------------------
// Corrupt files: one broken thing each.

struct CorruptCase {
  std::string name;
  std::function<std::vector<uint8_t>()> make;
  StatusCode code;
  std::string message;           // must appear in the error message
  uint64_t max_array_elements = 0;  // 0: the reader's default
};

void PrintTo(const CorruptCase& c, std::ostream* os) { *os << c.name; }

GgufSpec with(const std::function<void(GgufSpec&)>& edit) {
  GgufSpec g = base_spec();
  edit(g);
  return g;
}
std::function<std::vector<uint8_t>()> spec(const std::function<void(GgufSpec&)>& edit) {
  return [edit] { return with(edit).build(); };
}
// The base file cut to the length `at(g)` computes from its layout.
std::function<std::vector<uint8_t>()> truncated(const std::function<size_t(const GgufSpec&)>& at) {
  return [at] {
    GgufSpec g = base_spec();
    std::vector<uint8_t> b = g.build();
    return cut(b, at(g));
  };
}

std::vector<CorruptCase> corrupt_cases() {
  const auto C = StatusCode::kCorruptFile;
  const auto U = StatusCode::kUnsupported;
  const size_t kKey0 = 24;  // first key/value pair, right after the 24-byte header
  GgufSpec L = base_spec();  // the base layout, for offsets that messages quote
  L.build();
  const std::string name_value_at = std::to_string(L.kv_at[1] + 8 + 12 + 4);
  const std::string rec0 = "tensor record 0 at offset " + std::to_string(L.ti_at[0]);
  const std::string rec0a = "tensor record 0 'a' at offset " + std::to_string(L.ti_at[0]);
  std::vector<CorruptCase> v = {
      {"EmptyFile", [] { return std::vector<uint8_t>(); }, C, "empty file (0 bytes)"},
      {"ShortFile", [] { return std::vector<uint8_t>{'G', 'G', 'U'}; }, C, "3 bytes, too short for a header"},
      {"BadMagic", spec([](GgufSpec& g) { g.magic = 0x4c4d4747; }), C, "bad magic 0x4c4d4747"},
      {"Version0", spec([](GgufSpec& g) { g.version = 0; }), C, "invalid GGUF version 0"},
      {"Version1", spec([](GgufSpec& g) { g.version = 1; }), U, "GGUF version 1 is not supported"},
      {"Version4", spec([](GgufSpec& g) { g.version = 4; }), U, "GGUF version 4 is newer than this reader"},
      {"BigEndian", spec([](GgufSpec& g) { g.version = 0x03000000; }), U, "big-endian GGUF file"},
      {"TruncatedInHeader", truncated([](const GgufSpec&) { return size_t{20}; }), C,
       "truncated file: metadata count at offset 16 needs 8 bytes, only 4 left"},
      // A cut in the first entries is caught by the count check (5 entries cannot fit in 30
      // bytes); cuts in the last entries get past it and hit the entry itself.
      {"TruncatedEarly", truncated([=](const GgufSpec&) { return kKey0 + 4; }), C,
       "absurd metadata count 6 for a file of 28 bytes"},
      {"TruncatedInKeyLength", truncated([](const GgufSpec& g) { return g.kv_at[4] + 4; }), C,
       "metadata entry 4: truncated file: metadata key at offset " + std::to_string(L.kv_at[4]) + " needs 8 bytes"},
      {"TruncatedInKey", truncated([](const GgufSpec& g) { return g.kv_at[4] + 8 + 5; }), C,
       "metadata key at offset " + std::to_string(L.kv_at[4]) + " claims 9 bytes, past the end of the file (5 left)"},
      {"TruncatedInValueType", truncated([](const GgufSpec& g) { return g.kv_at[5] + 8 + 10 + 2; }), C,
       "key 'test.words': truncated file: value type"},
      {"TruncatedInValue", truncated([](const GgufSpec& g) { return g.kv_at[2] + 8 + 10 + 4 + 2; }), C,
       "key 'test.count': truncated file: u32 value at offset"},
      {"TruncatedInFixedArray", truncated([](const GgufSpec& g) { return g.kv_at[4] + 8 + 9 + 4 + 12 + 4 + 1; }), C,
       "key 'test.list': array at offset " + std::to_string(L.kv_at[4] + 21) +
           " claims 3 u32 elements, which cannot fit in the 5 bytes left"},
      {"TruncatedInStringArray",
       truncated([](const GgufSpec& g) { return g.kv_at[5] + 8 + 10 + 4 + 12 + 13 + 12 + 8 + 2; }), C,
       "key 'test.words': element 2: string value at offset " + std::to_string(L.kv_at[5] + 8 + 10 + 4 + 12 + 25) +
           " claims 5 bytes, past the end of the file (2 left)"},
      {"TruncatedInTensorInfo", truncated([](const GgufSpec& g) { return g.ti_at[1] + 8 + 1 + 4 + 8 + 3; }), C,
       "tensor record 1 'b' at offset " + std::to_string(L.ti_at[1]) + ": truncated file: tensor dimension"},
      {"TruncatedBeforeData", truncated([](const GgufSpec& g) { return g.data_start - 1; }), C,
       "truncated file: tensor data would start at offset"},
      {"TruncatedInData", truncated([](const GgufSpec& g) { return g.data_start + 64 + 40; }), C,
       "truncated file: tensor 'b' (Q8_0 32x2) needs 68 bytes at data offset 64 but only 40 remain"},
      {"StringLengthPastEnd",
       spec([](GgufSpec& g) { g.kv[1].v = {8, Bytes().u64(1ull << 40).raw("x").b}; }), C,
       "key 'general.name': string value at offset " + name_value_at +
           " claims 1099511627776 bytes, past the end of the file"},
      {"KeyTooLong", spec([](GgufSpec& g) { g.kv.push_back({std::string(65536, 'k'), v_u32(1)}); }), C,
       "is 65536 bytes long, more than the limit of 65535"},
      {"AbsurdKvCount", spec([](GgufSpec& g) { g.n_kv = 1ll << 60; }), C,
       "absurd metadata count 1152921504606846976"},
      {"AbsurdTensorCount", spec([](GgufSpec& g) { g.n_tensors = 1ll << 60; }), C,
       "absurd tensor count 1152921504606846976"},
      {"AbsurdArrayCount", spec([](GgufSpec& g) { g.kv[4].v = v_u32_array({1, 2, 3}, 1ull << 60); }), C,
       "claims 1152921504606846976 u32 elements, which cannot fit"},
      {"ArrayOverElementBudget", spec([](GgufSpec&) {}), C, "more than the 2 array elements", 2},
      {"UnknownValueType", spec([](GgufSpec& g) { g.kv[2].v.type = 13; }), C,
       "key 'test.count': unknown value type 13"},
      {"UnknownArrayElementType", spec([](GgufSpec& g) { g.kv[4].v.payload[0] = 99; }), C,
       "key 'test.list': unknown array element type 99"},
      {"ArraysNestedTooDeep", spec([](GgufSpec& g) { g.kv.push_back({"test.deep", v_nested(5)}); }), C,
       "is nested deeper than 4 levels"},
      {"BoolValue2", spec([](GgufSpec& g) { g.kv[3].v = v_bool(2); }), C,
       "key 'test.flag': bool value 2 at offset"},
      {"EmptyKey", spec([](GgufSpec& g) { g.kv[2].key = ""; }), C, "metadata key 2 at offset"},
      {"DuplicateKey", spec([](GgufSpec& g) { g.kv.push_back({"general.name", v_str("again")}); }), C,
       "duplicate metadata key 'general.name' (entry 6"},
      {"AlignmentNotPowerOfTwo", spec([](GgufSpec& g) { g.kv.push_back({"general.alignment", v_u32(48)}); }), C,
       "general.alignment 48 is not a power of two"},
      {"AlignmentZero", spec([](GgufSpec& g) { g.kv.push_back({"general.alignment", v_u32(0)}); }), C,
       "general.alignment 0 is not"},
      {"AlignmentWrongType", spec([](GgufSpec& g) { g.kv.push_back({"general.alignment", v_str("32")}); }), C,
       "general.alignment has type string, expected an unsigned integer"},
      {"EmptyTensorName", spec([](GgufSpec& g) { g.ti[0].name = ""; }), C,
       rec0 + ": empty tensor name"},
      {"DuplicateTensorName", spec([](GgufSpec& g) { g.ti[1].name = "a"; }), C,
       "duplicate tensor name 'a' (record 1 at offset " + std::to_string(L.ti_at[1]) + ")"},
      {"TensorNameTooLong", spec([](GgufSpec& g) { g.ti[1].name = std::string(65, 'x'); }), C,
       "is 65 bytes, longer than the GGUF limit of 64"},
      {"ZeroDims", spec([](GgufSpec& g) { g.ti[0].ne = {}; }), C, rec0a + ": 0 dimensions (must be 1 to 4)"},
      {"FiveDims", spec([](GgufSpec& g) { g.ti[0].ne = {8, 1, 1, 1, 2}; }), C, rec0a + ": 5 dimensions"},
      {"ZeroLengthDim", spec([](GgufSpec& g) { g.ti[0].ne = {8, 0}; }), C, "dimension 1 is 0 (must be between 1"},
      {"HugeDim", spec([](GgufSpec& g) { g.ti[0].ne = {1ull << 41}; g.ti[0].n_bytes = 64; }), C,
       "dimension 0 is 2199023255552"},
      {"ElementCountOverflow",
       spec([](GgufSpec& g) { g.ti[0].ne = {1ull << 40, 1ull << 30}; g.ti[0].n_bytes = 64; }), C,
       "element count overflows"},
      {"UnknownTypeId", spec([](GgufSpec& g) { g.ti[0].type = 99; }), C, rec0a + ": unknown ggml type id 99"},
      {"UnsupportedIqType", spec([](GgufSpec& g) { g.ti[0].type = 16; }), U, "ggml type IQ2_XXS (id 16)"},
      {"OffsetMisaligned", spec([](GgufSpec& g) { g.ti[1].offset = 80; }), C,
       "data offset 80 is not a multiple of the alignment 32"},
      {"OffsetMisalignedForFileAlignment",
       spec([](GgufSpec& g) {
         g.kv.push_back({"general.alignment", v_u32(64)});
         g.alignment = 64;
         g.ti[1].offset = 96;
       }),
       C, "data offset 96 is not a multiple of the alignment 64"},
      {"OffsetPastEnd", spec([](GgufSpec& g) { g.ti[1].offset = 1 << 20; }), C,
       "tensor 'b': data offset 1048576 is past the end of the data section"},
      {"OverlappingTensors", spec([](GgufSpec& g) { g.ti[1].offset = 32; }), C,
       "tensor 'a' (F32 8x2, 64 bytes at data offset 0) overlaps tensor 'b' at data offset 32"},
      {"ExtentLargerThanShape", spec([](GgufSpec& g) { g.ti[0].ne = {8, 1}; g.ti[0].n_bytes = 64; }), C,
       "tensor 'a': 64 bytes of data, but shape 8x1 of F32 is 32 bytes"},
      {"RowNotMultipleOfBlock", spec([](GgufSpec& g) { g.ti[1].ne = {33, 2}; g.ti[1].n_bytes = 68; }), C,
       "tensor 'b': row length 33 is not a multiple of the Q8_0 block size 32"},
      {"TypeId42FitsNothing", spec([](GgufSpec& g) { g.ti.push_back({"s", {256, 2}, 42, -1, 100}); }), C,
       "tensor 's': type id 42 with shape 256x2 and a data extent of 128 bytes matches none of the formats"},
      {"TypeId42Ambiguous",
       spec([](GgufSpec& g) {
         g.ti.push_back({"s", {256, 1}, 42, -1, 72});
         g.pad_end = false;
       }),
       U, "tensor 's': type id 42 is ambiguous (STQ1_0 or Q2_0 both fit)"},
  };
  return v;
}

class CorruptGguf : public ::testing::TestWithParam<CorruptCase> {};

TEST_P(CorruptGguf, RefusedWithItsOwnMessage) {
  const CorruptCase& c = GetParam();
  const std::string path = tmp_path("corrupt_" + c.name + ".gguf");
  write_bytes(path, c.make());
  GgufReadOptions opt;
  if (c.max_array_elements) opt.max_array_elements = c.max_array_elements;
  auto f = GgufFile::open(path, opt);
  ASSERT_FALSE(f.ok()) << c.name << " was accepted";
  EXPECT_EQ(f.status().code(), c.code) << status_code_name(f.status().code()) << ": " << f.status().message();
  EXPECT_NE(f.status().message().find(c.message), std::string::npos)
      << "expected '" << c.message << "' in: " << f.status().message();
  // Every message names the file, so a user loading several knows which one is bad.
  EXPECT_EQ(f.status().message().rfind(path, 0), 0u) << f.status().message();
  // The model loader (default options) reports the same refusal.
  if (c.max_array_elements) return;
  auto m = Model::load(path);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), c.code);
}

INSTANTIATE_TEST_SUITE_P(Loader, CorruptGguf, ::testing::ValuesIn(corrupt_cases()),
                         [](const ::testing::TestParamInfo<CorruptCase>& i) { return i.param.name; });

// Each case must be told apart by its message: no expected substring may be shared, and none may
// match another case's actual message (which would mean two problems read the same to a user).
TEST(CorruptGgufTable, MessagesIdentifyTheirCase) {
  const std::vector<CorruptCase> cases = corrupt_cases();
  ASSERT_GE(cases.size(), 30u);
  std::vector<std::string> got;
  for (const CorruptCase& c : cases) {
    const std::string path = tmp_path("table_" + c.name + ".gguf");
    write_bytes(path, c.make());
    GgufReadOptions opt;
    if (c.max_array_elements) opt.max_array_elements = c.max_array_elements;
    auto f = GgufFile::open(path, opt);
    got.push_back(f.ok() ? std::string() : f.status().message().substr(path.size()));
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    for (size_t j = 0; j < cases.size(); ++j) {
      if (i == j) continue;
      EXPECT_EQ(got[j].find(cases[i].message), std::string::npos)
          << cases[i].name << "'s message also matches case " << cases[j].name << ": " << got[j];
    }
  }
}

TEST(GgufOpen, MissingFileIsNotFound) {
  auto f = GgufFile::open(tmp_path("no_such_file.gguf"));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  EXPECT_NE(f.status().message().find("No such file"), std::string::npos) << f.status().message();
}

TEST(GgufOpen, DirectoryIsNotAModel) {
  auto f = GgufFile::open(HYMT_TEST_TMP);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  EXPECT_NE(f.status().message().find("not a regular file"), std::string::npos) << f.status().message();
}

}  // namespace
}  // namespace hymt
