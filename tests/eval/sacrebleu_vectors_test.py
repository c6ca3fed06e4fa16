#!/usr/bin/env python3
"""sacrebleu_vectors_test.py: `hymt eval score` / `hymt eval tokenize` against every row of the
sacreBLEU 2.6.0 vectors in ../shared/data/sacrebleu-vectors (the oracle: values sacreBLEU itself
computed; no number here comes from hymt). Scores must agree within 1e-9 relative (the vectors'
own contract), counts, totals and lengths exactly, signatures as strings.

Cases: corpus (corpus_scores.jsonl), sentence (sentence_scores.jsonl), edge (edge_cases.jsonl),
tokenizer (tokenizer_outputs.jsonl)."""
import argparse
import collections
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import requires  # noqa: E402

REL = 1e-9
failures = []


def close(a, b):
    return a == b or abs(a - b) <= REL * max(abs(a), abs(b))


def check(what, got, want):
    if isinstance(want, float) or isinstance(got, float):
        ok = close(float(got), float(want))
    elif isinstance(want, list):
        ok = len(got) == len(want) and all(close(float(g), float(w)) for g, w in zip(got, want))
    else:
        ok = got == want
    if not ok:
        failures.append("%s: got %r, want %r" % (what, got, want))


def hymt(args, *cmd):
    p = subprocess.run([args.hymt] + list(cmd), capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("hymt %s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
    return json.loads(p.stdout)


def rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def check_bleu(what, got, row, prefix=""):
    check(what + " score", got["score"], row[prefix + "score"] if prefix + "score" in row else row["sentence_bleu"])
    check(what + " signature", got["signature"], row["signature"])
    for k in ("counts", "totals", "precisions", "bp", "sys_len", "ref_len"):
        if k in row:
            check(what + " " + k, got[k], row[k])


def case_corpus(args, vec):
    n = 0
    for i, row in enumerate(rows(os.path.join(vec, "corpus_scores.jsonl"))):
        cmd = ["eval", "score", "--json", "--hyp", os.path.join(vec, "inputs", row["hyp_file"])]
        for r in row["ref_files"]:
            cmd += ["--ref", os.path.join(vec, "inputs", r)]
        metric = {"BLEU": "bleu", "chrF": "chrf", "chrF++": "chrf++"}[row["metric"]]
        cmd += ["--metrics", metric]
        if metric == "bleu":
            cmd += ["--tokenize", row["tokenize"]]
        if (row.get("options") or {}).get("lowercase"):
            cmd += ["--lowercase"]
        got = hymt(args, *cmd)["scores"][0]
        what = "corpus row %d (%s %s %s)" % (i + 1, row["hyp_file"], row["metric"], row.get("tokenize", ""))
        check(what + " score", got["score"], row["score"])
        check(what + " signature", got["signature"], row["signature"])
        if metric == "bleu":
            for k in ("counts", "totals", "precisions", "bp", "sys_len", "ref_len"):
                check(what + " " + k, got[k], row[k])
        n += 1
    return n


def case_sentence(args, vec):
    all_rows = rows(os.path.join(vec, "sentence_scores.jsonl"))
    sigs = {r["corpus"]: r for r in all_rows if "signature_sentence_bleu" in r}
    groups = collections.defaultdict(list)
    for r in all_rows:
        if "line" in r:
            groups[(r["corpus"], r["hyp_file"], r["ref_file"], r["tokenize"])].append(r)
    n = 0
    for (corpus, hyp, ref, tok), group in sorted(groups.items()):
        got = hymt(args, "eval", "score", "--json", "--sentence", "--hyp", os.path.join(vec, "inputs", hyp), "--ref",
                   os.path.join(vec, "inputs", ref), "--metrics", "bleu,chrf,chrf++", "--tokenize", tok)["sentences"]
        with open(os.path.join(vec, "inputs", hyp), encoding="utf-8") as f:
            hyp_lines = f.read().split("\n")
        for r in group:
            s = got[r["line"] - 1]
            what = "sentence %s:%d (%s)" % (hyp, r["line"], tok)
            # The vector's text is the line hymt scored (line splitting agrees).
            check(what + " hyp text", hyp_lines[r["line"] - 1], r["hyp"])
            bleu, chrf, chrfpp = s["scores"]
            check(what + " BLEU", bleu["score"], r["sentence_bleu"])
            check(what + " BLEU counts", bleu["counts"], r["bleu_counts"])
            check(what + " BLEU totals", bleu["totals"], r["bleu_totals"])
            check(what + " BLEU sys_len", bleu["sys_len"], r["bleu_sys_len"])
            check(what + " BLEU ref_len", bleu["ref_len"], r["bleu_ref_len"])
            check(what + " chrF", chrf["score"], r["sentence_chrf"])
            check(what + " chrF++", chrfpp["score"], r["sentence_chrfpp"])
            if corpus in sigs and tok == "13a":
                check(what + " BLEU signature", bleu["signature"], sigs[corpus]["signature_sentence_bleu"])
            if corpus in sigs:
                check(what + " chrF signature", chrf["signature"], sigs[corpus]["signature_chrf"])
                check(what + " chrF++ signature", chrfpp["signature"], sigs[corpus]["signature_chrfpp"])
            n += 1
    if n != sum(1 for r in all_rows if "line" in r):
        failures.append("not every sentence row was checked")
    return n


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(l + "\n" for l in lines))


def case_edge(args, vec):
    os.makedirs(args.tmp, exist_ok=True)
    n = 0
    for i, row in enumerate(rows(os.path.join(vec, "edge_cases.jsonl"))):
        hyp = os.path.join(args.tmp, "hyp%d.txt" % i)
        write_lines(hyp, row["hyps"])
        cmd = ["eval", "score", "--json", "--hyp", hyp]
        for k, stream in enumerate(row["refs"]):
            ref = os.path.join(args.tmp, "ref%d_%d.txt" % (i, k))
            write_lines(ref, stream)
            cmd += ["--ref", ref]
        metric = {"BLEU": "bleu", "chrF": "chrf", "chrF++": "chrf++"}[row["metric"]]
        cmd += ["--metrics", metric]
        if metric == "bleu":
            cmd += ["--tokenize", row["tokenize"]]
            if row["effective_order"]:
                cmd += ["--effective-order"]
        got = hymt(args, *cmd)["scores"][0]
        what = "edge row %d (%s %s %s eff=%s)" % (i + 1, row["case"], row["metric"], row.get("tokenize", ""),
                                                 row.get("effective_order"))
        check(what + " score", got["score"], row["score"])
        check(what + " signature", got["signature"], row["signature"])
        if metric == "bleu":
            for k in ("counts", "totals", "bp", "sys_len", "ref_len"):
                check(what + " " + k, got[k], row[k])
        n += 1
    return n


def case_tokenizer(args, vec):
    os.makedirs(args.tmp, exist_ok=True)
    tr = rows(os.path.join(vec, "tokenizer_outputs.jsonl"))
    # Inputs hold no newline, so one line per row; the empty row is an empty line.
    inp = os.path.join(args.tmp, "tok_input.txt")
    write_lines(inp, [r["input"] for r in tr])
    n = 0
    for tok in ("13a", "zh", "intl", "char"):
        got = hymt(args, "eval", "tokenize", "--json", "--tokenize", tok, "-i", inp)
        check("tokenizer %s line count" % tok, len(got), len(tr))
        for r, g in zip(tr, got):
            check("tokenizer %s on %r" % (tok, r["input"]), g, r[tok])
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["corpus", "sentence", "edge", "tokenizer"])
    args = ap.parse_args()
    why = requires.missing_shared_data(args.data, "sacrebleu-vectors/corpus_scores.jsonl")
    if why:
        requires.skip(why)
    vec = os.path.join(args.data, "sacrebleu-vectors")
    n = globals()["case_" + args.case](args, vec)
    if failures:
        print("\n".join(failures[:50]))
        print("%d of the checks on %d rows failed" % (len(failures), n))
        return 1
    print("%s: %d rows agree with sacreBLEU 2.6.0" % (args.case, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
