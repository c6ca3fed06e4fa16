#!/usr/bin/env python3
# dequant_np.py: an independent NumPy implementation of every weight format's dequantization,
# written from the spec (§5) and checked against `hymt tensor`, plus an independent GGUF writer.
#   generated: `hymt gen-model --type T` for each format; `hymt tensor` must equal the NumPy
#              decode of the file's raw bytes exactly (argument below).
#   written:   NumPy writes a GGUF with hand-built STQ1_0 (id 42, general.finetune "2bit-stride16";
#              also id 43) and Q2_0C (id 40) blocks from chosen weights; `hymt tensor` must return
#              those weights, and HYMT_STQ_LAYOUT must switch the lane layout.
# Exactness: every format's weight is d*q or d1*q - m1 where each product of a 16-bit float and
# small integers is exact in float32, so the C++ result is the exact value rounded once. Here the
# same value is formed in float64 (exact: products of <= 24 significant bits, and a difference
# d1*q - m1 that needs > 53 bits only if d and dmin differ by a factor > 2^23, which no generated
# or hand-built block does) and rounded once to float32: bit-identical, so the comparison is
# exact equality, no ulp allowance needed.
import argparse
import os
import struct
import subprocess
import sys

import numpy as np

# ---------------------------------------------------------------- GGUF reading (spec §4)

SCALAR = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


class Reader:
    def __init__(self, buf):
        self.buf, self.pos = buf, 0

    def take(self, fmt):
        v = struct.unpack_from(fmt, self.buf, self.pos)[0]
        self.pos += struct.calcsize(fmt)
        return v

    def string(self):
        n = self.take("<Q")
        s = bytes(self.buf[self.pos:self.pos + n]).decode("utf-8")
        self.pos += n
        return s

    def value(self, t):
        if t in SCALAR:
            return self.take(SCALAR[t])
        if t == 8:
            return self.string()
        if t == 9:
            et, n = self.take("<I"), self.take("<Q")
            return [self.value(et) for _ in range(n)]
        raise ValueError(f"bad value type {t}")


def read_gguf(path):
    buf = open(path, "rb").read()
    r = Reader(buf)
    assert buf[:4] == b"GGUF", "bad magic"
    r.pos = 4
    _version, n_tensors, n_kv = r.take("<I"), r.take("<Q"), r.take("<Q")
    kv = {}
    for _ in range(n_kv):
        k = r.string()
        kv[k] = r.value(r.take("<I"))
    tensors = {}
    for _ in range(n_tensors):
        name = r.string()
        nd = r.take("<I")
        ne = [r.take("<Q") for _ in range(nd)]
        tensors[name] = {"ne": ne, "type_id": r.take("<I"), "offset": r.take("<Q")}
    align = kv.get("general.alignment", 32)
    data = (r.pos + align - 1) // align * align
    return buf, kv, tensors, data


# ---------------------------------------------------------------- dequantizers (spec §5)

def f16(col):  # (nb, 2) uint8 -> (nb, 1) float64
    return np.ascontiguousarray(col).view("<f2").astype(np.float64)


def blocks(raw, size):
    return raw.reshape(-1, size).astype(np.int64), raw.reshape(-1, size)


def dq_f32(raw):
    return raw.view("<f4").astype(np.float64)


def dq_f16(raw):
    return raw.view("<f2").astype(np.float64)


def dq_bf16(raw):
    return (raw.view("<u2").astype(np.uint32) << 16).view("<f4").astype(np.float64)


def dq_q8_0(raw):
    b, u = blocks(raw, 34)
    return f16(u[:, 0:2]) * np.ascontiguousarray(u[:, 2:]).view(np.int8)


def dq_q8_k(raw):
    b, u = blocks(raw, 292)
    d = np.ascontiguousarray(u[:, 0:4]).view("<f4").astype(np.float64)
    return d * np.ascontiguousarray(u[:, 4:260]).view(np.int8)


def nibbles32(qs):  # (nb, 16) -> (nb, 32): byte j holds weight j (low) and j+16 (high)
    return np.concatenate([qs & 15, qs >> 4], axis=1)


def dq_q4_0(raw):
    b, u = blocks(raw, 18)
    return f16(u[:, 0:2]) * (nibbles32(b[:, 2:18]) - 8)


def dq_q4_1(raw):
    b, u = blocks(raw, 20)
    return f16(u[:, 0:2]) * nibbles32(b[:, 4:20]) + f16(u[:, 2:4])


def high_bits32(u4):  # (nb, 4) bytes of a little-endian uint32 -> (nb, 32) bits
    qh = np.ascontiguousarray(u4).view("<u4").astype(np.int64)
    return (qh >> np.arange(32)) & 1


def dq_q5_0(raw):
    b, u = blocks(raw, 22)
    q = nibbles32(b[:, 6:22]) | (high_bits32(u[:, 2:6]) << 4)
    return f16(u[:, 0:2]) * (q - 16)


def dq_q5_1(raw):
    b, u = blocks(raw, 24)
    q = nibbles32(b[:, 8:24]) | (high_bits32(u[:, 4:8]) << 4)
    return f16(u[:, 0:2]) * q + f16(u[:, 2:4])


def k4_scales(s):  # (nb, 12) -> sc, m (nb, 8): get_scale_min_k4
    sc = np.zeros((s.shape[0], 8), np.int64)
    m = np.zeros_like(sc)
    for j in range(8):
        if j < 4:
            sc[:, j], m[:, j] = s[:, j] & 63, s[:, j + 4] & 63
        else:
            sc[:, j] = (s[:, j + 4] & 15) | ((s[:, j - 4] >> 6) << 4)
            m[:, j] = (s[:, j + 4] >> 4) | ((s[:, j] >> 6) << 4)
    return sc, m


def dq_q4_k(raw):
    b, u = blocks(raw, 144)
    sc, m = k4_scales(b[:, 4:16])
    qs = b[:, 16:144].reshape(-1, 4, 32)
    q = np.stack([qs & 15, qs >> 4], axis=2).reshape(-1, 8, 32)  # chunk c: sub-blocks 2c, 2c+1
    w = f16(u[:, 0:2])[:, :, None] * sc[:, :, None] * q - f16(u[:, 2:4])[:, :, None] * m[:, :, None]
    return w.reshape(-1, 256)


def dq_q5_k(raw):
    b, u = blocks(raw, 176)
    sc, m = k4_scales(b[:, 4:16])
    qh = b[:, 16:48]
    qs = b[:, 48:176].reshape(-1, 4, 32)
    subs = []
    for c in range(4):
        subs.append((qs[:, c] & 15) | (((qh >> (2 * c)) & 1) << 4))
        subs.append((qs[:, c] >> 4) | (((qh >> (2 * c + 1)) & 1) << 4))
    q = np.stack(subs, axis=1)
    w = f16(u[:, 0:2])[:, :, None] * sc[:, :, None] * q - f16(u[:, 2:4])[:, :, None] * m[:, :, None]
    return w.reshape(-1, 256)


def dq_q6_k(raw):
    b, u = blocks(raw, 210)
    ql, qh, d = b[:, 0:128], b[:, 128:192], f16(u[:, 208:210])
    sc = np.ascontiguousarray(u[:, 192:208]).view(np.int8).astype(np.int64)
    w = np.zeros((b.shape[0], 256))
    for h in range(2):
        l_lo, l_hi, hh = ql[:, 64 * h:64 * h + 32], ql[:, 64 * h + 32:64 * h + 64], qh[:, 32 * h:32 * h + 32]
        quarters = [(l_lo & 15) | ((hh & 3) << 4), (l_hi & 15) | (((hh >> 2) & 3) << 4),
                    (l_lo >> 4) | (((hh >> 4) & 3) << 4), (l_hi >> 4) | (((hh >> 6) & 3) << 4)]
        for k, q in enumerate(quarters):  # weight 128h + 32k + l uses scale 8h + l//16 + 2k
            s_idx = 8 * h + np.arange(32) // 16 + 2 * k
            w[:, 128 * h + 32 * k:128 * h + 32 * k + 32] = d * sc[:, s_idx] * (q - 32)
    return w


def dq_q2_k(raw):
    b, u = blocks(raw, 84)
    scales, qs = b[:, 0:16], b[:, 16:80]
    d, dmin = f16(u[:, 80:82]), f16(u[:, 82:84])
    w = np.zeros((b.shape[0], 256))
    is_ = 0
    for h in range(2):
        q = qs[:, 32 * h:32 * h + 32]
        for j in range(4):
            for half in range(2):  # l 0..15 then 16..31, each with its own scale byte
                s = scales[:, is_:is_ + 1]
                codes = (q[:, 16 * half:16 * half + 16] >> (2 * j)) & 3
                base = 128 * h + 32 * j + 16 * half
                w[:, base:base + 16] = d * (s & 15) * codes - dmin * (s >> 4)
                is_ += 1
    return w


def trit(byte, n):
    return (((byte * 3 ** n) & 0xFF) * 3) >> 8


def dq_tq1_0(raw):
    b, u = blocks(raw, 54)
    qs, qh, d = b[:, 0:48], b[:, 48:52], f16(u[:, 52:54])
    t = np.zeros((b.shape[0], 256), np.int64)
    for n in range(5):
        t[:, 32 * n:32 * n + 32] = trit(qs[:, 0:32], n)
        t[:, 160 + 16 * n:160 + 16 * n + 16] = trit(qs[:, 32:48], n)
    for n in range(4):
        t[:, 240 + 4 * n:240 + 4 * n + 4] = trit(qh, n)
    return d * (t - 1)


def dq_tq2_0(raw):
    b, u = blocks(raw, 66)
    qs, d = b[:, 0:64], f16(u[:, 64:66])
    t = np.zeros((b.shape[0], 256), np.int64)
    for j in (0, 32):
        for l in range(4):
            t[:, 4 * j + 32 * l:4 * j + 32 * l + 32] = (qs[:, j:j + 32] >> (2 * l)) & 3
    return d * (t - 1)


# The spec's codebook, typed in from §5.10 (index = sign * 16 + slot).
STQ_CODEBOOK = [0xA9, 0x89, 0x29, 0x09, 0xA6, 0x86, 0x26, 0x06, 0x9A, 0x92, 0x1A, 0x12, 0x6A, 0x62, 0x4A, 0x42,
                0x01, 0x21, 0x81, 0xA1, 0x04, 0x24, 0x84, 0xA4, 0x10, 0x18, 0x90, 0x98, 0x40, 0x48, 0x60, 0x68]


def stq_pos(layout, g, p):
    return 64 * (g // 16) + g % 16 + 16 * p if layout == "stride16" else 4 * g + p


def dq_stq1_0(raw, layout):
    b, u = blocks(raw, 42)
    qs, sg, d = b[:, 0:32], b[:, 32:40], f16(u[:, 40:42])
    cb = np.array(STQ_CODEBOOK, np.int64)
    v = np.zeros((b.shape[0], 256), np.int64)
    for g in range(64):
        slot = (qs[:, g // 2] >> (4 * (g % 2))) & 15
        sign = (sg[:, g // 8] >> (g % 8)) & 1
        pack = cb[sign * 16 + slot]
        for p in range(4):
            v[:, stq_pos(layout, g, p)] = ((pack >> (2 * p)) & 3) - 1
    return d * v


def dq_q2_0c(raw):
    b, u = blocks(raw, 130)
    qs, d = b[:, 2:130], f16(u[:, 0:2])
    codes = np.stack([(qs >> (2 * k)) & 3 for k in range(4)], axis=2).reshape(-1, 512)  # LSB first
    return d * (2 * codes - 3)


DEQUANT = {
    "F32": dq_f32, "F16": dq_f16, "BF16": dq_bf16, "Q8_0": dq_q8_0, "Q8_K": dq_q8_k,
    "Q4_0": dq_q4_0, "Q4_1": dq_q4_1, "Q5_0": dq_q5_0, "Q5_1": dq_q5_1,
    "Q2_K": dq_q2_k, "Q4_K": dq_q4_k, "Q5_K": dq_q5_k, "Q6_K": dq_q6_k,
    "TQ1_0": dq_tq1_0, "TQ2_0": dq_tq2_0, "Q2_0C": dq_q2_0c,
    "STQ1_0": lambda r: dq_stq1_0(r, "stride16"), "STQ1_0_CONSEC": lambda r: dq_stq1_0(r, "consecutive"),
}
# (weights per block, bytes per block, GGUF id we expect hymt to write)
GEOMETRY = {
    "F32": (1, 4, 0), "F16": (1, 2, 1), "BF16": (1, 2, 30), "Q8_0": (32, 34, 8), "Q8_K": (256, 292, 15),
    "Q4_0": (32, 18, 2), "Q4_1": (32, 20, 3), "Q5_0": (32, 22, 6), "Q5_1": (32, 24, 7),
    "Q2_K": (256, 84, 10), "Q4_K": (256, 144, 12), "Q5_K": (256, 176, 13), "Q6_K": (256, 210, 14),
    "TQ1_0": (256, 54, 34), "TQ2_0": (256, 66, 35), "Q2_0C": (512, 130, 40),
    "STQ1_0": (256, 42, 42), "STQ1_0_CONSEC": (256, 42, 42),
}


def dequantize(fmt, raw, n):
    out = DEQUANT[fmt](raw)
    out = np.asarray(out, np.float64).reshape(-1)
    assert out.size == n, (fmt, out.size, n)
    return out.astype(np.float32)  # the single rounding, as in the C++ code


# ---------------------------------------------------------------- checks

FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAIL:", msg)


def hymt_tensor(hymt, model, name, out, env=None):
    e = dict(os.environ)
    e.pop("HYMT_STQ_LAYOUT", None)
    e.update(env or {})
    r = subprocess.run([hymt, "tensor", "-m", model, "--name", name, "-o", out], env=e,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()
    return np.fromfile(out, "<f4"), ""


def compare(got, want, what):
    if got is None:
        check(False, f"{what}: hymt tensor failed")
        return
    if got.shape != want.shape:
        check(False, f"{what}: {got.size} values, expected {want.size}")
        return
    bad = np.flatnonzero(got != want)
    check(bad.size == 0, f"{what}: {bad.size} of {want.size} values differ"
          + (f", first at {bad[0]}: hymt {got[bad[0]]!r}, numpy {want[bad[0]]!r}" if bad.size else ""))


# Forward-pass smoke test: logits of the model generated in each format (same underlying random
# floats for every format) against the F32 model's, as a correlation. A format whose matmul or
# activation pairing is broken gives a correlation near 0; the limits sit below what each bit
# width measures (in parentheses) and far above 0.
MIN_LOGIT_CORR = {
    "F16": 0.9999, "BF16": 0.999, "Q8_0": 0.999, "Q8_K": 0.999,  # (0.99999, 0.9999, 0.99988, 0.9998)
    "Q6_K": 0.997, "Q5_0": 0.99, "Q5_1": 0.99, "Q5_K": 0.99,     # (0.9993, 0.9973..0.9975)
    "Q4_0": 0.96, "Q4_1": 0.96, "Q4_K": 0.96,                    # (0.987, 0.99)
    "Q2_K": 0.70, "Q2_0C": 0.60, "TQ1_0": 0.45, "TQ2_0": 0.45,   # (0.86, 0.80, 0.68, 0.68)
    "STQ1_0": 0.20, "STQ1_0_CONSEC": 0.20,                       # (0.46: absmax scale on uniform data)
}
F32_LOGITS = {}


def check_logits(hymt, tmp, fmt, model, env):
    out = os.path.join(tmp, f"logits_{fmt}.f32")
    e = dict(os.environ)
    e.pop("HYMT_STQ_LAYOUT", None)
    e.update(env)
    r = subprocess.run([hymt, "logits", "-m", model, "--ids", "1,2,3,300,700", "-o", out, "-t", "2"],
                       env=e, capture_output=True, text=True)
    if r.returncode != 0:
        check(False, f"logits of the {fmt} model: {r.stderr.strip()}")
        return
    x = np.fromfile(out, "<f4").astype(np.float64)
    if fmt == "F32":
        F32_LOGITS["ref"] = x
        return
    if "ref" not in F32_LOGITS or fmt not in MIN_LOGIT_CORR:
        return
    ok = np.all(np.isfinite(x)) and x.shape == F32_LOGITS["ref"].shape
    corr = np.corrcoef(x, F32_LOGITS["ref"])[0, 1] if ok else float("nan")
    print(f"  {fmt}: logits correlation with the F32 model {corr:.5f} (limit {MIN_LOGIT_CORR[fmt]})")
    check(ok and corr > MIN_LOGIT_CORR[fmt], f"{fmt} logits correlation {corr} <= {MIN_LOGIT_CORR[fmt]}")


def check_generated(hymt, tmp, fmt):
    model = os.path.join(tmp, f"gen_{fmt}.gguf")
    r = subprocess.run([hymt, "gen-model", "-o", model, "--type", fmt, "--n-embd", "512", "--n-ff", "512",
                        "--head-dim", "64", "--n-head", "8", "--n-head-kv", "4", "--n-layer", "1",
                        "--threads", "2"], capture_output=True, text=True)
    if r.returncode != 0:
        check(False, f"gen-model --type {fmt}: {r.stderr.strip()}")
        return
    buf, kv, tensors, data = read_gguf(model)
    block, bsize, tid = GEOMETRY[fmt]
    env = {"HYMT_STQ_LAYOUT": "consecutive"} if fmt == "STQ1_0_CONSEC" else {}
    for name in ("token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.ffn_down.weight",
                 "blk.0.attn_norm.weight"):
        t = tensors[name]
        f = fmt if name != "blk.0.attn_norm.weight" else "F32"
        fb, fs, fid = GEOMETRY[f]
        check(t["type_id"] == fid, f"{fmt} {name}: written with type id {t['type_id']}, expected {fid}")
        n = int(np.prod(t["ne"]))
        start = data + t["offset"]
        raw = np.frombuffer(buf, np.uint8, n // fb * fs, start)
        want = dequantize(f, raw, n)
        got, err = hymt_tensor(hymt, model, name, os.path.join(tmp, "t.f32"), env)
        compare(got, want, f"generated {fmt} {name}" + (f" ({err})" if err else ""))
    check_logits(hymt, tmp, fmt, model, env)
    if fmt == "STQ1_0_CONSEC":
        # gen-model marks consecutive lanes in general.finetune, so without the override the file
        # reads back as consecutive; HYMT_STQ_LAYOUT=stride16 overrides the marker.
        t = tensors["blk.0.attn_q.weight"]
        n = int(np.prod(t["ne"]))
        raw = np.frombuffer(buf, np.uint8, n // 256 * 42, data + t["offset"])
        plain_env = {k: v for k, v in os.environ.items() if k != "HYMT_STQ_LAYOUT"}
        got, _ = hymt_tensor(hymt, model, "blk.0.attn_q.weight", os.path.join(tmp, "t.f32"), plain_env)
        compare(got, dequantize("STQ1_0_CONSEC", raw, n), "STQ1_0_CONSEC file read by its finetune marker")
        forced = dict(plain_env, HYMT_STQ_LAYOUT="stride16")
        got, _ = hymt_tensor(hymt, model, "blk.0.attn_q.weight", os.path.join(tmp, "t.f32"), forced)
        compare(got, dequantize("STQ1_0", raw, n), "STQ1_0_CONSEC file read with the stride16 override")
        got, err = hymt_tensor(hymt, model, "blk.0.attn_q.weight", os.path.join(tmp, "t.f32"),
                               {"HYMT_STQ_LAYOUT": "sideways"})
        check(got is None and "HYMT_STQ_LAYOUT" in err, f"a bad HYMT_STQ_LAYOUT must be refused (got: {err!r})")


def gguf_bytes(kv, tensors):
    """Minimal GGUF v3 writer: kv = {key: str}, tensors = [(name, ne, type_id, bytes)]."""
    def s(x):
        x = x.encode()
        return struct.pack("<Q", len(x)) + x
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kv))
    for k, v in kv.items():
        out += s(k) + struct.pack("<I", 8) + s(v)
    off, blobs = 0, b""
    for name, ne, tid, data in tensors:
        out += s(name) + struct.pack("<I", len(ne)) + b"".join(struct.pack("<Q", n) for n in ne)
        out += struct.pack("<IQ", tid, off)
        pad = (-len(data)) % 32
        blobs += data + b"\0" * pad
        off += len(data) + pad
    out += b"\0" * ((-len(out)) % 32)
    return out + blobs


def build_stq(rng, n_rows, ne0, scales):
    """Chosen 3:4 ternary weights -> STQ1_0 bytes (both layouts' expected values)."""
    inverse = {v: i for i, v in enumerate(STQ_CODEBOOK)}
    data = bytearray()
    want = {"stride16": np.zeros(n_rows * ne0, np.float32), "consecutive": np.zeros(n_rows * ne0, np.float32)}
    for blk in range(n_rows * ne0 // 256):
        d = np.float16(scales[blk % len(scales)])
        qs, sg = bytearray(32), bytearray(8)
        for g in range(64):
            zero = int(rng.integers(4))
            lanes = [0 if p == zero else int(rng.choice([-1, 1])) for p in range(4)]
            pack = sum((v + 1) << (2 * p) for p, v in enumerate(lanes))
            idx = inverse[pack]
            qs[g // 2] |= (idx & 15) << (4 * (g % 2))
            sg[g // 8] |= (idx >> 4) << (g % 8)
            for layout in want:
                for p in range(4):
                    want[layout][256 * blk + stq_pos(layout, g, p)] = np.float32(d) * lanes[p]
        data += qs + sg + d.tobytes()
    return bytes(data), want


def build_q2_0c(rng, n, scales):
    data = bytearray()
    want = np.zeros(n, np.float32)
    for blk in range(n // 512):
        d = np.float16(scales[blk % len(scales)])
        codes = rng.integers(0, 4, 512)
        qs = bytearray(128)
        for i, c in enumerate(codes):
            qs[i // 4] |= int(c) << (2 * (i % 4))
            want[512 * blk + i] = np.float32(d) * (2 * int(c) - 3)
        data += d.tobytes() + qs
    return bytes(data), want


def check_written(hymt, tmp):
    rng = np.random.default_rng(7)
    stq, stq_want = build_stq(rng, 3, 512, [0.5, 1.25, -0.75, 2.0e-5, 3.0, 0.0])
    q2c, q2c_want = build_q2_0c(rng, 2 * 1024, [0.25, -1.5, 0.0078125, 6.0])
    tensors = [("stq.weight", [512, 3], 42, stq), ("stq43.weight", [512, 3], 43, stq),
               ("q2c.weight", [1024, 2], 40, q2c)]
    for finetune, env, layout in [("2bit-stride16", {}, "stride16"), (None, {}, "stride16"),
                                  (None, {"HYMT_STQ_LAYOUT": "consecutive"}, "consecutive"),
                                  ("2bit-stride16", {"HYMT_STQ_LAYOUT": "consecutive"}, "consecutive"),
                                  ("hy-mt1.5-consecutive", {}, "consecutive")]:
        kv = {"general.architecture": "hunyuan-dense"}
        if finetune:
            kv["general.finetune"] = finetune
        path = os.path.join(tmp, "written.gguf")
        with open(path, "wb") as f:
            f.write(gguf_bytes(kv, tensors))
        what = f"written file (finetune={finetune}, env={env})"
        for name in ("stq.weight", "stq43.weight"):
            got, err = hymt_tensor(hymt, path, name, os.path.join(tmp, "t.f32"), env)
            compare(got, stq_want[layout], f"{what} {name} as {layout}" + (f" ({err})" if err else ""))
        got, err = hymt_tensor(hymt, path, "q2c.weight", os.path.join(tmp, "t.f32"), env)
        compare(got, q2c_want, f"{what} q2c.weight" + (f" ({err})" if err else ""))


def self_check():
    # The NumPy decoders against a few values worked out by hand (same blocks as the C++ test).
    b = np.zeros(42, np.uint8)
    b[0], b[32], b[40:42] = 0xE5, 0x01, np.frombuffer(np.float16(2.5).tobytes(), np.uint8)
    w = dequantize("STQ1_0", b, 256)
    check(list(w[[0, 16, 32, 48, 1, 17, 33, 49, 2]]) == [-2.5, 0, 2.5, -2.5, 2.5, 2.5, -2.5, 0, 0],
          "numpy STQ1_0 self-check")
    t = np.full(54, 0x80, np.uint8)
    t[0], t[52:54] = 205, np.frombuffer(np.float16(0.5).tobytes(), np.uint8)
    w = dequantize("TQ1_0", t, 256)
    check(list(w[[0, 32, 64, 96, 128, 1]]) == [0.5, 0, -0.5, 0, 0.5, 0], "numpy TQ1_0 self-check")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--types", default=",".join(GEOMETRY))
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    self_check()
    for fmt in a.types.split(","):
        check_generated(a.hymt, a.tmp, fmt)
        print(f"checked generated {fmt}")
    check_written(a.hymt, a.tmp)
    print(f"{len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
