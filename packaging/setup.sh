#!/usr/bin/env bash
# Installs what x402-dev needs on Debian 12, builds it, and runs it or its tests.
#
#   packaging/setup.sh deps     install the missing Debian packages (nothing when all are there)
#   packaging/setup.sh build    deps + configure and build the release preset
#   packaging/setup.sh run      deps + build the release x402-dev alone + start the mock server
#                               in the background (built-in defaults; a running one is
#                               restarted) and show its status
#   packaging/setup.sh test     deps + build the debug preset (warnings are errors) and the
#                               Windows x402-dev.exe (mingw-w64), its installer and .zip
#                               + every test, then the same
#                               tests built with ASan+UBSan (the asan preset), the threaded
#                               ones with TSan (the tsan preset), 20 s of each fuzzer, then
#                               the release build's reliability run, the
#                               .deb/.rpm/.tar.gz and the container image, compose file and
#                               Kubernetes manifest (podman)
#
# Runs as root, or through sudo for apt-get. Idempotent: a second run installs nothing and
# rebuilds only what changed.
set -euo pipefail

cd "$(dirname "$0")/.."

# Build and runtime dependencies (docs/architecture.md §13): compiler and build tools, Boost 1.81
# (Beast/Asio/JSON/Program_options), Poco, libsystemd, yaml-cpp, libsecp256k1 + Crypto++ (the
# payment signature check), GoogleTest, python3 (the test tree's CMake runs the include-direction
# check with it); dpkg-dev for dpkg-source: the release build links Poco statically, built once
# from Debian's source package (packaging/linux/build-static-deps.sh).
BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config dpkg-dev
  libboost1.81-dev libboost-program-options1.81-dev libboost-json1.81-dev
  libpoco-dev libsystemd-dev libyaml-cpp-dev
  libsecp256k1-dev libcrypto++-dev
  libgtest-dev libgmock-dev python3
)
# What the tests use besides: a real systemd user manager (run in a private mount namespace
# by tests/integration/systemd_harness.cc), Python's plistlib (a real plist parser for the
# launchd agent), the mingw-w64 cross compiler and Wine (x402-dev.exe is cross-built from
# Debian's source packages and its Windows service run under Wine's SCM), NSIS and groff (the
# Windows installer, with the manual as text, is built and installed under Wine; Xvfb and
# xdotool click through its pages), the package tools
# (dpkg-source, dpkg-shlibdeps, lintian, rpmbuild), curl, wrk (the reliability suite), clang
# with its sanitizer runtimes (libFuzzer), Node.js + npm for the npm clients, and podman for the
# container tests (tests/container): runc (crun refuses this machine's hybrid cgroups), netavark
# and aardvark-dns (networks, service names), iptables (published ports), catatonit (the pod
# pause image podman builds locally) and podman-compose. Named one by one:
# podman's Recommends are not installed. chromium (headless) and a font for it run the dashboard's
# browser test (tests/e2e/dashboard.test.mjs).
TEST_PACKAGES=(systemd util-linux python3 curl wrk g++-mingw-w64-x86-64 wine64 nsis groff-base
               xvfb xdotool dpkg-dev lintian rpm
               clang libclang-rt-14-dev
               podman runc netavark aardvark-dns iptables catatonit podman-compose
               chromium fonts-dejavu-core)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      echo "$pkg"
    fi
  done
}

install_packages() {
  local missing
  missing=$(missing_packages "$@")
  if [ -z "$missing" ]; then
    return 0
  fi
  echo "setup: installing $(echo "$missing" | tr '\n' ' ')"
  as_root apt-get update -qq
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

deps() {
  local packages=("${BUILD_PACKAGES[@]}")
  if [ "${1:-}" = "test" ]; then
    # Node from Debian only when no node is on the PATH (a newer one may be installed).
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
      TEST_PACKAGES+=(nodejs npm)
    fi
    packages+=("${TEST_PACKAGES[@]}")
  fi
  install_packages "${packages[@]}"
}

# build PRESET [TARGET…]: configure and build the preset, or only the targets named.
build() {
  local preset=$1
  shift
  cmake --preset "$preset" >/dev/null
  if [ $# -gt 0 ]; then
    cmake --build --preset "$preset" --target "$@"
  else
    cmake --build --preset "$preset"
  fi
}

case "${1:-}" in
  deps)
    deps test
    ;;
  build)
    deps
    build release
    ;;
  run)
    # Only the binary it runs: the tests are the `test` command's (a fresh machine is serving
    # in a few minutes, README.md says how many).
    deps
    build release x402-dev
    shift
    out/build/release/x402-dev mock restart "$@"
    exec out/build/release/x402-dev mock status
    ;;
  test)
    deps test
    build debug
    # x402-dev.exe, its installer and .zip for the Wine tests; the cross-built dependencies
    # are cached outside the clone.
    X402_WINDOWS_INSTALLER=required packaging/windows/build.sh >/dev/null
    ctest --preset debug "${@:2}"
    # The sanitizer pass: every test but the npm clients (they drive the same binary paths
    # the integration tests already cover, and would reinstall node_modules) and the Windows
    # build under Wine (no sanitizers there).
    build asan
    ctest --preset asan --label-exclude 'e2e|windows' "${@:2}"
    # ThreadSanitizer over what runs on several threads: the server's tests (against a
    # TSan-built server), the logger, the history, the replay set, the ledger (the tsan test
    # preset's filter, CMakePresets.json).
    build tsan
    ctest --preset tsan "${@:2}"
    # Each libFuzzer target for 20 s from its seed corpus (clang, ASan+UBSan).
    tests/fuzz/run.sh 20
    # The release build: the reliability suite's short run (soak, slow clients, graceful
    # stop), the packages (lintian, file lists, install/run/remove), then the container
    # image, compose file and Kubernetes manifest under podman.
    build release
    ctest --preset release --label-regex 'reliability|packaging|container' "${@:2}"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
