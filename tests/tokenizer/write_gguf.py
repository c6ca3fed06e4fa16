#!/usr/bin/env python3
"""write_gguf.py: test-side GGUF writer, independent of hymt's GgufWriter. Converts a Hugging Face
tokenizer.json (+ tokenizer_config.json) into a GGUF v3 file holding only tokenizer metadata, with
the rules of llama.cpp's converter (spec §3.4): ids missing from the vocabulary become "[PAD{id}]"
of type UNUSED (5); added tokens are CONTROL (3) when special or when they look special
(<|...|> or <｜...｜>), else USER_DEFINED (4); merges are "left right" strings.

    write_gguf.py TOKENIZER_JSON CONFIG_JSON OUT.gguf [--pre hunyuan-dense]
"""
import argparse
import json
import struct

U32, I32, STRING, ARRAY = 4, 5, 8, 9


def gguf_string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def kv(key, vtype, payload):
    return gguf_string(key) + struct.pack("<I", vtype) + payload


def kv_str(key, s):
    return kv(key, STRING, gguf_string(s))


def kv_u32(key, v):
    return kv(key, U32, struct.pack("<I", v))


def kv_str_array(key, items):
    return kv(key, ARRAY, struct.pack("<IQ", STRING, len(items)) + b"".join(gguf_string(s) for s in items))


def kv_i32_array(key, items):
    return kv(key, ARRAY, struct.pack("<IQ", I32, len(items)) + struct.pack("<%di" % len(items), *items))


def looks_special(s):
    return (s.startswith("<|") and s.endswith("|>")) or (s.startswith("<｜") and s.endswith("｜>"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tokenizer_json")
    ap.add_argument("config_json")
    ap.add_argument("out")
    ap.add_argument("--pre", default="hunyuan-dense")
    args = ap.parse_args()
    with open(args.tokenizer_json, encoding="utf-8") as f:
        tj = json.load(f)
    with open(args.config_json, encoding="utf-8") as f:
        cfg = json.load(f)

    by_id = {}
    types = {}
    for s, i in tj["model"]["vocab"].items():
        by_id[i] = s
        types[i] = 1
    for a in tj["added_tokens"]:
        by_id[a["id"]] = a["content"]
        types[a["id"]] = 3 if (a["special"] or looks_special(a["content"])) else 4
    n = max(by_id) + 1
    tokens, ttypes = [], []
    for i in range(n):
        if i in by_id:
            tokens.append(by_id[i])
            ttypes.append(types[i])
        else:
            tokens.append("[PAD%d]" % i)
            ttypes.append(5)
    merges = [m if isinstance(m, str) else m[0] + " " + m[1] for m in tj["model"]["merges"]]
    index = {s: i for i, s in reversed(list(enumerate(tokens)))}

    kvs = [
        kv_str("general.architecture", "hunyuan-dense"),
        kv_str("tokenizer.ggml.model", "gpt2"),
        kv_str("tokenizer.ggml.pre", args.pre),
        kv_str_array("tokenizer.ggml.tokens", tokens),
        kv_i32_array("tokenizer.ggml.token_type", ttypes),
        kv_str_array("tokenizer.ggml.merges", merges),
    ]
    for key, name in (("bos_token_id", "bos_token"), ("eos_token_id", "eos_token"), ("padding_token_id", "pad_token")):
        v = cfg.get(name)
        if isinstance(v, dict):
            v = v.get("content")
        if v in index:
            kvs.append(kv_u32("tokenizer.ggml." + key, index[v]))
    header = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs))
    with open(args.out, "wb") as f:
        f.write(header + b"".join(kvs))


if __name__ == "__main__":
    main()
