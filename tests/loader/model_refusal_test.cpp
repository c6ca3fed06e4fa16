// model_refusal_test.cpp: well-formed GGUF containers that are not a runnable HunYuan-dense model
// (wrong architecture, contradictory hyperparameters, missing/misshapen/extra tensors, weights the
// kernels cannot compute, non-finite norms) must be refused by Model::load with the right code and a
// message naming the key or tensor. Files are written with GgufWriter from a tiny valid model that a
// sanity test loads first, so each refusal comes from the one edit its case makes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/half.h"
#include "io/gguf.h"
#include "model/model.h"

namespace hymt {
namespace {

// n_vocab 8, n_embd 64, 1 layer, 2 query heads, 1 KV head, head_dim 32, n_ff 64; all F32.
struct TinyModel {
  struct Tensor {
    std::string name;
    std::vector<int64_t> ne;
    WeightType type;
    std::vector<uint8_t> bytes;
  };
  std::vector<std::pair<std::string, GgufValue>> kv;
  std::vector<Tensor> tensors;

  void set(const std::string& key, GgufValue v) {
    for (auto& p : kv)
      if (p.first == key) {
        p.second = std::move(v);
        return;
      }
    kv.emplace_back(key, std::move(v));
  }
  void erase(const std::string& key) {
    std::erase_if(kv, [&](const auto& p) { return p.first == key; });
  }
  Tensor& tensor(const std::string& name) {
    for (auto& t : tensors)
      if (t.name == name) return t;
    ADD_FAILURE() << "no tensor " << name;
    return tensors[0];
  }
  void drop(const std::string& name) {
    std::erase_if(tensors, [&](const Tensor& t) { return t.name == name; });
  }
  Status write(const std::string& path) const {
    GgufWriter w;
    for (const auto& [k, v] : kv) w.set(k, v);
    for (const Tensor& t : tensors) HYMT_RETURN_IF_ERROR(w.add_tensor_bytes(t.name, t.ne, t.type, t.bytes));
    return w.write(path);
  }
};

std::vector<uint8_t> f32_bytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Small deterministic weights for a matrix, 1 +- 0.25 for norms.
TinyModel::Tensor f32_tensor(const std::string& name, std::vector<int64_t> ne, bool norm) {
  int64_t n = 1;
  for (int64_t d : ne) n *= d;
  std::vector<float> v(static_cast<size_t>(n));
  for (size_t k = 0; k < v.size(); ++k) {
    const float u = static_cast<float>(static_cast<int>((k * 37) % 17) - 8) / 8.0f;
    v[k] = norm ? 1.0f + 0.25f * u : 0.05f * u;
  }
  return {name, std::move(ne), WeightType::kF32, f32_bytes(v)};
}

TinyModel tiny_model() {
  TinyModel m;
  const std::string a = "hunyuan-dense.";
  m.set("general.architecture", GgufValue::make_string("hunyuan-dense"));
  m.set(a + "block_count", GgufValue::make_u32(1));
  m.set(a + "context_length", GgufValue::make_u32(256));
  m.set(a + "embedding_length", GgufValue::make_u32(64));
  m.set(a + "feed_forward_length", GgufValue::make_u32(64));
  m.set(a + "attention.head_count", GgufValue::make_u32(2));
  m.set(a + "attention.head_count_kv", GgufValue::make_u32(1));
  m.set(a + "attention.key_length", GgufValue::make_u32(32));
  m.set(a + "attention.value_length", GgufValue::make_u32(32));
  m.set(a + "attention.layer_norm_rms_epsilon", GgufValue::make_f32(1e-5f));
  m.set(a + "rope.freq_base", GgufValue::make_f32(11158840.0f));
  m.set(a + "rope.scaling.type", GgufValue::make_string("none"));
  m.set(a + "rope.dimension_count", GgufValue::make_u32(32));
  m.set(a + "vocab_size", GgufValue::make_u32(8));
  m.set("tokenizer.ggml.model", GgufValue::make_string("gpt2"));
  std::vector<GgufValue> toks;
  for (int k = 0; k < 8; ++k) toks.push_back(GgufValue::make_string("t" + std::to_string(k)));
  m.set("tokenizer.ggml.tokens", GgufValue::make_array(GgufType::kString, std::move(toks)));

  m.tensors.push_back(f32_tensor("token_embd.weight", {64, 8}, false));
  m.tensors.push_back(f32_tensor("output_norm.weight", {64}, true));
  const std::string b = "blk.0.";
  m.tensors.push_back(f32_tensor(b + "attn_norm.weight", {64}, true));
  m.tensors.push_back(f32_tensor(b + "attn_q.weight", {64, 64}, false));
  m.tensors.push_back(f32_tensor(b + "attn_k.weight", {64, 32}, false));
  m.tensors.push_back(f32_tensor(b + "attn_v.weight", {64, 32}, false));
  m.tensors.push_back(f32_tensor(b + "attn_output.weight", {64, 64}, false));
  m.tensors.push_back(f32_tensor(b + "attn_q_norm.weight", {32}, true));
  m.tensors.push_back(f32_tensor(b + "attn_k_norm.weight", {32}, true));
  m.tensors.push_back(f32_tensor(b + "ffn_norm.weight", {64}, true));
  m.tensors.push_back(f32_tensor(b + "ffn_gate.weight", {64, 64}, false));
  m.tensors.push_back(f32_tensor(b + "ffn_up.weight", {64, 64}, false));
  m.tensors.push_back(f32_tensor(b + "ffn_down.weight", {64, 64}, false));
  return m;
}

std::string tmp_path(const std::string& name) { return std::string(HYMT_TEST_TMP) + "/loader_model_" + name; }

TEST(ModelLoad, TinyModelLoads) {
  const std::string path = tmp_path("valid.gguf");
  ASSERT_TRUE(tiny_model().write(path).ok());
  auto m = Model::load(path);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const HParams& hp = m.value()->hparams();
  EXPECT_EQ(hp.n_vocab, 8);
  EXPECT_EQ(hp.n_embd, 64);
  EXPECT_EQ(hp.n_layer, 1);
  EXPECT_EQ(hp.n_head, 2);
  EXPECT_EQ(hp.n_head_kv, 1);
  EXPECT_EQ(hp.head_dim, 32);
  EXPECT_EQ(hp.n_ff, 64);
  EXPECT_TRUE(m.value()->tied_output());
}

TEST(ModelLoad, UntiedOutputLoads) {
  TinyModel t = tiny_model();
  t.tensors.push_back(f32_tensor("output.weight", {64, 8}, false));
  const std::string path = tmp_path("valid_untied.gguf");
  ASSERT_TRUE(t.write(path).ok());
  auto m = Model::load(path);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_FALSE(m.value()->tied_output());
}

struct RefusalCase {
  std::string name;
  std::function<void(TinyModel&)> edit;
  StatusCode code;
  std::string message;
};
void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

std::vector<RefusalCase> refusal_cases() {
  const auto C = StatusCode::kCorruptFile;
  const auto U = StatusCode::kUnsupported;
  const auto N = StatusCode::kNotFound;
  const std::string a = "hunyuan-dense.";
  return {
      {"WrongArchitecture", [](TinyModel& m) { m.set("general.architecture", GgufValue::make_string("llama")); }, U,
       "architecture 'llama' is not supported"},
      {"ArchitectureNotString", [](TinyModel& m) { m.set("general.architecture", GgufValue::make_u32(1)); }, C,
       "general.architecture has type u32, expected a string"},
      {"MissingArchitecture", [](TinyModel& m) { m.erase("general.architecture"); }, N,
       "missing metadata key 'general.architecture'"},
      {"MissingBlockCount", [=](TinyModel& m) { m.erase(a + "block_count"); }, N,
       "missing metadata key 'hunyuan-dense.block_count'"},
      {"BlockCountAsString", [=](TinyModel& m) { m.set(a + "block_count", GgufValue::make_string("1")); }, C,
       "metadata key 'hunyuan-dense.block_count' has type string, expected an integer"},
      {"BlockCountOutOfRange",
       [=](TinyModel& m) { m.set(a + "block_count", GgufValue::make_u64((1ull << 63) + 1)); }, C,
       "metadata key 'hunyuan-dense.block_count' has the out-of-range value 9223372036854775809"},
      {"BlockCountZero", [=](TinyModel& m) { m.set(a + "block_count", GgufValue::make_u32(0)); }, C,
       "inconsistent hyperparameters: block_count 0"},
      {"HeadCountNotMultipleOfKv",
       [=](TinyModel& m) {
         m.set(a + "attention.head_count", GgufValue::make_u32(3));
         m.set(a + "attention.head_count_kv", GgufValue::make_u32(2));
       },
       C, "head_count 3 is not a multiple of head_count_kv 2"},
      {"RopeScalingYarn", [=](TinyModel& m) { m.set(a + "rope.scaling.type", GgufValue::make_string("yarn")); }, U,
       "rope.scaling.type 'yarn' is not supported"},
      {"RopeDimsNotHeadDim", [=](TinyModel& m) { m.set(a + "rope.dimension_count", GgufValue::make_u32(16)); }, U,
       "rope.dimension_count 16 differs from the head dimension 32"},
      {"OddHeadDim",
       [=](TinyModel& m) {
         m.set(a + "attention.key_length", GgufValue::make_u32(31));
         m.set(a + "attention.value_length", GgufValue::make_u32(31));
       },
       C, "head dimension 31 (must be even, 2 to 1024)"},
      {"KeyValueLengthsDiffer", [=](TinyModel& m) { m.set(a + "attention.value_length", GgufValue::make_u32(16)); },
       U, "attention.key_length 32 differs from value_length 16"},
      {"EpsilonZero",
       [=](TinyModel& m) { m.set(a + "attention.layer_norm_rms_epsilon", GgufValue::make_f32(0.0f)); }, C,
       "layer_norm_rms_epsilon 0"},
      {"FreqBaseInfinite",
       [=](TinyModel& m) {
         m.set(a + "rope.freq_base", GgufValue::make_f32(std::numeric_limits<float>::infinity()));
       },
       C, "rope.freq_base inf"},
      {"VocabSizeDisagreesWithTokens", [=](TinyModel& m) { m.set(a + "vocab_size", GgufValue::make_u32(9)); }, C,
       "vocab_size 9 but tokenizer.ggml.tokens has 8 entries"},
      {"VocabSizeZero",
       [=](TinyModel& m) {
         m.set(a + "vocab_size", GgufValue::make_u32(0));
         m.erase("tokenizer.ggml.tokens");
       },
       C, "inconsistent hyperparameters: vocab_size 0"},
      {"TokensNotStrings",
       [](TinyModel& m) {
         m.set("tokenizer.ggml.tokens", GgufValue::make_array(GgufType::kI32, {GgufValue::make_i32(1)}));
       },
       C, "tokenizer.ggml.tokens is not an array of strings"},
      {"MissingTensor", [](TinyModel& m) { m.drop("blk.0.ffn_down.weight"); }, N,
       "missing tensor 'blk.0.ffn_down.weight'"},
      {"MissingEmbeddingNoVocab",
       [=](TinyModel& m) {
         m.drop("token_embd.weight");
         m.erase(a + "vocab_size");
         m.erase("tokenizer.ggml.tokens");
       },
       N, "missing tensor 'token_embd.weight'"},
      {"WrongShape",
       [](TinyModel& m) { m.tensor("blk.0.attn_k.weight") = f32_tensor("blk.0.attn_k.weight", {64, 64}, false); }, C, "tensor 'blk.0.attn_k.weight' has shape 64x64, expected 64x32"},
      {"EmbeddingRowsNotVocab",
       [](TinyModel& m) { m.tensor("token_embd.weight") = f32_tensor("token_embd.weight", {64, 9}, false); }, C,
       "tensor 'token_embd.weight' has shape 64x9, expected 64x8"},
      {"NormStoredAs2D",
       [](TinyModel& m) { m.tensor("blk.0.attn_norm.weight") = f32_tensor("blk.0.attn_norm.weight", {64, 1}, true); },
       C, "tensor 'blk.0.attn_norm.weight' has shape 64x1, expected 64 "},
      {"UntiedOutputWrongShape",
       [](TinyModel& m) { m.tensors.push_back(f32_tensor("output.weight", {64, 7}, false)); }, C,
       "tensor 'output.weight' has shape 64x7, expected 64x8"},
      {"UnexpectedExtraTensor",
       [](TinyModel& m) { m.tensors.push_back(f32_tensor("blk.1.attn_q.weight", {64, 64}, false)); }, U, "unexpected tensor 'blk.1.attn_q.weight' for a hunyuan-dense model with 1 layers"},
      {"UnsupportedComputeType", [](TinyModel& m) { m.tensor("blk.0.attn_q.weight").type = WeightType::kI32; }, U,
       "tensor 'blk.0.attn_q.weight' has type I32, which this build cannot compute"},
      {"NonFiniteNormWeight",
       [](TinyModel& m) {
         auto& t = m.tensor("blk.0.attn_norm.weight");
         const float nan = std::numeric_limits<float>::quiet_NaN();
         std::memcpy(t.bytes.data() + 5 * 4, &nan, 4);
       },
       C, "tensor 'blk.0.attn_norm.weight' contains a non-finite value"},
      {"NonFiniteF16QNorm",  // the check runs on dequantized values, whatever the stored type
       [](TinyModel& m) {
         auto& t = m.tensor("blk.0.attn_q_norm.weight");
         t.type = WeightType::kF16;
         t.bytes.assign(32 * 2, 0);
         for (size_t k = 0; k < 32; ++k) {
           const uint16_t h = k == 7 ? 0x7c00 : f32_to_fp16(1.0f);  // +inf at index 7
           std::memcpy(t.bytes.data() + 2 * k, &h, 2);
         }
       },
       C, "tensor 'blk.0.attn_q_norm.weight' contains a non-finite value"},
  };
}

class ModelRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ModelRefusal, RefusedWithItsOwnMessage) {
  const RefusalCase& c = GetParam();
  TinyModel t = tiny_model();
  c.edit(t);
  const std::string path = tmp_path(c.name + ".gguf");
  Status w = t.write(path);
  ASSERT_TRUE(w.ok()) << w.message();
  ASSERT_TRUE(GgufFile::open(path).ok()) << "the container itself must be valid";
  auto m = Model::load(path);
  ASSERT_FALSE(m.ok()) << c.name << " was accepted";
  EXPECT_EQ(m.status().code(), c.code) << status_code_name(m.status().code()) << ": " << m.status().message();
  EXPECT_NE(m.status().message().find(c.message), std::string::npos)
      << "expected '" << c.message << "' in: " << m.status().message();
  EXPECT_EQ(m.status().message().rfind(path, 0), 0u) << "message should start with the file: " << m.status().message();
}

INSTANTIATE_TEST_SUITE_P(Loader, ModelRefusal, ::testing::ValuesIn(refusal_cases()),
                         [](const ::testing::TestParamInfo<RefusalCase>& i) { return i.param.name; });

}  // namespace
}  // namespace hymt
