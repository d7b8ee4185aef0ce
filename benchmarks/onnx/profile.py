"""Where ONNX Runtime's time goes, by op type, from the profile `dsl bench --onnx-profile FILE` writes.

The profile is ONNX Runtime's Chrome trace: one `model_run` event per run (warm-up and timed) and one
`*_kernel_time` event per node run, with its op type. The first `--warm-up` runs are left out (6, as dsl bench's
default); for the rest it prints each op type's kernel time per run, its share of all kernel time, and how many
nodes of that type ran, as a Markdown table. Layout ops of the NCHWc transformation (ReorderInput, ReorderOutput)
and ONNX Runtime's fused ops (FusedConv) appear under their own names.
"""
import argparse
import collections
import json
import sys
from pathlib import Path


def summarize(events, warm_up):
    """(timed runs, median run ms, {op type: (kernel microseconds in all timed runs, node runs)})."""
    runs = sorted((e["ts"], e["dur"]) for e in events if e.get("cat") == "Session" and e.get("name") == "model_run")
    if len(runs) <= warm_up:
        raise ValueError(f"the profile holds {len(runs)} runs, none after the {warm_up} warm-up runs")
    start = runs[warm_up][0]
    per_op = collections.defaultdict(lambda: [0, 0])
    for e in events:
        if e.get("cat") != "Node" or not e.get("name", "").endswith("_kernel_time") or e["ts"] < start:
            continue
        entry = per_op[e["args"]["op_name"]]
        entry[0] += e["dur"]
        entry[1] += 1
    timed = sorted(d for _, d in runs[warm_up:])
    return len(timed), timed[len(timed) // 2] / 1000.0, per_op


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="the file dsl bench --onnx-profile wrote")
    parser.add_argument("--warm-up", type=int, default=6, help="runs to leave out first (dsl bench's --warm-up)")
    args = parser.parse_args()
    try:
        events = json.loads(args.profile.read_text())
        runs, median, per_op = summarize(events, args.warm_up)
    except (OSError, ValueError, KeyError, TypeError) as error:
        sys.exit(f"{args.profile}: {error}")
    total = sum(us for us, _ in per_op.values())
    print(f"{args.profile.name}: {runs} timed runs, median {median:,.1f} ms per run, kernels {total / 1000.0 / runs:,.1f} ms per run")
    print()
    print("| op type | ms per run | share of kernel time | nodes per run |")
    print("|---|---:|---:|---:|")
    for op, (us, count) in sorted(per_op.items(), key=lambda item: -item[1][0]):
        print(f"| {op} | {us / 1000.0 / runs:,.1f} | {100.0 * us / total:.1f}% | {count // runs} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
