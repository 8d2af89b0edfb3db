#!/usr/bin/env bash
# Builds the native part: falcosecurity libs (cached), the shim and the raw benchmark, and puts
# libscapstream.so where JNA finds it inside the jar (linux-<arch>/ on the classpath).
# usage: native/build.sh OUTPUT_CLASSES_DIR [extra cmake -D options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: native/build.sh OUTPUT_CLASSES_DIR}; shift
build="$here/../target/native"
case "$(uname -m)" in
  x86_64) arch=x86-64 ;;
  aarch64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
mkdir -p "$build"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" > "$build.configure.log" 2>&1 \
  || { cat "$build.configure.log" >&2; echo "native/build.sh: cmake configure failed" >&2; exit 1; }
ninja -C "$build" >&2
mkdir -p "$out/linux-$arch"
cp "$build/libscapstream.so" "$out/linux-$arch/libscapstream.so"
cp "$build/scapstream-rawbench" "$out/linux-$arch/scapstream-rawbench"
cp "$build/scapstream-format" "$out/linux-$arch/scapstream-format"
