#!/usr/bin/env bash
# Builds x402-dev-<version>.pkg on macOS: the binary in /usr/local/bin, the man page and shell
# completions, and the system-wide LaunchAgent in /Library/LaunchAgents. Needs Xcode's command
# line tools and Homebrew's boost, poco and yaml-cpp. Not run in CI (no macOS there).
#
#   packaging/macos/build-pkg.sh [VERSION]
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${1:-$(sed -n 's/^ *VERSION \([0-9.]*\)$/\1/p' CMakeLists.txt | head -1)}
[ "$(uname -s)" = Darwin ] || { echo "build-pkg.sh runs on macOS"; exit 1; }

cmake --preset release -DX402_BUILD_TESTS=OFF -DX402_BUILD_E2E_TESTS=OFF
cmake --build --preset release

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -d "$root/usr/local/bin" "$root/usr/local/share/man/man1" \
           "$root/usr/local/etc/bash_completion.d" "$root/usr/local/share/zsh/site-functions" \
           "$root/usr/local/share/fish/vendor_completions.d" "$root/Library/LaunchAgents"
install -m 0755 out/build/release/x402-dev "$root/usr/local/bin/x402-dev"
install -m 0644 docs/x402-dev.1 "$root/usr/local/share/man/man1/"
install -m 0644 packaging/completions/x402-dev.bash "$root/usr/local/etc/bash_completion.d/x402-dev"
install -m 0644 packaging/completions/_x402-dev "$root/usr/local/share/zsh/site-functions/"
install -m 0644 packaging/completions/x402-dev.fish "$root/usr/local/share/fish/vendor_completions.d/"
install -m 0644 packaging/macos/dev.x402.mock.plist "$root/Library/LaunchAgents/"
plutil -lint "$root/Library/LaunchAgents/dev.x402.mock.plist"

pkgbuild --root "$root" --identifier dev.x402.x402-dev --version "$version" \
         --install-location / out/build/release/x402-dev-component.pkg
productbuild --package out/build/release/x402-dev-component.pkg \
             --identifier dev.x402.x402-dev.installer --version "$version" \
             "out/build/release/x402-dev-$version.pkg"
echo "built out/build/release/x402-dev-$version.pkg"
