#!/usr/bin/env python3
"""`hymt eval score --paired-bs` against numpy, at test time (docs/eval.md "Paired bootstrap").

  indices  the resample indices (hidden `hymt eval bootstrap-indices`) equal
           np.random.default_rng(seed).choice(n, size=(samples, n), replace=True) for several n
           (1 to 100000, and ranges past 32 bits are covered by numpy_random's own paths) and seeds.
  bleu     sacreBLEU 2.x's paired bootstrap recomputed here with numpy from the sentence statistics
           hymt prints (--sentence --json): the same indices, float32 sums per resample, BLEU from
           the summed counts, mean and 95% interval of the sorted scores, p with the +1 smoothing;
           hymt's --json values must be the same doubles and its text the same digits.
Skips (exit 77) when this Python has no numpy.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import requires  # noqa: E402

try:
    import numpy as np
except ImportError:
    requires.skip("numpy is not installed for %s (Debian: python3-numpy)" % sys.executable)


def run(args, *cmd):
    p = subprocess.run([args.hymt] + list(cmd), capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError("hymt %s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p.stdout


def case_indices(args):
    for seed in (12345, 0, 1, 2**40 + 3):
        for n, samples in ((1, 50), (2, 1000), (7, 1000), (100, 1000), (1012, 1000), (100000, 12)):
            if seed != 12345 and samples > 50:
                samples = 50
            out = run(args, "eval", "bootstrap-indices", "--n", str(n), "--samples", str(samples), "--seed", str(seed))
            got = np.array([[int(x) for x in line.split()] for line in out.splitlines()], dtype=np.int64)
            want = np.random.default_rng(seed).choice(n, size=(samples, n), replace=True)
            assert got.shape == want.shape, (seed, n, got.shape, want.shape)
            bad = np.argwhere(got != want)
            assert bad.size == 0, "seed %d n %d: first difference at %s: hymt %d numpy %d" % (
                seed, n, bad[0], got[tuple(bad[0])], want[tuple(bad[0])])
    print("indices: ok")


# sacreBLEU's BLEU of summed statistics (exp smoothing, 4-grams, no effective order).
def bleu(s):
    sys_len, ref_len = int(s[0]), int(s[1])
    correct, total = [float(x) for x in s[2:6]], [float(x) for x in s[6:10]]
    bp = 1.0
    if sys_len < ref_len:
        bp = math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0
    if not any(correct):
        return 0.0
    precisions = [0.0] * 4
    smooth = 1.0
    for n in range(4):
        if total[n] == 0:
            break
        if correct[n] == 0:
            smooth *= 2
            precisions[n] = 100.0 / (smooth * total[n])
        else:
            precisions[n] = 100.0 * correct[n] / total[n]
    return bp * math.exp(sum([math.log(p) if p != 0.0 else -9999999999 for p in precisions]) / 4)


def sentence_stats(args, hyp, ref):
    j = json.loads(run(args, "eval", "score", "--sentence", "--json", "--metrics", "bleu", "--hyp", hyp, "--ref", ref))
    rows = []
    for s in j["sentences"]:
        b = s["scores"][0]
        rows.append([b["sys_len"], b["ref_len"]] + b["counts"] + b["totals"])
    return np.array(rows, dtype="float32")


def estimate_ci(scores):
    scores = np.sort(scores)
    lo = len(scores) // 40
    return scores.mean(), 0.5 * (scores[len(scores) - lo - 1] - scores[lo])


def corpus(tmp):
    rnd = random.Random(7)
    vocab = ["w%d" % i for i in range(60)] + ["the", "a", "of", ",", "."]
    refs = [" ".join(rnd.choice(vocab) for _ in range(rnd.randint(1, 25))) for _ in range(257)]

    def perturb(rate):
        out = []
        for r in refs:
            words = [w if rnd.random() > rate else rnd.choice(vocab) for w in r.split()]
            if rnd.random() < rate:
                words = words[: max(0, len(words) - 2)]
            out.append(" ".join(words))
        return out

    paths = {}
    for name, lines in (("ref", refs), ("base", perturb(0.30)), ("close", perturb(0.31)), ("worse", perturb(0.45)),
                        ("same", None)):
        path = os.path.join(tmp, name + ".txt")
        if lines is None:
            path = paths["base"]
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
        paths[name] = path
    return paths


def case_bleu(args):
    p = corpus(args.tmp)
    systems = [p["base"], p["close"], p["worse"], p["same"]]
    stats = [sentence_stats(args, h, p["ref"]) for h in systems]
    n = len(stats[0])
    idxs = np.random.default_rng(12345).choice(n, size=(1000, n), replace=True)
    want = []
    bl_scores = np.array([bleu(s.sum(0)) for s in stats[0][idxs]])
    bl_real = bleu(stats[0].astype(np.float64).sum(0))
    for k, st in enumerate(stats):
        real = bleu(st.astype(np.float64).sum(0))
        scores = np.array([bleu(s.sum(0)) for s in st[idxs]])
        mean, ci = estimate_ci(scores)
        pv = None
        if k > 0:
            d = np.abs(scores - bl_scores)
            c = np.sum((d - d.mean()) > abs(bl_real - real)).item()
            pv = (c + 1) / (len(d) + 1)
        want.append((real, float(mean), float(ci), pv))
    args_hyp = sum((["--hyp", h] for h in systems), [])
    j = json.loads(run(args, "eval", "score", "--paired-bs", "--json", "--metrics", "bleu", "--ref", p["ref"], *args_hyp))
    for k, (real, mean, ci, pv) in enumerate(want):
        got = j["systems"][k]["scores"][0]
        assert got["score"] == real and got["mean"] == mean and got["ci"] == ci, (k, got, want[k])
        if k > 0:
            assert got["p_value"] == pv, (k, got, want[k])
    assert want[3][3] == 1 / 1001 and want[2][3] < 0.05, want
    for w in (1, 2, 4):
        txt = run(args, "eval", "score", "--paired-bs", "-w", str(w), "--metrics", "bleu", "--ref", p["ref"], *args_hyp)
        lines = [line for line in txt.splitlines() if line.startswith("  BLEU")]
        assert len(lines) == 4, txt
        for k, (real, mean, ci, pv) in enumerate(want):
            cell = f"{real:.{w}f} ({mean:.{w}f} ± {ci:.{w}f})"
            if pv is not None:
                cell += f" (p = {pv:.4f})" + ("" if pv > 0.05 else "*")
            assert lines[k] == "  BLEU     = " + cell, (lines[k], cell)
    print("bleu: ok (p = %s)" % ", ".join("%.4f" % w[3] for w in want[1:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["indices", "bleu"])
    args = ap.parse_args()
    os.makedirs(args.tmp, exist_ok=True)
    {"indices": case_indices, "bleu": case_bleu}[args.case](args)


if __name__ == "__main__":
    main()
