// What checking one payment decided, in terms every scheme shares: valid or the x402 reason and
// its words; who pays, how much, until when; the key under which the simulated chain remembers
// it; and what the scheme found worth showing (details the history and the dashboard print
// without knowing the scheme).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "x402/used_authorizations.h"

namespace x402 {

struct PaymentRequirements;

/// How the simulated chain words its refusals of one kind of payment, as its reference
/// facilitator does: at verify (which simulates the transfer and diagnoses a failure) and at
/// settle (which sends it and maps the revert). Static tables of the schemes (scheme.h).
struct ChainReasons {
  std::string_view used_at_verify;      // the authorization (nonce) was already used
  std::string_view used_at_settle;
  std::string_view unfunded_at_verify;  // the payer's balance is below the amount
  std::string_view unfunded_at_settle;
  std::string_view no_allowance_at_verify;  // Permit2: the token's allowance to Permit2 is missing
  std::string_view no_allowance_at_settle;
  /// The mock's own limit: valid for longer than it can remember (settle_step.h); "" for a
  /// scheme whose expiry the mock sets itself (Solana: its blockhash's), which has none.
  std::string_view beyond_window;
  /// upto: the charge is above what the payer authorized.
  std::string_view charge_exceeds;
  /// A simulation that fails for another reason (PaymentVerdict::revert_reason).
  std::string_view reverted_at_verify;
  /// A resource server that settles another amount than the payment authorizes (its handler's
  /// Settlement-Overrides on an exact payment).
  std::string_view amount_mismatch;
  /// Permit2's diagnosis at verify (diagnosePermit2SimulationFailure) names the balance and the
  /// allowance before a used nonce (which it cannot see); EIP-3009's names the nonce first.
  bool funds_before_nonce = false;
  /// The same at settle: a settle that simulates first (upto) diagnoses as verify does; one that
  /// sends the transaction (exact) meets the nonce check first.
  bool settle_funds_before_nonce = false;
  /// A settle that verifies again before it sends (Solana: the facilitator's settle() runs its
  /// verify, simulation included, after its duplicate check): the used check first, then the
  /// simulation's diagnosis.
  bool settle_simulates = false;
  /// What the reference's verify answers when its RPC cannot be reached (the rpc-outage
  /// simulation mode): the reason, and the words it sends beside it or throws.
  std::string_view unreachable_at_verify = "unexpected_verify_error";
  std::string_view unreachable_message;
};

struct PaymentVerdict {
  bool valid = false;
  std::string reason;   // x402 error reason, e.g. "invalid_exact_evm_payload_recipient_mismatch"
  std::string message;  // what is wrong, for people: "authorization.to 0x… is not payTo 0x…"
  int version = 0;      // x402Version of the payment
  std::string payer;    // who pays, as the payment names it, when it was readable
  std::string amount;   // what the payment authorizes, in the asset's atomic units, when valid
  int64_t valid_before = 0;  // when the authorization expires (Unix seconds, saturated)
  /// The simulated chain's key for this payment (an EIP-3009 authorization: network, asset,
  /// from, nonce), set by the scheme when valid; its simulated transaction id derives from it.
  UsedAuthorizations::Digest replay_key;
  /// The scheme's findings, in order, for people: {"signature", "ecdsa"}, {"recovered", "0x…"}.
  std::vector<std::pair<std::string, std::string>> details;
  /// What the mock accepted without being able to check it, in words ("erc1271 smart-wallet
  /// signature, not verified offline"); "" when everything was checked.
  std::string unchecked;
  /// The refusal is the mock's own limit (a full replay set), not the payment's fault: the
  /// server logs it as a warning.
  bool mock_limit = false;
  /// The offered option the payment matched (nullptr until matched).
  const PaymentRequirements* option = nullptr;
  /// How the chain words refusals of this payment (set by the scheme when valid).
  const ChainReasons* chain = nullptr;
  /// The payment spends through a contract the payer must have approved (Permit2), and what the
  /// simulated chain assumes of that approval (the ledger decides, with its config).
  struct Allowance {
    bool needed = false;
    /// The payer is taken to have approved it unless the config says otherwise (the offer asked
    /// for this way of paying); else taken not to have.
    bool assumed = false;
    /// The payment brings the approval itself (an EIP-2612 permit the token would accept)…
    bool brought = false;
    /// …unless that permit was used before: its key in the replay set, and until when.
    UsedAuthorizations::Digest permit_key;
    int64_t permit_expires = 0;
    std::string spender;  // for people: "the Permit2 contract"
    std::string hint;     // how to get it: "approve it first, or send an eip2612GasSponsoring permit"
  } allowance;
  /// A transfer the scheme knows would revert on chain (Permit2's proxy refuses a zero amount or
  /// recipient, or an EIP-2612 value other than the amount; ecrecover refuses v = 0/1): the
  /// reason a settle that sends it gets, and in words. A step that simulates names it
  /// ChainReasons::reverted_at_verify, after the balance and the allowance.
  std::string revert_reason;
  std::string revert_message;
  /// upto: |amount| is the most the payer authorized, and |charge| what is settled (decided by
  /// the caller before settling: the resource's charge, or the facilitator request's amount).
  bool up_to = false;
  std::string charge;

  /// What the payment moves when settled: the charge of an upto payment, else the amount.
  const std::string& settled_amount() const { return up_to ? charge : amount; }

  /// The value of detail |key|, or "".
  std::string Detail(std::string_view key) const {
    for (const auto& [k, v] : details) {
      if (k == key) return v;
    }
    return {};
  }
};

/// A refusal: |reason| (the x402 reason value) and |message| (in words), nothing else known.
inline PaymentVerdict Refusal(std::string reason, std::string message) {
  PaymentVerdict v;
  v.reason = std::move(reason);
  v.message = std::move(message);
  return v;
}

}  // namespace x402
