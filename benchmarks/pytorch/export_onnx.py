"""Writes models of models.py as ONNX with PyTorch's own torch.onnx.export, the peer of `dsl export`, and counts nodes.

Each file has the contract of ours: input `input` [batch, 3, H, W] float32 with the batch dynamic, output `logits`
[batch, classes], the model in eval mode (batch norms folded by the exporter's constant folding). For each file it
prints one line: the path, the opset, the node count and the op-type histogram (most frequent first). `--count`
prints the same line for ONNX files written by anyone, so ours and PyTorch's are counted alike.
"""
import argparse
import collections
import sys
from pathlib import Path

import onnx
import torch

import models

# The newest opset that PyTorch 1.13's exporter writes, and the newest that our exporter and the onnx 1.12 checker accept.
NEWEST_OPSET = 17


def histogram(path):
    """(node count, Counter of op types) of the ONNX file's main graph; an op outside the standard domain is named with
    its domain (ONNX Runtime's optimized graphs hold com.microsoft and com.microsoft.nchwc ops)."""
    graph = onnx.load(str(path), load_external_data=False).graph
    return len(graph.node), collections.Counter(f"{node.domain}.{node.op_type}" if node.domain not in ("", "ai.onnx") else node.op_type
                                                for node in graph.node)


def describe(path):
    """One line: the file, its opset, its node count and its op types with their counts, most frequent first."""
    model = onnx.load(str(path), load_external_data=False)
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    count, ops = histogram(path)
    kinds = ", ".join(f"{op} {n}" for op, n in sorted(ops.items(), key=lambda item: (-item[1], item[0])))
    return f"{path}: opset {opset}, {count} nodes: {kinds}"


def export(name, path, opset, size):
    torch.manual_seed(0)
    model = models.create(name).eval()
    images = torch.randn(1, 3, size, size)
    with torch.no_grad():
        torch.onnx.export(model, images, str(path), opset_version=opset, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(str(path)))


def opset_in_range(text):
    value = int(text)
    if not 7 <= value <= NEWEST_OPSET:
        raise argparse.ArgumentTypeError(f"opset {value} is outside 7 to {NEWEST_OPSET} (PyTorch 1.13 writes up to {NEWEST_OPSET})")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", default=["bLResNet-50", "ScaleNet-50"], help=", ".join(models.MODELS))
    parser.add_argument("--output-dir", "-o", type=Path, default=Path("."), help="where NAME.pytorch.onnx is written")
    parser.add_argument("--opset", type=opset_in_range, default=NEWEST_OPSET)
    parser.add_argument("--input-size", type=int, default=224, help="input side in pixels (the exported graph fixes it)")
    parser.add_argument("--count", nargs="+", type=Path, metavar="FILE", help="only describe these ONNX files")
    args = parser.parse_args()
    if args.count:
        for path in args.count:
            if not path.is_file():
                parser.error(f"{path} does not exist")
            print(describe(path))
        return 0
    if args.input_size < 1:
        parser.error("--input-size must be at least 1")
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for name in args.models:
        path = args.output_dir / f"{name}.pytorch.onnx"
        try:
            export(name, path, args.opset, args.input_size)
        except KeyError as error:
            parser.error(error.args[0])
        print(describe(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
