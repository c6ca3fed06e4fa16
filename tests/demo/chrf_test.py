#!/usr/bin/env python3
"""Checks tests/demo/chrf.py (used by the demo model's quality table) against sacreBLEU 2.6.0's chrF
(shared/data/sacrebleu-vectors): every sentence score, every corpus score and the single-reference
edge cases, to 1e-9 relative.

Usage: chrf_test.py SHARED_DATA_DIR (skipped, exit 77, when it has no sacrebleu-vectors)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import chrf  # noqa: E402
import requires  # noqa: E402


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def main():
    requires.need_shared_data(sys.argv[1], "sacrebleu-vectors")
    d = os.path.join(sys.argv[1], "sacrebleu-vectors")
    bad, n = [], 0
    for line in open(os.path.join(d, "sentence_scores.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        if "hyp" not in r or "sentence_chrf" not in r:
            continue
        n += 1
        s = chrf.sentence_chrf(r["hyp"], r["ref"])
        if not close(s, r["sentence_chrf"]):
            bad.append("sentence %s:%d: %r vs %r" % (r["corpus"], r["line"], s, r["sentence_chrf"]))
    n_corpus = 0
    for line in open(os.path.join(d, "corpus_scores.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        if r["metric"] != "chrF" or len(r["ref_files"]) != 1:
            continue
        n_corpus += 1
        read = lambda f: open(os.path.join(d, "inputs", f), encoding="utf-8").read().split("\n")[:r["n_segments"]]
        s = chrf.corpus_chrf(read(r["hyp_file"]), read(r["ref_files"][0]))
        if not close(s, r["score"]):
            bad.append("corpus %s: %r vs %r" % (r["hyp_file"], s, r["score"]))
    n_edge = 0
    for line in open(os.path.join(d, "edge_cases.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        if r["metric"] != "chrF" or any(len(x) != 1 for x in r["refs"]):
            continue
        n_edge += 1
        s = chrf.corpus_chrf(r["hyps"], [x[0] for x in r["refs"]])
        if not close(s, r["score"]):
            bad.append("edge %s: %r vs %r" % (r["case"], s, r["score"]))
    # A negative control: a perturbed hypothesis must score differently.
    if close(chrf.sentence_chrf("the cat sat on the mat", "the cat sat on the mat"),
             chrf.sentence_chrf("the cat sat on a mat", "the cat sat on the mat")):
        bad.append("chrF does not see a changed word")
    if n < 100 or n_corpus < 6 or n_edge < 3:
        bad.append("too few vectors read (%d sentence, %d corpus, %d edge)" % (n, n_corpus, n_edge))
    for b in bad[:20]:
        print("FAIL: " + b, file=sys.stderr)
    if bad:
        sys.exit("%d chrF mismatch(es)" % len(bad))
    print("chrF: %d sentence, %d corpus and %d edge-case scores match sacreBLEU" % (n, n_corpus, n_edge))


if __name__ == "__main__":
    main()
