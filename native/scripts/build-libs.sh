#!/usr/bin/env bash
# Build falcosecurity libs 0.20.0 (libscap + libsinsp, engines savefile + modern_bpf) from source,
# with the patches in native/patches/, against Debian bookworm's own -dev packages
# (USE_BUNDLED_DEPS=OFF: nothing is downloaded at build time), and install it into a cache dir
# keyed by version + hash of the patches and of this script. Prints the install prefix.
#
# usage: build-libs.sh [--source-dir DIR]   (DIR: any unpacked 0.20.0 tree; default: Debian's source)
# env:   SCAPSTREAM_CACHE (default ~/.cache/scapstream), SCAPSTREAM_JOBS (default nproc)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
native=$(dirname "$here")
version=0.20.0
source_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --source-dir) source_dir=${2:?--source-dir needs a directory}; shift 2 ;;
    --source-dir=*) source_dir=${1#*=}; shift ;;
    *) echo "build-libs: unknown argument: $1" >&2; exit 2 ;;
  esac
done

key=$(cat "$0" "$native"/patches/*.patch | sha256sum | cut -c1-12)
cache=${SCAPSTREAM_CACHE:-$HOME/.cache/scapstream}
prefix="$cache/falcosecurity-libs-$version-$key"
if [ -f "$prefix/.complete" ]; then
  echo "$prefix"
  exit 0
fi

log() { echo "build-libs: $*" >&2; }
work="$cache/build/falcosecurity-libs-$version-$key"
rm -rf "$work" "$prefix"
mkdir -p "$work"
start=$(date +%s)
if [ -n "$source_dir" ]; then
  [ -f "$source_dir/CMakeLists.txt" ] || { log "no CMakeLists.txt in $source_dir"; exit 1; }
  log "copying $source_dir"
  cp -a "$source_dir" "$work/src"
else
  log "fetching Debian source package falcosecurity-libs $version"
  "$here/fetch-libs-source.sh" "$work/src" >/dev/null
fi
for p in "$native"/patches/*.patch; do
  log "applying $(basename "$p")"
  patch -d "$work/src" -p1 --forward --quiet < "$p"
done

log "configuring (log: $work/build.log)"
cmake -G Ninja -S "$work/src" -B "$work/build" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DUSE_BUNDLED_DEPS=OFF -DUSE_BUNDLED_VALIJSON=OFF -DVALIJSON_INCLUDE=/usr/include \
  -DBUILD_SHARED_LIBS=OFF -DENABLE_PIC=ON -DBUILD_DRIVER=OFF -DENABLE_DKMS=OFF \
  -DBUILD_LIBSCAP_MODERN_BPF=ON -DBUILD_LIBSCAP_GVISOR=OFF -DCREATE_TEST_TARGETS=OFF \
  -DBUILD_LIBSINSP_EXAMPLES=OFF -DBUILD_LIBSCAP_EXAMPLES=OFF \
  -DFALCOSECURITY_LIBS_VERSION=$version -DDRIVER_VERSION=8.0.0+driver \
  > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; log "configure failed"; exit 1; }
log "building with ${SCAPSTREAM_JOBS:-$(nproc)} jobs (10-20 min on 2 cores)"
ninja -C "$work/build" -j "${SCAPSTREAM_JOBS:-$(nproc)}" install >> "$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; log "build failed"; exit 1; }
end=$(date +%s)
echo "$((end - start))" > "$prefix/.build-seconds"
touch "$prefix/.complete"
rm -rf "$work"
log "built in $((end - start)) s into $prefix"
echo "$prefix"
