#!/usr/bin/env bash
# Compiles every translation unit of the Windows build of x402-dev with the Debian mingw-w64
# cross compiler (-fsyntax-only), against the same Boost, Poco and yaml-cpp headers the Linux
# build uses. Catches Windows-only code that does not compile, without a Windows machine.
#
#   tests/windows/syntax_check.sh [BUILD_DIR]    (BUILD_DIR holds the generated build_info.cc)
set -euo pipefail
cd "$(dirname "$0")/../.."
CXX=${CXX_MINGW:-x86_64-w64-mingw32-g++-posix}
command -v "$CXX" >/dev/null || CXX=x86_64-w64-mingw32-g++
command -v "$CXX" >/dev/null || { echo "skipped: no mingw-w64 C++ compiler (g++-mingw-w64-x86-64)"; exit 77; }

# Only the library headers, never the rest of /usr/include (glibc would clash with mingw's).
headers=$(mktemp -d)
trap 'rm -rf "$headers"' EXIT
for dir in boost Poco yaml-cpp; do ln -s "/usr/include/$dir" "$headers/$dir"; done
# Poco includes some Windows headers with capitals; mingw ships them in lower case.
mingw_include=$("$CXX" -print-sysroot 2>/dev/null)/include
[ -d "$mingw_include" ] || mingw_include=/usr/x86_64-w64-mingw32/include
for name in Winsock2.h WinSock2.h Iphlpapi.h IPHlpApi.h Windows.h WS2tcpip.h Ws2tcpip.h; do
  lower=$(echo "$name" | tr 'A-Z' 'a-z')
  [ -e "$mingw_include/$lower" ] && ln -sf "$mingw_include/$lower" "$headers/$name"
done

# What CMake selects for WIN32: src/ without main.cc and the *_posix.cc files, plus
# platform/windows/ and main.cc.
mapfile -t sources < <(ls src/*.cc src/*/*.cc platform/windows/*.cc | grep -v '_posix\.cc$')
flags=(-std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror
       -Wno-unused-parameter  # Poco's Windows headers have some
       -DWIN32_LEAN_AND_MEAN -D_WIN32_WINNT=0x0A00 -DPOCO_STATIC -DBOOST_ALL_NO_LIB
       -DBOOST_ASIO_NO_DEPRECATED -DX402_DEV_WINDOWS_SYNTAX_CHECK
       -Isrc -isystem "$headers")
check() {  # one translation unit; its errors go to a log beside it
  local log="$headers/$(echo "$1" | tr '/' '_').log"
  if "$CXX" "${flags[@]}" "$1" 2>"$log"; then rm -f "$log"; else echo "FAIL $1"; fi
}
export -f check
export CXX headers
export flags_string="${flags[*]}"
printf '%s\n' "${sources[@]}" |
  xargs -P "$(nproc)" -I{} bash -c 'flags=($flags_string); check "$1"' _ {}
failed=0
for log in "$headers"/*.log; do
  [ -e "$log" ] || continue
  failed=$((failed + 1))
  echo "--- $log"
  head -40 "$log"
done
echo "windows syntax check: $((${#sources[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
