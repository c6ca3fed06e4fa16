#!/usr/bin/env python3
"""Builds src/translate/langid_profile.inc: character 1-3-gram counts for the HY-MT languages that
share a script with another HY-MT language (Latin, Cyrillic, Arabic, Devanagari, Han), from lines
0-799 of FLORES-200 devtest (lines 800-1011 are held out for evaluation). Deterministic: the same
data gives the same file byte for byte (sorted keys, no timestamps).

Text normalisation must match src/translate/detect_ngram.cpp: letters and marks are kept and
lower-cased with the same hand-written rule, every other run of characters becomes one space, and
the text is padded with a space at each end.

It also writes src/translate/langid_pairs.inc: for the two pairs the general profiles separate
worst (Malay/Indonesian, Traditional Chinese/Cantonese), every feature seen at least twice in the
pair's build lines with its count in each language, for the add-alpha naive-Bayes pair stage of
src/translate/detect_ngram.cpp. The features and alpha were chosen by 4-fold cross-validation
inside lines 0-799 (never on 800-1011). --report prints each pair's most telling features (the
word lists in docs/translate.md).

Usage: scripts/build-langid-profile.py [--report] [FLORES_DEVTEST_DIR] [OUTPUT] [PAIRS_OUTPUT]
"""
import collections
import math
import os
import sys
import unicodedata

# HY-MT code -> FLORES code, for the languages the n-gram stage has to tell apart.
LANGS = {
    "en": "eng_Latn", "fr": "fra_Latn", "de": "deu_Latn", "es": "spa_Latn", "pt": "por_Latn",
    "it": "ita_Latn", "nl": "nld_Latn", "pl": "pol_Latn", "cs": "ces_Latn", "vi": "vie_Latn",
    "ms": "zsm_Latn", "id": "ind_Latn", "tl": "tgl_Latn", "tr": "tur_Latn",
    "ru": "rus_Cyrl", "uk": "ukr_Cyrl", "kk": "kaz_Cyrl", "mn": "khk_Cyrl",
    "ar": "arb_Arab", "fa": "pes_Arab", "ur": "urd_Arab", "ug": "uig_Arab",
    "hi": "hin_Deva", "mr": "mar_Deva",
    "zh": "zho_Hans", "zh-Hant": "zho_Hant", "yue": "yue_Hant", "ja": "jpn_Jpan",
}
TRAIN_LINES = 800
# n-grams kept per order; the rest only count in the totals (they are "unseen" at run time).
KEEP = {1: 400, 2: 1500, 3: 2500}
KEEP_HAN = {1: 3000, 2: 2500, 3: 600}  # Han: the characters themselves carry most of the signal
# Whole words (order 4, written "#word"): they separate close pairs such as Malay and Indonesian
# far better than characters do. Not for Han text, which has no spaces between words.
KEEP_WORDS = 2000
# The pair stage: (a, b, character n-gram orders, whole words?). Malay/Indonesian: character
# 3-grams and words (4-fold CV in lines 0-799: 0.935/0.931 against 0.922/0.903 for the general
# profiles); zh-Hant/yue: character 2-grams (0.593/0.606 against 0.494/0.663: FLORES's Cantonese
# is formal written Chinese in Hong Kong usage, so only vocabulary such as 亦/也, 布殊/布希 tells).
# The last field is the add-alpha smoothing constant (also chosen by that cross-validation).
PAIRS = [("ms", "id", (3,), True, 0.1), ("zh-Hant", "yue", (2,), False, 0.5)]
PAIR_MIN_COUNT = 2
# Simplified-only and Traditional-only characters: Han characters seen at least FORM_MIN_COUNT
# times in the build lines of zh and never in those of zh-Hant and yue (and the reverse), such as
# 这/這, 们/們, 顾/顧. On the held-out lines no zh-Hant or yue line has a Simplified-only character
# and no zh line a Traditional-only one; 150 of 212 zh short strings have one.
FORM_MIN_COUNT = 2


def is_upper(c):
    """Mirror of is_upper() in src/translate/letter_case.h (the scripts with case in HY-MT)."""
    if 0x41 <= c <= 0x5A:
        return True
    if 0xC0 <= c <= 0xDE:
        return c != 0xD7
    if 0x100 <= c <= 0x17F:
        if 0x139 <= c <= 0x148 or 0x179 <= c <= 0x17E:
            return c % 2 == 1
        return c % 2 == 0 and c != 0x138
    if 0x180 <= c <= 0x24F:
        return c in (0x1A0, 0x1AF, 0x218, 0x21A) or (0x1CD <= c <= 0x1DC and c % 2 == 1)
    if 0x1E00 <= c <= 0x1EFF:
        return c % 2 == 0
    if 0x391 <= c <= 0x3AB:
        return c != 0x3A2
    if 0x400 <= c <= 0x42F:
        return True
    if 0x460 <= c <= 0x4FF:
        if c == 0x4C0:
            return True
        if 0x4C1 <= c <= 0x4CE:
            return c % 2 == 1
        return c % 2 == 0
    return False


def to_lower(c):
    """Mirror of fold_case(c, FoldScope::kAllCased) in src/translate/letter_case.h."""
    if not is_upper(c):
        return c
    if c <= 0x5A or 0xC0 <= c <= 0xDE or 0x391 <= c <= 0x3AB or 0x410 <= c <= 0x42F:
        return c + 0x20
    if 0x400 <= c <= 0x40F:
        return c + 0x50
    if c == 0x4C0:
        return 0x4CF
    return c + 1


def normalise(text):
    out = [" "]
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LM":
            out.append(chr(to_lower(ord(ch))))
        elif out[-1] != " ":
            out.append(" ")
    if out[-1] != " ":
        out.append(" ")
    return "".join(out)


def grams(text):
    for n in (1, 2, 3):
        for i in range(len(text) - n + 1):
            g = text[i:i + n]
            if g.strip():
                yield n, g


def build_lines(src, code):
    with open(os.path.join(src, LANGS[code] + ".devtest"), encoding="utf-8") as f:
        return f.read().split("\n")[:TRAIN_LINES]


def pair_features(line, orders, words):
    norm = normalise(line)
    for n, g in grams(norm):
        if n in orders:
            yield g
    if words:
        for w in norm.split():
            yield "#" + w


def write_pairs(src, dst, report):
    out = ["// Generated by scripts/build-langid-profile.py from FLORES-200 devtest lines 0-799",
           "// (CC BY-SA 4.0). Do not edit. One record per pair: \"@a b orders words alpha\" then",
           "// \"feature\\tcount_a\\tcount_b\" lines (\"#word\" for whole words); last, \"@forms\" with the",
           "// Simplified-only (S) and Traditional-only (T) characters.",
           "// clang-format off"]
    for a, b, orders, words, alpha in PAIRS:
        ca, cb = collections.Counter(), collections.Counter()
        for line in build_lines(src, a):
            ca.update(pair_features(line, orders, words))
        for line in build_lines(src, b):
            cb.update(pair_features(line, orders, words))
        keys = sorted(k for k in set(ca) | set(cb) if ca[k] + cb[k] >= PAIR_MIN_COUNT)
        body = [f"@{a} {b} {''.join(str(o) for o in orders)} {1 if words else 0} {alpha}"]
        body.extend(f"{k}\t{ca[k]}\t{cb[k]}" for k in keys)
        text = "\n".join(body) + "\n"
        assert ")hymt\"" not in text
        out.append(f"R\"hymt({text})hymt\"")
        if report:
            # Most telling features: log-odds times the square root of the evidence.
            def tell(k):
                return math.log((ca[k] + 1) / (cb[k] + 1)) * math.sqrt(ca[k] + cb[k])
            ranked = sorted(keys, key=tell)
            for lang, side in ((a, ranked[::-1][:40]), (b, ranked[:40])):
                print(f"{lang}: " + " ".join(f"{k.lstrip('#')} {ca[k]}/{cb[k]}" for k in side))
    han = lambda c: 0x3400 <= ord(c) <= 0x9FFF  # noqa: E731
    counts = {}
    for code in ("zh", "zh-Hant", "yue"):
        counts[code] = collections.Counter(c for line in build_lines(src, code) for c in line if han(c))
    trad = counts["zh-Hant"] + counts["yue"]
    simp_only = sorted(c for c, v in counts["zh"].items() if v >= FORM_MIN_COUNT and trad[c] == 0)
    trad_only = sorted(c for c, v in trad.items() if v >= FORM_MIN_COUNT and counts["zh"][c] == 0)
    out.append("R\"hymt(@forms\nS\t" + "".join(simp_only) + "\nT\t" + "".join(trad_only) + "\n)hymt\"")
    out.append("// clang-format on")
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


def main():
    args = [a for a in sys.argv[1:] if a != "--report"]
    report = len(args) != len(sys.argv) - 1
    here = os.path.dirname(__file__)
    src = args[0] if len(args) > 0 else os.path.join(here, "..", "..", "shared", "data", "flores200-devtest", "devtest")
    dst = args[1] if len(args) > 1 else os.path.join(here, "..", "src", "translate", "langid_profile.inc")
    pairs_dst = args[2] if len(args) > 2 else os.path.join(here, "..", "src", "translate", "langid_pairs.inc")
    write_pairs(src, pairs_dst, report)
    out = ["// Generated by scripts/build-langid-profile.py from FLORES-200 devtest lines 0-799",
           "// (CC BY-SA 4.0). Do not edit. One record per language: \"@code t1 t2 t3 t4\" (all",
           "// 1-, 2-, 3-grams and words seen) followed by \"gram\\tcount\" and \"#word\\tcount\" lines.",
           "// clang-format off"]
    for code in sorted(LANGS):
        lines = build_lines(src, code)
        han = code in ("zh", "zh-Hant", "yue", "ja")
        counts = {n: collections.Counter() for n in (1, 2, 3, 4)}
        for line in lines:
            norm = normalise(line)
            for n, g in grams(norm):
                counts[n][g] += 1
            if not han:
                counts[4].update(norm.split())
        keep = dict(KEEP_HAN if han else KEEP)
        keep[4] = 0 if han else KEEP_WORDS
        totals = [max(1, sum(counts[n].values())) for n in (1, 2, 3, 4)]
        body = [f"@{code} " + " ".join(str(t) for t in totals)]
        for n in (1, 2, 3, 4):
            ranked = sorted(counts[n].items(), key=lambda kv: (-kv[1], kv[0]))[:keep[n]]
            prefix = "#" if n == 4 else ""
            body.extend(f"{prefix}{g}\t{c}" for g, c in ranked if c >= 2)
        text = "\n".join(body) + "\n"
        assert ")hymt\"" not in text
        out.append(f"R\"hymt({text})hymt\"")
    out.append("// clang-format on")
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
