#!/usr/bin/env python3
# isa_logits.py: whole-model check of the kernel paths. For every weight format, `hymt gen-model`
# writes a small random model and `hymt logits` runs it once per kernel path this CPU can run
# (HYMT_FORCE_ISA=ref, avx2, avx512 / neon, dotprod); each SIMD path must give the reference path's
# logits. This covers what KernelIsa (one dot product or tile at a time) cannot: matmul's activation
# conversion and tiling inside a real forward pass, e.g. that STQ1_0 files with consecutive lanes
# (gen-model marks them in general.finetune) reach the consecutive-lane kernels.
#
# Tolerance: SIMD kernels sum the exact per-block integer dots in another float order than the
# references (relative differences ~1e-7 per dot). When every int8 activation rounds the same way
# on both paths the logits agree to ~1e-7 (relative L2; measured 7e-8 .. 5e-7). Int8 activation
# formats re-quantize every matmul input, though, and an activation within ~1e-6 of a rounding
# boundary can round the other way on one path, which moves these small random models' logits by
# ~1e-2 (measured 6e-3 .. 1.2e-2 for Q5_0, Q6_K, Q8_0, TQ1_0, TQ2_0, STQ1_0 on some paths). So a
# path passes with relative L2 <= 5e-2 and the same argmax at >= 90% of positions. A wrong kernel
# (wrong lane order, a lost scale or block) lands near 1: the negative control below reads the
# consecutive-lane file as stride-16 (measured 1.4) and must miss by more than 0.3. Small errors
# inside one kernel are KernelIsa's job (1e-5 of sum |w x| per dot).
import argparse
import os
import subprocess
import sys

import numpy as np

FORMATS = ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q4_K", "Q5_K", "Q6_K",
           "TQ1_0", "TQ2_0", "Q2_0C", "STQ1_0", "STQ1_0_CONSEC"]
# Every format accepts these shapes (Q2_0C needs rows of 512-weight multiples: n_embd, n_ff and
# n_head * head_dim).
SHAPE = ["--n-embd", "512", "--n-ff", "1024", "--n-head", "8", "--n-head-kv", "2", "--head-dim", "64",
         "--n-vocab", "1536", "--n-layer", "2"]
IDS = [1, 17, 300, 999, 42, 1200, 7, 512]
TOL_REL_L2 = 5e-2
MIN_TOP1 = 0.9
NEG_MIN_REL_L2 = 0.3

FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAIL: " + msg)


def run(cmd, env):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} -> rc {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def logits(hymt, model, out, isa, extra_env=None):
    env = {k: v for k, v in os.environ.items() if k not in ("HYMT_FORCE_ISA", "HYMT_STQ_LAYOUT")}
    env["HYMT_FORCE_ISA"] = isa
    env.update(extra_env or {})
    p = run([hymt, "logits", "--model", model, "--ids", ",".join(map(str, IDS)), "--output", out,
             "--threads", "2"], env)
    if "using the reference kernels" in p.stderr:  # dispatch refused the forced path
        return None
    return np.fromfile(out, dtype="<f4").reshape(len(IDS), -1)


def rel_l2(a, b):
    return float(np.linalg.norm(a.astype(np.float64) - b) / np.linalg.norm(b.astype(np.float64)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    args = ap.parse_args()
    os.makedirs(args.tmp, exist_ok=True)
    isas = ["avx2", "avx512", "neon", "dotprod"]
    ran = set()
    for fmt in FORMATS:
        model = os.path.join(args.tmp, f"{fmt}.gguf")
        run([args.hymt, "gen-model", "--output", model, "--type", fmt, "--seed", "7"] + SHAPE, dict(os.environ))
        ref = logits(args.hymt, model, os.path.join(args.tmp, "ref.f32"), "ref")
        for isa in isas:
            got = logits(args.hymt, model, os.path.join(args.tmp, f"{isa}.f32"), isa)
            if got is None:
                continue
            ran.add(isa)
            e = rel_l2(got, ref)
            top1 = float(np.mean(np.argmax(got, axis=1) == np.argmax(ref, axis=1)))
            print(f"  {fmt:14s} {isa:8s} rel L2 {e:.2e}  top-1 {top1:.2f}")
            check(e <= TOL_REL_L2, f"{fmt} {isa}: relative L2 {e:.3e} > {TOL_REL_L2}")
            check(top1 >= MIN_TOP1, f"{fmt} {isa}: top-1 agreement {top1:.2f} < {MIN_TOP1}")
        if fmt == "STQ1_0_CONSEC":
            # Negative control: the same bytes read with stride-16 lanes must be far off.
            neg = logits(args.hymt, model, os.path.join(args.tmp, "neg.f32"), "ref", {"HYMT_STQ_LAYOUT": "stride16"})
            e = rel_l2(neg, ref)
            print(f"  negative control (consecutive file read as stride-16): rel L2 {e:.2e}")
            check(e > NEG_MIN_REL_L2, f"negative control only {e:.3e} from the reference (<= {NEG_MIN_REL_L2})")
    print("SIMD paths compared with ref: " + (" ".join(sorted(ran)) if ran else "none (no SIMD path on this CPU)"))
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("all ISA logits checks passed")


if __name__ == "__main__":
    main()
