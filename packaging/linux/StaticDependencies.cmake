# X402_STATIC_LINK: every C++ library linked statically, so a CLI run binds no C++ symbols at
# start-up. `x402-dev mock status` is a whole process start; with Boost, yaml-cpp, Poco and
# libstdc++ as shared libraries that start took ~4 ms, most of it the dynamic loader resolving
# thousands of mangled names (docs/performance.md). What stays dynamic is C: glibc, zlib
# (Poco's; its libpcre is linked only if used, and x402-dev uses none of it), and libsystemd,
# which platform/linux loads only when it talks to systemd.

# Before find_package: Boost's and yaml-cpp's static archives come with Debian's -dev packages;
# Poco's does not, so packaging/linux/build-static-deps.sh builds it once from Debian's source
# package into a cache outside the build tree, and its prefix goes first in the search path.
function(x402_prepare_static_dependencies)
  set(Boost_USE_STATIC_LIBS ON PARENT_SCOPE)
  # A prefix cached by an older configure may predate the static libsecp256k1: ask again.
  if(NOT X402_STATIC_DEPS_PREFIX OR NOT EXISTS "${X402_STATIC_DEPS_PREFIX}/lib/libsecp256k1.a")
    message(STATUS "Static Poco and libsecp256k1: running packaging/linux/build-static-deps.sh (cached after the first run)")
    execute_process(
      COMMAND ${PROJECT_SOURCE_DIR}/packaging/linux/build-static-deps.sh
      OUTPUT_VARIABLE prefix OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "packaging/linux/build-static-deps.sh failed; configure without X402_STATIC_LINK for a dynamically linked build")
    endif()
    string(REGEX REPLACE ".*\n" "" prefix "${prefix}")
    set(X402_STATIC_DEPS_PREFIX "${prefix}" CACHE PATH "Where build-static-deps.sh installed the static Poco and libsecp256k1" FORCE)
  endif()
  # A build tree configured before without X402_STATIC_LINK has the shared Poco cached, one
  # configured by an older version Debian's libsecp256k1.a.
  foreach(var Poco_DIR PocoFoundation_DIR X402_SECP256K1_ARCHIVE)
    if(DEFINED CACHE{${var}} AND NOT "${${var}}" MATCHES "^${X402_STATIC_DEPS_PREFIX}")
      unset(${var} CACHE)
    endif()
  endforeach()
  list(PREPEND CMAKE_PREFIX_PATH "${X402_STATIC_DEPS_PREFIX}")
  set(CMAKE_PREFIX_PATH "${CMAKE_PREFIX_PATH}" PARENT_SCOPE)
endfunction()

# After find_package: point Debian's yaml-cpp target (it names only the .so) at the archive, and
# refuse a shared Poco, which would drag in a second, shared copy of libstdc++. The same for
# libsecp256k1 and Crypto++: pkg-config names -lsecp256k1 / -lcrypto++, which would pick the
# .so. Crypto++'s archive comes with its -dev package; libsecp256k1's is the one
# build-static-deps.sh made (C field arithmetic, see there), never Debian's.
function(x402_check_static_dependencies)
  find_library(X402_SECP256K1_ARCHIVE NAMES libsecp256k1.a
               PATHS "${X402_STATIC_DEPS_PREFIX}/lib" NO_DEFAULT_PATH REQUIRED)
  find_library(X402_CRYPTOPP_ARCHIVE NAMES libcrypto++.a libcryptopp.a REQUIRED)
  set_target_properties(PkgConfig::SECP256K1 PROPERTIES INTERFACE_LINK_LIBRARIES "${X402_SECP256K1_ARCHIVE}")
  set_target_properties(PkgConfig::CRYPTOPP PROPERTIES INTERFACE_LINK_LIBRARIES "${X402_CRYPTOPP_ARCHIVE}")

  find_library(X402_YAML_CPP_ARCHIVE NAMES libyaml-cpp.a REQUIRED)
  get_target_property(configs yaml-cpp IMPORTED_CONFIGURATIONS)
  foreach(config IN LISTS configs)
    set_target_properties(yaml-cpp PROPERTIES
      IMPORTED_LOCATION_${config} "${X402_YAML_CPP_ARCHIVE}"
      IMPORTED_SONAME_${config} "")
  endforeach()

  get_target_property(poco_type Poco::Foundation TYPE)
  if(NOT poco_type STREQUAL "STATIC_LIBRARY")
    message(FATAL_ERROR "X402_STATIC_LINK found a shared Poco (${poco_type}); X402_STATIC_DEPS_PREFIX=${X402_STATIC_DEPS_PREFIX} should hold the static one")
  endif()

  target_link_options(x402_options INTERFACE -static-libstdc++ -static-libgcc)
  # Keep only the code the binary can reach. Crypto++'s archive is one object per source file,
  # and the base classes Keccak_256 needs reach, through their static initialisers, Integer,
  # ASN.1 and the elliptic-curve classes; whole objects pulled in that way took the stripped
  # binary from 3.9 to 7.1 MB and the container image past 10 MB (issue 19). Sections let the
  # linker drop what nothing calls: 5.8 MB, with Boost's and Poco's unused code gone as well.
  target_compile_options(x402_options INTERFACE -ffunction-sections -fdata-sections)
  target_link_options(x402_options INTERFACE -Wl,--gc-sections)
endfunction()
