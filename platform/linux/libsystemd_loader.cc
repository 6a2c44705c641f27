#include "libsystemd_loader.h"

#include <dlfcn.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>

#include <cerrno>
#include <cstdarg>
#include <type_traits>

namespace x402 {
namespace {

constexpr const char* kSoname = "libsystemd.so.0";

struct Library {
  void* handle = nullptr;
  std::string error;
};

const Library& TheLibrary() {
  static const Library library = [] {
    Library loaded;
    loaded.handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
    if (loaded.handle == nullptr) {
      const char* why = ::dlerror();
      loaded.error = why != nullptr ? why : std::string("cannot load ") + kSoname;
    }
    return loaded;
  }();
  return library;
}

// The real function |name| of type F, or null when libsystemd or the symbol is missing.
template <typename F>
F* Resolve(const char* name) {
  const Library& library = TheLibrary();
  if (library.handle == nullptr) return nullptr;
  return reinterpret_cast<F*>(::dlsym(library.handle, name));
}

// What a forwarded call returns when there is no libsystemd: sd-bus's own convention, a
// negative errno for int results and null for handles.
template <typename R>
R Unavailable() {
  if constexpr (std::is_pointer_v<R>) {
    return nullptr;
  } else if constexpr (!std::is_void_v<R>) {
    return -ENOSYS;
  }
}

}  // namespace

bool LoadLibsystemd(std::string* why) {
  const Library& library = TheLibrary();
  if (library.handle == nullptr && why != nullptr) *why = library.error;
  return library.handle != nullptr;
}

}  // namespace x402

// One forwarder per function platform/linux calls. Each resolves its target once (a function-
// local static: thread-safe) and keeps the signature the sd-bus header declares, so a mismatch
// is a compile error.
#define X402_FORWARD(ret, name, params, args)                                    \
  extern "C" ret name params {                                                   \
    using Fn = ret params;                                                       \
    static Fn* const real = x402::Resolve<Fn>(#name);                            \
    if (real == nullptr) return x402::Unavailable<ret>();                        \
    return real args;                                                            \
  }

X402_FORWARD(int, sd_notify, (int unset_environment, const char* state), (unset_environment, state))

X402_FORWARD(int, sd_bus_new, (sd_bus** ret), (ret))
X402_FORWARD(int, sd_bus_set_address, (sd_bus* bus, const char* address), (bus, address))
X402_FORWARD(int, sd_bus_set_bus_client, (sd_bus* bus, int b), (bus, b))
X402_FORWARD(int, sd_bus_start, (sd_bus* bus), (bus))
X402_FORWARD(sd_bus*, sd_bus_flush_close_unref, (sd_bus* bus), (bus))
X402_FORWARD(int, sd_bus_process, (sd_bus* bus, sd_bus_message** r), (bus, r))
X402_FORWARD(int, sd_bus_wait, (sd_bus* bus, uint64_t timeout_usec), (bus, timeout_usec))
X402_FORWARD(int, sd_bus_call,
             (sd_bus* bus, sd_bus_message* m, uint64_t usec, sd_bus_error* ret_error,
              sd_bus_message** reply),
             (bus, m, usec, ret_error, reply))
X402_FORWARD(int, sd_bus_match_signal,
             (sd_bus* bus, sd_bus_slot** ret, const char* sender, const char* path,
              const char* interface, const char* member, sd_bus_message_handler_t callback,
              void* userdata),
             (bus, ret, sender, path, interface, member, callback, userdata))
X402_FORWARD(sd_bus_slot*, sd_bus_slot_unref, (sd_bus_slot* slot), (slot))
X402_FORWARD(int, sd_bus_get_property_trivial,
             (sd_bus* bus, const char* destination, const char* path, const char* interface,
              const char* member, sd_bus_error* ret_error, char type, void* ret_ptr),
             (bus, destination, path, interface, member, ret_error, type, ret_ptr))
X402_FORWARD(int, sd_bus_get_property_string,
             (sd_bus* bus, const char* destination, const char* path, const char* interface,
              const char* member, sd_bus_error* ret_error, char** ret),
             (bus, destination, path, interface, member, ret_error, ret))
X402_FORWARD(int, sd_bus_get_property_strv,
             (sd_bus* bus, const char* destination, const char* path, const char* interface,
              const char* member, sd_bus_error* ret_error, char*** ret),
             (bus, destination, path, interface, member, ret_error, ret))
X402_FORWARD(int, sd_bus_path_encode, (const char* prefix, const char* external_id, char** ret_path),
             (prefix, external_id, ret_path))
X402_FORWARD(int, sd_bus_message_new_method_call,
             (sd_bus* bus, sd_bus_message** m, const char* destination, const char* path,
              const char* interface, const char* member),
             (bus, m, destination, path, interface, member))
X402_FORWARD(sd_bus_message*, sd_bus_message_unref, (sd_bus_message* m), (m))
X402_FORWARD(int, sd_bus_message_append_strv, (sd_bus_message* m, char** l), (m, l))
X402_FORWARD(int, sd_bus_message_appendv, (sd_bus_message* m, const char* types, va_list ap),
             (m, types, ap))
X402_FORWARD(int, sd_bus_message_readv, (sd_bus_message* m, const char* types, va_list ap),
             (m, types, ap))
X402_FORWARD(int, sd_bus_call_methodv,
             (sd_bus* bus, const char* destination, const char* path, const char* interface,
              const char* member, sd_bus_error* ret_error, sd_bus_message** reply,
              const char* types, va_list ap),
             (bus, destination, path, interface, member, ret_error, reply, types, ap))
X402_FORWARD(int, sd_bus_error_is_set, (const sd_bus_error* e), (e))
X402_FORWARD(void, sd_bus_error_free, (sd_bus_error* e), (e))

#undef X402_FORWARD

// The variadic entry points go through their va_list twins, as libsystemd's own do.
extern "C" int sd_bus_message_append(sd_bus_message* m, const char* types, ...) {
  va_list ap;
  va_start(ap, types);
  const int r = sd_bus_message_appendv(m, types, ap);
  va_end(ap);
  return r;
}

extern "C" int sd_bus_message_read(sd_bus_message* m, const char* types, ...) {
  va_list ap;
  va_start(ap, types);
  const int r = sd_bus_message_readv(m, types, ap);
  va_end(ap);
  return r;
}

extern "C" int sd_bus_call_method(sd_bus* bus, const char* destination, const char* path,
                                  const char* interface, const char* member,
                                  sd_bus_error* ret_error, sd_bus_message** reply,
                                  const char* types, ...) {
  va_list ap;
  va_start(ap, types);
  const int r = sd_bus_call_methodv(bus, destination, path, interface, member, ret_error, reply,
                                    types, ap);
  va_end(ap);
  return r;
}
