"""Writes a torch.save file with several element types, views into one shared storage and plain values,
and a JSON file with the expected contents.

Usage: write_mixed.py OUT.pt OUT.json
"""
import json
import sys

import numpy
import torch


def main(out_path, json_path):
    torch.manual_seed(7)
    base = torch.arange(24, dtype=torch.float32) * 0.5 - 3
    tensors = {
        "f16": torch.linspace(-2, 2, 7).half(),
        "bf16": torch.tensor([1.5, -0.25, 3.0]).bfloat16(),
        "f64": torch.randn(3, 4, dtype=torch.float64),
        "i64": torch.arange(-5, 5, dtype=torch.int64) * 1000000007,
        "i32": torch.tensor([[-1, 2], [3, -4]], dtype=torch.int32),
        "u8": torch.tensor([0, 7, 255], dtype=torch.uint8),
        "flags": torch.tensor([True, False, True]),
        "base": base,
        "view": base[2:20].view(3, 6)[:, 1:5],
        "transposed": base.view(4, 6).t(),
        "scalar": torch.tensor(3.25, dtype=torch.float64),
        "param": torch.nn.Parameter(torch.full((2, 2), 0.75)),
        "empty": torch.zeros(0, 3),
    }
    root = dict(tensors)
    root["plain"] = {"list": [1, 2.5, "text", None, True], "tuple": (1, 2), "big": 2 ** 40, "negative": -70000,
                     "np_float": numpy.float64(61.25), "np_single": numpy.float32(0.5), "np_int": numpy.int64(-3),
                     "np_big_endian": numpy.dtype(">f8").type(2.75)}
    torch.save(root, out_path)
    expected = {k: {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""),
                    "values": v.detach().double().flatten().tolist()} for k, v in tensors.items()}
    with open(json_path, "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
