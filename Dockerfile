# syntax=docker/dockerfile:1.6
# scapstream: build falcosecurity libs 0.20.0, the shim and the jar with the project's own scripts
# (native/scripts/build-libs.sh through Maven, exactly what CI runs), then a slim runtime.
#
#   docker build -t scapstream .
# Run like sysdig: the host's /proc, /dev, /boot, /lib/modules, /usr and the runtimes' sockets under
# /host (read-only), the host's pid namespace, and only the capabilities the modern eBPF probe needs
# (--privileged works too, but asks for far more; Docker >= 23.0's default seccomp profile allows
# bpf/perf_event_open to CAP_BPF/CAP_PERFMON, older engines need --security-opt seccomp=unconfined):
#   docker run -d --name scapstream --pid=host \
#     --cap-drop ALL --cap-add BPF --cap-add PERFMON --cap-add SYS_RESOURCE --cap-add SYS_PTRACE \
#     -v /var/run/docker.sock:/host/var/run/docker.sock:ro \
#     -v /run/podman/podman.sock:/host/run/podman/podman.sock:ro \
#     -v /run/containerd/containerd.sock:/host/run/containerd/containerd.sock:ro \
#     -v /dev:/host/dev:ro -v /proc:/host/proc:ro -v /boot:/host/boot:ro \
#     -v /lib/modules:/host/lib/modules:ro -v /usr:/host/usr:ro \
#     -v scapstream-data:/data -p 127.0.0.1:5000:5000 scapstream
# Settings come from the environment (docker/entrypoint.sh: SCAPSTREAM_DB, SCAPSTREAM_CASSANDRA,
# SCAPSTREAM_KEYSPACE, SCAPSTREAM_LISTEN, SCAPSTREAM_HOST, SCAPSTREAM_JAVA_OPTS) or from flags
# after the image name, e.g. `... scapstream --cassandra 10.0.0.5:9042 --keyspace prod`.

FROM debian:bookworm AS build
# The upstream release tarball, checked by sha256 (the same bytes Debian ships as
# falcosecurity-libs_0.20.0.orig.tar.gz). A copy placed in docker/libs/ of the build context is
# used instead of the download (that is how CI builds: it fetches Debian's copy).
ARG LIBS_URL=https://github.com/falcosecurity/libs/archive/refs/tags/0.20.0.tar.gz
ARG LIBS_SHA256=4ae6ddb42a1012bacd88c63abdaa7bd27ca0143c4721338a22c45597e63bc99d
# LIBS_PREFIX: an already built install of the libs (made by native/scripts/build-libs.sh on the
# same Debian release, e.g. bind-mounted by scripts/image.sh) skips their ~7 min build.
ARG LIBS_PREFIX=
# MAVEN_FLAGS="-o -Dmaven.repo.local=DIR" builds offline against a local repository mounted at DIR.
ARG MAVEN_FLAGS=
WORKDIR /src
COPY native/build-deps.txt native/build-deps.txt
RUN apt-get update \
 && grep -v '^#' native/build-deps.txt | xargs apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
COPY docker/libs/ /tmp/libs-dl/
RUN f=/tmp/libs-dl/falcosecurity-libs-0.20.0.tar.gz \
 && { [ -f "$f" ] || curl -fsSL -o "$f" "$LIBS_URL"; } \
 && echo "$LIBS_SHA256  $f" | sha256sum -c - \
 && mkdir /tmp/libs && tar xzf "$f" -C /tmp/libs --strip-components=1 && rm -rf /tmp/libs-dl
COPY pom.xml ./
COPY native native
COPY java java
COPY schema schema
RUN if [ -n "$LIBS_PREFIX" ]; then libs=-DFALCOSECURITY_LIBS_PREFIX=$LIBS_PREFIX; \
    else libs=-DFALCOSECURITY_LIBS_SOURCE_DIR=/tmp/libs; fi \
 && SCAPSTREAM_CACHE=/tmp/cache mvn -B -q -DskipTests $MAVEN_FLAGS -Dnative.cmake.args="$libs" package

FROM debian:bookworm-slim
# only what the shim links at run time (ldd of libscapstream.so) and a JRE
RUN apt-get update && apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless libabsl20220623 libbpf1 libc-ares2 libcurl4 libelf1 libgrpc++1.51 libgrpc29 \
      libjsoncpp25 libprotobuf32 libre2-9 libssl3 libtbb12 zlib1g ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/scapstream.jar /opt/scapstream/scapstream.jar
COPY docker/entrypoint.sh /opt/scapstream/entrypoint.sh
# sysdig's layout: libsinsp reads the host's /proc etc. under HOST_ROOT
ENV HOST_ROOT=/host
VOLUME /data
EXPOSE 5000
ENTRYPOINT ["/opt/scapstream/entrypoint.sh"]
