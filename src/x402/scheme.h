// The scheme seam: what one payment scheme on one network family (EVM `exact`, later EVM
// `upto` and Solana `exact`) knows, behind one interface, modelled on @x402/core 2.27's
// SchemeNetworkServer (the offer) + SchemeNetworkFacilitator (the check)
// (typescript/packages/core/src/types/mechanisms.ts).
//
// The core (payment.cc, settle_step.cc, the router) owns the envelope: the headers, base64,
// x402Version, matching a payment to the option it accepted, the simulation modes, the replay
// set, the ledger and the history. A scheme owns what is inside `payload` and `extra`: the
// offer's extra and its precomputation, the offline check (strict / shape) with its reference's
// reason names, the payment's replay key, its simulated transaction id, its
// /facilitator/supported entry and how its family writes an account.
//
// Schemes are registered in one place (scheme_registry.cc) and the registry is handed to the
// paywall and the facilitator routes (injected, never looked up). docs/development.md: "How to
// add a scheme".
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "base/status.h"
#include "x402/networks.h"
#include "x402/payment_verdict.h"
#include "x402/requirements.h"

namespace x402 {

struct PaymentCheck;

class Scheme {
 public:
  virtual ~Scheme() = default;

  /// The wire `scheme` ("exact") and the network family it pays on ("eip155").
  virtual std::string_view name() const = 0;
  virtual std::string_view family() const = 0;
  /// Whether payments of x402Version |version| exist for it (v1 offers list only those).
  virtual bool SpeaksVersion(int version) const = 0;

  // --- the offer (SchemeNetworkServer) ---------------------------------------------------------

  /// Completes |option|, whose network, asset, payTo and amount are set: its `extra`, the
  /// precomputation kept with it (EVM exact: the EIP-712 domain separator) and whether v1
  /// offers may list it. |transfer_method| is the option's own choice of how the asset moves
  /// (EVM: "eip3009" or "permit2"; "" for the asset's default). Refuses (kConfig, with the
  /// reason) an option it cannot offer, e.g. an asset it cannot move that way.
  virtual Status PrepareOption(const NetworkInfo& network, const AssetInfo& asset,
                               std::string_view transfer_method, PaymentRequirements* option) const = 0;

  /// The `extra` fields regenerated for each 402 (Solana: the recentBlockhash the payer may
  /// build on), which a v2 payment's `accepted` may carry from an earlier 402: left out when it
  /// is compared with the offer, as @x402/core's paymentRequirementsMatchAccepted() leaves out
  /// a scheme's dynamicExtraFields.
  virtual std::span<const std::string_view> DynamicExtraFields() const { return {}; }
  /// Adds those fields, as of |now|, to an option's |extra| about to be offered.
  virtual void AddDynamicExtra(int64_t /*now*/, boost::json::object* /*extra*/) const {}
  /// Changes whenever AddDynamicExtra() would add something else (a cache of 402s keyed by it
  /// stays right); 0 for a scheme without dynamic fields.
  virtual int64_t DynamicExtraEpoch(int64_t /*now*/) const { return 0; }

  // --- the check (SchemeNetworkFacilitator) ----------------------------------------------------

  /// Checks |payload| (the payment's `payload` object; |extensions|, its `extensions` or
  /// nullptr) against |option| offline, in the order and with the reason names of the
  /// reference facilitator of |version| (strict), or for its shape only. On success, fills the
  /// verdict's payer, amount, replay key, expiry, chain reasons and details.
  virtual PaymentVerdict Verify(const boost::json::object& payload, const boost::json::object* extensions,
                                int version, const PaymentRequirements& option,
                                const PaymentCheck& check) const = 0;

  /// The facilitator's own look at a v2 payment's `accepted` (and |payload|'s kind) against the
  /// requirements it was given (@x402/evm: scheme, EIP-712 domain present, network), before
  /// Verify(); the paywall compares `accepted` with its offer instead. nullopt when it holds.
  virtual std::optional<PaymentVerdict> CheckAcceptedAsFacilitator(
      const boost::json::object& accepted, const boost::json::object& payload,
      const PaymentRequirements& required) const = 0;

  /// Who the payment claims to pay from, read from |payload| before any check, so that an early
  /// refusal still names it; "" when it does not read.
  virtual std::string ClaimedPayer(const boost::json::object& payload) const = 0;

  /// The simulated transaction id of a settled payment (deterministic per payment).
  virtual std::string SimulatedTransaction(const PaymentVerdict& verdict) const = 0;

  /// An account as the family compares it: EVM addresses ignore letter case (lowercased here),
  /// Solana's base58 addresses do not.
  virtual std::string CanonicalAccount(std::string_view account) const = 0;
  /// Whether |text| is an account of the family (config validation: payTo, ledger payers).
  virtual bool IsAccount(std::string_view text) const = 0;

  /// The account the mock facilitator settles this scheme's payments from (its
  /// /facilitator/supported `signers` entry for the family).
  virtual std::string_view FacilitatorSigner() const = 0;

  /// The `extra` of this scheme's /facilitator/supported kinds on |network| (empty: none).
  virtual boost::json::object SupportedExtra(const NetworkInfo& network) const = 0;
};

/// Every scheme the mock speaks, by wire name and family.
class SchemeRegistry {
 public:
  explicit SchemeRegistry(std::vector<std::unique_ptr<Scheme>> schemes);

  /// The scheme |name| on |family|; nullptr when none is registered.
  const Scheme* Find(std::string_view name, std::string_view family) const;
  std::span<const std::unique_ptr<Scheme>> all() const { return schemes_; }

  /// The registry of every scheme x402-dev implements (scheme_registry.cc: one line each).
  static const SchemeRegistry& BuiltIn();

 private:
  std::vector<std::unique_ptr<Scheme>> schemes_;
};

}  // namespace x402
