#include "base/home_directory.h"

#include <filesystem>

namespace x402 {

Status ChooseHomeDirectory(const std::optional<std::string>& from_environment,
                           const std::function<std::string()>& account_home, std::string* home) {
  const bool from_variable = from_environment && !from_environment->empty();
  const std::string chosen = from_variable ? *from_environment : account_home();
  const std::string source = from_variable ? std::string(HomeVariableName())
                                           : "the account's home directory";
  if (chosen.empty()) {
    return Status::Config(std::string(HomeVariableName()) +
                          " is not set and this account has no home directory")
        .WithHint("set " + std::string(HomeVariableName()) +
                  " to an absolute path, e.g. `export HOME=/home/$(id -un)`");
  }
  if (!std::filesystem::path(chosen).is_absolute()) {
    return Status::Config(source + " '" + chosen + "' is a relative path")
        .WithHint("set " + std::string(HomeVariableName()) +
                  " to an absolute path; x402-dev keeps its state in ~/.x402dev and a relative "
                  "home would move with the current directory");
  }
  *home = chosen;
  return Status::Ok();
}

}  // namespace x402
