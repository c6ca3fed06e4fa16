#!/usr/bin/env python3
"""End-to-end checks of the engine-core commands, run as a user would run them.

Usage: cli_core_test.py --hymt PATH --tmp DIR CASE
Cases: tiny (gen-model/info/logits/generate/tensor on a tiny model), full_shape (a random model of
the exact HY-MT1.5-1.8B shape in Q8_0: loads through mmap, reports the official tensor and
parameter counts, and decodes), translate (`hymt translate` structure on a random model),
cli_edges (issue 23: --kv-type text, --threads default and refusal, "did you mean", --from = --to,
the stdin prompt on a terminal, checkpoint folders as --model, several targets; with the bundled
demo model where a translation is needed). Exits non-zero with a message on the first failed check.
"""
import argparse
import json
import os
import pty
import re
import struct
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEMO = os.path.join(ROOT, "models", "demo", "hy-mt-demo.gguf")


def run(args, expect=0):
    """Runs args; exits unless the exit code is `expect` (None: any)."""
    p = subprocess.run(args, capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(args)} exited {p.returncode}, expected {expect}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def check(cond, msg):
    if not cond:
        sys.exit("FAIL: " + msg)


def case_tiny(hymt, tmp):
    model = os.path.join(tmp, "tiny.gguf")
    run([hymt, "gen-model", "-o", model, "--type", "F16", "--n-layer", "3", "--seed", "7"])
    info = json.loads(run([hymt, "info", model, "--json"]).stdout)
    hp = info["hparams"]
    check(info["architecture"] == "hunyuan-dense", "architecture")
    check((hp["n_layer"], hp["n_embd"], hp["n_vocab"], hp["n_head"], hp["n_head_kv"], hp["head_dim"]) ==
          (3, 256, 1536, 4, 2, 64), f"hparams {hp}")
    check(abs(hp["rope_freq_base"] - 11158840.0) < 1, "rope base read as stored")
    check(info["n_tensors"] == 2 + 11 * 3, f"tensor count {info['n_tensors']}")
    check(info["tensor_types"] == {"F16": 1 + 7 * 3, "F32": 1 + 4 * 3}, f"types {info['tensor_types']}")
    check(info["tied_output"] is True, "tied output")
    check(info["tokenizer"]["bos_token_id"] == 1536 - 818 and info["tokenizer"]["eos_token_id"] == 1536 - 818 + 20,
          "special ids at the top of the vocabulary")
    text = run([hymt, "info", model]).stdout
    check("hunyuan-dense" in text and "n_layer=3" in text, "plain info output")

    ids = "5,17,300,1200,9"
    out = os.path.join(tmp, "logits.bin")
    run([hymt, "logits", "--model", model, "--ids", ids, "--output", out])
    data = open(out, "rb").read()
    check(len(data) == 5 * 1536 * 4, f"logits size {len(data)}")
    vals = struct.unpack(f"<{5 * 1536}f", data)
    check(all(v == v and abs(v) < 1e4 for v in vals), "logits finite")
    check(len(set(vals)) > 1000, "logits are not constant")

    # Greedy generation is deterministic and agrees with the argmax of the logits file.
    gen = run([hymt, "generate", "--model", model, "--ids", ids, "-n", "4", "--ignore-eos"]).stdout.strip()
    gen_ids = [int(x) for x in gen.split(",")]
    check(len(gen_ids) == 4, f"generated {gen}")
    last = vals[4 * 1536:5 * 1536]
    check(gen_ids[0] == max(range(1536), key=lambda i: (last[i], -i)), "first generated id is the argmax")
    gen2 = run([hymt, "generate", "--model", model, "--ids", ids, "-n", "4", "--ignore-eos", "-t", "2"]).stdout.strip()
    check(gen == gen2, "generation independent of threads")

    tens = os.path.join(tmp, "norm.bin")
    run([hymt, "tensor", "--model", model, "--name", "blk.1.attn_q_norm.weight", "--output", tens])
    norm = struct.unpack("<64f", open(tens, "rb").read())
    check(all(0.7 <= x <= 1.3 for x in norm), "norm weights as generated (1 +- 0.25)")

    # The KV cache size is the user's choice: too small a context is refused, not overrun.
    p = run([hymt, "logits", "--model", model, "--ids", ids, "--output", out, "--n-ctx", "3"], expect=2)
    check("n-ctx" in p.stderr, "n-ctx refusal message")

    # bench: batched decode records (-s) carry their sequence count, one record per count.
    recs = json.loads(run([hymt, "bench", "-m", model, "-p", "0", "-n", "3", "-s", "1,3", "-r", "1", "--json"]).stdout)
    check([(r["n_gen"], r["n_seqs"]) for r in recs] == [(3, 1), (3, 3)], f"bench records {recs}")
    check(all(r["avg_ts"] > 0 for r in recs), "bench rates")
    p = run([hymt, "bench", "-m", model, "-p", "0", "-n", "3", "-s", "0"], expect=2)
    check("-s" in p.stderr, "bench -s refusal message")


def case_full_shape(hymt, tmp):
    model = os.path.join(tmp, "hy-mt1.5-1.8b-q8_0.gguf")
    run([hymt, "gen-model", "-o", model, "--preset", "hy-mt1.5-1.8b", "--type", "Q8_0"])
    try:
        info = json.loads(run([hymt, "info", model, "--json"]).stdout)
        hp = info["hparams"]
        check((hp["n_vocab"], hp["n_embd"], hp["n_layer"], hp["n_head"], hp["n_head_kv"], hp["head_dim"], hp["n_ff"]) ==
              (120818, 2048, 32, 16, 4, 128, 6144), f"hparams {hp}")
        # spec §2.2: 354 tensors (129 F32 norms + 225 matrices incl. token_embd), 1 791 080 448 parameters.
        check(info["n_tensors"] == 354, f"n_tensors {info['n_tensors']}")
        check(info["tensor_types"] == {"F32": 129, "Q8_0": 225}, f"types {info['tensor_types']}")
        check(info["n_params"] == 1791080448, f"n_params {info['n_params']}")
        check(info["tokenizer"]["bos_token_id"] == 120000 and info["tokenizer"]["eos_token_id"] == 120020,
              "real special ids")
        # Prompt in the official layout: BOS, User, text, Assistant; then 3 greedy decode steps.
        gen = run([hymt, "generate", "--model", model, "--ids", "120000,120006,72,101,108,108,111,120007", "-n", "3",
                   "--ignore-eos", "-t", "2"]).stdout.strip()
        got = [int(x) for x in gen.split(",")]
        check(len(got) == 3 and all(0 <= i < 120818 for i in got), f"generated {gen}")
    finally:
        os.remove(model)


def case_translate(hymt, tmp):
    """Command-line behaviour of `hymt translate` on a generated model (structure, not content:
    content is checked with the trained demo model)."""
    model = os.path.join(tmp, "tiny.gguf")
    run([hymt, "gen-model", "-o", model, "--seed", "3"])
    p = run([hymt, "translate", "-m", model, "--to", "xx", "hello"], expect=2)
    check("unknown target language 'xx'" in p.stderr and "zh-Hant" in p.stderr, "language refusal lists the languages")
    p = run([hymt, "translate", "-m", model, "--to", "de", "--from", "klingon", "hello"], expect=2)
    check("unknown source language" in p.stderr, "source language refusal")
    p = subprocess.run([hymt, "translate", "-m", model, "--to", "de"], input="  \n\n", capture_output=True, text=True)
    check(p.returncode == 2 and "empty" in p.stderr, f"empty input refused: {p.returncode} {p.stderr}")
    p = run([hymt, "translate", "-m", os.path.join(tmp, "missing.gguf"), "--to", "de", "hi"], expect=3)
    check("missing.gguf" in p.stderr, "missing model named")
    bad = os.path.join(tmp, "bad.gguf")
    open(bad, "wb").write(b"GGUF\x03\x00\x00\x00" + b"\xff" * 16)
    run([hymt, "translate", "-m", bad, "--to", "de", "hi"], expect=3)
    # Line structure: blank lines kept, one segment per non-blank line, JSON per segment.
    src = os.path.join(tmp, "in.txt")
    open(src, "w").write("Hello there.\n\n  Second line.\n")
    out = os.path.join(tmp, "out.json")
    run([hymt, "translate", "-m", model, "--to", "zh", "-i", src, "-o", out, "--json", "--max-tokens", "3",
         "--no-checks"])  # random weights fail the output checks (exit 5); structure only here
    j = json.load(open(out))
    check(len(j["segments"]) == 2, f"two segments, got {len(j['segments'])}")
    check([s["source"] for s in j["segments"]] == ["Hello there.", "Second line."], "segment sources")
    for seg in j["segments"]:
        check(seg["to"] == "zh" and seg["prompt_tokens"] > 10 and seg["output_tokens"] <= 3, f"segment fields {seg}")
        check(seg["confidence"] <= 0, "confidence is a mean log-probability")
    check(j["output"].count("\n") == 3 and "\n\n  " in j["output"], f"line structure kept: {j['output']!r}")
    # An unwritable output path fails with exit 4 and leaves nothing behind.
    run([hymt, "translate", "-m", model, "--to", "zh", "-i", src, "-o", os.path.join(tmp, "no", "dir", "x.txt"),
         "--max-tokens", "2"], expect=4)
    check(not os.path.exists(os.path.join(tmp, "no")), "no partial output")
    p = run([hymt, "languages"])
    check(len(p.stdout.strip().splitlines()) == 39 and "yue" in p.stdout and "藏语" in p.stdout, "38 languages listed")


def physical_cores(cpus):
    """Distinct (package, core) pairs of the allowed CPUs, as sysfs says; the CPU count without it."""
    pairs = set()
    for c in cpus:
        d = f"/sys/devices/system/cpu/cpu{c}/topology/"
        try:
            pairs.add((int(open(d + "physical_package_id").read()), int(open(d + "core_id").read())))
        except (OSError, ValueError):
            return len(cpus)
    return len(pairs)


def help_default_threads(hymt, cmd, preexec=None):
    p = subprocess.run([hymt] + cmd + ["--help"], capture_output=True, text=True, preexec_fn=preexec)
    check(p.returncode == 0, f"{cmd} --help exited {p.returncode}")
    m = re.search(r"--threads \S+\s+[^\n]*?\(default (\d+): the physical cores", p.stdout)
    check(m is not None, f"{cmd} --help shows the --threads default: {p.stdout}")
    return int(m.group(1))


def case_cli_edges(hymt, tmp):
    model = os.path.join(tmp, "tiny.gguf")
    run([hymt, "gen-model", "-o", model, "--seed", "3", "--n-layer", "1"])
    missing = os.path.join(tmp, "missing.gguf")
    has_server = " serve " in run([hymt, "--help"]).stdout

    # 1. --kv-type: plain help, a clear refusal, and the value takes effect.
    h = run([hymt, "generate", "--help"]).stdout
    check(re.search(r"--kv-type f16\|f32 +KV-cache element type", h) is not None and "ENUM" not in h, f"kv-type help: {h}")
    p = run([hymt, "generate", "-m", model, "--ids", "5,6", "--kv-type", "x"], expect=2)
    check("--kv-type must be f16 or f32, got 'x'" in p.stderr, f"kv-type refusal: {p.stderr}")
    ids = "5,17,300,1200,9"
    outs = {}
    for kv in ["f32", "F16"]:
        outs[kv] = os.path.join(tmp, f"logits_{kv}.bin")
        run([hymt, "logits", "-m", model, "--ids", ids, "--output", outs[kv], "--kv-type", kv])
    check(open(outs["f32"], "rb").read() != open(outs["F16"], "rb").read(), "--kv-type F16 changes the logits")

    # 2. --threads: the physical cores of the affinity mask by default, everywhere; <= 0 refused.
    want = physical_cores(sorted(os.sched_getaffinity(0)))
    cmds = [["translate"], ["generate"], ["logits"], ["convert"], ["quantize"], ["gen-model"], ["eval", "run"],
            ["bench"]] + ([["serve"]] if has_server else [])
    for cmd in cmds:
        got = help_default_threads(hymt, cmd)
        check(got == want, f"{cmd}: --threads default {got}, want {want} physical cores")
    one = min(os.sched_getaffinity(0))
    pin = lambda: os.sched_setaffinity(0, {one})  # noqa: E731
    check(help_default_threads(hymt, ["translate"], pin) == 1, "one allowed CPU: --threads default 1")
    recs = json.loads(subprocess.run([hymt, "bench", "-m", model, "-p", "0", "-n", "2", "-r", "1", "--json"],
                                     capture_output=True, text=True, preexec_fn=pin).stdout)
    check([r["n_threads"] for r in recs] == [1], f"bench default threads under one CPU: {recs}")
    recs = json.loads(run([hymt, "bench", "-m", model, "-p", "0", "-n", "2", "-r", "1", "--json"]).stdout)
    check([r["n_threads"] for r in recs] == [want], f"bench default threads: {recs}")
    for cmd in (["translate", "-m", model, "--to", "de", "hi", "--threads"], ["generate", "-m", model, "--ids", "5",
                "-t"], ["quantize", model, os.path.join(tmp, "q.gguf"), "--type", "Q8_0", "-t"]) + \
            ((["serve", "-m", model, "--threads"],) if has_server else ()):
        for bad in ["0", "-2"]:
            p = run([hymt] + cmd + [bad], expect=2)
            check(f"--threads must be at least 1, got {bad}" in p.stderr, f"{cmd} {bad}: {p.stderr}")
    check(not os.path.exists(os.path.join(tmp, "q.gguf")), "refused quantize wrote nothing")

    # 3. A mistyped option or command: the closest name, exit 2 (before "--to is required").
    for args, msg in [(["translate", "--too", "fr", "hi"], "unknown option --too; did you mean --to?"),
                      (["translate", "--to", "fr", "--kv-typ=f32", "hi"], "unknown option --kv-typ; did you mean --kv-type?"),
                      (["tranlate", "--to", "fr", "hi"], "unknown command 'tranlate'; did you mean translate?"),
                      (["eval", "scroe"], "unknown command 'scroe'; did you mean score?"),
                      (["eval", "score", "--hpy", "h.txt"], "unknown option --hpy; did you mean --hyp?"),
                      (["translate", "--to", "fr", "--zzzzzzzz"], "unknown option --zzzzzzzz; see hymt translate --help"),
                      (["frobnicate"], "unknown command 'frobnicate'; see hymt --help")]:
        p = run([hymt] + args, expect=2)
        check(msg in p.stderr, f"{args}: want {msg!r}, got {p.stderr!r}")
    # A value after "--" is not an option.
    p = run([hymt, "translate", "-m", missing, "--from", "en", "--to", "en", "--", "--too"])
    check(p.stdout == "--too\n", f"'--' ends the options: {p.stdout!r}")

    # 4. --from X --to X: the input unchanged, a notice, no model (a missing one is never opened).
    text = "Hello  there,\n\n  second line\t\n"
    p = subprocess.run([hymt, "translate", "-m", missing, "--from", "en", "--to", "eng_Latn"], input=text,
                       capture_output=True, text=True)
    check(p.returncode == 0 and p.stdout == text, f"pass-through to stdout: {p.returncode} {p.stdout!r} {p.stderr}")
    check("--from and --to are both en: the input is passed through unchanged" in p.stderr, f"notice: {p.stderr}")
    src = os.path.join(tmp, "same.srt")
    srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nBonjour à tous\r\n\r\n"
    open(src, "w", encoding="utf-8", newline="").write(srt)
    out = os.path.join(tmp, "same.out.srt")
    run([hymt, "translate", "-m", missing, "--from", "fr", "--to", "fr", "-i", src, "-o", out, "-q"])
    check(open(out, encoding="utf-8", newline="").read() == srt, "pass-through to a file keeps every byte")
    j = json.loads(run([hymt, "translate", "-m", missing, "--from", "fr", "--to", "fr", "-i", src, "--json", "-q"]).stdout)
    check([(s["source"], s["output"], s["to"]) for s in j["segments"]] == [("Bonjour à tous",) * 2 + ("fr",)],
          f"pass-through JSON: {j['segments']}")

    # 5. stdin on a terminal: a prompt on stderr first (not with a pipe, not with -q).
    def on_tty(extra):
        master, slave = pty.openpty()
        proc = subprocess.Popen([hymt, "translate", "-m", missing, "--from", "de", "--to", "de"] + extra, stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        os.close(slave)
        os.write(master, b"Guten Tag\n\x04")
        o, e = proc.communicate(timeout=60)
        os.close(master)
        check(proc.returncode == 0 and o == "Guten Tag\n", f"terminal input read to Ctrl-D: {proc.returncode} {o!r} {e}")
        return e
    prompt = "hymt: reading the text to translate from stdin (end with Ctrl-D)"
    check(prompt in on_tty([]), "prompt on a terminal")
    check(prompt not in on_tty(["-q"]), "no prompt with -q")
    p = subprocess.run([hymt, "translate", "-m", missing, "--from", "de", "--to", "de"], input="Guten Tag\n",
                       capture_output=True, text=True)
    check(p.returncode == 0 and prompt not in p.stderr, f"no prompt for a pipe: {p.stderr}")

    # 6. A Hugging Face checkpoint folder as --model: run `hymt convert`, exit 3.
    ck = os.path.join(tmp, "checkpoint")
    os.makedirs(ck, exist_ok=True)
    open(os.path.join(ck, "model.safetensors"), "wb").write(b"\0" * 16)
    hint = f"{ck} is a Hugging Face checkpoint folder, not a GGUF model; convert it first: hymt convert {ck} out.gguf"
    for cmd in (["translate", "--to", "de", "hi", "-m", ck], ["info", ck], ["generate", "--ids", "5", "-m", ck],
                ["bench", "-m", ck], ["eval", "run", "--data", tmp, "--pairs", "en-de", "-m", ck]):
        p = run([hymt] + cmd, expect=3 if cmd[0] != "eval" else None)
        if cmd[0] != "eval":
            check(hint in p.stderr, f"{cmd}: {p.stderr}")
    open(os.path.join(ck, "config.json"), "w").write("{}")
    os.remove(os.path.join(ck, "model.safetensors"))
    p = run([hymt, "translate", "--to", "de", "hi", "-m", ck], expect=3)
    check(hint in p.stderr, f"config.json alone: {p.stderr}")
    empty = os.path.join(tmp, "empty_dir")
    os.makedirs(empty, exist_ok=True)
    p = run([hymt, "info", empty], expect=3)
    check("not a regular file" in p.stderr and "convert" not in p.stderr, f"plain folder: {p.stderr}")

    # 7. Several targets: name.fr.ext files or '== fr ==' sections; unknown codes refused first.
    g = json.load(open(os.path.join(ROOT, "models", "demo", "golden.json")))
    by = {(s["dir"], s["line"]): s for s in g["sentences"]}
    fr, de = by[("en-fr", 210)], by[("en-de", 210)]
    check(fr["src"] == de["src"], "one English sentence in both directions")
    outdir = os.path.join(tmp, "multi")
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        os.remove(os.path.join(outdir, f))
    run([hymt, "translate", "-m", DEMO, "-q", "--from", "en", "--to", "fr,de,en", "-o",
         os.path.join(outdir, "news.txt"), fr["src"]])
    check(sorted(os.listdir(outdir)) == ["news.de.txt", "news.en.txt", "news.fr.txt"], f"files: {os.listdir(outdir)}")
    check(open(os.path.join(outdir, "news.fr.txt")).read().rstrip("\n") == fr["tgt"], "news.fr.txt")
    check(open(os.path.join(outdir, "news.de.txt")).read().rstrip("\n") == de["tgt"], "news.de.txt")
    check(open(os.path.join(outdir, "news.en.txt")).read() == fr["src"], "news.en.txt: the source passed through")
    run([hymt, "translate", "-m", DEMO, "-q", "--from", "en", "--to", "de,fr", "-o", os.path.join(outdir, "bare"),
         fr["src"]])
    check(open(os.path.join(outdir, "bare.de")).read().rstrip("\n") == de["tgt"], "no extension: bare.de")
    check(os.path.exists(os.path.join(outdir, "bare.fr")), "no extension: bare.fr")
    p = run([hymt, "translate", "-m", DEMO, "-q", "--from", "en", "--to", "fr,de", fr["src"]])
    check(p.stdout == f"== fr ==\n{fr['tgt']}\n== de ==\n{de['tgt']}\n", f"stdout sections: {p.stdout!r}")
    before = sorted(os.listdir(outdir))
    for to, msg in [("fr,xx,de", "unknown target language 'xx'"), ("fr,de,FR", "--to: fr is given twice"),
                    ("fr,,de", "unknown target language ''")]:
        # A missing model would be exit 3: the list is refused (exit 2) before the model is opened.
        p = run([hymt, "translate", "-m", missing, "--from", "en", "--to", to, "-o", os.path.join(outdir, "x.txt"),
                 "hi"], expect=2)
        check(msg in p.stderr, f"--to {to}: {p.stderr}")
    check(sorted(os.listdir(outdir)) == before, "a refused list writes nothing")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["tiny", "full_shape", "translate", "cli_edges"])
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    cases = {"tiny": case_tiny, "full_shape": case_full_shape, "translate": case_translate, "cli_edges": case_cli_edges}
    cases[a.case](a.hymt, a.tmp)
    print(f"e2e.{a.case}: ok")


if __name__ == "__main__":
    main()
