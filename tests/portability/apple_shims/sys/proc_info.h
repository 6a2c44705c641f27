// Shim of <sys/proc_info.h> for the macOS compile check (see ../README.md): only the names
// x402-dev uses. Structs hold the fields the code reads, with Apple's names and types, not
// Apple's full layout.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#define PROC_ALL_PIDS 1

/* Flavors for proc_pidinfo() */
#define PROC_PIDLISTFDS 1
#define PROC_PIDTBSDINFO 3

/* Flavors for proc_pidfdinfo() */
#define PROC_PIDFDSOCKETINFO 3

/* Descriptor types (proc_fdinfo.proc_fdtype) */
#define PROX_FDTYPE_SOCKET 2

/* TCP states (tcp_sockinfo.tcpsi_state) */
#define TSI_S_LISTEN 1

enum {
  SOCKINFO_GENERIC = 0,
  SOCKINFO_IN = 1,
  SOCKINFO_TCP = 2,
};

struct proc_bsdinfo {
  uint32_t pbi_flags;
  uint32_t pbi_status;  /* p_stat: SZOMB, … */
  uint32_t pbi_xstatus;
  uint32_t pbi_pid;
  uint32_t pbi_ppid;
};

struct proc_fdinfo {
  int32_t proc_fd;
  uint32_t proc_fdtype;
};

struct proc_fileinfo {
  uint32_t fi_openflags;
  uint32_t fi_status;
  off_t fi_offset;
  int32_t fi_type;
  uint32_t fi_guardflags;
};

struct in_sockinfo {
  int insi_fport;  /* foreign port, network byte order */
  int insi_lport;  /* local port, network byte order */
};

struct tcp_sockinfo {
  struct in_sockinfo tcpsi_ini;
  int tcpsi_state;
};

struct socket_info {
  int soi_type;
  int soi_protocol;
  int soi_family;
  int soi_kind;  /* SOCKINFO_* */
  union {
    struct in_sockinfo pri_in;    /* SOCKINFO_IN */
    struct tcp_sockinfo pri_tcp;  /* SOCKINFO_TCP */
  } soi_proto;
};

struct socket_fdinfo {
  struct proc_fileinfo pfi;
  struct socket_info psi;
};
