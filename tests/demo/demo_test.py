#!/usr/bin/env python3
"""End-to-end tests on the bundled trained demo model (models/demo/hy-mt-demo.gguf), run as a user
would run hymt. The expected values were written at training time by scripts/train-demo-model from
PyTorch and the reference tokenizer (models/demo/golden.json, golden_logits.f32), so nothing here
needs torch or node.

Cases:
  golden_logits  `hymt logits` vs PyTorch's logits: relative L2 error < 1e-4 on every stored row, same argmax
  metadata       `hymt info --json`: architecture, shape, folded RoPE base, vocabulary, file size < 25 MB
  greedy_f32     `hymt generate` reproduces the reference target ids of the test sentences exactly
  greedy_q8_0    the same after `hymt quantize --type Q8_0`
  tokenizer      `hymt tokenize --chat` / `hymt detokenize` from the GGUF agree with the reference ids/text
  translate_f32  `hymt translate --from X --to Y TEXT` prints the reference translation of the test
                 sentences (text in, text out, default decoding: the user's path)
  translate_q8_0 the same on the Q8_0 file
  documents      content through the document formats: an SRT file and a JSON i18n file whose texts
                 are test sentences come back with the reference translations in place, and cue
                 numbers, timings, keys and placeholders untouched

Usage: demo_test.py --hymt PATH --model GGUF --golden DIR --tmp DIR CASE
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import numpy as np

FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL: " + msg, file=sys.stderr)
    return cond


def run(args, expect=0):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit("FAIL: %s exited %d, expected %d\nstdout: %s\nstderr: %s"
                 % (" ".join(args), p.returncode, expect, p.stdout[-2000:], p.stderr[-2000:]))
    return p


def load_golden(d):
    with open(os.path.join(d, "golden.json"), encoding="utf-8") as f:
        g = json.load(f)
    rows = np.fromfile(os.path.join(d, "golden_logits.f32"), dtype="<f4")
    check(rows.size == g["n_rows"] * g["n_vocab"], "golden_logits.f32 size")
    return g, rows.reshape(g["n_rows"], g["n_vocab"])


def case_golden_logits(a, g, rows):
    worst = 0.0
    for e in g["logits"]:
        out = os.path.join(a.tmp, "logits.bin")
        run([a.hymt, "logits", "--model", a.model, "--ids", ",".join(map(str, e["ids"])), "--output", out])
        got = np.fromfile(out, dtype="<f4").reshape(len(e["ids"]), -1)
        check(got.shape[1] == g["n_vocab"], "n_vocab %d" % got.shape[1])
        for k, p in enumerate(e["positions"]):
            ref = rows[e["first_row"] + k].astype(np.float64)
            x = got[p].astype(np.float64)
            err = float(np.linalg.norm(x - ref) / np.linalg.norm(ref))
            worst = max(worst, err)
            check(err < 1e-4, "%s line %d position %d: relative L2 error %.3g vs PyTorch (limit 1e-4)"
                  % (e["dir"], e["line"], p, err))
            check(int(np.argmax(x)) == int(np.argmax(ref)), "%s position %d: argmax differs from PyTorch" % (e["dir"], p))
    print("golden logits: %d rows, worst relative L2 error %.2e (limit 1e-4)" % (g["n_rows"], worst))
    # Incremental decoding (one id at a time through the KV cache) gives the same logits.
    e = g["logits"][0]
    out = os.path.join(a.tmp, "inc.bin")
    run([a.hymt, "logits", "--model", a.model, "--ids", ",".join(map(str, e["ids"])), "--output", out, "--incremental"])
    got = np.fromfile(out, dtype="<f4").reshape(len(e["ids"]), -1)
    last = rows[e["first_row"] + len(e["positions"]) - 1].astype(np.float64)
    err = float(np.linalg.norm(got[e["positions"][-1]] - last) / np.linalg.norm(last))
    check(err < 1e-4, "incremental logits: relative L2 error %.3g" % err)


def case_metadata(a, g, rows):
    info = json.loads(run([a.hymt, "info", a.model, "--json"]).stdout)
    hp = info["hparams"]
    check(info["architecture"] == "hunyuan-dense", "architecture")
    check(hp["n_embd"] == 512 and hp["n_head"] * hp["head_dim"] == 512, "n_embd 512, n_head*head_dim 512: %s" % hp)
    check(hp["head_dim"] == 128 and hp["n_head"] > hp["n_head_kv"], "head_dim 128 with GQA: %s" % hp)
    check(hp["n_ff"] % 512 == 0, "n_ff multiple of 512")
    check(hp["rope_freq_base"] == 11158840.0, "RoPE base %r (10000 * 1000^(128/126) as f32)" % hp["rope_freq_base"])
    check(hp["n_vocab"] == g["n_vocab"], "n_vocab %d" % hp["n_vocab"])
    check(info["tied_output"] is True, "tied output")
    check(info["tokenizer"]["bos_token_id"] == g["special_ids"]["bos"] and
          info["tokenizer"]["eos_token_id"] == g["special_ids"]["eos"], "special ids")
    check(g["special_ids"]["bos"] == g["n_vocab"] - 818, "the 818 added tokens sit at the top of the vocabulary")
    size = os.path.getsize(a.model)
    check(size < 25 * 1000 * 1000, "file size %d >= 25 MB" % size)
    types = info["tensor_types"]
    check(set(types) == {"F32"}, "stored in F32: %s" % types)
    print("metadata: %s, %d bytes" % (hp, size))


def greedy(a, model, sentences, threads):
    bad = 0
    for s in sentences:
        out = run([a.hymt, "generate", "--model", model, "--ids", ",".join(map(str, s["prompt_ids"])),
                   "-n", str(len(s["target_ids"]) + 8), "--threads", str(threads)]).stdout.strip()
        ids = [int(x) for x in out.split(",")] if out else []
        if not check(ids == s["target_ids"], "%s line %d: greedy output differs from the reference target\n  got  %s\n  want %s"
                     % (s["dir"], s["line"], ids, s["target_ids"])):
            bad += 1
    return bad


def test_sentences(g):
    return [s for s in g["sentences"] if s.get("e2e", True)]


def case_greedy_f32(a, g, rows):
    sents = test_sentences(g)
    bad = greedy(a, a.model, sents[: len(sents) // 2], 1) + greedy(a, a.model, sents[len(sents) // 2:], 2)
    print("greedy F32: %d / %d exact" % (len(sents) - bad, len(sents)))


def case_greedy_q8_0(a, g, rows):
    q8 = os.path.join(a.tmp, "demo-q8_0.gguf")
    run([a.hymt, "quantize", a.model, q8, "--type", "Q8_0"])
    sents = test_sentences(g)
    bad = greedy(a, q8, sents, 2)
    print("greedy Q8_0: %d / %d exact" % (len(sents) - bad, len(sents)))


def translate_all(a, model, sentences):
    bad = 0
    for s in sentences:
        src, tgt = s["dir"].split("-")
        out = run([a.hymt, "translate", "--model", model, "--from", src, "--to", tgt, "--threads", "2",
                   s["src"]]).stdout
        if not check(out.rstrip("\n") == s["tgt"], "%s line %d: hymt translate printed\n  %r\nwant\n  %r"
                     % (s["dir"], s["line"], out, s["tgt"])):
            bad += 1
    return bad


def case_translate_f32(a, g, rows):
    sents = test_sentences(g)
    bad = translate_all(a, a.model, sents)
    print("translate F32: %d / %d exact" % (len(sents) - bad, len(sents)))


def case_translate_q8_0(a, g, rows):
    q8 = os.path.join(a.tmp, "demo-q8_0.gguf")
    run([a.hymt, "quantize", a.model, q8, "--type", "Q8_0"])
    sents = test_sentences(g)
    bad = translate_all(a, q8, sents)
    print("translate Q8_0: %d / %d exact" % (len(sents) - bad, len(sents)))


def case_documents(a, g, rows):
    sents = [s for s in test_sentences(g) if s["dir"] == "en-zh"][:3]
    check(len(sents) == 3, "three en-zh test sentences")
    # SRT: one cue per sentence. The demo model knows only the default prompt, so the rolling
    # document context (a different official template) is off.
    cues = []
    for k, s in enumerate(sents):
        t0, t1 = "00:00:%02d,000" % (2 * k), "00:00:%02d,500" % (2 * k + 1)
        cues.append((str(k + 1), "%s --> %s" % (t0, t1), s["src"]))
    srt_in = os.path.join(a.tmp, "in.srt")
    srt_out = os.path.join(a.tmp, "out.srt")
    with open(srt_in, "w", encoding="utf-8") as f:
        f.write("\n".join("%s\n%s\n%s\n" % c for c in cues))
    run([a.hymt, "translate", "--model", a.model, "--from", "en", "--to", "zh", "--doc-context", "0", "-q",
         "-i", srt_in, "-o", srt_out])
    with open(srt_out, encoding="utf-8") as f:
        blocks = [b.split("\n") for b in f.read().strip("\n").split("\n\n")]
    check(len(blocks) == len(cues), "SRT: %d cues out, %d in" % (len(blocks), len(cues)))
    for (idx, timing, _), b, s in zip(cues, blocks, sents):
        check(b[:2] == [idx, timing], "SRT cue %s: number/timing changed to %r" % (idx, b[:2]))
        check("\n".join(b[2:]) == s["tgt"], "SRT cue %s: %r, want %r" % (idx, "\n".join(b[2:]), s["tgt"]))
    # JSON i18n: keys, nesting and non-string values kept; each string value translated.
    doc = {"title": sents[0]["src"], "page": {"intro": sents[1]["src"], "count": 3, "body": sents[2]["src"]}}
    js_in = os.path.join(a.tmp, "in.json")
    js_out = os.path.join(a.tmp, "out.json")
    with open(js_in, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
    run([a.hymt, "translate", "--model", a.model, "--from", "en", "--to", "zh", "-q", "-i", js_in, "-o", js_out])
    with open(js_out, encoding="utf-8") as f:
        got = json.load(f)
    want = {"title": sents[0]["tgt"], "page": {"intro": sents[1]["tgt"], "count": 3, "body": sents[2]["tgt"]}}
    check(got == want, "JSON: got %r, want %r" % (got, want))
    check(list(got) == list(want) and list(got["page"]) == list(want["page"]), "JSON key order changed")
    print("documents: SRT and JSON carry the reference translations")


def case_batch(a, g, rows):
    """A text document of every en->zh and en->fr test sentence, one per line (two target
    languages' worth of sentences through separate runs): decoded together (--batch 8, and 3 so
    that finished sequences hand their place to waiting ones mid-run) it must give exactly the
    reference lines, byte-identical to one-at-a-time decoding (--batch 1)."""
    for tgt in ("zh", "fr"):
        sents = [s for s in test_sentences(g) if s["dir"] == "en-" + tgt]
        check(len(sents) >= 8, "at least 8 en-%s test sentences" % tgt)
        doc = os.path.join(a.tmp, "in_%s.txt" % tgt)
        with open(doc, "w", encoding="utf-8") as f:
            f.write("".join(s["src"] + "\n" for s in sents))
        outs = {}
        for b in (1, 3, 8):
            out = os.path.join(a.tmp, "out_%s_%d.txt" % (tgt, b))
            run([a.hymt, "translate", "--model", a.model, "--from", "en", "--to", tgt, "--doc-context", "0",
                 "-q", "--batch", str(b), "-i", doc, "-o", out])
            with open(out, encoding="utf-8") as f:
                outs[b] = f.read()
        lines = outs[8].split("\n")[:-1]
        check(len(lines) == len(sents), "en-%s: %d lines out, %d in" % (tgt, len(lines), len(sents)))
        bad = sum(1 for l, s in zip(lines, sents)
                  if not check(l == s["tgt"], "en-%s line %d (batched): %r, want %r" % (tgt, s["line"], l, s["tgt"])))
        check(outs[1] == outs[8] and outs[3] == outs[8], "en-%s: --batch 1 / 3 / 8 outputs differ" % tgt)
        print("batch en-%s: %d / %d lines exact, --batch 1/3/8 identical" % (tgt, len(sents) - bad, len(sents)))


def case_tokenizer(a, g, rows):
    sents = test_sentences(g)
    for s in sents:
        out = json.loads(run([a.hymt, "tokenize", "--model", a.model, "--chat", "--json", s["prompt"]]).stdout)
        check(out["ids"] == s["prompt_ids"], "%s line %d: hymt tokenize --chat differs from the reference ids"
              % (s["dir"], s["line"]))
        txt = json.loads(run([a.hymt, "detokenize", "--model", a.model, "--json",
                              ",".join(map(str, s["target_ids"]))]).stdout)["text"]
        check(txt == s["tgt"], "%s line %d: detokenized target %r differs from %r" % (s["dir"], s["line"], txt, s["tgt"]))
    print("tokenizer: %d prompts and targets agree with the reference tokenizer" % len(sents))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--golden", required=True, help="folder with golden.json and golden_logits.f32")
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["golden_logits", "metadata", "greedy_f32", "greedy_q8_0", "tokenizer",
                                       "translate_f32", "translate_q8_0", "documents", "batch"])
    a = ap.parse_args()
    a.hymt = os.path.abspath(a.hymt)
    shutil.rmtree(a.tmp, ignore_errors=True)
    os.makedirs(a.tmp)
    g, rows = load_golden(a.golden)
    globals()["case_" + a.case](a, g, rows)
    if FAILS:
        sys.exit("%d check(s) failed" % len(FAILS))
    print("ok")


if __name__ == "__main__":
    main()
