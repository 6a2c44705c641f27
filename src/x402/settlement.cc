#include "x402/settlement.h"

#include "base/text.h"
#include "x402/scheme.h"

namespace x402 {
namespace {

std::string_view NetworkFor(int version, const PaymentRequirements& req) {
  return version == 2 ? std::string_view(req.caip2) : std::string_view(req.network);
}

}  // namespace

std::string SettledTransaction(const PaymentVerdict& verdict) {
  // @x402/evm settleUptoPermit2(): a zero charge sends no transaction and answers "".
  if (verdict.up_to && verdict.charge == "0") return {};
  return verdict.option->scheme_impl->SimulatedTransaction(verdict);
}

std::string RenderSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req) {
  return RenderSettlement(verdict, req, SettledTransaction(verdict));
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
    out += JsonEscape(verdict.settled_amount());
    out += '"';
  }
  out += '}';
  return out;
}

std::string RenderFailedSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req,
                                   std::string_view reason, std::string_view message,
                                   std::string_view transaction) {
  std::string out = "{\"success\":false,\"errorReason\":\"";
  out += JsonEscape(reason);
  if (!message.empty()) {
    out += "\",\"errorMessage\":\"";
    out += JsonEscape(message);
  }
  out += "\",\"transaction\":\"";
  out += JsonEscape(transaction);
  out += "\",\"network\":\"";
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
