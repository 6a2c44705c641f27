// Shim of Apple's <netinet/in.h> for the macOS compile check (see ../README.md): glibc's POSIX
// declarations, plus the BSD struct Apple's header declares by default and Boost.Asio uses
// (glibc declares it only outside strict POSIX, under its internal __USE_MISC).
#pragma once

#include_next <netinet/in.h>

#ifndef __USE_MISC
struct ip_mreq {
  struct in_addr imr_multiaddr; /* IP multicast address of group */
  struct in_addr imr_interface; /* local IP address of interface */
};
#endif
