#!/usr/bin/env bash
# Measures data-parallel throughput of the tiny conv net on this machine: images/s and the time spent
# in gradient all-reduce per step, for 1 rank and for N ranks started by LocalLauncher (Open MPI).
# Usage: benchmarks/distributed/run.sh [ranks=2] [steps=30] [batch-per-rank=32] [image=32] [width=32]
set -euo pipefail
ranks=${1:-2}
steps=${2:-30}
batch=${3:-32}
image=${4:-32}
width=${5:-32}
root=$(cd "$(dirname "$0")/../.." && pwd)
project="$root/tests/Runtime.Tests/Distributed/Worker/Dsl.Distributed.Worker.csproj"
dotnet build "$project" -c Release -v quiet -nologo >/dev/null
worker="$root/tests/Trainer.Tests/Distributed/Worker/bin/Release/net10.0/Dsl.Distributed.Worker.dll"

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "--- 1 rank"
dotnet "$worker" bench --steps "$steps" --batch "$batch" --image "$image" --width "$width"
echo "--- $ranks ranks (LocalLauncher, Open MPI)"
dotnet "$worker" launch "$ranks" bench --steps "$steps" --batch "$batch" --image "$image" --width "$width"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
