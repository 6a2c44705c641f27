// What every registered scheme must do, one test body run over each (leveldb's "one test body
// per Env"): its offer survives the trip through the wire JSON of every version it speaks and
// back (as a facilitator reads it), a payment its kit signs is accepted, the same payment altered
// after signing is refused, the replay key is stable for one payment and differs for another,
// a second settle is refused with the scheme's own reason, and the settle answer has the
// fields the reference schemas require.
//
// A scheme comes with a kit (below): how a client of it signs a payment, and one way to alter
// it. A registered scheme without a kit fails here: adding a scheme means adding its kit.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <map>

#include "signed_payment.h"
#include "svm_payment.h"
#include "base/base64.h"
#include "x402/networks.h"
#include "x402/payment.h"
#include "x402/paywall.h"
#include "x402/scheme.h"
#include "x402/settle_step.h"
#include "x402/settlement.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;

struct SchemeKit {
  std::string network;  // a network of the scheme's family to offer it on
  std::string payer;    // who the kit's payments come from
  /// The `payload` a real client of the scheme sends for |option|, unique per |serial|.
  std::function<json::object(const PaymentRequirements& option, int serial)> sign;
  /// |payload| changed after signing (a field the signature covers).
  std::function<void(json::object& payload)> alter;
};

const std::map<std::pair<std::string, std::string>, SchemeKit>& Kits() {
  static const std::map<std::pair<std::string, std::string>, SchemeKit> kits = {
      {{"exact", "eip155"},
       {"eip155:137", testing::AddressOf(testing::TestKey(1)),
        [](const PaymentRequirements& option, int serial) {
          char nonce[67];
          std::snprintf(nonce, sizeof nonce, "0x%064x", serial);
          json::object payment = {
              {"payload",
               {{"signature", ""},
                {"authorization",
                 {{"from", testing::AddressOf(testing::TestKey(1))},
                  {"to", option.pay_to},
                  {"value", option.amount.units.ToDecimal()},
                  {"validAfter", std::to_string(kNow - 60)},
                  {"validBefore", std::to_string(kNow + 300)},
                  {"nonce", nonce}}}}}};
          testing::SignPayment(payment, option);
          return payment["payload"].as_object();
        },
        [](json::object& payload) {
          payload["authorization"].as_object()["to"] = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
        }}},
      {{"upto", "eip155"},
       {"eip155:8453", testing::AddressOf(testing::TestKey(1)),
        [](const PaymentRequirements& option, int serial) {
          return testing::Permit2Payload(option, /*upto=*/true, static_cast<uint64_t>(serial), kNow + 300);
        },
        [](json::object& payload) {
          payload["permit2Authorization"].as_object()["nonce"] = "999999";
        }}},
      {{"exact", "solana"},
       {"solana-devnet", testing::SvmTestKey(7).address(),
        [](const PaymentRequirements& option, int serial) {
          const svm::Keypair payer = testing::SvmTestKey(7);
          return testing::SvmPayload(testing::BuildSvmTransaction(testing::SvmPaymentFor(option, payer, serial, kNow), payer));
        },
        [](json::object& payload) {
          // One byte of the signed message (in the memo's text, the last bytes) changed.
          std::string wire = *Base64Decode(payload["transaction"].as_string());
          wire[wire.size() - 2] ^= 1;
          payload["transaction"] = Base64Encode(wire);
        }}},
  };
  return kits;
}

class SchemeConformanceTest : public ::testing::TestWithParam<const Scheme*> {
 protected:
  void SetUp() override {
    const Scheme& scheme = *GetParam();
    auto kit = Kits().find({std::string(scheme.name()), std::string(scheme.family())});
    ASSERT_NE(kit, Kits().end()) << "scheme " << scheme.name() << " on " << scheme.family()
                                 << " has no kit in scheme_conformance_test.cc";
    kit_ = &kit->second;
    PaywallConfig config;
    OptionSpec spec;
    spec.scheme = std::string(scheme.name());
    spec.network = kit_->network;
    config.accepts = {spec};
    ResolvedOffers offers;
    ASSERT_TRUE(ResolveOffers(config, NetworkTable(), SchemeRegistry::BuiltIn(), &offers).ok());
    paywall_ = std::make_unique<Paywall>(config);
    option_ = paywall_->RequirementsFor("/r", "http://127.0.0.1:3402/r").front();
    ASSERT_EQ(option_.scheme_impl, &scheme);
  }

  std::vector<int> Versions() const {
    std::vector<int> versions;
    for (int v : {1, 2}) {
      if (GetParam()->SpeaksVersion(v)) versions.push_back(v);
    }
    return versions;
  }

  // A whole payment of |version| carrying |payload|, as the scheme's client sends it.
  json::object Payment(int version, const json::object& payload) const {
    if (version == 1) {
      return {{"x402Version", 1}, {"scheme", option_.scheme}, {"network", option_.network}, {"payload", payload}};
    }
    return {{"x402Version", 2},
            {"accepted", RequirementsObjectV2(option_)},
            {"resource", {{"url", option_.resource}}},
            {"payload", payload}};
  }

  PaymentVerdict Verify(int version, const json::object& payload) const {
    return VerifyPaymentPayload(Payment(version, payload), version, OneOption(option_), PaymentCheck{kNow});
  }

  const SchemeKit* kit_ = nullptr;
  std::unique_ptr<Paywall> paywall_;
  PaymentRequirements option_;
};

TEST_P(SchemeConformanceTest, TheOfferSurvivesTheWireOfEveryVersion) {
  for (int version : Versions()) {
    const json::object wire = version == 1 ? RequirementsObjectV1(option_) : RequirementsObjectV2(option_);
    PaymentRequirements read;
    std::string problem;
    ASSERT_TRUE(ParseRequirementsJson(wire, version, paywall_->networks(), SchemeRegistry::BuiltIn(), &read, &problem))
        << problem;
    EXPECT_EQ(read.scheme_impl, option_.scheme_impl);
    EXPECT_EQ(read.caip2, option_.caip2);
    EXPECT_EQ(read.amount, option_.amount);
    EXPECT_EQ(read.asset, option_.asset);
    EXPECT_EQ(read.pay_to, option_.pay_to);
    EXPECT_EQ(read.extra, option_.extra);
    EXPECT_EQ(read.max_timeout_seconds, option_.max_timeout_seconds);
  }
}

TEST_P(SchemeConformanceTest, AcceptsWhatItsClientSignsAndRefusesItAltered) {
  for (int version : Versions()) {
    const json::object payload = kit_->sign(option_, 1);
    const PaymentVerdict verdict = Verify(version, payload);
    ASSERT_TRUE(verdict.valid) << "v" << version << ": " << verdict.reason << ": " << verdict.message;
    EXPECT_EQ(verdict.option, &option_);  // the option it matched
    EXPECT_EQ(GetParam()->CanonicalAccount(verdict.payer), GetParam()->CanonicalAccount(kit_->payer));
    EXPECT_EQ(verdict.amount, option_.amount.units.ToDecimal());

    json::object altered = payload;
    kit_->alter(altered);
    const PaymentVerdict refused = Verify(version, altered);
    EXPECT_FALSE(refused.valid) << "v" << version << ": an altered payment was accepted";
    EXPECT_FALSE(refused.reason.empty());
    EXPECT_FALSE(refused.message.empty());
  }
}

TEST_P(SchemeConformanceTest, TheReplayKeyIsStablePerPaymentAndTheSecondSettleIsRefused) {
  for (int version : Versions()) {
    const json::object payload = kit_->sign(option_, 10 + version);
    const PaymentVerdict first = Verify(version, payload);
    const PaymentVerdict again = Verify(version, payload);
    const PaymentVerdict other = Verify(version, kit_->sign(option_, 20 + version));
    ASSERT_TRUE(first.valid && again.valid && other.valid);
    EXPECT_EQ(first.replay_key, again.replay_key);
    EXPECT_NE(first.replay_key, other.replay_key);

    SettlementState state;
    PaywallConfig config;
    PaymentVerdict settled = first;
    settled.option = &option_;
    settled.charge = settled.amount;  // an upto payment charged its maximum
    Settle(state, config, kNow, &settled);
    ASSERT_TRUE(settled.valid) << settled.message;
    PaymentVerdict replayed = again;
    replayed.option = &option_;
    replayed.charge = replayed.amount;
    Settle(state, config, kNow, &replayed);
    EXPECT_FALSE(replayed.valid);
    ASSERT_NE(first.chain, nullptr);
    EXPECT_EQ(replayed.reason, first.chain->used_at_verify);
  }
}

TEST_P(SchemeConformanceTest, TheSettleAnswerHasWhatTheReferenceSchemasRequire) {
  for (int version : Versions()) {
    PaymentVerdict verdict = Verify(version, kit_->sign(option_, 30 + version));
    ASSERT_TRUE(verdict.valid);
    verdict.version = version;
    verdict.charge = verdict.amount;
    const json::object answer = json::parse(RenderSettlement(verdict, option_)).as_object();
    EXPECT_EQ(answer.at("success"), true);
    EXPECT_EQ(answer.at("network").as_string(), version == 1 ? option_.network : option_.caip2);
    EXPECT_TRUE(GetParam()->IsAccount(answer.at("payer").as_string()));
    const std::string transaction(answer.at("transaction").as_string());
    EXPECT_FALSE(transaction.empty());
    EXPECT_EQ(transaction, GetParam()->SimulatedTransaction(verdict));  // deterministic
    if (version == 2) {
      EXPECT_EQ(answer.at("amount").as_string(), option_.amount.units.ToDecimal());
    }
  }
}

TEST_P(SchemeConformanceTest, ListsAKindOnEveryNetworkOfItsFamily) {
  int networks = 0;
  for (const NetworkInfo& network : BuiltInNetworks()) {
    if (network.family != GetParam()->family()) continue;
    ++networks;
    (void)GetParam()->SupportedExtra(network);  // answers for each, whatever it is
  }
  EXPECT_GT(networks, 0);
  EXPECT_FALSE(GetParam()->IsAccount("not an account"));
}

std::vector<const Scheme*> RegisteredSchemes() {
  std::vector<const Scheme*> schemes;
  for (const auto& scheme : SchemeRegistry::BuiltIn().all()) schemes.push_back(scheme.get());
  return schemes;
}

INSTANTIATE_TEST_SUITE_P(EveryRegisteredScheme, SchemeConformanceTest, ::testing::ValuesIn(RegisteredSchemes()),
                         [](const ::testing::TestParamInfo<const Scheme*>& param) {
                           return std::string(param.param->name()) + "_" + std::string(param.param->family());
                         });

}  // namespace
}  // namespace x402
