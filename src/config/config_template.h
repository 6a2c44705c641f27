// The commented .x402dev.yaml that `x402-dev init` writes.
#pragma once

#include <string>

#include "config/config.h"

namespace x402 {

/// A complete, commented config file holding the values of |config|. Loading it back gives
/// the same configuration (a unit test checks that).
std::string RenderConfigTemplate(const Config& config);

}  // namespace x402
