// The composition root: runs one command and maps its Status to the process exit code.
// This is the only place that knows exit numbers (docs/cli.md#exit-codes-every-command).
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "base/exit_code.h"
#include "base/status.h"
#include "cli/cli.h"
#include "service/lifecycle_environment.h"
#include "host/service_entry.h"

namespace {

// The service managers of this build: the portable direct backend and the OS's own.
class SystemServiceManagers final : public x402::ServiceManagerFactory {
 public:
  std::unique_ptr<x402::ServiceManager> Direct(const x402::Instance&) override {
    return x402::CreateDirectServiceManager();
  }
  std::unique_ptr<x402::ServiceManager> Native(const x402::Instance& instance) override {
    return x402::CreateNativeServiceManager(instance);
  }
};

int ToExitCode(x402::StatusCode code) {
  using x402::StatusCode;
  switch (code) {  // no default: -Wswitch flags a new code without a mapping
    case StatusCode::kOk: return x402::kExitSuccess;
    case StatusCode::kNotFound: return x402::kExitNotFound;
    case StatusCode::kPortInUse: return x402::kExitPortInUse;
    case StatusCode::kUsage:
    case StatusCode::kConfig:
    case StatusCode::kAlreadyRunning:
    case StatusCode::kIo:
    case StatusCode::kServiceManager:
    case StatusCode::kTimeout:
    case StatusCode::kInternal: return x402::kExitOtherError;
  }
  return x402::kExitOtherError;  // not reached
}

// Runs one command; the exit code of every way it can end, including a bug.
int RunCli(const std::vector<std::string>& args) {
  static SystemServiceManagers managers;
  x402::Cli cli(args, &managers);
  try {
    const x402::Status status = cli.Run();
    cli.Report(status);
    return ToExitCode(status.code());
  } catch (const std::exception& e) {
    // Last resort: a bug. Never exit 0 on it, never show a stack trace.
    cli.Report(x402::Status::Internal("unexpected internal error")
                   .WithHint("please report it with the output of --debug")
                   .WithDetail(e.what()));
  } catch (...) {
    cli.Report(x402::Status::Internal("unexpected internal error"));
  }
  return x402::kExitOtherError;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto code = x402::RunAsNativeService(argc, argv, RunCli)) return *code;
  return RunCli(std::vector<std::string>(argv + 1, argv + argc));
}
