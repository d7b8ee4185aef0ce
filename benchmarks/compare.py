"""Times our models (`dsl bench --json`) and the PyTorch peer (pytorch/bench.py) under the same settings and
prints a Markdown table of the two medians and their ratio.

Both sides get the same flags and print the same JSON fields (model, mode, batch, precision, memory_format,
ms_per_batch, images_per_s). Each round runs every setting once on each side, in an order that alternates
between rounds, so that a change in machine load hits both; a figure is the median over the rounds.
"""
import argparse
import itertools
import json
import os
import shlex
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = f"dotnet {ROOT / 'Trainer/bin/Release/net10.0/dsl.dll'} bench --json"
PEER = f"/usr/bin/python3 {ROOT / 'benchmarks/pytorch/bench.py'}"
MODELS = ("bLResNet-50", "bLResNeXt-50-32x4d", "bLSEResNeXt-50-32x4d", "ScaleNet-50")
FIELDS = ("model", "mode", "batch", "precision", "memory_format", "ms_per_batch", "images_per_s")
SETTING = ("model", "mode", "batch", "precision", "memory_format")


def flags(setting, common):
    """The command-line flags one run gets; both sides take the same ones."""
    return ["--model", setting["model"], "--mode", setting["mode"], "--batch", str(setting["batch"]),
            "--precision", setting["precision"], "--memory-format", setting["memory_format"], *common]


def parse(output, setting, command):
    """The one JSON object line of a run's output that reports this setting; other lines (logs) are ignored."""
    reports = []
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                reports.append(json.loads(line))
            except ValueError as error:
                raise ValueError(f"`{command}` printed a line that is not JSON ({error}): {line}") from error
    if len(reports) != 1:
        raise ValueError(f"`{command}` printed {len(reports)} JSON objects, expected 1; output:\n{output}")
    report = reports[0]
    missing = [field for field in FIELDS if field not in report]
    if missing:
        raise ValueError(f"`{command}` reported no {', '.join(missing)}: {json.dumps(report)}")
    different = [f"{key} {report[key]!r} (asked {setting[key]!r})" for key in SETTING if report[key] != setting[key]]
    if different:
        raise ValueError(f"`{command}` measured another setting: {'; '.join(different)}")
    ms = report["ms_per_batch"]
    if not isinstance(ms, (int, float)) or isinstance(ms, bool) or not ms > 0:
        raise ValueError(f"`{command}` reported ms_per_batch {ms!r}, not a positive number")
    return float(ms)


def run(prefix, setting, common):
    command = shlex.split(prefix) + flags(setting, common)
    text = shlex.join(command)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"`{text}` exited with {result.returncode}:\n{result.stdout}{result.stderr}")
    return parse(result.stdout, setting, text)


def measure(settings, rounds, ours, peer, common):
    """{setting index: (our milliseconds, PyTorch milliseconds)} per round, alternating which side goes first."""
    times = {i: ([], []) for i in range(len(settings))}
    for round_ in range(rounds):
        for i, setting in enumerate(settings):
            sides = [(0, ours), (1, peer)]
            for side, prefix in sides if round_ % 2 == 0 else reversed(sides):
                ms = run(prefix, setting, common)
                times[i][side].append(ms)
                name = "ours" if side == 0 else "PyTorch"
                print(f"round {round_ + 1}/{rounds} {name:7} {describe(setting)}: {ms:.1f} ms", file=sys.stderr, flush=True)
    return times


def describe(setting):
    return " ".join(str(setting[key]) for key in SETTING)


def table(settings, times):
    lines = ["| model | mode | precision | memory format | ours ms | PyTorch ms | ratio (ours / PyTorch) |",
             "|---|---|---|---|---:|---:|---:|"]
    for i, setting in enumerate(settings):
        ours, peer = (statistics.median(t) for t in times[i])
        lines.append(f"| {setting['model']} | {setting['mode']} | {setting['precision']} | {setting['memory_format']} "
                     f"| {ours:.1f} | {peer:.1f} | {ours / peer:.2f} |")
    return "\n".join(lines)


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--modes", nargs="+", choices=("eval", "train"), default=["eval", "train"])
    parser.add_argument("--precisions", nargs="+", choices=("fp32", "bf16"), default=["fp32"])
    parser.add_argument("--memory-formats", nargs="+", choices=("nchw", "nhwc"), default=["nchw"])
    parser.add_argument("--batch", type=positive, default=16)
    parser.add_argument("--input-size", type=positive, default=224)
    parser.add_argument("--threads", type=positive, default=os.cpu_count())
    parser.add_argument("--warm-up", type=int, default=6)
    parser.add_argument("--repeats", type=positive, default=10, help="timed runs inside each process")
    parser.add_argument("--rounds", type=positive, default=3, help="processes per side and setting")
    parser.add_argument("--ours", default=OURS, help="command that runs our side (default: %(default)s)")
    parser.add_argument("--peer", default=PEER, help="command that runs the PyTorch side (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.warm_up < 0:
        parser.error("--warm-up cannot be negative")

    settings = [dict(zip(SETTING, (model, mode, args.batch, precision, memory_format)))
                for model, mode, precision, memory_format
                in itertools.product(args.models, args.modes, args.precisions, args.memory_formats)]
    common = ["--input-size", str(args.input_size), "--threads", str(args.threads),
              "--warm-up", str(args.warm_up), "--repeats", str(args.repeats)]
    try:
        times = measure(settings, args.rounds, args.ours, args.peer, common)
    except (RuntimeError, ValueError) as error:
        print(f"compare: {error}", file=sys.stderr)
        return 1
    print(f"batch {args.batch}, input {args.input_size}x{args.input_size}, {args.threads} threads, "
          f"median of {args.rounds} rounds of {args.repeats} repeats after {args.warm_up} warm-up\n")
    print(table(settings, times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
