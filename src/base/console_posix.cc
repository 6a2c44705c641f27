#include <unistd.h>

#include "base/console.h"

namespace x402 {

bool IsTerminal(std::FILE* stream) { return ::isatty(::fileno(stream)) == 1; }

}  // namespace x402
