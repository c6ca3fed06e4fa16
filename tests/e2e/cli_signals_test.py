#!/usr/bin/env python3
"""Issue 23: interrupted file-writing commands and `hymt quantize`'s warnings, run as a user would.

Usage: cli_signals_test.py --hymt PATH --tmp DIR CASE
Cases: interrupt (gen-model, quantize and convert are sent SIGINT, SIGTERM or SIGHUP while their
"<out>.tmp.<pid>" file is being written, translate -o while it translates: each must die by that
signal, leave no temporary file and leave the output file that was already there byte for byte as
it was; a signal the process was started ignoring stays ignored), quantize_warnings (a tensor whose
row the type's block cannot divide is named with both types, by quantize and by convert; quantizing
an already quantized file warns; a plain F16 -> Q8_0 run warns about nothing).
Exits non-zero with a message on the first failed check.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEMO = os.path.join(ROOT, "models", "demo", "hy-mt-demo.gguf")
sys.path.insert(0, os.path.join(ROOT, "scripts", "demo"))

# The longest any one command may take here (they are sized to run a few seconds at most before
# the signal; the bound only keeps a broken build from hanging ctest).
TIMEOUT_S = 120


def run(args, expect=0):
    p = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S)
    if expect is not None and p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(args)} exited {p.returncode}, expected {expect}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def check(cond, msg):
    if not cond:
        sys.exit("FAIL: " + msg)


def leftovers(folder, out):
    """Temporary files of `out` in its folder ("<name>.tmp.<pid>")."""
    base = os.path.basename(out) + ".tmp."
    return sorted(n for n in os.listdir(folder) if n.startswith(base))


def default_signals():
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


def ignore_sigint():
    default_signals()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def interrupt(label, args, out, sig, wait_for_tmp=True, delay_s=0.0, preexec=default_signals, ignored=None):
    """Runs args with an old `out` in place, sends `sig` once "<out>.tmp.<pid>" exists (or after
    delay_s when wait_for_tmp is False) and checks the death by `sig`, the cleanup and the old file.
    `ignored`: a signal the process was started ignoring, sent first: it must keep running."""
    folder = os.path.dirname(out)
    old = b"the previous output, which an interrupted command must not touch\n" * 64
    with open(out, "wb") as f:
        f.write(old)
    err_path = out + ".stderr"
    with open(err_path, "wb") as err:
        # Default dispositions, as in an interactive shell: a background ctest (no job control) starts
        # everything with SIGINT ignored, and hymt rightly leaves an ignored signal ignored.
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=preexec)
    tmp = os.path.join(folder, os.path.basename(out) + ".tmp." + str(p.pid))
    deadline = time.monotonic() + TIMEOUT_S
    start = time.monotonic()
    while p.poll() is None and time.monotonic() < deadline:
        if wait_for_tmp and os.path.exists(tmp):
            break
        if not wait_for_tmp and time.monotonic() - start >= delay_s:
            break
        time.sleep(0.002)
    if p.poll() is not None:
        sys.exit(f"FAIL: {label}: ended (exit {p.returncode}) before it could be interrupted; make the job "
                 f"bigger\nstderr: {open(err_path, encoding='utf-8', errors='replace').read()}")
    if time.monotonic() >= deadline:
        p.kill()
        sys.exit(f"FAIL: {label}: {tmp} did not appear within {TIMEOUT_S} s")
    if ignored is not None:
        p.send_signal(ignored)
        time.sleep(0.3)
        if p.poll() is not None:
            sys.exit(f"FAIL: {label}: a {ignored.name} it was started ignoring ended it (exit {p.returncode})")
    p.send_signal(sig)
    try:
        rc = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        sys.exit(f"FAIL: {label}: still running 30 s after {sig.name}")
    stderr = open(err_path, encoding="utf-8", errors="replace").read()
    check(rc in (-sig, 128 + sig), f"{label}: exit status {rc}, expected death by {sig.name} ({-sig})\nstderr: {stderr}")
    check(not leftovers(folder, out), f"{label}: temporary files left after {sig.name}: {leftovers(folder, out)}")
    with open(out, "rb") as f:
        check(f.read() == old, f"{label}: the existing {os.path.basename(out)} was changed")
    print(f"ok: {label}: {sig.name} -> exit {rc}, no temporary file, old output intact")


def hf_checkpoint(folder, extra_vocab=8000, hidden=512, layers=4, ff=2048):
    """A Hugging Face folder (by default big enough that converting it to Q4_K_M on one thread takes
    seconds)."""
    import hf_export  # NumPy; imported here so that nothing else needs it

    tj = hf_export.byte_level_tokenizer_json([("Ġ", "t")])
    n = len(tj["model"]["vocab"])
    cfg = hf_export.make_config(n + 818 + extra_vocab, hidden, layers, 8, 2, 64, ff, n)
    hf_export.write_checkpoint(folder, cfg, hf_export.random_weights(cfg, seed=3), tj, hf_export.make_tokenizer_config(n))


def case_interrupt(hymt, tmp):
    # gen-model: a wide Q4_K model on one thread (reference quantizer) writes for several seconds.
    big = ["--n-embd", "1024", "--n-ff", "4096", "--n-layer", "4", "--n-vocab", "32000", "--type", "Q4_K",
           "--threads", "1"]
    out = os.path.join(tmp, "gen.gguf")
    interrupt("gen-model", [hymt, "gen-model", "-o", out] + big, out, signal.SIGINT)
    interrupt("gen-model", [hymt, "gen-model", "-o", out] + big, out, signal.SIGTERM)
    interrupt("gen-model", [hymt, "gen-model", "-o", out] + big, out, signal.SIGHUP)
    # Started with SIGINT ignored (nohup-like, a background job): it stays ignored.
    interrupt("gen-model with SIGINT ignored", [hymt, "gen-model", "-o", out] + big, out, signal.SIGTERM,
              preexec=ignore_sigint, ignored=signal.SIGINT)

    # quantize: an F16 model of the same shape to Q4_K_M (fast to generate, slow to quantize).
    src = os.path.join(tmp, "src_f16.gguf")
    run([hymt, "gen-model", "-o", src] + big[:-4] + ["--type", "F16"])
    out = os.path.join(tmp, "quant.gguf")
    interrupt("quantize", [hymt, "quantize", src, out, "--type", "Q4_K_M", "--threads", "1"], out, signal.SIGTERM)
    interrupt("quantize", [hymt, "quantize", src, out, "--type", "Q4_K_M", "--threads", "1"], out, signal.SIGINT)

    # convert: a safetensors checkpoint to Q4_K_M.
    ckpt = os.path.join(tmp, "hf")
    hf_checkpoint(ckpt)
    out = os.path.join(tmp, "conv.gguf")
    interrupt("convert", [hymt, "convert", ckpt, out, "--type", "Q4_K_M", "--threads", "1"], out, signal.SIGINT)

    # translate -o: its temporary file exists only for the final write, so the signal comes while it
    # translates (a long document with the demo model); the old output must stay and nothing appear.
    doc = os.path.join(tmp, "long.txt")
    with open(doc, "w", encoding="utf-8") as f:
        for i in range(400):
            f.write(f"The weather is nice today and we are going to the market number {i}.\n\n")
    out = os.path.join(tmp, "long.fr.txt")
    interrupt("translate -o", [hymt, "translate", "--model", DEMO, "--to", "fr", "-i", doc, "-o", out, "-q"], out,
              signal.SIGTERM, wait_for_tmp=False, delay_s=1.5)


def case_quantize_warnings(hymt, tmp):
    # n_ff 192: every ffn_down row (192 values) is shorter than Q4_K's 256-value block -> Q8_0.
    src = os.path.join(tmp, "ff192.gguf")
    run([hymt, "gen-model", "-o", src, "--type", "F16", "--n-layer", "5", "--n-ff", "192"])
    q4 = os.path.join(tmp, "q4.gguf")
    err = run([hymt, "quantize", src, q4, "--type", "Q4_K_S"]).stderr
    want = ("hymt: warning: 5 tensors written as Q8_0 instead of Q4_K (row length not a multiple of Q4_K's block of "
            "256): blk.0.ffn_down.weight (row 192), blk.1.ffn_down.weight (row 192), blk.2.ffn_down.weight (row 192) "
            "and 2 more")
    check(want in err, f"fallback summary missing; stderr:\n{err}")
    check("already quantized" not in err, f"an F16 input is not a re-quantization; stderr:\n{err}")

    # n_ff 200: not even Q8_0's 32 divides it -> F16, one tensor per layer named.
    src2 = os.path.join(tmp, "ff200.gguf")
    run([hymt, "gen-model", "-o", src2, "--type", "F16", "--n-layer", "1", "--n-ff", "200"])
    err = run([hymt, "quantize", src2, os.path.join(tmp, "q8.gguf"), "--type", "Q8_0"]).stderr
    check("hymt: warning: 1 tensor written as F16 instead of Q8_0 (row length not a multiple of Q8_0's block of 32): "
          "blk.0.ffn_down.weight (row 200)\n" in err, f"single fallback; stderr:\n{err}")

    # Re-quantizing a quantized file: warned, with the count and an example tensor and type.
    err = run([hymt, "quantize", q4, os.path.join(tmp, "q4_again.gguf"), "--type", "Q8_0"]).stderr
    check(f"hymt: warning: {q4} is already quantized (" in err and "e.g. token_embd.weight in Q6_K" in err and
          "quantize the original F16/BF16 (or F32) model instead" in err, f"re-quantization warning; stderr:\n{err}")
    # Dequantizing it to F16 loses nothing more: no warning.
    err = run([hymt, "quantize", q4, os.path.join(tmp, "back.gguf"), "--type", "F16"]).stderr
    check("hymt: warning" not in err, f"Q4_K -> F16 needs no warning; stderr:\n{err}")

    # A shape every block divides, from F16: silent.
    src3 = os.path.join(tmp, "plain.gguf")
    run([hymt, "gen-model", "-o", src3, "--type", "F16", "--n-layer", "1"])
    err = run([hymt, "quantize", src3, os.path.join(tmp, "plain_q8.gguf"), "--type", "Q8_0"]).stderr
    check("hymt: warning" not in err, f"F16 -> Q8_0 of a fitting shape needs no warning; stderr:\n{err}")
    # convert words its fallbacks the same way.
    ckpt = os.path.join(tmp, "hf_ff192")
    hf_checkpoint(ckpt, extra_vocab=0, hidden=256, layers=2, ff=192)
    err = run([hymt, "convert", ckpt, os.path.join(tmp, "conv.gguf"), "--type", "Q4_K_S"]).stderr
    check("hymt: warning: 2 tensors written as Q8_0 instead of Q4_K (row length not a multiple of Q4_K's block of "
          "256): blk.0.ffn_down.weight (row 192), blk.1.ffn_down.weight (row 192)\n" in err, f"convert fallback; stderr:\n{err}")
    print("ok: quantize and convert warnings")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("case", choices=["interrupt", "quantize_warnings"])
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    {"interrupt": case_interrupt, "quantize_warnings": case_quantize_warnings}[a.case](a.hymt, a.tmp)


if __name__ == "__main__":
    main()
