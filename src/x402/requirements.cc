#include "x402/requirements.h"

#include <boost/json.hpp>

#include "base/text.h"

namespace x402 {
namespace {

// Appends "key":"value" (value escaped).
void Field(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":\"";
  out += JsonEscape(value);
  out += '"';
}

void Extra(std::string& out, const PaymentRequirements& req) {
  out += "\"extra\":{";
  Field(out, "name", req.extra_name);
  out += ',';
  Field(out, "version", req.extra_version);
  out += '}';
}

void ErrorMessage(std::string& out, std::string_view message) {
  if (message.empty()) return;
  out += ',';
  Field(out, "errorMessage", message);
}

}  // namespace

std::string RenderRequirementsV1(const PaymentRequirements& req) {
  std::string out = "{";
  Field(out, "scheme", req.scheme);
  out += ',';
  Field(out, "network", req.network);
  out += ',';
  Field(out, "maxAmountRequired", AtomicString(req.amount));
  out += ',';
  Field(out, "resource", req.resource);
  out += ',';
  Field(out, "description", req.description);
  out += ',';
  Field(out, "mimeType", req.mime_type);
  out += ',';
  Field(out, "payTo", req.pay_to);
  out += ",\"maxTimeoutSeconds\":" + std::to_string(req.max_timeout_seconds) + ',';
  Field(out, "asset", req.asset);
  out += ',';
  Extra(out, req);
  out += '}';
  return out;
}

std::string RenderRequirementsV2(const PaymentRequirements& req) {
  std::string out = "{";
  Field(out, "scheme", req.scheme);
  out += ',';
  Field(out, "network", req.caip2);
  out += ',';
  Field(out, "amount", AtomicString(req.amount));
  out += ',';
  Field(out, "asset", req.asset);
  out += ',';
  Field(out, "payTo", req.pay_to);
  out += ",\"maxTimeoutSeconds\":" + std::to_string(req.max_timeout_seconds) + ',';
  Extra(out, req);
  out += '}';
  return out;
}

boost::json::object RequirementsObjectV2(const PaymentRequirements& req) {
  return {{"scheme", req.scheme},
          {"network", req.caip2},
          {"amount", AtomicString(req.amount)},
          {"asset", req.asset},
          {"payTo", req.pay_to},
          {"maxTimeoutSeconds", req.max_timeout_seconds},
          {"extra", {{"name", req.extra_name}, {"version", req.extra_version}}}};
}

std::string RenderPaymentRequiredV1(const PaymentRequirements& req, std::string_view error,
                                    std::string_view message) {
  std::string out = "{\"x402Version\":1,";
  Field(out, "error", error);
  ErrorMessage(out, message);
  out += ",\"accepts\":[";
  out += RenderRequirementsV1(req);
  out += "]}";
  return out;
}

std::string RenderPaymentRequiredV2(const PaymentRequirements& req, std::string_view error,
                                    std::string_view message) {
  std::string out = "{\"x402Version\":2,";
  Field(out, "error", error);
  ErrorMessage(out, message);
  out += ",\"resource\":{";
  Field(out, "url", req.resource);
  out += ',';
  Field(out, "description", req.description);
  out += ',';
  Field(out, "mimeType", req.mime_type);
  out += "},\"accepts\":[";
  out += RenderRequirementsV2(req);
  out += "]}";
  return out;
}

}  // namespace x402
