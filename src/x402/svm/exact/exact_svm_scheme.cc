#include "x402/svm/exact/exact_svm_scheme.h"

#include <boost/json.hpp>

#include "base/base64.h"
#include "x402/hash32.h"
#include "x402/json_fields.h"
#include "x402/payment.h"
#include "x402/sha256.h"
#include "x402/svm/base58.h"
#include "x402/svm/exact/exact_svm_rules.h"
#include "x402/svm/program_address.h"
#include "x402/svm/simulation.h"
#include "x402/svm/solana_chain.h"
#include "x402/svm/svm_networks.h"
#include "x402/svm/transaction.h"

namespace x402::svm {
namespace {

namespace json = boost::json;

// What an option computes once: the payee's associated token account (the destination every
// payment must name) and the program that owns the mint.
struct SvmOption final : PreparedOption {
  PublicKey mint_program{};
  std::optional<PublicKey> destination;  // when payTo is an address
};

// The mint's program on the mock's chain: the network table's (a declared asset without one
// is a classic SPL Token mint); nullopt for a mint the table lacks.
std::optional<PublicKey> MintProgramOf(const PaymentRequirements& option) {
  if (const auto* prepared = dynamic_cast<const SvmOption*>(option.prepared.get())) return prepared->mint_program;
  if (!option.asset_in_table) return std::nullopt;
  for (const NetworkInfo& network : BuiltInNetworks()) {
    if (network.caip2 != option.caip2) continue;
    if (const AssetInfo* asset = network.FindAsset(option.asset)) {
      return *Base58Decode32(asset->token_program.empty() ? kTokenProgramAddress : asset->token_program);
    }
  }
  return *Base58Decode32(kTokenProgramAddress);
}

UsedAuthorizations::Digest MessageDigest(std::span<const uint8_t> message) {
  const Hash32 hash = Sha256({message});
  UsedAuthorizations::Digest d;
  for (int i = 0; i < 8; ++i) {
    d.high = (d.high << 8) | hash[static_cast<std::size_t>(i)];
    d.low = (d.low << 8) | hash[static_cast<std::size_t>(8 + i)];
  }
  return d;
}

class ExactSvmScheme final : public Scheme {
 public:
  std::string_view name() const override { return "exact"; }
  std::string_view family() const override { return "solana"; }
  bool SpeaksVersion(int version) const override { return version == 1 || version == 2; }

  Status PrepareOption(const NetworkInfo&, const AssetInfo& asset, std::string_view transfer_method,
                       PaymentRequirements* option) const override {
    if (!transfer_method.empty()) {
      return Status::Config("asset_transfer_method is for EVM tokens; a Solana payment is a TransferChecked")
          .WithHint("leave asset_transfer_method out of Solana options");
    }
    auto prepared = std::make_shared<SvmOption>();
    const auto program = Base58Decode32(asset.token_program.empty() ? kTokenProgramAddress : asset.token_program);
    const auto mint = Base58Decode32(asset.address);
    if (!program || !mint) return Status::Config("the mint and its token program must be Solana addresses");
    prepared->mint_program = *program;
    if (const auto pay_to = Base58Decode32(option->pay_to)) {
      prepared->destination = AssociatedTokenAddress(*pay_to, *mint, *program).address;
    }
    option->prepared = std::move(prepared);
    // ExactSvmScheme (server) enhancePaymentRequirements(): the facilitator's fee payer; the
    // blockhash is added to each 402 (AddDynamicExtra).
    option->extra = json::object{{"feePayer", SolanaChain::Get().fee_payer().address()}};
    return Status::Ok();
  }

  // ExactSvmScheme.dynamicExtraFields: regenerated for each 402, left out of the comparison of
  // `accepted` with the offer (@x402/core paymentRequirementsMatchAccepted()).
  std::span<const std::string_view> DynamicExtraFields() const override {
    static constexpr std::string_view kFields[] = {"recentBlockhash", "lastValidBlockHeight"};
    return kFields;
  }
  int64_t DynamicExtraEpoch(int64_t now) const override {
    return now / SolanaChain::Get().blockhash_period();
  }
  void AddDynamicExtra(int64_t now, json::object* extra) const override {
    const SolanaChain::Blockhash latest = SolanaChain::Get().Latest(now);
    (*extra)["recentBlockhash"] = latest.text;
    (*extra)["lastValidBlockHeight"] = std::to_string(latest.last_valid_block_height);
  }

  PaymentVerdict Verify(const json::object& payload, const json::object*, int version,
                        const PaymentRequirements& option, const PaymentCheck& check) const override {
    const SolanaChain& chain = SolanaChain::Get();
    const auto* prepared = dynamic_cast<const SvmOption*>(option.prepared.get());
    StaticCheckInput in;
    in.version = version;
    in.strict = check.verification == Verification::kStrict;
    in.transaction = TextField(payload, "transaction");
    in.option = &option;
    in.fee_payer = &chain.fee_payer();
    if (prepared != nullptr && prepared->destination) {
      in.expected_destination = &*prepared->destination;
      in.expected_destination_program = &prepared->mint_program;
    }
    Transaction tx;
    StaticFindings found;
    if (auto refused = CheckStatic(in, &tx, &found)) return *refused;

    PaymentVerdict verdict;
    verdict.valid = true;
    verdict.payer = found.payer;
    verdict.amount = std::to_string(found.transfer.amount);
    verdict.replay_key = MessageDigest(tx.message);
    verdict.chain = &ExactSvmChainReasons(version);
    verdict.details.emplace_back("program", found.transfer.program != nullptr && *found.transfer.program == kTokenProgram
                                                ? "Token"
                                                : "Token-2022");
    // What the transaction's id will be once the fee payer signs it: its first signature.
    verdict.details.emplace_back("signature", Base58Encode(chain.fee_payer().Sign(tx.message)));
    // The replay set keeps the payment as long as its blockhash lives (then no chain takes it).
    verdict.valid_before = chain.ExpiryOf(tx.recent_blockhash, check.now).value_or(check.now + chain.blockhash_lifetime());
    if (in.strict) {
      // The reference's simulateTransaction, on the mock's chain; the balance is the settle
      // step's. The only mint here is the option's asset (the static rows checked that).
      SimulationInput sim;
      sim.now = check.now;
      const auto program = MintProgramOf(option);
      sim.mint = [&](const PublicKey&) -> std::optional<MintFacts> {
        if (!program) return std::nullopt;
        return MintFacts{*program, option.asset_decimals};
      };
      const SimulationOutcome outcome = SimulateTransaction(tx, chain, sim);
      if (!outcome.problem.empty()) {
        verdict.revert_reason = std::string(ExactSvmReasonsFor(version).simulation_failed);
        verdict.revert_message = outcome.problem;
      }
    }
    return verdict;
  }

  // ExactSvmScheme._verify(): the scheme of `accepted` and of the requirements, then the
  // network; nothing else of `accepted`.
  std::optional<PaymentVerdict> CheckAcceptedAsFacilitator(const json::object& accepted, const json::object&,
                                                           const PaymentRequirements& required) const override {
    if (TextField(accepted, "scheme") != "exact" || required.scheme != "exact") {
      return Refusal("invalid_exact_svm_unsupported_scheme", "accepted.scheme and the requirements' scheme must be 'exact'");
    }
    return AcceptedNetworkMismatch(accepted, required, "invalid_exact_svm_network_mismatch");
  }

  std::string ClaimedPayer(const json::object& payload) const override {
    // getTokenPayerFromTransaction() on whatever decodes, for a refusal's record.
    const auto wire = Base64Decode(TextField(payload, "transaction"));
    if (!wire) return {};
    std::string problem;
    const auto tx = ParseTransaction(BytesOf(*wire), &problem);
    return tx ? TokenPayerOf(*tx) : std::string();
  }

  std::string SimulatedTransaction(const PaymentVerdict& verdict) const override { return verdict.Detail("signature"); }
  std::string CanonicalAccount(std::string_view account) const override { return std::string(account); }
  bool IsAccount(std::string_view text) const override {
    return text.size() >= 32 && text.size() <= 44 && Base58Decode32(text).has_value();
  }
  std::string_view FacilitatorSigner() const override { return SolanaChain::Get().fee_payer().address(); }
  json::object SupportedExtra(const NetworkInfo&) const override {
    return json::object{{"feePayer", SolanaChain::Get().fee_payer().address()}};
  }
};

}  // namespace

std::unique_ptr<Scheme> CreateExactSvmScheme() { return std::make_unique<ExactSvmScheme>(); }

}  // namespace x402::svm
