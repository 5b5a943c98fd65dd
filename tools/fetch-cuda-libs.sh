#!/usr/bin/env bash
# Installs cuDNN 9 and cuBLAS 13 headers+libraries (pip wheels) into DIR and prints the exports that point the build at them.
#
# Usage: tools/fetch-cuda-libs.sh [DIR]        (DIR defaults to .cache/cuda-libs)
#        eval "$(tools/fetch-cuda-libs.sh)"    sets CUDNN_ROOT and CUBLAS_ROOT in the calling shell
# Idempotent: when both libraries are already in DIR nothing is installed. Diagnostics go to stderr,
# only the export lines go to stdout (so the eval form works).
set -euo pipefail

dir="${1:-.cache/cuda-libs}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

cudnn_root="$dir/nvidia/cudnn"
# The cuBLAS wheel for CUDA 13 installs under nvidia/cu13; older wheels used nvidia/cublas.
find_cublas_root() {
  for cand in "$dir/nvidia/cu13" "$dir/nvidia/cublas"; do
    if [ -f "$cand/include/cublas_v2.h" ] && ls "$cand"/lib/libcublas.so* >/dev/null 2>&1; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}

have_cudnn() { [ -f "$cudnn_root/include/cudnn.h" ] && ls "$cudnn_root"/lib/libcudnn.so* >/dev/null 2>&1; }

if have_cudnn && find_cublas_root >/dev/null; then
  echo "fetch-cuda-libs: cuDNN and cuBLAS already present in $dir" >&2
else
  echo "fetch-cuda-libs: installing nvidia-cudnn-cu13 and nvidia-cublas into $dir" >&2
  python3 -m pip install --retries 0 --disable-pip-version-check --no-warn-conflicts --target "$dir" \
    nvidia-cudnn-cu13 nvidia-cublas >&2
fi

if ! have_cudnn; then
  echo "fetch-cuda-libs: cudnn.h / libcudnn.so* not found under $cudnn_root after install" >&2
  exit 1
fi
if ! cublas_root="$(find_cublas_root)"; then
  echo "fetch-cuda-libs: cublas_v2.h / libcublas.so* not found under $dir/nvidia after install" >&2
  exit 1
fi

echo "export CUDNN_ROOT=\"$cudnn_root\""
echo "export CUBLAS_ROOT=\"$cublas_root\""
# GitHub Actions: make the variables visible to later steps too.
if [ -n "${GITHUB_ENV:-}" ]; then
  {
    echo "CUDNN_ROOT=$cudnn_root"
    echo "CUBLAS_ROOT=$cublas_root"
  } >>"$GITHUB_ENV"
fi
