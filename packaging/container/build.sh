#!/usr/bin/env bash
# Builds the x402-dev mock server's OCI image with podman, from a release build and nothing
# else: FROM scratch, the binary plus exactly the shared objects `ldd` names for it (glibc,
# zlib and the loader, for the release preset's mostly static binary), an /etc/passwd entry
# for the non-root user that runs it, and its home. No registry is contacted.
#
#   packaging/container/build.sh [--binary FILE] [--tag NAME[:TAG]] [--archive FILE]
#
#   --binary FILE    the x402-dev to package (default: out/build/release/x402-dev; build it
#                    with `cmake --preset release && cmake --build --preset release`)
#   --tag NAME:TAG   the image name (default: localhost/x402-dev:VERSION, also tagged :latest)
#   --archive FILE   also write the image to FILE (`podman save`, docker-archive format:
#                    `docker load -i FILE` or `podman load -i FILE` elsewhere)
#
# Global podman options (e.g. --root DIR --runroot DIR --storage-driver vfs, as the tests
# use) come from the environment: PODMAN_GLOBAL_OPTS="--root /tmp/r --runroot /tmp/rr".
# Prints the image's name and size last.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary="$root/out/build/release/x402-dev"
tag=""
archive=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --archive) archive=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ ! -x "$binary" ]; then
  echo "build.sh: no executable x402-dev at $binary; build the release preset first" >&2
  exit 3
fi
command -v podman >/dev/null || { echo "build.sh: podman is not installed (apt-get install podman runc)" >&2; exit 3; }
# shellcheck disable=SC2206  # word splitting is the point: a list of options
podman=(podman ${PODMAN_GLOBAL_OPTS:-})

version=$("$binary" version | sed -n '1s/^x402-dev //p')
[ -n "$version" ] || { echo "build.sh: $binary did not say its version" >&2; exit 3; }
tag=${tag:-localhost/x402-dev:$version}
# NAME:latest too; NAME may hold a registry's host:port, so only a ':' after the last '/' is a tag.
if [[ ${tag##*/} == *:* ]]; then latest=${tag%:*}:latest; else latest=$tag:latest; tag=$latest; fi
revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
rootfs="$context/rootfs"
mkdir -p "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/tmp" "$context/home"
cp "$binary" "$rootfs/usr/bin/x402-dev"
strip --strip-unneeded "$rootfs/usr/bin/x402-dev" 2>/dev/null || true

# Exactly what the dynamic loader would load, at the path it would load it from: every
# "=> /path" of ldd, and the loader itself (the line without "=>"). The vDSO has no file.
libraries=$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
for lib in $libraries; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done

# The non-root account: a fixed UID/GID (Kubernetes' runAsNonRoot needs a number), a name for
# tools that look it up, and a home the server may write ~/.x402dev into.
printf 'x402:x:10001:10001:x402-dev mock server:/home/x402:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'x402:x:10001:\n' > "$rootfs/etc/group"
cp "$root/LICENSE" "$rootfs/LICENSE"
chmod 1777 "$rootfs/tmp"

cat > "$context/Containerfile" <<CONTAINERFILE
FROM scratch
COPY rootfs/ /
COPY --chown=10001:10001 home/ /home/x402/
USER 10001:10001
WORKDIR /home/x402
# The server binds every interface of the container (its network namespace is the boundary);
# the state and rotated log go under HOME (~/.x402dev), the log also to stderr.
ENV HOME=/home/x402 X402_DEV_HOST=0.0.0.0 X402_DEV_PORT=3402
EXPOSE 3402/tcp
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \\
  CMD ["/usr/bin/x402-dev", "mock", "health", "--timeout", "2"]
ENTRYPOINT ["/usr/bin/x402-dev", "mock"]
LABEL org.opencontainers.image.title="x402-dev mock" \\
      org.opencontainers.image.description="Local mock x402 (HTTP 402 Payment Required) server and facilitator" \\
      org.opencontainers.image.version="$version" \\
      org.opencontainers.image.revision="$revision" \\
      org.opencontainers.image.created="$created" \\
      org.opencontainers.image.source="https://github.com/x402-dev/x402-dev" \\
      org.opencontainers.image.url="https://github.com/x402-dev/x402-dev" \\
      org.opencontainers.image.documentation="https://github.com/x402-dev/x402-dev/blob/main/docs/install.md" \\
      org.opencontainers.image.licenses="MIT"
CONTAINERFILE

# --format docker: the OCI image format has no HEALTHCHECK, and podman would drop it.
"${podman[@]}" build --quiet --format docker --network none --pull=never \
  -t "$tag" -t "$latest" -f "$context/Containerfile" "$context" >/dev/null
if [ -n "$archive" ]; then
  "${podman[@]}" save --quiet --format docker-archive -o "$archive" "$tag"
fi
size=$("${podman[@]}" image inspect --format '{{.Size}}' "$tag")
echo "built $tag and $latest ($size bytes; libraries: ${libraries//$'\n'/ })"
