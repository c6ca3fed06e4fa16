# safetensors_np.py: a small safetensors writer (and the pieces tests use to build corrupt files),
# written from the format's definition: 8-byte little-endian header length N, N bytes of JSON
# {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}} (offsets relative to
# the first byte after the header), then the tensor bytes. NumPy only (no torch), so CI can use it.
# BF16 is rounded to nearest even from float32, as torch does.
import json
import os
import struct

import numpy as np

DTYPES = {"F32": (np.float32, 4), "F16": (np.float16, 2), "BF16": (None, 2), "F64": (np.float64, 8),
          "I64": (np.int64, 8), "I32": (np.int32, 4)}


def to_bf16_bits(a):
    """float32 array -> uint16 bfloat16 bits, round to nearest even (NaN kept quiet)."""
    x = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    nan = (x & 0x7FFFFFFF) > 0x7F800000
    r = ((x + 0x7FFF + ((x >> 16) & 1)) >> 16) & 0xFFFF
    r = np.where(nan, ((x >> 16) | 0x40) & 0xFFFF, r)
    return r.astype(np.uint16)


def from_bf16_bits(u):
    return (np.asarray(u, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def tensor_bytes(arr, dtype):
    if dtype == "BF16":
        return to_bf16_bits(arr).tobytes()
    return np.ascontiguousarray(arr, dtype=np.dtype(DTYPES[dtype][0]).newbyteorder("<")).tobytes()


def encode(tensors, metadata=None, align=8):
    """tensors: list of (name, ndarray, dtype) in file order -> bytes of a safetensors file. The
    header is padded with spaces to a multiple of `align` bytes, as the reference writer does."""
    header, blobs, off = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, arr, dtype in tensors:
        b = tensor_bytes(arr, dtype)
        header[name] = {"dtype": dtype, "shape": list(np.shape(arr)), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    return encode_raw(header, b"".join(blobs), align)


def encode_raw(header, data, align=8, header_text=None):
    """A file from an explicit header dict (or verbatim header text) and data bytes; used by tests to
    build files that break the rules on purpose."""
    text = header_text if header_text is not None else json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    hb = text.encode("utf-8")
    if align > 1 and len(hb) % align:
        hb += b" " * (align - len(hb) % align)
    return struct.pack("<Q", len(hb)) + hb + data


def write(path, tensors, metadata=None):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(encode(tensors, metadata))
    os.replace(tmp, path)


def write_sharded(folder, tensors, n_shards, metadata=None):
    """model-0000K-of-0000N.safetensors shards (tensors dealt round-robin, so each shard holds a
    mix) plus model.safetensors.index.json, as transformers writes them."""
    names = ["model-%05d-of-%05d.safetensors" % (i + 1, n_shards) for i in range(n_shards)]
    parts = [[] for _ in range(n_shards)]
    weight_map = {}
    total = 0
    for i, (name, arr, dtype) in enumerate(tensors):
        parts[i % n_shards].append((name, arr, dtype))
        weight_map[name] = names[i % n_shards]
        total += len(tensor_bytes(arr, dtype))
    for fname, part in zip(names, parts):
        write(os.path.join(folder, fname), part, metadata)
    with open(os.path.join(folder, "model.safetensors.index.json"), "w", encoding="utf-8") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    return names


def read(path):
    """{name: (dtype, shape, raw bytes)} and the metadata: a minimal reader for tests."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", None)
    data = blob[8 + n:]
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        out[name] = (info["dtype"], info["shape"], data[b:e])
    return out, meta
