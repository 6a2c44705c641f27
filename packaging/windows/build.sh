#!/usr/bin/env bash
# Cross-builds a static x402-dev.exe for 64-bit Windows from this checkout:
#
#   packaging/windows/build.sh [BUILD_DIR]      (default out/build/windows; prints the .exe path)
#
# Dependencies come from build-deps.sh and build-crypto-deps.sh (cached outside the clone).
# The same CMakeLists.txt as the Linux build, with platform/windows/ selected by the toolchain
# file.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:-$root/out/build/windows}
deps=$("$root/packaging/windows/build-deps.sh" | tail -1)
crypto_deps=$("$root/packaging/windows/build-crypto-deps.sh" | tail -1)

# pkg-config (libsecp256k1, Crypto++) must see only the cross-built .pc files, never the
# build machine's.
PKG_CONFIG_LIBDIR="$crypto_deps/lib/pkgconfig" cmake -S "$root" -B "$build_dir" -G Ninja \
  --toolchain "$root/packaging/windows/mingw-w64-x86_64.cmake" \
  -DCMAKE_PREFIX_PATH="$deps;$crypto_deps" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-isystem $deps/include/mingw-case-fix" \
  -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
  -DX402_BUILD_TESTS=OFF -DX402_BUILD_E2E_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j "${JOBS:-$(nproc)}" --target x402-dev >&2
exe="$build_dir/x402-dev.exe"

# The .exe must run on a machine with nothing but Windows: only system DLLs may be imported.
imports=$(x86_64-w64-mingw32-objdump -p "$exe" | awk '/DLL Name:/ {print tolower($3)}' | sort -u)
unexpected=$(echo "$imports" | grep -Ev '^(kernel32|user32|advapi32|ws2_32|mswsock|iphlpapi|shell32|ole32|oleaut32|msvcrt|api-ms-win-.*|ucrtbase|bcrypt|rpcrt4|shlwapi|psapi|netapi32|userenv|crypt32|secur32|dbghelp|version|gdi32|comdlg32|winmm|ntdll)\.dll$' || true)
if [ -n "$unexpected" ]; then
  echo "x402-dev.exe needs non-system DLLs: $unexpected" >&2
  exit 1
fi
echo "$exe"
