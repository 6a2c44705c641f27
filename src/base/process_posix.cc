#include <unistd.h>

#include "base/process.h"

namespace x402 {

int64_t CurrentProcessId() { return static_cast<int64_t>(::getpid()); }

}  // namespace x402
