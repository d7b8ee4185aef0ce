"""Where a model's time goes, by kind of operator, under PyTorch's profiler: convolutions against everything else.

The two runtimes call the same libtorch and oneDNN kernels, so the split explains both. For each model it prints
a Markdown table of self CPU time per category (per batch, averaged over the profiled runs) and its share.
Example: python3 profile.py -m bLResNet-50 -m ScaleNet-50 --mode eval --precision bf16 --memory-format nhwc
"""
import argparse
import os
from collections import defaultdict

import torch
from torch.profiler import ProfilerActivity, profile

import bench
import models

# The first category whose words appear in an operator's name takes its time.
CATEGORIES = [
    ("convolution", ("conv", "mkldnn_convolution", "linear", "addmm", "mm")),
    ("batch norm", ("batch_norm", "native_batch_norm")),
    ("pooling", ("pool",)),
    ("upsampling", ("upsample", "interpolate")),
    ("concatenation", ("cat",)),
    ("type and layout copies", ("to_copy", "copy_", "_to_copy", "contiguous", "clone", "to")),
    ("add, ReLU and other elementwise", ("add", "relu", "clamp", "threshold", "mul", "div", "sub", "fill", "zero")),
]


def category(name):
    name = name.lower()
    for label, words in CATEGORIES:
        if any(word in name for word in words):
            return label
    return "other"


def split(model_name, mode, precision, memory_format, batch, size, runs):
    torch.manual_seed(0)
    model = models.create(model_name)
    images = torch.randn(batch, 3, size, size)
    if memory_format == "nhwc":
        model = model.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)
    step = bench.eval_step(model, images, precision) if mode == "eval" else bench.train_step(model, images, precision)
    for _ in range(2):
        step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(runs):
            step()
    totals = defaultdict(float)
    for event in prof.key_averages():
        totals[category(event.key)] += event.self_cpu_time_total / 1000.0 / runs
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", "-m", action="append", required=True, help=", ".join(models.MODELS))
    parser.add_argument("--mode", choices=("eval", "train"), default="eval")
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="bf16")
    parser.add_argument("--memory-format", choices=("nchw", "nhwc"), default="nhwc")
    parser.add_argument("--batch", "-b", type=bench.positive, default=16)
    parser.add_argument("--input-size", type=bench.positive, default=224)
    parser.add_argument("--runs", type=bench.positive, default=3, help="profiled runs after 2 warm-up runs")
    parser.add_argument("--threads", type=bench.positive, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    splits = {name: split(name, args.mode, args.precision, args.memory_format, args.batch, args.input_size, args.runs)
              for name in args.model}
    labels = [label for label, _ in CATEGORIES] + ["other"]
    print(f"{args.mode}, {args.precision}, {args.memory_format}, batch {args.batch}, {args.input_size}², "
          f"{args.threads} threads, self CPU ms per batch (share)\n")
    print("| operators | " + " | ".join(args.model) + " |")
    print("|---|" + "---:|" * len(args.model))
    for label in labels + ["total"]:
        cells = []
        for name in args.model:
            total = sum(splits[name].values())
            value = total if label == "total" else splits[name].get(label, 0.0)
            cells.append(f"{value:,.1f} ({100 * value / total:.0f}%)")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
