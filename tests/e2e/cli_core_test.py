#!/usr/bin/env python3
"""End-to-end checks of the engine-core commands, run as a user would run them.

Usage: cli_core_test.py --hymt PATH --tmp DIR CASE
Cases: tiny (gen-model/info/logits/generate/tensor on a tiny model), full_shape (a random model of
the exact HY-MT1.5-1.8B shape in Q8_0: loads through mmap, reports the official tensor and
parameter counts, and decodes). Exits non-zero with a message on the first failed check.
"""
import argparse
import json
import os
import struct
import subprocess
import sys


def run(args, expect=0):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(args)} exited {p.returncode}, expected {expect}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def check(cond, msg):
    if not cond:
        sys.exit("FAIL: " + msg)


def case_tiny(hymt, tmp):
    model = os.path.join(tmp, "tiny.gguf")
    run([hymt, "gen-model", "-o", model, "--type", "F16", "--n-layer", "3", "--seed", "7"])
    info = json.loads(run([hymt, "info", model, "--json"]).stdout)
    hp = info["hparams"]
    check(info["architecture"] == "hunyuan-dense", "architecture")
    check((hp["n_layer"], hp["n_embd"], hp["n_vocab"], hp["n_head"], hp["n_head_kv"], hp["head_dim"]) ==
          (3, 256, 1536, 4, 2, 64), f"hparams {hp}")
    check(abs(hp["rope_freq_base"] - 11158840.0) < 1, "rope base read as stored")
    check(info["n_tensors"] == 2 + 11 * 3, f"tensor count {info['n_tensors']}")
    check(info["tensor_types"] == {"F16": 1 + 7 * 3, "F32": 1 + 4 * 3}, f"types {info['tensor_types']}")
    check(info["tied_output"] is True, "tied output")
    check(info["tokenizer"]["bos_token_id"] == 1536 - 818 and info["tokenizer"]["eos_token_id"] == 1536 - 818 + 20,
          "special ids at the top of the vocabulary")
    text = run([hymt, "info", model]).stdout
    check("hunyuan-dense" in text and "n_layer=3" in text, "plain info output")

    ids = "5,17,300,1200,9"
    out = os.path.join(tmp, "logits.bin")
    run([hymt, "logits", "--model", model, "--ids", ids, "--output", out])
    data = open(out, "rb").read()
    check(len(data) == 5 * 1536 * 4, f"logits size {len(data)}")
    vals = struct.unpack(f"<{5 * 1536}f", data)
    check(all(v == v and abs(v) < 1e4 for v in vals), "logits finite")
    check(len(set(vals)) > 1000, "logits are not constant")

    # Greedy generation is deterministic and agrees with the argmax of the logits file.
    gen = run([hymt, "generate", "--model", model, "--ids", ids, "-n", "4", "--ignore-eos"]).stdout.strip()
    gen_ids = [int(x) for x in gen.split(",")]
    check(len(gen_ids) == 4, f"generated {gen}")
    last = vals[4 * 1536:5 * 1536]
    check(gen_ids[0] == max(range(1536), key=lambda i: (last[i], -i)), "first generated id is the argmax")
    gen2 = run([hymt, "generate", "--model", model, "--ids", ids, "-n", "4", "--ignore-eos", "-t", "2"]).stdout.strip()
    check(gen == gen2, "generation independent of threads")

    tens = os.path.join(tmp, "norm.bin")
    run([hymt, "tensor", "--model", model, "--name", "blk.1.attn_q_norm.weight", "--output", tens])
    norm = struct.unpack("<64f", open(tens, "rb").read())
    check(all(0.7 <= x <= 1.3 for x in norm), "norm weights as generated (1 +- 0.25)")

    # The KV cache size is the user's choice: too small a context is refused, not overrun.
    p = run([hymt, "logits", "--model", model, "--ids", ids, "--output", out, "--n-ctx", "3"], expect=2)
    check("n-ctx" in p.stderr, "n-ctx refusal message")

    # bench: batched decode records (-s) carry their sequence count, one record per count.
    recs = json.loads(run([hymt, "bench", "-m", model, "-p", "0", "-n", "3", "-s", "1,3", "-r", "1", "--json"]).stdout)
    check([(r["n_gen"], r["n_seqs"]) for r in recs] == [(3, 1), (3, 3)], f"bench records {recs}")
    check(all(r["avg_ts"] > 0 for r in recs), "bench rates")
    p = run([hymt, "bench", "-m", model, "-p", "0", "-n", "3", "-s", "0"], expect=2)
    check("-s" in p.stderr, "bench -s refusal message")


def case_full_shape(hymt, tmp):
    model = os.path.join(tmp, "hy-mt1.5-1.8b-q8_0.gguf")
    run([hymt, "gen-model", "-o", model, "--preset", "hy-mt1.5-1.8b", "--type", "Q8_0"])
    try:
        info = json.loads(run([hymt, "info", model, "--json"]).stdout)
        hp = info["hparams"]
        check((hp["n_vocab"], hp["n_embd"], hp["n_layer"], hp["n_head"], hp["n_head_kv"], hp["head_dim"], hp["n_ff"]) ==
              (120818, 2048, 32, 16, 4, 128, 6144), f"hparams {hp}")
        # spec §2.2: 354 tensors (129 F32 norms + 225 matrices incl. token_embd), 1 791 080 448 parameters.
        check(info["n_tensors"] == 354, f"n_tensors {info['n_tensors']}")
        check(info["tensor_types"] == {"F32": 129, "Q8_0": 225}, f"types {info['tensor_types']}")
        check(info["n_params"] == 1791080448, f"n_params {info['n_params']}")
        check(info["tokenizer"]["bos_token_id"] == 120000 and info["tokenizer"]["eos_token_id"] == 120020,
              "real special ids")
        # Prompt in the official layout: BOS, User, text, Assistant; then 3 greedy decode steps.
        gen = run([hymt, "generate", "--model", model, "--ids", "120000,120006,72,101,108,108,111,120007", "-n", "3",
                   "--ignore-eos", "-t", "2"]).stdout.strip()
        got = [int(x) for x in gen.split(",")]
        check(len(got) == 3 and all(0 <= i < 120818 for i in got), f"generated {gen}")
    finally:
        os.remove(model)


def case_translate(hymt, tmp):
    """Command-line behaviour of `hymt translate` on a generated model (structure, not content:
    content is checked with the trained demo model)."""
    model = os.path.join(tmp, "tiny.gguf")
    run([hymt, "gen-model", "-o", model, "--seed", "3"])
    p = run([hymt, "translate", "-m", model, "--to", "xx", "hello"], expect=2)
    check("unknown target language 'xx'" in p.stderr and "zh-Hant" in p.stderr, "language refusal lists the languages")
    p = run([hymt, "translate", "-m", model, "--to", "de", "--from", "klingon", "hello"], expect=2)
    check("unknown source language" in p.stderr, "source language refusal")
    p = subprocess.run([hymt, "translate", "-m", model, "--to", "de"], input="  \n\n", capture_output=True, text=True)
    check(p.returncode == 2 and "empty" in p.stderr, f"empty input refused: {p.returncode} {p.stderr}")
    p = run([hymt, "translate", "-m", os.path.join(tmp, "missing.gguf"), "--to", "de", "hi"], expect=3)
    check("missing.gguf" in p.stderr, "missing model named")
    bad = os.path.join(tmp, "bad.gguf")
    open(bad, "wb").write(b"GGUF\x03\x00\x00\x00" + b"\xff" * 16)
    run([hymt, "translate", "-m", bad, "--to", "de", "hi"], expect=3)
    # Line structure: blank lines kept, one segment per non-blank line, JSON per segment.
    src = os.path.join(tmp, "in.txt")
    open(src, "w").write("Hello there.\n\n  Second line.\n")
    out = os.path.join(tmp, "out.json")
    run([hymt, "translate", "-m", model, "--to", "zh", "-i", src, "-o", out, "--json", "--max-tokens", "3",
         "--no-checks"])  # random weights fail the output checks (exit 5); structure only here
    j = json.load(open(out))
    check(len(j["segments"]) == 2, f"two segments, got {len(j['segments'])}")
    check([s["source"] for s in j["segments"]] == ["Hello there.", "Second line."], "segment sources")
    for seg in j["segments"]:
        check(seg["to"] == "zh" and seg["prompt_tokens"] > 10 and seg["output_tokens"] <= 3, f"segment fields {seg}")
        check(seg["confidence"] <= 0, "confidence is a mean log-probability")
    check(j["output"].count("\n") == 3 and "\n\n  " in j["output"], f"line structure kept: {j['output']!r}")
    # An unwritable output path fails with exit 4 and leaves nothing behind.
    run([hymt, "translate", "-m", model, "--to", "zh", "-i", src, "-o", os.path.join(tmp, "no", "dir", "x.txt"),
         "--max-tokens", "2"], expect=4)
    check(not os.path.exists(os.path.join(tmp, "no")), "no partial output")
    p = run([hymt, "languages"])
    check(len(p.stdout.strip().splitlines()) == 39 and "yue" in p.stdout and "藏语" in p.stdout, "38 languages listed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["tiny", "full_shape", "translate"])
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    {"tiny": case_tiny, "full_shape": case_full_shape, "translate": case_translate}[a.case](a.hymt, a.tmp)
    print(f"e2e.{a.case}: ok")


if __name__ == "__main__":
    main()
