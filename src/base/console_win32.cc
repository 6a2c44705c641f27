#include <io.h>

#include "base/console.h"

namespace x402 {

bool IsTerminal(std::FILE* stream) { return ::_isatty(::_fileno(stream)) != 0; }

}  // namespace x402
