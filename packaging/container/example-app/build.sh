#!/usr/bin/env bash
# Builds localhost/x402-example-app:latest, the Node.js runtime for compose.yaml's example app,
# FROM scratch: this machine's node binary plus exactly the shared objects ldd names for it.
# No registry is contacted. The app (server.mjs) and its node_modules (tests/e2e's, from
# `npm ci` there) are mounted read-only by compose.yaml rather than copied: node_modules is
# hundreds of MB, and an app under test is usually mounted from its checkout anyway.
#
#   packaging/container/example-app/build.sh [--node FILE] [--tag NAME:TAG]
#
# Global podman options come from PODMAN_GLOBAL_OPTS, as for ../build.sh.
set -euo pipefail

node=$(command -v node || true)
tag=localhost/x402-example-app:latest
while [ $# -gt 0 ]; do
  case "$1" in
    --node) node=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    *) echo "example-app/build.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ -z "$node" ] || [ ! -x "$node" ]; then
  echo "example-app/build.sh: no node binary (apt-get install nodejs)" >&2
  exit 3
fi
# shellcheck disable=SC2206  # word splitting is the point: a list of options
podman=(podman ${PODMAN_GLOBAL_OPTS:-})

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
rootfs="$context/rootfs"
mkdir -p "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/app" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
node=$(readlink -f "$node")
cp "$node" "$rootfs/usr/bin/node"
for lib in $(ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
# getaddrinfo() for the compose service names ("mock") reads these, then asks the DNS server
# the container runtime writes into /etc/resolv.conf.
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
printf 'app:x:10001:10001:example app:/app:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'app:x:10001:\n' > "$rootfs/etc/group"
cat > "$context/Containerfile" <<'CONTAINERFILE'
FROM scratch
COPY rootfs/ /
USER 10001:10001
WORKDIR /app
ENV NODE_ENV=production
ENTRYPOINT ["/usr/bin/node", "/app/server.mjs"]
LABEL org.opencontainers.image.title="x402-dev example app runtime" \
      org.opencontainers.image.source="https://github.com/x402-dev/x402-dev" \
      org.opencontainers.image.licenses="MIT"
CONTAINERFILE
"${podman[@]}" build --quiet --format docker --network none --pull=never -t "$tag" \
  -f "$context/Containerfile" "$context" >/dev/null
echo "built $tag"
