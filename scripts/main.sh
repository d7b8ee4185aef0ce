#!/usr/bin/env bash
# The main job: trains the default small Big-Little model on Fashion-MNIST and prints its test accuracy.
# Extra arguments go to `dsl train` (for example --model ScaleNet-Small or --epochs 3).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet Trainer/bin/Release/net10.0/dsl.dll train --logdir runs "$@"
