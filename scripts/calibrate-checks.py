#!/usr/bin/env python3
"""calibrate-checks.py: recomputes src/translate/checks_calibration.inc, the thresholds of the
length-ratio and language-detector output checks (src/translate/checks_garbage.cpp), from the
FLORES-200 devtest references (1012 aligned sentences in each of the 38 HY-MT languages).

Length ratio: for every ordered pair of languages (X, Y), the ratio of Y's reference to X's in
units (code points that are not White_Space), over all 1012 sentences; the bounds written are
min / 1.5 and max * 1.5 (rounded outwards), so no reference pair is flagged and a real translation
has room on both sides. A source shorter than the shortest FLORES sentence of its language is
exempt: the calibration saw nothing that short, and short texts vary far more ("OK" ->
"D'accord" is a ratio of 4).

Detector: the check runs the n-gram detector (hymt.detect, the library's detect_language) on the
output and on its word halves/thirds; it fires only when all agree on a language outside the
target's group with the whole text's confidence at least kDetectMinConfidence. The script prints,
for each reference that all parts agree is another language, its confidence, and writes the
threshold max(0.5, highest such confidence + 0.1) over the references not listed as FLORES
defects (KNOWN_DEFECTS below).

Usage: /usr/bin/python3 scripts/calibrate-checks.py [--flores DIR] [--lib build/lib/libhymt.so]
       [--out src/translate/checks_calibration.inc]
Deterministic: the same data and library give the same file.
"""
import argparse
import math
import os
import sys
import unicodedata

# Unicode White_Space (the C++ side uses the tokenizer's kUcWhiteSpace class, the same property).
WHITE_SPACE = set(list(range(0x09, 0x0E)) + [0x20, 0x85, 0xA0, 0x1680] + list(range(0x2000, 0x200B)) +
                  [0x2028, 0x2029, 0x202F, 0x205F, 0x3000])
# Languages a detector cannot tell apart reliably: a mismatch inside a group is not a problem.
GROUPS = [{"zh", "zh-Hant", "yue"}, {"ms", "id"}]
# Targets whose script is shared by several HY-MT languages: only there the detector has to decide.
SHARED_SCRIPT = {"en", "fr", "de", "es", "pt", "it", "nl", "pl", "cs", "vi", "ms", "id", "tl", "tr",
                 "ru", "uk", "kk", "mn", "ar", "fa", "ur", "ug", "hi", "mr"}
# FLORES lines (0-based) whose "reference" is not in its language: excluded from the calibration
# and from the false-positive test (tests/translate/checks_flores_test.cpp keeps the same list).
KNOWN_DEFECTS = {("kk", 449), ("tl", 351), ("mr", 519)}  # kaz 450: English; tgl 352, mar 520: mojibake
MIN_LETTERS = 40  # below this many letters the n-gram detector is not asked (see checks_garbage.cpp)


def units(s):
    return sum(1 for c in s if ord(c) not in WHITE_SPACE)


def letters(s):
    return sum(1 for c in s if unicodedata.category(c).startswith("L"))


def same_group(a, b):
    return a == b or any(a in g and b in g for g in GROUPS)


def parts(s, n_letters):
    """The output split into 2 (40-89 letters) or 3 (90+) runs of whole words, as the C++ check."""
    k = 3 if n_letters >= 90 else 2
    words = s.split()
    if len(words) < k:
        return [s]
    n = len(words)
    return [" ".join(words[i * n // k:(i + 1) * n // k]) for i in range(k)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser()
    ap.add_argument("--flores", default=os.path.join(root, "..", "shared", "data", "flores200-devtest", "devtest"))
    ap.add_argument("--lib", default=os.path.join(root, "build", "lib", "libhymt.so"))
    ap.add_argument("--out", default=os.path.join(root, "src", "translate", "checks_calibration.inc"))
    a = ap.parse_args()
    os.environ["HYMT_LIBRARY"] = a.lib
    sys.path.insert(0, os.path.join(root, "python"))
    import hymt  # noqa: E402  (the binding of the library being calibrated)

    langs = list(hymt.languages())
    text = {}
    for l in langs:
        with open(os.path.join(a.flores, l.flores + ".devtest"), encoding="utf-8") as f:
            text[l.code] = f.read().split("\n")[:1012]
        assert len(text[l.code]) == 1012, l.flores
    n_units = {c: [units(s) for s in v] for c, v in text.items()}

    rows = []
    for x in langs:
        for y in langs:
            if x.code == y.code:
                continue
            r = [uy / ux for ux, uy in zip(n_units[x.code], n_units[y.code])]
            lo = math.floor(min(r) / 1.5 * 1000) / 1000
            hi = math.ceil(max(r) * 1.5 * 1000) / 1000
            rows.append((x.code, y.code, lo, hi))

    worst = 0.0
    for l in langs:
        if l.code not in SHARED_SCRIPT:
            continue
        for i, s in enumerate(text[l.code]):
            if (l.code, i) in KNOWN_DEFECTS:
                continue
            nl = letters(s)
            if nl < MIN_LETTERS:
                continue
            code, conf = hymt.detect(s)
            if code is None or same_group(code, l.code):
                continue
            if all(hymt.detect(p)[0] == code for p in parts(s, nl)):
                print("agreeing parts: %s line %d detected %s (%.3f)" % (l.code, i, code, conf))
                worst = max(worst, conf)
    threshold = max(0.5, math.ceil((worst + 0.1) * 100) / 100)

    with open(a.out, "w", encoding="utf-8") as f:
        f.write("// checks_calibration.inc: GENERATED by scripts/calibrate-checks.py from the FLORES-200 devtest\n")
        f.write("// references; do not edit by hand. Length-ratio bounds per (source, target) pair in units\n")
        f.write("// (non-White_Space code points), the shortest reference per language, and the detector's\n")
        f.write("// confidence threshold.\n")
        f.write("static const LengthBound kLengthBounds[] = {\n")
        for x, y, lo, hi in rows:
            f.write('    {"%s", "%s", %.3f, %.3f},\n' % (x, y, lo, hi))
        f.write("};\n")
        f.write("static const MinUnits kMinSourceUnits[] = {\n")
        for l in langs:
            f.write('    {"%s", %d},\n' % (l.code, min(n_units[l.code])))
        f.write("};\n")
        f.write("constexpr int kDetectMinLetters = %d;\n" % MIN_LETTERS)
        f.write("constexpr double kDetectMinConfidence = %.2f;  // highest agreeing reference: %.3f\n" %
                (threshold, worst))
    print("wrote %s: %d pairs, detector threshold %.2f" % (a.out, len(rows), threshold))


if __name__ == "__main__":
    main()
