#!/usr/bin/env bash
# No Docker engine runs on our machines, so CI checks the Dockerfile without building it:
#  1. syntax and lint: dockerfile-utils (the linter of the Docker language server, from the npm
#     registry, cached under ~/.cache/scapstream/tools/);
#  2. every file or directory it COPYs from the build context exists in the checkout;
#  3. the upstream tarball's pinned sha256 is the one Debian's archive lists for the same release
#     (the tarball CI builds from, through native/scripts/fetch-libs-source.sh);
#  4. the runtime stage installs the Debian package of every shared library the built shim needs;
#  5. the build stage runs the same Maven build as CI (which builds libs with native/scripts/).
# usage: scripts/check-dockerfile.sh   (after a build: it reads target/classes/linux-x86-64/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
df="$root/Dockerfile"
fail() { echo "check-dockerfile: $*" >&2; exit 1; }

# 1. lint
ver=0.16.3
tools="${SCAPSTREAM_CACHE:-$HOME/.cache/scapstream}/tools/dockerfile-utils-$ver"
if [ ! -x "$tools/node_modules/.bin/dockerfile-utils" ]; then
  command -v npm >/dev/null || fail "npm is needed to install dockerfile-utils"
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund --no-save "dockerfile-utils@$ver" >/dev/null) \
    || fail "npm install dockerfile-utils@$ver failed"
fi
"$tools/node_modules/.bin/dockerfile-utils" lint "$df" || fail "Dockerfile lint errors (above)"

# 2. what it copies exists
while read -r src; do
  [ -e "$root/$src" ] || fail "Dockerfile copies $src, which is not in the checkout"
done < <(awk 'toupper($1)=="COPY" && $2 !~ /^--from/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }' "$df")

# 3. the pinned tarball is Debian's upstream tarball
pinned=$(sed -n 's/^ARG LIBS_SHA256=//p' "$df")
listed=$("$root/native/scripts/fetch-libs-source.sh" --orig-sha256)
[ -n "$listed" ] || fail "could not read the orig tarball's sha256 from Debian's archive"
[ "$pinned" = "$listed" ] || fail "Dockerfile pins sha256 $pinned, Debian's archive lists $listed"

# 4. runtime packages cover the shared libraries the shim links
so="$root/target/classes/linux-x86-64/libscapstream.so"
[ -f "$so" ] || fail "$so is missing (build first)"
runtime=$(awk '/^FROM/{stage++} stage==2' "$df" | tr -s ' \\\t' '\n')
missing=()
while read -r lib; do
  pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1) || true
  [ -n "$pkg" ] || pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1) || true
  [ -n "$pkg" ] || fail "no Debian package owns $lib"
  case "$pkg" in libc6|libgcc-s1|libstdc++6) continue ;; esac  # in every Debian image
  grep -qx "$pkg" <<< "$runtime" || missing+=("$pkg ($lib)")
done < <(
  # the libraries it links directly (their own dependencies come with their packages), as resolved here
  for needed in $(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    ldd "$so" | awk -v n="$needed" '$1==n && $3 ~ /^\// {print $3}'
  done)
[ ${#missing[@]} -eq 0 ] || fail "the runtime stage does not install: ${missing[*]}"

# 5. the same build as CI
grep -q 'mvn -B -q -DskipTests' "$df" || fail "the build stage no longer runs the project's Maven build"
echo "check-dockerfile: lint clean, $(awk 'toupper($1)=="COPY"' "$df" | wc -l) COPY lines resolved, libs sha256 matches Debian's archive, runtime packages cover the shim's $(readelf -d "$so" | grep -c NEEDED) linked libraries"
