// The systemd backend's bus (service/systemd_bus.h) over libsystemd's sd-bus: RAII for the C
// handles, errors as Status, and "run a job and wait for it".
#pragma once

#include <systemd/sd-bus.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "service/systemd_bus.h"

namespace x402 {

struct SdBusCloser {
  void operator()(sd_bus* bus) const { sd_bus_flush_close_unref(bus); }
};
using BusPtr = std::unique_ptr<sd_bus, SdBusCloser>;

struct SdBusMessageUnref {
  void operator()(sd_bus_message* m) const { sd_bus_message_unref(m); }
};
using MessagePtr = std::unique_ptr<sd_bus_message, SdBusMessageUnref>;

/// Translates an sd-bus failure (negative errno plus an optional D-Bus error).
Status FromSdBus(const std::string& context, int r, const sd_bus_error* error);

/// A connection to the user's systemd manager.
class UserManagerBus final : public SystemdBus {
 public:
  /// Connects the way systemctl --user does: the manager's private socket
  /// ($XDG_RUNTIME_DIR/systemd/private) first, then the user bus.
  Status Connect() override;

  Status CallManager(const std::string& method, const std::vector<std::string>& args) override;
  Status RunJob(const std::string& method, const std::string& unit,
                std::chrono::milliseconds timeout, std::string* result) override;
  Status GetUnitString(const std::string& unit, const std::string& interface_name,
                       const std::string& property, std::string* value) override;
  Status GetUnitUint32(const std::string& unit, const std::string& interface_name,
                       const std::string& property, uint32_t* value) override;
  Status GetUnitInt32(const std::string& unit, const std::string& interface_name,
                      const std::string& property, int32_t* value) override;
  Status GetManagerStrings(const std::string& property, std::vector<std::string>* values) override;
  Status SetUnitFileEnabled(const std::string& unit, bool enabled) override;
  Status KillUnit(const std::string& unit) override;

 private:
  /// CallManager, keeping the reply (RunJob reads the job's path from it).
  Status Call(const std::string& method, const std::vector<std::string>& args, MessagePtr* reply);
  std::string UnitPath(const std::string& unit);
  BusPtr bus_;
};

}  // namespace x402
