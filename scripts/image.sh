#!/usr/bin/env bash
# Build and run the scapstream image without a Docker engine (buildah, mmdebstrap; as root).
#
#   scripts/image.sh build [--full]      base image + Dockerfile -> localhost/scapstream:latest
#   scripts/image.sh run [OPTIONS] [-- ENTRYPOINT-FLAGS...]
#       -e NAME=VALUE      environment for the entrypoint (repeatable)
#       -v HOST:DIR[:ro]   bind mount into the container (repeatable)
#       --cap-drop CAP     run without CAP (e.g. CAP_PERFMON), to prove it is needed
#       --name NAME        working container name (default scapstream-run)
#   scripts/image.sh rm [--name NAME]    remove a working container
#   scripts/image.sh packages            the runtime image's Debian packages
#
# build:
#  - the base: Debian bookworm made by mmdebstrap (minbase, no docs/man/locales, no apt lists),
#    imported as debian:bookworm-slim and debian:bookworm (no image registry is reachable here);
#    its tarball is cached under ~/.cache/scapstream/image/ keyed by the options below;
#  - the libs tarball: Debian's falcosecurity-libs_0.20.0.orig.tar.gz (the upstream bytes, sha256
#    checked by the Dockerfile), cached, and put into docker/libs/ of the build context;
#  - Maven offline (-o) against the host's ~/.m2, mounted read-only;
#  - without --full, the libs the host build made (native/scripts/build-libs.sh, same Debian release)
#    are mounted read-only and used as LIBS_PREFIX: the libs' ~7 min compile is skipped.
#
# run: `podman run` cannot start containers here (crun's setrlimit needs CAP_SYS_RESOURCE, which this
# root lacks), and `buildah run --isolation chroot` got EPERM from BPF_PROG_LOAD with CAP_BPF added. So
# the image's root file system (buildah mount) is entered in a new mount namespace with chroot, with
# the mounts the README's `docker run` line gives (host /proc, /dev, /boot, /lib/modules, /usr and the
# runtime sockets read-only under /host, a data directory on /data), the host's pid and network
# namespaces (--pid=host; the UI port is the host's), and the bounding set cut to the README's
# capabilities with the image's own setpriv before the entrypoint runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${SCAPSTREAM_CACHE:-$HOME/.cache/scapstream}
image=localhost/scapstream:latest
say() { echo "image: $*" >&2; }
die() { say "$*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (buildah, mount namespaces)"

# the capabilities the README's docker run line adds (modern probe: BPF + PERFMON; SYS_PTRACE to read
# other processes' /proc entries; SYS_RESOURCE to raise RLIMIT_MEMLOCK, where the host grants it)
readme_caps=(CAP_BPF CAP_PERFMON CAP_SYS_PTRACE CAP_SYS_RESOURCE)

archive_uri() { # the Debian archive URIs of this machine (main, security), read at run time
  awk -v want="$1" '/^URIs:/{u=$2} /^Suites:/{for(i=2;i<=NF;i++) if ($i ~ want) {print u; exit}}' \
    /etc/apt/sources.list.d/debian.sources
}

base_image() {
  local key tar uri sec opts c mnt
  opts=(--variant=minbase --include=ca-certificates
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
        --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
        --dpkgopt='path-exclude=/usr/share/lintian/*'
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log'
        # openjdk's postinst registers its man pages with update-alternatives, which fails without the dir
        --customize-hook='mkdir -p "$1"/usr/share/man/man1'
        # as Debian's own images do: apt keeps no downloaded .debs in an image layer
        --customize-hook='printf "%s\n" "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true\"; };" "APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true\"; };" "Dir::Cache::pkgcache \"\"; Dir::Cache::srcpkgcache \"\";" > "$1"/etc/apt/apt.conf.d/docker-clean')
  key=$(printf '%s\n' "${opts[@]}" | sha256sum | cut -c1-12)
  tar="$cache/image/debian-bookworm-slim-$key.tar"
  if buildah inspect --type image "localhost/debian-slim:$key" >/dev/null 2>&1; then
    :
  else
    if [ ! -f "$tar" ]; then
      uri=$(archive_uri '^bookworm$'); sec=$(archive_uri 'security')
      [ -n "$uri" ] || die "no Debian archive URI in /etc/apt/sources.list.d/debian.sources"
      mkdir -p "$cache/image"
      say "making the base with mmdebstrap (~30 s)"
      mmdebstrap --format=tar "${opts[@]}" bookworm "$tar.tmp" "deb $uri bookworm main" "deb $uri bookworm-updates main" \
        ${sec:+"deb $sec bookworm-security main"} >&2
      mv "$tar.tmp" "$tar"
    fi
    c=$(buildah from scratch)
    mnt=$(buildah mount "$c")
    tar -xf "$tar" -C "$mnt"
    buildah umount "$c" >/dev/null
    buildah config --cmd /bin/bash "$c"
    buildah commit -q "$c" "localhost/debian-slim:$key" >/dev/null
    buildah rm "$c" >/dev/null
  fi
  # the Dockerfile's FROM lines resolve to it without a pull
  buildah tag "localhost/debian-slim:$key" docker.io/library/debian:bookworm-slim docker.io/library/debian:bookworm
}

libs_tarball() {
  local f="$cache/image/falcosecurity-libs-0.20.0.orig.tar.gz" work
  if [ ! -f "$f" ]; then
    work=$(mktemp -d)
    "$root/native/scripts/fetch-libs-source.sh" --orig-tarball "$work/orig.tar.gz" >/dev/null
    mkdir -p "$cache/image"
    mv "$work/orig.tar.gz" "$f"
    rm -rf "$work"
  fi
  ln -f "$f" "$root/docker/libs/falcosecurity-libs-0.20.0.tar.gz" 2>/dev/null \
    || cp "$f" "$root/docker/libs/falcosecurity-libs-0.20.0.tar.gz"
}

cmd_build() {
  local full=false prefix extra=() start end
  [ "${1:-}" = "--full" ] && full=true
  for t in buildah mmdebstrap; do command -v $t >/dev/null || die "$t missing (image-deps.txt)"; done
  start=$(date +%s)
  base_image
  libs_tarball
  [ -d "$HOME/.m2/repository" ] || die "no ~/.m2/repository: run ./scapstream build first (it resolves the dependencies)"
  if ! $full; then
    prefix=$(ls -d "$cache"/falcosecurity-libs-0.20.0-*/.complete 2>/dev/null | head -1) || true
    if [ -n "$prefix" ]; then
      prefix=$(dirname "$prefix")
      extra=(-v "$prefix:/opt/falcosecurity-libs:ro" --build-arg LIBS_PREFIX=/opt/falcosecurity-libs)
    else
      say "no host libs build in $cache: the image builds them (~7 min)"
    fi
  fi
  say "buildah bud${extra:+ (libs from the host build)}"
  (cd "$root" && buildah bud --isolation chroot --network host --layers \
      -v "$HOME/.m2/repository:/maven-repository:ro" --build-arg MAVEN_FLAGS="-o -Dmaven.repo.local=/maven-repository" \
      "${extra[@]}" -t "$image" .) >&2
  rm -f "$root/docker/libs/falcosecurity-libs-0.20.0.tar.gz"
  end=$(date +%s)
  say "built $image in $((end - start)) s, $(buildah images --format '{{.Size}}' "$image")"
}

cmd_rm() {
  local name=scapstream-run
  [ "${1:-}" = "--name" ] && name=$2
  buildah umount "$name" >/dev/null 2>&1 || true
  buildah rm "$name" >/dev/null 2>&1 || true
}

cmd_run() {
  local name=scapstream-run envs=() vols=() drop="" caps=() c mnt
  while [ $# -gt 0 ]; do
    case "$1" in
      -e) envs+=("$2"); shift 2 ;;
      -v) vols+=("$2"); shift 2 ;;
      --cap-drop) drop=$2; shift 2 ;;
      --name) name=$2; shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  # only the README's capabilities this host can grant (a bounding set cannot gain one the host lacks)
  for cap in "${readme_caps[@]}"; do
    [ "$cap" = "$drop" ] && continue
    capsh --decode="$(awk '/^CapBnd/{print $2}' /proc/self/status)" | grep -qi "$cap" && caps+=("+${cap#CAP_}")
  done
  caps_list=$(IFS=,; echo "${caps[*],,}")
  cmd_rm --name "$name"
  c=$(buildah from --name "$name" "$image")
  mnt=$(buildah mount "$c")
  # the README's mounts, as `docker run -v` gives them
  local binds=("/proc:/host/proc:ro" "/dev:/host/dev:ro" "/boot:/host/boot:ro" "/lib/modules:/host/lib/modules:ro"
               "/usr:/host/usr:ro" "/var/run/docker.sock:/host/var/run/docker.sock:ro"
               "/run/podman/podman.sock:/host/run/podman/podman.sock:ro"
               "/run/containerd/containerd.sock:/host/run/containerd/containerd.sock:ro" "${vols[@]}")
  local env_args=(HOST_ROOT=/host PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${envs[@]}")
  # shellcheck disable=SC2016
  exec unshare --mount --propagation private -- bash -c '
    set -e
    mnt=$1; caps=$2; shift 2
    mount -t proc proc "$mnt/proc"
    mount --rbind /sys "$mnt/sys"   # the probe reads /sys/kernel/btf/vmlinux
    mount --rbind /dev "$mnt/dev"
    mount -t tmpfs tmpfs "$mnt/tmp"
    cp /etc/resolv.conf "$mnt/etc/resolv.conf" 2>/dev/null || true
    while [ "$1" != "--env" ]; do
      IFS=: read -r src dst ro <<< "$1"; shift
      [ -e "$src" ] || continue           # a runtime not installed here: docker mounts nothing either
      if [ -d "$src" ]; then mkdir -p "$mnt$dst"; else mkdir -p "$(dirname "$mnt$dst")"; touch "$mnt$dst"; fi
      mount --rbind "$src" "$mnt$dst"
      [ "$ro" = ro ] && mount -o remount,bind,ro "$mnt$dst"
    done
    shift
    envs=()
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    exec chroot "$mnt" /usr/bin/setpriv --bounding-set=-all${caps:+,$caps} --inh-caps=-all \
      -- /usr/bin/env -i "${envs[@]}" /opt/scapstream/entrypoint.sh "$@"
  ' run "$mnt" "$caps_list" "${binds[@]}" --env "${env_args[@]}" -- "$@"
}

cmd_packages() { # the runtime image's Debian packages, one per line
  local c mnt
  c=$(buildah from "$image"); mnt=$(buildah mount "$c")
  dpkg-query --admindir="$mnt/var/lib/dpkg" -W -f='${Package}\n' | sort
  buildah umount "$c" >/dev/null; buildah rm "$c" >/dev/null
}

case "${1:-}" in
  packages) cmd_packages ;;
  build) shift; cmd_build "$@" ;;
  run) shift; cmd_run "$@" ;;
  rm) shift; cmd_rm "$@" ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
