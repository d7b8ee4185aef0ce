"""Our inference form, ONNX Runtime on our export and on PyTorch's, and PyTorch eager, as one Markdown table.

For bLResNet-50 and ScaleNet-50 (by default) at batch 1 and 16, 224x224, float32, it times:
  ours         `dsl bench --mode eval --precision fp32 --memory-format nhwc` (the inference form, NHWC)
  ORT, ours    `dsl bench --engine onnxruntime`: our export (`dsl export`'s graph, in memory) in ONNX Runtime
  ORT, PyTorch `dsl bench --onnx`: PyTorch 1.13's torch.onnx.export of benchmarks/pytorch/models.py in ONNX Runtime
  PyTorch      benchmarks/pytorch/bench.py --mode eval, channels_last (PyTorch 1.13 eager, its fastest float32 path)
with the same threads, warm-up and timed iterations (the median is reported), each in its own process. ONNX Runtime
runs with every graph optimization, sequential execution and the threads as intra-op threads. The node counts are
those of the two ONNX files. Progress goes to standard error; the table, headed by the date, CPU and settings, to
standard output, ready to paste.
"""
import argparse
import datetime
import json
import platform
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DSL = ["dotnet", str(ROOT / "Trainer/bin/Release/net10.0/dsl.dll")]
PYTHON = "/usr/bin/python3"
PYTORCH = ROOT / "benchmarks/pytorch"
SIDES = ("ours", "ort_ours", "ort_pytorch", "pytorch")


def run(command):
    """The command's standard output; a failure stops the run with the command and what it printed."""
    print("$ " + shlex.join(command), file=sys.stderr, flush=True)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"`{shlex.join(command)}` exited with {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def milliseconds(output, command):
    """ms_per_batch of the one JSON line that bench printed."""
    lines = [line for line in output.splitlines() if line.startswith("{")]
    if len(lines) != 1:
        sys.exit(f"`{shlex.join(command)}` printed {len(lines)} JSON lines, expected 1:\n{output}")
    return float(json.loads(lines[0])["ms_per_batch"])


def nodes(path):
    """The node count that export_onnx.py --count prints for the file."""
    line = run([PYTHON, str(PYTORCH / "export_onnx.py"), "--count", str(path)])
    match = re.search(r": opset \d+, (\d+) nodes", line)
    if not match:
        sys.exit(f"export_onnx.py --count printed no node count for {path}: {line}")
    return int(match.group(1)), line.strip()


def cpu():
    """The CPU's model name and family, and the vector extensions that matter to the kernels."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    name = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
    family = re.search(r"^cpu family\s*:\s*(\d+)$", info, re.M)
    flags = set((re.search(r"^flags\s*:\s*(.+)$", info, re.M) or [None, ""])[1].split())
    vector = "AVX-512" if "avx512f" in flags else "AVX2 only, no AVX-512" if "avx2" in flags else "no AVX2"
    return f"{name.group(1) if name else 'unknown'} (family {family.group(1) if family else '?'}, {vector})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("iterations", type=int, help="timed batches per measurement (the median is reported)")
    parser.add_argument("threads", type=int, help="compute threads of every engine")
    parser.add_argument("--warm-up", type=int, default=6, help="untimed batches first (6, as dsl bench)")
    parser.add_argument("--models", nargs="+", default=["bLResNet-50", "ScaleNet-50"])
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 16])
    parser.add_argument("--input-size", type=int, default=224)
    parser.add_argument("--keep", type=Path, help="write the ONNX files here and keep them (default: a temporary folder)")
    args = parser.parse_args()
    if args.iterations < 1 or args.threads < 1 or args.warm_up < 0 or args.input_size < 1 or min(args.batches) < 1:
        parser.error("iterations, threads, batches and --input-size must be positive, --warm-up not negative")

    run(["dotnet", "build", str(ROOT / "Trainer/Dsl.Trainer.csproj"), "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly"])
    common = ["--threads", str(args.threads), "--warm-up", str(args.warm_up), "--repeats", str(args.iterations), "--json"]
    size = ["--input-size", str(args.input_size)]
    with tempfile.TemporaryDirectory(prefix="onnx-bench-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        graphs = {}
        for model in args.models:
            ours = folder / f"{model}.ours.onnx"
            run(DSL + ["export", "--model", model, "--output", str(ours)] + size)
            run([PYTHON, str(PYTORCH / "export_onnx.py"), "--output-dir", str(folder), model] + size)
            graphs[model] = (nodes(ours), nodes(folder / f"{model}.pytorch.onnx"))
            for count, line in graphs[model]:
                print(line, file=sys.stderr)

        rows = []
        for model in args.models:
            for batch in args.batches:
                b = ["--batch", str(batch)] + size + common
                commands = {
                    "ours": DSL + ["bench", "--model", model, "--mode", "eval", "--precision", "fp32", "--memory-format", "nhwc"] + b,
                    "ort_ours": DSL + ["bench", "--model", model, "--engine", "onnxruntime"] + b,
                    "ort_pytorch": DSL + ["bench", "--onnx", str(folder / f"{model}.pytorch.onnx")] + b,
                    "pytorch": [PYTHON, str(PYTORCH / "bench.py"), "--model", model, "--mode", "eval", "--precision", "fp32",
                                "--memory-format", "nhwc"] + b[:-1],
                }
                # The order alternates from row to row, so that a change in the machine's load does not always hit the same side.
                order = SIDES if len(rows) % 2 == 0 else SIDES[::-1]
                times = {side: milliseconds(run(commands[side]), commands[side]) for side in order}
                rows.append((model, batch, times, graphs[model][0][0], graphs[model][1][0]))

    ort = re.search(r"engine onnxruntime (\S+):", run(DSL + ["bench", "--model", "bLResNet-Small", "--engine", "onnxruntime",
                                                             "--batch", "1", "--warm-up", "0", "--repeats", "1"]))
    print(f"{datetime.date.today().isoformat()}, {cpu()}; {args.threads} threads; float32, {args.input_size}x{args.input_size}; "
          f"median of {args.iterations} batches after {args.warm_up} warm-up; ONNX Runtime {ort.group(1) if ort else '?'}, "
          f"PyTorch 1.13 (Debian python3-torch).")
    print()
    print("| model | batch | ours ms (NHWC) | ONNX Runtime, our export ms | ONNX Runtime, PyTorch's export ms "
          "| PyTorch 1.13 ms (channels_last) | ours / best ONNX Runtime | nodes, our export | nodes, PyTorch's export |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model, batch, times, ours_nodes, pytorch_nodes in rows:
        ratio = times["ours"] / min(times["ort_ours"], times["ort_pytorch"])
        cells = " | ".join(f"{times[side]:,.1f}" for side in SIDES)
        print(f"| {model} | {batch} | {cells} | {ratio:.2f} | {ours_nodes:,} | {pytorch_nodes:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
