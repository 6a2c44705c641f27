# CMake toolchain file: cross-compile for 64-bit Windows with Debian's mingw-w64 (g++-mingw-w64-x86-64).
#
#   cmake -S . -B build/windows --toolchain packaging/windows/mingw-w64-x86_64.cmake \
#         -DCMAKE_PREFIX_PATH=<cross-built dependencies>     (packaging/windows/build.sh does all this)
#
# The -posix flavour of the compiler: its libstdc++ has std::thread and std::mutex (the -win32
# flavour of GCC 12 does not).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(X402_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${X402_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${X402_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${X402_MINGW_TRIPLET}-windres)
# Poco compiles its event-log message table with a message compiler; binutils' windmc is one.
set(CMAKE_MC_COMPILER ${X402_MINGW_TRIPLET}-windmc)

# Look for libraries and headers only in the target's sysroot and the cross-built prefixes,
# never in the build machine's /usr (its glibc headers would clash with mingw's).
set(CMAKE_FIND_ROOT_PATH /usr/${X402_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Prefixes given in CMAKE_PREFIX_PATH are searched as they are, not re-rooted under the sysroot.
list(APPEND CMAKE_FIND_ROOT_PATH ${CMAKE_PREFIX_PATH})

# One self-contained .exe: libgcc, libstdc++ and winpthread linked in, no DLLs beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
