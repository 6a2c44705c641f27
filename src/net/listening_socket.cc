#include "net/listening_socket.h"

#include "base/port_owner.h"

namespace x402 {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

Status OpenBindListen(const std::string& host, uint16_t port, ListeningAcceptor* acceptor) {
  boost::system::error_code ec;
  const net::ip::address address =
      net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) {
    return Status::Config("cannot listen on '" + host + "': not an IP address")
        .WithHint("use 127.0.0.1 (the default), ::1 or 0.0.0.0");
  }
  const tcp::endpoint endpoint(address, port);
  acceptor->open(endpoint.protocol(), ec);
  if (ec) return Status::Io("cannot open a socket: " + ec.message());
#ifdef _WIN32
  using exclusive_address_use = net::detail::socket_option::boolean<SOL_SOCKET, SO_EXCLUSIVEADDRUSE>;
  acceptor->set_option(exclusive_address_use(true), ec);
#else
  acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
#endif
  acceptor->bind(endpoint, ec);
  if (ec) return BindFailure(ec, host, port);
  acceptor->listen(net::socket_base::max_listen_connections, ec);
  // listen() re-checks the port: another socket bound to it (not yet listening) fails here.
  if (ec) return BindFailure(ec, host, port);
  return Status::Ok();
}

}  // namespace

Status OpenListeningSocket(const std::string& host, uint16_t port, ListeningAcceptor* acceptor) {
  Status status = OpenBindListen(host, port, acceptor);
  if (!status.ok()) {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  }
  return status;
}

Status BindFailure(const boost::system::error_code& ec, const std::string& host, uint16_t port) {
  if (ec == net::error::address_in_use) {
    std::string message = "port " + std::to_string(port) + " is in use";
    if (auto owner = FindPortOwner(port)) {
      message += " by PID " + std::to_string(owner->pid) + " (" + owner->name + ")";
    }
    return Status::PortInUse(std::move(message))
        .WithHint("choose another port with --port, or stop the process that holds it");
  }
  if (ec == net::error::access_denied) {
    return Status::Io("permission denied binding " + host + ":" + std::to_string(port))
        .WithHint("ports below 1024 need privileges; use a port such as 3402");
  }
  if (ec == boost::system::errc::address_not_available) {
    return Status::Config("cannot listen on " + host + ": not an address of this machine")
        .WithHint("use 127.0.0.1 (the default), ::1 or 0.0.0.0");
  }
  return Status::Io("cannot bind " + host + ":" + std::to_string(port) + ": " + ec.message());
}

}  // namespace x402
