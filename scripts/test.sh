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
# A model exported by dsl export, classified with ONNX Runtime alone (no TorchSharp) by the ONNX sample.
sample_onnx=$(mktemp --suffix=.onnx)
dotnet run --project Trainer -c Release --no-build -- export --model bLResNet-Small --output "$sample_onnx"
dotnet run --project samples/OnnxClassify -c Release -- "$sample_onnx"
rm -f "$sample_onnx"
# One closing line over all test assemblies of a run.
summarize() {
  awk -v title="$2" '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { printf "%s: %d passed, %d failed, %d skipped\n", title, p, f, s }' "$1"
}
log=$(mktemp)
capped=$(mktemp)
status=0
dotnet test Dsl.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# The tests that depend on what the CPU can do, again on an AVX2-only CPU as the runtime sees it (docs/platform.md):
# a change that breaks such machines fails here on any machine.
DSL_CPU=avx2 dotnet test Dsl.sln -c Release --no-build -nologo \
  --filter "FullyQualifiedName~.Platform.|FullyQualifiedName~.Compute.|FullyQualifiedName~MixedPrecision|FullyQualifiedName~.Inference.|FullyQualifiedName~OneDnnModelCheck" "$@" 2>&1 \
  | tee "$capped" || status=$?
summarize "$log" "Tests"
summarize "$capped" "Tests under DSL_CPU=avx2"
rm -f "$log" "$capped"
exit $status
