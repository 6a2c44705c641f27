// Windows process primitives. A detached server gets no console (DETACHED_PROCESS), so the
// graceful stop cannot be a console control event: it is the named event that
// Poco::Process::requestTermination() sets and the server watches (platform/windows/).
#ifndef NOMINMAX
#define NOMINMAX  // windows.h must not define min/max macros over std::min/std::max
#endif
#include <windows.h>

#include <Poco/Exception.h>
#include <Poco/Process.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "base/process.h"
#include "base/process_runner.h"
#include "base/win32_util.h"

namespace x402 {
namespace {

constexpr const char* kReadyVariable = "X402_DEV_READY_FD";

// CommandLineToArgvW's quoting rules, so the child sees exactly |argv|.
std::wstring QuoteArgument(const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) return arg;
  std::wstring out = L"\"";
  for (auto it = arg.begin();; ++it) {
    std::size_t backslashes = 0;
    while (it != arg.end() && *it == L'\\') {
      ++it;
      ++backslashes;
    }
    if (it == arg.end()) {
      out.append(backslashes * 2, L'\\');
      break;
    }
    if (*it == L'"') {
      out.append(backslashes * 2 + 1, L'\\');
      out.push_back(*it);
    } else {
      out.append(backslashes, L'\\');
      out.push_back(*it);
    }
  }
  out.push_back(L'"');
  return out;
}

std::wstring CommandLine(const std::vector<std::string>& argv) {
  std::wstring line;
  for (const auto& a : argv) {
    if (!line.empty()) line += L' ';
    line += QuoteArgument(Wide(a));
  }
  return line;
}

// The current environment plus |extra| ("NAME=value"), as a UTF-16 environment block.
std::wstring EnvironmentBlock(const std::vector<std::string>& extra) {
  std::wstring block;
  wchar_t* strings = ::GetEnvironmentStringsW();
  for (const wchar_t* p = strings; p != nullptr && *p != L'\0'; p += wcslen(p) + 1) {
    const std::wstring entry = p;
    if (entry.rfind(Wide(kReadyVariable) + L"=", 0) == 0) continue;
    block += entry;
    block.push_back(L'\0');
  }
  if (strings != nullptr) ::FreeEnvironmentStringsW(strings);
  for (const auto& e : extra) {
    block += Wide(e);
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  return block;
}

Status LastError(const std::string& context) {
  const DWORD code = ::GetLastError();  // before anything else can overwrite it
  return Status::Io(context + ": " + Win32ErrorText(code));
}

// The server creates its reload event as Global\ when it may (a service in session 0 must
// be reachable from the user's session) and as Local\ otherwise (a plain user's server);
// see platform/windows/service_notify_windows.cc.
HANDLE OpenReloadEvent(int64_t pid) {
  const std::wstring suffix = L"x402-dev-reload-" + std::to_wstring(pid);
  for (const wchar_t* scope : {L"Global\\", L"Local\\"}) {
    HANDLE event = ::OpenEventW(EVENT_MODIFY_STATE, FALSE, (scope + suffix).c_str());
    if (event != nullptr) return event;
  }
  return nullptr;
}

}  // namespace

int64_t CurrentProcessId() { return static_cast<int64_t>(::GetCurrentProcessId()); }

std::string CurrentExecutablePath() {
  wchar_t buf[MAX_PATH * 4];
  const DWORD n = ::GetModuleFileNameW(nullptr, buf, static_cast<DWORD>(std::size(buf)));
  return n == 0 ? std::string() : Narrow(std::wstring(buf, n));
}

Status SpawnDetached(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                     const std::string& output_path, DetachedChild* child) {
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE read_end = nullptr, write_end = nullptr;
  if (!::CreatePipe(&read_end, &write_end, &inherit, 0)) return LastError("CreatePipe");
  ::SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);  // only the write end goes over

  // Beside the log, not into it: Poco's FileChannel opens the log for writing with
  // FILE_SHARE_READ only, so a second writer's handle would make that open fail.
  const std::string console_path = output_path + ".console";
  HANDLE log = ::CreateFileW(Wide(console_path).c_str(), FILE_APPEND_DATA,
                             FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, &inherit,
                             OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  HANDLE null_in = ::CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                                 OPEN_EXISTING, 0, nullptr);
  if (log == INVALID_HANDLE_VALUE || null_in == INVALID_HANDLE_VALUE) {
    Status s = LastError("cannot open " + console_path);
    ::CloseHandle(read_end);
    ::CloseHandle(write_end);
    if (log != INVALID_HANDLE_VALUE) ::CloseHandle(log);
    if (null_in != INVALID_HANDLE_VALUE) ::CloseHandle(null_in);
    return s;
  }

  // Exactly these three handles are inherited. Inheriting every inheritable handle would hand
  // the server the caller's own stdout/stderr when they are inheritable pipes (a CI step, a
  // script's $(...)), and whoever reads them would wait for the server to exit.
  HANDLE inherited[] = {null_in, log, write_end};
  SIZE_T list_size = 0;
  ::InitializeProcThreadAttributeList(nullptr, 1, 0, &list_size);
  std::vector<unsigned char> list_storage(list_size);
  auto* attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(list_storage.data());
  bool have_list = ::InitializeProcThreadAttributeList(attributes, 1, 0, &list_size) &&
                   ::UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                               inherited, sizeof inherited, nullptr, nullptr);

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = null_in;
  startup.StartupInfo.hStdOutput = log;
  startup.StartupInfo.hStdError = log;
  startup.lpAttributeList = have_list ? attributes : nullptr;
  std::vector<std::string> env = extra_env;
  env.push_back(std::string(kReadyVariable) + "=" +
                std::to_string(reinterpret_cast<uintptr_t>(write_end)));
  std::wstring environment = EnvironmentBlock(env);
  std::wstring command = CommandLine(argv);
  PROCESS_INFORMATION info{};
  const DWORD flags = DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT |
                      (have_list ? EXTENDED_STARTUPINFO_PRESENT : 0);
  const BOOL created = ::CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, flags,
                                        environment.data(), nullptr, &startup.StartupInfo, &info);
  Status result = created ? Status::Ok() : LastError("cannot start " + argv.front());
  if (have_list) ::DeleteProcThreadAttributeList(attributes);
  ::CloseHandle(write_end);
  ::CloseHandle(log);
  ::CloseHandle(null_in);
  if (!created) {
    ::CloseHandle(read_end);
    return result;
  }
  ::CloseHandle(info.hThread);
  // Kept (ReleaseChild closes it): a PID alone may name another process once this one exits.
  child->process = reinterpret_cast<intptr_t>(info.hProcess);
  child->pid = static_cast<int64_t>(info.dwProcessId);
  child->ready_read = reinterpret_cast<intptr_t>(read_end);
  return Status::Ok();
}

std::optional<std::string> ReadReadinessLine(const DetachedChild& child,
                                             std::chrono::milliseconds timeout) {
  HANDLE pipe = reinterpret_cast<HANDLE>(child.ready_read);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  for (;;) {
    DWORD available = 0;
    if (!::PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr)) {
      return line;  // broken pipe: the child is gone (or closed it)
    }
    if (available > 0) {
      char buf[512];
      DWORD n = 0;
      if (!::ReadFile(pipe, buf, sizeof buf, &n, nullptr) || n == 0) return line;
      line.append(buf, n);
      if (const auto nl = line.find('\n'); nl != std::string::npos) return line.substr(0, nl);
      continue;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Anonymous pipes have no overlapped reads: look again shortly.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::optional<int> ReapChild(const DetachedChild& child, std::chrono::milliseconds timeout) {
  // Through the handle SpawnDetached kept: it names this child even after its PID is reused.
  if (child.process == -1) return std::nullopt;
  HANDLE process = reinterpret_cast<HANDLE>(child.process);
  const DWORD wait = static_cast<DWORD>(std::clamp<int64_t>(timeout.count(), 0, INFINITE - 1));
  if (::WaitForSingleObject(process, wait) != WAIT_OBJECT_0) return std::nullopt;
  DWORD exit_code = 0;
  if (!::GetExitCodeProcess(process, &exit_code)) return std::nullopt;
  return static_cast<int>(exit_code);
}

Status KillChild(const DetachedChild& child) {
  if (child.process == -1) return Status::Internal("no handle of PID " + std::to_string(child.pid));
  // A process that has already exited cannot be terminated again: that is not a failure.
  if (::WaitForSingleObject(reinterpret_cast<HANDLE>(child.process), 0) == WAIT_OBJECT_0) {
    return Status::Ok();
  }
  if (!::TerminateProcess(reinterpret_cast<HANDLE>(child.process), 1)) {
    return LastError("cannot terminate PID " + std::to_string(child.pid));
  }
  return Status::Ok();
}

void CloseReadiness(DetachedChild* child) {
  if (child->ready_read != -1) ::CloseHandle(reinterpret_cast<HANDLE>(child->ready_read));
  child->ready_read = -1;
}

void ReleaseChild(DetachedChild* child) {
  CloseReadiness(child);
  if (child->process != -1) ::CloseHandle(reinterpret_cast<HANDLE>(child->process));
  child->process = -1;
}

Status SendSignal(int64_t pid, ProcessSignal signal) {
  // 0 is the idle process and 4 the kernel: never ours. The guard mirrors the POSIX one.
  if (pid <= 4 || pid > 0xFFFFFFFFll) {
    return Status::Internal("refusing to signal PID " + std::to_string(pid));
  }
  switch (signal) {
    case ProcessSignal::kTerminate:
      try {
        Poco::Process::requestTermination(static_cast<Poco::Process::PID>(pid));
      } catch (const Poco::Exception& e) {
        return Status::Io("cannot ask PID " + std::to_string(pid) + " to stop: " + e.displayText());
      }
      return Status::Ok();
    case ProcessSignal::kKill: {
      HANDLE process = ::OpenProcess(PROCESS_TERMINATE, FALSE, static_cast<DWORD>(pid));
      if (process == nullptr) return LastError("cannot open PID " + std::to_string(pid));
      const BOOL ok = ::TerminateProcess(process, 1);
      ::CloseHandle(process);
      return ok ? Status::Ok() : LastError("cannot terminate PID " + std::to_string(pid));
    }
    case ProcessSignal::kReload: {
      HANDLE event = OpenReloadEvent(pid);
      if (event == nullptr) return LastError("PID " + std::to_string(pid) + " takes no reload request");
      const BOOL ok = ::SetEvent(event);
      ::CloseHandle(event);
      return ok ? Status::Ok() : LastError("cannot signal PID " + std::to_string(pid));
    }
  }
  return Status::Internal("unknown signal");
}

bool ProcessExited(int64_t pid) { return WaitForExit(pid, std::chrono::milliseconds(0)); }

bool WaitForExit(int64_t pid, std::chrono::milliseconds timeout) {
  if (pid <= 4) return true;
  HANDLE process = ::OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
  if (process == nullptr) return ::GetLastError() == ERROR_INVALID_PARAMETER;
  const DWORD wait = static_cast<DWORD>(std::clamp<int64_t>(timeout.count(), 0, INFINITE - 1));
  const bool exited = ::WaitForSingleObject(process, wait) == WAIT_OBJECT_0;
  ::CloseHandle(process);
  return exited;
}

void ReportReadiness(const std::string& line) {
  static bool done = false;
  if (done) return;
  done = true;
  const char* value = std::getenv(kReadyVariable);
  if (value == nullptr) return;
  HANDLE pipe = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(std::strtoull(value, nullptr, 10)));
  const std::string text = line + "\n";
  DWORD written = 0;
  ::WriteFile(pipe, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
  ::CloseHandle(pipe);
}

namespace {

class WindowsProcessRunner final : public ProcessRunner {
 public:
  ProcessResult Run(const std::vector<std::string>& argv) override {
    ProcessResult result;
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    HANDLE read_end = nullptr, write_end = nullptr;
    if (argv.empty() || !::CreatePipe(&read_end, &write_end, &inherit, 0)) return result;
    ::SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = write_end;
    startup.hStdError = write_end;
    std::wstring command = CommandLine(argv);
    PROCESS_INFORMATION info{};
    const BOOL created = ::CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE,
                                          CREATE_NO_WINDOW, nullptr, nullptr, &startup, &info);
    ::CloseHandle(write_end);
    if (created) {
      char buf[4096];
      DWORD n = 0;
      while (::ReadFile(read_end, buf, sizeof buf, &n, nullptr) && n > 0) result.output.append(buf, n);
      ::WaitForSingleObject(info.hProcess, INFINITE);
      DWORD code = 0;
      ::GetExitCodeProcess(info.hProcess, &code);
      result.exit_code = static_cast<int>(code);
      ::CloseHandle(info.hThread);
      ::CloseHandle(info.hProcess);
    }
    ::CloseHandle(read_end);
    return result;
  }
};

}  // namespace

std::optional<uint64_t> RaiseOpenFileLimit() { return std::nullopt; }

std::unique_ptr<ProcessRunner> CreateProcessRunner() {
  return std::make_unique<WindowsProcessRunner>();
}

}  // namespace x402
