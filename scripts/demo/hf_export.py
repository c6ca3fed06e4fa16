# hf_export.py: writes a Hugging Face-style HunYuan-dense checkpoint folder (config.json,
# generation_config.json, model.safetensors or shards, tokenizer.json, tokenizer_config.json) from
# NumPy arrays, as transformers would save one. config.json takes the real HY-MT1.5-1.8B config's
# field set (shared/data/hy-mt1.5-1.8b-meta) and overrides dimensions and special-token ids; the
# added tokens keep their real strings and flags, shifted to follow the compact vocabulary.
# NumPy only: the converter tests build checkpoints with it without torch.
import copy
import json
import os

import numpy as np

import safetensors_np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
META = os.path.join(REPO, "..", "shared", "data", "hy-mt1.5-1.8b-meta")
HY_FIRST_ADDED = 120000  # id of the first added token in the real vocabulary


def real_meta(name):
    with open(os.path.join(META, name), encoding="utf-8") as f:
        return json.load(f)


def make_config(vocab_size, hidden, layers, heads, kv_heads, head_dim, ff, first_added, rope_theta=10000.0,
                rope_alpha=1000.0, max_pos=262144, eps=1e-5, tie=True):
    """config.json of a HunYuan-dense model: the real file's keys, with these dimensions; the special
    ids are the real ones shifted by (first_added - 120000)."""
    c = copy.deepcopy(real_meta("config.json"))
    shift = first_added - HY_FIRST_ADDED
    c.update({
        "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
        "num_key_value_heads": kv_heads, "head_dim": head_dim, "attention_head_dim": head_dim,
        "intermediate_size": ff, "vocab_size": vocab_size, "org_vocab_size": vocab_size,
        "rms_norm_eps": eps, "rope_theta": rope_theta, "max_position_embeddings": max_pos,
        "tie_word_embeddings": tie, "dtype": "float32",
    })
    c["rope_scaling"] = dict(c["rope_scaling"], alpha=rope_alpha)
    c["dense_list"] = [hidden, 0]
    for k in ("bos_token_id", "eos_token_id", "pad_token_id", "pad_id", "sep_token_id"):
        c[k] = c[k] + shift
    return c


def make_tokenizer_config(first_added):
    """tokenizer_config.json: the real added_tokens_decoder with ids shifted to `first_added`."""
    t = copy.deepcopy(real_meta("tokenizer_config.json"))
    t["added_tokens_decoder"] = {str(int(k) - HY_FIRST_ADDED + first_added): v
                                 for k, v in t["added_tokens_decoder"].items()}
    return t


def hf_tensors(weights, n_layer, tie=True):
    """(HF name, array) in the order transformers saves them; `weights` maps HF names to arrays."""
    order = ["model.embed_tokens.weight"]
    for i in range(n_layer):
        p = "model.layers.%d." % i
        order += [p + "input_layernorm.weight", p + "mlp.down_proj.weight", p + "mlp.gate_proj.weight",
                  p + "mlp.up_proj.weight", p + "post_attention_layernorm.weight", p + "self_attn.k_proj.weight",
                  p + "self_attn.key_layernorm.weight", p + "self_attn.o_proj.weight", p + "self_attn.q_proj.weight",
                  p + "self_attn.query_layernorm.weight", p + "self_attn.v_proj.weight"]
    order.append("model.norm.weight")
    if not tie:
        order.append("lm_head.weight")
    missing = [n for n in order if n not in weights]
    if missing:
        raise ValueError("hf_export: missing weights " + ", ".join(missing[:3]))
    return [(n, weights[n]) for n in order]


def write_checkpoint(folder, config, weights, tokenizer_json, tokenizer_config, dtype="F32", n_shards=1):
    """Writes the folder. tokenizer_json: a dict (written) or a path (copied)."""
    os.makedirs(folder, exist_ok=True)
    tensors = [(n, a, dtype) for n, a in hf_tensors(weights, config["num_hidden_layers"],
                                                      config.get("tie_word_embeddings", True))]
    meta = {"format": "pt"}
    if n_shards == 1:
        safetensors_np.write(os.path.join(folder, "model.safetensors"), tensors, meta)
    else:
        safetensors_np.write_sharded(folder, tensors, n_shards, meta)
    config = dict(config, dtype={"F32": "float32", "F16": "float16", "BF16": "bfloat16"}[dtype])
    dump_json(os.path.join(folder, "config.json"), config)
    gen = {"bos_token_id": config["bos_token_id"], "eos_token_id": config["eos_token_id"],
           "pad_token_id": config["pad_token_id"]}
    dump_json(os.path.join(folder, "generation_config.json"), gen)
    if isinstance(tokenizer_json, str):
        with open(tokenizer_json, encoding="utf-8") as f:
            tokenizer_json = json.load(f)
    dump_json(os.path.join(folder, "tokenizer.json"), tokenizer_json, compact=True)
    dump_json(os.path.join(folder, "tokenizer_config.json"), tokenizer_config)


def dump_json(path, obj, compact=False):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, f, ensure_ascii=False, indent=2)
            f.write("\n")


def byte_level_tokenizer_json(merges=()):
    """A tokenizer.json with the 256 byte tokens, the given merges (pairs of byte-level strings; their
    results are appended to the vocabulary) and the 818 real HY added tokens after them, with the real
    HY pre-tokenizer. Small enough for tests."""
    keep = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    table, n = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + n)
            n += 1
    vocab = [table[b] for b in range(256)]
    for a, b in merges:
        if a + b not in vocab:
            vocab.append(a + b)
    spec = real_meta("tokenizer_json_spec.json")
    added = real_meta("tokenizer_config.json")["added_tokens_decoder"]
    first = len(vocab)
    added_tokens = [{"id": first + int(k) - HY_FIRST_ADDED, "content": v["content"], "single_word": False,
                     "lstrip": False, "rstrip": False, "normalized": v.get("normalized", False),
                     "special": v["special"]} for k, v in sorted(added.items(), key=lambda kv: int(kv[0]))]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added_tokens,
        "normalizer": spec.get("normalizer"), "pre_tokenizer": spec["pre_tokenizer"], "post_processor": None,
        "decoder": spec["decoder"],
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {s: i for i, s in enumerate(vocab)}, "merges": [[a, b] for a, b in merges]},
    }


def random_weights(config, seed=0):
    """Random HF weights of a config (for converter tests): matrices ~ U(-a, a) with variance 1/n_in,
    norms 1 +- 0.25 (so RoPE/QK-norm order matters), embeddings +-0.5."""
    rng = np.random.default_rng(seed)
    D, L = config["hidden_size"], config["num_hidden_layers"]
    H, KV, hd, F, V = (config["num_attention_heads"], config["num_key_value_heads"], config["head_dim"],
                       config["intermediate_size"], config["vocab_size"])

    def lin(o, i):
        a = np.sqrt(3.0 / i)
        return rng.uniform(-a, a, size=(o, i)).astype(np.float32)

    def norm(n):
        return (1.0 + rng.uniform(-0.25, 0.25, size=(n,))).astype(np.float32)

    w = {"model.embed_tokens.weight": rng.uniform(-0.5, 0.5, size=(V, D)).astype(np.float32),
         "model.norm.weight": norm(D)}
    for i in range(L):
        p = "model.layers.%d." % i
        w[p + "input_layernorm.weight"] = norm(D)
        w[p + "post_attention_layernorm.weight"] = norm(D)
        w[p + "self_attn.q_proj.weight"] = lin(H * hd, D)
        w[p + "self_attn.k_proj.weight"] = lin(KV * hd, D)
        w[p + "self_attn.v_proj.weight"] = lin(KV * hd, D)
        w[p + "self_attn.o_proj.weight"] = lin(D, H * hd)
        w[p + "self_attn.query_layernorm.weight"] = norm(hd)
        w[p + "self_attn.key_layernorm.weight"] = norm(hd)
        w[p + "mlp.gate_proj.weight"] = lin(F, D)
        w[p + "mlp.up_proj.weight"] = lin(F, D)
        w[p + "mlp.down_proj.weight"] = lin(D, F)
    if not config.get("tie_word_embeddings", True):
        w["lm_head.weight"] = rng.uniform(-0.5, 0.5, size=(V, D)).astype(np.float32)
    return w
