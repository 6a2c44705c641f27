#!/usr/bin/env bash
# Builds the .deb, .rpm and .tar.gz from BUILD_DIR (a release build), checks them (lintian,
# the .rpm's and the tarball's file lists), then installs the .deb for real and runs it under a
# systemd user manager (PackageTest in the integration tests), removing it afterwards.
#
#   tests/packaging/package_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "skipped: installing a .deb needs root"; exit 77; fi
if dpkg -s x402-dev >/dev/null 2>&1; then
  echo "skipped: an x402-dev package is already installed; this test installs and removes its own"
  exit 77
fi
for tool in cpack lintian rpm dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool"; exit 1; }
done

rm -rf "$build/packages"
(cd "$build" && cpack -G "DEB;RPM;TGZ" >/dev/null)
deb=$(ls "$build"/packages/*.deb)
rpm=$(ls "$build"/packages/*.rpm)
tgz=$(ls "$build"/packages/*.tar.gz)
echo "built: $(basename "$deb") $(basename "$rpm") $(basename "$tgz")"

echo "--- lintian (errors fail the test)"
lintian --fail-on error "$deb"

expected=(/usr/bin/x402-dev /usr/lib/systemd/user/x402-mock.service /usr/lib/systemd/user/x402-mock@.service
          /usr/share/man/man1/x402-dev.1.gz /usr/share/bash-completion/completions/x402-dev
          /usr/share/zsh/vendor-completions/_x402-dev /usr/share/fish/vendor_completions.d/x402-dev.fish
          /usr/share/doc/x402-dev/copyright /usr/share/doc/x402-dev/changelog.gz)
echo "--- rpm -qlp"
files=$(rpm -qlp "$rpm" 2>/dev/null)
echo "$files"
for f in "${expected[@]}"; do grep -qx "$f" <<<"$files" || { echo "missing from the .rpm: $f"; exit 1; }; done
echo "--- tar tzf"
listing=$(tar tzf "$tgz")
for f in "${expected[@]}"; do grep -q "$f\$" <<<"$listing" || { echo "missing from the tarball: $f"; exit 1; }; done
echo "--- dependencies computed by dpkg-shlibdeps: $(dpkg-deb -f "$deb" Depends)"

echo "--- install, run under systemd --user, remove"
X402_DEB="$deb" "$build/tests/integration/x402_integration_tests" --gtest_filter='PackageTest.*'
