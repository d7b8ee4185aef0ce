"""Reads a .safetensors file with the standard library and torch.frombuffer (no safetensors package)
and prints each tensor's dtype, shape and values as JSON, plus the metadata.

Usage: safetensors_summary.py FILE
"""
import json
import struct
import sys

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
          "U8": torch.uint8, "BOOL": torch.bool}


def main(path):
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    data = blob[8 + length:]
    result = {"metadata": header.pop("__metadata__", {}), "tensors": {}}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        raw = bytearray(data[begin:end])
        tensor = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensor = tensor.reshape(entry["shape"])
        result["tensors"][name] = {"dtype": entry["dtype"], "shape": list(tensor.shape),
                                   "values": tensor.double().flatten().tolist()}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
