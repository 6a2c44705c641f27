// Reads one YAML config file into raw settings with their line numbers. This is the only
// place that sees yaml-cpp: its exceptions are caught here and become a Status that names
// the file, the line and the key.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "config/settings.h"

namespace x402 {

/// Parses |path| as a config file of the given layer (|source| is kGlobalFile or
/// kProjectFile). Checks structure and key names (unknown keys get a "did you mean");
/// values are checked later by the settings table. A missing file is kNotFound.
Status ReadConfigFile(const std::string& path, ConfigSource source, std::vector<RawSetting>* out);

/// Same, for YAML text already in memory (|path| is used in messages only).
Status ParseConfigText(const std::string& text, const std::string& path, ConfigSource source,
                       std::vector<RawSetting>* out);

}  // namespace x402
