# The macOS port's translation units. A file of its own so that the Linux build can read the
# list without adding this folder: the macOS compile check (tests/portability) compiles them.
set(X402_MACOS_PLATFORM_SOURCES
  service_entry_macos.cc
  native_service_manager_macos.cc
  service_notify_macos.cc
  port_owner_macos.cc)
