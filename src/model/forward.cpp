// forward.cpp: the HunYuan-dense forward pass, exactly as spec §2:
//   x += Wo . Attn(QKnorm(RoPE(Wq.n1)), QKnorm(RoPE(Wk.n1)), Wv.n1),  n1 = RMSNorm(x)
//   x += Wdown . (silu(Wgate.n2) * Wup.n2),                         n2 = RMSNorm(x)
//   logits = E . RMSNorm(x)   (tied head unless output.weight exists)
// QK-norm is applied AFTER RoPE and the cached K is the post-RoPE, post-norm value.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "model/session.h"

namespace hymt {

Session::Session(const Model& model, int64_t n_ctx)
    : model_(model), n_ctx_(n_ctx), kv_dim_(model.hparams().n_embd_kv()) {
  const size_t n = static_cast<size_t>(model.hparams().n_layer * n_ctx_ * kv_dim_);
  k_cache_.assign(n, 0.0f);
  v_cache_.assign(n, 0.0f);
}

void Session::truncate(int64_t n) { n_past_ = std::clamp<int64_t>(n, 0, n_past_); }

void Session::reserve(int64_t n_tok, int n_threads) {
  const HParams& hp = model_.hparams();
  auto grow = [](std::vector<float>& v, int64_t n) {
    if (v.size() < static_cast<size_t>(n)) v.resize(static_cast<size_t>(n));
  };
  grow(x_, n_tok * hp.n_embd);
  grow(xn_, n_tok * hp.n_embd);
  grow(q_, n_tok * hp.n_embd_q());
  grow(k_, n_tok * hp.n_embd_kv());
  grow(v_, n_tok * hp.n_embd_kv());
  grow(attn_, n_tok * hp.n_embd_q());
  grow(gate_, n_tok * hp.n_ff);
  grow(up_, n_tok * hp.n_ff);
  grow(scores_, static_cast<int64_t>(n_threads) * n_ctx_);
}

Status Session::forward(const int32_t* tokens, int64_t n, ThreadPool& pool, float* logits, bool all_logits) {
  const HParams& hp = model_.hparams();
  if (n <= 0) return invalid_argument("no tokens to evaluate");
  if (n_past_ + n > n_ctx_)
    return invalid_argument("context full: " + std::to_string(n_past_) + " + " + std::to_string(n) +
                            " tokens exceed n_ctx " + std::to_string(n_ctx_));
  for (int64_t t = 0; t < n; ++t)
    if (tokens[t] < 0 || tokens[t] >= hp.n_vocab)
      return invalid_argument("token id " + std::to_string(tokens[t]) + " is outside the vocabulary [0, " +
                              std::to_string(hp.n_vocab) + ")");
  reserve(n, pool.n_threads());

  const int64_t D = hp.n_embd, hd = hp.head_dim, H = hp.n_head, Hkv = hp.n_head_kv;
  const int64_t Dq = hp.n_embd_q(), Dkv = hp.n_embd_kv(), F = hp.n_ff;
  const int64_t group = H / Hkv;  // query head h reads KV head h / group (HF repeat_kv order)
  const float eps = hp.rms_eps;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const float* inv_freq = model_.rope_inv_freq().data();

  for (int64_t t = 0; t < n; ++t) get_row(model_.token_embd(), tokens[t], x_.data() + t * D);

  for (int64_t l = 0; l < hp.n_layer; ++l) {
    const LayerWeights& L = model_.layer(l);
    for (int64_t t = 0; t < n; ++t) rms_norm(x_.data() + t * D, L.attn_norm.data(), xn_.data() + t * D, D, eps);
    if (L.qkv_fusable) {
      const MatmulOut qkv[3] = {{&L.wq, q_.data(), Dq}, {&L.wk, k_.data(), Dkv}, {&L.wv, v_.data(), Dkv}};
      matmul_multi(qkv, 3, xn_.data(), D, n, pool, ks_);
    } else {
      matmul(L.wq, xn_.data(), D, n, q_.data(), Dq, pool, ks_);
      matmul(L.wk, xn_.data(), D, n, k_.data(), Dkv, pool, ks_);
      matmul(L.wv, xn_.data(), D, n, v_.data(), Dkv, pool, ks_);
    }
    for (int64_t t = 0; t < n; ++t) {
      const int64_t pos = n_past_ + t;
      for (int64_t h = 0; h < H; ++h) {
        float* qh = q_.data() + t * Dq + h * hd;
        rope_neox(qh, hd, pos, inv_freq);
        rms_norm(qh, L.q_norm.data(), qh, hd, eps);
      }
      for (int64_t h = 0; h < Hkv; ++h) {
        float* kh = k_.data() + t * Dkv + h * hd;
        rope_neox(kh, hd, pos, inv_freq);
        rms_norm(kh, L.k_norm.data(), kh, hd, eps);
      }
      std::memcpy(k_at(l, pos), k_.data() + t * Dkv, static_cast<size_t>(Dkv) * sizeof(float));
      std::memcpy(v_at(l, pos), v_.data() + t * Dkv, static_cast<size_t>(Dkv) * sizeof(float));
    }
    // Causal attention: one (token, head) pair per task, each with its own score row.
    pool.parallel_for(n * H, [&](int64_t i0, int64_t i1, int thread) {
      float* sc = scores_.data() + static_cast<int64_t>(thread) * n_ctx_;
      for (int64_t i = i0; i < i1; ++i) {
        const int64_t t = i / H, h = i % H, kvh = h / group;
        const int64_t n_kv = n_past_ + t + 1;
        const float* qh = q_.data() + t * Dq + h * hd;
        for (int64_t p = 0; p < n_kv; ++p) {
          const float* kp = k_at(l, p) + kvh * hd;
          float s = 0;
          for (int64_t d = 0; d < hd; ++d) s += qh[d] * kp[d];
          sc[p] = s * scale;
        }
        softmax(sc, n_kv);
        float* out = attn_.data() + t * Dq + h * hd;
        std::fill(out, out + hd, 0.0f);
        for (int64_t p = 0; p < n_kv; ++p) {
          const float* vp = v_at(l, p) + kvh * hd;
          const float w = sc[p];
          for (int64_t d = 0; d < hd; ++d) out[d] += w * vp[d];
        }
      }
    });
    // Residual 1: x += Wo . attn (xn_ reused as the projection output).
    matmul(L.wo, attn_.data(), Dq, n, xn_.data(), D, pool, ks_);
    for (int64_t i = 0; i < n * D; ++i) x_[static_cast<size_t>(i)] += xn_[static_cast<size_t>(i)];

    for (int64_t t = 0; t < n; ++t) rms_norm(x_.data() + t * D, L.ffn_norm.data(), xn_.data() + t * D, D, eps);
    if (L.gate_up_fusable) {
      const MatmulOut gu[2] = {{&L.gate, gate_.data(), F}, {&L.up, up_.data(), F}};
      matmul_multi(gu, 2, xn_.data(), D, n, pool, ks_);
    } else {
      matmul(L.gate, xn_.data(), D, n, gate_.data(), F, pool, ks_);
      matmul(L.up, xn_.data(), D, n, up_.data(), F, pool, ks_);
    }
    swiglu(gate_.data(), up_.data(), gate_.data(), n * F);
    matmul(L.down, gate_.data(), F, n, xn_.data(), D, pool, ks_);
    for (int64_t i = 0; i < n * D; ++i) x_[static_cast<size_t>(i)] += xn_[static_cast<size_t>(i)];
  }

  n_past_ += n;
  if (logits == nullptr) return {};
  const int64_t first = all_logits ? 0 : n - 1;
  const int64_t n_out = n - first;
  for (int64_t t = first; t < n; ++t)
    rms_norm(x_.data() + t * D, model_.output_norm().data(), xn_.data() + (t - first) * D, D, eps);
  matmul(model_.output(), xn_.data(), D, n_out, logits, hp.n_vocab, pool, ks_);
  return {};
}

}  // namespace hymt
