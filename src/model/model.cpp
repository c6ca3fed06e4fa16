// model.cpp: binds GGUF tensors to the HunYuan-dense weight slots, checking every name, shape and
// type against the table in expected_tensors() before a single weight is used.
#include "model/model.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <set>

#include "formats/format_ref.h"

namespace hymt {

std::vector<TensorSpec> expected_tensors(const HParams& hp) {
  std::vector<TensorSpec> t;
  t.push_back({"token_embd.weight", hp.n_embd, hp.n_vocab, false});
  t.push_back({"output_norm.weight", hp.n_embd, 0, false});
  t.push_back({"output.weight", hp.n_embd, hp.n_vocab, true});
  for (int64_t l = 0; l < hp.n_layer; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    t.push_back({b + "attn_norm.weight", hp.n_embd, 0, false});
    t.push_back({b + "attn_q.weight", hp.n_embd, hp.n_embd_q(), false});
    t.push_back({b + "attn_k.weight", hp.n_embd, hp.n_embd_kv(), false});
    t.push_back({b + "attn_v.weight", hp.n_embd, hp.n_embd_kv(), false});
    t.push_back({b + "attn_output.weight", hp.n_embd_q(), hp.n_embd, false});
    t.push_back({b + "attn_q_norm.weight", hp.head_dim, 0, false});
    t.push_back({b + "attn_k_norm.weight", hp.head_dim, 0, false});
    t.push_back({b + "ffn_norm.weight", hp.n_embd, 0, false});
    t.push_back({b + "ffn_gate.weight", hp.n_embd, hp.n_ff, false});
    t.push_back({b + "ffn_up.weight", hp.n_embd, hp.n_ff, false});
    t.push_back({b + "ffn_down.weight", hp.n_ff, hp.n_embd, false});
  }
  return t;
}

Result<std::unique_ptr<Model>> Model::load(const std::string& path, bool pack) {
  std::unique_ptr<Model> m(new Model());
  HYMT_ASSIGN_OR_RETURN(m->file_, GgufFile::open(path));
  auto hp = hparams_from_gguf(*m->file_);
  if (!hp.ok()) return hp.status().with_context(path);
  m->hp_ = hp.value();
  Status st = m->bind();
  if (!st.ok()) return st.with_context(path);
  if (m->file_->stq_layout().source == StqLayoutSource::kDefault) {
    st = m->decide_stq_layout();
    if (!st.ok()) return st.with_context(path);
  }
  if (pack) m->pack_weights();
  return m;
}

// Packs the layer matrices and the output head for the kernel path. The packed rows' pages of the
// mapping are dropped from this process slice by slice as they are packed (madvise DONTNEED: clean
// file pages, re-read from the page cache if ever touched), so the resident size stays about one
// copy of the weights, during packing too. A tied head is the embedding table: its lookups then read
// the packed copy too (get_row unpacks a row), so the released pages are never faulted back in.
void Model::pack_weights() {
  if (const char* env = std::getenv("HYMT_REPACK"); env && std::string(env) == "0") return;
  const long page = sysconf(_SC_PAGESIZE);
  auto pack = [this, page](WeightView& w) {
    int64_t rows = 0;
    LargeBuffer p = pack_weight(w, &rows, [&w, page](int64_t r0, int64_t r1) {
      const uintptr_t b = reinterpret_cast<uintptr_t>(w.row(r0)), e = reinterpret_cast<uintptr_t>(w.row(r1));
      const uintptr_t pb = (b + page - 1) / page * page, pe = e / page * page;
      if (pe > pb) madvise(reinterpret_cast<void*>(pb), pe - pb, MADV_DONTNEED);
    });
    if (rows == 0) return;
    w.packed = p.data();
    w.packed_rows = rows;
    packed_.push_back(std::move(p));
  };
  for (auto& L : layers_)
    for (WeightView* w : {&L.wq, &L.wk, &L.wv, &L.wo, &L.gate, &L.up, &L.down}) pack(*w);
  pack(output_);
  if (tied_) {
    tok_embd_.packed = output_.packed;
    tok_embd_.packed_rows = output_.packed_rows;
  }
}

Status Model::bind() {
  const GgufFile& f = *file_;
  if (hp_.n_vocab < 0) {  // no tokenizer and no vocab_size key: the embedding decides
    const GgufTensor* te = f.find_tensor("token_embd.weight");
    if (!te) return not_found("missing tensor 'token_embd.weight'");
    if (te->ne.size() != 2)
      return corrupt_file("tensor 'token_embd.weight' has shape " + te->shape_string() + ", expected n_embd x n_vocab");
    hp_.n_vocab = te->ne[1];
  }
  if (hp_.n_vocab <= 0) return corrupt_file("vocabulary is empty");

  const std::vector<TensorSpec> specs = expected_tensors(hp_);
  std::set<std::string> known;
  for (const auto& s : specs) known.insert(s.name);
  for (const auto& t : f.tensors())
    if (!known.count(t.name))
      return unsupported("unexpected tensor '" + t.name + "' for a hunyuan-dense model with " +
                         std::to_string(hp_.n_layer) + " layers");

  auto view = [&](const TensorSpec& s, WeightView* out) -> Status {
    const GgufTensor* t = f.find_tensor(s.name);
    if (!t) return not_found("missing tensor '" + s.name + "'");
    const bool vec = s.ne1 == 0;
    const bool shape_ok = vec ? (t->ne.size() == 1 && t->ne[0] == s.ne0)
                              : (t->ne.size() == 2 && t->ne[0] == s.ne0 && t->ne[1] == s.ne1);
    if (!shape_ok)
      return corrupt_file("tensor '" + s.name + "' has shape " + t->shape_string() + ", expected " +
                          std::to_string(s.ne0) + (vec ? "" : "x" + std::to_string(s.ne1)) + " (" +
                          hp_.to_string() + ")");
    if (!kernel_supports(t->type))
      return unsupported("tensor '" + s.name + "' has type " + type_name(t->type) +
                         ", which this build cannot compute yet");
    out->type = t->type;
    out->data = t->data;
    out->ne0 = t->ne[0];
    out->n_rows = vec ? 1 : t->ne[1];
    out->row_bytes = *row_bytes(t->type, t->ne[0]);
    return {};
  };
  auto vector = [&](const TensorSpec& s, std::vector<float>* out) -> Status {
    WeightView v;
    HYMT_RETURN_IF_ERROR(view(s, &v));
    out->resize(static_cast<size_t>(v.ne0));
    get_row(v, 0, out->data());
    for (float x : *out)
      if (!std::isfinite(x)) return corrupt_file("tensor '" + s.name + "' contains a non-finite value");
    return {};
  };

  size_t k = 0;
  HYMT_RETURN_IF_ERROR(view(specs[k++], &tok_embd_));
  HYMT_RETURN_IF_ERROR(vector(specs[k++], &output_norm_));
  const TensorSpec& out_spec = specs[k++];
  tied_ = f.find_tensor(out_spec.name) == nullptr;
  if (tied_) output_ = tok_embd_;
  else HYMT_RETURN_IF_ERROR(view(out_spec, &output_));
  layers_.resize(static_cast<size_t>(hp_.n_layer));
  for (auto& L : layers_) {
    HYMT_RETURN_IF_ERROR(vector(specs[k++], &L.attn_norm));
    HYMT_RETURN_IF_ERROR(view(specs[k++], &L.wq));
    HYMT_RETURN_IF_ERROR(view(specs[k++], &L.wk));
    HYMT_RETURN_IF_ERROR(view(specs[k++], &L.wv));
    HYMT_RETURN_IF_ERROR(view(specs[k++], &L.wo));
    HYMT_RETURN_IF_ERROR(vector(specs[k++], &L.q_norm));
    HYMT_RETURN_IF_ERROR(vector(specs[k++], &L.k_norm));
    HYMT_RETURN_IF_ERROR(vector(specs[k++], &L.ffn_norm));
    HYMT_RETURN_IF_ERROR(view(specs[k++], &L.gate));
    HYMT_RETURN_IF_ERROR(view(specs[k++], &L.up));
    HYMT_RETURN_IF_ERROR(view(specs[k++], &L.down));
    auto act = [](const WeightView& v) { return format_ref(v.type)->act_type; };
    L.qkv_fusable = act(L.wq) == act(L.wk) && act(L.wq) == act(L.wv);
    L.gate_up_fusable = act(L.gate) == act(L.up);
  }

  // inv_freq[i] = base^(-2i/hd), computed in double from the stored (already alpha-folded) base.
  inv_freq_.resize(static_cast<size_t>(hp_.head_dim / 2));
  for (size_t i = 0; i < inv_freq_.size(); ++i)
    inv_freq_[i] = static_cast<float>(std::pow(static_cast<double>(hp_.rope_base),
                                               -2.0 * static_cast<double>(i) / static_cast<double>(hp_.head_dim)));
  return {};
}

}  // namespace hymt
