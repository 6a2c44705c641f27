#include "sd_bus_connection.h"

#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "libsystemd_loader.h"

namespace x402 {
namespace {

constexpr const char* kDestination = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManagerInterface = "org.freedesktop.systemd1.Manager";

// sd_bus_error owns strings; free them whatever happens.
struct ErrorGuard {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  ~ErrorGuard() { sd_bus_error_free(&error); }
};

struct JobWait {
  std::string job;
  bool done = false;
  std::string result;
};

int OnJobRemoved(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* wait = static_cast<JobWait*>(userdata);
  uint32_t id = 0;
  const char* path = nullptr;
  const char* unit = nullptr;
  const char* result = nullptr;
  if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0) return 0;
  if (path != nullptr && wait->job == path) {
    wait->done = true;
    wait->result = result != nullptr ? result : "";
  }
  return 0;
}

Status Open(const std::string& address, BusPtr* out) {
  sd_bus* raw = nullptr;
  int r = sd_bus_new(&raw);
  if (r < 0) return FromSdBus("sd_bus_new", r, nullptr);
  BusPtr bus(raw);
  r = sd_bus_set_address(bus.get(), address.c_str());
  if (r < 0) return FromSdBus("sd_bus_set_address", r, nullptr);
  // The user bus needs the Hello handshake; systemd's private socket is peer-to-peer.
  if (address.find("/systemd/private") == std::string::npos) {
    sd_bus_set_bus_client(bus.get(), 1);
  }
  r = sd_bus_start(bus.get());
  if (r < 0) return FromSdBus("connecting to " + address, r, nullptr);
  *out = std::move(bus);
  return Status::Ok();
}

}  // namespace

Status FromSdBus(const std::string& context, int r, const sd_bus_error* error) {
  std::string message = context + ": ";
  if (error != nullptr && sd_bus_error_is_set(error)) {
    message += error->message != nullptr ? error->message : error->name;
  } else {
    message += std::strerror(-r);
  }
  return Status::ServiceManager(std::move(message));
}

Status UserManagerBus::Connect() {
  if (bus_) return Status::Ok();
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime == nullptr || runtime[0] == '\0') {
    return Status::ServiceManager("XDG_RUNTIME_DIR is not set: no user session");
  }
  std::string why;
  if (!LoadLibsystemd(&why)) return Status::ServiceManager("no libsystemd: " + why);
  BusPtr bus;
  Status s = Open(std::string("unix:path=") + runtime + "/systemd/private", &bus);
  if (!s.ok()) {
    const char* session = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    const std::string address = session != nullptr && session[0] != '\0'
                                    ? std::string(session)
                                    : std::string("unix:path=") + runtime + "/bus";
    Status user_bus = Open(address, &bus);
    if (!user_bus.ok()) return s;
  }
  bus_ = std::move(bus);
  return Status::Ok();
}

Status UserManagerBus::CallManager(const std::string& method,
                                   const std::vector<std::string>& args) {
  return Call(method, args, nullptr);
}

Status UserManagerBus::Call(const std::string& method, const std::vector<std::string>& args,
                            MessagePtr* reply) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus_.get(), &raw, kDestination, kManagerPath,
                                         kManagerInterface, method.c_str());
  if (r < 0) return FromSdBus(method, r, nullptr);
  MessagePtr call(raw);
  for (const std::string& arg : args) {
    r = sd_bus_message_append(call.get(), "s", arg.c_str());
    if (r < 0) return FromSdBus(method, r, nullptr);
  }
  ErrorGuard error;
  sd_bus_message* answer = nullptr;
  r = sd_bus_call(bus_.get(), call.get(), 0, &error.error, &answer);
  if (r < 0) return FromSdBus(method, r, &error.error);
  MessagePtr owned(answer);
  if (reply != nullptr) *reply = std::move(owned);
  return Status::Ok();
}

Status UserManagerBus::RunJob(const std::string& method, const std::string& unit,
                              std::chrono::milliseconds timeout, std::string* result) {
  // Subscribe, and match JobRemoved *before* enqueuing, so a job that finishes at once is
  // not missed (the order systemctl's bus-wait-for-jobs.c uses). No sender filter: on the
  // private socket messages carry none.
  // A second Subscribe on one connection is answered with an error; harmless, so ignored.
  (void)Call("Subscribe", {}, nullptr);
  JobWait wait;
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_match_signal(bus_.get(), &slot, nullptr, kManagerPath, kManagerInterface,
                              "JobRemoved", OnJobRemoved, &wait);
  if (r < 0) return FromSdBus("subscribing to JobRemoved", r, nullptr);
  std::unique_ptr<sd_bus_slot, decltype(&sd_bus_slot_unref)> slot_guard(slot, sd_bus_slot_unref);

  MessagePtr reply;
  Status s = Call(method, {unit, "replace"}, &reply);
  if (!s.ok()) return s;
  const char* job = nullptr;
  r = sd_bus_message_read(reply.get(), "o", &job);
  if (r < 0) return FromSdBus(method, r, nullptr);
  wait.job = job;

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!wait.done) {
    r = sd_bus_process(bus_.get(), nullptr);
    if (r < 0) return FromSdBus("waiting for the " + method + " job", r, nullptr);
    if (r > 0) continue;  // more may be queued
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Status::Timeout(method + " " + unit + " did not finish in time");
    }
    r = sd_bus_wait(bus_.get(), static_cast<uint64_t>(left.count()));
    if (r < 0 && r != -EINTR) return FromSdBus("waiting for systemd", r, nullptr);
  }
  *result = wait.result;
  return Status::Ok();
}

std::string UserManagerBus::UnitPath(const std::string& unit) {
  char* path = nullptr;
  if (sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &path) < 0) return {};
  std::string out = path;
  std::free(path);
  return out;
}

Status UserManagerBus::GetUnitString(const std::string& unit, const std::string& interface_name,
                                     const std::string& property, std::string* value) {
  ErrorGuard error;
  char* text = nullptr;
  const int r = sd_bus_get_property_string(bus_.get(), kDestination, UnitPath(unit).c_str(),
                                           interface_name.c_str(), property.c_str(), &error.error,
                                           &text);
  if (r < 0) return FromSdBus("reading " + property, r, &error.error);
  *value = text != nullptr ? text : "";
  std::free(text);
  return Status::Ok();
}

Status UserManagerBus::GetUnitUint32(const std::string& unit, const std::string& interface_name,
                                     const std::string& property, uint32_t* value) {
  ErrorGuard error;
  const int r = sd_bus_get_property_trivial(bus_.get(), kDestination, UnitPath(unit).c_str(),
                                            interface_name.c_str(), property.c_str(), &error.error,
                                            'u', value);
  if (r < 0) return FromSdBus("reading " + property, r, &error.error);
  return Status::Ok();
}

Status UserManagerBus::GetUnitInt32(const std::string& unit, const std::string& interface_name,
                                    const std::string& property, int32_t* value) {
  ErrorGuard error;
  const int r = sd_bus_get_property_trivial(bus_.get(), kDestination, UnitPath(unit).c_str(),
                                            interface_name.c_str(), property.c_str(), &error.error,
                                            'i', value);
  if (r < 0) return FromSdBus("reading " + property, r, &error.error);
  return Status::Ok();
}

Status UserManagerBus::GetManagerStrings(const std::string& property,
                                         std::vector<std::string>* values) {
  ErrorGuard error;
  char** list = nullptr;
  const int r = sd_bus_get_property_strv(bus_.get(), kDestination, kManagerPath, kManagerInterface,
                                         property.c_str(), &error.error, &list);
  if (r < 0) return FromSdBus("reading " + property, r, &error.error);
  values->clear();
  for (char** item = list; item != nullptr && *item != nullptr; ++item) {
    values->emplace_back(*item);
    std::free(*item);
  }
  std::free(list);
  return Status::Ok();
}

Status UserManagerBus::SetUnitFileEnabled(const std::string& unit, bool enabled) {
  const char* method = enabled ? "EnableUnitFiles" : "DisableUnitFiles";
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus_.get(), &raw, kDestination, kManagerPath,
                                         kManagerInterface, method);
  if (r < 0) return FromSdBus(method, r, nullptr);
  MessagePtr call(raw);
  const char* files[] = {unit.c_str(), nullptr};
  r = sd_bus_message_append_strv(call.get(), const_cast<char**>(files));
  if (r >= 0) {
    // EnableUnitFiles(as files, b runtime, b force); DisableUnitFiles(as files, b runtime).
    r = enabled ? sd_bus_message_append(call.get(), "bb", 0, 1)
                : sd_bus_message_append(call.get(), "b", 0);
  }
  if (r < 0) return FromSdBus(method, r, nullptr);
  ErrorGuard error;
  sd_bus_message* answer = nullptr;
  r = sd_bus_call(bus_.get(), call.get(), 0, &error.error, &answer);
  if (r < 0) return FromSdBus(method, r, &error.error);
  sd_bus_message_unref(answer);
  return Call("Reload", {}, nullptr);
}

Status UserManagerBus::KillUnit(const std::string& unit) {
  ErrorGuard error;
  sd_bus_message* answer = nullptr;
  const int r = sd_bus_call_method(bus_.get(), kDestination, kManagerPath, kManagerInterface,
                                   "KillUnit", &error.error, &answer, "ssi", unit.c_str(), "all",
                                   SIGKILL);
  if (r < 0) return FromSdBus("KillUnit", r, &error.error);
  sd_bus_message_unref(answer);
  return Status::Ok();
}

}  // namespace x402
