#!/usr/bin/env bash
# Cross-builds the payment signature check's libraries for 64-bit Windows with mingw-w64, from
# Debian's own source packages (the versions of the installed libsecp256k1-dev and
# libcrypto++-dev), into a cache outside the clone:
#
#   packaging/windows/build-crypto-deps.sh   prints the prefix (last line of stdout)
#
#   libsecp256k1 0.2   static, recovery module (packaging/deps/secp256k1/CMakeLists.txt)
#   Crypto++ 8.7       static, the whole library with its own GNUmakefile-cross. Keccak_256
#                      alone does not link: cryptlib.cpp's base classes reach Integer, ASN.1,
#                      SHA-1 and the public-key helpers; the linker keeps only what x402-dev uses.
#
# A prefix of its own beside build-deps.sh's (same cache, same helpers), so adding these did
# not invalidate the Poco/Boost/yaml-cpp prefix. Keyed by both source versions, the compiler
# version and this script's contents; a .complete marker makes an interrupted run start over.
#
# Environment: X402_DEV_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/x402-dev), JOBS (default nproc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../deps/debian-sources.sh
. "$here/../deps/debian-sources.sh"
triplet=x86_64-w64-mingw32

command -v $triplet-g++-posix >/dev/null || deps_die "no $triplet-g++-posix (apt-get install g++-mingw-w64-x86-64)"

secp_version=$(deps_source_version libsecp256k1-dev)
cryptopp_version=$(deps_source_version libcrypto++-dev)
gcc_version=$($triplet-g++-posix -dumpfullversion)
script_hash=$(cat "$0" "$here/../deps/debian-sources.sh" "$here/../deps/secp256k1/CMakeLists.txt" \
              "$here/mingw-w64-x86_64.cmake" | sha256sum | cut -c1-12)
key="secp256k1-${secp_version}_cryptopp-${cryptopp_version}_gcc-${gcc_version}_${script_hash}"
key=${key//[^A-Za-z0-9._-]/_}
deps_begin mingw-crypto-deps "$key"
deps_download_sources "$work" "libsecp256k1=$secp_version" "libcrypto++=$cryptopp_version"

deps_log "building libsecp256k1 $secp_version"
dpkg-source -x "$work"/libsecp256k1_*.dsc "$work/secp256k1" >/dev/null 2>&1
cmake -S "$here/../deps/secp256k1" -B "$work/secp-build" -G Ninja --toolchain "$here/mingw-w64-x86_64.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DSECP256K1_SOURCE_DIR="$work/secp256k1" -DSECP256K1_VERSION="${secp_version%%-*}" \
  >"$work/secp.log" 2>&1 || { tail -30 "$work/secp.log"; deps_die "libsecp256k1 configure failed"; }
cmake --build "$work/secp-build" -j "$deps_jobs" >>"$work/secp.log" 2>&1 || { tail -30 "$work/secp.log"; deps_die "libsecp256k1 build failed"; }
cmake --install "$work/secp-build" >>"$work/secp.log" 2>&1 || deps_die "libsecp256k1 install failed"

deps_log "building Crypto++ $cryptopp_version (static)"
dpkg-source -x "$work"/libcrypto++_*.dsc "$work/cryptopp" >/dev/null 2>&1
make -C "$work/cryptopp" -f GNUmakefile-cross -j "$deps_jobs" static \
  CXX=$triplet-g++-posix AR=$triplet-ar RANLIB=$triplet-ranlib CXXFLAGS="-DNDEBUG -O2" \
  >"$work/cryptopp.log" 2>&1 || { tail -30 "$work/cryptopp.log"; deps_die "Crypto++ build failed"; }
mkdir -p "$prefix/lib/pkgconfig" "$prefix/include/cryptopp"
cp "$work/cryptopp/libcryptopp.a" "$prefix/lib/"
cp "$work/cryptopp"/*.h "$prefix/include/cryptopp/"
cat >"$prefix/lib/pkgconfig/libcrypto++.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: Crypto++
Description: Crypto++ (static, mingw-w64)
Version: ${cryptopp_version%%+*}
Cflags: -I\${includedir}
Libs: -L\${libdir} -lcryptopp
PC

deps_finish
