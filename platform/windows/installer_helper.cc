// x402-dev-installer-helper.exe: what the Windows installer (packaging/windows/x402-dev.nsi)
// cannot do safely in NSIS script. It is packed into the installer and the uninstaller, run
// from their temporary folder, and never installed.
//
//   path add|remove FOLDER          the machine PATH, every other entry kept byte for byte
//                                   (NSIS strings are 1024 characters: a longer PATH read and
//                                   written back by script would be cut)
//   service stop-all NAME EXE LIST  stop NAME (wherever its x402-dev.exe is) and every service whose
//                                   program is EXE; LIST gets the names of those that ran
//                                   (exit 0: some ran, 1: none did; on a failure the ones
//                                   stopped are started again)
//   service start-listed LIST       start them again through the SCM, waiting until they run
//   service adopt NAME EXE          point a registered x402-dev service at EXE, arguments
//                                   unchanged (exit 1: not registered)
//   service remove-all EXE          stop every service whose program is EXE, then delete them
//                                   (none deleted unless all stopped)
//   service remove NAME EXE         stop and delete NAME if its program is EXE (exit 1: it is not)
//
// Exit codes: 0 done, 1 nothing to do (as said above), 2 bad arguments, 3 failure (said on
// stdout, which the installer shows in its details and log).
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "base/win32_util.h"
#include "scm_status.h"
#include "service/windows_command_line.h"
#include "service/windows_path_list.h"

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

// The registered command line (ImagePath); false when it cannot be read.
bool CommandLineOf(SC_HANDLE service, std::string* command_line) {
  DWORD needed = 0;
  ::QueryServiceConfigW(service, nullptr, 0, &needed);
  if (needed == 0) return false;
  std::vector<BYTE> buffer(needed);
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
  if (!::QueryServiceConfigW(service, config, needed, &needed) ||
      config->lpBinaryPathName == nullptr) {
    return false;
  }
  *command_line = Narrow(config->lpBinaryPathName);
  return true;
}

// Ending a LocalSystem service's process takes SeDebugPrivilege, which an administrator holds
// but has not enabled.
void EnableDebugPrivilege() {
  HANDLE token = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token)) {
    return;
  }
  TOKEN_PRIVILEGES privileges{};
  privileges.PrivilegeCount = 1;
  privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  if (::LookupPrivilegeValueW(nullptr, SE_DEBUG_NAME, &privileges.Privileges[0].Luid)) {
    ::AdjustTokenPrivileges(token, FALSE, &privileges, 0, nullptr, nullptr);
  }
  ::CloseHandle(token);
}

// Ends a service's process that ignored the stop control. Its recovery actions are switched
// off for that moment (a killed service is a crashed one to the SCM, which would start it
// again while its files are being replaced) and put back afterwards.
bool EndServiceProcess(SC_HANDLE service, const std::string& name, DWORD pid) {
  std::printf("%s did not stop within 20 s; ending its process %lu\n", name.c_str(),
              static_cast<unsigned long>(pid));
  DWORD needed = 0;
  ::QueryServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, nullptr, 0, &needed);
  std::vector<BYTE> saved(needed);
  const bool have_saved =
      needed != 0 && ::QueryServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS,
                                            saved.data(), needed, &needed);
  // lpsaActions must not be null for cActions = 0 to delete the actions (a null one means
  // "leave them").
  SC_ACTION unused{};
  SERVICE_FAILURE_ACTIONSW none{};
  none.cActions = 0;
  none.lpsaActions = &unused;
  if (have_saved && !::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &none)) {
    Fail("cannot hold off " + name + "'s recovery actions", ::GetLastError());
  }

  EnableDebugPrivilege();
  HANDLE process = ::OpenProcess(PROCESS_TERMINATE, FALSE, pid);
  bool ended = false;
  if (process == nullptr) {
    Fail("cannot open process " + std::to_string(pid), ::GetLastError());
  } else {
    ended = ::TerminateProcess(process, 3) != 0;
    if (!ended) Fail("cannot end process " + std::to_string(pid), ::GetLastError());
    ::CloseHandle(process);
  }
  SERVICE_STATUS_PROCESS status{};
  ended = ended && WaitForServiceState(service, ScmState::kStopped, seconds(10), &status);
  // Actions that restart the service need SERVICE_START on this handle (StopAll opens it so).
  if (have_saved &&
      !::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, saved.data())) {
    Fail("cannot put back " + name + "'s recovery actions", ::GetLastError());
  }
  return ended;
}

// Stops a running service: the stop control, then (as `mock stop` does) its process if it has
// not stopped within 20 s. kNothingToDo when it was not running.
int StopService(SC_HANDLE service, const std::string& name) {
  SERVICE_STATUS_PROCESS status{};
  if (!QueryServiceProcess(service, &status)) return Fail("cannot query " + name, ::GetLastError());
  if (MapScmState(status.dwCurrentState) == ScmState::kStopped) {
    std::printf("%s is not running\n", name.c_str());
    return kNothingToDo;
  }
  SERVICE_STATUS plain{};
  // A service that is starting or already stopping cannot take the control (1061): the wait
  // below sees it through.
  if (!::ControlService(service, SERVICE_CONTROL_STOP, &plain) &&
      ::GetLastError() != ERROR_SERVICE_NOT_ACTIVE &&
      ::GetLastError() != ERROR_SERVICE_CANNOT_ACCEPT_CTRL) {
    return Fail("the SCM refused to stop " + name, ::GetLastError());
  }
  if (!WaitForServiceState(service, ScmState::kStopped, seconds(20), &status)) {
    if (status.dwProcessId == 0 || !EndServiceProcess(service, name, status.dwProcessId)) {
      std::printf("error: %s is still running\n", name.c_str());
      return kFailed;
    }
  }
  std::printf("%s stopped\n", name.c_str());
  return kDone;
}

int StartService(SC_HANDLE service, const std::string& name) {
  if (!::StartServiceW(service, 0, nullptr) &&
      ::GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
    return Fail("the SCM refused to start " + name, ::GetLastError());
  }
  SERVICE_STATUS_PROCESS status{};
  if (!WaitForServiceState(service, ScmState::kRunning, seconds(30), &status)) {
    std::printf("error: %s did not start (exit code %d); see its log\n", name.c_str(),
                ServiceExitCode(status.dwWin32ExitCode, status.dwServiceSpecificExitCode));
    return kFailed;
  }
  std::printf("%s started, PID %lu\n", name.c_str(),
              static_cast<unsigned long>(status.dwProcessId));
  return kDone;
}

class Scm {
 public:
  Scm() : manager_(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT |
                                                          SC_MANAGER_ENUMERATE_SERVICE)) {}
  bool ok() const { return static_cast<bool>(manager_); }
  // An empty handle when |name| is not registered (or not ours to open).
  ScHandle Open(const std::string& name, DWORD access) const {
    return ScHandle(::OpenServiceW(manager_.get(), Wide(name).c_str(), access));
  }

  // The names of the services whose program is |exe|: x402-mock and the named instances
  // registered from that x402-dev.exe. False when the SCM cannot list them.
  bool ServicesRunning(const std::string& exe, std::vector<std::string>* names) const {
    std::vector<BYTE> buffer(64 * 1024);
    DWORD resume = 0;
    for (;;) {  // one batch per call; ERROR_MORE_DATA means more batches follow
      DWORD needed = 0, count = 0;
      const BOOL last = ::EnumServicesStatusExW(
          manager_.get(), SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL, buffer.data(),
          static_cast<DWORD>(buffer.size()), &needed, &count, &resume, nullptr);
      if (!last && ::GetLastError() != ERROR_MORE_DATA) return false;
      const auto* entries = reinterpret_cast<const ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
      for (DWORD i = 0; i < count; ++i) {
        const std::string name = Narrow(entries[i].lpServiceName);
        ScHandle service = Open(name, SERVICE_QUERY_CONFIG);
        std::string command_line;
        if (service && CommandLineOf(service.get(), &command_line) &&
            SameWindowsPath(CommandLineProgram(command_line), exe)) {
          names->push_back(name);
        }
      }
      if (last) return true;
      // Not even one entry fitted: a bigger buffer for the next batch.
      if (count == 0) buffer.resize(std::max<std::size_t>(buffer.size() * 2, needed));
    }
  }

 private:
  ScHandle manager_;
};

// Stops |names| that run (each once); |stopped| gets those it stopped. On a failure the ones
// already stopped are started again, so that a refused upgrade or uninstall changes nothing.
int StopAll(const Scm& scm, const std::vector<std::string>& names,
            std::vector<std::string>* stopped) {
  for (const std::string& name : names) {
    if (std::find(stopped->begin(), stopped->end(), name) != stopped->end()) continue;
    ScHandle service = scm.Open(name, SERVICE_QUERY_STATUS | SERVICE_STOP | SERVICE_START |
                                          SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG);
    if (!service) {
      if (::GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST) continue;
      Fail("cannot open " + name, ::GetLastError());
    }
    const int result = service ? StopService(service.get(), name) : kFailed;
    if (result == kDone) stopped->push_back(name);
    if (result == kFailed) {
      for (const std::string& again : *stopped) {
        ScHandle restart = scm.Open(again, SERVICE_QUERY_STATUS | SERVICE_START);
        if (restart) StartService(restart.get(), again);
      }
      stopped->clear();
      return kFailed;
    }
  }
  return stopped->empty() ? kNothingToDo : kDone;
}

// service stop-all NAME EXE LIST: before files are replaced. NAME only when `mock install`
// registered it: another program's service of that name is refused by adopt, untouched.
int ServiceStopAll(const Scm& scm, const std::string& name, const std::string& exe,
                   const std::string& list_file) {
  std::vector<std::string> names;
  ScHandle named = scm.Open(name, SERVICE_QUERY_CONFIG);
  std::string command_line;
  if (named && CommandLineOf(named.get(), &command_line) &&
      IsX402ServiceCommandLine(command_line)) {
    names.push_back(name);
  }
  if (!scm.ServicesRunning(exe, &names)) return Fail("cannot list the services", ::GetLastError());
  // The list first: services stopped and then not written down would not be started again.
  FILE* list = _wfopen(Wide(list_file).c_str(), L"w");
  if (list == nullptr) return Fail("cannot write " + list_file, ::GetLastError());
  std::vector<std::string> stopped;
  const int result = StopAll(scm, names, &stopped);
  if (result == kNothingToDo) std::printf("no service to stop\n");
  for (const std::string& stopped_name : stopped) std::fprintf(list, "%s\n", stopped_name.c_str());
  std::fclose(list);
  return result;
}

// service start-listed LIST: what stop-all stopped, started again.
int ServiceStartListed(const Scm& scm, const std::string& list_file) {
  FILE* list = _wfopen(Wide(list_file).c_str(), L"r");
  if (list == nullptr) return kNothingToDo;
  int result = kNothingToDo;
  char line[512];
  while (std::fgets(line, sizeof line, list) != nullptr) {
    std::string name(line);
    while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
    if (name.empty()) continue;
    ScHandle service = scm.Open(name, SERVICE_QUERY_STATUS | SERVICE_START);
    const int started = service ? StartService(service.get(), name)
                                : Fail("cannot open " + name, ::GetLastError());
    if (started == kFailed) {
      result = kFailed;
    } else if (result == kNothingToDo) {
      result = kDone;
    }
  }
  std::fclose(list);
  return result;
}

// service adopt NAME EXE: an x402-dev service registered from another folder now runs EXE.
int ServiceAdopt(const Scm& scm, const std::string& name, const std::string& exe) {
  ScHandle service = scm.Open(name, SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG);
  if (!service) {
    if (::GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST) {
      std::printf("%s is not registered\n", name.c_str());
      return kNothingToDo;
    }
    return Fail("cannot open " + name, ::GetLastError());
  }
  std::string command_line;
  if (!CommandLineOf(service.get(), &command_line)) {
    return Fail("cannot read " + name + "'s command line", ::GetLastError());
  }
  const std::string program = CommandLineProgram(command_line);
  if (SameWindowsPath(program, exe)) {
    std::printf("%s already runs %s\n", name.c_str(), exe.c_str());
    return kDone;
  }
  // Only a service `x402-dev mock install` registered: its arguments are the ones the new
  // program understands. Another program's service of that name is not ours to change.
  if (!IsX402ServiceCommandLine(command_line)) {
    std::printf("error: %s runs %s, which is not an x402-dev service; remove it first\n",
                name.c_str(), command_line.c_str());
    return kFailed;
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

// Deletes |names| (all stopped). One that cannot be deleted stops the deletion: the ones not
// deleted yet are started again if they ran, and what was removed is said.
int DeleteAll(const Scm& scm, const std::vector<std::string>& names,
              const std::vector<std::string>& stopped) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    ScHandle service = scm.Open(names[i], DELETE);
    if (!service || (!::DeleteService(service.get()) &&
                     ::GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE)) {
      Fail("cannot remove " + names[i], ::GetLastError());
      for (std::size_t j = i; j < names.size(); ++j) {
        if (std::find(stopped.begin(), stopped.end(), names[j]) == stopped.end()) continue;
        ScHandle restart = scm.Open(names[j], SERVICE_QUERY_STATUS | SERVICE_START);
        if (restart) StartService(restart.get(), names[j]);
      }
      return kFailed;
    }
    std::printf("%s removed\n", names[i].c_str());
  }
  return kDone;
}

// service remove-all EXE: every service whose program is EXE stopped, then (all of them
// stopped) deleted. One that cannot be stopped leaves every one of them registered.
int ServiceRemoveAll(const Scm& scm, const std::string& exe) {
  std::vector<std::string> names;
  if (!scm.ServicesRunning(exe, &names)) return Fail("cannot list the services", ::GetLastError());
  if (names.empty()) {
    std::printf("no service runs %s\n", exe.c_str());
    return kNothingToDo;
  }
  std::vector<std::string> stopped;
  if (StopAll(scm, names, &stopped) == kFailed) return kFailed;
  return DeleteAll(scm, names, stopped);
}

// service remove NAME EXE: NAME alone, and only if its program is EXE (the undo of a failed
// install removes the service it registered, not the named instances beside it).
int ServiceRemove(const Scm& scm, const std::string& name, const std::string& exe) {
  ScHandle service = scm.Open(name, SERVICE_QUERY_CONFIG);
  std::string command_line;
  if (!service || !CommandLineOf(service.get(), &command_line) ||
      !SameWindowsPath(CommandLineProgram(command_line), exe)) {
    std::printf("%s does not run %s\n", name.c_str(), exe.c_str());
    return kNothingToDo;
  }
  std::vector<std::string> stopped;
  if (StopAll(scm, {name}, &stopped) == kFailed) return kFailed;
  return DeleteAll(scm, {name}, stopped);
}

int Usage() {
  std::printf(
      "usage: x402-dev-installer-helper path add|remove FOLDER\n"
      "       x402-dev-installer-helper service stop-all NAME EXE LIST\n"
      "       x402-dev-installer-helper service start-listed LIST\n"
      "       x402-dev-installer-helper service adopt NAME EXE\n"
      "       x402-dev-installer-helper service remove-all EXE\n"
      "       x402-dev-installer-helper service remove NAME EXE\n");
  return kUsage;
}

int Run(const std::vector<std::string>& args) {
  if (args.size() == 3 && args[0] == "path" && (args[1] == "add" || args[1] == "remove")) {
    return EditPath(args[1] == "add", args[2]);
  }
  if (args.size() < 3 || args[0] != "service") return Usage();
  Scm scm;
  if (!scm.ok()) return Fail("cannot reach the Service Control Manager", ::GetLastError());
  if (args.size() == 5 && args[1] == "stop-all") return ServiceStopAll(scm, args[2], args[3], args[4]);
  if (args.size() == 3 && args[1] == "start-listed") return ServiceStartListed(scm, args[2]);
  if (args.size() == 4 && args[1] == "adopt") return ServiceAdopt(scm, args[2], args[3]);
  if (args.size() == 3 && args[1] == "remove-all") return ServiceRemoveAll(scm, args[2]);
  if (args.size() == 4 && args[1] == "remove") return ServiceRemove(scm, args[2], args[3]);
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
