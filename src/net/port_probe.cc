#include "net/port_probe.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/listening_socket.h"

namespace x402 {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Status ProbePort(const std::string& host, uint16_t port) {
  net::io_context ioc;
  ListeningAcceptor acceptor(ioc.get_executor());
  return OpenListeningSocket(host, port, &acceptor);  // released when |acceptor| goes
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
