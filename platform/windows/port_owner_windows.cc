// Windows: GetExtendedTcpTable(TCP_TABLE_OWNER_PID_LISTENER) names the owning PID.
#include <winsock2.h>
#include <windows.h>
#include <iphlpapi.h>
#include <tlhelp32.h>

#include <Poco/UnicodeConverter.h>

#include <vector>

#include "base/port_owner.h"

namespace x402 {
namespace {

std::string ProcessName(DWORD pid) {
  HANDLE snapshot = ::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snapshot == INVALID_HANDLE_VALUE) return "unknown";
  // The wide API whatever UNICODE says (Poco's build defines it): names are UTF-16 on Windows.
  PROCESSENTRY32W entry{};
  entry.dwSize = sizeof entry;
  std::string name = "unknown";
  for (BOOL ok = ::Process32FirstW(snapshot, &entry); ok; ok = ::Process32NextW(snapshot, &entry)) {
    if (entry.th32ProcessID == pid) {
      name.clear();
      Poco::UnicodeConverter::toUTF8(entry.szExeFile, name);
      break;
    }
  }
  ::CloseHandle(snapshot);
  return name;
}

}  // namespace

std::optional<PortOwner> FindPortOwner(uint16_t port) {
  ULONG size = 0;
  ::GetExtendedTcpTable(nullptr, &size, FALSE, AF_INET, TCP_TABLE_OWNER_PID_LISTENER, 0);
  std::vector<unsigned char> buffer(size);
  auto* table = reinterpret_cast<MIB_TCPTABLE_OWNER_PID*>(buffer.data());
  if (::GetExtendedTcpTable(table, &size, FALSE, AF_INET, TCP_TABLE_OWNER_PID_LISTENER, 0) !=
      NO_ERROR) {
    return std::nullopt;
  }
  for (DWORD i = 0; i < table->dwNumEntries; ++i) {
    const MIB_TCPROW_OWNER_PID& row = table->table[i];
    if (::ntohs(static_cast<u_short>(row.dwLocalPort)) == port) {
      return PortOwner{static_cast<int64_t>(row.dwOwningPid), ProcessName(row.dwOwningPid)};
    }
  }
  return std::nullopt;
}

}  // namespace x402
