// What every EVM scheme shares (exact, upto): the family, how accounts are written and
// compared (addresses, letter case ignored), the facilitator's signer, and the simulated
// transaction hash of a settled payment.
#pragma once

#include <string>
#include <string_view>

#include "base/text.h"
#include "x402/evm/evm_address.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/permit2_rules.h"
#include "x402/scheme.h"

namespace x402::evm {

/// The simulated transaction hash of a settled authorization: 0x + SHA-256("x402-dev
/// settlement:" + its replay key), so the same payment always "settles" to the same hash, and
/// two authorizations (another nonce, payer, token or chain) never share one.
std::string SimulatedTransactionHash(const UsedAuthorizations::Digest& replay_key);

class EvmScheme : public Scheme {
 public:
  std::string_view family() const final { return "eip155"; }
  std::string SimulatedTransaction(const PaymentVerdict& verdict) const final {
    return SimulatedTransactionHash(verdict.replay_key);
  }
  std::string CanonicalAccount(std::string_view account) const final { return ToLowerAscii(account); }
  bool IsAccount(std::string_view text) const final { return text.size() == 42 && IsPrefixedHex(text, 40); }
  std::string_view FacilitatorSigner() const final { return kFacilitatorAddress; }
};

}  // namespace x402::evm
