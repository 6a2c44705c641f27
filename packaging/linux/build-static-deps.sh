#!/usr/bin/env bash
# Builds, from Debian's own source packages, the static libraries the release build cannot take
# from Debian's -dev packages as they are, into a cache outside the clone:
#
#   packaging/linux/build-static-deps.sh     prints the prefix (last line of stdout)
#
# Why: x402-dev is a CLI whose every `mock status` is a process start. Loading C++ shared
# libraries costs milliseconds of symbol binding per run (libPocoFoundation.so alone ~3 ms on
# the benchmark machine), so the release build links Boost, yaml-cpp, Poco and the C++ runtime
# statically (X402_STATIC_LINK; docs/performance.md has the figures). Boost and yaml-cpp ship
# .a files in Debian; Poco does not. Same release as libpoco-dev, built unbundled (Debian's
# libpcre and zlib), position-independent for the PIE executable. ~75 s on 2 cores, then 0 s.
#
# libsecp256k1: Debian ships an archive, but built with 0.2's hand-written x86_64 field assembly,
# which upstream later removed as slower than what compilers make of the C; a strict paid request
# spends most of its CPU recovering the signer, so the release build takes the same release of
# libsecp256k1 built with the C field arithmetic (packaging/deps/secp256k1/CMakeLists.txt says
# why and by how much). ~10 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../deps/debian-sources.sh
. "$here/../deps/debian-sources.sh"

poco_version=$(deps_source_version libpoco-dev)
secp_version=$(deps_source_version libsecp256k1-dev)
gcc_version=$(g++ -dumpfullversion)
script_hash=$(cat "$0" "$here/../deps/debian-sources.sh" "$here/../deps/secp256k1/CMakeLists.txt" |
              sha256sum | cut -c1-12)
key="poco-${poco_version}_secp256k1-${secp_version}_gcc-${gcc_version}_${script_hash}"
key=${key//[^A-Za-z0-9._-]/_}
deps_begin static-deps "$key"
deps_download_sources "$work" "poco=$poco_version" "libsecp256k1=$secp_version"

deps_log "building libsecp256k1 $secp_version (static, C field arithmetic)"
dpkg-source -x "$work"/libsecp256k1_*.dsc "$work/secp256k1" >/dev/null 2>&1
cmake -S "$here/../deps/secp256k1" -B "$work/secp-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DSECP256K1_SOURCE_DIR="$work/secp256k1" -DSECP256K1_VERSION="${secp_version%%-*}" \
  >"$work/secp.log" 2>&1 || { tail -30 "$work/secp.log"; deps_die "libsecp256k1 configure failed"; }
cmake --build "$work/secp-build" -j "$deps_jobs" >>"$work/secp.log" 2>&1 ||
  { tail -30 "$work/secp.log"; deps_die "libsecp256k1 build failed"; }
cmake --install "$work/secp-build" >>"$work/secp.log" 2>&1 || deps_die "libsecp256k1 install failed"

deps_log "building Poco Foundation $poco_version (static; about 75 s on 2 cores)"
dpkg-source -x "$work"/poco_*.dsc "$work/poco" >/dev/null 2>&1
# shellcheck disable=SC2046
cmake -S "$work/poco" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
  -DBUILD_SHARED_LIBS=OFF -DPOCO_UNBUNDLED=ON $(deps_poco_components FOUNDATION) \
  >"$work/poco.log" 2>&1 || { tail -30 "$work/poco.log"; deps_die "Poco configure failed"; }
cmake --build "$work/build" -j "$deps_jobs" >>"$work/poco.log" 2>&1 ||
  { tail -30 "$work/poco.log"; deps_die "Poco build failed"; }
cmake --install "$work/build" >>"$work/poco.log" 2>&1 || deps_die "Poco install failed"
# The installed PocoFoundationConfig looks for Poco's own FindPCRE module beside itself, but
# Poco 1.11 does not install it.
cp "$work/poco/cmake/FindPCRE.cmake" "$prefix/lib/cmake/Poco/"

deps_finish
