// PaymentRequirements: what the mock asks a client to pay for one resource, and its
// rendering in both wire versions (docs/protocol.md §2, §4). Rendering is a pure
// function of the requirements, so the 402 and the paid retry see byte-identical offers
// (the v2 client echoes them back in `accepted` and servers compare them exactly).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/keccak.h"
#include "x402/money.h"

namespace x402 {

struct PaymentRequirements {
  std::string scheme = "exact";
  std::string network;  // v1 name, e.g. "base-sepolia"
  std::string caip2;    // v2 id, e.g. "eip155:84532"
  AtomicAmount amount;
  std::string asset;
  std::string pay_to;
  std::string resource;     // absolute URL of the resource
  std::string description;
  std::string mime_type = "application/json";
  uint32_t max_timeout_seconds = 300;
  std::string extra_name;     // EIP-712 domain of the token
  std::string extra_version;
  // The EIP-712 domain separator of the fields above, when the offerer precomputed it (the
  // Paywall does, once per snapshot); otherwise the signature check derives it per payment.
  std::optional<Hash32> eip712_domain_separator;
};

/// The v1 PaymentRequirements object (one entry of `accepts`).
std::string RenderRequirementsV1(const PaymentRequirements& req);
/// The v2 PaymentRequirements object (one entry of `accepts`, without `resource`).
std::string RenderRequirementsV2(const PaymentRequirements& req);
/// The same object as a JSON value, for comparing a payment's `accepted` with it without
/// rendering and parsing text on every paid request.
boost::json::object RequirementsObjectV2(const PaymentRequirements& req);

/// The v1 402 body: {"x402Version":1,"error":…,["errorMessage":…,]"accepts":[…]}.
/// |error| is the x402 error reason; |message|, when not empty, says it in words (clients
/// ignore the extra field; people debugging read it).
std::string RenderPaymentRequiredV1(const PaymentRequirements& req, std::string_view error,
                                    std::string_view message = {});
/// The v2 PaymentRequired JSON (before base64):
/// {"x402Version":2,"error":…,["errorMessage":…,]"resource":{…},"accepts":[…]}.
std::string RenderPaymentRequiredV2(const PaymentRequirements& req, std::string_view error,
                                    std::string_view message = {});

}  // namespace x402
