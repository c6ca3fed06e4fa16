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
      pool_(std::make_unique<KvPool>(model.hparams().n_layer, model.hparams().n_embd_kv(), kv,
                                     kv_blocks_for(std::max<int64_t>(n_ctx, 0)))),
      seq_(*pool_, n_ctx) {}

Status Session::forward(const int32_t* tokens, int64_t n, ThreadPool& pool, float* logits, bool all_logits) {
  const SeqBatch one{&seq_, tokens, n, logits == nullptr ? 0 : (all_logits ? n : 1)};
  return forward_batch(model_, &one, 1, pool, scratch_, logits);
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

Status check_batch(const Model& model, const SeqBatch* seqs, int n_seq) {
  if (n_seq <= 0) return invalid_argument("no sequences to evaluate");
  const HParams& hp = model.hparams();
  for (int i = 0; i < n_seq; ++i) {
    const KvSequence& s = *seqs[i].kv;
    if (s.pool().n_layer() != hp.n_layer || s.pool().kv_dim() != hp.n_embd_kv())
      return invalid_argument("a KV pool of another model's shape in the batch");
    for (int j = 0; j < i; ++j)
      if (seqs[j].kv == seqs[i].kv) return invalid_argument("a sequence appears twice in one batch");
    if (seqs[i].n <= 0) return invalid_argument("no tokens to evaluate");
    if (seqs[i].n_logits < 0 || seqs[i].n_logits > seqs[i].n)
      return invalid_argument("n_logits " + std::to_string(seqs[i].n_logits) + " outside [0, " +
                              std::to_string(seqs[i].n) + "]");
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

Status forward_batch(const Model& model, const SeqBatch* seqs, int n_seq, ThreadPool& pool, ForwardScratch& sc,
                     float* logits) {
  HYMT_RETURN_IF_ERROR(check_batch(model, seqs, n_seq));
  int64_t n_out = 0;
  for (int i = 0; i < n_seq; ++i) n_out += seqs[i].n_logits;
  if (n_out > 0 && logits == nullptr) return invalid_argument("logits requested without an output buffer");
  // Blocks for the new positions (copy-on-write of a shared one) before any work, on this thread.
  for (int i = 0; i < n_seq; ++i) HYMT_RETURN_IF_ERROR(seqs[i].kv->prepare(seqs[i].n));
  const HParams& hp = model.hparams();
  const int64_t D = hp.n_embd, hd = hp.head_dim, H = hp.n_head, Hkv = hp.n_head_kv;
  const int64_t Dq = hp.n_embd_q(), Dkv = hp.n_embd_kv(), F = hp.n_ff;
  const int64_t group = H / Hkv;  // query head h reads KV head h / group (HF repeat_kv order)
  const float eps = hp.rms_eps;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const float* inv_freq = model.rope_inv_freq().data();
  const KvType kv_type = seqs[0].kv->pool().kv_type();
  for (int i = 1; i < n_seq; ++i)
    if (seqs[i].kv->pool().kv_type() != kv_type) return invalid_argument("a batch mixes KV cache types");
  const int64_t kv_es = static_cast<int64_t>(kv_type_size(kv_type));

  int64_t n = 0, max_ctx = 0;
  for (int i = 0; i < n_seq; ++i) n += seqs[i].n, max_ctx = std::max(max_ctx, seqs[i].kv->n_ctx());
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
  // Per thread: the value-block pointers of the (sequence, layer, KV head) a task reads.
  const int64_t ptrs_per_thread = kv_blocks_for(max_ctx);
  if (sc.kv_ptrs.size() < static_cast<size_t>(pool.n_threads() * ptrs_per_thread))
    sc.kv_ptrs.resize(static_cast<size_t>(pool.n_threads() * ptrs_per_thread));
  grow(sc.rope, n * hd);
  sc.pos.resize(static_cast<size_t>(n));
  sc.seq.resize(static_cast<size_t>(n));
  {
    int64_t t = 0;
    for (int i = 0; i < n_seq; ++i)
      for (int64_t j = 0; j < seqs[i].n; ++j, ++t) {
        sc.pos[static_cast<size_t>(t)] = seqs[i].kv->n_past() + j;
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
      KvSequence& s = *seqs[sc.seq[static_cast<size_t>(t)]].kv;
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
      store_kv(k + t * Dkv, s.k_row(l, pos), Dkv, kv_type);
      store_kv(v + t * Dkv, s.v_row(l, pos), Dkv, kv_type);
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
            KvSequence& s = *seqs[sc.seq[static_cast<size_t>(t0)]].kv;
            KvPool& kvp = s.pool();
            const int64_t n_kv = sc.pos[static_cast<size_t>(t0 + nt - 1)] + 1;
            for (int64_t j = 0; j < nt; ++j)
              std::memcpy(qbuf + j * group * hd, q + (t0 + j) * Dq + kvh * group * hd,
                          static_cast<size_t>(group * hd) * sizeof(float));
            // The cache block by block: scores are per position (one call per block), and the
            // value sums run over the positions of every block in order (one call with the
            // blocks' pointers), so the result is that of one contiguous cache.
            const int64_t head_off = kvh * hd * kv_es;
            for (int64_t p0 = 0; p0 < n_kv; p0 += kKvBlockTokens) {
              const int32_t blk = s.blocks()[static_cast<size_t>(p0 / kKvBlockTokens)];
              attn_scores(kv_type, qbuf, hd, static_cast<int>(rows), kvp.k(blk, l) + head_off, Dkv,
                          std::min(kKvBlockTokens, n_kv - p0), hd, scale, srow + p0, max_ctx);
            }
            for (int64_t r = 0; r < rows; ++r) {
              const int64_t own = sc.pos[static_cast<size_t>(t0 + r / group)] + 1;
              float* sr = srow + r * max_ctx;
              softmax(sr, own);
              std::fill(sr + own, sr + n_kv, 0.0f);
            }
            const void** vb = sc.kv_ptrs.data() + static_cast<int64_t>(thread) * ptrs_per_thread;
            for (int64_t bi = 0; bi < kv_blocks_for(n_kv); ++bi)
              vb[bi] = kvp.v(s.blocks()[static_cast<size_t>(bi)], l) + head_off;
            attn_values(kv_type, srow, max_ctx, static_cast<int>(rows), vb, kKvBlockTokens, Dkv, n_kv, hd, obuf, hd);
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

  for (int i = 0; i < n_seq; ++i) seqs[i].kv->advance(seqs[i].n);
  if (n_out == 0) return {};
  // Rows that need logits (each sequence's last n_logits tokens), normalised into xn in output order.
  {
    int64_t t0 = 0, o = 0;
    for (int i = 0; i < n_seq; ++i) {
      for (int64_t t = t0 + seqs[i].n - seqs[i].n_logits; t < t0 + seqs[i].n; ++t, ++o)
        rms_norm(x + t * D, model.output_norm().data(), xn + o * D, D, eps);
      t0 += seqs[i].n;
    }
  }
  matmul(model.output(), xn, D, n_out, logits, hp.n_vocab, pool, sc.ks);
  return {};
}

}  // namespace hymt
