#!/usr/bin/env bash
# Cross-builds x402-dev's dependencies for 64-bit Windows with mingw-w64, from Debian's own
# source packages, into a cache outside the clone:
#
#   packaging/windows/build-deps.sh          prints the prefix (last line of stdout)
#
#   Poco 1.11   Foundation and Util (ServerApplication: the Windows service); static. Util is
#               built without its XML and JSON configuration formats, which x402-dev does not
#               read (half of Poco's build time)
#   yaml-cpp    static
#   Boost 1.81  Program_options + JSON compiled; headers from libboost1.81-dev
#
# The prefix is keyed by the three source versions, the compiler version and this script's own
# contents, so a second run (or a CI machine that keeps ~/.cache) builds nothing, and a version
# bump builds a fresh prefix beside the old one. Idempotent: a prefix counts only once its
# .complete marker is written, so an interrupted run starts over.
#
# Environment: X402_DEV_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/x402-dev), JOBS (default nproc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../deps/debian-sources.sh
. "$here/../deps/debian-sources.sh"
triplet=x86_64-w64-mingw32

command -v $triplet-g++-posix >/dev/null || deps_die "no $triplet-g++-posix (apt-get install g++-mingw-w64-x86-64)"

poco_version=$(deps_source_version libpoco-dev)
yaml_version=$(deps_source_version libyaml-cpp-dev)
boost_version=$(deps_source_version libboost1.81-dev)
gcc_version=$($triplet-g++-posix -dumpfullversion)
script_hash=$(cat "$0" "$here/../deps/debian-sources.sh" "$here/boost/CMakeLists.txt" \
              "$here/boost/BoostConfig.cmake" "$here/mingw-w64-x86_64.cmake" | sha256sum | cut -c1-12)
key="poco-${poco_version}_yaml-cpp-${yaml_version}_boost-${boost_version}_gcc-${gcc_version}_${script_hash}"
key=${key//[^A-Za-z0-9._-]/_}
deps_begin mingw-deps "$key"
deps_download_sources "$work" "poco=$poco_version" "yaml-cpp=$yaml_version" "boost1.81=$boost_version"

toolchain=(--toolchain "$here/mingw-w64-x86_64.cmake" -DCMAKE_BUILD_TYPE=Release
           -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_PREFIX_PATH="$prefix")

# Poco includes some Windows headers with capitals (a case-insensitive file system does not
# care); mingw ships them in lower case. A folder of links named the Poco way fixes that.
case_fix="$prefix/include/mingw-case-fix"
mkdir -p "$case_fix"
mingw_include=/usr/$triplet/include
for name in Winsock2.h WinSock2.h Iphlpapi.h IPHlpApi.h Windows.h WS2tcpip.h Ws2tcpip.h; do
  lower=$(echo "$name" | tr 'A-Z' 'a-z')
  [ -e "$mingw_include/$lower" ] && ln -sf "$mingw_include/$lower" "$case_fix/$name"
done

deps_log "building Poco (Foundation, Util; about 5 minutes on 2 cores)"
dpkg-source -x "$work"/poco_*.dsc "$work/poco" >/dev/null 2>&1
# shellcheck disable=SC2046
cmake -S "$work/poco" -B "$work/poco-build" -G Ninja "${toolchain[@]}" \
  -DBUILD_SHARED_LIBS=OFF -DPOCO_STATIC=ON -DPOCO_UNBUNDLED=OFF \
  $(deps_poco_components FOUNDATION UTIL) \
  -DCMAKE_CXX_FLAGS="-isystem $case_fix" -DCMAKE_C_FLAGS="-isystem $case_fix" >"$work/poco.log" 2>&1 ||
  { tail -30 "$work/poco.log"; deps_die "Poco configure failed"; }
cmake --build "$work/poco-build" -j "$deps_jobs" >>"$work/poco.log" 2>&1 || { tail -30 "$work/poco.log"; deps_die "Poco build failed"; }
cmake --install "$work/poco-build" >>"$work/poco.log" 2>&1 || { tail -30 "$work/poco.log"; deps_die "Poco install failed"; }
# Poco 1.11 installs a PocoUtilConfig that asks for XML and JSON even when Util was built
# without them (it then defines POCO_UTIL_NO_XMLCONFIGURATION / _NO_JSONCONFIGURATION).
find "$prefix" -name PocoUtilConfig.cmake -exec sed -i '/find_dependency(PocoXML)/d; /find_dependency(PocoJSON)/d' {} +

deps_log "building yaml-cpp"
dpkg-source -x "$work"/yaml-cpp_*.dsc "$work/yaml-cpp" >/dev/null 2>&1
cmake -S "$work/yaml-cpp" -B "$work/yaml-build" -G Ninja "${toolchain[@]}" \
  -DYAML_BUILD_SHARED_LIBS=OFF -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF \
  -DYAML_CPP_BUILD_CONTRIB=OFF >"$work/yaml.log" 2>&1 || { tail -30 "$work/yaml.log"; deps_die "yaml-cpp configure failed"; }
cmake --build "$work/yaml-build" -j "$deps_jobs" >>"$work/yaml.log" 2>&1 || { tail -30 "$work/yaml.log"; deps_die "yaml-cpp build failed"; }
cmake --install "$work/yaml-build" >>"$work/yaml.log" 2>&1 || deps_die "yaml-cpp install failed"

deps_log "building Boost.Program_options and Boost.JSON"
# Only the two libraries' sources: the whole tree is 700 MB unpacked.
mkdir -p "$work/boost"
tar -xJf "$work"/boost1.81_*.orig.tar.xz -C "$work/boost" --strip-components=1 \
  boost/libs/program_options/src boost/libs/json/src
cmake -S "$here/boost" -B "$work/boost-build" -G Ninja "${toolchain[@]}" \
  -DBOOST_SOURCE_DIR="$work/boost" >"$work/boost.log" 2>&1 || { tail -30 "$work/boost.log"; deps_die "Boost configure failed"; }
cmake --build "$work/boost-build" -j "$deps_jobs" >>"$work/boost.log" 2>&1 || { tail -30 "$work/boost.log"; deps_die "Boost build failed"; }
cmake --install "$work/boost-build" >>"$work/boost.log" 2>&1 || deps_die "Boost install failed"

deps_finish
