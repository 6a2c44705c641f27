#include "x402/svm/exact/exact_svm_rules.h"

#include <algorithm>

#include "base/base64.h"
#include "x402/hash32.h"
#include "x402/json_fields.h"
#include "x402/networks.h"
#include "x402/svm/base58.h"
#include "x402/svm/program_address.h"

namespace x402::svm {
namespace {

// @x402/svm src/constants.ts.
constexpr uint64_t kMaxComputeUnitPriceMicroLamports = 5'000'000;  // MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS
constexpr uint8_t kSetComputeUnitLimit = 2, kSetComputeUnitPrice = 3, kTransferChecked = 12;

uint64_t ReadU64(const std::vector<uint8_t>& data, std::size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | data[at + static_cast<std::size_t>(i)];
  return v;
}

// |bytes| as a WHATWG TextDecoder("utf-8") decodes them (what the reference does to a memo): a
// leading byte-order mark dropped, each invalid or cut-short sequence one U+FFFD.
std::string DecodeUtf8AsTextDecoder(std::span<const uint8_t> bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  std::size_t i = bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
  while (i < bytes.size()) {
    const uint8_t b = bytes[i];
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    std::size_t needed = 0;
    uint8_t lower = 0x80, upper = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      needed = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      needed = 2;
      if (b == 0xE0) lower = 0xA0;
      if (b == 0xED) upper = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      needed = 3;
      if (b == 0xF0) lower = 0x90;
      if (b == 0xF4) upper = 0x8F;
    } else {
      out += kReplacement;
      ++i;
      continue;
    }
    std::size_t k = 1;
    for (; k <= needed; ++k) {
      if (i + k >= bytes.size()) break;
      const uint8_t c = bytes[i + k];
      if (c < (k == 1 ? lower : 0x80) || c > (k == 1 ? upper : 0xBF)) break;
    }
    if (k <= needed) {
      out += kReplacement;  // the bytes read so far; the one that broke the sequence is read again
      i += k;
      continue;
    }
    out.append(reinterpret_cast<const char*>(bytes.data() + i), needed + 1);
    i += needed + 1;
  }
  return out;
}

// A refusal; |payer| is what the reference's answer names (it names none before it read the
// transfer).
PaymentVerdict Refuse(std::string_view reason, std::string message, std::string payer = {}) {
  PaymentVerdict v = Refusal(std::string(reason), std::move(message));
  v.payer = std::move(payer);
  return v;
}

}  // namespace

std::string TokenPayerOf(const Transaction& tx) {
  for (const CompiledInstruction& ix : tx.instructions) {
    const PublicKey* program = tx.StaticAccount(ix.program_index);
    if (program == nullptr || (*program != kTokenProgram && *program != kToken2022Program)) continue;
    if (ix.account_indexes.size() < 4) continue;
    const PublicKey* owner = tx.StaticAccount(ix.account_indexes[3]);
    return owner != nullptr ? Base58Encode(*owner) : std::string();
  }
  return {};
}

const ExactSvmReasons& ExactSvmReasonsFor(int version) {
  // v2: errors.ts. v1: the literals of ExactSvmSchemeV1.verify().
  static constexpr ExactSvmReasons kV2 = {"invalid_exact_svm_unsupported_scheme", "invalid_exact_svm_network_mismatch",
                                          "invalid_exact_svm_fee_payer_not_managed_by_facilitator",
                                          "invalid_exact_svm_transaction_simulation_failed", 7};
  static constexpr ExactSvmReasons kV1 = {"unsupported_scheme", "network_mismatch",
                                          "fee_payer_not_managed_by_facilitator", "transaction_simulation_failed", 6};
  return version == 1 ? kV1 : kV2;
}

const ChainReasons& ExactSvmChainReasons(int version) {
  // Everything the chain knows comes out of the reference's simulateTransaction (verify, and
  // settle, which verifies again); a repeat is caught first at settle by its SettlementCache
  // (keyed by the message hash): duplicate_settlement.
  auto reasons = [](std::string_view simulation) {
    ChainReasons r;
    r.used_at_verify = simulation;
    r.used_at_settle = "duplicate_settlement";
    r.unfunded_at_verify = simulation;
    r.unfunded_at_settle = simulation;
    r.no_allowance_at_verify = simulation;
    r.no_allowance_at_settle = simulation;
    r.beyond_window = "";  // the expiry is the mock's blockhash's, not the client's choice
    r.charge_exceeds = "invalid_exact_svm_payload_amount_mismatch";
    r.reverted_at_verify = simulation;
    r.amount_mismatch = "invalid_exact_svm_payload_amount_mismatch";
    r.funds_before_nonce = false;
    r.settle_funds_before_nonce = false;
    r.settle_simulates = true;
    // With its RPC unreachable, every static row passes and signer.simulateTransaction()
    // throws: ExactSvmScheme._verify() (src/exact/facilitator/scheme.ts) answers the
    // simulation's reason with the error's text as invalidMessage.
    r.unreachable_at_verify = simulation;
    r.unreachable_message = "HTTP error (fetch failed): simulated rpc-outage, the facilitator's RPC is unreachable";
    return r;
  };
  static const ChainReasons kV2 = reasons(ExactSvmReasonsFor(2).simulation_failed);
  static const ChainReasons kV1 = reasons(ExactSvmReasonsFor(1).simulation_failed);
  return version == 1 ? kV1 : kV2;
}

std::optional<PaymentVerdict> CheckStatic(const StaticCheckInput& in, Transaction* tx, StaticFindings* found) {
  const ExactSvmReasons& reasons = ExactSvmReasonsFor(in.version);
  const PaymentRequirements& option = *in.option;

  // 1. _verify(): the requirements name a fee payer, and it is the facilitator's.
  const std::string_view fee_payer = TextField(option.extra, "feePayer");
  if (fee_payer.empty()) {
    return Refuse("invalid_exact_svm_payload_missing_fee_payer", "the requirements' extra.feePayer is missing");
  }
  if (fee_payer != in.fee_payer->address()) {
    return Refuse(reasons.fee_payer_not_managed, "extra.feePayer " + std::string(fee_payer) +
                                                     " is not the mock facilitator's fee payer " + in.fee_payer->address());
  }
  // 2. decodeTransactionFromPayload() and the compiled message decoder.
  constexpr std::string_view kUndecodable = "invalid_exact_svm_payload_transaction_could_not_be_decoded";
  const auto wire = Base64Decode(in.transaction);
  if (!wire) return Refuse(kUndecodable, "payload.transaction must be the base64 of a wire transaction");
  std::string problem;
  auto parsed = ParseTransaction(BytesOf(*wire), &problem);
  if (!parsed) return Refuse(kUndecodable, "payload.transaction: " + problem);
  *tx = std::move(*parsed);

  // 3. verifyRequiredSignatures() (signatureVerification.ts): account 0 is the advertised fee
  // payer (its slot stays empty until settle); every other required signer has signed the
  // message bytes.
  if (tx->static_accounts.empty() || tx->static_accounts[0] != in.fee_payer->public_key()) {
    return Refuse("invalid_exact_svm_fee_payer_mismatch",
                  "the transaction's fee payer (account 0) is " +
                      (tx->static_accounts.empty() ? std::string("missing") : Base58Encode(tx->static_accounts[0])) +
                      ", not extra.feePayer " + in.fee_payer->address());
  }
  if (in.strict) {
    // @solana/kit keys the signatures by address: a signer listed twice is checked against the
    // signature of its last listing.
    auto signature_of = [&](const PublicKey& signer) -> const Signature* {
      const Signature* last = nullptr;
      for (std::size_t j = 0; j < tx->signatures.size() && j < tx->static_accounts.size(); ++j) {
        if (tx->static_accounts[j] == signer) last = &tx->signatures[j];
      }
      return last;
    };
    for (std::size_t i = 1; i < tx->required_signatures; ++i) {
      const PublicKey* signer = tx->StaticAccount(i);
      const Signature* signature = signer != nullptr ? signature_of(*signer) : nullptr;
      const bool present = signature != nullptr && !Transaction::IsUnsigned(*signature);
      if (!present || !VerifyEd25519(*signer, tx->message, *signature)) {
        return Refuse("invalid_exact_svm_payload_signature_invalid",
                      signer == nullptr ? "required signer " + std::to_string(i) + " is not among the accounts"
                      : !present        ? "signer " + Base58Encode(*signer) + " has not signed the transaction"
                                        : "the signature of " + Base58Encode(*signer) +
                                              " does not verify over the message (signed by another key, or the "
                                              "transaction was changed after signing)");
      }
    }
  }
  // 4. Address lookup tables: v2 resolves them through the chain (fetchAddressLookupTables),
  // which has none of them; v1 decompiles without them and fails.
  if (in.strict && !tx->lookups.empty()) {
    if (in.version == 1) return Refuse(kUndecodable, "the transaction uses address lookup tables, which v1 cannot read");
    // The reference's reason is the error its signer's fetchAddressLookupTables() throws
    // (src/signer.ts): the reason name, then @solana/kit's words for missing accounts.
    std::string tables;
    // (An array in kit's message template reads as JavaScript joins it: with bare commas.)
    for (const AddressTableLookup& lookup : tx->lookups) tables += (tables.empty() ? "" : ",") + Base58Encode(lookup.table);
    return Refuse("invalid_exact_svm_smart_wallet_alt_resolution_failed: Accounts not found at addresses: " + tables,
                  "the transaction uses address lookup tables (" + tables +
                      "), which the mock's chain does not have (it has none)");
  }
  // 5. decompileTransactionMessage(): every instruction's program is an account.
  for (std::size_t i = 0; i < tx->instructions.size(); ++i) {
    if (tx->instructions[i].program_index >= tx->AccountCount()) {
      return Refuse(kUndecodable, "instruction " + std::to_string(i + 1) + " names program account " +
                                      std::to_string(tx->instructions[i].program_index) + " of " +
                                      std::to_string(tx->AccountCount()));
    }
  }
  auto program_of = [&](const CompiledInstruction& ix) { return tx->StaticAccount(ix.program_index); };
  auto account_of = [&](const CompiledInstruction& ix, std::size_t n) -> const PublicKey* {
    return n < ix.account_indexes.size() ? tx->StaticAccount(ix.account_indexes[n]) : nullptr;
  };

  // 6. verifyStaticPath(): 3 to 7 instructions (v1: 6).
  const auto& ixs = tx->instructions;
  if (ixs.size() < 3 || ixs.size() > static_cast<std::size_t>(reasons.max_instructions)) {
    return Refuse("invalid_exact_svm_payload_transaction_instructions_length",
                  "the transaction has " + std::to_string(ixs.size()) + " instructions; a payment has 3 to " +
                      std::to_string(reasons.max_instructions) +
                      " (compute limit, compute price, TransferChecked, then Memo or Lighthouse)");
  }
  // 7. verifyComputeLimitInstruction(), verifyComputePriceInstruction().
  const PublicKey* p0 = program_of(ixs[0]);
  if (p0 == nullptr || *p0 != kComputeBudgetProgram || ixs[0].data.size() < 5 || ixs[0].data[0] != kSetComputeUnitLimit) {
    return Refuse("invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction",
                  "instruction 1 must be the Compute Budget program's SetComputeUnitLimit");
  }
  const PublicKey* p1 = program_of(ixs[1]);
  if (p1 == nullptr || *p1 != kComputeBudgetProgram || ixs[1].data.size() < 9 || ixs[1].data[0] != kSetComputeUnitPrice) {
    return Refuse("invalid_exact_svm_payload_transaction_instructions_compute_price_instruction",
                  "instruction 2 must be the Compute Budget program's SetComputeUnitPrice");
  }
  const uint64_t price = ReadU64(ixs[1].data, 1);
  if (price > kMaxComputeUnitPriceMicroLamports) {
    return Refuse("invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high",
                  "the compute unit price is " + std::to_string(price) + " microlamports; at most " +
                      std::to_string(kMaxComputeUnitPriceMicroLamports) + " (the facilitator pays the fee)");
  }
  // 8. getTokenPayerFromTransaction() (utils.ts).
  std::string payer = TokenPayerOf(*tx);
  constexpr std::string_view kNoTransfer = "invalid_exact_svm_payload_no_transfer_instruction";
  if (payer.empty()) return Refuse(kNoTransfer, "the transaction has no token transfer");
  // 9. The third instruction is a TransferChecked (discriminator 12) of Token or Token-2022,
  // with its four accounts.
  const CompiledInstruction& transfer = ixs[2];
  const PublicKey* program = program_of(transfer);
  if (program == nullptr || (*program != kTokenProgram && *program != kToken2022Program)) {
    return Refuse(kNoTransfer, "instruction 3 must be a TransferChecked of the Token or Token-2022 program", payer);
  }
  if (transfer.data.size() < 10 || transfer.data[0] != kTransferChecked) {
    return Refuse(kNoTransfer, "instruction 3 is not a TransferChecked (discriminator 12, amount, decimals)", payer);
  }
  TransferChecked t;
  t.program = program == nullptr ? nullptr : (*program == kTokenProgram ? &kTokenProgram : &kToken2022Program);
  const PublicKey* accounts[4] = {account_of(transfer, 0), account_of(transfer, 1), account_of(transfer, 2),
                                  account_of(transfer, 3)};
  for (const PublicKey* a : accounts) {
    if (a == nullptr) return Refuse(kNoTransfer, "the TransferChecked lacks its source, mint, destination or owner", payer);
  }
  t.source = *accounts[0];
  t.mint = *accounts[1];
  t.destination = *accounts[2];
  t.authority = *accounts[3];
  t.amount = ReadU64(transfer.data, 1);
  t.decimals = transfer.data[9];
  // 10. The fee payer does not pay (it would sign away its own tokens).
  if (t.authority == in.fee_payer->public_key()) {
    return Refuse("invalid_exact_svm_payload_transaction_fee_payer_transferring_funds",
                  "the transfer's owner is the facilitator's fee payer", payer);
  }
  // 11. The mint is the asset (base58, letter case included).
  const std::string mint = Base58Encode(t.mint);
  if (mint != option.asset) {
    return Refuse("invalid_exact_svm_payload_mint_mismatch",
                  "the transfer moves mint " + mint + ", not the asset " + option.asset, payer);
  }
  // 12. The destination is payTo's associated token account for the mint under the transfer's
  // program (findAssociatedTokenPda).
  PublicKey expected{};
  if (in.expected_destination != nullptr && *in.expected_destination_program == *t.program) {
    expected = *in.expected_destination;
  } else {
    const auto pay_to = Base58Decode32(option.pay_to);
    if (!pay_to) {
      return Refuse("invalid_exact_svm_payload_recipient_mismatch", "payTo " + option.pay_to + " is not an address", payer);
    }
    expected = CachedAssociatedTokenAddress(*pay_to, t.mint, *t.program);
  }
  if (t.destination != expected) {
    return Refuse("invalid_exact_svm_payload_recipient_mismatch",
                  "the transfer pays token account " + Base58Encode(t.destination) + ", not payTo " + option.pay_to +
                      "'s associated token account " + Base58Encode(expected) + " (" + ProgramName(*t.program) + ")",
                  payer);
  }
  // 13. The amount equals the requirements' (more is refused too).
  const std::string amount = std::to_string(t.amount);
  if (amount != AtomicString(option.amount)) {
    return Refuse("invalid_exact_svm_payload_amount_mismatch",
                  "the transfer moves " + amount + ", the requirements ask exactly " + AtomicString(option.amount), payer);
  }
  // 14. Instructions 4 to 7 are Memo or Lighthouse only.
  static constexpr std::string_view kUnknown[] = {
      "invalid_exact_svm_payload_unknown_fourth_instruction", "invalid_exact_svm_payload_unknown_fifth_instruction",
      "invalid_exact_svm_payload_unknown_sixth_instruction", "invalid_exact_svm_payload_unknown_seventh_instruction"};
  std::vector<const CompiledInstruction*> memos;
  for (std::size_t i = 3; i < ixs.size(); ++i) {
    const PublicKey* p = program_of(ixs[i]);
    if (p != nullptr && *p == kMemoProgram) {
      memos.push_back(&ixs[i]);
      continue;
    }
    if (p != nullptr && *p == kLighthouseProgram) continue;
    return Refuse(i - 3 < std::size(kUnknown) ? kUnknown[i - 3] : "invalid_exact_svm_payload_unknown_optional_instruction",
                  "instruction " + std::to_string(i + 1) + " runs program " +
                      (p != nullptr ? Base58Encode(*p) : std::string("(from a lookup table)")) +
                      "; only Memo and Lighthouse may follow the transfer",
                  payer);
  }
  // 15. extra.memo, when the requirements set one: exactly one Memo, with that text.
  const std::string_view memo = TextField(option.extra, "memo");
  if (!memo.empty()) {
    if (memos.size() != 1) {
      return Refuse("invalid_exact_svm_payload_memo_count",
                    "the requirements' extra.memo asks for one Memo instruction; the transaction has " +
                        std::to_string(memos.size()),
                    payer);
    }
    if (DecodeUtf8AsTextDecoder(memos[0]->data) != memo) {
      return Refuse("invalid_exact_svm_payload_memo_mismatch", "the Memo is not the requirements' extra.memo", payer);
    }
  }
  found->transfer = t;
  found->payer = std::move(payer);
  return std::nullopt;
}

}  // namespace x402::svm
