#!/usr/bin/env python3
"""The Java binding (java/, package io.hymt) against the hymt CLI, on the bundled demo model. Each case
runs the `hymt` command for the expected values and tests/java/src/io/hymt/test/JavaTest.java (through
hymt.jar and libhymt_jni.so) for the binding's, and compares them: nothing here holds expected outputs.

Cases:
  translate  the demo model's test sentences (models/demo/golden.json, every direction) and a few
             option cases (--keep, --term, auto source, SRT and JSON documents, several lines): the
             text of Translator.translate equals `hymt translate`'s stdout, checksFailed its exit code 5
  threads    4 threads, each with its own Translator on one Model, give what one thread gives
  stream     streamed pieces concatenate to the result, which equals the unstreamed translation
  cancel     callback returning false, cancel() from another thread, close() during a call -> CANCELLED
  errors     missing / corrupt / truncated model, unknown language / format, empty text, ... -> status
  closed     closed Model and Translator throw IllegalStateException; a translator outlives its model
  tokenize   Model.tokenize equals `hymt tokenize --lines` (with and without --parse-special)
  unicode    emoji, CJK extension B, combining marks round-trip through tokenize/detokenize
  info       Model.info() equals `hymt info --json`, Hymt.languages() `hymt languages`, Hymt.detect()
             source language `hymt translate --json` reports (auto source)
  file       translateFile(SRT) writes the bytes `hymt translate -i -o` writes; json() has its segments
  example    examples/Translate.java (stdin -> stdout) prints what `hymt translate` prints

Usage: java_test.py --hymt PATH --java PATH --classpath CP --libdir DIR --model GGUF --golden DIR --tmp DIR CASE
Exit 77 (skip) only when the java executable is missing.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys

FAILS = []
SKIP_CODE = 77


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL: " + msg, file=sys.stderr)
    return cond


def run(args, expect=(0,), stdin=None, env=None):
    p = subprocess.run(args, capture_output=True, input=stdin, env=env)
    if p.returncode not in expect:
        sys.exit("FAIL: %s exited %d, expected %s\nstdout: %s\nstderr: %s"
                 % (" ".join(args), p.returncode, expect, p.stdout[-3000:].decode("utf-8", "replace"),
                    p.stderr[-3000:].decode("utf-8", "replace")))
    return p


def b64(s):
    return base64.b64encode(s.encode("utf-8")).decode("ascii")


def unb64(s):
    return base64.b64decode(s).decode("utf-8")


def java_start(a, *args):
    """Starts JavaTest with the binding; java_wait() collects it."""
    # -Xcheck:jni: the JVM checks every JNI call of libhymt_jni (arguments, pending exceptions,
    # local references) and reports misuse as "WARNING/FATAL ERROR in native method".
    cmd = [a.java, "-ea", "-Xcheck:jni", "-Djava.library.path=" + a.libdir, "-cp", a.classpath,
           "io.hymt.test.JavaTest"] + list(args)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.case = args[0]
    return p


def java_wait(p):
    """Shows JavaTest's stdout/stderr and checks its exit code and -Xcheck:jni's silence."""
    out, err = p.communicate(timeout=300)
    sys.stdout.write(out)
    sys.stderr.write(err)
    check(p.returncode == 0, "JavaTest %s exited %d" % (p.case, p.returncode))
    check("in native method" not in out + err, "JavaTest %s: -Xcheck:jni reported JNI misuse" % p.case)


def java(a, *args):
    java_wait(java_start(a, *args))


def test_sentences(a):
    with open(os.path.join(a.golden, "golden.json"), encoding="utf-8") as f:
        g = json.load(f)
    return [s for s in g["sentences"] if s.get("e2e", True)]


class Case:
    def __init__(self, frm, to, text, **opts):
        self.frm, self.to, self.text, self.opts = frm, to, text, opts  # opts: format, keep, term

    def line(self):
        f = [self.frm or "", self.to, b64(self.text)]
        for k, v in self.opts.items():
            for x in (v if isinstance(v, list) else [v]):
                f.append("%s=%s" % (k, b64(x)))
        return "\t".join(f)

    def cli_args(self):
        args = ["--to", self.to] + (["--from", self.frm] if self.frm else [])
        for k, v in self.opts.items():
            for x in (v if isinstance(v, list) else [v]):
                args += {"format": ["--format", x], "keep": ["--keep", x], "term": ["--term", x]}[k]
        return args


def sentence_cases(a):
    return [Case(*s["dir"].split("-"), s["src"]) for s in test_sentences(a)]


def option_cases(a):
    sents = test_sentences(a)
    en_zh = [s["src"] for s in sents if s["dir"] == "en-zh"]
    zh_en = [s["src"] for s in sents if s["dir"] == "zh-en"]
    srt = "".join("%d\n00:00:%02d,000 --> 00:00:%02d,500\n%s\n\n" % (k + 1, 2 * k, 2 * k + 1, s)
                  for k, s in enumerate(en_zh[:3]))
    word = en_zh[1].split()[1].strip(",.\"")
    return [
        Case("en", "zh", en_zh[0], keep=word),
        Case("en", "zh", en_zh[2], term="the=这"),
        Case(None, "en", zh_en[0]),  # source detected
        Case("en", "zh", "%s\n%s\n" % (en_zh[3], en_zh[4])),  # a two-line document
        Case("en", "zh", srt, format="srt"),
        Case("en", "fr", json.dumps({"title": en_zh[5], "menu": {"open": en_zh[6]}, "n": 3}, ensure_ascii=False),
             format="json"),
    ]


def write_cases(a, name, cases):
    path = os.path.join(a.tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(c.line() + "\n" for c in cases))
    return path


def cli_translate(a, c, extra=()):
    p = run([a.hymt, "translate", "--model", a.model, "--threads", "2", "-q"] + c.cli_args() + list(extra) + [c.text],
            expect=(0, 5))
    return p.stdout.decode("utf-8"), p.returncode == 5


def case_translate(a):
    cases = sentence_cases(a) + option_cases(a)
    out = os.path.join(a.tmp, "java_out.txt")
    jp = java_start(a, "translate", a.model, write_cases(a, "cases.txt", cases), out)
    clis = [cli_translate(a, c) for c in cases]  # while Java translates
    java_wait(jp)
    with open(out, encoding="utf-8") as f:
        got = [line.split("\t") for line in f.read().splitlines()]
    check(len(got) == len(cases), "%d Java results for %d cases" % (len(got), len(cases)))
    same = 0
    for c, g, (cli, cli_failed) in zip(cases, got, clis):
        text = unb64(g[0])
        shown = text if text.endswith("\n") else text + "\n"  # the CLI ends its output with a newline
        if check(shown == cli, "%s->%s %r: Java %r, CLI %r" % (c.frm, c.to, c.text[:60], shown, cli)):
            same += 1
        check((g[1] == "1") == cli_failed, "%r: checksFailed %s, CLI exit code 5: %s" % (c.text[:60], g[1], cli_failed))
    print("translate: %d / %d Java translations equal the CLI's" % (same, len(cases)))


def case_threads(a):
    java(a, "threads", a.model, write_cases(a, "cases.txt", sentence_cases(a)[::3] + option_cases(a)[:4]), "4")


def case_stream(a):
    java(a, "stream", a.model, write_cases(a, "cases.txt", sentence_cases(a)[::4] + option_cases(a)))


def case_cancel(a):
    java(a, "cancel", a.model, write_cases(a, "cases.txt", sentence_cases(a)))


def case_errors(a):
    java(a, "errors", a.model, os.path.join(a.tmp, "files"))


def case_closed(a):
    java(a, "closed", a.model, write_cases(a, "cases.txt", sentence_cases(a)[:2]))


def case_unicode(a):
    java(a, "unicode", a.model)


def case_tokenize(a):
    texts = [s["src"] for s in test_sentences(a)] + [
        "😀 emoji 👩‍👩‍👧‍👦 and 🇨🇳", "𠀀𠀁𪚥 CJK extension B", "中文，日本語、한국어", "e\u0301 \u00e9",
        "<|startoftext|>Hello<|extra_0|> world", "  leading and trailing spaces  ", "tab\there"]
    lines, expected = [], []
    for special in (0, 1):
        flags = ["--parse-special"] if special else []
        p = run([a.hymt, "tokenize", "--model", a.model, "--lines"] + flags, stdin="".join(t + "\n" for t in texts).encode())
        ids = [json.loads(x) for x in p.stdout.decode().splitlines()]
        check(len(ids) == len(texts), "hymt tokenize --lines: %d lines for %d texts" % (len(ids), len(texts)))
        expected += ids
        lines += ["%d\t%s" % (special, b64(t)) for t in texts]
    cases = os.path.join(a.tmp, "tok_cases.txt")
    with open(cases, "w", encoding="utf-8") as f:
        f.write("".join(x + "\n" for x in lines))
    out = os.path.join(a.tmp, "tok_out.txt")
    java(a, "tokenize", a.model, cases, out)
    with open(out, encoding="utf-8") as f:
        got = [[int(x) for x in line.split(",")] if line else [] for line in f.read().splitlines()]
    check(len(got) == len(expected), "%d Java tokenizations for %d" % (len(got), len(expected)))
    for line, g, e in zip(lines, got, expected):
        check(g == e, "tokenize %s: Java %s, CLI %s" % (line, g[:20], e[:20]))
    # One text with a newline, through `hymt tokenize --json`.
    text = "two\nlines 😀"
    e = json.loads(run([a.hymt, "tokenize", "--model", a.model, "--json", text]).stdout)["ids"]
    with open(cases, "w", encoding="utf-8") as f:
        f.write("0\t%s\n" % b64(text))
    java(a, "tokenize", a.model, cases, out)
    with open(out, encoding="utf-8") as f:
        g = [int(x) for x in f.read().strip().split(",")]
    check(g == e, "tokenize with a newline: Java %s, CLI %s" % (g, e))
    print("tokenize: %d texts give the CLI's ids" % (len(lines) + 1))


def case_info(a):
    out = os.path.join(a.tmp, "info.txt")
    java(a, "info", a.model, out)
    with open(out, encoding="utf-8") as f:
        rows = [line.split("\t") for line in f.read().splitlines()]
    info = json.loads(run([a.hymt, "info", a.model, "--json"]).stdout)
    hp = info["hparams"]
    i = [r for r in rows if r[0] == "info"][0]
    check(int(i[3]) == hp["n_vocab"] and int(i[4]) == hp["n_layer"] and int(i[5]) == hp["n_embd"],
          "info(): %s, hymt info: %s" % (i, hp))
    check(i[2] in ("hy-mt1.5", "hy-mt2"), "family %r" % i[2])
    if "name" in info:
        check(i[1] == info["name"], "name %r, hymt info %r" % (i[1], info["name"]))
    # `hymt languages`: a header, then "code flores english... chinese".
    table = run([a.hymt, "languages"]).stdout.decode().splitlines()[1:]
    cli_langs = [(t.split()[0], t.split()[1], t.split()[-1]) for t in table if t.strip()]
    java_langs = [(r[1], r[2], r[4]) for r in rows if r[0] == "lang"]
    check(java_langs == cli_langs, "languages(): %s\nhymt languages: %s" % (java_langs[:5], cli_langs[:5]))
    check(len(java_langs) == 38, "%d languages" % len(java_langs))
    # detect(): what `hymt translate --json` (auto source) reports as the segment's source_lang.
    for r in rows:
        if r[0] != "detect":
            continue
        text = unb64(r[1])
        if not text:
            check(r[2] == "-", "detect(\"\") gave %s" % r[2])
            continue
        p = run([a.hymt, "translate", "--model", a.model, "-q", "--to", "en", "--json", text], expect=(0, 5))
        seg = json.loads(p.stdout)["segments"][0]
        cli = seg.get("from") or "-"
        cli = "-" if cli == "unknown" else cli  # the CLI names "no language" so
        check(r[2] == cli, "detect(%r): Java %s, hymt translate --json segment 'from' %s" % (text, r[2], cli))
    v = [r for r in rows if r[0] == "version"][0]
    check(v[1].startswith("0.") and int(v[2]) // 1000 == 1, "version %s api %s" % (v[1], v[2]))
    print("info: model facts, %d languages and detection agree with the CLI" % len(java_langs))


def case_file(a):
    sents = [s["src"] for s in test_sentences(a) if s["dir"] == "en-zh"][:3]
    srt_in = os.path.join(a.tmp, "in.srt")
    with open(srt_in, "w", encoding="utf-8") as f:
        f.write("".join("%d\n00:00:%02d,000 --> 00:00:%02d,500\n%s\n\n" % (k + 1, 2 * k, 2 * k + 1, s)
                        for k, s in enumerate(sents)))
    cli_out, java_out, java_json = (os.path.join(a.tmp, n) for n in ("cli.srt", "java.srt", "java.json"))
    run([a.hymt, "translate", "--model", a.model, "--threads", "2", "-q", "--from", "en", "--to", "zh",
         "--doc-context", "0", "-i", srt_in, "-o", cli_out], expect=(0, 5))
    java(a, "file", a.model, srt_in, java_out, java_json)
    with open(cli_out, "rb") as f1, open(java_out, "rb") as f2:
        c, j = f1.read(), f2.read()
    check(c == j, "translateFile wrote %r, hymt translate -o wrote %r" % (j[:200], c[:200]))
    cli_json = json.loads(run([a.hymt, "translate", "--model", a.model, "--threads", "2", "-q", "--from", "en", "--to",
                               "zh", "--doc-context", "0", "--json", "-i", srt_in], expect=(0, 5)).stdout)
    with open(java_json, encoding="utf-8") as f:
        jj = json.load(f)
    check(jj["output"] == cli_json["output"], "json() output differs from hymt translate --json")
    check([(s.get("where"), s.get("source"), s.get("output")) for s in jj["segments"]] ==
          [(s.get("where"), s.get("source"), s.get("output")) for s in cli_json["segments"]],
          "json() segments differ from hymt translate --json")
    print("file: translateFile wrote the CLI's %d bytes; json() has its %d segments" % (len(c), len(jj["segments"])))


def case_example(a):
    sents = test_sentences(a)
    picks = [s for s in sents if s["dir"] == "en-zh"][:1] + [s for s in sents if s["dir"] == "en-de"][:1]
    for s in picks:
        frm, to = s["dir"].split("-")
        stdin = (s["src"] + "\n").encode("utf-8")
        cli = run([a.hymt, "translate", "--model", a.model, "--threads", "2", "-q", "--from", frm, "--to", to],
                  stdin=stdin, expect=(0, 5)).stdout
        for stream in ([], ["--stream"]):
            cmd = [a.java, "-Djava.library.path=" + a.libdir, "-cp", a.classpath, "Translate", to, "--from", frm,
                   "--model", a.model] + stream
            env = dict(os.environ, LC_ALL="C")  # the example must write UTF-8 whatever the locale
            got = run(cmd, stdin=stdin, env=env).stdout
            check(got == cli, "examples/Translate.java %s: %r, hymt translate: %r" % (" ".join(stream), got, cli))
    # Its errors: an unknown language is a usage error (exit 2) with the library's message.
    p = subprocess.run([a.java, "-Djava.library.path=" + a.libdir, "-cp", a.classpath, "Translate", "Klingon",
                        "--model", a.model], input=b"Hello.\n", capture_output=True)
    check(p.returncode == 2 and b"invalid_argument" in p.stderr, "Translate Klingon: exit %d, %r" % (p.returncode, p.stderr))
    print("example: examples/Translate.java prints what hymt translate prints (%d sentences, streamed too)" % len(picks))


def main():
    ap = argparse.ArgumentParser()
    for k in ("hymt", "java", "classpath", "libdir", "model", "golden", "tmp"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("case", choices=["translate", "threads", "stream", "cancel", "errors", "closed", "tokenize",
                                     "unicode", "info", "file", "example"])
    a = ap.parse_args()
    if not shutil.which(a.java) and not os.access(a.java, os.X_OK):
        print("SKIP: no java executable at %s (install a JDK, e.g. openjdk-17-jdk-headless)" % a.java)
        sys.exit(SKIP_CODE)
    a.hymt = os.path.abspath(a.hymt)
    shutil.rmtree(a.tmp, ignore_errors=True)
    os.makedirs(a.tmp)
    globals()["case_" + a.case](a)
    if FAILS:
        sys.exit("%d check(s) failed" % len(FAILS))
    print("ok")


if __name__ == "__main__":
    main()
