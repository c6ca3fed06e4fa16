#!/usr/bin/env python3
# stq_layout.py: the STQ1_0 lane-layout decision of a file with no marker (spec §5.10,
# src/model/stq_layout_check.cpp), seen through `hymt info --json` and `hymt translate`.
# Files come from two writers: the independent NumPy writer (tests/reference/gguf_np.py, its own
# STQ1_0 encoder from the spec) and `hymt quantize`, both from the trained demo model; random weights
# stand for a file where the evidence is weak. Checks (one ctest entry each):
#   independent  NumPy-written demo in both layouts, no marker: the self-check finds each, with margin
#   quantized    `hymt quantize` STQ1_0 / STQ1_0_CONSEC: detected, and translates as with the override
#   weak         random STQ1_0 weights (small, and large enough for a big gap) with the demo vocabulary:
#                stride-16 plus a warning naming the override
#   precedence   HYMT_STQ_LAYOUT beats the self-check and the marker; the marker beats the self-check
import argparse
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import gguf_np  # noqa: E402

SKIP = 77
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEMO = os.path.join(ROOT, "models", "demo", "hy-mt-demo.gguf")
# The self-check must clear its margin (2 nats/token in stq_layout_check.cpp) by this much on the
# trained demo: measured 10+ in both layouts, so 5 still catches a check that barely separates.
MIN_MARGIN = 5.0
# A sentence the demo memorized (FLORES-200 devtest line 1, en->de), different from the check's own.
SENTENCE = '"We now have 4-month-old mice that are non-diabetic that used to be diabetic," he added.'

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def env_without_override(extra=None):
    e = {k: v for k, v in os.environ.items() if k != "HYMT_STQ_LAYOUT"}
    e.update(extra or {})
    return e


def info(hymt, model, extra_env=None):
    r = subprocess.run([hymt, "info", model, "--json"], capture_output=True, text=True, env=env_without_override(extra_env))
    if r.returncode != 0:
        check(False, f"hymt info {model} failed: {r.stderr.strip()}")
        return None, r.stderr
    return json.loads(r.stdout), r.stderr


def demo_writer(src, skip_keys=("general.finetune", "general.file_type")):
    w = gguf_np.GGUFWriter(alignment=src.alignment)
    for key, (vtype, value) in src.kv.items():
        if key in skip_keys or key == "general.alignment":
            continue
        if vtype == gguf_np.GGUF_ARRAY:
            w.add_array(key, value[0], value[1])
        else:
            w.add(key, vtype, value)
    return w


def is_matrix(name):
    return name.startswith("blk.") and "_norm" not in name


def write_stq(src, path, layout, weights=None, finetune=None):
    """The demo's metadata, F32 embedding and norms, every layer matrix as STQ1_0 in `layout`."""
    w = demo_writer(src)
    w.add("general.file_type", gguf_np.GGUF_U32, 41)
    if finetune is not None:
        w.add("general.finetune", gguf_np.GGUF_STRING, finetune)
    for name, t in src.tensors.items():
        x = weights[name] if weights and name in weights else src.tensor(name)
        if is_matrix(name):
            w.add_tensor_stq1_0(name, x, layout)
        else:
            w.add_tensor(name, x, gguf_np.T_F32)
    w.write(path)


def stq(j):
    return j["stq_layout"] if j else {}


def check_independent(hymt, tmp, src):
    for layout in ("stride16", "consecutive"):
        path = os.path.join(tmp, f"np-{layout}.gguf")
        write_stq(src, path, layout)
        # The NumPy encoder must agree with the engine's decoder before the layouts mean anything:
        # read with the override, one matrix must come back as the sparse-absmean ternarization.
        out = os.path.join(tmp, "t.f32")
        r = subprocess.run([hymt, "tensor", "-m", path, "--name", "blk.0.ffn_up.weight", "-o", out],
                           capture_output=True, text=True, env=env_without_override({"HYMT_STQ_LAYOUT": layout}))
        check(r.returncode == 0, f"hymt tensor on the {layout} file: {r.stderr.strip()}")
        if r.returncode == 0:
            got = np.fromfile(out, "<f4")
            x = src.tensor("blk.0.ffn_up.weight").reshape(-1, 256)
            pos = gguf_np.stq_positions(layout)
            g = x[:, pos]
            zero = np.argmin(np.abs(g), axis=2)
            keep = np.arange(4)[None, None, :] != zero[:, :, None]
            d = ((np.abs(g) * keep).sum(axis=(1, 2)) / 192.0).astype(np.float16).astype(np.float32)
            want = np.zeros_like(x)
            want[:, pos] = np.where(keep, np.sign(np.where(g >= 0, 1.0, -1.0)), 0) * d[:, None, None]
            check(np.array_equal(got, want.reshape(-1)), f"{layout}: engine decodes the NumPy STQ1_0 blocks differently")
        j, err = info(hymt, path)
        s = stq(j)
        print(f"independent {layout}: {s}")
        check(s.get("layout") == layout and s.get("source") == "self-check",
              f"NumPy-written {layout} demo: decided {s.get('layout')} from {s.get('source')}")
        margin = abs(s.get("nll_stride16", 0) - s.get("nll_consecutive", 0))
        check(margin >= MIN_MARGIN, f"{layout}: margin {margin:.2f} nats/token below {MIN_MARGIN}")
        check("warning" not in err, f"{layout}: clear evidence must not warn: {err.strip()}")
        check(j is None or (j["file_type"] == 41 and j["finetune"] is None), f"{layout}: file_type/finetune in info: {j and (j['file_type'], j['finetune'])}")


def translate(hymt, model, extra_env=None, ok_codes=(0,)):
    r = subprocess.run([hymt, "translate", "-m", model, "--to", "de", "--from", "en", "-q", SENTENCE],
                       capture_output=True, text=True, env=env_without_override(extra_env))
    check(r.returncode in ok_codes, f"hymt translate -m {model} ({extra_env}): exit {r.returncode} {r.stderr.strip()}")
    return r.stdout


def check_quantized(hymt, tmp, src):
    for qtype, layout in (("STQ1_0", "stride16"), ("STQ1_0_CONSEC", "consecutive")):
        path = os.path.join(tmp, f"q-{layout}.gguf")
        r = subprocess.run([hymt, "quantize", DEMO, path, "--type", qtype], capture_output=True, text=True)
        check(r.returncode == 0, f"hymt quantize --type {qtype}: {r.stderr.strip()}")
        if r.returncode != 0:
            continue
        j, _ = info(hymt, path)
        s = stq(j)
        print(f"quantized {qtype}: {s}")
        check(j is not None and j["finetune"] is None, f"{qtype}: the quantized demo must carry no finetune marker")
        check(s.get("layout") == layout and s.get("source") == "self-check",
              f"hymt quantize {qtype}: decided {s.get('layout')} from {s.get('source')}")
        auto = translate(hymt, path)
        forced = translate(hymt, path, {"HYMT_STQ_LAYOUT": layout})
        # Garbage may fail the output checks (exit 5) and is still written.
        wrong = translate(hymt, path, {"HYMT_STQ_LAYOUT": "consecutive" if layout == "stride16" else "stride16"},
                          ok_codes=(0, 5))
        print(f"  auto: {auto.strip()!r}\n  override: {forced.strip()!r}\n  wrong layout: {wrong.strip()!r}")
        check(auto == forced and auto.strip(), f"{qtype}: translation without a flag differs from the override's")
        check(auto != wrong, f"{qtype}: the wrong layout translates the same (the test cannot tell layouts apart)")


def check_weak(hymt, tmp, src):
    # Small random weights: both layouts near a uniform guess, a small gap. Large ones: logits so big
    # that the layouts differ by more than the 2-nat margin while both are far worse than uniform,
    # which only the "better than half of a uniform guess" condition rejects.
    for scale, big_gap in ((0.05, False), (2.0, True)):
        rng = np.random.default_rng(7)
        weights = {n: rng.standard_normal(src.tensor(n).shape).astype(np.float32) * scale for n in src.tensors}
        for n in src.tensors:
            if "_norm" in n:
                weights[n] = np.ones_like(weights[n])
        path = os.path.join(tmp, f"random-{scale}.gguf")
        write_stq(src, path, "consecutive", weights)
        j, err = info(hymt, path)
        s = stq(j)
        print(f"weak (scale {scale}): {s}\n  stderr: {err.strip()}")
        check(s.get("layout") == "stride16" and s.get("source") == "default", f"random weights x{scale}: {s}")
        check("warning" in err and "HYMT_STQ_LAYOUT=consecutive" in err and "weak evidence" in err,
              f"random weights x{scale} must warn and name the override: {err.strip()!r}")
        gap = abs(s.get("nll_stride16", 0) - s.get("nll_consecutive", 0))
        check((gap >= 2.0) == big_gap, f"random weights x{scale}: gap {gap:.2f}, the case this file stands for is gone")


def check_precedence(hymt, tmp, src):
    path = os.path.join(tmp, "np-consecutive.gguf")
    if not os.path.exists(path):
        write_stq(src, path, "consecutive")
    j, err = info(hymt, path, {"HYMT_STQ_LAYOUT": "stride16"})
    s = stq(j)
    check(s.get("layout") == "stride16" and s.get("source") == "override", f"override on a consecutive file: {s}")
    check("warning" not in err, f"an override must not warn: {err.strip()}")
    marked = os.path.join(tmp, "marked.gguf")
    write_stq(src, marked, "consecutive", finetune="2bit-stride16")  # a wrong marker still wins
    j, _ = info(hymt, marked)
    s = stq(j)
    check(s.get("layout") == "stride16" and s.get("source") == "metadata", f"marker on a consecutive file: {s}")
    j, _ = info(hymt, marked, {"HYMT_STQ_LAYOUT": "consecutive"})
    check(stq(j).get("source") == "override", f"override beats the marker: {stq(j)}")
    r = subprocess.run([hymt, "info", path], capture_output=True, text=True, env=env_without_override())
    check(r.returncode == 0 and "stq_layout:    consecutive (self-check:" in r.stdout and "finetune: (none)" in r.stdout
          and "family:        hy-mt1.5" in r.stdout, f"text output of hymt info:\n{r.stdout}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("check", choices=["independent", "quantized", "weak", "precedence"])
    a = ap.parse_args()
    if not os.path.exists(DEMO):
        print("skip: no demo model")
        return SKIP
    os.makedirs(a.tmp, exist_ok=True)
    src = gguf_np.read_gguf(DEMO)
    {"independent": check_independent, "quantized": check_quantized, "weak": check_weak,
     "precedence": check_precedence}[a.check](a.hymt, a.tmp, src)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
