#include "net/port_probe.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/port_owner.h"

namespace x402 {

namespace net = boost::asio;
using tcp = net::ip::tcp;

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

Status ProbePort(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  const net::ip::address address =
      net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) {
    return Status::Config("cannot listen on '" + host + "': not an IP address")
        .WithHint("use 127.0.0.1 (the default), ::1 or 0.0.0.0");
  }
  net::io_context ioc;
  tcp::acceptor acceptor(ioc);
  const tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return Status::Io("cannot open a socket: " + ec.message());
#ifndef _WIN32
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
#endif
  acceptor.bind(endpoint, ec);
  if (ec) return BindFailure(ec, host, port);
  return Status::Ok();
}

Status ProbeConnect(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(host, ec);
  if (ec) return Status::Config("'" + host + "' is not an IP address");
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(address, port), ec);
  if (ec) {
    return Status::Internal("the server reported ready but " + host + ":" + std::to_string(port) +
                            " refused a connection: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace x402
