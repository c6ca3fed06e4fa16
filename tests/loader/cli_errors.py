#!/usr/bin/env python3
# cli_errors.py: the `hymt` error paths a user meets first, run as a user would. Bad model files
# exit 3, bad arguments exit 2, unwritable outputs exit 4; every failure prints one "hymt: ..."
# line on stderr naming the problem, nothing on stdout, and leaves no output (or partial) file.
# Usage: cli_errors.py HYMT_BINARY SCRATCH_DIR
import os
import shutil
import subprocess
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect_error(name, args, code, needle):
    rc, out, err = run(args)
    check(rc == code, f"{name}: exit {rc}, expected {code} (stderr: {err.strip()!r})")
    check(out == "", f"{name}: stdout should be empty, got {out[:200]!r}")
    lines = err.strip().splitlines()
    check(len(lines) == 1 and lines[0].startswith("hymt: "),
          f"{name}: stderr should be one 'hymt: ' line, got {err!r}")
    check(needle in err, f"{name}: stderr should mention {needle!r}, got {err.strip()!r}")


def main():
    hymt, tmp = sys.argv[1], sys.argv[2]
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    model = os.path.join(tmp, "tiny.gguf")
    rc, _, err = run([hymt, "gen-model", "-o", model, "--n-vocab", "1074", "--n-embd", "32", "--n-layer", "1",
                      "--n-head", "2", "--n-head-kv", "1", "--head-dim", "16", "--n-ff", "32", "--threads", "1"])
    if rc != 0:
        print("cannot generate the test model:", err)
        return 1
    data = open(model, "rb").read()

    # Sanity: the same commands succeed on the valid model, so the failures below are the inputs'.
    rc, out, err = run([hymt, "info", model])
    check(rc == 0 and "hunyuan-dense" in out, f"info on a valid model: exit {rc}, {err!r}")

    # hymt info on files that are no model.
    empty = os.path.join(tmp, "empty.gguf")
    open(empty, "wb").close()
    bad_magic = os.path.join(tmp, "bad_magic.gguf")
    open(bad_magic, "wb").write(b"GGML" + data[4:])
    truncated = os.path.join(tmp, "truncated.gguf")
    open(truncated, "wb").write(data[: len(data) // 2])
    expect_error("info missing file", [hymt, "info", os.path.join(tmp, "no_such.gguf")], 3, "No such file")
    expect_error("info directory", [hymt, "info", tmp], 3, "not a regular file")
    expect_error("info empty file", [hymt, "info", empty], 3, "empty file")
    expect_error("info bad magic", [hymt, "info", bad_magic], 3, "bad magic")
    expect_error("info truncated", [hymt, "info", truncated], 3, "truncated file")
    expect_error("info --json truncated", [hymt, "info", "--json", truncated], 3, "truncated file")

    # hymt logits with ids that are not token ids: usage errors, and no output file appears.
    out_bin = os.path.join(tmp, "logits.bin")
    for ids, needle in [("1,,2", "empty item"), ("-1", "'-1' is not a token id"), ("abc", "'abc' is not a token id"),
                        ("1,1074", "token id 1074 is outside the vocabulary")]:
        expect_error(f"logits --ids {ids}", [hymt, "logits", "--model", model, f"--ids={ids}", "--output", out_bin],
                     2, needle)
        check(not os.path.exists(out_bin), f"logits --ids {ids}: left an output file")
    rc, _, err = run([hymt, "logits", "--model", model, "--ids", "1,2", "--output", out_bin])
    check(rc == 0 and os.path.getsize(out_bin) == 2 * 1074 * 4, f"logits on valid ids: exit {rc}, {err!r}")

    # Unwritable outputs: exit 4, and nothing half-written left behind.
    expect_error("logits into a missing folder",
                 [hymt, "logits", "--model", model, "--ids", "1,2", "--output", "/nonexistent/dir/x.bin"], 4,
                 "/nonexistent/dir/x.bin")
    check(not os.path.exists("/nonexistent/dir"), "logits created /nonexistent/dir")
    out_dir = os.path.join(tmp, "out_is_a_dir")
    os.makedirs(out_dir)
    before = set(os.listdir(tmp))
    expect_error("logits onto a directory", [hymt, "logits", "--model", model, "--ids", "1", "--output", out_dir],
                 4, out_dir)
    check(set(os.listdir(tmp)) == before, f"logits left files behind: {sorted(set(os.listdir(tmp)) - before)}")
    check(os.path.isdir(out_dir) and not os.listdir(out_dir), "logits changed the directory it could not write")

    # hymt tensor with a name the model does not have.
    t_out = os.path.join(tmp, "tensor.bin")
    expect_error("tensor --name nosuch", [hymt, "tensor", "--model", model, "--name", "nosuch", "--output", t_out], 3,
                 "no tensor named 'nosuch'")
    check(not os.path.exists(t_out), "tensor --name nosuch left an output file")
    rc, _, err = run([hymt, "tensor", "--model", model, "--name", "output_norm.weight", "--output", t_out])
    check(rc == 0 and os.path.getsize(t_out) == 32 * 4, f"tensor on a valid name: exit {rc}, {err!r}")

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all CLI error paths behave")
    return 0


if __name__ == "__main__":
    sys.exit(main())
