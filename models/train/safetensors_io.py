"""safetensors without the safetensors package (Debian has none).

The format: an 8-byte little-endian header length N, N bytes of JSON
({name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}),
then the tensors' raw little-endian bytes, offsets relative to the end of the header.
Files are memory-mapped; a tensor is read (and bf16/f16 widened to float32) when asked for.

  tensors = open_checkpoint("path/to/hf-folder")   # model.safetensors, shards + index, or *.safetensors
  w = tensors["model.embed_tokens.weight"]           # np.float32
"""
from __future__ import annotations

import json
import mmap
import os
import struct
from collections.abc import Iterator, Mapping

import numpy as np

# safetensors dtype -> numpy dtype (BF16 has none: read as uint16 and widened).
DTYPES = {
    "F64": np.float64, "F32": np.float32, "F16": np.float16, "BF16": np.uint16,
    "I64": np.int64, "I32": np.int32, "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_,
}
MAX_HEADER = 100 * 1024 * 1024


def bf16_to_f32(bits: np.ndarray) -> np.ndarray:
    """bfloat16 bit patterns (uint16) -> float32: they are the top half of a float32."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def f32_to_bf16(x: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bit patterns (uint16), rounding to nearest even (as torch does)."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    nan = np.isnan(x)
    out = rounded.astype(np.uint16)
    out[nan] = 0x7FC0
    return out


class SafetensorsFile(Mapping):
    """One .safetensors file: name -> numpy array (floats as float32), read lazily from a memory map."""

    def __init__(self, path: str):
        self.path = path
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < 8:
                raise ValueError(f"{path}: too short for a safetensors file")
            (n,) = struct.unpack("<Q", f.read(8))
            if n > MAX_HEADER or 8 + n > size:
                raise ValueError(f"{path}: header length {n} does not fit the file ({size} bytes)")
            header = json.loads(f.read(n).decode("utf-8"))
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size > 8 + n else None
        self.metadata = header.pop("__metadata__", None) or {}
        self._start = 8 + n
        self._entries = header
        for name, e in header.items():
            if e["dtype"] not in DTYPES:
                raise ValueError(f"{path}: {name}: dtype {e['dtype']} is not supported")
            begin, end = e["data_offsets"]
            want = int(np.prod(e["shape"], dtype=np.int64)) * np.dtype(DTYPES[e["dtype"]]).itemsize
            if end - begin != want or self._start + end > size or begin < 0:
                raise ValueError(f"{path}: {name}: {e['dtype']}{e['shape']} does not match its byte range {begin}..{end}")

    def dtype(self, name: str) -> str:
        return self._entries[name]["dtype"]

    def shape(self, name: str) -> tuple[int, ...]:
        return tuple(self._entries[name]["shape"])

    def raw(self, name: str) -> np.ndarray:
        """The stored values as they are (BF16 as uint16 bit patterns), a read-only view of the file."""
        e = self._entries[name]
        begin, end = e["data_offsets"]
        dt = np.dtype(DTYPES[e["dtype"]]).newbyteorder("<")
        count = (end - begin) // dt.itemsize
        if count == 0:
            return np.zeros(e["shape"], dtype=dt)
        return np.frombuffer(self._map, dtype=dt, count=count, offset=self._start + begin).reshape(e["shape"])

    def __getitem__(self, name: str) -> np.ndarray:
        a = self.raw(name)
        kind = self._entries[name]["dtype"]
        if kind == "BF16":
            return bf16_to_f32(a)
        if kind in ("F16", "F64"):
            return a.astype(np.float32)
        return np.array(a)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class Checkpoint(Mapping):
    """All tensors of a Hugging Face folder: one file, shards named by model.safetensors.index.json, or every *.safetensors."""

    def __init__(self, folder: str):
        index = os.path.join(folder, "model.safetensors.index.json")
        if os.path.exists(index):
            with open(index, encoding="utf-8") as f:
                weight_map = json.load(f)["weight_map"]
            files = sorted(set(weight_map.values()))
        else:
            files = sorted(f for f in os.listdir(folder) if f.endswith(".safetensors"))
            if not files:
                raise FileNotFoundError(f"{folder}: no *.safetensors files (PyTorch .bin checkpoints are not read)")
            weight_map = None
        self.files = {f: SafetensorsFile(os.path.join(folder, f)) for f in files}
        self._where: dict[str, SafetensorsFile] = {}
        for f, st in self.files.items():
            for name in st:
                if weight_map is not None and weight_map.get(name) != f:
                    continue
                if name in self._where:
                    raise ValueError(f"{folder}: tensor {name} is in two files")
                self._where[name] = st
        if weight_map is not None:
            missing = sorted(set(weight_map) - set(self._where))
            if missing:
                raise ValueError(f"{folder}: the index names tensors its shards lack: {missing[:5]}")

    def file_of(self, name: str) -> SafetensorsFile:
        return self._where[name]

    def __getitem__(self, name: str) -> np.ndarray:
        return self._where[name][name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


def open_checkpoint(folder: str) -> Checkpoint:
    return Checkpoint(folder)


def save_file(tensors: Mapping[str, np.ndarray], path: str, dtype: str = "F32", metadata: dict | None = None) -> None:
    """Write float arrays as `dtype` (F32, F16 or BF16) and other arrays as they are, in name order."""
    header: dict = {"__metadata__": {"format": "pt", **(metadata or {})}}
    blobs: list[bytes] = []
    offset = 0
    for name in sorted(tensors):
        a = np.asarray(tensors[name])
        if a.dtype.kind == "f":
            kind = dtype
            data = f32_to_bf16(a) if kind == "BF16" else a.astype({"F32": np.float32, "F16": np.float16}[kind])
        else:
            kind = next(k for k, v in DTYPES.items() if np.dtype(v) == a.dtype and k != "BF16")
            data = a
        raw = np.ascontiguousarray(data).astype(data.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": kind, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as safetensors writes it
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
