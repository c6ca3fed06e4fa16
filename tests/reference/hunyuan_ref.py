# Independent NumPy reference of the HunYuan-dense forward pass (hy-mt-spec.md §2), in float64, used to
# check the C++ engine's logits. Written from the spec alone; it shares no code with src/.
# Invariants: hyperparameters come only from the GGUF metadata `hunyuan-dense.*` (head_dim from
# key_length, RoPE base as stored); weights are dequantized exactly (gguf_np) and then widened to
# float64, so the only differences to a correct F32 engine are the engine's own float32 roundings.
# Switches exist only to build deliberately wrong variants (negative controls) and to simulate the
# llama.cpp-style Q8_0 activation quantization.

import numpy as np

import gguf_np

ARCH = "hunyuan-dense"


class HParams:
    def __init__(self, g):
        def need(key):
            full = f"{ARCH}.{key}"
            if full not in g.kv:
                raise gguf_np.GGUFError(f"missing metadata key {full}")
            return g.get(full)

        arch = g.get("general.architecture")
        if arch != ARCH:
            raise gguf_np.GGUFError(f"architecture {arch!r}, expected {ARCH!r}")
        self.n_embd = int(need("embedding_length"))
        self.n_layer = int(need("block_count"))
        self.n_head = int(need("attention.head_count"))
        self.n_head_kv = int(need("attention.head_count_kv"))
        self.n_ff = int(need("feed_forward_length"))
        self.head_dim = int(g.get(f"{ARCH}.attention.key_length", self.n_embd // self.n_head))
        self.eps = float(need("attention.layer_norm_rms_epsilon"))
        # Stored as f32, already alpha-folded (§2.1): use the value exactly as stored, never refold.
        self.freq_base = float(need("rope.freq_base"))
        self.n_vocab = int(g.tensors["token_embd.weight"].ne[1])
        assert self.n_head % self.n_head_kv == 0
        assert self.head_dim % 2 == 0


class Model:
    """Weights as float64 [out, in] matrices plus the raw tensors (for the Q8_0 simulation)."""

    def __init__(self, path):
        self.g = gguf_np.read_gguf(path)
        self.hp = HParams(self.g)
        self._cache = {}

    def has(self, name):
        return name in self.g.tensors

    def w(self, name):
        if name not in self._cache:
            self._cache[name] = self.g.tensor(name).astype(np.float64)
        return self._cache[name]

    def raw(self, name):
        return self.g.tensors[name]


# ---------------------------------------------------------------------------------------------------
# Building blocks


def rms_norm(x, w, eps):
    """y = w * x / sqrt(mean(x^2) + eps) over the last axis."""
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def rope(x, positions, base, style="neox"):
    """x [T, heads, hd]. NeoX rotate-half pairs (i, i + hd/2) with theta_i = pos * base^(-2i/hd).
    style="gptj" pairs (2i, 2i+1) instead; it exists only as a negative control."""
    hd = x.shape[-1]
    half = hd // 2
    inv_freq = base ** (-np.arange(half, dtype=np.float64) * 2.0 / hd)
    ang = np.asarray(positions, dtype=np.float64)[:, None] * inv_freq[None, :]  # [T, half]
    cos = np.cos(ang)[:, None, :]
    sin = np.sin(ang)[:, None, :]
    out = np.empty_like(x)
    if style == "neox":
        x0, x1 = x[..., :half], x[..., half:]
        out[..., :half] = x0 * cos - x1 * sin
        out[..., half:] = x1 * cos + x0 * sin
    elif style == "gptj":
        x0, x1 = x[..., 0::2], x[..., 1::2]
        out[..., 0::2] = x0 * cos - x1 * sin
        out[..., 1::2] = x1 * cos + x0 * sin
    else:
        raise ValueError(style)
    return out


def silu(z):
    return z / (1.0 + np.exp(-z))


def quantize_act_q8_0(x, stats=None):
    """llama.cpp-style per-32 activation quantization (quantize_row_q8_0 semantics), done in float32
    like the engine: d = absmax/127 (float32), stored as fp16; q = round-half-away-from-zero(x * (1/d)).
    Returns (dx float64 [T, nb] = the fp16 scale widened, qx float64 [T, nb, 32] integer-valued).
    With a `stats` dict, records how close this input came to a rounding boundary (see tie_margins)."""
    x32 = np.ascontiguousarray(x, dtype=np.float32)
    T, K = x32.shape
    xb = x32.reshape(T, K // 32, 32)
    amax = np.abs(xb).max(axis=-1)
    d = amax / np.float32(127)
    inv = np.where(d > 0, np.float32(1) / np.where(d > 0, d, np.float32(1)), np.float32(0))
    v = (xb * inv[..., None].astype(np.float32)).astype(np.float32)
    q = np.sign(v) * np.floor(np.abs(v) + np.float32(0.5))
    if stats is not None:
        v_gap, d_gap = tie_margins(v, d)
        stats["v_margin"] = min(stats.get("v_margin", np.inf), v_gap)
        stats["d_margin"] = min(stats.get("d_margin", np.inf), d_gap)
    return d.astype(np.float16).astype(np.float64), q.astype(np.float64)


def tie_margins(v, d):
    """How far this quantization is from flipping under a tiny change of its float32 input:
    v_gap = min distance of |v| to a .5 rounding boundary (in units of q), and d_gap = min relative
    distance of d to an fp16 rounding midpoint. An engine whose activations differ from ours by float32
    rounding can only round differently where these gaps are about as small as that difference."""
    a = np.abs(v.astype(np.float64))
    v_gap = float(np.abs(a - np.floor(a) - 0.5).min()) if a.size else np.inf
    dz = d[d > 0]
    if dz.size == 0:
        return v_gap, np.inf
    d16 = dz.astype(np.float16)
    up = np.nextafter(d16, np.float16(np.inf)).astype(np.float64)
    down = np.nextafter(d16, np.float16(0)).astype(np.float64)
    c = d16.astype(np.float64)
    x = dz.astype(np.float64)
    gap = np.minimum(np.abs(x - (c + up) / 2), np.abs(x - (c + down) / 2)) / x
    return v_gap, float(gap.min())


class Options:
    """Knobs of the reference. Defaults are the spec; the others build wrong variants on purpose."""

    def __init__(self, q8_act=False, qk_norm_after_rope=True, rope_style="neox", gqa="grouped",
                 use_output_weight=True, freq_base=None, skip_qk_norm=False):
        self.q8_act = q8_act  # simulate Q8_0 activation quantization for Q8_0 weights
        self.qk_norm_after_rope = qk_norm_after_rope  # spec: True (norm AFTER RoPE)
        self.rope_style = rope_style  # spec: "neox"
        self.gqa = gqa  # spec: "grouped" (h // group); "modulo" (h % n_kv) is wrong
        self.use_output_weight = use_output_weight  # spec: use output.weight when present
        self.freq_base = freq_base  # None: as stored in the file
        self.skip_qk_norm = skip_qk_norm
        self.stats = {}  # filled by the Q8_0 simulation: v_margin, d_margin (see tie_margins)


def linear(model, x, name, opt):
    """x [T, K] float64 times W^T for W [N, K]. With opt.q8_act and a Q8_0 weight, the product is
    sum over 32-blocks of (integer dot) * d_w * d_x, as a llama.cpp-style Q8_0 x Q8_0 kernel does."""
    t = model.raw(name)
    if opt.q8_act and t.ggml_type == gguf_np.T_Q8_0:
        dw, qw = gguf_np.q8_0_blocks(t)  # [N, nb], [N, nb, 32]
        dx, qx = quantize_act_q8_0(x, opt.stats)  # [T, nb], [T, nb, 32]
        qw = qw.astype(np.float64)
        out = np.zeros((x.shape[0], qw.shape[0]), dtype=np.float64)
        for b in range(qw.shape[1]):
            # Integer dot products are exact in float64 (|sum| <= 32*127*127).
            isum = qx[:, b, :] @ qw[:, b, :].T
            out += isum * (dx[:, b][:, None] * dw[:, b].astype(np.float64)[None, :])
        return out
    return x @ model.w(name).T


def forward(model, ids, opt=None):
    """Logits [T, n_vocab] (float64) for every position of one prompt, positions 0..T-1."""
    opt = opt or Options()
    hp = model.hp
    T = len(ids)
    H, Hkv, hd = hp.n_head, hp.n_head_kv, hp.head_dim
    group = H // Hkv
    base = hp.freq_base if opt.freq_base is None else opt.freq_base
    pos = np.arange(T)
    h = model.w("token_embd.weight")[np.asarray(ids)]  # no sqrt(D) scaling
    mask = np.triu(np.full((T, T), -np.inf), k=1)
    if opt.gqa == "grouped":
        kv_of = [hh // group for hh in range(H)]
    else:
        kv_of = [hh % Hkv for hh in range(H)]
    for layer in range(hp.n_layer):
        p = f"blk.{layer}."
        a = rms_norm(h, model.w(p + "attn_norm.weight"), hp.eps)
        q = linear(model, a, p + "attn_q.weight", opt).reshape(T, H, hd)
        k = linear(model, a, p + "attn_k.weight", opt).reshape(T, Hkv, hd)
        v = linear(model, a, p + "attn_v.weight", opt).reshape(T, Hkv, hd)
        qn, kn = model.w(p + "attn_q_norm.weight"), model.w(p + "attn_k_norm.weight")
        if opt.skip_qk_norm:
            q, k = rope(q, pos, base, opt.rope_style), rope(k, pos, base, opt.rope_style)
        elif opt.qk_norm_after_rope:
            q = rms_norm(rope(q, pos, base, opt.rope_style), qn, hp.eps)
            k = rms_norm(rope(k, pos, base, opt.rope_style), kn, hp.eps)
        else:
            q = rope(rms_norm(q, qn, hp.eps), pos, base, opt.rope_style)
            k = rope(rms_norm(k, kn, hp.eps), pos, base, opt.rope_style)
        o = np.empty((T, H, hd))
        for hh in range(H):
            j = kv_of[hh]
            s = q[:, hh, :] @ k[:, j, :].T / np.sqrt(hd) + mask
            s = np.exp(s - s.max(axis=1, keepdims=True))
            s /= s.sum(axis=1, keepdims=True)
            o[:, hh, :] = s @ v[:, j, :]
        h = h + linear(model, o.reshape(T, H * hd), p + "attn_output.weight", opt)
        b = rms_norm(h, model.w(p + "ffn_norm.weight"), hp.eps)
        gate = linear(model, b, p + "ffn_gate.weight", opt)
        up = linear(model, b, p + "ffn_up.weight", opt)
        h = h + linear(model, silu(gate) * up, p + "ffn_down.weight", opt)
    out = rms_norm(h, model.w("output_norm.weight"), hp.eps)
    head = "output.weight" if (opt.use_output_weight and model.has("output.weight")) else "token_embd.weight"
    return linear(model, out, head, opt)


def rel_l2(a, b):
    """||a - b|| / ||b|| over the whole matrix (b is the reference)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))
