// The eip2612GasSponsoring extension of a Permit2 payment (@x402/extensions 2.27
// src/eip2612-gas-sponsoring): a payer whose token allowance to Permit2 is missing signs an
// EIP-2612 permit(owner, Permit2, value, nonce, deadline) and sends it in the payment's
// `extensions`, and the facilitator submits it with the transfer (settleWithPermit), so the
// payment needs no approval transaction first.
//
// The reference facilitator validates its fields (validateEip2612PermitForPayment() in
// @x402/evm src/shared/permit2.ts) and leaves the signature to the token contract during its
// simulation. The mock has no token contract: it checks the signature itself, over the token's
// EIP-2612 domain (the offer's extra.name and extra.version), and a permit that does not
// recover the payer does not grant the allowance. The token's EIP-2612 nonce is not tracked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/evm/eip712.h"
#include "x402/requirements.h"
#include "x402/uint256.h"
#include "x402/used_authorizations.h"

namespace x402::evm {

inline constexpr std::string_view kEip2612GasSponsoringKey = "eip2612GasSponsoring";

struct Eip2612Check {
  bool present = false;  // the extension is there with every field set (extractEip2612GasSponsoringInfo)
  std::string reason;    // the reference's reason when a field check fails, else ""
  std::string message;   // in words: the failed check, or why the permit grants nothing
  /// The token would take it: signed by the payer under the token's EIP-2612 domain, for
  /// exactly the amount, on a token that has permit().
  bool grants_allowance = false;
  /// Its value is not the amount: x402's proxy reverts the whole settlement
  /// (Permit2612AmountMismatch), whatever the allowance.
  bool value_mismatch = false;
  /// The permit's key in the replay set (the token's nonces(owner) is used once), and until when.
  UsedAuthorizations::Digest permit_key;
  int64_t permit_expires = 0;
};

/// EIP-2612's message type: Permit(address owner,address spender,uint256 value,uint256 nonce,
/// uint256 deadline) (@x402/evm src/constants.ts eip2612PermitTypes).
const Eip712Types& Eip2612PermitTypes();

/// Checks the eip2612GasSponsoring extension of a payment (|extensions|: the payment's
/// `extensions`, or nullptr) paid by |payer| for |option| (the token, its EIP-2612 domain)
/// moving |amount|, at |now|: (|check_fields|) the reference's field checks in its order:
/// format, from, asset, spender, deadline; then, standing in for the token, whether it would
/// take the permit (|check_signature|: its signature).
Eip2612Check CheckEip2612GasSponsoring(const boost::json::object* extensions, std::string_view payer,
                                       const PaymentRequirements& option, const Uint256& amount, int64_t now,
                                       bool check_signature, bool check_fields = true);

}  // namespace x402::evm
