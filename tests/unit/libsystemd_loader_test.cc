// The sd_* functions platform/linux calls are forwarders into a dlopen()ed libsystemd
// (platform/linux/libsystemd_loader.h). These calls need no bus, so they check the forwarding
// itself; the systemd integration tests (tests/integration/systemd_test.cc) drive the rest,
// the variadic append/read/call_method included, against a real user manager.
#include "libsystemd_loader.h"

#include <gtest/gtest.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace x402 {
namespace {

TEST(LibsystemdLoaderTest, LoadsTheLibraryOnDemand) {
  std::string why;
  EXPECT_TRUE(LoadLibsystemd(&why)) << why;
}

TEST(LibsystemdLoaderTest, ForwardsToTheRealFunctions) {
  // The unit object path systemd's own encoding produces (escaping '-' and '.').
  char* path = nullptr;
  ASSERT_GE(sd_bus_path_encode("/org/freedesktop/systemd1/unit", "x402-mock.service", &path), 0);
  std::unique_ptr<char, decltype(&std::free)> owned(path, &std::free);
  EXPECT_STREQ(path, "/org/freedesktop/systemd1/unit/x402_2dmock_2eservice");

  sd_bus_error error = SD_BUS_ERROR_NULL;
  EXPECT_EQ(sd_bus_error_is_set(&error), 0);
  sd_bus_error_free(&error);
}

TEST(LibsystemdLoaderTest, NotifyWithoutASocketDoesNothing) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_EQ(sd_notify(0, "READY=1"), 0);  // libsystemd's answer: nobody to tell
}

}  // namespace
}  // namespace x402
