"""Times one model of models.py in PyTorch, as `dsl bench --json` times ours, and prints one JSON object per line.

Fields: model, mode, batch, precision, memory_format, ms_per_batch (median over the repeats after warm-up),
images_per_s. Eval runs under torch.no_grad() in model.eval(); a train step is zero_grad, cross-entropy forward,
backward and an SGD step (Nesterov momentum 0.9, weight decay 1e-4, lr 0.1) in model.train().
"""
import argparse
import contextlib
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

import models


def autocast(precision):
    """bf16 is mixed precision: autocast picks bfloat16 for convolutions and linear layers, float32 elsewhere."""
    if precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def eval_step(model, images, precision):
    model.eval()

    def step():
        with torch.no_grad(), autocast(precision):
            model(images)
    return step


def train_step(model, images, precision):
    model.train()
    labels = torch.randint(0, model.fc.out_features, (images.shape[0],))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4, nesterov=True)

    def step():
        optimizer.zero_grad()
        with autocast(precision):
            loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    return step


def median_ms(step, warm_up, repeats):
    for _ in range(warm_up):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", "-m", required=True, help=", ".join(models.MODELS))
    parser.add_argument("--mode", choices=("eval", "train"), default="eval")
    parser.add_argument("--batch", "-b", type=positive, default=16)
    parser.add_argument("--input-size", type=positive, default=224, help="input side in pixels")
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--memory-format", choices=("nchw", "nhwc"), default="nchw")
    parser.add_argument("--threads", type=positive, default=os.cpu_count(), help="torch compute threads (all cores)")
    parser.add_argument("--warm-up", type=int, default=2, help="untimed runs first")
    parser.add_argument("--repeats", type=positive, default=10, help="timed runs; the median is reported")
    args = parser.parse_args()
    if args.warm_up < 0:
        parser.error("--warm-up cannot be negative")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    try:
        model = models.create(args.model)
    except KeyError as error:
        parser.error(error.args[0])
    images = torch.randn(args.batch, 3, args.input_size, args.input_size)
    if args.memory_format == "nhwc":
        model = model.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)

    make_step = eval_step if args.mode == "eval" else train_step
    ms = median_ms(make_step(model, images, args.precision), args.warm_up, args.repeats)
    print(json.dumps({
        "model": args.model,
        "mode": args.mode,
        "batch": args.batch,
        "precision": args.precision,
        "memory_format": args.memory_format,
        "ms_per_batch": round(ms, 3),
        "images_per_s": round(args.batch * 1000.0 / ms, 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
