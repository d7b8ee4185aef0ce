"""Checks that models.py builds the original networks, against the reference figures.

Per model: parameter count, state-dict keys and shapes in order, and eval logits under the deterministic fill
rule of shared/reference/README.md within 1e-4 relative (the criterion our own models meet).

Usage: check.py [--reference DIR] [--dtype float64|float32] [--threads N] [MODEL ...]   (default: every model)
The reference folder defaults to the first shared/reference above this file.
Exit code 0 when every model passes, 1 when one fails or its reference file cannot be read, 2 on bad usage.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

import models

TOLERANCE = 1e-4
FNV_OFFSET_BASIS = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK = (1 << 64) - 1


def uniform(name, n):
    """n doubles in [-1, 1) from the name alone: FNV-1a 64-bit seed, splitmix64 mixing (uint64 wraps mod 2^64)."""
    seed = FNV_OFFSET_BASIS
    for byte in name.encode("utf-8"):
        seed = ((seed ^ byte) * FNV_PRIME) & MASK
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 * 2 - 1


def fill_value(key, shape):
    """The value of one state-dict entry under the rule, in float64, or None for an entry left as it is."""
    if key.endswith("num_batches_tracked"):
        return None
    n = int(np.prod(shape, dtype=np.int64))
    if key.endswith("running_mean"):
        return np.zeros(shape)
    u = uniform(key, n).reshape(shape)
    if key.endswith("running_var"):
        return 1 + 0.25 * (u + 1)
    if key.endswith("weight") and len(shape) == 4:
        return u * np.sqrt(6.0 / (shape[1] * shape[2] * shape[3]))
    if key.endswith("weight") and len(shape) == 2:
        return u * np.sqrt(3.0 / shape[1])
    if key.endswith("bias"):
        return 0.01 * u
    if key.endswith("weight") and len(shape) == 1:
        return 0.5 + 0.25 * u
    raise ValueError(f"the fill rule has no entry for '{key}' with shape {list(shape)}")


def fill(model):
    with torch.no_grad():
        for key, tensor in model.state_dict().items():
            value = fill_value(key, tuple(tensor.shape))
            if value is not None:
                tensor.copy_(torch.from_numpy(value))


def find_reference_folder():
    return next((str(d / "shared" / "reference") for d in Path(__file__).resolve().parents
                 if (d / "shared" / "reference").is_dir()), None)


def load_reference(directory, name):
    """The fields of NAME.json that the check reads; a missing or malformed file stops the check, naming it."""
    path = Path(directory) / f"{name}.json"
    try:
        reference = json.loads(path.read_text())
        return {
            "parameters": int(reference["parameters"]),
            "state_dict": [(str(key), [int(n) for n in shape]) for key, shape in reference["state_dict"]],
            "input_shape": [int(n) for n in reference["input"]["shape"]],
            "logits": torch.tensor(reference["logits_f64"], dtype=torch.float64),
            "pytorch_f32_rel_error": reference.get("pytorch_f32_rel_error"),
        }
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SystemExit(f"{path}: not a readable reference file: {error!r}") from error


def check(name, reference_dir, dtype):
    """Prints one line per criterion; returns the list of failures."""
    reference = load_reference(reference_dir, name)
    expected_keys = reference["state_dict"]
    model = models.create(name)
    failures = []

    parameters = sum(p.numel() for p in model.parameters())
    if parameters != reference["parameters"]:
        failures.append(f"parameters {parameters:,}, reference {reference['parameters']:,}")

    keys = [(key, list(tensor.shape)) for key, tensor in model.state_dict().items()]
    if keys != expected_keys:
        first = next((i for i, (a, b) in enumerate(zip(keys, expected_keys)) if a != b), min(len(keys), len(expected_keys)))
        ours = keys[first] if first < len(keys) else "(end)"
        theirs = expected_keys[first] if first < len(expected_keys) else "(end)"
        failures.append(f"state dict: {len(keys)} entries, reference {len(expected_keys)}; "
                        f"first difference at #{first}: {ours} vs reference {theirs}")
        return failures  # the fill rule is keyed by name, so logits would say nothing more

    model = model.to(dtype).eval()
    fill(model)
    shape = reference["input_shape"]
    x = torch.from_numpy(uniform("input", int(np.prod(shape))).reshape(shape)).to(dtype)
    start = time.perf_counter()
    with torch.no_grad():
        y = model(x).double()
    seconds = time.perf_counter() - start
    expected = reference["logits"]
    if y.shape != expected.shape:
        failures.append(f"logits shape {list(y.shape)}, reference {list(expected.shape)}")
    else:
        error = (torch.linalg.norm(y - expected) / torch.linalg.norm(expected)).item()
        own = reference["pytorch_f32_rel_error"]
        note = f"; the original's float32 run: {own:.3e}" if dtype == torch.float32 and own is not None else ""
        print(f"{name}: logits relative error {error:.3e} ({dtype}, forward {seconds:.1f} s{note})")
        if not error <= TOLERANCE:
            failures.append(f"logits relative error {error:.3e} > {TOLERANCE:g}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", metavar="MODEL", help=f"default: {' '.join(models.MODELS)}")
    parser.add_argument("--reference", default=find_reference_folder(),
                        help="folder of NAME.json reference files (default: %(default)s)")
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads (all cores)")
    args = parser.parse_args()
    for name in args.models:
        if name not in models.MODELS:
            parser.error(f"unknown model '{name}'; known: {', '.join(models.MODELS)}")
    if args.reference is None:
        parser.error("no shared/reference folder above this file; pass --reference DIR")
    if args.threads < 1:
        parser.error("--threads must be positive")
    torch.set_num_threads(args.threads)

    failed = 0
    for name in args.models or list(models.MODELS):
        failures = check(name, args.reference, getattr(torch, args.dtype))
        for failure in failures:
            print(f"{name}: FAIL {failure}")
        if failures:
            failed += 1
        else:
            print(f"{name}: ok (parameters, state dict keys and shapes, logits)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
