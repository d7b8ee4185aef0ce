"""The benchmark workloads of Workloads.cs, timed in PyTorch; prints one JSON object."""
import argparse
import json
import time

import torch


def measure(workload, warm_up, repeats):
    """Wall-clock and process CPU milliseconds of each repeat, as Measurement.cs takes them."""
    for _ in range(warm_up):
        workload()
    wall, cpu = [], []
    for _ in range(repeats):
        cpu_start = time.process_time()
        start = time.perf_counter()
        workload()
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.process_time() - cpu_start) * 1000.0)
    return {"wall_ms": wall, "cpu_ms": cpu}


def small_ops():
    x = torch.randn(16, 16)
    y = torch.randn(16, 16)

    def run():
        for _ in range(1000):
            torch.relu(x + y)
    return run


def conv_forward_backward():
    inp = torch.randn(16, 64, 56, 56, requires_grad=True)
    weight = (torch.randn(64, 64, 3, 3) * 0.05).requires_grad_()
    upstream = torch.ones(16, 64, 56, 56)

    def run():
        inp.grad = None
        weight.grad = None
        torch.nn.functional.conv2d(inp, weight, padding=1).backward(upstream)
    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warm-up", type=int, default=2)
    parser.add_argument("--small-repeats", type=int, default=30)
    parser.add_argument("--conv-repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "small_ops": measure(small_ops(), args.warm_up, args.small_repeats),
        "conv": measure(conv_forward_backward(), args.warm_up, args.conv_repeats),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
