// Shim of <sys/proc.h> for the macOS compile check (see ../README.md): only what x402-dev uses.
#pragma once

#define SZOMB 5  /* p_stat: awaiting collection by parent */
