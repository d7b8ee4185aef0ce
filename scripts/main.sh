#!/usr/bin/env bash
# The main job: trains the default small Big-Little model on Fashion-MNIST and prints its test accuracy.
# Extra arguments go to `dsl train` (for example --model ScaleNet-Small or --epochs 3).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Two data-parallel ranks of one thread each: the small network's batches run faster per image in one thread each
# than in one process with two threads (the recipe's batch is per rank).
ranks=1
if [ "$(nproc)" -ge 2 ]; then ranks=2; fi
dotnet Trainer/bin/Release/net10.0/dsl.dll train --nproc "$ranks" --logdir runs "$@"
