// Fuzzes what the v2 extensions read from a client (issue 29): a SIGN-IN-WITH-X header through
// parsing, validation and the signature check (sign_in_with_x.h); a payment payload's
// payment-identifier and bazaar declaration (payment_identifier.h, bazaar.h) with the catalog
// that keeps it; a route's discovery declaration as the config gives it; and the discovery
// endpoints' query strings (server/discovery_routes.h). The first byte picks the target. Any
// input must end in an answer, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "server/discovery_routes.h"
#include "x402/extensions/bazaar.h"
#include "x402/extensions/payment_identifier.h"
#include "x402/extensions/sign_in_with_x.h"

namespace {

constexpr int64_t kNowMs = 1'800'000'000'000;

void SignIn(std::string_view header) {
  x402::SiwxPayload payload;
  std::string problem;
  if (!x402::ParseSiwxHeader(header, &payload, &problem)) return;
  (void)x402::ValidateSiwx(payload, "http://127.0.0.1:3402", kNowMs);
  std::string payer;
  (void)x402::VerifySiwxSignature(payload, &payer);
  (void)x402::FormatSiwsMessage(payload);
  static x402::SiwxNonces nonces;
  nonces.Record(payload.nonce, kNowMs);
  (void)nonces.Used(payload.nonce, kNowMs);
}

void Payment(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value payment = boost::json::parse(text, ec);
  if (ec || !payment.is_object()) return;
  const x402::PaymentIdentifier id = x402::ReadPaymentIdentifier(payment.get_object());
  (void)x402::PaymentDigest(payment.get_object());
  static x402::PaymentIdentifierStore store;
  if (id.kind == x402::PaymentIdentifier::Kind::kPresent) {
    std::shared_ptr<const x402::PaymentIdentifierStore::Answer> answer;
    if (store.Begin("fuzz", id.id, x402::PaymentDigest(payment.get_object()), &answer) ==
        x402::PaymentIdentifierStore::Claim::kNew) {
      store.Finish("fuzz", id.id, std::make_shared<x402::PaymentIdentifierStore::Answer>());
    }
  }
  const boost::json::value* requirements = payment.get_object().if_contains("accepted");
  static x402::BazaarCatalog catalog;
  for (int version : {1, 2}) {
    std::string why;
    if (auto found = x402::ExtractDiscovered(payment, requirements != nullptr ? *requirements : payment, version, kNowMs, &why)) {
      (void)found->ToJson();
      catalog.Record(std::move(*found));
    }
  }
  x402::DiscoveryQuery query;
  query.text = "a";
  (void)x402::RenderDiscoveryList(catalog.Find(query, {}), query);
}

void Declaration(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec) return;
  x402::DiscoverySpec spec;
  std::string problem;
  if (x402::ParseDiscoverySpec(value, &spec, &problem)) {
    (void)boost::json::serialize(x402::DeclareDiscovery(spec));
    (void)x402::DiscoverySpecJson(spec);
  }
  x402::SiwxSpec siwx;
  if (x402::ParseSiwxSpec(value, &siwx, &problem)) {
    x402::SiwxChallenge challenge;
    challenge.domain = "127.0.0.1:3402";
    challenge.uri = "http://127.0.0.1:3402/x";
    challenge.nonce = "00112233445566778899aabbccddeeff";
    challenge.issued_at_ms = kNowMs;
    challenge.networks = {"eip155:84532"};
    (void)boost::json::serialize(x402::DeclareSiwx(siwx, challenge));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: SignIn(rest); break;
    case 1: Payment(rest); break;
    case 2: Declaration(rest); break;
    case 3: {
      x402::DiscoveryQuery query;
      std::string problem;
      (void)x402::ParseDiscoveryQuery(rest, data[0] & 0x80, &query, &problem);
      break;
    }
    default: (void)x402::ParseIsoTimeMs(rest); break;
  }
  return 0;
}
