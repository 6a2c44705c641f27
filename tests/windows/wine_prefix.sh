# Sourced by the Wine tests (wine_service_test.sh, installer_test.sh): a throwaway Wine prefix
# with a persistent wineserver, and the checks' vocabulary. Exits 77 (CTest: skipped), with the
# reason, when Wine is not installed. At exit the wineserver is killed, and with it every
# Windows process of the prefix (services included), and the prefix is deleted.
wine=/usr/lib/wine/wine64
# The server binary itself: Debian's /usr/lib/wine/wineserver wrapper adds -p0 (exit as soon
# as the last process ends), which would take the SCM and its services down between commands.
wineserver=/usr/lib/wine/wineserver64
[ -x "$wine" ] && [ -x "$wineserver" ] || { echo "skipped: Wine is not installed (apt-get install wine64)"; exit 77; }

tmp=$(mktemp -d)
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# The CLI's home is %USERPROFILE% (C:\users\<user> in the prefix); no Unix HOME leaks in.
unset X402_DEV_CONFIG X402_DEV_PORT X402_DEV_BACKEND X402_DEV_HOST DISPLAY
cleanup() {
  "$wineserver" -k >/dev/null 2>&1   # ends every process of this prefix: services included
  "$wineserver" -w >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...: passes when the command succeeds (one command:
  local what=$1; shift   # `check D [ a ] && [ b ]` would check only [ a ]: see is_new)
  if "$@"; then pass "$what"; else fail "$what"; fi
}
# is_new PID OLD: PID is set and differs from OLD. same_pid PID OTHER: PID is set and equal.
is_new() { [ -n "$1" ] && [ "$1" != "$2" ]; }
same_pid() { [ -n "$1" ] && [ "$1" = "$2" ]; }
both_nonempty_files() { [ -s "$1" ] && [ -s "$2" ]; }

# run_windows PROGRAM ARGS...: runs a Windows program under Wine; its output (CRs removed) in
# $out, its exit code in $rc, both echoed. Through a file, not a pipe: Wine starts a Windows
# process by forking a Unix one, so a detached server inherits the caller's Unix stdout, and
# $(...) would wait for the server to exit.
run_windows() {
  "$wine" "$@" >"$tmp/out" 2>&1
  rc=$?
  out=$(tr -d '\r' <"$tmp/out")
  printf '  $ %s   [exit %s]\n%s\n' "$*" "$rc" "$(sed 's/^/    /' <<<"$out")"
}
expect_exit() {  # expect_exit CODE DESCRIPTION: about the last run_windows
  if [ "$rc" -eq "$1" ]; then pass "$2 (exit $1)"; else fail "$2: exit $rc, expected $1"; fi
}
sc_state() { "$wine" sc query "${1:-x402-mock}" >"$tmp/sc" 2>/dev/null; tr -d '\r' <"$tmp/sc" | awk '/STATE/ {print $4}'; }
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1/api/data"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
status_pid() { sed -n 's/^ *PID: *\([0-9][0-9]*\).*/\1/p' <<<"$out" | head -1; }
# registered_service NAME: the SCM has a service of that name (its registry key exists).
registered_service() { "$wine" reg query "HKLM\\System\\CurrentControlSet\\Services\\$1" >/dev/null 2>&1; }
# reg_value KEY NAME: one registry value's data, as `reg query` prints it (empty when absent).
reg_value() {
  "$wine" reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' |
    sed -n "s/^ *$2 *REG_[A-Z_]* *//p" | head -1
}

# start_wine_prefix: the persistent server first, so that every Wine process of the prefix
# talks to it. Without -p, Wine ends its services soon after the last Windows program exits,
# and the next command starts a new services.exe while the old one is still going: two SCMs,
# each with its own view of which services exist. The first Windows program then creates the
# prefix and starts its SCM. (Not `wineboot -i`: on a fresh prefix the loader has already run
# it, and a second one starts a second services.exe.)
start_wine_prefix() {
  export WINESERVER="$wineserver"
  mkdir -p "$WINEPREFIX"
  "$wineserver" -p
  "$wine" cmd /c ver >/dev/null 2>&1
  profile_unix="$WINEPREFIX/drive_c/users/$(id -un)"
}

# finish_test NAME LOG: the verdict; on failure, the end of the server's LOG, then exit 1.
finish_test() {
  echo
  if [ "$failures" -ne 0 ]; then
    echo "$1: $failures check(s) failed; server log:"
    sed 's/^/    /' "$2" 2>/dev/null | tail -40
    exit 1
  fi
  echo "$1: all checks passed"
}
