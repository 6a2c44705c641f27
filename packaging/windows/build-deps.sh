#!/usr/bin/env bash
# Cross-builds x402-dev's dependencies for 64-bit Windows with mingw-w64, from Debian's own
# source packages, into a cache outside the clone:
#
#   packaging/windows/build-deps.sh          prints the prefix (last line of stdout)
#
#   Poco 1.11   Foundation, Util (ServerApplication: the Windows service) and the XML and JSON
#               libraries Util's CMake package requires; static
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
cache=${X402_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/x402-dev}
jobs=${JOBS:-$(nproc)}
triplet=x86_64-w64-mingw32

log() { echo "build-deps: $*" >&2; }
die() { log "$*"; exit 1; }

command -v $triplet-g++-posix >/dev/null || die "no $triplet-g++-posix (apt-get install g++-mingw-w64-x86-64)"
command -v dpkg-source >/dev/null || die "no dpkg-source (apt-get install dpkg-dev)"

# The versions come from the installed Linux -dev packages, so the Windows build uses the very
# releases the Linux build does, and computing the key needs no network.
source_version() { dpkg-query -W -f='${source:Version}' "$1" 2>/dev/null || die "$1 is not installed"; }
poco_version=$(source_version libpoco-dev)
yaml_version=$(source_version libyaml-cpp-dev)
boost_version=$(source_version libboost1.81-dev)
gcc_version=$($triplet-g++-posix -dumpfullversion)
script_hash=$(cat "$0" "$here/boost/CMakeLists.txt" "$here/boost/BoostConfig.cmake" \
              "$here/mingw-w64-x86_64.cmake" | sha256sum | cut -c1-12)
key="poco-${poco_version}_yaml-cpp-${yaml_version}_boost-${boost_version}_gcc-${gcc_version}_${script_hash}"
key=${key//[^A-Za-z0-9._-]/_}
prefix="$cache/mingw-deps/$key"

# One build at a time per cache (CI steps or two shells may ask at once); the second waits
# and then finds the prefix complete.
mkdir -p "$cache/mingw-deps"
exec 9>"$cache/mingw-deps/.lock"
flock 9

if [ -f "$prefix/.complete" ]; then
  log "cached: $prefix"
  echo "$prefix"
  exit 0
fi

# apt-get source needs a deb-src entry for the sources the machine already uses.
ensure_deb_src() {
  if apt-get source --print-uris "poco=$poco_version" >/dev/null 2>&1; then return; fi
  local sources=/etc/apt/sources.list.d/debian.sources
  [ -f "$sources" ] || die "no deb-src entry and no $sources to derive one from; add deb-src lines for Debian bookworm"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  log "adding deb-src entries (from $sources) and running apt-get update"
  sed 's/^Types: deb$/Types: deb-src/' "$sources" | $sudo tee /etc/apt/sources.list.d/x402-dev-deb-src.sources >/dev/null
  $sudo apt-get update -qq
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$prefix"
mkdir -p "$prefix"

ensure_deb_src
log "downloading Debian sources: poco $poco_version, yaml-cpp $yaml_version, boost1.81 $boost_version"
(cd "$work" && apt-get source --download-only -qq \
   "poco=$poco_version" "yaml-cpp=$yaml_version" "boost1.81=$boost_version" >/dev/null 2>&1) ||
  die "apt-get source failed (is the Debian mirror reachable?)"

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

log "building Poco (Foundation, Util, XML, JSON; about 6 minutes on 2 cores)"
dpkg-source -x "$work"/poco_*.dsc "$work/poco" >/dev/null 2>&1
cmake -S "$work/poco" -B "$work/poco-build" -G Ninja "${toolchain[@]}" \
  -DBUILD_SHARED_LIBS=OFF -DPOCO_STATIC=ON -DPOCO_UNBUNDLED=OFF \
  -DENABLE_FOUNDATION=ON -DENABLE_UTIL=ON \
  -DENABLE_XML=ON -DENABLE_JSON=ON -DENABLE_NET=OFF -DENABLE_NETSSL=OFF -DENABLE_NETSSL_WIN=OFF \
  -DENABLE_CRYPTO=OFF -DENABLE_JWT=OFF -DENABLE_DATA=OFF -DENABLE_DATA_SQLITE=OFF \
  -DENABLE_DATA_MYSQL=OFF -DENABLE_DATA_POSTGRESQL=OFF -DENABLE_DATA_ODBC=OFF \
  -DENABLE_MONGODB=OFF -DENABLE_REDIS=OFF -DENABLE_PDF=OFF -DENABLE_ZIP=OFF -DENABLE_SEVENZIP=OFF \
  -DENABLE_ENCODINGS=OFF -DENABLE_PAGECOMPILER=OFF -DENABLE_PAGECOMPILER_FILE2PAGE=OFF \
  -DENABLE_ACTIVERECORD=OFF -DENABLE_ACTIVERECORD_COMPILER=OFF -DENABLE_APACHECONNECTOR=OFF \
  -DENABLE_CPPPARSER=OFF -DENABLE_POCODOC=OFF -DENABLE_TESTS=OFF -DENABLE_SAMPLES=OFF \
  -DCMAKE_CXX_FLAGS="-isystem $case_fix" -DCMAKE_C_FLAGS="-isystem $case_fix" >"$work/poco.log" 2>&1 ||
  { tail -30 "$work/poco.log"; die "Poco configure failed"; }
cmake --build "$work/poco-build" -j "$jobs" >>"$work/poco.log" 2>&1 || { tail -30 "$work/poco.log"; die "Poco build failed"; }
cmake --install "$work/poco-build" >>"$work/poco.log" 2>&1 || { tail -30 "$work/poco.log"; die "Poco install failed"; }

log "building yaml-cpp"
dpkg-source -x "$work"/yaml-cpp_*.dsc "$work/yaml-cpp" >/dev/null 2>&1
cmake -S "$work/yaml-cpp" -B "$work/yaml-build" -G Ninja "${toolchain[@]}" \
  -DYAML_BUILD_SHARED_LIBS=OFF -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF \
  -DYAML_CPP_BUILD_CONTRIB=OFF >"$work/yaml.log" 2>&1 || { tail -30 "$work/yaml.log"; die "yaml-cpp configure failed"; }
cmake --build "$work/yaml-build" -j "$jobs" >>"$work/yaml.log" 2>&1 || { tail -30 "$work/yaml.log"; die "yaml-cpp build failed"; }
cmake --install "$work/yaml-build" >>"$work/yaml.log" 2>&1 || die "yaml-cpp install failed"

log "building Boost.Program_options and Boost.JSON"
# Only the two libraries' sources: the whole tree is 700 MB unpacked.
mkdir -p "$work/boost"
tar -xJf "$work"/boost1.81_*.orig.tar.xz -C "$work/boost" --strip-components=1 \
  boost/libs/program_options/src boost/libs/json/src
cmake -S "$here/boost" -B "$work/boost-build" -G Ninja "${toolchain[@]}" \
  -DBOOST_SOURCE_DIR="$work/boost" >"$work/boost.log" 2>&1 || { tail -30 "$work/boost.log"; die "Boost configure failed"; }
cmake --build "$work/boost-build" -j "$jobs" >>"$work/boost.log" 2>&1 || { tail -30 "$work/boost.log"; die "Boost build failed"; }
cmake --install "$work/boost-build" >>"$work/boost.log" 2>&1 || die "Boost install failed"

touch "$prefix/.complete"
log "done: $prefix"
echo "$prefix"
