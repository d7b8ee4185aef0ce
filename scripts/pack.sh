#!/usr/bin/env bash
# Packs Dsl.Generator, Dsl.Runtime, Dsl.Definitions and the Dsl.Trainer tool into artifacts/packages/, at the version
# Directory.Build.props sets. Arguments go to every `dotnet pack` (e.g. --no-build after a Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/packages
version=$(dotnet msbuild Runtime/Dsl.Runtime.csproj -getProperty:DslVersion)
mkdir -p "$out"
ids=(Dsl.Generator Dsl.Runtime Dsl.Definitions Dsl.Trainer)
for id in "${ids[@]}"; do rm -f "$out/$id.$version.nupkg"; done
for project in Generator Runtime Definitions Trainer; do
  dotnet pack "$project" -c Release -o "$out" -nologo -v quiet "$@"
done
# A rebuilt package keeps its version, and restore would take the copy NuGet extracted before: drop those copies.
cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
for id in "${ids[@]}"; do rm -rf "$cache/${id,,}/$version"; done
ls -l "$out"/*."$version".nupkg
