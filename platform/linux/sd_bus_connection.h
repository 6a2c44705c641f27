// A small C++ face on libsystemd's sd-bus for the calls x402-dev makes to the systemd user
// manager: RAII for the C handles, errors as Status, and "run a job and wait for it".
#pragma once

#include <systemd/sd-bus.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

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
class UserManagerBus {
 public:
  /// Connects the way systemctl --user does: the manager's private socket
  /// ($XDG_RUNTIME_DIR/systemd/private) first, then the user bus.
  static Status Connect(std::unique_ptr<UserManagerBus>* out);

  /// Calls a method of org.freedesktop.systemd1.Manager whose arguments are all strings
  /// (e.g. StartUnit "ss"); |reply| may be null.
  Status CallManager(const char* method, const std::vector<std::string>& args, MessagePtr* reply);

  /// StartUnit / StopUnit / RestartUnit / ReloadUnit |unit| in mode "replace", and waits for
  /// the job's JobRemoved signal. |result| gets the job result ("done", "failed", …); kTimeout
  /// when the job did not finish in |timeout|.
  Status RunJob(const char* method, const std::string& unit, std::chrono::milliseconds timeout,
                std::string* result);

  Status GetUnitString(const std::string& unit, const char* interface, const char* property,
                       std::string* value);
  Status GetUnitUint32(const std::string& unit, const char* interface, const char* property,
                       uint32_t* value);
  Status GetUnitInt32(const std::string& unit, const char* interface, const char* property,
                      int32_t* value);

  /// A string-array property of the manager itself (UnitPath, Environment).
  Status GetManagerStrings(const char* property, std::vector<std::string>* values);

  /// EnableUnitFiles / DisableUnitFiles for |unit|.
  Status SetUnitFileEnabled(const std::string& unit, bool enabled);

  /// KillUnit(unit, "all", signal).
  Status KillUnit(const std::string& unit, int signal);

  sd_bus* get() { return bus_.get(); }

 private:
  explicit UserManagerBus(BusPtr bus) : bus_(std::move(bus)) {}
  std::string UnitPath(const std::string& unit);
  BusPtr bus_;
};

}  // namespace x402
