#!/usr/bin/env python3
"""Drives tests/capi/capi_test.c (the C API from C) and compares it with the hymt command.

  translate  the demo model's test sentences (models/demo/golden.json) through the C API give what
             `hymt translate --from X --to Y TEXT` prints for each (run here, the CLI being the
             independent path), and the reference translation of training time; capi_test itself
             checks threads, streaming, cancellation, busy translators, old struct sizes and every
             error path, and exits non-zero on any failure
  tokenize   capi_test --tokenize TEXT prints the ids `hymt tokenize --json` gives, for ASCII,
             CJK, emoji and mixed text (and checks the decode round trip itself)

Usage: capi_test.py --case CASE --capi-test BIN --hymt BIN --model GGUF --golden JSON --tmp DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)
    if p.returncode != 0:
        sys.exit("FAIL: %s exited %d\nstdout: %s\nstderr: %s" % (" ".join(cmd[:6]), p.returncode, p.stdout[-3000:],
                                                                  p.stderr[-3000:]))
    return p


def test_sentences(golden):
    with open(golden, encoding="utf-8") as f:
        g = json.load(f)
    return [s for s in g["sentences"] if s.get("e2e", True)]


def case_translate(a):
    sents = test_sentences(a.golden)
    cases = os.path.join(a.tmp, "cases.tsv")
    with open(cases, "w", encoding="utf-8") as f:
        for s in sents:
            src, tgt = s["dir"].split("-")
            f.write("%s\t%s\t%s\n" % (src, tgt, s["src"]))
    out = os.path.join(a.tmp, "capi_out.txt")
    p = run([a.capi_test, "--model", a.model, "--cases", cases, "--out", out, "--threads", "4", "--tmp", a.tmp])
    print(p.stdout.strip())
    with open(out, encoding="utf-8") as f:
        got = [line.rstrip("\n").replace("\\n", "\n").replace("\\\\", "\\") for line in f]
    if len(got) != len(sents):
        sys.exit("FAIL: %d outputs for %d cases" % (len(got), len(sents)))
    bad = 0
    for s, g in zip(sents, got):
        src, tgt = s["dir"].split("-")
        cli = run([a.hymt, "translate", "--model", a.model, "--from", src, "--to", tgt, "--threads", "2", "-q",
                   s["src"]]).stdout.rstrip("\n")
        if g != cli:
            bad += 1
            print("FAIL: %s line %d: C API %r, hymt translate %r" % (s["dir"], s["line"], g, cli), file=sys.stderr)
        elif g != s["tgt"]:
            bad += 1
            print("FAIL: %s line %d: both %r, reference %r" % (s["dir"], s["line"], g, s["tgt"]), file=sys.stderr)
    print("C API = hymt translate = reference on %d / %d sentences" % (len(sents) - bad, len(sents)))
    return bad == 0


def case_tokenize(a):
    texts = ["Hello, world!", "The cat sat on the mat.", "我们现在有 4 个月大的老鼠。", "emoji 😀👍🏽 and ça va?",
             "  leading spaces\tand\ttabs\n", sents_first(a)]
    bad = 0
    for t in texts:
        want = json.loads(run([a.hymt, "tokenize", "--model", a.model, "--json", t]).stdout)
        if isinstance(want, dict):
            want = want.get("ids", want.get("tokens"))
        want = [x["id"] if isinstance(x, dict) else x for x in want]
        got = run([a.capi_test, "--model", a.model, "--tokenize", t]).stdout.strip()
        got = [int(x) for x in got.split(",")] if got else []
        if got != want:
            bad += 1
            print("FAIL: %r: C API %s, hymt tokenize %s" % (t, got, want), file=sys.stderr)
    print("tokenize: %d / %d texts equal" % (len(texts) - bad, len(texts)))
    return bad == 0


def sents_first(a):
    return test_sentences(a.golden)[0]["src"]


def main():
    ap = argparse.ArgumentParser()
    for k in ("case", "capi-test", "hymt", "model", "golden", "tmp"):
        ap.add_argument("--" + k, required=True)
    a = ap.parse_args()
    shutil.rmtree(a.tmp, ignore_errors=True)
    os.makedirs(a.tmp)
    ok = {"translate": case_translate, "tokenize": case_tokenize}[a.case](a)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
