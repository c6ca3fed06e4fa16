#!/usr/bin/env python3
"""eval_cli_test.py: `hymt eval` as a user runs it. Cases:
  errors   bad input gives a clear error, a non-zero exit and no output file; TER on hand-counted
           cases; --paired-bs of a system against itself and against a worse one.
  run      `eval run` with the demo model over four directions: table, report.md/.json, SVG (valid XML).
  compare  --compare: the demo model against itself (KL 0, top-1 1, all outputs equal) and against a
           Q4_0 quantization of it (hymt quantize).
  instruct --instruct tests/eval/data/instruct.jsonl: the rates recomputed here from the outputs.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import requires  # noqa: E402

DEMO = os.path.join(HERE, "..", "..", "models", "demo", "hy-mt-demo.gguf")


def run(args, *cmd, ok=True):
    p = subprocess.run([args.hymt] + list(cmd), capture_output=True, text=True)
    if ok and p.returncode != 0:
        raise AssertionError("hymt %s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def expect_error(args, needle, *cmd, out=None):
    p = run(args, *cmd, ok=False)
    assert p.returncode not in (0, -6, -11, 134, 139), "hymt %s: exit %d" % (" ".join(cmd), p.returncode)
    assert needle in p.stderr, "hymt %s: %r not in %r" % (" ".join(cmd), needle, p.stderr)
    assert "terminate" not in p.stderr and "Traceback" not in p.stderr
    if out:
        assert not os.path.exists(out), out + " was written despite the error"


def ter(args, hyp, ref):
    h = write(os.path.join(args.tmp, "ter_h.txt"), hyp + "\n")
    r = write(os.path.join(args.tmp, "ter_r.txt"), ref + "\n")
    return json.loads(run(args, "eval", "score", "--json", "--metrics", "ter", "--hyp", h, "--ref", r).stdout)["scores"][0]


def case_errors(args):
    t = args.tmp
    ref = write(os.path.join(t, "ref.txt"), "the cat sat on the mat\na dog\n")
    hyp = write(os.path.join(t, "hyp.txt"), "the cat sat on a mat\na dog\n")
    short = write(os.path.join(t, "short.txt"), "the cat\n")
    empty = write(os.path.join(t, "empty.txt"), "")
    out = os.path.join(t, "never.json")
    expect_error(args, "missing.txt", "eval", "score", "--hyp", os.path.join(t, "missing.txt"), "--ref", ref, "-o", out, out=out)
    expect_error(args, "has 1 lines but", "eval", "score", "--hyp", short, "--ref", ref, "-o", out, out=out)
    expect_error(args, "unknown metric 'bleurt'", "eval", "score", "--hyp", hyp, "--ref", ref, "--metrics", "bleu,bleurt")
    expect_error(args, "unknown tokenizer 'moses'", "eval", "score", "--hyp", hyp, "--ref", ref, "--tokenize", "moses")
    expect_error(args, "empty", "eval", "score", "--hyp", empty, "--ref", ref, "-o", out, out=out)
    expect_error(args, "ja-mecab is not available", "eval", "score", "--hyp", hyp, "--ref", ref, "--tokenize", "ja-mecab")
    expect_error(args, "ko-mecab is not available", "eval", "score", "--hyp", hyp, "--ref", ref, "--lang", "en-ko")
    bad_ref = write(os.path.join(t, "blank_ref.txt"), "the cat sat on the mat\n\n")
    expect_error(args, "empty reference", "eval", "score", "--hyp", hyp, "--ref", bad_ref)
    bad_utf8 = os.path.join(t, "bad.txt")
    with open(bad_utf8, "wb") as f:
        f.write(b"ok\n\xff\xfe\n")
    expect_error(args, "not valid UTF-8", "eval", "score", "--hyp", bad_utf8, "--ref", ref)
    rep = os.path.join(t, "rep")
    expect_error(args, "'en-xx'", "eval", "run", "--data", t, "--pairs", "en-xx", "-o", rep, out=rep + ".md")
    expect_error(args, "no English file", "eval", "run", "--data", t, "--pairs", "en-zh", "-o", rep, out=rep + ".md")
    expect_error(args, "only SVG", "eval", "run", "--data", t, "--pairs", "en-zh", "--plot", os.path.join(t, "p.png"))
    write(os.path.join(t, "en.txt"), "a\nb\n")
    write(os.path.join(t, "zh.txt"), "甲\n")
    expect_error(args, "line-aligned", "eval", "run", "--data", t, "--pairs", "en-zh", "-o", rep, out=rep + ".md")
    # -o writes the whole result or nothing: a folder that does not exist is an error, nothing left.
    expect_error(args, "never", "eval", "score", "--hyp", hyp, "--ref", ref, "-o", os.path.join(t, "no", "never.json"))

    # TER on cases counted by hand: a one-word block shift is one edit of four reference words.
    assert ter(args, "d a b c", "a b c d")["score"] == 25.0
    assert ter(args, "a b c d", "a b c d")["score"] == 0.0
    assert ter(args, "A B C D", "a b c d")["score"] == 0.0  # lower-cased by default
    assert ter(args, "a x c d", "a b c d")["score"] == 25.0  # one substitution
    assert ter(args, "a b c", "a b c d")["score"] == 25.0  # one deletion
    assert abs(ter(args, "c d a b e", "a b c d")["score"] - 50.0) < 1e-12  # a two-word shift + one insertion
    assert ter(args, "x", "a b")["score"] == 100.0  # one substitution + one deletion
    assert ter(args, "d a b c", "a b c d")["signature"] == "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0"

    # Paired bootstrap. sacreBLEU's p = (1 + #{|d_i| - mean|d| > |real d|}) / (1 + n): a system against
    # itself has every difference 0, so the count is 0 and p = 1/1001 (its formula, kept as it is).
    lines = ["the cat sat on the mat", "a dog barked", "it rained all day", "we went home", "the end"]
    good = write(os.path.join(t, "good.txt"), "\n".join(lines) + "\n")
    bad = write(os.path.join(t, "bad_sys.txt"), "\n".join(["x y z"] * 5) + "\n")
    refs = write(os.path.join(t, "refs5.txt"), "\n".join(lines) + "\n")
    j = json.loads(run(args, "eval", "score", "--json", "--paired-bs", "--hyp", good, "--hyp", good, "--hyp", bad, "--ref", refs,
                       "--metrics", "bleu,chrf").stdout)
    assert j["n_samples"] == 1000 and j["seed"] == 12345
    same = j["systems"][1]["scores"][0]
    assert same["p_value"] == 1 / 1001 and same["score"] == j["systems"][0]["scores"][0]["score"], same
    assert same["signature"].startswith("nrefs:1|bs:1000|seed:12345|case:mixed"), same
    worse = j["systems"][2]["scores"]
    assert all(s["p_value"] < 0.05 for s in worse), worse
    txt = run(args, "eval", "score", "--paired-bs", "--hyp", good, "--hyp", bad, "--ref", refs).stdout
    assert re.search(r"\(p = 0\.\d{4}\)\*", txt), txt
    # Text output: sacreBLEU's line shape.
    txt = run(args, "eval", "score", "--hyp", hyp, "--ref", ref, "--metrics", "bleu").stdout
    assert re.match(r"BLEU\|nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:2\.6\.0 = \d+\.\d "
                    r"[\d.]+/[\d.]+/[\d.]+/[\d.]+ \(BP = [\d.]+ ratio = [\d.]+ hyp_len = 8 ref_len = 8\)\n$", txt), txt
    print("errors: ok")


def case_run(args):
    if requires.missing_shared_data(args.data, "flores200-devtest/devtest/eng_Latn.devtest"):
        requires.skip(requires.missing_shared_data(args.data, "flores200-devtest/devtest/eng_Latn.devtest"))
    rep = os.path.join(args.tmp, "report")
    svg = os.path.join(args.tmp, "scores.svg")
    p = run(args, "eval", "run", "--model", DEMO, "--data", os.path.join(args.data, "flores200-devtest"), "--pairs",
            "en-zh,zh-en,en-fr,en-de", "--limit", "3", "-o", rep, "--plot", svg)
    assert "en-zh" in p.stdout and "BLEU|nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0" in p.stdout, p.stdout
    j = json.load(open(rep + ".json", encoding="utf-8"))
    assert [d["pair"] for d in j["directions"]] == ["en-zh", "zh-en", "en-fr", "en-de"]
    for d in j["directions"]:
        assert d["n_segments"] == 3
        names = [s["name"] for s in d["scores"]]
        assert names == ["BLEU", "chrF2"], names
        # The demo model was trained on these sentences: it reproduces them (docs/eval.md).
        assert all(s["score"] > 50 for s in d["scores"]), d
        assert d["sentences_per_s"] > 0 and d["tokens_per_s"] > 0
    assert j["directions"][0]["scores"][0]["signature"].endswith("tok:zh|smooth:exp|version:2.6.0")
    assert j["directions"][1]["scores"][0]["signature"].endswith("tok:13a|smooth:exp|version:2.6.0")
    md = open(rep + ".md", encoding="utf-8").read()
    assert "| en-fr | 3 |" in md and "## Signatures" in md
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert len([e for e in root.iter() if e.tag.endswith("rect")]) >= 8
    # Directions from a folder of <code>.txt files (any parallel set).
    d = os.path.join(args.tmp, "txt")
    os.makedirs(d, exist_ok=True)
    en = open(os.path.join(args.data, "flores200-devtest/devtest/eng_Latn.devtest"), encoding="utf-8").read().split("\n")
    de = open(os.path.join(args.data, "flores200-devtest/devtest/deu_Latn.devtest"), encoding="utf-8").read().split("\n")
    write(os.path.join(d, "en.txt"), "\n".join(en[:2]) + "\n")
    write(os.path.join(d, "de.txt"), "\n".join(de[:2]) + "\n")
    j = json.loads(run(args, "eval", "run", "-q", "--model", DEMO, "--data", d, "--pairs", "en-de", "--json").stdout)
    assert j["directions"][0]["n_segments"] == 2 and j["directions"][0]["scores"][1]["score"] > 50
    print("run: ok")


def case_compare(args):
    if requires.missing_shared_data(args.data, "flores200-devtest/devtest/eng_Latn.devtest"):
        requires.skip(requires.missing_shared_data(args.data, "flores200-devtest/devtest/eng_Latn.devtest"))
    data = os.path.join(args.data, "flores200-devtest")
    j = json.loads(run(args, "eval", "run", "-q", "--model", DEMO, "--compare", DEMO, "--data", data, "--pairs", "en-zh,en-fr",
                       "--limit", "2", "--json").stdout)
    for d in j["directions"]:
        c = d["compare"]
        assert c["kl_divergence"] == 0.0 and c["top1_agreement"] == 1.0 and c["greedy_exact"] == 1.0, c
        assert c["chrf_between_outputs"] == 100.0 and c["n_positions"] > 10, c
    q4 = os.path.join(args.tmp, "demo-q4_0.gguf")
    run(args, "quantize", DEMO, q4, "--type", "Q4_0")
    svg = os.path.join(args.tmp, "cmp.svg")
    rep = os.path.join(args.tmp, "cmp")
    j = json.loads(run(args, "eval", "run", "-q", "--model", DEMO, "--compare", q4, "--data", data, "--pairs", "en-zh",
                       "--limit", "2", "--json", "--plot", svg, "-o", rep).stdout)
    c = j["directions"][0]["compare"]
    assert 0 < c["kl_divergence"] < 0.5 and 0.5 < c["top1_agreement"] <= 1.0, c
    assert j["compare_bytes"] < j["model_bytes"]
    assert "## Fidelity of the compared model" in open(rep + ".md", encoding="utf-8").read()
    root = ET.parse(svg).getroot()
    assert len([e for e in root.iter() if e.tag.endswith("circle")]) == 2  # score against file size
    print("compare: ok")


def case_instruct(args):
    fixture = os.path.join(HERE, "data", "instruct.jsonl")
    j = json.loads(run(args, "eval", "run", "-q", "--model", DEMO, "--instruct", fixture, "--json").stdout)["instruct"]
    items = [json.loads(l) for l in open(fixture, encoding="utf-8")]
    assert j["n_items"] == len(items)
    terms = hits = 0
    for it, got in zip(items, j["items"]):
        assert got["id"] == it["id"]
        for src, tgt in it.get("glossary", {}).items():
            terms += 1
            hits += tgt in got["output"]
            assert (tgt in got["output"]) == (src not in got["glossary_misses"])
        tags = re.findall(r"</?[A-Za-z][^<>]*>", it["src"])
        if tags:
            assert got["tags_kept"] == (sorted(tags) == sorted(re.findall(r"</?[A-Za-z][^<>]*>", got["output"])))
        if it.get("format") == "srt":
            timing = lambda s: [l for l in s.splitlines() if "-->" in l]
            assert got["cues_aligned"] == (timing(it["src"]) == timing(got["output"]))
            assert got["cues_aligned"]  # the document layer keeps cues
    assert j["terminology"]["terms"] == terms and j["terminology"]["hits"] == hits
    assert j["tags"]["items"] == 1 and j["srt_cues"]["items"] == 1 and j["placeholders"]["items"] == 1
    for k in ("wrong_language_rate", "echo_rate", "loop_rate"):
        assert 0.0 <= j[k] <= 1.0
    bad = write(os.path.join(args.tmp, "bad.jsonl"), '{"src": "x"}\n')
    expect_error(args, "\"to\" is required", "eval", "run", "--model", DEMO, "--instruct", bad)
    print("instruct: ok")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["errors", "run", "compare", "instruct"])
    args = ap.parse_args()
    shutil.rmtree(args.tmp, ignore_errors=True)  # a fresh folder: the error cases check that nothing is written
    os.makedirs(args.tmp)
    globals()["case_" + args.case](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
