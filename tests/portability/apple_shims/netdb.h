// Shim of Apple's <netdb.h> for the macOS compile check (see README.md): glibc's POSIX
// declarations, plus the BSD names Apple's header declares by default and Boost.Asio uses
// (glibc hides them under strict POSIX macros). Values as in Apple's <netdb.h>.
#pragma once

#include_next <netdb.h>

#ifndef NI_MAXHOST
#define NI_MAXHOST 1025
#endif
#ifndef NI_MAXSERV
#define NI_MAXSERV 32
#endif
#ifndef HOST_NOT_FOUND
#define HOST_NOT_FOUND 1 /* Authoritative Answer Host not found */
#define TRY_AGAIN 2      /* Non-Authoritative Host not found, or SERVERFAIL */
#define NO_RECOVERY 3    /* Non recoverable errors, FORMERR, REFUSED, NOTIMP */
#define NO_DATA 4        /* Valid name, no data record of requested type */
#endif
