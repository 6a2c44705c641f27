// Shim of <libproc.h> for the macOS compile check (see README.md): only what x402-dev uses,
// with libproc's signatures.
#pragma once

#include <stdint.h>
#include <sys/proc_info.h>

#ifdef __cplusplus
extern "C" {
#endif

int proc_listpids(uint32_t type, uint32_t typeinfo, void* buffer, int buffersize);
int proc_pidinfo(int pid, int flavor, uint64_t arg, void* buffer, int buffersize);
int proc_pidfdinfo(int pid, int fd, int flavor, void* buffer, int buffersize);
int proc_name(int pid, void* buffer, uint32_t buffersize);

#ifdef __cplusplus
}
#endif
