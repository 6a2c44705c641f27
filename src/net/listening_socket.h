// The one way x402-dev binds a listening TCP socket, shared by the server and the port probe so
// that a pre-check and the server agree on what "port in use" means: SO_REUSEADDR on POSIX (a
// previous run's TIME_WAIT leftovers do not count) but never SO_REUSEPORT (a second server must
// fail, not share); SO_EXCLUSIVEADDRUSE on Windows (whose SO_REUSEADDR would let a second
// server steal the port).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>

#include "base/status.h"

namespace x402 {

/// The acceptor both sides use: on an io_context's concrete executor (what the server's
/// per-thread loops run; no type-erased executor on the accept path).
using ListeningAcceptor =
    boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

/// Opens |acceptor| (not yet open) on |host|:|port| ("localhost" means 127.0.0.1), binds it and
/// listens. On failure the acceptor is closed again and the Status says why: kConfig for a host
/// that is not an IP address of this machine, kPortInUse naming the holder when it can be
/// found, kIo otherwise.
Status OpenListeningSocket(const std::string& host, uint16_t port, ListeningAcceptor* acceptor);

/// The Status for a failed bind of |host|:|port|: kPortInUse naming the holder when it can
/// be found, kConfig for an address this machine does not have, kIo otherwise.
Status BindFailure(const boost::system::error_code& ec, const std::string& host, uint16_t port);

}  // namespace x402
