#include "net/listening_socket.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/port_probe.h"

namespace x402 {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class ListeningSocketTest : public ::testing::Test {
 protected:
  // Listens on a loopback port the kernel picks (so tests never collide) and returns it.
  uint16_t ListenOnFreePort(ListeningAcceptor* acceptor) {
    const Status s = OpenListeningSocket("127.0.0.1", 0, acceptor);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return acceptor->local_endpoint().port();
  }

  net::io_context ioc_;
};

TEST_F(ListeningSocketTest, ASecondServerOnTheSamePortGetsPortInUseAndNoSocket) {
  ListeningAcceptor first(ioc_.get_executor());
  const uint16_t port = ListenOnFreePort(&first);
  ASSERT_NE(port, 0);

  ListeningAcceptor second(ioc_.get_executor());
  const Status s = OpenListeningSocket("127.0.0.1", port, &second);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse) << s.ToString();
  EXPECT_NE(s.message().find("port " + std::to_string(port) + " is in use"), std::string::npos)
      << s.message();
  EXPECT_FALSE(second.is_open());  // closed again, not left half set up
}

TEST_F(ListeningSocketTest, TheProbeSeesWhatTheServerSees) {
  ListeningAcceptor server(ioc_.get_executor());
  const uint16_t port = ListenOnFreePort(&server);
  EXPECT_EQ(ProbePort("127.0.0.1", port).code(), StatusCode::kPortInUse);
  EXPECT_EQ(ProbePort("localhost", port).code(), StatusCode::kPortInUse);
  server.close();
  const Status free = ProbePort("127.0.0.1", port);
  EXPECT_TRUE(free.ok()) << free.ToString();
}

TEST_F(ListeningSocketTest, AConnectionLeftInTimeWaitDoesNotBlockTheNextServer) {
  ListeningAcceptor server(ioc_.get_executor());
  const uint16_t port = ListenOnFreePort(&server);
  tcp::socket client(ioc_);
  client.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  tcp::socket accepted = server.accept();
  // The server closes first, so its side of the connection goes to TIME_WAIT on |port|.
  accepted.close();
  client.close();
  server.close();

  ListeningAcceptor restarted(ioc_.get_executor());
  const Status s = OpenListeningSocket("127.0.0.1", port, &restarted);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(ListeningSocketTest, AHostThatIsNotAnAddressIsAConfigError) {
  ListeningAcceptor acceptor(ioc_.get_executor());
  const Status s = OpenListeningSocket("example.invalid", 0, &acceptor);
  EXPECT_EQ(s.code(), StatusCode::kConfig) << s.ToString();
  EXPECT_FALSE(acceptor.is_open());
  EXPECT_EQ(ProbePort("example.invalid", 0).code(), StatusCode::kConfig);
}

}  // namespace
}  // namespace x402
