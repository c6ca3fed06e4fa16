# Independent GGUF v3 reader and writer in Python + NumPy, written from the GGUF spec (hy-mt-spec.md §4)
# and the block layouts of §5, without looking at the C++ engine. It lets the reference tests read any
# model the engine reads, and write model files that the engine's own writer never touched.
# Invariants: everything little-endian; dequantization is bit-exact (F16 through numpy.float16, BF16 by
# shifting the 16 stored bits into the top of a float32, Q8_0 as fp16 d times int8 q, which is exact in
# float32 because an 11-bit mantissa times an 8-bit integer fits in 24 bits).

import struct

import numpy as np

# GGUF metadata value types (spec §4).
GGUF_U8, GGUF_I8, GGUF_U16, GGUF_I16, GGUF_U32, GGUF_I32, GGUF_F32, GGUF_BOOL = range(8)
GGUF_STRING, GGUF_ARRAY, GGUF_U64, GGUF_I64, GGUF_F64 = 8, 9, 10, 11, 12

# Fixed-size scalar value types: struct format character.
_SCALAR_FMT = {
    GGUF_U8: "B", GGUF_I8: "b", GGUF_U16: "H", GGUF_I16: "h", GGUF_U32: "I", GGUF_I32: "i",
    GGUF_F32: "f", GGUF_BOOL: "?", GGUF_U64: "Q", GGUF_I64: "q", GGUF_F64: "d",
}
# Same types as NumPy dtypes, for reading long arrays in one go.
_SCALAR_NP = {
    GGUF_U8: "<u1", GGUF_I8: "<i1", GGUF_U16: "<u2", GGUF_I16: "<i2", GGUF_U32: "<u4",
    GGUF_I32: "<i4", GGUF_F32: "<f4", GGUF_BOOL: "<u1", GGUF_U64: "<u8", GGUF_I64: "<i8",
    GGUF_F64: "<f8",
}

# ggml tensor types this module can read and write: id -> (name, block size, bytes per block).
T_F32, T_F16, T_Q8_0, T_BF16 = 0, 1, 8, 30
GGML_TYPES = {
    T_F32: ("F32", 1, 4),
    T_F16: ("F16", 1, 2),
    T_Q8_0: ("Q8_0", 32, 34),
    T_BF16: ("BF16", 1, 2),
}
TYPE_BY_NAME = {v[0]: k for k, v in GGML_TYPES.items()}

DEFAULT_ALIGNMENT = 32
_Q8_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "i1", (32,))])
assert _Q8_0_BLOCK.itemsize == 34


class GGUFError(Exception):
    """A file that is not a well-formed GGUF (the tests treat this as a failure of their input)."""


class _Reader:
    """Cursor over a bytes-like buffer with bounds checks."""

    def __init__(self, buf):
        self.buf = buf
        self.pos = 0

    def take(self, n):
        if n < 0 or self.pos + n > len(self.buf):
            raise GGUFError(f"truncated at offset {self.pos} (wanted {n} bytes)")
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b

    def scalar(self, vtype):
        fmt = "<" + _SCALAR_FMT[vtype]
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self):
        n = self.scalar(GGUF_U64)
        return bytes(self.take(n)).decode("utf-8")

    def value(self, vtype):
        if vtype in _SCALAR_FMT:
            return self.scalar(vtype)
        if vtype == GGUF_STRING:
            return self.string()
        if vtype == GGUF_ARRAY:
            etype = self.scalar(GGUF_U32)
            count = self.scalar(GGUF_U64)
            if etype in _SCALAR_NP:
                size = np.dtype(_SCALAR_NP[etype]).itemsize
                arr = np.frombuffer(self.take(count * size), dtype=_SCALAR_NP[etype]).copy()
                return (etype, arr.astype(bool) if etype == GGUF_BOOL else arr)
            return (etype, [self.value(etype) for _ in range(count)])
        raise GGUFError(f"unknown value type {vtype} at offset {self.pos}")


class TensorInfo:
    def __init__(self, name, ne, ggml_type, offset):
        self.name = name
        self.ne = list(ne)  # ne[0] is the contiguous dimension
        self.ggml_type = ggml_type
        self.offset = offset  # relative to the data section
        self.data = None  # raw bytes (memoryview), filled by read_gguf

    @property
    def n_elements(self):
        n = 1
        for d in self.ne:
            n *= d
        return n

    def nbytes(self):
        if self.ggml_type not in GGML_TYPES:
            raise GGUFError(f"tensor {self.name}: type {self.ggml_type} not supported here")
        _, blk, bpb = GGML_TYPES[self.ggml_type]
        if self.ne[0] % blk:
            raise GGUFError(f"tensor {self.name}: ne0 {self.ne[0]} not a multiple of {blk}")
        return self.n_elements // blk * bpb


class GGUFFile:
    """Parsed GGUF: version, metadata (key -> (type, value); arrays are (type, (elem_type, list/array)))
    and tensors (name -> TensorInfo with .data)."""

    def __init__(self):
        self.version = 3
        self.kv = {}
        self.tensors = {}
        self.alignment = DEFAULT_ALIGNMENT
        self.data_offset = 0

    def get(self, key, default=None):
        """Plain value of a key (arrays as their element list/array)."""
        if key not in self.kv:
            return default
        vtype, val = self.kv[key]
        return val[1] if vtype == GGUF_ARRAY else val

    def tensor(self, name):
        """Dequantized float32 array shaped [ne1, ne0] (or [ne0] for vectors)."""
        return dequantize(self.tensors[name])


def read_gguf(path):
    with open(path, "rb") as f:
        buf = memoryview(f.read())
    r = _Reader(buf)
    if bytes(r.take(4)) != b"GGUF":
        raise GGUFError("bad magic")
    g = GGUFFile()
    g.version = r.scalar(GGUF_U32)
    if g.version not in (2, 3):
        raise GGUFError(f"unsupported version {g.version}")
    n_tensors = r.scalar(GGUF_U64)
    n_kv = r.scalar(GGUF_U64)
    for _ in range(n_kv):
        key = r.string()
        vtype = r.scalar(GGUF_U32)
        if key in g.kv:
            raise GGUFError(f"duplicate key {key}")
        g.kv[key] = (vtype, r.value(vtype))
    if "general.alignment" in g.kv:
        g.alignment = int(g.get("general.alignment"))
        if g.alignment <= 0 or g.alignment % 8:
            raise GGUFError(f"bad alignment {g.alignment}")
    infos = []
    for _ in range(n_tensors):
        name = r.string()
        n_dims = r.scalar(GGUF_U32)
        if n_dims > 4:
            raise GGUFError(f"tensor {name}: {n_dims} dims")
        ne = [r.scalar(GGUF_U64) for _ in range(n_dims)]
        ttype = r.scalar(GGUF_U32)
        off = r.scalar(GGUF_U64)
        infos.append(TensorInfo(name, ne, ttype, off))
    g.data_offset = -(-r.pos // g.alignment) * g.alignment
    for t in infos:
        if t.offset % g.alignment:
            raise GGUFError(f"tensor {t.name}: offset {t.offset} not aligned")
        start = g.data_offset + t.offset
        end = start + t.nbytes()
        if end > len(buf):
            raise GGUFError(f"tensor {t.name}: data past end of file")
        t.data = buf[start:end]
        g.tensors[t.name] = t
    return g


# ---------------------------------------------------------------------------------------------------
# Dequantization (bit-exact to the block formats of spec §5)


def dequantize(t):
    """Tensor -> float32 array shaped [ne1, ne0] (2-D) or [ne0] (1-D); higher dims are flattened into
    rows, which the HunYuan tensors never need."""
    raw = t.data
    if t.ggml_type == T_F32:
        flat = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    elif t.ggml_type == T_F16:
        flat = np.frombuffer(raw, dtype="<f2").astype(np.float32)
    elif t.ggml_type == T_BF16:
        # bf16 is the top half of a float32: widening is a 16-bit shift, no rounding involved.
        bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        flat = bits.view(np.float32)
    elif t.ggml_type == T_Q8_0:
        blocks = np.frombuffer(raw, dtype=_Q8_0_BLOCK)
        flat = (blocks["d"].astype(np.float32)[:, None] * blocks["qs"].astype(np.float32)).reshape(-1)
    else:
        raise GGUFError(f"tensor {t.name}: cannot dequantize type {t.ggml_type}")
    if len(t.ne) == 1:
        return flat.reshape(t.ne[0])
    return flat.reshape(-1, t.ne[0])


def q8_0_blocks(t):
    """Q8_0 tensor -> (d float32 [rows, nb], qs int8 [rows, nb, 32]) for the integer-dot simulation."""
    assert t.ggml_type == T_Q8_0
    blocks = np.frombuffer(t.data, dtype=_Q8_0_BLOCK)
    rows = t.n_elements // t.ne[0]
    nb = t.ne[0] // 32
    return (blocks["d"].astype(np.float32).reshape(rows, nb),
            blocks["qs"].reshape(rows, nb, 32))


# ---------------------------------------------------------------------------------------------------
# Quantization for the writer (round to nearest even for F16/BF16, llama.cpp-style absmax for Q8_0)


def f32_to_bf16_bits(x):
    """Round-to-nearest-even float32 -> bf16 bits; NaN kept as a quiet NaN."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    nan = np.isnan(np.asarray(x, dtype=np.float32))
    rounded = np.where(nan, (u >> 16) | 0x40, rounded)
    return rounded.astype(np.uint16)


def quantize_q8_0(x):
    """Rows of float32 -> Q8_0 bytes. d = absmax/127 stored as fp16, q = round(x / d) half away from zero.
    Any valid encoding works for the tests: the reference reads back what was written."""
    x = np.ascontiguousarray(x, dtype=np.float32).reshape(-1, 32)
    amax = np.abs(x).max(axis=1)
    d = (amax / np.float32(127)).astype(np.float32)
    inv = np.where(d > 0, np.float32(1) / np.where(d > 0, d, 1), 0).astype(np.float32)
    v = x * inv[:, None]
    q = np.clip(np.sign(v) * np.floor(np.abs(v) + np.float32(0.5)), -127, 127).astype(np.int8)
    out = np.empty(x.shape[0], dtype=_Q8_0_BLOCK)
    out["d"] = d.astype(np.float16)
    out["qs"] = q
    return out.tobytes()


def encode_tensor(x, ggml_type):
    """float array (any shape, last axis = ne0) -> raw bytes of the given type."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    if ggml_type == T_F32:
        return x.astype("<f4").tobytes()
    if ggml_type == T_F16:
        return x.astype("<f2").tobytes()
    if ggml_type == T_BF16:
        return f32_to_bf16_bits(x).astype("<u2").tobytes()
    if ggml_type == T_Q8_0:
        return quantize_q8_0(x)
    raise GGUFError(f"cannot encode type {ggml_type}")


# ---------------------------------------------------------------------------------------------------
# STQ1_0 (spec §5.10), encoder only: 256 weights in 42 bytes (qs[32] slot nibbles, sign[8] bits, fp16 d),
# each group of 4 lanes one 5-bit codebook entry with exactly one zero lane. Both lane layouts are
# written from the spec's position formulas, independently of src/formats.

T_STQ1_0 = 42  # Tencent's id; the same bytes in both lane layouts
STQ_CODEBOOK = [0xA9, 0x89, 0x29, 0x09, 0xA6, 0x86, 0x26, 0x06, 0x9A, 0x92, 0x1A, 0x12, 0x6A, 0x62, 0x4A, 0x42,
                0x01, 0x21, 0x81, 0xA1, 0x04, 0x24, 0x84, 0xA4, 0x10, 0x18, 0x90, 0x98, 0x40, 0x48, 0x60, 0x68]


def stq_positions(layout):
    """[64, 4] weight index inside the block of lane p of group g."""
    g = np.arange(64)[:, None]
    p = np.arange(4)[None, :]
    if layout == "consecutive":
        return 4 * g + p
    if layout == "stride16":
        return 64 * (g // 16) + g % 16 + 16 * p
    raise GGUFError(f"unknown STQ1_0 layout {layout!r}")


def quantize_stq1_0(x, layout):
    """Rows of float32 (length a multiple of 256) -> STQ1_0 bytes. Zero lane: the smallest |x| of the
    group (ties: lowest lane); the others +1/-1 by sign; d: mean |x| of the 192 kept weights."""
    x = np.ascontiguousarray(x, dtype=np.float32).reshape(-1, 256)
    grp = x[:, stq_positions(layout)]  # [nb, 64, 4]
    zero = np.argmin(np.abs(grp), axis=2)  # first minimum: lowest lane on ties
    keep = np.arange(4)[None, None, :] != zero[:, :, None]
    code = np.where(keep, np.where(grp >= 0, 2, 0), 1)  # lane codes: 0 -> -1, 1 -> 0, 2 -> +1
    qpack = (code << (2 * np.arange(4))[None, None, :]).sum(axis=2)
    inverse = np.full(256, -1, np.int64)
    for idx, q in enumerate(STQ_CODEBOOK):
        inverse[q] = idx
    idx = inverse[qpack]
    assert (idx >= 0).all(), "a group with one zero lane always has a codebook entry"
    slot, sign = idx & 15, idx >> 4
    out = np.zeros((x.shape[0], 42), np.uint8)
    out[:, 0:32] = slot[:, 0::2] | (slot[:, 1::2] << 4)
    out[:, 32:40] = (sign.reshape(-1, 8, 8) << np.arange(8)[None, None, :]).sum(axis=2)
    d = (np.abs(grp) * keep).sum(axis=(1, 2)) / 192.0
    out[:, 40:42] = d.astype("<f2").reshape(-1, 1).view(np.uint8)
    return out.tobytes()


# ---------------------------------------------------------------------------------------------------
# Writer


class GGUFWriter:
    """Collects typed metadata and tensors, then writes a GGUF v3 file in one go.
    kv values: add(key, vtype, value); arrays: add_array(key, elem_type, values)."""

    def __init__(self, alignment=DEFAULT_ALIGNMENT, write_alignment_key=False):
        self.alignment = alignment
        self.kv = []
        self.tensors = []  # (name, ne, type, bytes)
        if write_alignment_key or alignment != DEFAULT_ALIGNMENT:
            self.add("general.alignment", GGUF_U32, alignment)

    def add(self, key, vtype, value):
        self.kv.append((key, vtype, value))

    def add_array(self, key, elem_type, values):
        self.kv.append((key, GGUF_ARRAY, (elem_type, values)))

    def add_tensor(self, name, array, ggml_type):
        """array shaped [..., ne0] (numpy order: last axis contiguous) -> GGUF ne reversed."""
        array = np.asarray(array, dtype=np.float32)
        ne = list(reversed(array.shape))
        self.tensors.append((name, ne, ggml_type, encode_tensor(array, ggml_type)))

    def add_tensor_stq1_0(self, name, array, layout):
        """A 2-D float array [ne1, ne0] as STQ1_0 (id 42) with the given lane layout."""
        array = np.asarray(array, dtype=np.float32)
        self.tensors.append((name, list(reversed(array.shape)), T_STQ1_0, quantize_stq1_0(array, layout)))

    @staticmethod
    def _string(s):
        b = s.encode("utf-8")
        return struct.pack("<Q", len(b)) + b

    def _value(self, vtype, value):
        if vtype in _SCALAR_FMT:
            return struct.pack("<" + _SCALAR_FMT[vtype], value)
        if vtype == GGUF_STRING:
            return self._string(value)
        if vtype == GGUF_ARRAY:
            etype, values = value
            head = struct.pack("<IQ", etype, len(values))
            if etype in _SCALAR_NP:
                return head + np.asarray(values).astype(_SCALAR_NP[etype]).tobytes()
            return head + b"".join(self._value(etype, v) for v in values)
        raise GGUFError(f"unknown value type {vtype}")

    def to_bytes(self):
        out = bytearray(b"GGUF")
        out += struct.pack("<IQQ", 3, len(self.tensors), len(self.kv))
        for key, vtype, value in self.kv:
            out += self._string(key) + struct.pack("<I", vtype) + self._value(vtype, value)
        offset = 0
        offsets = []
        for name, ne, ttype, data in self.tensors:
            offsets.append(offset)
            out += self._string(name) + struct.pack("<I", len(ne))
            out += struct.pack("<" + "Q" * len(ne), *ne) + struct.pack("<IQ", ttype, offset)
            offset += -(-len(data) // self.alignment) * self.alignment
        out += b"\0" * (-len(out) % self.alignment)
        for (_, _, _, data), off in zip(self.tensors, offsets):
            out += data + b"\0" * (-len(data) % self.alignment)
        return bytes(out)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.to_bytes())
