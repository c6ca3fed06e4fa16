#!/usr/bin/env python3
"""translate_garbage_test.py: the garbage checks and --min-confidence through `hymt translate` on a
random-weight model (whose output is U+FFFD soup: bad_characters, exit code 5), and the rolling
context of a Markdown document as the prompts show it (the user's <b>, never the mask token {1})."""
import argparse
import json
import os
import subprocess
import sys


def check(cond, what):
    if not cond:
        print("FAIL: " + what, file=sys.stderr)
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    model = os.path.join(a.tmp, "rand.gguf")
    subprocess.run([a.hymt, "gen-model", "-o", model, "--preset", "tiny", "--seed", "7"], check=True,
                   capture_output=True)
    src = ("The committee said the new bridge would open next spring, two years later than planned, because of rising "
           "costs and a shortage of workers across the region.")
    tr = [a.hymt, "translate", "-m", model, "-q", "--from", "en", "--to", "fr", "--max-tokens", "48", "--no-retry"]

    p = subprocess.run(tr + ["--json", src], capture_output=True, text=True)
    check(p.returncode == 5, f"failed checks exit 5: {p.returncode} {p.stderr}")
    seg = json.loads(p.stdout)["segments"][0]
    codes = {x["code"] for x in seg["problems"]}
    check("bad_characters" in codes, f"U+FFFD output reported: {seg['problems']}")
    p = subprocess.run([x for x in tr if x != "-q"] + [src], capture_output=True, text=True)
    check(p.returncode == 5 and "bad_characters" in p.stderr, f"problem on stderr without --json: {p.stderr}")

    p = subprocess.run(tr + ["--json", "--min-confidence", "-0.000001", src], capture_output=True, text=True)
    seg = json.loads(p.stdout)["segments"][0]
    check(any(x["code"] == "low_confidence" for x in seg["problems"]), f"--min-confidence: {seg['problems']}")
    p = subprocess.run(tr + ["--json", src], capture_output=True, text=True)
    seg = json.loads(p.stdout)["segments"][0]
    check(all(x["code"] != "low_confidence" for x in seg["problems"]), "no --min-confidence: not checked")

    md = os.path.join(a.tmp, "doc.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("Hello <b>Tom</b>, welcome to the team.\n\nThe next step is easy.\n")
    p = subprocess.run(tr + ["--no-checks", "--show-prompt", "--doc-context", "2", "-i", md], capture_output=True,
                       text=True)
    check(p.returncode == 0, f"document translated: {p.returncode} {p.stderr}")
    prompts = p.stderr.split("--- prompt ---")
    ctx = [x for x in prompts if "The next step is easy." in x]
    check(len(ctx) >= 1 and "Hello <b>Tom</b>, welcome to the team." in ctx[0], f"context as written: {ctx}")
    first = [x for x in prompts if "welcome" in x and "The next step" not in x]
    check(len(first) >= 1 and "{1}" in first[0], f"the segment itself is masked for the model: {first}")
    check("{1}" not in ctx[0].split("The next step is easy.")[0].split("Hello")[1],
          f"no mask token in the rolling context: {ctx[0]}")
    print("translate.garbage: ok")


if __name__ == "__main__":
    main()
