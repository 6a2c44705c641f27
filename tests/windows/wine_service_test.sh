#!/usr/bin/env bash
# The Windows build of x402-dev, run under Wine: its Service Control Manager runs real Win32
# services, so `mock install/start/status/reload/restart/stop/uninstall` go through the very
# SCM calls they make on Windows, and the server answers HTTP on a loopback port Linux can reach.
#
#   tests/windows/wine_service_test.sh [X402_DEV_EXE]    (default out/build/windows/x402-dev.exe)
#
# Needs Debian's wine64; exits 77 (CTest: skipped) with the reason when Wine or the .exe is
# missing. Everything lives in a throwaway WINEPREFIX; the wineserver it starts is stopped at
# the end, and with it every Windows process of that prefix.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=$(realpath -m "${1:-$root/out/build/windows/x402-dev.exe}")
. "$root/tests/windows/wine_prefix.sh"
[ -f "$exe" ] || { echo "skipped: no $exe (packaging/windows/build.sh builds it)"; exit 77; }

# x402-dev.exe ARGS...: the CLI under Wine (run_windows: $out, $rc).
x402() { run_windows "$exe" "$@"; }
registered() { registered_service x402-mock; }

echo "== a fresh Wine prefix, with a persistent wineserver"
start_wine_prefix
pid_file="$profile_unix/.x402dev/mock-server.pid"
log_file="$profile_unix/.x402dev/logs/mock-server.log"
port=$(free_port)

x402 version
expect_exit 0 "x402-dev.exe runs"

echo "== install: the service is registered with the SCM"
x402 mock install --port "$port"
expect_exit 0 "mock install"
registry=$("$wine" reg query 'HKLM\System\CurrentControlSet\Services\x402-mock' 2>&1 | tr -d '\r')
sed 's/^/    /' <<<"$registry"
check "registered with its display name" grep -q 'DisplayName.*x402-dev mock x402 server' <<<"$registry"
check "registered with its description" grep -q 'Description.*Local mock x402' <<<"$registry"
check "its command line enters the service dispatcher" grep -q 'ImagePath.*--windows-service' <<<"$registry"
check "SCM: STOPPED after install" [ "$(sc_state)" = STOPPED ]

echo "== start through the SCM"
x402 mock start --port "$port"
expect_exit 0 "mock start"
check "SCM: RUNNING" [ "$(sc_state)" = RUNNING ]
check "HTTP 402 from Linux on 127.0.0.1:$port" [ "$(http_status "$port")" = 402 ]
x402 mock status
expect_exit 0 "mock status"
first_pid=$(status_pid)
check "status names the backend" grep -q 'backend: *windows' <<<"$out"
check "status PID ($first_pid) = PID file ($(cat "$pid_file" 2>/dev/null | tr -d '\r\n'))" \
  same_pid "$first_pid" "$(tr -d '\r\n' <"$pid_file")"
check "status shows the SCM's view with the same PID" grep -q "service: *x402-mock RUNNING, PID $first_pid" <<<"$out"

x402 mock start --port "$port"
expect_exit 3 "a second start: already running"

# Installing again while it runs changes the registration in place (deleting a running
# service would only mark it for deletion, and registering it again would fail).
x402 mock install --port "$port"
expect_exit 0 "mock install while the service runs"
check "SCM: still RUNNING" [ "$(sc_state)" = RUNNING ]
check "still registered" registered
x402 mock status
check "the same server process ($first_pid)" [ "$(status_pid)" = "$first_pid" ]

x402 mock reload
expect_exit 0 "mock reload"

echo "== restart: a new service process"
x402 mock restart --port "$port"
expect_exit 0 "mock restart"
x402 mock status
second_pid=$(status_pid)
check "restart: new PID $second_pid (was $first_pid)" is_new "$second_pid" "$first_pid"
check "PID file names the new process" [ "$(tr -d '\r\n' <"$pid_file")" = "$second_pid" ]
check "HTTP 402 after restart" [ "$(http_status "$port")" = 402 ]

x402 mock logs --lines 5
expect_exit 0 "mock logs"
check "the log records the server's start" grep -q 'listening on' "$log_file"

echo "== stop through the SCM"
x402 mock stop
expect_exit 0 "mock stop"
check "SCM: STOPPED" [ "$(sc_state)" = STOPPED ]
check "PID file removed" [ ! -e "$pid_file" ]
check "port $port refused" [ "$(http_status "$port")" = 000 ]
x402 mock status
expect_exit 1 "mock status when stopped: not running"
x402 mock stop
expect_exit 1 "mock stop when stopped: not running"

echo "== port in use"
python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(120)' "$port" &
holder=$!
sleep 0.5
x402 mock start --port "$port"
expect_exit 2 "mock start, port held by another program (checked before the SCM is asked)"
# The same, found by the service itself: it fails to bind, the SCM records its exit code 2.
X402_DEV_TEST_SKIP_PORT_PRECHECK=1 x402 mock start --port "$port"
expect_exit 2 "mock start, port held: the service's bind failure reaches the CLI"
check "SCM: STOPPED after the failed start" [ "$(sc_state)" = STOPPED ]
kill "$holder"; wait "$holder" 2>/dev/null

echo "== a named instance beside the default one: a service of its own"
# The SCM refuses a second service with the same display name: each instance has its own.
port3=$(free_port)
x402 mock install --name demo --port "$port3"
expect_exit 0 "mock install --name demo, with x402-mock registered"
check "x402-mock-demo registered with its own display name" \
  grep -q 'DisplayName.*x402-dev mock x402 server (demo)' \
  <<<"$("$wine" reg query 'HKLM\System\CurrentControlSet\Services\x402-mock-demo' 2>&1 | tr -d '\r')"
x402 mock start --name demo --port "$port3"
expect_exit 0 "mock start --name demo"
check "SCM: x402-mock-demo RUNNING" [ "$(sc_state x402-mock-demo)" = RUNNING ]
check "HTTP 402 from the named instance on $port3" [ "$(http_status "$port3")" = 402 ]
x402 mock stop --name demo
expect_exit 0 "mock stop --name demo"
x402 mock uninstall --name demo
expect_exit 0 "mock uninstall --name demo"
check "x402-mock-demo is gone" [ -z "$(sc_state x402-mock-demo)" ]
check "x402-mock stays" registered

echo "== uninstall"
x402 mock uninstall
expect_exit 0 "mock uninstall"
if registered; then fail "the service is gone"; else pass "the service is gone"; fi

echo "== the direct backend on Windows: a detached process, no SCM"
port2=$(free_port)
x402 mock start --backend direct --port "$port2"
expect_exit 0 "mock start --backend direct"
check "HTTP 402 from the detached server" [ "$(http_status "$port2")" = 402 ]
x402 mock status
expect_exit 0 "mock status (direct)"
direct_pid=$(status_pid)
check "status PID ($direct_pid) = PID file" same_pid "$direct_pid" "$(tr -d '\r\n' <"$pid_file")"
check "status names the direct backend" grep -q 'backend: *direct' <<<"$out"
x402 mock stop
expect_exit 0 "mock stop (direct)"
check "PID file removed" [ ! -e "$pid_file" ]
check "port $port2 refused" [ "$(http_status "$port2")" = 000 ]

finish_test "wine service test" "$log_file"
