#include "x402/svm/simulation.h"

#include <boost/json.hpp>

#include "x402/svm/base58.h"
#include "x402/svm/program_address.h"

namespace x402::svm {
namespace {

namespace json = boost::json;

// What a validator charges, roughly, per instruction.
constexpr uint64_t kComputeBudgetUnits = 150, kTransferUnits = 6'200, kTransfer2022Units = 8'000, kOtherUnits = 1'000;
constexpr uint8_t kTransferChecked = 12;

}  // namespace

SimulationOutcome SimulateTransaction(const Transaction& tx, const SolanaChain& chain, const SimulationInput& in) {
  SimulationOutcome out;
  out.err = nullptr;
  const std::size_t wire_size = tx.message.size() + 1 + 64 * tx.signatures.size();
  if (wire_size > kMaxWireTransactionBytes) {
    out.invalid_transaction = true;
    out.problem = "the transaction is " + std::to_string(wire_size) + " bytes, more than the " +
                  std::to_string(kMaxWireTransactionBytes) + " a Solana packet carries";
    return out;
  }
  if (std::string sane = SanitizeProblem(tx); !sane.empty()) {
    out.invalid_transaction = true;
    out.problem = std::move(sane);
    return out;
  }
  if (!in.replace_blockhash && !chain.ExpiryOf(tx.recent_blockhash, in.now)) {
    out.err = "BlockhashNotFound";
    out.problem = "BlockhashNotFound: the transaction's blockhash " + Base58Encode(tx.recent_blockhash) +
                  " is not one the mock's chain issued in the last " + std::to_string(chain.blockhash_lifetime()) +
                  " s (expired, or from another cluster or fee payer); take extra.recentBlockhash of a fresh 402 or "
                  "getLatestBlockhash (mock_server.solana_blockhash_seconds sets how long one lives)";
    return out;
  }
  if (!tx.lookups.empty()) {
    out.err = "AddressLookupTableNotFound";
    out.problem = "AddressLookupTableNotFound: " + Base58Encode(tx.lookups[0].table) +
                  " (the mock's chain has no lookup tables)";
    return out;
  }
  for (std::size_t i = 0; i < tx.instructions.size(); ++i) {
    const CompiledInstruction& ix = tx.instructions[i];
    const PublicKey& program = tx.static_accounts[ix.program_index];  // sane: in range
    const bool token = program == kTokenProgram || program == kToken2022Program;
    if (!token || ix.data.size() < 10 || ix.data[0] != kTransferChecked || ix.account_indexes.size() < 4) {
      out.units_consumed += program == kComputeBudgetProgram ? kComputeBudgetUnits : kOtherUnits;
      continue;
    }
    out.units_consumed += program == kTokenProgram ? kTransferUnits : kTransfer2022Units;
    auto fail = [&](json::value why, std::string words) {
      out.err = json::object{{"InstructionError", json::array{i, std::move(why)}}};
      out.problem = "Error processing Instruction " + std::to_string(i) + ": " + std::move(words);
      return out;
    };
    const std::size_t source = ix.account_indexes[0], mint = ix.account_indexes[1],
                      destination = ix.account_indexes[2], owner = ix.account_indexes[3];
    const PublicKey& mint_key = tx.static_accounts[mint];
    const auto facts = in.mint(mint_key);
    if (!facts) {
      return fail("InvalidAccountData", "invalid account data for instruction (InvalidAccountData): mint " +
                                            Base58Encode(mint_key) + " does not exist on the mock's chain");
    }
    if (facts->program != program) {
      return fail("IncorrectProgramId", "incorrect program id for instruction (IncorrectProgramId): the mint " +
                                            Base58Encode(mint_key) + " belongs to " + ProgramName(facts->program) +
                                            ", the transfer runs under " + ProgramName(program));
    }
    if (ix.data[9] != facts->decimals) {
      return fail(json::object{{"Custom", 18}}, "custom program error: 0x12 (MintDecimalsMismatch): the transfer says " +
                                                    std::to_string(ix.data[9]) + " decimals, the mint has " +
                                                    std::to_string(facts->decimals));
    }
    const PublicKey& owner_key = tx.static_accounts[owner];
    if (!tx.IsSigner(owner)) {
      return fail("MissingRequiredSignature", "missing required signature for instruction (MissingRequiredSignature): "
                                              "the owner " + Base58Encode(owner_key) + " is not a signer of the transaction");
    }
    if (!tx.IsWritable(source) || !tx.IsWritable(destination)) {
      return fail("ReadonlyDataModified",
                  "instruction modified data of a read-only account (ReadonlyDataModified): the source and the "
                  "destination must be writable");
    }
    if (tx.static_accounts[source] != CachedAssociatedTokenAddress(owner_key, mint_key, program)) {
      return fail("InvalidAccountData", "invalid account data for instruction (InvalidAccountData): the source " +
                                            Base58Encode(tx.static_accounts[source]) + " is not " +
                                            Base58Encode(owner_key) +
                                            "'s associated token account (the only token accounts the mock's chain holds)");
    }
    if (in.balance) {
      uint64_t amount = 0;
      for (int b = 7; b >= 0; --b) amount = (amount << 8) | ix.data[1 + static_cast<std::size_t>(b)];
      const auto balance = in.balance(owner_key, mint_key);
      if (balance && *balance < amount) {
        return fail(json::object{{"Custom", 1}}, "custom program error: 0x1 (insufficient funds): " +
                                                     Base58Encode(owner_key) + " holds " + std::to_string(*balance) +
                                                     ", the transfer is " + std::to_string(amount));
      }
    }
  }
  return out;
}

}  // namespace x402::svm
