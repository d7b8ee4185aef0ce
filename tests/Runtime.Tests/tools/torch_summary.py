"""Loads a checkpoint with torch.load and prints a JSON summary, checking that PyTorch can use it.

Usage: torch_summary.py CHECKPOINT
"""
import json
import sys

import torch


def main(path):
    checkpoint = torch.load(path, map_location="cpu")
    summary = {"top_level": sorted(checkpoint.keys())}
    state = checkpoint["state_dict"] if "state_dict" in checkpoint else checkpoint
    summary["keys"] = list(state.keys())
    summary["ordered"] = isinstance(state, dict) and type(state).__name__ == "OrderedDict"
    summary["tensors"] = {
        k: {"shape": list(v.shape), "dtype": str(v.dtype), "sum": v.double().sum().item(),
            "first": v.flatten()[0].item() if v.numel() else None}
        for k, v in state.items()
    }
    if "ema_state_dict" in checkpoint:
        ema = checkpoint["ema_state_dict"]
        summary["ema_ordered"] = type(ema).__name__ == "OrderedDict"
        summary["ema_sums"] = {k: v.double().sum().item() for k, v in ema.items()}
    for key in ("epoch", "arch", "best_top1", "lr_schedule", "seed", "ema_updates"):
        if key in checkpoint:
            summary[key] = checkpoint[key]
    if "rng_state" in checkpoint:
        rng = checkpoint["rng_state"]
        torch.set_rng_state(rng)  # PyTorch accepts it as a generator state
        summary["rng_state"] = {"dtype": str(rng.dtype), "length": rng.numel()}
    optimizer = checkpoint.get("optimizer")
    if optimizer is not None:
        group = optimizer["param_groups"][0]
        # Load it into a real SGD over parameters of the right shapes: PyTorch must accept the layout.
        shapes = [optimizer["state"][i]["momentum_buffer"].shape if i in optimizer["state"] else (1,)
                  for i in group["params"]]
        sgd = torch.optim.SGD([torch.nn.Parameter(torch.zeros(s)) for s in shapes], lr=1.0, momentum=0.5)
        sgd.load_state_dict(optimizer)
        summary["optimizer"] = {
            "group": {k: v for k, v in group.items() if k != "params"},
            "params": len(group["params"]),
            "momentum_sums": {str(i): s["momentum_buffer"].double().sum().item() for i, s in optimizer["state"].items()},
        }
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1])
