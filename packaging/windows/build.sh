#!/usr/bin/env bash
# Cross-builds a static x402-dev.exe for 64-bit Windows from this checkout, and from it the
# installer and the .zip:
#
#   packaging/windows/build.sh [BUILD_DIR]      (default out/build/windows; prints the .exe path)
#
#   BUILD_DIR/x402-dev.exe                          the program
#   BUILD_DIR/x402-dev-VERSION-win64-setup.exe      its NSIS installer (packaging/windows/x402-dev.nsi;
#                                                   needs makensis: apt-get install nsis; without
#                                                   it only the .zip, or an error when
#                                                   X402_WINDOWS_INSTALLER=required)
#   BUILD_DIR/x402-dev-VERSION-win64.zip            bin\x402-dev.exe, docs\x402-dev.txt, LICENSE.txt
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
cmake --build "$build_dir" -j "${JOBS:-$(nproc)}" --target x402-dev x402-dev-installer-helper >&2
exe="$build_dir/x402-dev.exe"

helper="$build_dir/platform/windows/x402-dev-installer-helper.exe"

# The .exe files must run on a machine with nothing but Windows: only system DLLs may be imported.
for program in "$exe" "$helper"; do
  imports=$(x86_64-w64-mingw32-objdump -p "$program" | awk '/DLL Name:/ {print tolower($3)}' | sort -u)
  unexpected=$(echo "$imports" | grep -Ev '^(kernel32|user32|advapi32|ws2_32|mswsock|iphlpapi|shell32|ole32|oleaut32|msvcrt|api-ms-win-.*|ucrtbase|bcrypt|rpcrt4|shlwapi|psapi|netapi32|userenv|crypt32|secur32|dbghelp|version|gdi32|comdlg32|winmm|ntdll)\.dll$' || true)
  if [ -n "$unexpected" ]; then
    echo "$(basename "$program") needs non-system DLLs: $unexpected" >&2
    exit 1
  fi
done

# --- the packages -----------------------------------------------------------------------------
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
[ -n "$version" ] || { echo "no project version in $build_dir/CMakeCache.txt" >&2; exit 1; }
# Another version's packages would be mistaken for this one's.
rm -f "$build_dir"/x402-dev-*-win64-setup.exe "$build_dir"/x402-dev-*-win64.zip
package=x402-dev-$version-win64
stage=$build_dir/package/$package
rm -rf "$build_dir/package"
mkdir -p "$stage/bin" "$stage/docs"
x86_64-w64-mingw32-strip -o "$stage/bin/x402-dev.exe" "$exe"
x86_64-w64-mingw32-strip -o "$build_dir/package/helper.exe" "$helper"
# A release signs what it ships (packaging/windows/sign.sh; docs/install.md#signing-maintainers).
signing=()
if [ -n "${X402_SIGNING_PKCS12:-}" ]; then
  "$root/packaging/windows/sign.sh" "$stage/bin/x402-dev.exe"
  "$root/packaging/windows/sign.sh" "$build_dir/package/helper.exe"
  signing=(-DSIGN_COMMAND="$root/packaging/windows/sign.sh")
fi
# Windows has no man: the manual as plain text (no hyphenation, no terminal escapes), and the
# licence, with Windows line ends.
groff -man -Tutf8 -rHY=0 -Wbreak -P-cbou "$root/docs/x402-dev.1" | sed 's/$/\r/' >"$stage/docs/x402-dev.txt"
sed 's/$/\r/' "$root/LICENSE" >"$stage/LICENSE.txt"

python3 - "$build_dir/package" "$package" "$build_dir/$package.zip" <<'PY'
import os, sys, zipfile
root, name, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for directory, _, files in sorted(os.walk(os.path.join(root, name))):
        for file in sorted(files):
            path = os.path.join(directory, file)
            z.write(path, os.path.relpath(path, root))
PY
echo "built $build_dir/$package.zip" >&2

if command -v makensis >/dev/null; then
  makensis -V2 -NOCD "${signing[@]}" -DVERSION="$version" -DEXE="$stage/bin/x402-dev.exe" \
    -DHELPER="$build_dir/package/helper.exe" -DMANUAL="$stage/docs/x402-dev.txt" \
    -DLICENSE="$stage/LICENSE.txt" -DOUTFILE="$build_dir/$package-setup.exe" \
    "$root/packaging/windows/x402-dev.nsi" >&2
  echo "built $build_dir/$package-setup.exe" >&2
elif [ "${X402_WINDOWS_INSTALLER:-}" = required ]; then
  echo "makensis not found (apt-get install nsis): cannot build the installer" >&2
  exit 1
else
  echo "makensis not found (apt-get install nsis): no installer, only the .zip" >&2
fi
echo "$exe"
