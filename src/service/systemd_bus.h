// The systemd user manager as the systemd backend reaches it: one virtual per D-Bus call the
// backend makes, and nothing more. platform/linux/ implements it over libsystemd; the unit
// tests replace it (tests/unit/fakes/fake_systemd_bus.h), so every decision of the backend
// (src/service/systemd_service_manager.cc) is portable code, compiled into every build and
// unit-tested without a user manager.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace x402 {

/// The D-Bus interfaces whose properties the backend reads.
inline constexpr const char* kSystemdUnitInterface = "org.freedesktop.systemd1.Unit";
inline constexpr const char* kSystemdServiceInterface = "org.freedesktop.systemd1.Service";

class SystemdBus {
 public:
  virtual ~SystemdBus() = default;

  /// Connects to the user's manager the way `systemctl --user` does; once connected, returns
  /// at once. Every other call needs a connection: callers connect first.
  virtual Status Connect() = 0;

  /// Calls a method of org.freedesktop.systemd1.Manager whose arguments are all strings
  /// (GetDefaultTarget, ResetFailedUnit, Reload); the backend needs none of their replies.
  virtual Status CallManager(const std::string& method, const std::vector<std::string>& args) = 0;

  /// StartUnit / StopUnit / RestartUnit / ReloadUnit |unit| in mode "replace", and waits for
  /// the job's JobRemoved signal. |result| gets the job result ("done", "failed", …); kTimeout
  /// when the job did not finish in |timeout| (the job itself stays queued).
  virtual Status RunJob(const std::string& method, const std::string& unit,
                        std::chrono::milliseconds timeout, std::string* result) = 0;

  /// A property of |unit| on |interface_name| (kSystemdUnitInterface, kSystemdServiceInterface).
  /// Not "interface": Windows headers define that word as a macro, and this file is portable.
  virtual Status GetUnitString(const std::string& unit, const std::string& interface_name,
                               const std::string& property, std::string* value) = 0;
  virtual Status GetUnitUint32(const std::string& unit, const std::string& interface_name,
                               const std::string& property, uint32_t* value) = 0;
  virtual Status GetUnitInt32(const std::string& unit, const std::string& interface_name,
                              const std::string& property, int32_t* value) = 0;

  /// A string-array property of the manager itself (UnitPath, Environment).
  virtual Status GetManagerStrings(const std::string& property,
                                   std::vector<std::string>* values) = 0;

  /// EnableUnitFiles / DisableUnitFiles for |unit|, then the manager's Reload.
  virtual Status SetUnitFileEnabled(const std::string& unit, bool enabled) = 0;

  /// KillUnit(unit, "all", SIGKILL): the only signal the backend sends through the manager.
  virtual Status KillUnit(const std::string& unit) = 0;
};

}  // namespace x402
