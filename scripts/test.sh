#!/usr/bin/env bash
# Builds everything that is missing, packs, builds and runs the sample, and runs every test; exits non-zero when any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
# The packages, and the sample that uses them as any other project would (the package tests need them too).
bash scripts/pack.sh --no-build
sample_checkpoint=$(mktemp --suffix=.pt)
dotnet run --project samples/CifarBL -c Release -- "$sample_checkpoint"
rm -f "$sample_checkpoint"
log=$(mktemp)
status=0
dotnet test Dsl.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test assemblies.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
