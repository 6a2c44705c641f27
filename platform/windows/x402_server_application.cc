#include "x402_server_application.h"

#include <Poco/Process.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "host/service_entry.h"

namespace x402 {

X402ServerApplication::X402ServerApplication(std::vector<std::string> server_args,
                                             std::function<int(std::vector<std::string>)> run_cli)
    : server_args_(std::move(server_args)), run_cli_(std::move(run_cli)) {}

int X402ServerApplication::main(const std::vector<std::string>&) {
  // The server runs on its own thread; this one waits for the SCM's STOP (or Ctrl+C when run
  // by hand) and then asks the server to stop the way `mock stop` does.
  std::atomic<int> exit_code{0};
  std::thread server([this, &exit_code] {
    exit_code = run_cli_(server_args_);
    // A server that could not start (port in use, bad config) ends the service with its code.
    terminate();
  });
  waitForTerminationRequest();
  try {
    Poco::Process::requestTermination(Poco::Process::id());
  } catch (const Poco::Exception&) {
    // The server has already ended.
  }
  server.join();
  return exit_code;
}

std::optional<int> RunAsNativeService(int argc, char** argv,
                                      const std::function<int(std::vector<std::string>)>& run_cli) {
  // The service's registered command line ends with this marker (see the service manager).
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args.back() != "--windows-service") return std::nullopt;
  args.pop_back();
  _putenv_s("X402_DEV_LAUNCHED_BY", "windows");
  X402ServerApplication app(args, run_cli);
  // Only argv[0] reaches Poco: its own option parser does not know the server's flags.
  return app.run(1, argv);
}

}  // namespace x402
