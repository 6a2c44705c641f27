#!/usr/bin/env bash
# The Windows installer (packaging/windows/x402-dev.nsi, built by packaging/windows/build.sh),
# installed, used, upgraded and removed under Wine the way a Windows user meets it: silently
# (/S), as `winget` and deployment tools run it, in a fresh prefix.
#
#   tests/windows/installer_test.sh [SETUP_EXE]
#       (default out/build/windows/x402-dev-VERSION-win64-setup.exe, VERSION from CMakeLists.txt)
#
# The steps, each check naming its step:
#   0. the .zip's files, the installer's version resource;
#   1. a machine whose PATH is longer than NSIS's 1024-character strings, where `mock install`
#      was run from C:\tools and that service runs on a port of the user's choosing;
#   2. install: the service is taken over (now runs the installed x402-dev.exe, same port),
#      files, PATH (the long one intact), the Add/Remove Programs entry;
#   3. uninstall while the service runs: service, files, PATH entry and entry gone, the user's
#      .x402dev kept, C:\tools untouched;
#   4. an install whose `mock install` fails: rolled back, nothing left behind; an install
#      folder outside Program Files, and another program's service called x402-mock: refused;
#   5. install on a machine with no service: registered through `mock install`, stopped,
#      manual start; `x402-dev mock start` from a new shell (found on PATH) through the SCM;
#   5b. a failed upgrade (its `mock install` fails after the files were replaced): exit 3, the
#      previous x402-dev.exe put back, the named instance it stopped running again;
#   6. the same installer again over the running service and a running named instance (an
#      upgrade in place): stopped, replaced, started again with the user's settings;
#   7. uninstall again (a named instance's service with it), and what is left: the PATH entry
#      the user had made before the install among it;
#   8. the interactive pages (licence, folder, progress; confirm) on a virtual screen (Xvfb),
#      driven with the Enter key.
#
# Exits 77 (CTest: skipped) without Wine or the installer.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
setup=${1:-$root/out/build/windows/x402-dev-$(sed -n 's/^ *VERSION \([0-9.]*\)$/\1/p' "$root/CMakeLists.txt" | head -1)-win64-setup.exe}
. "$root/tests/windows/wine_prefix.sh"
[ -n "$setup" ] && [ -f "$setup" ] || { echo "skipped: no installer (packaging/windows/build.sh makes it; needs nsis)"; exit 77; }
setup=$(realpath "$setup")

step="?"
in_step() { step=$1; echo; echo "== step $*"; }
ok() { check "[$step] $1" "${@:2}"; }

environment_key='HKLM\System\CurrentControlSet\Control\Session Manager\Environment'
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\x402-dev'
service_key='HKLM\System\CurrentControlSet\Services\x402-mock'
install_dir='C:\Program Files\x402-dev'
installed_exe="$install_dir\\bin\\x402-dev.exe"

start_wine_prefix
install_unix="$WINEPREFIX/drive_c/Program Files/x402-dev"
x402dev_unix="$profile_unix/.x402dev"
machine_path() { reg_value "$environment_key" Path; }
registered() { registered_service x402-mock; }
# resource_value FILE KEY: a string of FILE's version resource (UTF-16 key, then its value).
resource_value() { strings -el "$1" | grep -A1 -x "$2" | sed -n 2p; }
absent() { ! "$wine" reg query "$1" >/dev/null 2>&1; }
# How many entries of PATH name the installed bin folder.
entries_of_bin() { tr ';' '\n' <<<"$(machine_path)" | grep -cixF "$install_dir\\bin"; }

# What the 402 offers: its PAYMENT-REQUIRED header (x402 v2), decoded.
payment_required() {
  curl -s -D - -o /dev/null --max-time 5 "http://127.0.0.1:$1/api/data" |
    tr -d '\r' | sed -n 's/^payment-required: *//Ip' | base64 -d 2>/dev/null
}
install_silently() {
  run_windows "$setup" /S
}
# The uninstaller copies itself to %TEMP% and runs from there (so it can delete its own file);
# the program started returns at once. Its end is the Add/Remove Programs entry gone.
uninstall_silently() {
  run_windows "$install_dir\\uninstall.exe" /S
  for _ in $(seq 1 300); do
    "$wine" reg query "$uninstall_key" >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  return 1
}

in_step 0 "the packages build.sh made"
version=$(basename "$setup" | sed -n 's/^x402-dev-\(.*\)-win64-setup\.exe$/\1/p')
zip="$(dirname "$setup")/x402-dev-$version-win64.zip"
listing=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$zip" 2>&1)
for file in bin/x402-dev.exe docs/x402-dev.txt LICENSE.txt; do
  ok "the .zip holds x402-dev-$version-win64/$file" grep -qx "x402-dev-$version-win64/$file" <<<"$listing"
done
ok "the installer's own version resource: ProductVersion $version" \
  [ "$(resource_value "$setup" ProductVersion)" = "$version" ]

in_step 1 "a long PATH, and a service registered from C:\\tools"
default_path=$(machine_path)
long_path=$default_path
for i in $(seq 1 60); do long_path+=";C:\\Tools For Testing\\a long folder name number $i\\bin"; done
"$wine" reg add "$environment_key" /v Path /t REG_EXPAND_SZ /d "$long_path" /f >/dev/null 2>&1
ok "the machine PATH is ${#long_path} characters (over NSIS's 1024)" [ "$(machine_path)" = "$long_path" ]
mkdir -p "$WINEPREFIX/drive_c/tools"
cp "$(dirname "$setup")/x402-dev.exe" "$WINEPREFIX/drive_c/tools/x402-dev.exe"
port1=$(free_port)
run_windows 'C:\tools\x402-dev.exe' mock install
expect_exit 0 "[$step] mock install from C:\\tools"
run_windows 'C:\tools\x402-dev.exe' mock start --port "$port1"
expect_exit 0 "[$step] mock start --port $port1 from C:\\tools"
ok "SCM: RUNNING" [ "$(sc_state)" = RUNNING ]
ok "HTTP 402 on $port1" [ "$(http_status "$port1")" = 402 ]
tools_pid=$(tr -d '\r\n' <"$x402dev_unix/mock-server.pid")

in_step 2 "silent install over it"
install_silently
expect_exit 0 "[$step] the installer"
for file in bin/x402-dev.exe docs/x402-dev.txt docs/LICENSE.txt uninstall.exe; do
  ok "installed $file" [ -s "$install_unix/$file" ]
done
ok "x402-dev.exe's version resource: ProductName x402-dev" \
  [ "$(resource_value "$install_unix/bin/x402-dev.exe" ProductName)" = x402-dev ]
ok "x402-dev.exe's version resource: FileVersion $version" \
  [ "$(resource_value "$install_unix/bin/x402-dev.exe" FileVersion)" = "$version" ]
ok "Add/Remove Programs: DisplayVersion $version" [ "$(reg_value "$uninstall_key" DisplayVersion)" = "$version" ]
ok "docs\\x402-dev.txt is the manual, with Windows line ends" \
  grep -q $'^SYNOPSIS\r$' "$install_unix/docs/x402-dev.txt"
ok "PATH: the long PATH intact, then the bin folder" [ "$(machine_path)" = "$long_path;$install_dir\\bin" ]
for name in DisplayName DisplayVersion Publisher UninstallString QuietUninstallString EstimatedSize; do
  value=$(reg_value "$uninstall_key" "$name")
  ok "Add/Remove Programs: $name = $value" [ -n "$value" ]
done
ok "QuietUninstallString runs the uninstaller with /S" \
  [ "$(reg_value "$uninstall_key" QuietUninstallString)" = "\"$install_dir\\uninstall.exe\" /S" ]
image=$(reg_value "$service_key" ImagePath)
echo "    ImagePath: $image"
ok "the service now runs the installed x402-dev.exe" grep -qF "\"$installed_exe\" mock --launch-spec" <<<"$image"
ok "SCM: RUNNING again (it ran before the install)" [ "$(sc_state)" = RUNNING ]
ok "HTTP 402 on the user's port $port1 (its launch spec kept)" [ "$(http_status "$port1")" = 402 ]
# By its full name: Wine builds a new process's PATH from the registry in a buffer of about
# 1012 characters, so under Wine (not Windows) a shell does not see what lies past that.
run_windows "$installed_exe" mock status
expect_exit 0 "[$step] mock status"
ok "a new server process (was $tools_pid)" is_new "$(status_pid)" "$tools_pid"
ok "status names the windows backend" grep -q 'backend: *windows' <<<"$out"

in_step 3 "silent uninstall while the service runs"
check_uninstalled() {
  if registered; then fail "[$step] the service is removed"; else pass "[$step] the service is removed"; fi
  ok "port $1 refused" [ "$(http_status "$1")" = 000 ]
  ok "Program Files\\x402-dev is gone" [ ! -e "$install_unix" ]
  ok "PATH is as it was before the install, byte for byte" [ "$(machine_path)" = "$2" ]
  ok "the user's .x402dev is kept (log, launch spec)" \
    both_nonempty_files "$x402dev_unix/logs/mock-server.log" "$x402dev_unix/launch-spec.json"
}
if uninstall_silently; then pass "[$step] the uninstaller finished"; else fail "[$step] the uninstaller finished (entry still there after 60 s)"; fi
check_uninstalled "$port1" "$long_path"
ok "C:\\tools\\x402-dev.exe, not the installer's, is left alone" [ -s "$WINEPREFIX/drive_c/tools/x402-dev.exe" ]

in_step 4 "an install that cannot register the service leaves nothing behind"
# .x402dev as a file: `mock install` cannot write the launch spec into it and fails.
mv "$x402dev_unix" "$tmp/x402dev.kept" && echo "not a folder" >"$x402dev_unix"
install_silently
expect_exit 3 "[$step] the installer fails"
ok "no Program Files\\x402-dev" [ ! -e "$install_unix" ]
ok "no Add/Remove Programs entry" absent "$uninstall_key"
ok "no service" absent "$service_key"
ok "PATH unchanged" [ "$(machine_path)" = "$long_path" ]
rm -f "$x402dev_unix" && mv "$tmp/x402dev.kept" "$x402dev_unix"
# The service runs its x402-dev.exe as LocalSystem: a folder any user may write to is refused.
run_windows "$setup" /S '/D=C:\x402-dev'
expect_exit 3 "[$step] an install into C:\\x402-dev (outside Program Files) is refused"
ok "no C:\\x402-dev" [ ! -e "$WINEPREFIX/drive_c/x402-dev" ]
# Another program's service that happens to be called x402-mock is not taken over.
"$wine" sc create x402-mock binPath= 'C:\windows\system32\notepad.exe' >/dev/null 2>&1
install_silently
expect_exit 3 "[$step] the installer refuses another program's x402-mock"
ok "that service still runs its own program" grep -qi 'notepad.exe' <<<"$(reg_value "$service_key" ImagePath)"
ok "no Program Files\\x402-dev" [ ! -e "$install_unix" ]
ok "no Add/Remove Programs entry" absent "$uninstall_key"
"$wine" sc delete x402-mock >/dev/null 2>&1

in_step 5 "silent install on a machine without the service, whose PATH names the folder already"
# The user put the bin folder on PATH themselves: the installer adds nothing, and the
# uninstaller must leave that entry where it is.
user_path="$default_path;$install_dir\\bin"
"$wine" reg add "$environment_key" /v Path /t REG_EXPAND_SZ /d "$user_path" /f >/dev/null 2>&1
install_silently
expect_exit 0 "[$step] the installer"
ok "the service is registered" registered
ok "SCM: STOPPED (installed, not started)" [ "$(sc_state)" = STOPPED ]
ok "start type: manual (SERVICE_DEMAND_START)" [ "$(reg_value "$service_key" Start)" = 0x3 ]
ok "the service runs the installed x402-dev.exe" grep -qF "\"$installed_exe\"" <<<"$(reg_value "$service_key" ImagePath)"
ok "PATH as the user had it (the folder once)" [ "$(machine_path)" = "$user_path" ]
port2=$(free_port)
# The user's settings: a global config with a price of their own.
printf 'mock_server:\n  pricing:\n    per_resource:\n      /api/data: 0.0421\n' >"$x402dev_unix/config.yaml"
run_windows cmd /c "x402-dev mock start --port $port2"
expect_exit 0 "[$step] x402-dev mock start, from a new shell, through PATH"
ok "SCM: RUNNING" [ "$(sc_state)" = RUNNING ]
ok "HTTP 402 on $port2" [ "$(http_status "$port2")" = 402 ]
answer_before=$(payment_required "$port2")
ok "the 402 carries the user's price (42100 units)" grep -q '"amount":"42100"' <<<"$answer_before"
run_windows cmd /c "x402-dev mock status"
expect_exit 0 "[$step] x402-dev mock status"
ok "status names the windows backend" grep -q 'backend: *windows' <<<"$out"
first_pid=$(status_pid)
# A named instance of the installed x402-dev.exe, running too: the upgrade restarts it.
port3=$(free_port)
run_windows "$installed_exe" mock install --name demo
expect_exit 0 "[$step] mock install --name demo"
run_windows "$installed_exe" mock start --name demo --port "$port3"
expect_exit 0 "[$step] mock start --name demo"
ok "x402-mock-demo: RUNNING" [ "$(sc_state x402-mock-demo)" = RUNNING ]
demo_pid=$(tr -d '\r\n' <"$x402dev_unix/instances/demo/mock-server.pid")

in_step 5b "a failed upgrade is undone: the previous x402-dev.exe back, the services running"
# x402-mock unregistered (so the installer registers it again) and its launch spec made a
# folder: `mock install` fails after the files were replaced.
run_windows "$installed_exe" mock uninstall
expect_exit 0 "[$step] mock uninstall (x402-mock)"
exe_inode=$(stat -c %i "$install_unix/bin/x402-dev.exe")
rm -f "$x402dev_unix/launch-spec.json" && mkdir "$x402dev_unix/launch-spec.json"
install_silently
expect_exit 3 "[$step] the installer fails"
ok "bin\\x402-dev.exe is the previous file, put back (inode $exe_inode)" \
  [ "$(stat -c %i "$install_unix/bin/x402-dev.exe")" = "$exe_inode" ]
ok "nothing left aside in bin" [ "$(ls "$install_unix/bin")" = x402-dev.exe ]
ok "x402-mock is not registered" absent "$service_key"
ok "x402-mock-demo, stopped for the upgrade, RUNNING again" [ "$(sc_state x402-mock-demo)" = RUNNING ]
ok "x402-mock-demo answers on $port3" [ "$(http_status "$port3")" = 402 ]
demo_pid=$(tr -d '\r\n' <"$x402dev_unix/instances/demo/mock-server.pid")
rmdir "$x402dev_unix/launch-spec.json"
run_windows "$installed_exe" mock install
expect_exit 0 "[$step] mock install again"
run_windows "$installed_exe" mock start --port "$port2"
expect_exit 0 "[$step] mock start --port $port2 again"
run_windows "$installed_exe" mock status
first_pid=$(status_pid)

in_step 6 "the same installer again, over the running service (upgrade in place)"
install_silently
expect_exit 0 "[$step] the installer"
ok "SCM: RUNNING again" [ "$(sc_state)" = RUNNING ]
ok "HTTP 402 on the same port $port2" [ "$(http_status "$port2")" = 402 ]
ok "the same 402 answer: settings kept" [ "$(payment_required "$port2")" = "$answer_before" ]
run_windows cmd /c "x402-dev mock status"
ok "a new server process (was $first_pid): it was restarted" is_new "$(status_pid)" "$first_pid"
ok "PATH still names the bin folder once" [ "$(entries_of_bin)" = 1 ]
ok "config.yaml kept" grep -q '0.0421' "$x402dev_unix/config.yaml"
ok "x402-mock-demo: RUNNING again, on $port3" [ "$(http_status "$port3")" = 402 ]
ok "x402-mock-demo: a new process (was $demo_pid)" \
  is_new "$(tr -d '\r\n' <"$x402dev_unix/instances/demo/mock-server.pid")" "$demo_pid"

in_step 7 "silent uninstall again"
if uninstall_silently; then pass "[$step] the uninstaller finished"; else fail "[$step] the uninstaller finished (entry still there after 60 s)"; fi
check_uninstalled "$port2" "$user_path"
ok "config.yaml kept" [ -s "$x402dev_unix/config.yaml" ]
ok "port $port3 refused" [ "$(http_status "$port3")" = 000 ]
ok "x402-mock-demo is removed too" absent "HKLM\\System\\CurrentControlSet\\Services\\x402-mock-demo"

in_step 8 "interactive install and uninstall, on a virtual screen"
# Wine's desktop process was started without a screen by the steps above; a new wineserver
# starts one on the virtual screen.
"$wineserver" -k >/dev/null 2>&1; "$wineserver" -w >/dev/null 2>&1
# What a user who double-clicks meets: the licence page, the folder page, the progress and
# finish page. Enter takes the default button of each (I Agree, Install, Close; then
# Uninstall, Close); it is pressed until the installer is done, so a slow page only waits.
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
  display=:$((100 + RANDOM % 800))
  Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  export DISPLAY=$display
  start_wine_prefix
  # press_enter_until COMMAND...: Enter every half second until COMMAND succeeds (60 s at most).
  press_enter_until() {
    for _ in $(seq 1 120); do
      "$@" && return 0
      # Focus on the installer's window first: with no window manager, keys go where focus is.
      xdotool search --onlyvisible --name 'x402-dev' windowfocus %1 >/dev/null 2>&1
      xdotool key Return >/dev/null 2>&1
      sleep 0.5
    done
    return 1
  }
  # Done: the entry written and the installer gone (Wine runs it in the process started here).
  installed() { [ -n "$(reg_value "$uninstall_key" DisplayVersion)" ] && ! kill -0 "$installer" 2>/dev/null; }
  "$wine" "$setup" >/dev/null 2>&1 &
  installer=$!
  ok "the pages lead to an installed x402-dev" press_enter_until installed
  ok "the service is registered" registered
  ok "PATH as the user had it" [ "$(machine_path)" = "$user_path" ]
  "$wine" "$install_dir\\uninstall.exe" >/dev/null 2>&1 &
  ok "the uninstaller's pages remove it" press_enter_until absent "$uninstall_key"
  ok "the service is removed" absent "$service_key"
  ok "Program Files\\x402-dev is gone" [ ! -e "$install_unix" ]
  kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null
else
  echo "skipped: no Xvfb or xdotool (apt-get install xvfb xdotool)"
fi

finish_test "installer test" "$x402dev_unix/logs/mock-server.log"
