// The mock server as a Windows service: a Poco::Util::ServerApplication, which speaks the
// Service Control Manager's protocol (the dispatcher, RUNNING, STOP, the exit code) while the
// server itself runs the same foreground code path as every other backend.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <functional>
#include <string>
#include <vector>

namespace x402 {

class X402ServerApplication : public Poco::Util::ServerApplication {
 public:
  /// |server_args|: the CLI arguments of the foreground server (`mock --launch-spec …`);
  /// |run_cli| runs them and returns the exit code.
  X402ServerApplication(std::vector<std::string> server_args,
                        std::function<int(std::vector<std::string>)> run_cli);

 protected:
  int main(const std::vector<std::string>& args) override;

 private:
  std::vector<std::string> server_args_;
  std::function<int(std::vector<std::string>)> run_cli_;
};

}  // namespace x402
