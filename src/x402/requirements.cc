#include "x402/requirements.h"

#include <boost/json.hpp>

#include "base/text.h"

namespace x402 {
namespace {

namespace json = boost::json;

// Text a client chose (the URL, the path in the description) as a JSON string: valid UTF-8,
// whatever bytes the request held (JSON text must be UTF-8; a broken sequence becomes U+FFFD).
json::string Text(std::string_view s) { return json::string(ValidUtf8(s)); }

void SetError(json::object& out, std::string_view error, std::string_view message) {
  out["error"] = Text(error);
  if (!message.empty()) out["errorMessage"] = Text(message);
}

}  // namespace

void PaymentRequirements::Freeze() {
  v2_object = std::make_shared<const json::object>(RequirementsObjectV2(*this));
}

json::object RequirementsObjectV1(const PaymentRequirements& req) {
  json::object o;
  o["scheme"] = req.scheme;
  o["network"] = req.network;
  o["maxAmountRequired"] = AtomicString(req.amount);
  o["resource"] = Text(req.resource);
  o["description"] = Text(req.description);
  o["mimeType"] = Text(req.mime_type);
  o["payTo"] = req.pay_to;
  o["maxTimeoutSeconds"] = req.max_timeout_seconds;
  o["asset"] = req.asset;
  o["extra"] = req.extra;
  return o;
}

json::object RequirementsObjectV2(const PaymentRequirements& req) {
  json::object o;
  o["scheme"] = req.scheme;
  o["network"] = req.caip2;
  o["amount"] = AtomicString(req.amount);
  o["asset"] = req.asset;
  o["payTo"] = req.pay_to;
  o["maxTimeoutSeconds"] = req.max_timeout_seconds;
  o["extra"] = req.extra;
  return o;
}

std::string RenderRequirementsV1(const PaymentRequirements& req) {
  return json::serialize(RequirementsObjectV1(req));
}

std::string RenderRequirementsV2(const PaymentRequirements& req) {
  return json::serialize(req.v2_object ? *req.v2_object : RequirementsObjectV2(req));
}

namespace {

// The `accepts` arrays: v1 lists the options with in_v1_offers, v2 every option.
json::array AcceptsV1(std::span<const PaymentRequirements> options) {
  json::array accepts;
  for (const PaymentRequirements& option : options) {
    if (option.in_v1_offers) accepts.push_back(RequirementsObjectV1(option));
  }
  return accepts;
}

json::array AcceptsV2(std::span<const PaymentRequirements> options) {
  json::array accepts;
  for (const PaymentRequirements& option : options) {
    accepts.push_back(option.v2_object ? json::value(*option.v2_object)
                                       : json::value(RequirementsObjectV2(option)));
  }
  return accepts;
}

}  // namespace

std::string RenderAcceptsV1(std::span<const PaymentRequirements> options) {
  return json::serialize(AcceptsV1(options));
}

std::string RenderAcceptsV2(std::span<const PaymentRequirements> options) {
  return json::serialize(AcceptsV2(options));
}

std::string RenderPaymentRequiredV1(std::span<const PaymentRequirements> options,
                                    std::string_view error, std::string_view message) {
  json::object body;
  body["x402Version"] = 1;
  SetError(body, error, message);
  body["accepts"] = AcceptsV1(options);
  return json::serialize(body);
}

std::string RenderPaymentRequiredV2(std::span<const PaymentRequirements> options,
                                    std::string_view error, std::string_view message,
                                    std::string_view extensions_json, std::string_view resource_extra_json) {
  json::object body;
  body["x402Version"] = 2;
  SetError(body, error, message);
  json::object resource;
  if (!options.empty()) {
    resource["url"] = Text(options.front().resource);
    resource["description"] = Text(options.front().description);
    resource["mimeType"] = Text(options.front().mime_type);
  }
  if (!resource_extra_json.empty()) {
    boost::system::error_code ec;
    json::value extra = json::parse(resource_extra_json, ec);
    if (!ec && extra.is_object()) {
      for (const auto& [k, v] : extra.get_object()) resource[k] = v;
    }
  }
  body["resource"] = std::move(resource);
  body["accepts"] = AcceptsV2(options);
  if (!extensions_json.empty()) {
    boost::system::error_code ec;
    json::value extensions = json::parse(extensions_json, ec);
    if (!ec && extensions.is_object() && !extensions.get_object().empty()) body["extensions"] = std::move(extensions);
  }
  return json::serialize(body);
}

}  // namespace x402
