// quantize.cpp: reads every tensor through its format's reference dequantizer and writes it again
// with the planned type's reference quantizer, row-parallel. All metadata is copied; file_type and
// quantization_version are updated. The output appears atomically (GgufWriter).
#include "convert/quantize.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "core/thread_pool.h"
#include "formats/format_ref.h"
#include "io/gguf.h"

namespace hymt {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// llama.cpp's "use more bits" layer rule for Q4_K_M / Q5_K_M: the first and last eighth of the
// layers and every third layer in between (with 32 layers: 16 layers, which with attn_v and
// ffn_down plus the embedding gives the 33 Q6_K tensors of the official Q4_K_M file).
bool use_more_bits(int64_t layer, int64_t n_layer) {
  return layer < n_layer / 8 || layer >= 7 * n_layer / 8 || (layer - n_layer / 8) % 3 == 2;
}

int64_t layer_of(const std::string& name) {
  if (name.rfind("blk.", 0) != 0) return -1;
  return std::strtoll(name.c_str() + 4, nullptr, 10);
}

// F32, F16, BF16: what re-quantizing from loses nothing but the new format's rounding.
bool is_float_type(WeightType t) { return t == WeightType::kF32 || t == WeightType::kF16 || t == WeightType::kBF16; }

}  // namespace

Result<QuantPlan> quant_plan(const std::string& type_in, const std::string& embedding_type) {
  const std::string type = upper(type_in);
  QuantPlan p;
  p.name = type;
  struct Row {
    const char* name;
    WeightType linear, more, embd;
    uint32_t ftype;
  };
  // llama_ftype numbers for general.file_type; 39 / 41 are what Tencent's 2-bit and 1.25-bit files say.
  static const Row rows[] = {
      {"F32", WeightType::kF32, WeightType::kF32, WeightType::kF32, 0},
      {"F16", WeightType::kF16, WeightType::kF16, WeightType::kF16, 1},
      {"BF16", WeightType::kBF16, WeightType::kBF16, WeightType::kBF16, 32},
      {"Q8_0", WeightType::kQ8_0, WeightType::kQ8_0, WeightType::kQ8_0, 7},
      {"Q4_0", WeightType::kQ4_0, WeightType::kQ4_0, WeightType::kQ6_K, 2},
      {"Q4_1", WeightType::kQ4_1, WeightType::kQ4_1, WeightType::kQ6_K, 3},
      {"Q5_0", WeightType::kQ5_0, WeightType::kQ5_0, WeightType::kQ6_K, 8},
      {"Q5_1", WeightType::kQ5_1, WeightType::kQ5_1, WeightType::kQ6_K, 9},
      {"Q2_K", WeightType::kQ2_K, WeightType::kQ2_K, WeightType::kQ6_K, 10},
      {"Q4_K_S", WeightType::kQ4_K, WeightType::kQ4_K, WeightType::kQ6_K, 14},
      {"Q4_K_M", WeightType::kQ4_K, WeightType::kQ6_K, WeightType::kQ6_K, 15},
      {"Q4_K", WeightType::kQ4_K, WeightType::kQ6_K, WeightType::kQ6_K, 15},
      {"Q5_K_S", WeightType::kQ5_K, WeightType::kQ5_K, WeightType::kQ6_K, 16},
      {"Q5_K_M", WeightType::kQ5_K, WeightType::kQ6_K, WeightType::kQ6_K, 17},
      {"Q5_K", WeightType::kQ5_K, WeightType::kQ6_K, WeightType::kQ6_K, 17},
      {"Q6_K", WeightType::kQ6_K, WeightType::kQ6_K, WeightType::kQ6_K, 18},
      {"TQ1_0", WeightType::kTQ1_0, WeightType::kTQ1_0, WeightType::kQ6_K, 36},
      {"TQ2_0", WeightType::kTQ2_0, WeightType::kTQ2_0, WeightType::kQ6_K, 37},
      {"Q2_0C", WeightType::kQ2_0C, WeightType::kQ2_0C, WeightType::kQ6_K, 39},
      {"STQ1_0", WeightType::kSTQ1_0, WeightType::kSTQ1_0, WeightType::kQ6_K, 41},
      // The same blocks with consecutive lanes, the older layout (spec §5.10); no marker is written,
      // so a reader decides the layout from the weights (model/stq_layout_check.cpp).
      {"STQ1_0_CONSEC", WeightType::kSTQ1_0_CONSEC, WeightType::kSTQ1_0_CONSEC, WeightType::kQ6_K, 41},
  };
  const Row* found = nullptr;
  for (const Row& r : rows)
    if (type == r.name) found = &r;
  if (!found) {
    std::string known;
    for (const Row& r : rows) known += std::string(known.empty() ? "" : ", ") + r.name;
    return invalid_argument("unknown quantization type '" + type_in + "' (known: " + known + ")");
  }
  p.linear = found->linear;
  p.more_bits = found->more;
  p.embedding = found->embd;
  p.file_type = found->ftype;
  if (!embedding_type.empty()) {
    auto e = parse_type_name(embedding_type);
    if (!e) return invalid_argument("unknown embedding type '" + embedding_type + "'");
    p.embedding = *e;
  }
  for (WeightType t : {p.linear, p.more_bits, p.embedding})
    if (!format_ref(t) || !format_ref(t)->quantize_row)
      return unsupported(std::string("this build cannot quantize to ") + type_name(t));
  return p;
}

uint32_t llama_ftype_of(WeightType linear) {
  switch (linear) {
    case WeightType::kF32: return 0;
    case WeightType::kF16: return 1;
    case WeightType::kQ4_0: return 2;
    case WeightType::kQ4_1: return 3;
    case WeightType::kQ8_0: return 7;
    case WeightType::kQ5_0: return 8;
    case WeightType::kQ5_1: return 9;
    case WeightType::kQ2_K: return 10;
    case WeightType::kQ4_K: return 15;
    case WeightType::kQ5_K: return 17;
    case WeightType::kQ6_K: return 18;
    case WeightType::kBF16: return 32;
    case WeightType::kTQ1_0: return 36;
    case WeightType::kTQ2_0: return 37;
    case WeightType::kQ2_0C: return 39;
    case WeightType::kSTQ1_0: case WeightType::kSTQ1_0_CONSEC: return 41;
    default: return 0;
  }
}

WeightType planned_type(const QuantPlan& plan, const std::string& name, int64_t n_layer) {
  if (name == "token_embd.weight" || name == "output.weight") return plan.embedding;
  const int64_t layer = layer_of(name);
  const bool matrix = name.find("_norm.") == std::string::npos;
  if (layer < 0 || !matrix) return WeightType::kF32;  // norms and anything unknown stay exact
  const bool more = name.find(".attn_v.") != std::string::npos || name.find(".ffn_down.") != std::string::npos;
  return more && use_more_bits(layer, n_layer) ? plan.more_bits : plan.linear;
}

// The row quantizer for a planned type: the format's reference, except STQ1_0, whose reference
// (llama.cpp's) takes d = absmax. That is exact only for QAT weights already in {-s, 0, +s}; for
// any other weights it puts three of four lanes at the block's largest magnitude (relative error
// 1.8 on the demo model's FFN, worse than zeros). The sparse-absmean scale is the least-squares
// optimum for the same codes and equally exact on QAT weights (their kept lanes are all s), so it
// is what `hymt quantize` writes (docs/formats.md, "Quality on the trained demo model").
using RowQuantizer = void (*)(const float*, void*, int64_t);
RowQuantizer row_quantizer(WeightType t) {
  if (t == WeightType::kSTQ1_0)
    return [](const float* x, void* y, int64_t n) {
      quantize_row_stq1_0_opts(x, y, n, StqLayout::kStride16, StqScale::kSparseAbsmean);
    };
  if (t == WeightType::kSTQ1_0_CONSEC)
    return [](const float* x, void* y, int64_t n) {
      quantize_row_stq1_0_opts(x, y, n, StqLayout::kConsecutive, StqScale::kSparseAbsmean);
    };
  return format_ref(t)->quantize_row;
}

WeightType fitting_type(WeightType planned, int64_t row_length) {
  if (row_bytes(planned, row_length)) return planned;
  return row_bytes(WeightType::kQ8_0, row_length) ? WeightType::kQ8_0 : WeightType::kF16;
}

std::vector<std::string> type_fallback_warnings(const std::vector<TypeFallback>& fallbacks) {
  std::vector<std::string> out;
  std::vector<bool> done(fallbacks.size(), false);
  for (size_t i = 0; i < fallbacks.size(); ++i) {
    if (done[i]) continue;
    const TypeFallback& f = fallbacks[i];
    std::string names;
    size_t n = 0;
    for (size_t j = i; j < fallbacks.size(); ++j) {
      const TypeFallback& g = fallbacks[j];
      if (done[j] || g.planned != f.planned || g.used != f.used) continue;
      done[j] = true;
      if (n++ < 3) names += (names.empty() ? "" : ", ") + g.tensor + " (row " + std::to_string(g.row_length) + ")";
    }
    if (n > 3) names += " and " + std::to_string(n - 3) + " more";
    const char* want = type_name(f.planned);
    out.push_back(std::to_string(n) + (n == 1 ? " tensor" : " tensors") + " written as " + type_name(f.used) +
                  " instead of " + want + " (row length not a multiple of " + want + "'s block of " +
                  std::to_string(type_info(f.planned).block) + "): " + names);
  }
  return out;
}

Status quantize_model(const std::string& in_path, const std::string& out_path, const QuantizeOptions& opt) {
  HYMT_ASSIGN_OR_RETURN(QuantPlan plan, quant_plan(opt.type, opt.embedding_type));
  HYMT_ASSIGN_OR_RETURN(std::shared_ptr<GgufFile> in, GgufFile::open(in_path));
  if (in_path == out_path) return invalid_argument("input and output are the same file");
  int64_t n_layer = 0;
  if (const GgufValue* v = in->find("hunyuan-dense.block_count"))
    if (auto x = v->as_int()) n_layer = *x;

  GgufWriter w(static_cast<uint32_t>(in->alignment()));
  for (const auto& [key, value] : in->metadata())
    if (key != "general.alignment") w.set(key, value);
  w.set_u32("general.file_type", plan.file_type);
  w.set_u32("general.quantization_version", 2);

  auto pool = std::make_shared<ThreadPool>(opt.n_threads);
  std::vector<TypeFallback> fallbacks;
  size_t n_requantized = 0;
  const GgufTensor* first_requantized = nullptr;
  for (const GgufTensor& t : in->tensors()) {
    const FormatRef* src = format_ref(t.type);
    if (!src) return unsupported("tensor '" + t.name + "' has type " + type_name(t.type) + ", which cannot be read yet");
    WeightType planned = planned_type(plan, t.name, n_layer);
    if (t.ne.size() == 1) planned = WeightType::kF32;
    // A row length the target's block cannot divide falls back to the nearest format that can.
    const WeightType dst = fitting_type(planned, t.ne0());
    if (dst != planned) fallbacks.push_back({t.name, t.ne0(), planned, dst});
    if (!is_float_type(t.type) && !is_float_type(dst) && n_requantized++ == 0) first_requantized = &t;
    const RowQuantizer quantize_row = row_quantizer(dst);
    const GgufTensor* tp = &t;
    HYMT_RETURN_IF_ERROR(w.add_tensor(t.name, t.ne, dst, [in, tp, src, quantize_row, dst, pool](uint8_t* out, size_t) -> Status {
      const int64_t ne0 = tp->ne0(), rows = tp->n_rows();
      const size_t srb = *row_bytes(tp->type, ne0), drb = *row_bytes(dst, ne0);
      pool->parallel_for(rows, [&](int64_t r0, int64_t r1, int) {
        std::vector<float> row(static_cast<size_t>(ne0));
        for (int64_t r = r0; r < r1; ++r) {
          src->dequantize_row(tp->data + static_cast<size_t>(r) * srb, row.data(), ne0);
          quantize_row(row.data(), out + static_cast<size_t>(r) * drb, ne0);
        }
      });
      return {};
    }));
  }
  if (opt.warn) {
    for (const std::string& m : type_fallback_warnings(fallbacks)) opt.warn(m);
    if (first_requantized)
      opt.warn(in_path + " is already quantized (" + std::to_string(n_requantized) + " of " +
               std::to_string(in->tensors().size()) + " tensors would be quantized again, e.g. " +
               first_requantized->name + " in " + type_name(first_requantized->type) +
               "): the new rounding error adds to the old one; for the best quality quantize the original "
               "F16/BF16 (or F32) model instead");
  }
  if (opt.progress) {
    const auto& tensors = in->tensors();
    w.on_progress([&opt, &tensors](size_t done, size_t total) { opt.progress(done, total, tensors[done - 1].name); });
  }
  return w.write(out_path);
}

}  // namespace hymt
