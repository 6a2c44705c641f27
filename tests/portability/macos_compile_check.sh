#!/usr/bin/env bash
# The macOS compile check (ctest portability.macos_posix; docs/platforms.md says what it proves
# and what it cannot). Compiles, syntax only, every translation unit a macOS build compiles
# (the list CMake derives in tests/portability/CMakeLists.txt) with glibc limited to POSIX.1-2008
# + XSI and the Apple headers replaced by declaration shims, so that a Linux-only call (pipe2,
# close_range, accept4, syscall, …) in a file macOS builds is an error here as it is on a Mac.
#
# g++ defines _GNU_SOURCE for C++ on glibc (libstdc++ wants it), which would declare every GNU
# extension; -U_GNU_SOURCE undoes that before the strict macros take effect. So that the check
# cannot quietly stop meaning anything (a compiler or glibc that ignores the macros), it first
# compiles a few canaries that call Linux-only functions: each must compile without the strict
# macros and fail with them, or the check fails.
#
# Then a scan of the same files and the project headers they include, for what compiles anywhere
# but only works on Linux: Linux-only headers, /proc paths, and __linux__ / __APPLE__ blocks (the
# split is per file, so that this check compiles what the Mac compiles).
set -euo pipefail

compiler="" units="" args="" compiler_includes="" shims="" source_root=""
while [ $# -gt 0 ]; do
  case "$1" in
    --compiler) compiler="$2"; shift 2 ;;
    --units) units="$2"; shift 2 ;;
    --args) args="$2"; shift 2 ;;
    --compiler-includes) compiler_includes="$2"; shift 2 ;;
    --shims) shims="$2"; shift 2 ;;
    --source-root) source_root="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for v in compiler units args compiler_includes shims source_root; do
  [ -n "${!v}" ] || { echo "missing --${v//_/-}" >&2; exit 2; }
done

here=$(cd "$(dirname "$0")" && pwd)
strict=(-std=c++20 -fsyntax-only -Werror -U_GNU_SOURCE -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700
        -include "$here/libstdcxx_without_gnu.h")

# The real build's include directories, definitions and warnings, minus
# - the compiler's own include directories: an -I/usr/include would break libstdc++'s
#   #include_next;
# - feature-test macros. They come from the Linux packages' CMake files (Debian's Poco exports
#   _XOPEN_SOURCE=500, _LARGEFILE64_SOURCE, _REENTRANT, …), describe this host, not a Mac, and
#   _LARGEFILE64_SOURCE alone would declare Linux's open64/lseek64 family.
mapfile -t implicit < "$compiler_includes"
feature_macro='^-D(_GNU_SOURCE|_DEFAULT_SOURCE|_BSD_SOURCE|_SVID_SOURCE|_XOPEN_SOURCE|_XOPEN_SOURCE_EXTENDED|_POSIX_C_SOURCE|_POSIX_SOURCE|_LARGEFILE_SOURCE|_LARGEFILE64_SOURCE|_FILE_OFFSET_BITS|_ISOC99_SOURCE|_ISOC11_SOURCE|_REENTRANT|_THREAD_SAFE|_DARWIN_C_SOURCE)(=|$)'
build_args=()
while IFS= read -r arg; do
  [ -n "$arg" ] || continue
  skip=0
  for dir in "${implicit[@]}"; do
    [ "$arg" = "-I$dir" ] && skip=1
  done
  [[ "$arg" =~ $feature_macro ]] && skip=1
  [ "$skip" = 1 ] || build_args+=("$arg")
done < "$args"
mapfile -t unit_list < <(grep -v '^$' "$units")
[ "${#unit_list[@]}" -gt 0 ] || { echo "no translation units in $units" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# --- 1. the canaries: the strict macros must hide what Linux alone declares ------------------
canary() {  # name, code
  local file="$work/canary_$1.cc"
  printf '%s\n' "$2" > "$file"
  if ! "$compiler" -std=c++20 -fsyntax-only "$file" 2> "$work/canary_$1.loose"; then
    echo "FAIL canary $1: does not compile even without the strict macros:"
    cat "$work/canary_$1.loose"
    failures=$((failures + 1))
  elif "$compiler" "${strict[@]}" -isystem "$shims" "$file" 2> /dev/null; then
    echo "FAIL canary $1: compiles with the strict macros, so this check would not catch it"
    failures=$((failures + 1))
  else
    echo "ok   canary $1 is rejected"
  fi
}
canary pipe2 '#include <fcntl.h>
#include <unistd.h>
int f() { int fds[2]; return pipe2(fds, O_CLOEXEC); }'
canary close_range '#include <unistd.h>
int f() { return close_range(3, ~0U, 0); }'
canary syscall '#include <unistd.h>
int f() { return static_cast<int>(syscall(0)); }'
canary accept4 '#include <sys/socket.h>
int f(int s) { return accept4(s, nullptr, nullptr, SOCK_CLOEXEC); }'
canary dup3 '#include <fcntl.h>
#include <unistd.h>
int f() { return dup3(3, 4, O_CLOEXEC); }'

# --- 2. every macOS translation unit, syntax only, two at a time ---------------------------
compile() {  # index, unit
  local log="$work/unit_$1.log"
  if "$compiler" "${strict[@]}" -isystem "$shims" "${build_args[@]}" -H "$2" 2> "$log"; then
    echo "ok   ${2#"$source_root"/}" > "$work/unit_$1.result"
  else
    # The diagnostics, without -H's header tree and its closing include-guard advice.
    { echo "FAIL ${2#"$source_root"/}"
      awk '/^Multiple include guards/ { exit } !/^\.+ / { print "     " $0 }' "$log"
    } > "$work/unit_$1.result"
  fi
}
jobs_max=${X402_CHECK_JOBS:-2}
for i in "${!unit_list[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  compile "$i" "${unit_list[$i]}" &
done
wait
for i in "${!unit_list[@]}"; do
  result=$(cat "$work/unit_$i.result")
  echo "$result"
  case "$result" in FAIL*) failures=$((failures + 1)) ;; esac
done

# --- 3. what compiles anywhere but works only on Linux ------------------------------------
# The files to scan: each unit and every project header it included (-H lists them).
scan_list="$work/scan_list"
printf '%s\n' "${unit_list[@]}" > "$scan_list"
cat "$work"/unit_*.log | sed -n 's/^\.\+ //p' | grep "^$source_root/" >> "$scan_list" || true
sort -u "$scan_list" > "$scan_list.sorted"
linux_only='#[[:space:]]*include[[:space:]]*<(linux/|sys/(epoll|eventfd|signalfd|inotify|timerfd|prctl|syscall|sendfile|sysinfo|pidfd|fanotify)\.h|mntent\.h|systemd/)'
while IFS= read -r file; do
  rel=${file#"$source_root"/}
  if grep -nE "$linux_only" "$file" | sed "s|^|FAIL $rel: Linux-only header: |" | grep .; then
    failures=$((failures + 1))
  fi
  if grep -n '"/proc/' "$file" | sed "s|^|FAIL $rel: /proc does not exist on macOS: |" | grep .; then
    failures=$((failures + 1))
  fi
  if grep -nE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif).*(__linux__|__APPLE__)' "$file" \
      | sed "s|^|FAIL $rel: split Linux and macOS code by file (*_linux.cc / *_macos.cc), not by #if: |" \
      | grep .; then
    failures=$((failures + 1))
  fi
done < "$scan_list.sorted"
echo "scanned $(wc -l < "$scan_list.sorted") files of ours for Linux-only headers, /proc and OS #ifs"

if [ "$failures" -gt 0 ]; then
  echo "macOS compile check: $failures failure(s) in ${#unit_list[@]} translation units"
  exit 1
fi
echo "macOS compile check: ${#unit_list[@]} translation units compile with strict POSIX + Apple shims"
