// Binding the way the server binds, so that a pre-check and the server agree on what "port
// in use" means (SO_REUSEADDR on POSIX: TIME_WAIT leftovers do not count as "in use").
#pragma once

#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>

#include "base/status.h"

namespace x402 {

/// The Status for a failed bind of |host|:|port|: kPortInUse naming the holder when it can
/// be found, kConfig for an address this machine does not have, kIo otherwise.
Status BindFailure(const boost::system::error_code& ec, const std::string& host, uint16_t port);

/// Binds and releases |host|:|port|. Ok when a server could bind it now.
Status ProbePort(const std::string& host, uint16_t port);

/// Connects once to |host|:|port| and closes. Ok when the connection was accepted.
Status ProbeConnect(const std::string& host, uint16_t port);

}  // namespace x402
