#!/usr/bin/env python3
"""Held-out accuracy of `hymt detect` on FLORES-200 devtest, per language, for whole sentences and
for short strings of 1-5 words cut from them. The detector's profiles are built from lines 0-799
(scripts/build-langid-profile.py); this evaluates lines 800-1011 only, which the profiles never saw.

Short strings: from held-out line i, k = 1 + i % 5 consecutive words starting a third of the way in
(words are space-separated; Chinese, Cantonese and Japanese have no spaces, so there a "word" is
two characters and k words are 2k characters). A window without letters moves right until it has
some. Each language gets one detection per held-out line for each kind, through one run of
`hymt detect -i FILE --lines --json --top 2` per language and kind.

Usage: scripts/eval-detect.py --hymt build/bin/hymt [--data DIR] [--markdown] [--check]
  --markdown  the tables of docs/translate.md ("Language detection")
  --check     exit 1 if a language falls below MIN_SENTENCE / MIN_SHORT (measured minus a margin)
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

HELD_OUT = 800
NO_SPACES = ("zh", "zh-Hant", "yue", "ja")
# Minimum accuracies held by --check: the figures in docs/translate.md minus 0.02 (0.05 for the
# close pairs ms/id and zh-Hant/yue, whose 212 lines give a standard error of about 0.02-0.035).
CLOSE = ("ms", "id", "zh-Hant", "yue")
MIN_SENTENCE = {"ms": 0.88, "id": 0.88, "zh-Hant": 0.60, "yue": 0.53, "zh": 0.97}
MIN_SHORT = {"ms": 0.60, "id": 0.60, "zh-Hant": 0.51, "yue": 0.40, "zh": 0.70}
DEFAULT_SENTENCE, DEFAULT_SHORT = 0.97, 0.84


def has_letter(s):
    return any(unicodedata.category(c)[0] == "L" for c in s)


def short_string(line, i, code):
    k = 1 + i % 5
    if code in NO_SPACES:
        chars = [c for c in line if not c.isspace()]
        units, size, join = chars, 2 * k, ""
    else:
        units, size, join = line.split(), k, " "
    start = len(units) // 3
    for s in range(start, max(start + 1, len(units))):
        piece = join.join(units[s:s + size])
        if has_letter(piece):
            return piece, k
    return join.join(units[:size]), k


def detect_lines(hymt, lines, tmp):
    path = os.path.join(tmp, "in.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    p = subprocess.run([hymt, "detect", "-i", path, "--lines", "--json", "--top", "2"], capture_output=True,
                       text=True)
    if p.returncode != 0:
        sys.exit(f"hymt detect failed ({p.returncode}): {p.stderr}")
    out = [json.loads(x) for x in p.stdout.splitlines()]
    if len(out) != len(lines):
        sys.exit(f"hymt detect gave {len(out)} answers for {len(lines)} lines")
    return out


def languages(hymt):
    p = subprocess.run([hymt, "languages"], capture_output=True, text=True, check=True)
    rows = [r.split() for r in p.stdout.splitlines()[1:] if r.strip()]
    return [(r[0], r[1]) for r in rows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared",
                                                   "data", "flores200-devtest", "devtest"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print(f"SKIPPED: needs FLORES-200 devtest in {a.data}")
        sys.exit(77)
    rows = []
    by_k = collections.defaultdict(lambda: [0, 0])  # (language group, k) -> right, total
    conf_right, conf_wrong = [], []
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for code, flores in languages(a.hymt):
            with open(os.path.join(a.data, flores + ".devtest"), encoding="utf-8") as f:
                held = f.read().split("\n")[HELD_OUT:1012]
            shorts = [short_string(line, i, code) for i, line in enumerate(held)]
            sent = detect_lines(a.hymt, held, tmp)
            short = detect_lines(a.hymt, [s for s, _ in shorts], tmp)
            res = {}
            for kind, answers in (("sentence", sent), ("short", short)):
                wrong = collections.Counter()
                right = 0
                for j, ans in enumerate(answers):
                    ok = ans["code"] == code
                    right += ok
                    if not ok:
                        wrong[ans["code"] or "(none)"] += 1
                    if kind == "short":
                        grp = code if code in CLOSE else "other"
                        by_k[(grp, shorts[j][1])][0] += ok
                        by_k[(grp, shorts[j][1])][1] += 1
                    (conf_right if ok else conf_wrong).append(ans["confidence"])
                res[kind] = (right / len(answers), wrong)
            rows.append((code, res))
            for kind, table, default in (("sentence", MIN_SENTENCE, DEFAULT_SENTENCE),
                                         ("short", MIN_SHORT, DEFAULT_SHORT)):
                if res[kind][0] < table.get(code, default):
                    failures.append(f"{code} {kind} accuracy {res[kind][0]:.3f} < {table.get(code, default)}")

    def conf_str(c):
        return " ".join(f"{k}:{v}" for k, v in sorted(c.items(), key=lambda kv: -kv[1]))

    if a.markdown:
        print("| lang | sentence | confused with | 1-5 words | confused with |")
        print("|---|---|---|---|---|")
        for code, res in rows:
            print(f"| {code} | {res['sentence'][0]:.3f} | {conf_str(res['sentence'][1])} | {res['short'][0]:.3f} | "
                  f"{conf_str(res['short'][1])} |")
        print()
        print("| words | " + " | ".join(["ms", "id", "zh-Hant", "yue", "other 34"]) + " |")
        print("|---|---|---|---|---|---|")
        for k in range(1, 6):
            cells = []
            for grp in ("ms", "id", "zh-Hant", "yue", "other"):
                r, t = by_k[(grp, k)]
                cells.append(f"{r / t:.3f}" if t else "-")
            print(f"| {k} | " + " | ".join(cells) + " |")
    else:
        for code, res in rows:
            print(f"{code:8} sentence {res['sentence'][0]:.3f} {conf_str(res['sentence'][1]):30} "
                  f"short {res['short'][0]:.3f} {conf_str(res['short'][1])}")
    mean = lambda v: sum(v) / len(v) if v else 0.0  # noqa: E731
    print(f"\nmean confidence: right {mean(conf_right):.3f} ({len(conf_right)}), wrong {mean(conf_wrong):.3f} "
          f"({len(conf_wrong)})")
    if a.check and failures:
        print("FAIL:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
