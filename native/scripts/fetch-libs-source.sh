#!/usr/bin/env bash
# Fetch Debian's source package falcosecurity-libs (0.20.0-3, suite trixie) into DEST, unpacked with
# Debian's patches applied. A private apt configuration is used, so the machine's apt setup is never
# changed; the archive URI is read at run time from the machine's own debian.sources.
# usage: fetch-libs-source.sh DEST_DIR
#        fetch-libs-source.sh --orig-sha256   (prints the sha256 the archive lists for the upstream
#                                              tarball, *.orig.tar.gz, and downloads nothing else)
#        fetch-libs-source.sh --orig-tarball FILE   (only the upstream tarball, *.orig.tar.gz, into FILE,
#                                              checked against the sha256 the archive lists)
set -euo pipefail
dest=${1:?usage: fetch-libs-source.sh DEST_DIR | --orig-sha256}
pkg=falcosecurity-libs
ver=${SCAPSTREAM_LIBS_DEBIAN_VERSION:-0.20.0-3}
suite=${SCAPSTREAM_LIBS_DEBIAN_SUITE:-trixie}

sources=/etc/apt/sources.list.d/debian.sources
uri=""
if [ -r "$sources" ]; then
  uri=$(awk '/^URIs:/{print $2; exit}' "$sources")
fi
if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//){print $i; exit}}' /etc/apt/sources.list)
fi
[ -n "$uri" ] || { echo "fetch-libs-source: cannot find a Debian archive URI in $sources or /etc/apt/sources.list" >&2; exit 1; }
command -v dpkg-source >/dev/null || { echo "fetch-libs-source: dpkg-source missing (apt-get install dpkg-dev)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb-src [signed-by=$keyring] $uri $suite main" > "$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
          -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" -qq update
if [ "$dest" = "--orig-sha256" ]; then
  apt-get "${apt_opts[@]}" -qq --print-uris source "$pkg=$ver" 2>/dev/null \
    | awk '$2 ~ /\.orig\.tar\.gz$/ { sub(/^SHA256:/, "", $4); print $4 }'
  exit 0
fi
mkdir -p "$work/src"
if [ "$dest" = "--orig-tarball" ]; then
  file=${2:?--orig-tarball needs a FILE}
  line=$(apt-get "${apt_opts[@]}" -qq --print-uris source "$pkg=$ver" 2>/dev/null | awk '$2 ~ /\.orig\.tar\.gz$/')
  url=$(awk '{print $1}' <<< "$line" | tr -d "'"); sha=$(awk '{sub(/^SHA256:/, "", $4); print $4}' <<< "$line")
  [ -n "$url" ] || { echo "fetch-libs-source: the archive lists no orig tarball for $pkg $ver" >&2; exit 1; }
  command -v curl >/dev/null || { echo "fetch-libs-source: curl missing" >&2; exit 1; }
  curl -fsSL -o "$work/orig.tar.gz" "$url"
  echo "$sha  $work/orig.tar.gz" | sha256sum -c --quiet - || { echo "fetch-libs-source: sha256 mismatch" >&2; exit 1; }
  mv "$work/orig.tar.gz" "$file"
  echo "$file"
  exit 0
fi
( cd "$work/src" && apt-get "${apt_opts[@]}" -qq --download-only source "$pkg=$ver" )
dsc=$(ls "$work/src"/*.dsc)
rm -rf "$dest"
dpkg-source --no-check -x "$dsc" "$dest" >/dev/null
[ -f "$dest/CMakeLists.txt" ] || { echo "fetch-libs-source: unpacked tree has no CMakeLists.txt" >&2; exit 1; }
echo "$dest"
