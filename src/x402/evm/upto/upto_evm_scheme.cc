#include "x402/evm/upto/upto_evm_scheme.h"

#include <boost/json.hpp>

#include "base/text.h"
#include "x402/evm/exact/exact_evm_scheme.h"
#include "x402/evm/evm_scheme.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/permit2_payload.h"
#include "x402/evm/permit2_rules.h"
#include "x402/json_fields.h"
#include "x402/payment.h"

namespace x402::evm {
namespace {

namespace json = boost::json;

class UptoEvmScheme final : public EvmScheme {
 public:
  std::string_view name() const override { return "upto"; }
  bool SpeaksVersion(int version) const override { return version == 2; }

  Status PrepareOption(const NetworkInfo& network, const AssetInfo& asset, std::string_view transfer_method,
                       PaymentRequirements* option) const override {
    if (!transfer_method.empty() && transfer_method != "permit2") {
      return Status::Config("the upto scheme moves tokens through Permit2 only, not " + std::string(transfer_method))
          .WithHint("leave asset_transfer_method out for upto");
    }
    option->extra = json::object{};
    if (!asset.domain_name.empty() && !asset.domain_version.empty()) {
      option->extra["name"] = asset.domain_name;
      option->extra["version"] = asset.domain_version;
    }
    option->extra["assetTransferMethod"] = "permit2";
    option->extra["facilitatorAddress"] = kFacilitatorAddress;
    option->in_v1_offers = false;
    option->prepared = std::make_shared<const Permit2Domain>(Permit2DomainSeparator(network.chain_id),
                                                             asset.transfer_method != "permit2");
    return Status::Ok();
  }

  PaymentVerdict Verify(const json::object& payload, const json::object* extensions, int version,
                        const PaymentRequirements& option, const PaymentCheck& check) const override {
    if (version != 2) return Refusal("unsupported_scheme", "upto payments are x402 v2 only");
    return CheckPermit2Payment(payload, extensions, option, check, Permit2Witness::kUpto);
  }

  // UptoEvmScheme.verify(): the payload's shape first (unsupported_payload_type), then
  // verifyUptoPermit2(): the scheme and the network.
  std::optional<PaymentVerdict> CheckAcceptedAsFacilitator(const json::object& accepted, const json::object& payload,
                                                           const PaymentRequirements& required) const override {
    if (!IsUptoPermit2Payload(payload)) {
      return Refusal("unsupported_payload_type",
                     "an upto payment carries {signature, permit2Authorization} with witness.facilitator");
    }
    if (TextField(accepted, "scheme") != "upto" || required.scheme != "upto") {
      return Refusal("invalid_upto_evm_scheme", "accepted.scheme and the requirements' scheme must be 'upto'");
    }
    return AcceptedNetworkMismatch(accepted, required, "invalid_upto_evm_network_mismatch");
  }

  std::string ClaimedPayer(const json::object& payload) const override {
    return Permit2Payer(payload);
  }


  // UptoEvmScheme.getExtra() (facilitator): the address that settles.
  json::object SupportedExtra(const NetworkInfo&) const override {
    return json::object{{"facilitatorAddress", kFacilitatorAddress}};
  }
};

}  // namespace

std::unique_ptr<Scheme> CreateUptoEvmScheme() { return std::make_unique<UptoEvmScheme>(); }

}  // namespace x402::evm
