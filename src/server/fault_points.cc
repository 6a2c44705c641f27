#include "server/fault_points.h"

#include <cstdlib>
#include <string>

namespace x402 {

bool FaultPointArmed(std::string_view name) {
  static const std::string armed = [] {
    const char* value = std::getenv("X402_DEV_TEST_FAULTS");
    return value == nullptr ? std::string() : "," + std::string(value) + ",";
  }();
  if (armed.empty()) return false;
  return armed.find("," + std::string(name) + ",") != std::string::npos;
}

}  // namespace x402
