# model.py: the HunYuan-dense decoder in PyTorch, written from hy-mt-spec.md §2 for training the demo
# model: RMSNorm, GQA attention with NeoX rotate-half RoPE over the full head followed by a per-head
# QK RMSNorm (after RoPE), scale 1/sqrt(head_dim), SwiGLU MLP, tied embeddings, no biases. Parameter
# names are the Hugging Face ones (model.layers.N.self_attn.q_proj.weight ...), so state_dict()
# is the safetensors checkpoint. Everything runs in float32.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, vocab_size, hidden_size=512, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=1, head_dim=128, intermediate_size=512, rms_norm_eps=1e-5,
                 rope_theta=10000.0, rope_alpha=1000.0):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads
        self.head_dim = head_dim
        self.intermediate_size = intermediate_size
        self.rms_norm_eps = rms_norm_eps
        self.rope_theta = rope_theta
        self.rope_alpha = rope_alpha

    def rope_base(self):
        """Dynamic-alpha base, folded as HF HunYuanDenseV1RotaryEmbedding does (spec §2.1)."""
        hd = self.head_dim
        return self.rope_theta * self.rope_alpha ** (hd / (hd - 2))


class RMSNorm(nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(cfg, n_pos):
    hd = cfg.head_dim
    inv_freq = 1.0 / (cfg.rope_base() ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    ang = torch.arange(n_pos, dtype=torch.float64)[:, None] * inv_freq[None, :]
    ang = torch.cat([ang, ang], dim=-1)  # [T, hd]: pairs (i, i + hd/2) share an angle
    return ang.cos(), ang.sin()  # float64; cast to the activation dtype at use


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, hd = cfg.hidden_size, cfg.head_dim
        self.n_head, self.n_kv, self.hd = cfg.num_attention_heads, cfg.num_key_value_heads, hd
        self.q_proj = nn.Linear(d, self.n_head * hd, bias=False)
        self.k_proj = nn.Linear(d, self.n_kv * hd, bias=False)
        self.v_proj = nn.Linear(d, self.n_kv * hd, bias=False)
        self.o_proj = nn.Linear(self.n_head * hd, d, bias=False)
        self.query_layernorm = RMSNorm(hd, cfg.rms_norm_eps)
        self.key_layernorm = RMSNorm(hd, cfg.rms_norm_eps)

    def forward(self, x, cos, sin, mask):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.n_head, self.hd).transpose(1, 2)  # [B, H, T, hd]
        k = self.k_proj(x).view(B, T, self.n_kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.n_kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin  # RoPE first ...
        k = k * cos + rotate_half(k) * sin
        q = self.query_layernorm(q)  # ... then the per-head QK norm (spec §2: AFTER RoPE)
        k = self.key_layernorm(k)
        g = self.n_head // self.n_kv  # query head h uses KV head h // g (HF repeat_kv order)
        k = k.repeat_interleave(g, dim=1)
        v = v.repeat_interleave(g, dim=1)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd)) + mask
        o = F.softmax(att, dim=-1) @ v
        return self.o_proj(o.transpose(1, 2).reshape(B, T, self.n_head * self.hd))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, f = cfg.hidden_size, cfg.intermediate_size
        self.gate_proj = nn.Linear(d, f, bias=False)
        self.up_proj = nn.Linear(d, f, bias=False)
        self.down_proj = nn.Linear(f, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class Inner(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([Layer(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


class HunYuanDense(nn.Module):
    """model.* parameters as in HF; the LM head is the embedding matrix (tied, no lm_head tensor)."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = Inner(cfg)
        self._rope = None

    def init_weights(self, generator):
        std = 0.02
        for name, p in self.named_parameters():
            if name.endswith("layernorm.weight") or name.endswith("norm.weight"):
                nn.init.ones_(p)
            elif name.endswith("o_proj.weight") or name.endswith("down_proj.weight"):
                with torch.no_grad():  # residual branches start small (GPT-2 style)
                    p.normal_(0.0, std / math.sqrt(2 * self.cfg.num_hidden_layers), generator=generator)
            else:
                with torch.no_grad():
                    p.normal_(0.0, std, generator=generator)

    def hidden(self, ids):
        """Final normed hidden states [B, T, D], positions 0..T-1 in every row. Right padding needs
        no mask: the causal mask already hides later (padding) keys from every real position."""
        B, T = ids.shape
        if self._rope is None or self._rope[0].shape[0] < T:
            self._rope = rope_tables(self.cfg, max(T, 512))
        x = self.model.embed_tokens(ids)
        cos, sin = self._rope[0][:T].to(x.dtype), self._rope[1][:T].to(x.dtype)
        mask = torch.full((T, T), float("-inf"), dtype=x.dtype).triu(1)[None, None]
        for layer in self.model.layers:
            x = layer(x, cos, sin, mask)
        return self.model.norm(x)

    def logits(self, h):
        return h @ self.model.embed_tokens.weight.T

    def forward(self, ids):
        return self.logits(self.hidden(ids))
