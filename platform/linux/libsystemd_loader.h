// libsystemd, loaded on first use instead of at every process start.
//
// Linking libsystemd.so.0 means loading it and its seven dependencies (libgcrypt, libzstd,
// liblz4, liblzma, libcap, ...) before main() on every `x402-dev` run — about 1.3 ms of a
// `mock status` that otherwise takes about one (docs/performance.md). So x402-dev does not link
// it: libsystemd_loader.cc defines the few sd_* functions platform/linux calls, with the
// signatures of <systemd/sd-bus.h> and <systemd/sd-daemon.h>, and each forwards to the real one,
// dlopen()ed the first time any is called. systemd's own tools load their optional libraries
// the same way. Callers keep writing plain sd-bus code.
#pragma once

#include <string>

namespace x402 {

/// Loads libsystemd.so.0 if it is not loaded yet. False, with dlerror()'s text in |why|, when
/// the library is not installed (a minimal container): there is then no systemd to talk to, and
/// every forwarded sd-bus call fails with -ENOSYS.
bool LoadLibsystemd(std::string* why);

}  // namespace x402
