// forward.cpp: the HunYuan-dense forward pass, exactly as spec §2:
//   x += Wo . Attn(QKnorm(RoPE(Wq.n1)), QKnorm(RoPE(Wk.n1)), Wv.n1),  n1 = RMSNorm(x)
//   x += Wdown . (silu(Wgate.n2) * Wup.n2),                         n2 = RMSNorm(x)
//   logits = E . RMSNorm(x)   (tied head unless output.weight exists)
// QK-norm is applied AFTER RoPE and the cached K is the post-RoPE, post-norm value.
// The pass runs over a batch of tokens from one or several sequences: the matrix products treat
// them as one batch, and only RoPE positions, the cache writes and attention look at which
// sequence a token belongs to.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/half.h"
#include "model/session.h"

namespace hymt {

Session::Session(const Model& model, int64_t n_ctx, KvType kv)
    : model_(model),
      n_ctx_(n_ctx),
      kv_dim_(model.hparams().n_embd_kv()),
      kv_type_(kv),
      kv_size_(static_cast<int64_t>(kv_type_size(kv))) {
  const size_t bytes = static_cast<size_t>(model.hparams().n_layer * n_ctx_ * kv_dim_ * kv_size_);
  k_cache_.reset(new uint8_t[bytes]);
  v_cache_.reset(new uint8_t[bytes]);
}

void Session::truncate(int64_t n) { n_past_ = std::clamp<int64_t>(n, 0, n_past_); }

Status Session::forward(const int32_t* tokens, int64_t n, ThreadPool& pool, float* logits, bool all_logits) {
  const SeqBatch one{this, tokens, n};
  return forward_batch(&one, 1, pool, scratch_, logits, all_logits);
}

namespace {

void grow(std::vector<float>& v, int64_t n) {
  if (v.size() < static_cast<size_t>(n)) v.resize(static_cast<size_t>(n));
}

// Stores one token's keys or values (n floats) in the cache's element type.
void store_kv(const float* src, uint8_t* dst, int64_t n, KvType kv) {
  if (kv == KvType::kF32) {
    std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  uint16_t* h = reinterpret_cast<uint16_t*>(dst);
  for (int64_t i = 0; i < n; ++i) h[i] = f32_to_fp16(src[i]);
}

Status check_batch(const SeqBatch* seqs, int n_seq) {
  if (n_seq <= 0) return invalid_argument("no sequences to evaluate");
  const Model& model = seqs[0].session->model();
  const HParams& hp = model.hparams();
  for (int i = 0; i < n_seq; ++i) {
    const Session& s = *seqs[i].session;
    if (&s.model() != &model) return invalid_argument("a batch mixes sessions of different models");
    for (int j = 0; j < i; ++j)
      if (seqs[j].session == seqs[i].session) return invalid_argument("a session appears twice in one batch");
    if (seqs[i].n <= 0) return invalid_argument("no tokens to evaluate");
    if (s.n_past() + seqs[i].n > s.n_ctx())
      return invalid_argument("context full: " + std::to_string(s.n_past()) + " + " + std::to_string(seqs[i].n) +
                              " tokens exceed n_ctx " + std::to_string(s.n_ctx()));
    for (int64_t t = 0; t < seqs[i].n; ++t)
      if (seqs[i].tokens[t] < 0 || seqs[i].tokens[t] >= hp.n_vocab)
        return invalid_argument("token id " + std::to_string(seqs[i].tokens[t]) +
                                " is outside the vocabulary [0, " + std::to_string(hp.n_vocab) + ")");
  }
  return {};
}

}  // namespace

Status forward_batch(const SeqBatch* seqs, int n_seq, ThreadPool& pool, ForwardScratch& sc, float* logits,
                     bool all_logits) {
  HYMT_RETURN_IF_ERROR(check_batch(seqs, n_seq));
  const Model& model = seqs[0].session->model();
  const HParams& hp = model.hparams();
  const int64_t D = hp.n_embd, hd = hp.head_dim, H = hp.n_head, Hkv = hp.n_head_kv;
  const int64_t Dq = hp.n_embd_q(), Dkv = hp.n_embd_kv(), F = hp.n_ff;
  const int64_t group = H / Hkv;  // query head h reads KV head h / group (HF repeat_kv order)
  const float eps = hp.rms_eps;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const float* inv_freq = model.rope_inv_freq().data();

  int64_t n = 0, max_ctx = 0;
  for (int i = 0; i < n_seq; ++i) n += seqs[i].n, max_ctx = std::max(max_ctx, seqs[i].session->n_ctx());
  grow(sc.x, n * D);
  grow(sc.xn, n * D);
  grow(sc.q, n * Dq);
  grow(sc.k, n * Dkv);
  grow(sc.v, n * Dkv);
  grow(sc.attn, n * Dq);
  grow(sc.gate, n * F);
  grow(sc.up, n * F);
  // Attention runs in blocks of up to attn_block consecutive tokens of one sequence: the block's
  // group * attn_block query rows are scored against each cached key and weight each cached value
  // together, so an fp16 key or value row is widened once per block rather than once per token.
  // 8 tokens, fewer where a thread's score rows would pass 1 MiB (long contexts), down to one.
  const int64_t attn_block = std::clamp<int64_t>((int64_t{1} << 18) / (group * max_ctx), 1, 8);
  const int64_t rows_max = attn_block * group;
  const int64_t per_thread = rows_max * max_ctx + 2 * rows_max * hd;  // scores, queries, outputs
  grow(sc.scores, static_cast<int64_t>(pool.n_threads()) * per_thread);
  grow(sc.rope, n * hd);
  sc.pos.resize(static_cast<size_t>(n));
  sc.seq.resize(static_cast<size_t>(n));
  {
    int64_t t = 0;
    for (int i = 0; i < n_seq; ++i)
      for (int64_t j = 0; j < seqs[i].n; ++j, ++t) {
        sc.pos[static_cast<size_t>(t)] = seqs[i].session->n_past() + j;
        rope_angles(hd, sc.pos[static_cast<size_t>(t)], inv_freq, sc.rope.data() + t * hd);
        sc.seq[static_cast<size_t>(t)] = i;
        get_row(model.token_embd(), seqs[i].tokens[j], sc.x.data() + t * D);
      }
  }
  sc.attn_blocks.clear();  // first token of each attention block, then n
  for (int64_t t = 0; t < n; ++t)
    if (sc.attn_blocks.empty() || t - sc.attn_blocks.back() == attn_block ||
        sc.seq[static_cast<size_t>(t)] != sc.seq[static_cast<size_t>(t - 1)])
      sc.attn_blocks.push_back(t);
  const int64_t n_blocks = static_cast<int64_t>(sc.attn_blocks.size());
  sc.attn_blocks.push_back(n);
  float *x = sc.x.data(), *xn = sc.xn.data(), *q = sc.q.data(), *k = sc.k.data(), *v = sc.v.data();
  float *attn = sc.attn.data(), *gate = sc.gate.data(), *up = sc.up.data();

  for (int64_t l = 0; l < hp.n_layer; ++l) {
    const LayerWeights& L = model.layer(l);
    pool.for_each(n, [&](int64_t t) { rms_norm(x + t * D, L.attn_norm.data(), xn + t * D, D, eps); });
    if (L.qkv_fusable) {
      const MatmulOut qkv[3] = {{&L.wq, q, Dq}, {&L.wk, k, Dkv}, {&L.wv, v, Dkv}};
      matmul_multi(qkv, 3, xn, D, n, pool, sc.ks);
    } else {
      matmul(L.wq, xn, D, n, q, Dq, pool, sc.ks);
      matmul(L.wk, xn, D, n, k, Dkv, pool, sc.ks);
      matmul(L.wv, xn, D, n, v, Dkv, pool, sc.ks);
    }
    pool.for_each(n, [&](int64_t t) {
      const int64_t pos = sc.pos[static_cast<size_t>(t)];
      const float* rot = sc.rope.data() + t * hd;
      Session& s = *seqs[sc.seq[static_cast<size_t>(t)]].session;
      for (int64_t h = 0; h < H; ++h) {
        float* qh = q + t * Dq + h * hd;
        rope_neox(qh, hd, rot);
        rms_norm(qh, L.q_norm.data(), qh, hd, eps);
      }
      for (int64_t h = 0; h < Hkv; ++h) {
        float* kh = k + t * Dkv + h * hd;
        rope_neox(kh, hd, rot);
        rms_norm(kh, L.k_norm.data(), kh, hd, eps);
      }
      store_kv(k + t * Dkv, s.k_at(l, pos), Dkv, s.kv_type_);
      store_kv(v + t * Dkv, s.v_at(l, pos), Dkv, s.kv_type_);
    });
    // Causal attention: one (token block, KV head) pair per task. Row j * group + g of the block
    // is token t0 + j's query head kvh * group + g; all rows are scored against the keys up to the
    // block's last position, and each row's softmax covers its own positions only, the rest of its
    // weights set to zero (exact zero terms in the value sums: the same result as token by token).
    // Claimed one task at a time: later blocks of a prompt see more positions.
    pool.parallel_for(
        n_blocks * Hkv,
        [&](int64_t i0, int64_t i1, int thread) {
          float* srow = sc.scores.data() + static_cast<int64_t>(thread) * per_thread;
          float* qbuf = srow + rows_max * max_ctx;
          float* obuf = qbuf + rows_max * hd;
          for (int64_t i = i0; i < i1; ++i) {
            const int64_t b = i / Hkv, kvh = i % Hkv;
            const int64_t t0 = sc.attn_blocks[static_cast<size_t>(b)];
            const int64_t nt = sc.attn_blocks[static_cast<size_t>(b) + 1] - t0, rows = nt * group;
            Session& s = *seqs[sc.seq[static_cast<size_t>(t0)]].session;
            const int64_t n_kv = sc.pos[static_cast<size_t>(t0 + nt - 1)] + 1;
            for (int64_t j = 0; j < nt; ++j)
              std::memcpy(qbuf + j * group * hd, q + (t0 + j) * Dq + kvh * group * hd,
                          static_cast<size_t>(group * hd) * sizeof(float));
            const uint8_t* kc = s.k_at(l, 0) + kvh * hd * s.kv_size_;
            const uint8_t* vc = s.v_at(l, 0) + kvh * hd * s.kv_size_;
            attn_scores(s.kv_type_, qbuf, hd, static_cast<int>(rows), kc, Dkv, n_kv, hd, scale, srow, max_ctx);
            for (int64_t r = 0; r < rows; ++r) {
              const int64_t own = sc.pos[static_cast<size_t>(t0 + r / group)] + 1;
              float* sr = srow + r * max_ctx;
              softmax(sr, own);
              std::fill(sr + own, sr + n_kv, 0.0f);
            }
            attn_values(s.kv_type_, srow, max_ctx, static_cast<int>(rows), vc, Dkv, n_kv, hd, obuf, hd);
            for (int64_t j = 0; j < nt; ++j)
              std::memcpy(attn + (t0 + j) * Dq + kvh * group * hd, obuf + j * group * hd,
                          static_cast<size_t>(group * hd) * sizeof(float));
          }
        },
        1);
    // Residual 1: x += Wo . attn (xn reused as the projection output).
    matmul(L.wo, attn, Dq, n, xn, D, pool, sc.ks);
    pool.for_each(n, [&](int64_t t) {
      for (int64_t i = t * D; i < (t + 1) * D; ++i) x[i] += xn[i];
    });

    pool.for_each(n, [&](int64_t t) { rms_norm(x + t * D, L.ffn_norm.data(), xn + t * D, D, eps); });
    if (L.gate_up_fusable) {
      const MatmulOut gu[2] = {{&L.gate, gate, F}, {&L.up, up, F}};
      matmul_multi(gu, 2, xn, D, n, pool, sc.ks);
    } else {
      matmul(L.gate, xn, D, n, gate, F, pool, sc.ks);
      matmul(L.up, xn, D, n, up, F, pool, sc.ks);
    }
    pool.for_each(n, [&](int64_t t) { swiglu(gate + t * F, up + t * F, gate + t * F, F); });
    matmul(L.down, gate, F, n, xn, D, pool, sc.ks);
    pool.for_each(n, [&](int64_t t) {
      for (int64_t i = t * D; i < (t + 1) * D; ++i) x[i] += xn[i];
    });
  }

  for (int i = 0; i < n_seq; ++i) seqs[i].session->n_past_ += seqs[i].n;
  if (logits == nullptr) return {};
  // Rows that need logits, normalised into xn in output order.
  int64_t n_out = 0;
  if (all_logits) {
    for (int64_t t = 0; t < n; ++t) rms_norm(x + t * D, model.output_norm().data(), xn + t * D, D, eps);
    n_out = n;
  } else {
    int64_t last = -1;
    for (int i = 0; i < n_seq; ++i) {
      last += seqs[i].n;
      rms_norm(x + last * D, model.output_norm().data(), xn + n_out * D, D, eps);
      ++n_out;
    }
  }
  matmul(model.output(), xn, D, n_out, logits, hp.n_vocab, pool, sc.ks);
  return {};
}

}  // namespace hymt
