// RenderResponse must write exactly what Beast's serializer writes for the answers the router
// builds, or clients would see different bytes on the paid path than on the cached 402.
#include "server/response_wire.h"

#include <gtest/gtest.h>

#include <sstream>

namespace x402 {
namespace {

std::string BeastBytes(const Response& response) {
  std::ostringstream wire;
  wire << response;
  return wire.str();
}

TEST(ResponseWireTest, MatchesBeastForPreparedResponses) {
  Response ok{http::status::ok, 11};
  ok.set(http::field::content_type, "application/json");
  ok.set("PAYMENT-RESPONSE", "eyJzdWNjZXNzIjp0cnVlfQ==");
  ok.set("Access-Control-Expose-Headers", "PAYMENT-RESPONSE, X-PAYMENT-RESPONSE");
  ok.body() = R"({"data":"paid content"})";
  ok.keep_alive(true);
  ok.prepare_payload();

  Response closing{http::status::payment_required, 11};
  closing.body() = "{}";
  closing.keep_alive(false);
  closing.prepare_payload();

  Response old{http::status::bad_request, 10};  // HTTP/1.0 says keep-alive explicitly
  old.keep_alive(true);
  old.prepare_payload();

  Response empty{http::status::no_content, 11};
  Response custom_reason{http::status::ok, 11};
  custom_reason.reason("Fine");

  std::string out = "left over from the previous request";
  for (const Response* r : {&ok, &closing, &old, &empty, &custom_reason}) {
    RenderResponse(*r, &out);
    EXPECT_EQ(out, BeastBytes(*r));
  }
}

}  // namespace
}  // namespace x402
