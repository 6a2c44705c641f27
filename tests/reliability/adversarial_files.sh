#!/usr/bin/env bash
# Adversarial files: what the CLI and the server do when the files they rely on are not
# readable or writable, or the disk is full. Every case wants a clear error, the exit code the
# contract gives, no crash, and nothing left running or signalled by mistake.
#
#   tests/reliability/adversarial_files.sh X402_DEV_BINARY
#
# Permission cases run the CLI as user nobody (root reads anything); the disk-full case mounts
# a 64 KiB tmpfs over the log folder inside a private mount namespace. Needs root (CI is);
# exits 77 (skipped) otherwise. Corrupt and symlinked PID files are covered by
# tests/integration/lifecycle_test.cc (CorruptPidFileTest), inside a private PID namespace.
set -uo pipefail
binary=$(realpath "${1:?usage: adversarial_files.sh X402_DEV_BINARY}")
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root (setpriv to nobody, a tmpfs mount)"; exit 77; }
command -v setpriv >/dev/null && command -v unshare >/dev/null ||
  { echo "skipped: needs setpriv and unshare (util-linux)"; exit 77; }

tmp=$(mktemp -d)
chmod 755 "$tmp"
started_pids=()
cleanup() {
  for pid in "${started_pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done  # by PID, never by name
  rm -rf "$tmp"
}
trap cleanup EXIT

# nobody must be able to run the binary: a build tree under a private folder (a mktemp -d
# clone, a 0700 home) is out of its reach, so run a copy from the test's own folder.
if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$binary"; then
  cp "$binary" "$tmp/x402-dev"
  binary="$tmp/x402-dev"
fi

failures=0
pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
running() { [ -r "/proc/$1/stat" ] && ! awk '{exit !($3 == "Z" || $3 == "X")}' "/proc/$1/stat"; }

# A HOME owned by nobody; the binary must be reachable for nobody.
new_home() {
  local home
  home=$(mktemp -d "$tmp/home.XXXX")
  chown 65534:65534 "$home"
  echo "$home"
}
# as_nobody HOME ARGS...: x402-dev as nobody; its stdout+stderr in $out, exit code in $rc.
as_nobody() {
  local home=$1; shift
  out=$(cd "$home" && setpriv --reuid=65534 --regid=65534 --clear-groups \
          env -i PATH=/usr/bin:/bin HOME="$home" "$binary" "$@" 2>&1)
  rc=$?
}
expect() {  # expect CODE TEXT DESCRIPTION: about the last as_nobody call
  if [ "$rc" -eq "$1" ] && grep -qF -- "$2" <<<"$out"; then
    pass "$3 (exit $rc)"
  else
    fail "$3: exit $rc (want $1), output: $out"
  fi
}

echo "== PID file unreadable"
home=$(new_home)
port=$(free_port)
setpriv --reuid=65534 --regid=65534 --clear-groups mkdir -m 700 "$home/.x402dev"
echo 1 >"$home/.x402dev/mock-server.pid"  # names init: must never be signalled
chown 65534:65534 "$home/.x402dev/mock-server.pid"
chmod 000 "$home/.x402dev/mock-server.pid"
# An unreadable PID file is not a stale one: whether a server holds it cannot be told, so
# it is reported (exit 3), left in place, and nothing is signalled (issue 16, item 6).
for cmd in stop status reload; do
  as_nobody "$home" mock $cmd
  expect 3 "cannot be read: permission denied" "$cmd: cannot tell, says so"
done
[ -e "$home/.x402dev/mock-server.pid" ] && pass "the unreadable PID file was left alone" ||
  fail "the unreadable PID file was removed"
chmod 600 "$home/.x402dev/mock-server.pid"
as_nobody "$home" mock stop
expect 1 "does not hold a valid PID" "readable again: corrupt (PID 1), removed, nothing signalled"
as_nobody "$home" mock start --port "$port"
expect 0 "started mock server" "start afterwards works"
pid=$(cat "$home/.x402dev/mock-server.pid"); started_pids+=("$pid")
as_nobody "$home" mock stop
expect 0 "stopped mock server" "stop"

echo "== state folder of another user (root, 0700) with a server running"
# Root started a server with this HOME; nobody cannot look inside. Not "not running" (exit 1):
# a permission problem, exit 3, and the server is left alone (issue 16, item 6).
home=$(new_home)
port=$(free_port)
(cd "$home" && env -i PATH=/usr/bin:/bin HOME="$home" "$binary" mock start --port "$port" \
   --backend direct >/dev/null 2>&1) || fail "root could not start a server"
root_pid=$(cat "$home/.x402dev/mock-server.pid"); started_pids+=("$root_pid")
for cmd in status stop reload; do
  as_nobody "$home" mock $cmd
  expect 3 "belongs to another user" "$cmd as another user: exit 3, says why"
done
running "$root_pid" && pass "the server still runs" || fail "the server was stopped"
chmod 755 "$home/.x402dev"; chmod 600 "$home/.x402dev/mock-server.pid"
as_nobody "$home" mock status
expect 3 "belongs to another user" "status as another user, folder readable: still refused"
(cd "$home" && env -i PATH=/usr/bin:/bin HOME="$home" "$binary" mock stop >/dev/null 2>&1) ||
  fail "root could not stop its server"

echo "== log folder unwritable"
home=$(new_home)
setpriv --reuid=65534 --regid=65534 --clear-groups mkdir -p -m 700 "$home/.x402dev/logs"
chmod 500 "$home/.x402dev/logs"
as_nobody "$home" mock start --port "$(free_port)"
expect 3 "cannot open the log file $home/.x402dev/logs/mock-server.log: Permission denied" \
  "start names the log file and the reason"
as_nobody "$home" mock status
expect 1 "not running" "nothing was left running"
check_no_pid_file() { [ ! -e "$home/.x402dev/mock-server.pid" ]; }
if check_no_pid_file; then pass "no PID file left behind"; else fail "a PID file was left behind"; fi
# In the foreground there is a terminal to log to: the server says so and serves anyway.
out=$(cd "$home" && timeout -s TERM 2 setpriv --reuid=65534 --regid=65534 --clear-groups \
        env -i PATH=/usr/bin:/bin HOME="$home" "$binary" mock --port "$(free_port)" 2>&1)
if grep -q "cannot open the log file .*logging to the terminal only" <<<"$out" &&
   grep -q "stopped" <<<"$out"; then
  pass "foreground: warns, logs to the terminal, stops cleanly on SIGTERM"
else
  fail "foreground with an unwritable log: $out"
fi

echo "== config file unreadable or broken"
home=$(new_home)
setpriv --reuid=65534 --regid=65534 --clear-groups mkdir -m 700 "$home/.x402dev"
printf 'mock_server:\n  port: 3999\n' >"$home/.x402dev/config.yaml"
chown 65534:65534 "$home/.x402dev/config.yaml"
chmod 000 "$home/.x402dev/config.yaml"
as_nobody "$home" mock start
expect 3 "cannot read config file $home/.x402dev/config.yaml: Permission denied" "start: unreadable config"
as_nobody "$home" config validate "$home/.x402dev/config.yaml"
expect 3 "Permission denied" "config validate: unreadable config"
chmod 600 "$home/.x402dev/config.yaml"
printf 'mock_server:\n  port: [3999\n' >"$home/.x402dev/config.yaml"
as_nobody "$home" mock start
expect 3 "config.yaml" "start: YAML syntax error names the file"
as_nobody "$home" mock status
expect 1 "not running" "nothing was started"

echo "== disk full: the log folder on a 64 KiB tmpfs"
home=$(mktemp -d "$tmp/home.XXXX")
port=$(free_port)
payment=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import reliability; print(reliability.valid_payment())' \
          "$(dirname "$0")")
# In a private mount namespace, so the mount disappears with it whatever happens.
# The payment is hand-made (unsigned, one nonce for every request): shape checks only.
disk_full=$(unshare --mount --propagation private env HOME="$home" X402_DEV_VERIFICATION=shape bash -s -- "$binary" "$port" "$payment" <<'EOF'
set -u
binary=$1 port=$2 payment=$3
mkdir -p "$HOME/.x402dev/logs"
mount -t tmpfs -o size=64k tmpfs "$HOME/.x402dev/logs"
"$binary" mock start --port "$port" --log-level debug >/dev/null 2>&1; echo "start=$?"
echo "pid=$(cat "$HOME/.x402dev/mock-server.pid")"
paid=0
for i in $(seq 1 600); do  # about 300 bytes of log each: far more than 64 KiB
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-PAYMENT: $payment" "http://127.0.0.1:$port/api/data")
  [ "$code" = 200 ] && paid=$((paid + 1))
done
echo "paid=$paid"
echo "free_kib=$(df -k --output=avail "$HOME/.x402dev/logs" | tail -1 | tr -d ' ')"
"$binary" mock status >/dev/null 2>&1; echo "status=$?"
"$binary" mock reload >/dev/null 2>&1; echo "reload=$?"
"$binary" mock stop >/dev/null 2>&1; echo "stop=$?"
EOF
)
echo "$disk_full" | sed 's/^/    /'
value() { sed -n "s/^$1=//p" <<<"$disk_full"; }
started_pids+=("$(value pid)")
[ "$(value start)" = 0 ] && pass "start on the tiny disk" || fail "start on the tiny disk"
[ "$(value free_kib)" = 0 ] && pass "the log filled the disk" || fail "the disk never filled (free $(value free_kib) KiB)"
[ "$(value paid)" = 600 ] && pass "all 600 paid requests answered 200 with the disk full" ||
  fail "only $(value paid) of 600 paid requests answered"
[ "$(value status)" = 0 ] && pass "status with the disk full" || fail "status with the disk full: $(value status)"
[ "$(value reload)" = 0 ] && pass "reload with the disk full" || fail "reload with the disk full: $(value reload)"
[ "$(value stop)" = 0 ] && pass "stop with the disk full" || fail "stop with the disk full: $(value stop)"
pid=$(value pid)
if [ -n "$pid" ] && running "$pid"; then fail "server $pid still running"; else pass "server gone"; fi

echo
if [ "$failures" -ne 0 ]; then echo "adversarial files: $failures check(s) failed"; exit 1; fi
echo "adversarial files: all checks passed"
