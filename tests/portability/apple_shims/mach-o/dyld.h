// Shim of <mach-o/dyld.h> for the macOS compile check (see ../README.md): only what x402-dev uses.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// 0 on success; -1 when |buf| is too small, with the size needed in *bufsize.
extern int _NSGetExecutablePath(char* buf, uint32_t* bufsize);

#ifdef __cplusplus
}
#endif
