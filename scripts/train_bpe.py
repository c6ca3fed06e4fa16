#!/usr/bin/env python3
"""train_bpe.py: trains a byte-level BPE tokenizer and writes it as a Hugging Face tokenizer.json
with the exact HY pre-tokenizer/decoder configuration and the real HY added tokens.

The corpus is pre-tokenized by Hugging Face's own tokenizers (the npm package `tokenizers`, run once
through node), so the words the merges are learned from are the reference's pre-tokens; the merges
are then learned here, in plain Python. The output is deterministic: the same corpus and options
give the same bytes (ties between equally frequent pairs go to the smaller pair of strings).

    python3 scripts/train_bpe.py --corpus shared/data/flores200-devtest/devtest/*.devtest \\
        --merges 20000 --out tokenizer.json [--vocab-size 120000]

--vocab-size pads the ordinary vocabulary with unused filler tokens so that the added tokens get
their real HY ids (120000 = BOS ...); leave it out for a compact vocabulary (demo models).
"""
import argparse
import heapq
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
META = os.path.join(REPO, "..", "shared", "data", "hy-mt1.5-1.8b-meta")

# Runs in node: reads {"spec": ..., "files": [...]} on stdin, pre-tokenizes every line of every file
# with the Rust tokenizers' pre-tokenizer built from the spec, and prints {word: count} as JSON
# (words are byte-level strings, as the BPE model sees them).
NODE_SCRIPT = r"""
const fs = require('fs');
const { Tokenizer } = require('tokenizers');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const tj = { version: '1.0', truncation: null, padding: null, added_tokens: [],
  normalizer: input.spec.normalizer, pre_tokenizer: input.spec.pre_tokenizer, post_processor: null,
  decoder: null, model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null,
  end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false,
  vocab: { a: 0 }, merges: [] } };
const pre = Tokenizer.fromString(JSON.stringify(tj)).getPreTokenizer();
const counts = new Map();
for (const f of input.files) {
  let text = fs.readFileSync(f, 'utf8');
  let lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (input.max_lines > 0) lines = lines.slice(0, input.max_lines);
  for (const line of lines) {
    for (const [w] of pre.preTokenizeString(line)) counts.set(w, (counts.get(w) || 0) + 1);
  }
}
process.stdout.write(JSON.stringify(Object.fromEntries(counts)));
"""


def bytes_to_unicode():
    """GPT-2's byte -> character map (spec §3.3)."""
    keep = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    out, n = {}, 0
    for b in range(256):
        if b in keep:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + n)
            n += 1
    return out


def pretokenize(files, spec, node_modules, max_lines):
    env = dict(os.environ)
    env["NODE_PATH"] = node_modules
    payload = json.dumps({"spec": spec, "files": files, "max_lines": max_lines})
    r = subprocess.run(["node", "-e", NODE_SCRIPT], input=payload.encode(), capture_output=True, env=env)
    if r.returncode != 0:
        sys.exit("train_bpe: node pre-tokenization failed (is `tokenizers` installed in %s? run "
                 "scripts/setup.sh):\n%s" % (node_modules, r.stderr.decode(errors="replace")))
    return json.loads(r.stdout)


def train(word_counts, n_merges, verbose):
    """Classic BPE: repeatedly merge the most frequent adjacent pair. Returns (vocab list, merges)."""
    alphabet = bytes_to_unicode()
    vocab = [alphabet[b] for b in range(256)]
    index = {s: i for i, s in enumerate(vocab)}
    words, freqs = [], []
    for w in sorted(word_counts):  # sorted: the result must not depend on dict order
        syms = [index[c] for c in w]
        if len(syms) >= 2:
            words.append(syms)
            freqs.append(word_counts[w])

    counts, where = {}, {}
    for wi, syms in enumerate(words):
        f = freqs[wi]
        for p in zip(syms, syms[1:]):
            counts[p] = counts.get(p, 0) + f
            where.setdefault(p, set()).add(wi)
    heap = [(-c, vocab[a], vocab[b], a, b) for (a, b), c in counts.items()]
    heapq.heapify(heap)

    merges = []
    t0 = time.time()
    while len(merges) < n_merges and heap:
        negc, _, _, a, b = heapq.heappop(heap)
        cur = counts.get((a, b), 0)
        if cur != -negc:  # stale entry: counts of existing pairs only fall, so re-queue the truth
            if cur > 0:
                heapq.heappush(heap, (-cur, vocab[a], vocab[b], a, b))
            continue
        if cur < 2:
            break
        merged = vocab[a] + vocab[b]
        c = index.get(merged)
        if c is None:
            c = len(vocab)
            vocab.append(merged)
            index[merged] = c
        merges.append((vocab[a], vocab[b]))
        grown = set()
        for wi in where.pop((a, b), ()):  # order is irrelevant: each word changes on its own
            syms = words[wi]
            f = freqs[wi]
            if len(syms) < 2:
                continue
            out, i, hit = [], 0, False
            n = len(syms)
            while i < n:
                if i + 1 < n and syms[i] == a and syms[i + 1] == b:
                    out.append(c)
                    i += 2
                    hit = True
                else:
                    out.append(syms[i])
                    i += 1
            if not hit:
                continue
            for p in zip(syms, syms[1:]):
                counts[p] -= f
            for p in zip(out, out[1:]):
                counts[p] = counts.get(p, 0) + f
                where.setdefault(p, set()).add(wi)
                if c in p:
                    grown.add(p)
            words[wi] = out
        counts.pop((a, b), None)
        for p in sorted(grown):
            if counts.get(p, 0) > 0:
                heapq.heappush(heap, (-counts[p], vocab[p[0]], vocab[p[1]], p[0], p[1]))
        if verbose and len(merges) % 2000 == 0:
            print("train_bpe: %d merges, %.1f s" % (len(merges), time.time() - t0), file=sys.stderr)
    return vocab, merges


def main():
    ap = argparse.ArgumentParser(description="Train a byte-level BPE tokenizer.json with the HY configuration")
    ap.add_argument("--corpus", nargs="+", required=True, help="UTF-8 text files, one sentence per line")
    ap.add_argument("--merges", type=int, default=20000, help="number of merges to learn")
    ap.add_argument("--out", required=True, help="tokenizer.json to write")
    ap.add_argument("--spec", default=os.path.join(META, "tokenizer_json_spec.json"),
                    help="normalizer/pre_tokenizer/decoder configuration (default: the real HY one)")
    ap.add_argument("--added-tokens", default=os.path.join(META, "tokenizer_config.json"),
                    help="tokenizer_config.json whose added_tokens_decoder lists the added tokens")
    ap.add_argument("--vocab-size", type=int, default=0,
                    help="pad the ordinary vocabulary to this size so added tokens keep their offsets")
    ap.add_argument("--node-modules", default=os.path.join(REPO, "tests", "tokenizer", "node_modules"),
                    help="folder holding the npm package `tokenizers`")
    ap.add_argument("--max-lines", type=int, default=0, help="use only the first N lines of each file")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    with open(args.added_tokens, encoding="utf-8") as f:
        added = json.load(f)["added_tokens_decoder"]

    t0 = time.time()
    words = pretokenize([os.path.abspath(p) for p in args.corpus], spec, args.node_modules, args.max_lines)
    if not args.quiet:
        print("train_bpe: %d distinct pre-tokens in %.1f s" % (len(words), time.time() - t0), file=sys.stderr)
    vocab, merges = train(words, args.merges, not args.quiet)

    n_ordinary = len(vocab)
    if args.vocab_size:
        if args.vocab_size < n_ordinary:
            sys.exit("train_bpe: --vocab-size %d is below the %d learned tokens" % (args.vocab_size, n_ordinary))
        vocab += ["<unused_%d>" % i for i in range(n_ordinary, args.vocab_size)]
    first_added = len(vocab)
    entries = sorted(((int(k), v) for k, v in added.items()), key=lambda kv: kv[0])
    base = entries[0][0]
    added_tokens = []
    for k, v in entries:
        added_tokens.append({"id": first_added + (k - base), "content": v["content"],
                             "single_word": v.get("single_word", False), "lstrip": v.get("lstrip", False),
                             "rstrip": v.get("rstrip", False), "normalized": v.get("normalized", False),
                             "special": v.get("special", False)})
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens,
        "normalizer": spec.get("normalizer"),
        "pre_tokenizer": spec["pre_tokenizer"],
        "post_processor": None,
        "decoder": spec["decoder"],
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
            "vocab": {s: i for i, s in enumerate(vocab)},
            "merges": [[a, b] for a, b in merges],
        },
    }
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    os.replace(tmp, args.out)
    if not args.quiet:
        print("train_bpe: wrote %s: %d merges, %d ordinary tokens (%d learned), %d added from id %d, %.1f s"
              % (args.out, len(merges), len(vocab), n_ordinary, len(added_tokens), first_added, time.time() - t0),
              file=sys.stderr)


if __name__ == "__main__":
    main()
