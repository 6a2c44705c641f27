// Facts fixed at build time: version, compiler, platform, build type.
#pragma once

#include <string_view>

namespace x402 {

std::string_view Version();     // "0.1.0"
std::string_view Compiler();    // "GNU 12.2.0"
std::string_view Platform();    // "Linux x86_64"
std::string_view BuildType();   // "Debug", "RelWithDebInfo", …

}  // namespace x402
