# Sourced by the scripts that build x402-dev's dependencies from Debian's own source packages
# (packaging/linux/build-static-deps.sh, packaging/windows/build-deps.sh): the installed -dev
# package versions, a deb-src entry when the machine has none, and a cache prefix that is
# built once, under a lock, and counts only once its .complete marker is written.
#
# Environment: X402_DEV_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/x402-dev), JOBS (default nproc).

deps_cache=${X402_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/x402-dev}
deps_jobs=${JOBS:-$(nproc)}

deps_log() { echo "$(basename "$0" .sh): $*" >&2; }
deps_die() { deps_log "$*"; exit 1; }

# The versions come from the installed Linux -dev packages, so every build uses the very releases
# the dynamic Linux build does, and computing a cache key needs no network.
deps_source_version() {
  dpkg-query -W -f='${source:Version}' "$1" 2>/dev/null || deps_die "$1 is not installed"
}

# Sets $prefix to $deps_cache/$1/$2 and takes the lock of $deps_cache/$1 (one build at a time:
# CI steps or two shells may ask at once; the second waits and then finds the prefix complete).
# A complete prefix is printed and the script ends there. Otherwise $prefix is emptied and
# $work is a scratch folder, removed when the script exits.
deps_begin() {
  local folder="$deps_cache/$1"
  prefix="$folder/$2"
  mkdir -p "$folder"
  exec 9>"$folder/.lock"
  flock 9
  if [ -f "$prefix/.complete" ]; then
    deps_log "cached: $prefix"
    echo "$prefix"
    exit 0
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  rm -rf "$prefix"
  mkdir -p "$prefix"
}

# Marks $prefix complete and prints it.
deps_finish() {
  touch "$prefix/.complete"
  deps_log "done: $prefix"
  echo "$prefix"
}

# apt-get source needs a deb-src entry for the sources the machine already uses: derived from
# the deb822 file Debian 12 installs (debian.sources) or, on machines set up the older way, from
# the "deb" lines of /etc/apt/sources.list.
deps_ensure_deb_src() {
  local probe=$1
  if apt-get source --print-uris "$probe" >/dev/null 2>&1; then return; fi
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  local deb822=/etc/apt/sources.list.d/debian.sources classic=/etc/apt/sources.list
  if [ -f "$deb822" ]; then
    deps_log "adding deb-src entries (from $deb822) and running apt-get update"
    sed 's/^Types: deb$/Types: deb-src/' "$deb822" |
      $sudo tee /etc/apt/sources.list.d/x402-dev-deb-src.sources >/dev/null
  elif [ -f "$classic" ] && grep -qE '^[[:space:]]*deb[[:space:]]' "$classic"; then
    deps_log "adding deb-src entries (from $classic) and running apt-get update"
    sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$classic" |
      $sudo tee /etc/apt/sources.list.d/x402-dev-deb-src.list >/dev/null
  else
    deps_die "no deb-src entry and neither $deb822 nor deb lines in $classic to derive one from; add deb-src lines for Debian bookworm"
  fi
  $sudo apt-get update -qq
}

# Downloads the source packages "name=version" ... into folder $1.
deps_download_sources() {
  local into=$1; shift
  command -v dpkg-source >/dev/null || deps_die "no dpkg-source (apt-get install dpkg-dev)"
  deps_ensure_deb_src "$1"
  deps_log "downloading Debian sources: $*"
  (cd "$into" && apt-get source --download-only -qq "$@" >/dev/null 2>&1) ||
    deps_die "apt-get source failed (is the Debian mirror reachable?)"
}

# Poco's CMake switches for "only these libraries": every optional library off but the ones
# named in the arguments (e.g. FOUNDATION UTIL).
deps_poco_components() {
  local all="FOUNDATION UTIL XML JSON NET NETSSL NETSSL_WIN CRYPTO JWT DATA DATA_SQLITE DATA_MYSQL
             DATA_POSTGRESQL DATA_ODBC MONGODB REDIS PDF ZIP SEVENZIP ENCODINGS PAGECOMPILER
             PAGECOMPILER_FILE2PAGE ACTIVERECORD ACTIVERECORD_COMPILER APACHECONNECTOR CPPPARSER
             POCODOC TESTS SAMPLES"
  local name wanted
  for name in $all; do
    wanted=OFF
    case " $* " in *" $name "*) wanted=ON ;; esac
    echo "-DENABLE_$name=$wanted"
  done
}
