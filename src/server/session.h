// One HTTP/1.1 connection of the mock server, as a coroutine on its worker's thread.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>

#include "server/server_shared.h"

namespace x402 {

/// Serves requests on |connection| until the client closes, a timeout or limit is hit, or
/// shutdown. Runs on |worker|'s thread from start to end. Socket failures are error codes that
/// end the connection; an exception from handling a request is answered (414/500) and
/// recorded; whatever else escapes still releases the connection's place in |worker| and is
/// reported by the completion handler the server spawns it with (mock_server.cc).
boost::asio::awaitable<void, ServerExecutor> RunSession(std::shared_ptr<Connection> connection,
                                                        Worker& worker);

/// Tells the client on |connection| that the server is at its connection limit (503 with
/// Retry-After) and closes it, briefly lingering so the answer is not lost to a reset.
boost::asio::awaitable<void, ServerExecutor> RefuseOverCapacity(
    std::shared_ptr<Connection> connection, const ServerShared& shared);

}  // namespace x402
