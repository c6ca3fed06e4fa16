#!/usr/bin/env python3
"""`hymt detect` run as a user would: text and file input, --lines, --json with alternatives and
confidences, and bad input (missing file, invalid UTF-8, empty or letterless text) refused with a
message and a non-zero exit before anything is printed. Case `eval` runs scripts/eval-detect.py
--check: held-out FLORES accuracy for sentences and 1-5-word strings (skipped without the data).
Case `tables` regenerates the committed tables (langid_profile.inc, langid_pairs.inc,
segment_thai.inc) from FLORES and requires them byte for byte: the generators are deterministic
and the committed files are what they produce."""
import argparse
import json
import os
import subprocess
import sys


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}", file=sys.stderr)
        sys.exit(1)


def run(cmd, expect=0, stdin=None):
    p = subprocess.run(cmd, capture_output=True, text=True, input=stdin)
    if p.returncode != expect:
        print(f"FAIL: {' '.join(cmd)} -> {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}", file=sys.stderr)
        sys.exit(1)
    return p


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def case_cli(hymt, tmp):
    d = [hymt, "detect"]
    p = run(d + ["Wo ist bitte der Bahnhof?"])
    check(p.stdout.split("\t")[:2] == ["de", "German"], f"text form: {p.stdout!r}")
    conf = float(p.stdout.split("\t")[2])
    check(0 < conf <= 1, f"confidence in (0, 1]: {conf}")
    # Malay and Indonesian: the function words that tell them apart (kerana/boleh vs karena/bisa).
    j = json.loads(run(d + ["--json", "Saya tidak boleh datang kerana hujan lebat."]).stdout)
    check(j["code"] == "ms" and j["name"] == "Malay", f"ms: {j}")
    j = json.loads(run(d + ["--json", "Saya tidak bisa datang karena hujan deras."]).stdout)
    check(j["code"] == "id", f"id: {j}")
    check(j["alternatives"] and j["alternatives"][0]["code"] == "ms", f"ms is the runner-up: {j}")
    check(j["confidence"] >= j["alternatives"][0]["confidence"], f"best first: {j}")
    check(sum(a["confidence"] for a in j["alternatives"]) + j["confidence"] <= 1 + 1e-9, f"sum <= 1: {j}")
    j = json.loads(run(d + ["--json", "佢哋喺度食緊飯。"]).stdout)
    check(j["code"] == "yue", f"Cantonese characters: {j}")
    j = json.loads(run(d + ["--json", "--top", "1", "这个问题很难回答。"]).stdout)
    check(j["code"] == "zh" and j["alternatives"] == [], f"--top 1: {j}")
    j = json.loads(run(d + ["--json", "這個問題很難回答。"]).stdout)
    check(j["code"] == "zh-Hant", f"Traditional forms: {j}")
    # A file is one text by default; --lines gives one answer per line, null for a letterless line.
    f = write(os.path.join(tmp, "mixed.txt"), "Где находится вокзал?\n\n12345\nWhere is the station?\n".encode())
    p = run(d + ["-i", f])
    check(p.stdout.count("\n") == 1, f"whole file, one answer: {p.stdout!r}")
    rows = [json.loads(x) for x in run(d + ["-i", f, "--lines", "--json"]).stdout.splitlines()]
    check([r["code"] for r in rows] == ["ru", None, None, "en"], f"--lines: {rows}")
    p = run(d + ["-i", "-", "--lines"], stdin="สถานีรถไฟอยู่ที่ไหน\r\nOù est la gare ?\n")
    check([x.split("\t")[0] for x in p.stdout.splitlines()] == ["th", "fr"], f"stdin, CRLF: {p.stdout!r}")
    # Bad input: a message naming the problem, non-zero exit, nothing on stdout.
    for args, code, msg in (
        (["-i", os.path.join(tmp, "missing.txt")], 3, "cannot open"),
        (["-i", write(os.path.join(tmp, "bad.txt"), b"caf\xe9 au lait\n")], 3, "not valid UTF-8"),
        (["-i", write(os.path.join(tmp, "empty.txt"), b"")], 3, "is empty"),
        (["-i", write(os.path.join(tmp, "digits.txt"), b"123 456\n\n")], 3, "no letters"),
        ([""], 2, "is empty"),
        (["!!! ???"], 2, "no letters"),
        ([], 2, "give the text or -i FILE"),
        (["text", "-i", f], 2, "give the text or -i FILE"),
        (["--top", "0", "text"], 2, "--top"),
    ):
        p = run(d + args, expect=code)
        check(msg in p.stderr and p.stdout == "", f"{args}: {p.stderr!r} / {p.stdout!r}")


def case_eval(hymt, tmp):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "eval-detect.py")
    p = subprocess.run([sys.executable, script, "--hymt", hymt, "--check"], capture_output=True, text=True)
    print(p.stdout)
    if p.returncode == 77:
        print(p.stdout.strip())
        sys.exit(77)
    check(p.returncode == 0, f"held-out accuracy: {p.stderr}")


def case_tables(hymt, tmp):
    del hymt
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    data = os.path.join(root, "..", "shared", "data", "flores200-devtest", "devtest")
    if not os.path.isdir(data):
        print(f"SKIPPED: needs FLORES-200 devtest in {data}")
        sys.exit(77)
    scripts = os.path.join(root, "scripts")
    out = {n: os.path.join(tmp, n) for n in ("langid_profile.inc", "langid_pairs.inc", "segment_thai.inc")}
    run([sys.executable, os.path.join(scripts, "build-langid-profile.py"), data, out["langid_profile.inc"],
         out["langid_pairs.inc"]])
    run([sys.executable, os.path.join(scripts, "build-thai-breaks.py"), data, out["segment_thai.inc"]])
    for name, path in out.items():
        with open(path, "rb") as f, open(os.path.join(root, "src", "translate", name), "rb") as g:
            check(f.read() == g.read(), f"src/translate/{name} differs from what its generator writes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["cli", "eval", "tables"])
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    {"cli": case_cli, "eval": case_eval, "tables": case_tables}[a.case](a.hymt, a.tmp)
    print("ok")


if __name__ == "__main__":
    main()
