#include "x402/paywall.h"

#include <atomic>

#include "base/text.h"
#include "x402/payment_signature.h"
#include "x402/pricing.h"

namespace x402 {

namespace {
std::atomic<uint64_t> next_generation{1};
}  // namespace

Paywall::Paywall(const PaywallConfig& config)
    : config_(config),
      generation_(next_generation.fetch_add(1, std::memory_order_relaxed)),
      network_(FindNetwork(config.network)) {
  if (network_ == nullptr) network_ = &KnownNetworks().front();
  asset_ = config.asset.empty() ? std::string(network_->usdc) : config.asset;
  // The EIP-712 domain clients sign with belongs to the token; the table knows USDC's.
  if (EqualsIgnoreCaseAscii(asset_, network_->usdc)) {
    extra_name_ = std::string(network_->usdc_name);
    extra_version_ = std::string(network_->usdc_version);
  } else {
    extra_name_ = "USDC";
    extra_version_ = "2";
  }
  // Every payment to this paywall is signed under the same EIP-712 domain: hash it once.
  PaymentRequirements domain;
  domain.caip2 = std::string(network_->caip2);
  domain.asset = asset_;
  domain.extra_name = extra_name_;
  domain.extra_version = extra_version_;
  domain_separator_ = OfferDomainSeparator(domain);
}

PaymentRequirements Paywall::RequirementsFor(std::string_view path,
                                             std::string_view resource_url) const {
  PaymentRequirements req;
  req.network = std::string(network_->v1_name);
  req.caip2 = std::string(network_->caip2);
  req.amount = PriceFor(config_.pricing, path).price;
  req.asset = asset_;
  req.pay_to = config_.pay_to;
  req.resource = std::string(resource_url);
  req.description = "x402-dev mock resource " + std::string(path);
  req.max_timeout_seconds = config_.max_timeout_seconds;
  req.extra_name = extra_name_;
  req.extra_version = extra_version_;
  req.eip712_domain_separator = domain_separator_;
  return req;
}

}  // namespace x402
