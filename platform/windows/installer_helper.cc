// x402-dev-installer-helper.exe: what the Windows installer (packaging/windows/x402-dev.nsi)
// cannot do safely in NSIS script. It is packed into the installer and the uninstaller, run
// from their temporary folder, and never installed.
//
//   path add|remove FOLDER          the machine PATH, every other entry kept byte for byte
//                                   (NSIS strings are 1024 characters: a longer PATH read and
//                                   written back by script would be cut)
//   service stop NAME               stop it if it runs (exit 0: it was running, 1: it was not)
//   service start NAME              start it through the SCM and wait until it runs
//   service adopt NAME EXE          point a registered service at EXE, arguments unchanged
//                                   (exit 1: not registered)
//   service remove-all EXE          stop and delete every service whose program is EXE
//
// Exit codes: 0 done, 1 nothing to do (as said above), 2 bad arguments, 3 failure (said on
// stdout, which the installer shows in its details and log).
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "base/win32_util.h"
#include "service/windows_command_line.h"
#include "service/windows_path_list.h"
#include "service/windows_service_state.h"

namespace x402 {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kDone = 0;
constexpr int kNothingToDo = 1;
constexpr int kUsage = 2;
constexpr int kFailed = 3;

constexpr const wchar_t* kEnvironmentKey =
    L"SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment";

int Fail(const std::string& what, DWORD error) {
  std::printf("error: %s: %s\n", what.c_str(), Win32ErrorText(error).c_str());
  return kFailed;
}

// The registry functions return their error instead of setting GetLastError().
int Fail(const std::string& what, LSTATUS error) { return Fail(what, static_cast<DWORD>(error)); }

// --- the machine PATH ------------------------------------------------------------------------

struct RegistryValue {
  std::wstring text;
  DWORD type = REG_EXPAND_SZ;  // what Windows itself uses for the machine PATH
};

// Reads the value at whatever length it has (RegGetValueW tells the size first).
LSTATUS ReadPath(HKEY key, RegistryValue* value) {
  DWORD bytes = 0;
  const DWORD flags = RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND;
  LSTATUS status = ::RegGetValueW(key, nullptr, L"Path", flags, &value->type, nullptr, &bytes);
  if (status == ERROR_FILE_NOT_FOUND) return ERROR_SUCCESS;  // no PATH yet: an empty one
  if (status != ERROR_SUCCESS) return status;
  std::vector<wchar_t> buffer(bytes / sizeof(wchar_t) + 1);
  bytes = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
  status = ::RegGetValueW(key, nullptr, L"Path", flags, &value->type, buffer.data(), &bytes);
  if (status != ERROR_SUCCESS) return status;
  value->text.assign(buffer.data());
  return ERROR_SUCCESS;
}

int EditPath(bool add, const std::string& folder) {
  HKEY key = nullptr;
  LSTATUS status = ::RegOpenKeyExW(HKEY_LOCAL_MACHINE, kEnvironmentKey, 0,
                                   KEY_QUERY_VALUE | KEY_SET_VALUE, &key);
  if (status != ERROR_SUCCESS) return Fail("cannot open the machine environment", status);
  std::unique_ptr<std::remove_pointer_t<HKEY>, decltype(&::RegCloseKey)> owner(key,
                                                                             &::RegCloseKey);
  RegistryValue path;
  status = ReadPath(key, &path);
  if (status != ERROR_SUCCESS) return Fail("cannot read the machine PATH", status);

  const std::string before = Narrow(path.text);
  const std::string after = add ? PathListAppend(before, folder) : PathListRemove(before, folder);
  if (after == before) {
    std::printf("PATH already %s %s\n", add ? "names" : "does not name", folder.c_str());
    return kNothingToDo;
  }
  const std::wstring value = Wide(after);
  if (value.size() > kWindowsEnvironmentValueMax) {
    std::printf("error: PATH would be %zu characters, over Windows's %zu; it was not changed. "
                "Add %s to PATH yourself.\n",
                value.size(), kWindowsEnvironmentValueMax, folder.c_str());
    return kFailed;
  }
  status = ::RegSetValueExW(key, L"Path", 0, path.type,
                            reinterpret_cast<const BYTE*>(value.c_str()),
                            static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t)));
  if (status != ERROR_SUCCESS) return Fail("cannot write the machine PATH", status);
  // New shells read the new PATH; Explorer (which starts them) learns it from this broadcast.
  ::SendMessageTimeoutW(HWND_BROADCAST, WM_SETTINGCHANGE, 0,
                        reinterpret_cast<LPARAM>(L"Environment"), SMTO_ABORTIFHUNG, 5000, nullptr);
  std::printf("PATH %s %s\n", add ? "now names" : "no longer names", folder.c_str());
  return kDone;
}

// --- services --------------------------------------------------------------------------------

bool Query(SC_HANDLE service, SERVICE_STATUS_PROCESS* status) {
  DWORD needed = 0;
  return ::QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO,
                                reinterpret_cast<LPBYTE>(status), sizeof *status, &needed) != 0;
}

// Polls until the service is in |wanted| or |timeout| passes; false on timeout or error.
bool WaitFor(SC_HANDLE service, ScmState wanted, milliseconds timeout,
             SERVICE_STATUS_PROCESS* last) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!Query(service, last)) return false;
    const ScmState state = MapScmState(last->dwCurrentState);
    if (state == wanted) return true;
    // Starting can end only in RUNNING or STOPPED: a stop during start is a failed start.
    if (wanted == ScmState::kRunning && state == ScmState::kStopped) return false;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
}

std::string CommandLineOf(SC_HANDLE service) {
  DWORD needed = 0;
  ::QueryServiceConfigW(service, nullptr, 0, &needed);
  std::vector<BYTE> buffer(needed);
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
  if (needed == 0 || !::QueryServiceConfigW(service, config, needed, &needed) ||
      config->lpBinaryPathName == nullptr) {
    return std::string();
  }
  return Narrow(config->lpBinaryPathName);
}

// Stops a running service: the stop control, then (as `mock stop` does) the process itself if
// it has not stopped within 20 s. kNothingToDo when it was not running.
int StopService(SC_HANDLE service, const std::string& name) {
  SERVICE_STATUS_PROCESS status{};
  if (!Query(service, &status)) return Fail("cannot query " + name, ::GetLastError());
  if (MapScmState(status.dwCurrentState) == ScmState::kStopped) {
    std::printf("%s is not running\n", name.c_str());
    return kNothingToDo;
  }
  SERVICE_STATUS plain{};
  if (!::ControlService(service, SERVICE_CONTROL_STOP, &plain) &&
      ::GetLastError() != ERROR_SERVICE_NOT_ACTIVE) {
    return Fail("the SCM refused to stop " + name, ::GetLastError());
  }
  if (!WaitFor(service, ScmState::kStopped, seconds(20), &status) && status.dwProcessId != 0) {
    std::printf("%s did not stop within 20 s; ending its process %lu\n", name.c_str(),
                static_cast<unsigned long>(status.dwProcessId));
    HANDLE process = ::OpenProcess(PROCESS_TERMINATE, FALSE, status.dwProcessId);
    if (process != nullptr) {
      ::TerminateProcess(process, 3);
      ::CloseHandle(process);
    }
    if (!WaitFor(service, ScmState::kStopped, seconds(10), &status)) {
      std::printf("error: %s is still running\n", name.c_str());
      return kFailed;
    }
  }
  std::printf("%s stopped\n", name.c_str());
  return kDone;
}

class Scm {
 public:
  Scm() : manager_(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT |
                                                          SC_MANAGER_ENUMERATE_SERVICE)) {}
  bool ok() const { return static_cast<bool>(manager_); }
  SC_HANDLE get() const { return manager_.get(); }
  // An empty handle when |name| is not registered (or not ours to open).
  ScHandle Open(const std::string& name, DWORD access) const {
    return ScHandle(::OpenServiceW(manager_.get(), Wide(name).c_str(), access));
  }

 private:
  ScHandle manager_;
};

int ServiceStop(const Scm& scm, const std::string& name) {
  ScHandle service = scm.Open(name, SERVICE_QUERY_STATUS | SERVICE_STOP);
  if (!service) {
    if (::GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST) {
      std::printf("%s is not registered\n", name.c_str());
      return kNothingToDo;
    }
    return Fail("cannot open " + name, ::GetLastError());
  }
  return StopService(service.get(), name);
}

int ServiceStart(const Scm& scm, const std::string& name) {
  ScHandle service = scm.Open(name, SERVICE_QUERY_STATUS | SERVICE_START);
  if (!service) return Fail("cannot open " + name, ::GetLastError());
  if (!::StartServiceW(service.get(), 0, nullptr) &&
      ::GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
    return Fail("the SCM refused to start " + name, ::GetLastError());
  }
  SERVICE_STATUS_PROCESS status{};
  if (!WaitFor(service.get(), ScmState::kRunning, seconds(30), &status)) {
    std::printf("error: %s did not start (exit code %d); see its log\n", name.c_str(),
                ServiceExitCode(status.dwWin32ExitCode, status.dwServiceSpecificExitCode));
    return kFailed;
  }
  std::printf("%s started again, PID %lu\n", name.c_str(),
              static_cast<unsigned long>(status.dwProcessId));
  return kDone;
}

int ServiceAdopt(const Scm& scm, const std::string& name, const std::string& exe) {
  ScHandle service = scm.Open(name, SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG);
  if (!service) {
    if (::GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST) {
      std::printf("%s is not registered\n", name.c_str());
      return kNothingToDo;
    }
    return Fail("cannot open " + name, ::GetLastError());
  }
  const std::string command_line = CommandLineOf(service.get());
  const std::string program = CommandLineProgram(command_line);
  if (SameWindowsPath(program, exe)) {
    std::printf("%s already runs %s\n", name.c_str(), exe.c_str());
    return kDone;
  }
  const std::wstring adopted = Wide(ReplaceCommandLineProgram(command_line, exe));
  if (!::ChangeServiceConfigW(service.get(), SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                              SERVICE_NO_CHANGE, adopted.c_str(), nullptr, nullptr, nullptr,
                              nullptr, nullptr, nullptr)) {
    return Fail("cannot change " + name + "'s program", ::GetLastError());
  }
  std::printf("%s ran %s; it now runs %s with the same arguments\n", name.c_str(),
              program.c_str(), exe.c_str());
  return kDone;
}

int ServiceRemoveAll(const Scm& scm, const std::string& exe) {
  DWORD needed = 0, count = 0, resume = 0;
  std::vector<BYTE> buffer;
  BOOL listed = FALSE;
  do {  // the list may grow between the sizing call and the reading one: ask again
    buffer.resize(buffer.size() + needed);
    listed = ::EnumServicesStatusExW(scm.get(), SC_ENUM_PROCESS_INFO, SERVICE_WIN32,
                                     SERVICE_STATE_ALL, buffer.data(),
                                     static_cast<DWORD>(buffer.size()), &needed, &count, &resume,
                                     nullptr);
  } while (!listed && ::GetLastError() == ERROR_MORE_DATA && (resume = 0, count = 0, true));
  if (!listed) return Fail("cannot list the services", ::GetLastError());

  const auto* entries = reinterpret_cast<const ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
  std::vector<std::string> ours;
  for (DWORD i = 0; i < count; ++i) {
    const std::string name = Narrow(entries[i].lpServiceName);
    ScHandle service = scm.Open(name, SERVICE_QUERY_CONFIG);
    if (service && SameWindowsPath(CommandLineProgram(CommandLineOf(service.get())), exe)) {
      ours.push_back(name);
    }
  }
  int result = kNothingToDo;
  for (const std::string& name : ours) {
    ScHandle service = scm.Open(name, SERVICE_QUERY_STATUS | SERVICE_STOP | DELETE);
    if (!service) return Fail("cannot open " + name, ::GetLastError());
    if (StopService(service.get(), name) == kFailed) return kFailed;
    if (!::DeleteService(service.get()) && ::GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE) {
      return Fail("cannot remove " + name, ::GetLastError());
    }
    std::printf("%s removed\n", name.c_str());
    result = kDone;
  }
  if (result == kNothingToDo) std::printf("no service runs %s\n", exe.c_str());
  return result;
}

int Usage() {
  std::printf(
      "usage: x402-dev-installer-helper path add|remove FOLDER\n"
      "       x402-dev-installer-helper service stop|start NAME\n"
      "       x402-dev-installer-helper service adopt NAME EXE\n"
      "       x402-dev-installer-helper service remove-all EXE\n");
  return kUsage;
}

int Run(const std::vector<std::string>& args) {
  if (args.size() == 3 && args[0] == "path" && (args[1] == "add" || args[1] == "remove")) {
    return EditPath(args[1] == "add", args[2]);
  }
  if (args.size() < 3 || args[0] != "service") return Usage();
  Scm scm;
  if (!scm.ok()) return Fail("cannot reach the Service Control Manager", ::GetLastError());
  if (args.size() == 3 && args[1] == "stop") return ServiceStop(scm, args[2]);
  if (args.size() == 3 && args[1] == "start") return ServiceStart(scm, args[2]);
  if (args.size() == 4 && args[1] == "adopt") return ServiceAdopt(scm, args[2], args[3]);
  if (args.size() == 3 && args[1] == "remove-all") return ServiceRemoveAll(scm, args[2]);
  return Usage();
}

}  // namespace
}  // namespace x402

int wmain(int argc, wchar_t** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.push_back(x402::Narrow(argv[i]));
  const int code = x402::Run(args);
  std::fflush(stdout);
  return code;
}
