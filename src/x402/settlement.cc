#include "x402/settlement.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "base/text.h"

namespace x402 {
namespace {

std::string_view NetworkFor(int version, const PaymentRequirements& req) {
  return version == 2 ? std::string_view(req.caip2) : std::string_view(req.network);
}

}  // namespace

std::string FakeTransactionHash(std::string_view nonce) {
  Poco::SHA2Engine sha256(Poco::SHA2Engine::SHA_256);
  sha256.update("x402-dev settlement:");
  sha256.update(nonce.data(), static_cast<unsigned>(nonce.size()));
  return "0x" + Poco::DigestEngine::digestToHex(sha256.digest());
}

std::string RenderSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req) {
  return RenderSettlement(verdict, req, FakeTransactionHash(verdict.nonce));
}

std::string RenderSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req,
                             std::string_view transaction) {
  std::string out = "{\"success\":true,\"transaction\":\"";
  out += transaction;
  out += "\",\"network\":\"";
  out += JsonEscape(NetworkFor(verdict.version, req));
  out += "\",\"payer\":\"";
  out += JsonEscape(verdict.payer);
  out += '"';
  if (verdict.version == 2) {
    out += ",\"amount\":\"";
    out += JsonEscape(verdict.value);
    out += '"';
  }
  out += '}';
  return out;
}

std::string RenderFailedSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req,
                                   std::string_view reason, std::string_view message) {
  std::string out = "{\"success\":false,\"errorReason\":\"";
  out += JsonEscape(reason);
  if (!message.empty()) {
    out += "\",\"errorMessage\":\"";
    out += JsonEscape(message);
  }
  out += "\",\"transaction\":\"\",\"network\":\"";
  out += JsonEscape(NetworkFor(verdict.version, req));
  out += '"';
  // payer is an address or absent in x402's SettleResponseSchema, never "".
  if (!verdict.payer.empty()) {
    out += ",\"payer\":\"";
    out += JsonEscape(verdict.payer);
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace x402
