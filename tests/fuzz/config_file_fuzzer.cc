// Fuzzes the config loader: YAML text → raw settings → validated config. Any input must end in
// a config or a kConfig error that names the file, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_file.h"
#include "config/config_loader.h"
#include "config/payment_options.h"
#include "x402/paywall.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<x402::RawSetting> settings;
  x402::Status s = x402::ParseConfigText(text, "fuzz.yaml", x402::ConfigSource::kProjectFile, &settings);
  if (!s.ok()) {
    if (s.code() != x402::StatusCode::kConfig || s.message().rfind("fuzz.yaml", 0) != 0) __builtin_trap();
    return 0;
  }
  x402::LoadedConfig loaded;
  s = x402::ApplySettings(settings, &loaded);
  if (!s.ok() && s.code() != x402::StatusCode::kConfig) __builtin_trap();
  if (!s.ok()) return 0;
  // The payment options: declared chains, every offer resolved as the server will.
  s = x402::FinishPaymentOptions(&loaded);
  if (!s.ok() && s.code() != x402::StatusCode::kConfig) __builtin_trap();
  if (s.ok()) {
    const x402::Paywall paywall(loaded.config.mock_server);
    if (paywall.RequirementsFor("/fuzz", "http://127.0.0.1/fuzz").empty()) __builtin_trap();
  }
  return 0;
}
