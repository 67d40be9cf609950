#!/usr/bin/python3
"""Minimal safetensors reader/writer (F32 / F16 / BF16) for the zip2zip test oracle.

Part of the independent test reference of zip2zip studio (tests/model/reference/), written from
the file-format description only (no `safetensors` package):

    u64 little-endian N | N bytes of JSON header | raw little-endian tensor bytes

The header maps tensor names to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative
to the first byte after the header) and may hold "__metadata__" (a str->str dict).  BF16 is the top
16 bits of an IEEE f32.  Readers return float32 torch tensors (widened exactly); writers round
f32 values to the requested storage dtype (round-to-nearest-even, like torch / numpy).
Run with the Debian system python: /usr/bin/python3.
"""
import json
import struct

import numpy as np
import torch

_ITEMSIZE = {"F32": 4, "F16": 2, "BF16": 2}


def _bf16_bits_to_f32(raw):
    u16 = np.frombuffer(raw, dtype="<u2").astype(np.uint32)
    return (u16 << 16).view(np.float32)


def f32_to_bf16_bits(a):
    """Round an f32 numpy array to bf16 (nearest-even); returns the uint16 bit patterns."""
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounding = ((u >> 16) & 1) + 0x7FFF
    return ((u + rounding) >> 16).astype(np.uint16)


def round_to_dtype(t, dtype):
    """Return the f32 tensor that results from storing `t` as `dtype` and widening it back."""
    a = t.detach().to(torch.float32).contiguous().numpy()
    if dtype == "F32":
        r = a.copy()
    elif dtype == "F16":
        r = a.astype(np.float16).astype(np.float32)
    elif dtype == "BF16":
        r = (f32_to_bf16_bits(a).astype(np.uint32) << 16).view(np.float32)
    else:
        raise ValueError("unsupported dtype %s" % dtype)
    return torch.from_numpy(r.reshape(a.shape).copy())


def read_header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
    return header, 8 + n


def load(path, with_dtypes=False):
    """Load every tensor of a safetensors file as float32 torch tensors.

    Returns (tensors, metadata) or, with with_dtypes=True, (tensors, metadata, {name: dtype}).
    """
    header, base = read_header(path)
    with open(path, "rb") as f:
        f.seek(base)
        blob = f.read()
    meta = header.pop("__metadata__", {}) or {}
    out, dtypes = {}, {}
    for name, info in header.items():
        dt = info["dtype"]
        if dt not in _ITEMSIZE:
            raise ValueError("%s: tensor %s has unsupported dtype %s" % (path, name, dt))
        b, e = info["data_offsets"]
        shape = list(info["shape"])
        count = int(np.prod(shape)) if shape else 1
        if e - b != count * _ITEMSIZE[dt]:
            raise ValueError("%s: tensor %s byte size mismatch" % (path, name))
        raw = blob[b:e]
        if dt == "F32":
            a = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        elif dt == "F16":
            a = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        else:
            a = _bf16_bits_to_f32(raw)
        out[name] = torch.from_numpy(a.reshape(shape).copy())
        dtypes[name] = dt
    if with_dtypes:
        return out, meta, dtypes
    return out, meta


def save(path, tensors, dtype="F32", metadata=None, dtypes=None):
    """Write tensors (name -> torch tensor) to `path`.

    dtype: storage dtype for all tensors ("F32", "F16", "BF16"); dtypes: optional per-name override.
    Tensors are laid out in sorted name order, each aligned to 8 bytes; the header is space-padded
    to a multiple of 8 bytes (as the reference implementation does).
    """
    names = sorted(tensors)
    header = {}
    chunks = []
    offset = 0
    for name in names:
        dt = (dtypes or {}).get(name, dtype)
        a = tensors[name].detach().to(torch.float32).contiguous().numpy()
        if dt == "F32":
            raw = a.astype("<f4").tobytes()
        elif dt == "F16":
            raw = a.astype("<f2").tobytes()
        elif dt == "BF16":
            raw = f32_to_bf16_bits(a).astype("<u2").tobytes()
        else:
            raise ValueError("unsupported dtype %s" % dt)
        header[name] = {"dtype": dt, "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
        pad = (-offset) % 8
        if pad:
            chunks.append(b"\0" * pad)
            offset += pad
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((-len(hb)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for c in chunks:
            f.write(c)
