#include "service/state_paths.h"

#include "service/instance.h"

namespace x402 {

StatePaths StatePaths::ForHome(const std::string& home) { return Instance().Paths(home); }

}  // namespace x402
