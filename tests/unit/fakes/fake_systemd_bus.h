// A systemd user manager in memory, behind the SystemdBus seam (service/systemd_bus.h): it
// records every request that asks the manager to do something, answers each job as the test
// scripted it ("done" unless told otherwise), and reads unit and manager properties from
// tables the test fills. So the systemd backend's decisions run without a manager, root or
// Linux; the real manager is tests/integration/systemd_test.cc's.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "service/systemd_bus.h"

namespace x402::testing {

class FakeSystemdBus final : public SystemdBus {
 public:
  /// How one job ends: |status| is RunJob's answer (kTimeout: not finished in time), |result|
  /// the JobRemoved result when it finished.
  struct Job {
    Status status = Status::Ok();
    std::string result = "done";
  };

  // --- what the test scripts ---
  Status connect_result = Status::Ok();
  /// Manager methods that fail (GetDefaultTarget, Reload, …); the others succeed.
  std::map<std::string, Status> manager_failures;
  /// The answers to each job method ("StartUnit", "StopUnit", …), in order; once a method's
  /// answers are used up its jobs end "done".
  std::map<std::string, std::deque<Job>> jobs;
  /// Unit properties by name (ActiveState, MainPID, ExecMainStatus, Result, …); a property
  /// not listed cannot be read.
  std::map<std::string, std::string> unit_strings;
  std::map<std::string, uint32_t> unit_uint32s;
  std::map<std::string, int32_t> unit_int32s;
  /// The manager's own properties (UnitPath, Environment); one not listed cannot be read.
  std::map<std::string, std::vector<std::string>> manager_strings;
  Status kill_result = Status::Ok();
  /// Runs after each request is recorded and before it is answered (a "server" that comes up
  /// when its start job runs, a test that looks at the files at that moment).
  std::function<void(const std::string& request)> on_request;

  // --- what the test reads ---
  /// Every request, in order: "ResetFailedUnit x402-mock.service", "StartUnit
  /// x402-mock.service", "KillUnit x402-mock.service SIGKILL", "EnableUnitFiles …", "Reload", …
  std::vector<std::string> requests;
  /// The timeout of each RunJob, in the order of the jobs.
  std::vector<std::chrono::milliseconds> job_timeouts;
  /// Every property read: "x402-mock.service MainPID", "manager UnitPath".
  std::vector<std::string> reads;
  int connect_attempts = 0;

  Status Connect() override {
    ++connect_attempts;
    if (connect_result.ok()) connected_ = true;
    return connect_result;
  }

  Status CallManager(const std::string& method, const std::vector<std::string>& args) override {
    std::string request = method;
    for (const std::string& arg : args) request += " " + arg;
    Record(request);
    if (auto it = manager_failures.find(method); it != manager_failures.end()) return it->second;
    return Status::Ok();
  }

  Status RunJob(const std::string& method, const std::string& unit,
                std::chrono::milliseconds timeout, std::string* result) override {
    job_timeouts.push_back(timeout);
    Record(method + " " + unit);
    Job job;
    if (auto it = jobs.find(method); it != jobs.end() && !it->second.empty()) {
      job = it->second.front();
      it->second.pop_front();
    }
    if (job.status.ok()) *result = job.result;
    return job.status;
  }

  Status GetUnitString(const std::string& unit, const std::string& interface_name,
                       const std::string& property, std::string* value) override {
    return Read(unit_strings, unit, interface_name, property, value);
  }
  Status GetUnitUint32(const std::string& unit, const std::string& interface_name,
                       const std::string& property, uint32_t* value) override {
    return Read(unit_uint32s, unit, interface_name, property, value);
  }
  Status GetUnitInt32(const std::string& unit, const std::string& interface_name,
                      const std::string& property, int32_t* value) override {
    return Read(unit_int32s, unit, interface_name, property, value);
  }

  Status GetManagerStrings(const std::string& property, std::vector<std::string>* values) override {
    RequireConnection("reading " + property);
    reads.push_back("manager " + property);
    const auto it = manager_strings.find(property);
    if (it == manager_strings.end()) {
      return Status::ServiceManager("reading " + property + ": not set");
    }
    *values = it->second;
    return Status::Ok();
  }

  Status SetUnitFileEnabled(const std::string& unit, bool enabled) override {
    Record((enabled ? "EnableUnitFiles " : "DisableUnitFiles ") + unit);
    return Status::Ok();
  }

  Status KillUnit(const std::string& unit) override {
    Record("KillUnit " + unit + " SIGKILL");
    return kill_result;
  }

 private:
  // A real bus has no manager to talk to before it connects: the backend must connect first.
  void RequireConnection(const std::string& what) {
    if (!connected_) ADD_FAILURE() << what << " before Connect";
  }

  void Record(const std::string& request) {
    RequireConnection(request);
    requests.push_back(request);
    if (on_request) on_request(request);
  }

  // Each property on the interface systemd has it on, as the real manager would insist.
  template <typename T>
  Status Read(const std::map<std::string, T>& table, const std::string& unit,
              const std::string& interface_name, const std::string& property, T* value) {
    RequireConnection("reading " + property);
    reads.push_back(unit + " " + property);
    static const std::map<std::string, std::string> kInterfaceOf = {
        {"ActiveState", kSystemdUnitInterface},       {"SubState", kSystemdUnitInterface},
        {"MainPID", kSystemdServiceInterface},        {"NRestarts", kSystemdServiceInterface},
        {"ExecMainStatus", kSystemdServiceInterface}, {"Result", kSystemdServiceInterface}};
    const auto known = kInterfaceOf.find(property);
    if (known == kInterfaceOf.end() || known->second != interface_name) {
      ADD_FAILURE() << property << " read on " << interface_name;
      return Status::ServiceManager("reading " + property + ": unknown property");
    }
    const auto it = table.find(property);
    if (it == table.end()) return Status::ServiceManager("reading " + property + ": not set");
    *value = it->second;
    return Status::Ok();
  }

  bool connected_ = false;
};

}  // namespace x402::testing
