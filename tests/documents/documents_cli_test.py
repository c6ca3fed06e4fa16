#!/usr/bin/env python3
"""End-to-end tests of `hymt translate` on documents, with a generated random-weight model.

The model's output is gibberish, so these tests check STRUCTURE, with Python's own parsers as the
independent judges: every SRT file of shared/data/subtitles-pysrt keeps its cue count, numbers and
timings (invalid and empty ones exit 3 and create no file); the bergamot HTML page keeps its tag
sequence, attributes, comments and script/code text (html.parser); Markdown keeps code, link
targets and table shape; JSON and YAML keep keys, non-string values and placeholders (json, PyYAML);
and the error paths give their exit codes without leaving an output file.
Cases: srt (small pysrt files), srt_large (the two 1,332-cue films), formats, errors.
"""
import argparse
import codecs
import collections
import html.parser
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import requires  # noqa: E402

FAILS = 0
# What each case reads from ../shared/data (missing: the case is skipped, exit 77).
SHARED_DATA = {"srt": ["subtitles-pysrt"], "srt_large": ["subtitles-pysrt/utf-8.srt", "subtitles-pysrt/windows-1252.srt"],
               "formats": ["html-bergamot/data/simple/bergamot.html/input.txt"], "errors": []}


def check(ok, what):
    global FAILS
    if not ok:
        FAILS += 1
        print("FAIL:", what)


def run(args, expect=None, stdin=None):
    p = subprocess.run(args, capture_output=True, input=stdin)
    if expect is not None and p.returncode not in (expect if isinstance(expect, tuple) else (expect,)):
        check(False, f"{' '.join(args)}: exit {p.returncode}, want {expect}\n{p.stderr.decode(errors='replace')}")
    return p


def decode(b):
    """The input's text, decoded as a user's editor would: BOM first, then UTF-8, then windows-1252."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if b.startswith(bom):
            return b.decode(enc)
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("cp1252")


TIMING = re.compile(r"^\s*(\d+:\d\d:\d\d[,.]\d+\s*-->\s*\d+:\d\d:\d\d[,.]\d+.*?)\s*$")


def srt_skeleton(text):
    """(cue numbers, timing lines) of an SRT text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbers, timings = [], []
    for i, l in enumerate(lines):
        m = TIMING.match(l)
        if m:
            timings.append(m.group(1))
            prev = lines[i - 1].strip() if i > 0 else ""
            numbers.append(prev if prev.isdigit() else None)
    return numbers, timings


def translate(hymt, model, src, out, *extra, expect=(0, 5)):
    return run([hymt, "translate", "-q", "-m", model, "--to", "de", "-i", src, "-o", out, "--max-tokens", "3"] + list(extra),
               expect=expect)


def case_srt(hymt, model, tmp, data, names):
    for name in names:
        src = os.path.join(data, "subtitles-pysrt", name)
        out = os.path.join(tmp, name + ".out.srt")
        if name == "invalid.srt":
            p = translate(hymt, model, src, out, expect=3)
            check(b"line 2" in p.stderr and b"timing" in p.stderr, f"{name}: message names line 2: {p.stderr!r}")
            check(not os.path.exists(out), f"{name}: no output file")
            continue
        translate(hymt, model, src, out, "--doc-context", "0")
        got = open(out, "rb").read()
        check(not got.startswith(codecs.BOM_UTF8), f"{name}: output is UTF-8 without BOM")
        try:
            got_text = got.decode("utf-8")
        except UnicodeDecodeError:
            check(False, f"{name}: output is not UTF-8")
            continue
        want_n, want_t = srt_skeleton(decode(open(src, "rb").read()))
        got_n, got_t = srt_skeleton(got_text)
        check(len(want_t) > 0, f"{name}: the input has cues")
        check(got_t == want_t, f"{name}: timings kept ({len(got_t)} vs {len(want_t)} cues)")
        check(got_n == want_n, f"{name}: cue numbers kept")
        # Every cue is followed by a blank line or the end: no cue was merged into the next.
        blocks = [b for b in re.split(r"\n\s*\n", got_text.replace("\r\n", "\n")) if b.strip()]
        check(len(blocks) >= len(want_t) - 2, f"{name}: {len(blocks)} blocks for {len(want_t)} cues")


class Skeleton(html.parser.HTMLParser):
    """Tags with their untranslatable attributes, comments, and the text of code-like elements."""
    TRANSLATED_ATTRS = {"alt", "title", "placeholder", "aria-label", "value"}
    RAW = {"script", "style", "code", "pre", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items, self.raw_depth = [], 0

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, tuple((k, v) for k, v in attrs if k not in self.TRANSLATED_ATTRS)))
        self.raw_depth += tag in self.RAW

    def handle_startendtag(self, tag, attrs):
        self.items.append(("startend", tag, tuple((k, v) for k, v in attrs if k not in self.TRANSLATED_ATTRS)))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))
        self.raw_depth -= tag in self.RAW

    def handle_comment(self, data):
        self.items.append(("comment", data))

    def handle_data(self, data):
        if self.raw_depth > 0:
            self.items.append(("raw", data))


def html_skeleton(text):
    p = Skeleton()
    p.feed(text)
    p.close()
    return p.items


MD = """---
title: Front matter
---

# Getting started

Install with `pip install hymt` and read
the [guide](https://example.com/Guide_v2) first.

```python
print("code stays")
```

- Item with ![logo](img/logo.png)
- See https://example.org/x.

| Name | Description |
|------|-------------|
| `id` | The unique key |

<div align="center">
HTML block stays
</div>
"""

JSON_DOC = {"app": {"title": "Photo Viewer", "greeting": "Hello {name}, you have %d new photos", "count": 3,
                    "flags": [True, None, 2.5], "items": ["Open {{file}}", "Save as ${ext}"],
                    "plural": "{n, plural, one {# photo} other {# photos}} selected", "printf": "%1$s of %2$s"},
            "z": "Last string"}

YAML_DOC = """# Messages
en:
  title: Photo Viewer   # the title bar
  greeting: "Hello %{name}!"
  quote: 'It''s here'
  count: 3
  menu:
    - Open file
    - label: Save {file}
  long: >
    A folded
    paragraph.
"""

PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}|\$\{[^}]*\}|%\{[^}]*\}|\{[A-Za-z0-9_]+\}|%(?:\d+\$)?[-+0#]*\d*(?:\.\d+)?[sdif]")


def walk(x, path=""):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from walk(v, path + "/" + str(k))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from walk(v, path + f"[{i}]")
    else:
        yield path, x


def same_data_shape(a, b, what):
    wa, wb = list(walk(a)), list(walk(b))
    check([p for p, _ in wa] == [p for p, _ in wb], f"{what}: keys, order and nesting kept")
    for (p, x), (_, y) in zip(wa, wb):
        if isinstance(x, str):
            check(isinstance(y, str), f"{what}: {p} is still a string")
            if isinstance(y, str):
                check(sorted(PLACEHOLDER.findall(x)) == sorted(PLACEHOLDER.findall(y)), f"{what}: {p} placeholders {x!r} -> {y!r}")
        else:
            check(x == y, f"{what}: {p} non-string value kept")


def case_formats(hymt, model, tmp, data):
    # HTML: the bergamot page.
    src = os.path.join(data, "html-bergamot/data/simple/bergamot.html/input.txt")
    out = os.path.join(tmp, "bergamot.out.html")
    translate(hymt, model, src, out, "--format", "html")
    a, b = html_skeleton(open(src, encoding="utf-8").read()), html_skeleton(open(out, encoding="utf-8").read())
    check(len(a) > 20 and a == b, f"html: tag structure, attributes, comments and code text kept ({len(a)} vs {len(b)} items)")

    # Markdown.
    src = os.path.join(tmp, "doc.md")
    open(src, "w").write(MD)
    out = os.path.join(tmp, "doc.out.md")
    translate(hymt, model, src, out)
    got = open(out, encoding="utf-8").read()
    fence = re.compile(r"```python\n.*?```", re.S)
    check(fence.findall(got) == fence.findall(MD), "markdown: fenced code kept")
    # Link targets, inline code and URLs of the input are all in the output (the random model may
    # add backticks of its own, so the check is inclusion, line by line outside the fence).
    prose = lambda t: "\n".join(l for l in fence.sub("", t).splitlines())
    for pat in (r"\]\([^)]*\)", r"`[^`\n]+`", r"https?://[^\s)]+"):
        want = collections.Counter(m for l in prose(MD).splitlines() for m in re.findall(pat, l))
        have = collections.Counter(m for l in prose(got).splitlines() for m in re.findall(pat, l))
        check(len(want) > 0 and not (want - have), f"markdown: {pat} kept: {want - have}")
    check(got.startswith("---\ntitle: Front matter\n---\n"), "markdown: front matter kept")
    check("|------|-------------|" in got and "<div align=\"center\">\nHTML block stays\n</div>" in got, "markdown: table rule and HTML block")
    rows = [l for l in got.splitlines() if l.startswith("|")]
    check(len(rows) == 3 and all(len(re.findall(r"(?<!\\)\|", r)) == 3 for r in rows), f"markdown: table shape {rows}")
    check(len([l for l in got.splitlines() if l.startswith("# ")]) == 1, "markdown: one heading")

    # JSON and YAML i18n files.
    src = os.path.join(tmp, "strings.json")
    json.dump(JSON_DOC, open(src, "w"), indent=2)
    out = os.path.join(tmp, "strings.out.json")
    translate(hymt, model, src, out)
    same_data_shape(JSON_DOC, json.load(open(out, encoding="utf-8")), "json")
    try:
        import yaml
    except ImportError:
        yaml = None
    src = os.path.join(tmp, "strings.yml")
    open(src, "w").write(YAML_DOC)
    out = os.path.join(tmp, "strings.out.yml")
    translate(hymt, model, src, out)
    got = open(out, encoding="utf-8").read()
    if yaml:
        same_data_shape(yaml.safe_load(YAML_DOC), yaml.safe_load(got), "yaml")
    check(got.startswith("# Messages\nen:\n") and "# the title bar" in got, "yaml: comments kept")

    # WebVTT: header, NOTE and STYLE blocks and cue settings untouched.
    vtt = ("WEBVTT\n\nNOTE keep this\n\nSTYLE\n::cue { color: lime }\n\n"
           "a\n00:00.000 --> 00:02.000 line:0\n<i>Hello there</i>\n\n00:03.000 --> 00:05.000\nSecond cue\n")
    src = os.path.join(tmp, "s.vtt")
    open(src, "w").write(vtt)
    out = os.path.join(tmp, "s.out.vtt")
    translate(hymt, model, src, out)
    got = open(out, encoding="utf-8").read()
    check(got.startswith("WEBVTT\n\nNOTE keep this\n\nSTYLE\n::cue { color: lime }\n\na\n00:00.000 --> 00:02.000 line:0\n<i>"),
          f"vtt: header blocks kept: {got[:160]!r}")
    check("\n\n00:03.000 --> 00:05.000\n" in got, "vtt: second cue timing kept")

    # --format forces a parser whatever the extension; --json lists every unit with its numbers.
    src = os.path.join(tmp, "subs.txt")
    open(src, "w").write("1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n")
    out = os.path.join(tmp, "subs.json")
    translate(hymt, model, src, out, "--format", "srt", "--json")
    j = json.load(open(out))
    check(j["format"] == "srt" and len(j["segments"]) == 2, "--format srt: two cues")
    seg = j["segments"][0]
    for k in ("where", "source", "output", "prompt_tokens", "output_tokens", "prefill_ms", "decode_ms", "confidence", "problems"):
        check(k in seg, f"--json field {k}")
    check(seg["source"] == "Hello" and seg["prompt_tokens"] > 0, "--json source and prompt tokens")
    check(srt_skeleton(j["output"])[1] == ["00:00:01,000 --> 00:00:02,000", "00:00:03,000 --> 00:00:04,000"], "--json output keeps timings")

    # stdin to stdout: one line in, one line out.
    p = run([hymt, "translate", "-q", "-m", model, "--to", "de", "--max-tokens", "3"], expect=(0, 5), stdin=b"Good morning.\n")
    check(p.stdout.count(b"\n") == 1, f"stdin -> stdout: one line {p.stdout!r}")


def case_errors(hymt, model, tmp, data):
    text = os.path.join(tmp, "ok.txt")
    open(text, "w").write("Hello.\n")
    out = os.path.join(tmp, "never.txt")
    p = run([hymt, "translate", "-m", os.path.join(tmp, "missing.gguf"), "--to", "de", "-i", text, "-o", out], expect=3)
    check(b"missing.gguf" in p.stderr, "missing model named")
    bad = os.path.join(tmp, "bad.gguf")
    open(bad, "wb").write(b"GGUF\x03\x00\x00\x00" + b"\xff" * 16)
    run([hymt, "translate", "-m", bad, "--to", "de", "-i", text, "-o", out], expect=3)
    p = run([hymt, "translate", "-m", model, "--to", "de", "-i", os.path.join(tmp, "nope.srt"), "-o", out], expect=3)
    check(b"nope.srt" in p.stderr, "unreadable input named")
    p = run([hymt, "translate", "-m", model, "--to", "de", "-i", tmp, "-o", out], expect=3)  # a folder
    empty = os.path.join(tmp, "empty.srt")
    open(empty, "w").close()
    p = run([hymt, "translate", "-m", model, "--to", "de", "-i", empty, "-o", out], expect=3)
    check(b"nothing to translate" in p.stderr, f"empty file: {p.stderr!r}")
    blank_md = os.path.join(tmp, "code-only.md")
    open(blank_md, "w").write("```\nonly code\n```\n")
    p = run([hymt, "translate", "-m", model, "--to", "de", "-i", blank_md, "-o", out], expect=3)
    check(b"nothing to translate" in p.stderr, "a document without text")
    p = run([hymt, "translate", "-m", model, "--to", "de", "-i", text, "-o", out, "--format", "docx"], expect=2)
    check(b"unknown --format 'docx'" in p.stderr, "unknown format named")
    bad_json = os.path.join(tmp, "bad.json")
    open(bad_json, "w").write('{\n  "a": "x",\n  "b": \n}\n')
    p = run([hymt, "translate", "-m", model, "--to", "de", "-i", bad_json, "-o", out], expect=3)
    check(b"line 4" in p.stderr, f"malformed JSON names its line: {p.stderr!r}")
    nodir = os.path.join(tmp, "no", "such", "dir", "x.srt")
    p = run([hymt, "translate", "-m", model, "--to", "de", "-i", text, "-o", nodir], expect=4)
    check(not os.path.exists(os.path.join(tmp, "no")), "no partial output")
    check(not os.path.exists(out), "no output file after any error")
    leftovers = [f for f in os.listdir(tmp) if ".tmp." in f]
    check(not leftovers, f"no temporary files left: {leftovers}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("case", choices=["srt", "srt_large", "formats", "errors"])
    a = ap.parse_args()
    requires.need_shared_data(a.data, *SHARED_DATA[a.case])
    os.makedirs(a.tmp, exist_ok=True)
    model = os.path.join(a.tmp, "tiny.gguf")
    run([a.hymt, "gen-model", "-o", model, "--seed", "5"], expect=0)
    large = ["utf-8.srt", "windows-1252.srt"]
    if a.case == "srt":
        names = sorted(f for f in os.listdir(os.path.join(a.data, "subtitles-pysrt")) if f.endswith(".srt") and f not in large)
        check(len(names) == 9, f"nine small pysrt files, found {names}")
        case_srt(a.hymt, model, a.tmp, a.data, names)
    elif a.case == "srt_large":
        case_srt(a.hymt, model, a.tmp, a.data, large)
    elif a.case == "formats":
        case_formats(a.hymt, model, a.tmp, a.data)
    else:
        case_errors(a.hymt, model, a.tmp, a.data)
    if FAILS:
        print(f"documents.{a.case}: {FAILS} failed checks")
        sys.exit(1)
    print(f"documents.{a.case}: ok")


if __name__ == "__main__":
    main()
