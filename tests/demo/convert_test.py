#!/usr/bin/env python3
"""`hymt convert` tests: Hugging Face checkpoints built here (NumPy arrays written by
scripts/demo/safetensors_np.py, the real HY-MT1.5 config/tokenizer_config fields) are converted and
checked with the independent GGUF reader of tests/reference, and against a NumPy forward pass computed
from the Hugging Face arrays themselves (so the name table, the [out, in] -> ne order and the RoPE
alpha folding are all checked end to end). The error cases build broken files and configs and
require a clear message, exit code 3 (4 for an unwritable output) and no output file.

Usage: convert_test.py --hymt PATH --tmp DIR CASE   (CASE: roundtrip | safetensors_errors | config_errors)
"""
import argparse
import copy
import json
import os
import shutil
import struct
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "demo"))
sys.path.insert(0, os.path.join(REPO, "tests", "reference"))
sys.path.insert(0, os.path.join(REPO, "tests"))
import requires  # noqa: E402
import gguf_np  # noqa: E402
import hf_export  # noqa: E402
import hunyuan_ref  # noqa: E402
import safetensors_np as stn  # noqa: E402

HYMT = None
FAILS = []

# A small model: every dimension differs from the others so that a transposed or mislabelled tensor
# is caught by the shape checks and by the forward pass.
DIMS = dict(hidden=128, layers=2, heads=4, kv_heads=2, head_dim=32, ff=192)
MERGES = [("Ġ", "t"), ("h", "e"), ("Ġt", "he")]


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL: " + msg, file=sys.stderr)
    return cond


def run(args, expect=0):
    p = subprocess.run([HYMT] + args, capture_output=True, text=True)
    if p.returncode != expect:
        raise SystemExit("FAIL: hymt %s exited %d, expected %d\nstdout: %s\nstderr: %s"
                         % (" ".join(args), p.returncode, expect, p.stdout, p.stderr))
    return p


def base_checkpoint():
    tj = hf_export.byte_level_tokenizer_json(MERGES)
    n = len(tj["model"]["vocab"])
    cfg = hf_export.make_config(n + 818, DIMS["hidden"], DIMS["layers"], DIMS["heads"], DIMS["kv_heads"],
                                DIMS["head_dim"], DIMS["ff"], n)
    return cfg, hf_export.random_weights(cfg, seed=7), tj, hf_export.make_tokenizer_config(n)


def write(folder, cfg, w, tj, tc, dtype="F32", shards=1):
    shutil.rmtree(folder, ignore_errors=True)
    hf_export.write_checkpoint(folder, cfg, w, tj, tc, dtype=dtype, n_shards=shards)


def rounded(a, dtype):
    if dtype == "F16":
        return a.astype(np.float16).astype(np.float32)
    if dtype == "BF16":
        return stn.from_bf16_bits(stn.to_bf16_bits(a))
    return a


GGUF_NAMES = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
              "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
              "self_attn.query_layernorm": "attn_q_norm", "self_attn.key_layernorm": "attn_k_norm",
              "post_attention_layernorm": "ffn_norm", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
              "mlp.down_proj": "ffn_down"}


def gguf_name(hf):
    if hf == "model.embed_tokens.weight":
        return "token_embd.weight"
    if hf == "model.norm.weight":
        return "output_norm.weight"
    if hf == "lm_head.weight":
        return "output.weight"
    parts = hf.split(".")
    return "blk.%s.%s.weight" % (parts[2], GGUF_NAMES[".".join(parts[3:-1])])


def hf_forward(cfg, w, ids):
    """NumPy float64 forward pass straight from the HF arrays and config.json (spec §2)."""
    D, H, KV, hd = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    eps = cfg["rms_norm_eps"]
    base = np.float32(cfg["rope_theta"] * cfg["rope_scaling"]["alpha"] ** (hd / (hd - 2)))  # as GGUF stores it
    W = {k: v.astype(np.float64) for k, v in w.items()}
    T = len(ids)
    pos = np.arange(T)
    x = W["model.embed_tokens.weight"][ids]
    mask = np.triu(np.full((T, T), -np.inf), k=1)
    for i in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % i
        a = hunyuan_ref.rms_norm(x, W[p + "input_layernorm.weight"], eps)
        q = (a @ W[p + "self_attn.q_proj.weight"].T).reshape(T, H, hd)
        k = (a @ W[p + "self_attn.k_proj.weight"].T).reshape(T, KV, hd)
        v = (a @ W[p + "self_attn.v_proj.weight"].T).reshape(T, KV, hd)
        q = hunyuan_ref.rms_norm(hunyuan_ref.rope(q, pos, float(base)), W[p + "self_attn.query_layernorm.weight"], eps)
        k = hunyuan_ref.rms_norm(hunyuan_ref.rope(k, pos, float(base)), W[p + "self_attn.key_layernorm.weight"], eps)
        o = np.empty((T, H, hd))
        for h in range(H):
            j = h // (H // KV)
            s = q[:, h] @ k[:, j].T / np.sqrt(hd) + mask
            s = np.exp(s - s.max(axis=1, keepdims=True))
            o[:, h] = (s / s.sum(axis=1, keepdims=True)) @ v[:, j]
        x = x + o.reshape(T, H * hd) @ W[p + "self_attn.o_proj.weight"].T
        b = hunyuan_ref.rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        x = x + (hunyuan_ref.silu(b @ W[p + "mlp.gate_proj.weight"].T) * (b @ W[p + "mlp.up_proj.weight"].T)) @ \
            W[p + "mlp.down_proj.weight"].T
    out = hunyuan_ref.rms_norm(x, W["model.norm.weight"], eps)
    head = W["lm_head.weight"] if not cfg.get("tie_word_embeddings", True) else W["model.embed_tokens.weight"]
    return out @ head.T


def engine_logits(gguf, ids, tmp):
    out = os.path.join(tmp, "logits.bin")
    run(["logits", "--model", gguf, "--ids", ",".join(map(str, ids)), "--output", out])
    return np.fromfile(out, dtype="<f4").reshape(len(ids), -1)


def check_gguf(path, cfg, w, tj, dtype, label):
    g = gguf_np.read_gguf(path)
    hd = cfg["head_dim"]
    want_base = np.float32(10000.0 * 1000.0 ** (hd / (hd - 2)))
    check(g.get("general.architecture") == "hunyuan-dense", label + ": architecture")
    check(np.float32(g.get("hunyuan-dense.rope.freq_base")) == want_base,
          "%s: rope base %r, expected theta*alpha^(hd/(hd-2)) = %r" % (label, g.get("hunyuan-dense.rope.freq_base"), want_base))
    check(g.get("hunyuan-dense.rope.scaling.type") == "none", label + ": scaling type none")
    for key, want in [("block_count", cfg["num_hidden_layers"]), ("embedding_length", cfg["hidden_size"]),
                      ("feed_forward_length", cfg["intermediate_size"]), ("attention.head_count", cfg["num_attention_heads"]),
                      ("attention.head_count_kv", cfg["num_key_value_heads"]), ("attention.key_length", hd),
                      ("context_length", cfg["max_position_embeddings"])]:
        check(g.get("hunyuan-dense." + key) == want, "%s: %s = %r, expected %r" % (label, key, g.get("hunyuan-dense." + key), want))
    check(abs(g.get("hunyuan-dense.attention.layer_norm_rms_epsilon") - 1e-5) < 1e-12, label + ": eps")
    # Tokenizer keys.
    tokens = list(g.get("tokenizer.ggml.tokens"))
    types = [int(x) for x in g.get("tokenizer.ggml.token_type")]
    vocab = tj["model"]["vocab"]
    check(len(tokens) == cfg["vocab_size"], label + ": %d tokens" % len(tokens))
    check(all(tokens[i] == s and types[i] == 1 for s, i in vocab.items()), label + ": ordinary tokens and types")
    for t in tj["added_tokens"]:
        want_type = 3 if t["special"] else 4
        check(tokens[t["id"]] == t["content"] and types[t["id"]] == want_type,
              "%s: added token %d %r type %d" % (label, t["id"], t["content"], types[t["id"]]))
    check(list(g.get("tokenizer.ggml.merges")) == ["%s %s" % m for m in MERGES], label + ": merges")
    check(g.get("tokenizer.ggml.model") == "gpt2" and g.get("tokenizer.ggml.pre") == "hunyuan-dense", label + ": model/pre")
    for key, cfg_key in [("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id"), ("padding_token_id", "pad_token_id")]:
        check(g.get("tokenizer.ggml." + key) == cfg[cfg_key], "%s: %s" % (label, key))
    first = len(vocab)
    check(tokens[cfg["bos_token_id"]] == "<｜hy_begin▁of▁sentence｜>" and
          tokens[cfg["eos_token_id"]] == "<｜hy_place▁holder▁no▁2｜>" and cfg["bos_token_id"] == first,
          label + ": BOS/EOS strings")
    # Tensors: names, GGUF shapes (ne0 = in_features), values.
    tie = cfg.get("tie_word_embeddings", True)
    want_names = {gguf_name(n) for n in w if tie is False or n != "lm_head.weight"}
    check(set(g.tensors) == want_names, "%s: tensor names %s" % (label, sorted(set(g.tensors) ^ want_names)))
    for hf, arr in w.items():
        if tie and hf == "lm_head.weight":
            continue
        t = g.tensors[gguf_name(hf)]
        check(list(t.ne) == list(arr.shape[::-1]), "%s: %s ne %s" % (label, hf, t.ne))
        if t.ggml_type in (gguf_np.T_F32, gguf_np.T_F16, gguf_np.T_BF16):
            want = rounded(arr, dtype)  # what the checkpoint holds, widened exactly
            if arr.ndim == 1:
                check(t.ggml_type == gguf_np.T_F32, "%s: %s is F32" % (label, hf))
            got = g.tensor(gguf_name(hf))
            check(np.array_equal(got, want.reshape(got.shape)), "%s: %s values" % (label, hf))
    return g


def case_roundtrip(tmp):
    cfg, w, tj, tc = base_checkpoint()
    ids = [cfg["bos_token_id"], cfg["bos_token_id"] + 6, 5, 70, 300, 1000, 17, 260, cfg["bos_token_id"] + 7, 44]
    for dtype, shards, conv_type, want_type in [("F32", 1, None, gguf_np.T_F32), ("BF16", 3, None, gguf_np.T_BF16),
                                                ("F16", 2, "F32", gguf_np.T_F32), ("F16", 1, None, gguf_np.T_F16)]:
        label = "%s x%d -> %s" % (dtype, shards, conv_type or "auto")
        d = os.path.join(tmp, "ckpt_%s_%d" % (dtype, shards))
        write(d, cfg, w, tj, tc, dtype=dtype, shards=shards)
        out = os.path.join(tmp, "out.gguf")
        run(["convert", d, out] + (["--type", conv_type] if conv_type else []))
        g = check_gguf(out, cfg, w, tj, dtype, label)
        check(g.tensors["blk.0.attn_q.weight"].ggml_type == want_type, label + ": matrix type")
        # Forward pass against the HF-side NumPy reference (weights as the checkpoint holds them).
        wr = {k: rounded(v, dtype) for k, v in w.items()}
        ref = hf_forward(cfg, wr, ids)
        got = engine_logits(out, ids, tmp)
        err = hunyuan_ref.rel_l2(got, ref)
        check(err < 1e-4, "%s: logits rel L2 %.3g vs the HF-side reference" % (label, err))
        print("%s: ok, logits rel L2 %.2e" % (label, err))

    # transformers 5 style: rope_parameters instead of rope_theta + rope_scaling; same folded base.
    d = os.path.join(tmp, "ckpt_v5")
    c5 = copy.deepcopy(cfg)
    del c5["rope_theta"]
    del c5["rope_scaling"]
    c5["rope_parameters"] = {"rope_type": "dynamic", "rope_theta": 10000.0, "alpha": 1000.0, "factor": 1.0}
    write(d, c5, w, tj, tc)
    run(["convert", d, os.path.join(tmp, "v5.gguf")])
    check_gguf(os.path.join(tmp, "v5.gguf"), cfg, w, tj, "F32", "rope_parameters")

    # Tied with a stored lm_head.weight (ignored), untied (becomes output.weight), inv_freq buffers ignored.
    d = os.path.join(tmp, "ckpt_head")
    w2 = dict(w, **{"lm_head.weight": np.full_like(w["model.embed_tokens.weight"], 0.25)})
    write(d, cfg, w, tj, tc)
    stn.write(os.path.join(d, "model.safetensors"),
              [(n, a, "F32") for n, a in hf_export.hf_tensors(w2, cfg["num_hidden_layers"], tie=False)] +
              [("model.layers.0.self_attn.rotary_emb.inv_freq", np.ones(16, np.float32), "F32")])
    run(["convert", d, os.path.join(tmp, "tied.gguf")])
    g = gguf_np.read_gguf(os.path.join(tmp, "tied.gguf"))
    check("output.weight" not in g.tensors, "tied: lm_head.weight ignored")
    cu = dict(cfg, tie_word_embeddings=False)
    rng = np.random.default_rng(3)
    w3 = dict(w, **{"lm_head.weight": rng.uniform(-0.5, 0.5, w["model.embed_tokens.weight"].shape).astype(np.float32)})
    write(d, cu, w3, tj, tc)
    run(["convert", d, os.path.join(tmp, "untied.gguf")])
    check_gguf(os.path.join(tmp, "untied.gguf"), cu, w3, tj, "F32", "untied")
    err = hunyuan_ref.rel_l2(engine_logits(os.path.join(tmp, "untied.gguf"), ids, tmp), hf_forward(cu, w3, ids))
    check(err < 1e-4, "untied: logits rel L2 %.3g" % err)

    # A quantized conversion follows the `hymt quantize` policy: Q8_0 matrices, F32 norms.
    d = os.path.join(tmp, "ckpt_F32_1")
    run(["convert", d, os.path.join(tmp, "q8.gguf"), "--type", "Q8_0"])
    g = gguf_np.read_gguf(os.path.join(tmp, "q8.gguf"))
    check(g.tensors["blk.1.ffn_down.weight"].ggml_type == gguf_np.T_Q8_0, "Q8_0 matrices")
    check(g.tensors["blk.1.ffn_norm.weight"].ggml_type == gguf_np.T_F32, "Q8_0: norms stay F32")
    err = hunyuan_ref.rel_l2(engine_logits(os.path.join(tmp, "q8.gguf"), ids, tmp), hf_forward(cfg, w, ids))
    check(err < 0.02, "Q8_0 conversion: logits rel L2 %.3g (8-bit weights)" % err)

    # Vocabulary gaps (vocab_size above the tokenizer's ids) become unused [PADn] tokens.
    d = os.path.join(tmp, "ckpt_gap")
    cg = dict(cfg, vocab_size=cfg["vocab_size"] + 3)
    wg = dict(w, **{"model.embed_tokens.weight": np.concatenate([w["model.embed_tokens.weight"],
                                                                 np.zeros((3, DIMS["hidden"]), np.float32)])})
    write(d, cg, wg, tj, tc)
    run(["convert", d, os.path.join(tmp, "gap.gguf")])
    g = gguf_np.read_gguf(os.path.join(tmp, "gap.gguf"))
    n = cg["vocab_size"]
    check(list(g.get("tokenizer.ggml.tokens"))[n - 1] == "[PAD%d]" % (n - 1) and
          int(g.get("tokenizer.ggml.token_type")[n - 1]) == 5, "vocabulary gap -> [PADn], type unused")


def expect_fail(args_dir, out, needle, code=3, label=""):
    p = subprocess.run([HYMT, "convert", args_dir, out], capture_output=True, text=True)
    ok = check(p.returncode == code, "%s: exit %d, expected %d (stderr: %s)" % (label, p.returncode, code, p.stderr.strip()))
    ok = check(needle in p.stderr, "%s: message %r lacks %r" % (label, p.stderr.strip(), needle)) and ok
    ok = check(not os.path.exists(out), "%s: an output file was left behind" % label) and ok
    folder = os.path.dirname(out) or "."
    leftovers = [f for f in os.listdir(folder) if f.startswith(os.path.basename(out))] if os.path.isdir(folder) else []
    ok = check(not leftovers, "%s: temporary files left: %s" % (label, leftovers)) and ok
    if ok:
        print("%s: refused: %s" % (label, p.stderr.strip()))


def case_safetensors_errors(tmp):
    cfg, w, tj, tc = base_checkpoint()
    d = os.path.join(tmp, "bad")
    write(d, cfg, w, tj, tc)
    st = os.path.join(d, "model.safetensors")
    good = open(st, "rb").read()
    out = os.path.join(tmp, "out", "x.gguf")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tensors = [(n, a, "F32") for n, a in hf_export.hf_tensors(w, cfg["num_hidden_layers"])]
    (n_hdr,) = struct.unpack("<Q", good[:8])
    header = json.loads(good[8:8 + n_hdr])
    data = good[8 + n_hdr:]
    first = "model.embed_tokens.weight"
    second = "model.layers.0.input_layernorm.weight"

    def hdr_with(fn):
        h = copy.deepcopy(header)
        fn(h)
        return h

    def shift(h, name, delta):
        h[name]["data_offsets"] = [h[name]["data_offsets"][0] + delta, h[name]["data_offsets"][1] + delta]

    cases = [
        ("short file", good[:5], "too short"),
        ("header length 0", struct.pack("<Q", 0) + good[8:], "header length is 0"),
        ("header past end", struct.pack("<Q", len(good)) + good[8:], "runs past the end of the file"),
        ("huge header length", struct.pack("<Q", 1 << 40) + good[8:], "exceeds"),
        ("not '{'", stn.encode_raw(None, data, header_text=" " + json.dumps(header)), "does not start with '{'"),
        ("bad JSON", stn.encode_raw(None, data, header_text=json.dumps(header)[:-1] + ",}"), "not valid JSON"),
        ("invalid UTF-8", good[:8 + 2] + b"\xff" + good[8 + 3:], "not valid JSON"),
        ("duplicate name", stn.encode_raw(None, data, header_text=json.dumps(header)[:-1] + ',"' + first + '":' +
                                          json.dumps(header[first]) + "}"), "twice"),
        ("unknown dtype", stn.encode_raw(hdr_with(lambda h: h[second].update(dtype="Q4")), data), "unknown dtype 'Q4'"),
        ("missing dtype", stn.encode_raw(hdr_with(lambda h: h[second].pop("dtype")), data), "missing or non-string dtype"),
        ("unknown field", stn.encode_raw(hdr_with(lambda h: h[second].update(extra=1)), data), "unknown field 'extra'"),
        ("negative dim", stn.encode_raw(hdr_with(lambda h: h[second].update(shape=[-128])), data), "non-negative"),
        ("float dim", stn.encode_raw(hdr_with(lambda h: h[second].update(shape=[128.0])), data), "non-negative"),
        ("shape vs bytes", stn.encode_raw(hdr_with(lambda h: h[second].update(shape=[64])), data), "needs 256 bytes"),
        ("dtype vs bytes", stn.encode_raw(hdr_with(lambda h: h[second].update(dtype="F16")), data), "needs 256 bytes"),
        ("offsets reversed", stn.encode_raw(hdr_with(lambda h: h[second].update(
            data_offsets=h[second]["data_offsets"][::-1])), data), "end before they begin"),
        ("offsets not pair", stn.encode_raw(hdr_with(lambda h: h[second].update(data_offsets=[0])), data),
         "two non-negative integers"),
        ("past data end", stn.encode_raw(hdr_with(lambda h: shift(h, first, len(data))), data), "past the data section"),
        ("overlap", stn.encode_raw(hdr_with(lambda h: shift(h, second, -4)), data), "overlaps"),
        ("gap", stn.encode_raw(hdr_with(lambda h: shift(h, first, 4)), data + b"\0" * 4), "unused bytes"),
        ("trailing bytes", good + b"\0" * 8, "data section has"),
        ("metadata not strings", stn.encode_raw(hdr_with(lambda h: h.update(__metadata__={"format": 1})), data),
         "is not a string"),
        ("truncated data", good[:-100], "past the data section"),
        ("not an object", stn.encode_raw(None, data, header_text="{\"a\": 1}"), "entry is not an object"),
    ]
    for label, blob, needle in cases:
        with open(st, "wb") as f:
            f.write(blob)
        expect_fail(d, out, needle, label="safetensors: " + label)

    # A valid file whose weight dtype cannot be converted.
    stn.write(st, [(n, (a * 100).astype(np.int64) if n == second else a, "I64" if n == second else "F32")
                   for n, a, _ in tensors])
    expect_fail(d, out, "only F32, F16 and BF16", label="safetensors: I64 weight")

    # Sharded checkpoints.
    write(d, cfg, w, tj, tc, shards=2)
    idx = os.path.join(d, "model.safetensors.index.json")
    index = json.load(open(idx))
    shard1 = sorted(set(index["weight_map"].values()))[0]

    def with_index(mutate, label, needle):
        i2 = copy.deepcopy(index)
        mutate(i2)
        json.dump(i2, open(idx, "w"))
        expect_fail(d, out, needle, label="index: " + label)
        json.dump(index, open(idx, "w"))

    with_index(lambda i: i["weight_map"].update({second: "missing.safetensors"}), "missing shard", "missing.safetensors")
    with_index(lambda i: i["weight_map"].update({"model.extra.weight": shard1}), "tensor not in shard", "missing from shard")
    with_index(lambda i: i["weight_map"].pop(second), "tensor not in index", "not in the index")
    with_index(lambda i: i["weight_map"].update({second: "../x.safetensors"}), "path escape", "not a plain file name")
    elsewhere = [s for s in sorted(set(index["weight_map"].values())) if s != index["weight_map"][first]][0]
    with_index(lambda i: i["weight_map"].update({first: elsewhere}), "wrong shard", "the index says")
    with_index(lambda i: i.update(weight_map=[]), "no weight_map", "no weight_map")
    os.remove(idx)
    expect_fail(d, out, "neither model.safetensors nor", label="no weights")


def case_config_errors(tmp):
    cfg, w, tj, tc = base_checkpoint()
    d = os.path.join(tmp, "cfg")
    out = os.path.join(tmp, "out", "x.gguf")
    os.makedirs(os.path.dirname(out), exist_ok=True)

    def with_config(mutate, needle, label, weights=None, tok=None, tcfg=None):
        c = copy.deepcopy(cfg)
        mutate(c)
        write(d, cfg, weights or w, tok or tj, tcfg or tc)
        hf_export.dump_json(os.path.join(d, "config.json"), c)
        expect_fail(d, out, needle, label="config: " + label)

    def setk(**kv):
        return lambda c: c.update(kv)

    def delk(k):
        return lambda c: c.pop(k)

    with_config(setk(model_type="llama", architectures=["LlamaForCausalLM"]), "is not HunYuan dense", "llama")
    with_config(delk("hidden_size"), "missing 'hidden_size'", "no hidden_size")
    with_config(setk(hidden_size="128"), "must be an integer", "string hidden_size")
    with_config(setk(num_key_value_heads=3), "not a multiple of num_key_value_heads", "GQA groups")
    with_config(setk(head_dim=64), "head_dim 64 and attention_head_dim 32 differ", "head_dim conflict")
    with_config(setk(head_dim=33, attention_head_dim=33), "must be even", "odd head_dim")
    with_config(setk(use_qk_norm=False), "use_qk_norm is false", "no QK norm")
    with_config(setk(attention_bias=True), "attention_bias is true", "biases")
    with_config(setk(use_cla=True), "use_cla is true", "cross-layer attention")
    with_config(setk(hidden_act="gelu"), "hidden_act 'gelu'", "activation")
    with_config(lambda c: c["rope_scaling"].update(type="yarn"), "type 'yarn' is not supported", "yarn")
    with_config(lambda c: c["rope_scaling"].update(type="default"), "only 'dynamic' uses alpha", "alpha with default")
    with_config(lambda c: c["rope_scaling"].pop("alpha"), "without alpha", "dynamic without alpha")
    with_config(lambda c: c.update(rope_parameters={"rope_type": "dynamic", "rope_theta": 500000.0, "alpha": 1000.0}),
                "differ", "rope_theta conflict")
    with_config(setk(rope_scaling=[1, 2]), "is not an object", "rope_scaling list")
    with_config(setk(intermediate_size=256), "implies [256, 128]", "ffn shape vs config")
    with_config(setk(num_attention_heads=2, num_key_value_heads=1), "implies [64, 128]", "q shape vs config")
    with_config(setk(num_hidden_layers=3), "no tensor 'model.layers.2.input_layernorm.weight'", "missing layer")
    with_config(setk(num_hidden_layers=1), "has no place", "extra layer")
    with_config(setk(tie_word_embeddings=False), "no lm_head.weight", "untied without head")
    with_config(setk(vocab_size=cfg["vocab_size"] - 10), "outside config.json vocab_size", "tokenizer beyond vocab")
    with_config(setk(eos_token_id=cfg["eos_token_id"] + 1), "disagrees with tokenizer_config.json eos_token",
                "eos mismatch")
    no_bos = {k: v for k, v in tc.items() if k != "bos_token"}
    with_config(setk(bos_token_id=10 ** 7), "outside the vocabulary", "bos out of range", tcfg=no_bos)
    bad_tok = copy.deepcopy(tj)
    bad_tok["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "\\p{N}"
    with_config(lambda c: None, "pre_tokenizer", "unknown pre-tokenizer", tok=bad_tok)
    bad_tok = copy.deepcopy(tj)
    bad_tok["added_tokens"][0]["id"] = 5
    with_config(lambda c: None, "is both", "added token on an ordinary id", tok=bad_tok)

    write(d, cfg, w, tj, tc)
    os.remove(os.path.join(d, "tokenizer.json"))
    expect_fail(d, out, "tokenizer.json: missing", label="no tokenizer.json")
    write(d, cfg, w, tj, tc)
    with open(os.path.join(d, "config.json"), "w") as f:
        f.write("{not json")
    expect_fail(d, out, "not valid JSON", label="config.json not JSON")
    os.remove(os.path.join(d, "config.json"))
    expect_fail(d, out, "config.json", label="no config.json")
    expect_fail(os.path.join(tmp, "nowhere"), out, "not a folder", label="no folder")
    # An unwritable output: I/O error (exit 4), nothing left behind.
    write(d, cfg, w, tj, tc)
    expect_fail(d, os.path.join(tmp, "no_such_dir", "x.gguf"), "", code=4, label="unwritable output")


def main():
    global HYMT
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["roundtrip", "safetensors_errors", "config_errors"])
    a = ap.parse_args()
    # The checkpoint is built from the real tokenizer's published metadata (hf_export.real_meta).
    requires.need_shared_data(os.path.join(REPO, "..", "shared", "data"), "hy-mt1.5-1.8b-meta/tokenizer_json_spec.json")
    HYMT = os.path.abspath(a.hymt)
    shutil.rmtree(a.tmp, ignore_errors=True)
    os.makedirs(a.tmp)
    {"roundtrip": case_roundtrip, "safetensors_errors": case_safetensors_errors,
     "config_errors": case_config_errors}[a.case](a.tmp)
    if FAILS:
        sys.exit("%d check(s) failed" % len(FAILS))
    print("ok")


if __name__ == "__main__":
    main()
