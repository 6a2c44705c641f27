// Process primitives the portable code needs, one implementation per OS family
// (process_posix.cc, process_win32.cc), as ninja does with subprocess-*.cc.
#pragma once

#include <cstdint>

namespace x402 {

int64_t CurrentProcessId();

}  // namespace x402
