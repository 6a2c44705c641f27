// Finds the process listening on a TCP port through libproc, as lsof does on macOS: every
// process's descriptors (PROC_PIDLISTFDS), then each socket's details (PROC_PIDFDSOCKETINFO),
// looking for a TCP socket in LISTEN state on the port. Processes of other users are not
// visible to an unprivileged caller; they are skipped, and the message then names no holder.
#include <arpa/inet.h>
#include <libproc.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "base/port_owner.h"

namespace x402 {
namespace {

// The descriptors of |pid|, or none when the process is gone or not ours to inspect.
std::vector<proc_fdinfo> OpenDescriptors(pid_t pid) {
  const int bytes = ::proc_pidinfo(pid, PROC_PIDLISTFDS, 0, nullptr, 0);
  if (bytes <= 0) return {};
  std::vector<proc_fdinfo> fds(static_cast<std::size_t>(bytes) / sizeof(proc_fdinfo));
  const int filled = ::proc_pidinfo(pid, PROC_PIDLISTFDS, 0, fds.data(),
                                    static_cast<int>(fds.size() * sizeof(proc_fdinfo)));
  if (filled <= 0) return {};
  fds.resize(static_cast<std::size_t>(filled) / sizeof(proc_fdinfo));
  return fds;
}

bool ListensOn(pid_t pid, uint16_t port) {
  for (const proc_fdinfo& fd : OpenDescriptors(pid)) {
    if (fd.proc_fdtype != PROX_FDTYPE_SOCKET) continue;
    socket_fdinfo socket{};
    if (::proc_pidfdinfo(pid, fd.proc_fd, PROC_PIDFDSOCKETINFO, &socket,
                         static_cast<int>(sizeof socket)) != static_cast<int>(sizeof socket)) {
      continue;  // closed meanwhile
    }
    if (socket.psi.soi_kind != SOCKINFO_TCP) continue;
    const tcp_sockinfo& tcp = socket.psi.soi_proto.pri_tcp;
    // insi_lport holds the port in network byte order (IPv4 and IPv6 alike).
    if (tcp.tcpsi_state == TSI_S_LISTEN &&
        ntohs(static_cast<uint16_t>(tcp.tcpsi_ini.insi_lport)) == port) {
      return true;
    }
  }
  return false;
}

std::string CommandName(pid_t pid) {
  char name[256] = {};
  const int n = ::proc_name(pid, name, sizeof name);
  return n > 0 ? std::string(name, static_cast<std::size_t>(n)) : "unknown";
}

}  // namespace

std::optional<PortOwner> FindPortOwner(uint16_t port) {
  // Asked with no buffer, proc_listpids says how many bytes the PIDs take; a few more make room
  // for processes started between the two calls.
  const int bytes = ::proc_listpids(PROC_ALL_PIDS, 0, nullptr, 0);
  if (bytes <= 0) return std::nullopt;
  std::vector<pid_t> pids(static_cast<std::size_t>(bytes) / sizeof(pid_t) + 32);
  const int filled = ::proc_listpids(PROC_ALL_PIDS, 0, pids.data(),
                                     static_cast<int>(pids.size() * sizeof(pid_t)));
  if (filled <= 0) return std::nullopt;
  pids.resize(static_cast<std::size_t>(filled) / sizeof(pid_t));
  for (const pid_t pid : pids) {
    if (pid > 0 && ListensOn(pid, port)) return PortOwner{pid, CommandName(pid)};
  }
  return std::nullopt;
}

}  // namespace x402
