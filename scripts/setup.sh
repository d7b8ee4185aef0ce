#!/usr/bin/env bash
# Installs what is missing and builds; safe to run again (installed packages are skipped, builds are incremental).
#   setup.sh          what the trainer needs, then builds the trainer
#   setup.sh --tests  also Python's torch (the tests check our checkpoints with it), then builds everything
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-dejavu-core: the text of curves.png (SkiaSharp's NoDependencies build reads /usr/share/fonts; with none it draws none).
packages=(openmpi-bin libopenmpi-dev dataset-fashion-mnist fonts-dejavu-core)
target=Trainer/Dsl.Trainer.csproj
if [ "${1:-}" = "--tests" ]; then
  packages+=(python3-torch python3-torchvision python3-pil python3-onnx strace)
  target=Dsl.sln
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$target" -c Release -nologo -clp:ErrorsOnly
