#!/usr/bin/env bash
# Restores packages and builds the library once, so notebooks can #r it right away.
set -euo pipefail
backend="${SSLCOURSE_TORCH_BACKEND:-cpu}"
if [ "$backend" = cuda ] && ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "post-create: no GPU visible; building with the CPU backend"; backend=cpu
fi
dotnet build SslCourse.sln -c Release -p:TorchBackend="$backend"
bash scripts/setup
echo "post-create: built with TorchBackend=$backend; open notebooks/00_setup.ipynb"
