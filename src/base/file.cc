#include "base/file.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace x402 {

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::random_device random;
  const std::string temporary = path + ".tmp" + std::to_string(random());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      return Status::Io("cannot write " + temporary);
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return Status::Io("cannot replace " + path);
  }
  return Status::Ok();
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace x402
