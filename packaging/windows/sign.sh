#!/usr/bin/env bash
# Signs one Windows executable in place with osslsigncode (Authenticode), for a release:
#
#   X402_SIGNING_PKCS12=cert.pfx X402_SIGNING_PASSWORD_FILE=pass.txt \
#   [X402_SIGNING_TIMESTAMP_URL=http://timestamp.digicert.com] packaging/windows/sign.sh FILE
#
# packaging/windows/build.sh calls it, when X402_SIGNING_PKCS12 is set, on x402-dev.exe and the
# helper before they are packed, and makensis on the uninstaller and the installer it writes
# (!uninstfinalize, !finalize). Without a certificate nothing is signed (docs/install.md).
set -euo pipefail
file=$1
: "${X402_SIGNING_PKCS12:?the code-signing certificate (.pfx)}"
: "${X402_SIGNING_PASSWORD_FILE:?a file holding its password}"
command -v osslsigncode >/dev/null || { echo "sign.sh: osslsigncode not found (apt-get install osslsigncode)" >&2; exit 1; }
timestamp=()
if [ -n "${X402_SIGNING_TIMESTAMP_URL:-}" ]; then timestamp=(-t "$X402_SIGNING_TIMESTAMP_URL"); fi
osslsigncode sign -pkcs12 "$X402_SIGNING_PKCS12" -readpass "$X402_SIGNING_PASSWORD_FILE" \
  -n "x402-dev" -i "https://github.com/x402-dev/x402-dev" "${timestamp[@]}" \
  -in "$file" -out "$file.signed" >&2
mv "$file.signed" "$file"
