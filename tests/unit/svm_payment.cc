#include "svm_payment.h"

#include "base/base64.h"
#include "x402/json_fields.h"
#include "x402/networks.h"
#include "x402/svm/base58.h"
#include "x402/svm/program_address.h"

namespace x402::testing {
namespace {

void CompactU16(std::size_t n, std::vector<uint8_t>* out) {
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    if (n != 0) b |= 0x80;
    out->push_back(b);
  } while (n != 0);
}

void Le(uint64_t v, int bytes, std::vector<uint8_t>* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

svm::PublicKey Key(std::string_view base58) { return *svm::Base58Decode32(base58); }

}  // namespace

svm::Keypair SvmTestKey(uint8_t n) {
  std::array<uint8_t, 32> seed;
  seed.fill(n);
  return svm::Keypair::FromSeed(seed);
}

SvmPaymentParts SvmPaymentFor(const PaymentRequirements& option, const svm::Keypair& payer, int serial, int64_t now) {
  SvmPaymentParts p;
  p.fee_payer = Key(TextField(option.extra, "feePayer"));
  p.payer = payer.public_key();
  p.mint = Key(option.asset);
  p.token_program = svm::kTokenProgram;
  for (const NetworkInfo& network : BuiltInNetworks()) {
    if (network.caip2 != option.caip2) continue;
    if (const AssetInfo* asset = network.FindAsset(option.asset); asset != nullptr && !asset->token_program.empty()) {
      p.token_program = Key(asset->token_program);
    }
  }
  p.source = svm::AssociatedTokenAddress(p.payer, p.mint, p.token_program).address;
  p.destination = svm::AssociatedTokenAddress(Key(option.pay_to), p.mint, p.token_program).address;
  p.amount = option.amount.units.SaturatedUint64();
  p.decimals = static_cast<uint8_t>(option.asset_decimals);
  p.memo = "serial-" + std::to_string(serial);
  p.blockhash = svm::SolanaChain::Get().Latest(now).hash;
  return p;
}

std::vector<uint8_t> BuildSvmTransaction(const SvmPaymentParts& p, const svm::Keypair& payer) {
  // Accounts: writable signer, readonly signer, writable, then readonly non-signers.
  std::vector<svm::PublicKey> accounts = {p.fee_payer, p.payer, p.source, p.destination,
                                          svm::kComputeBudgetProgram, p.mint, p.token_program, svm::kMemoProgram};
  for (const auto& [program, data] : p.extra_instructions) accounts.push_back(program);
  std::vector<uint8_t> message;
  if (!p.legacy) message.push_back(0x80);
  message.push_back(2);
  message.push_back(1);
  message.push_back(static_cast<uint8_t>(accounts.size() - 4));
  CompactU16(accounts.size(), &message);
  for (const auto& a : accounts) message.insert(message.end(), a.begin(), a.end());
  message.insert(message.end(), p.blockhash.begin(), p.blockhash.end());
  struct Ix {
    uint8_t program;
    std::vector<uint8_t> accounts;
    std::vector<uint8_t> data;
  };
  std::vector<Ix> ixs;
  std::vector<uint8_t> limit = {2};
  Le(p.compute_units, 4, &limit);
  std::vector<uint8_t> price = {3};
  Le(p.micro_lamports, 8, &price);
  std::vector<uint8_t> transfer = {12};
  Le(p.amount, 8, &transfer);
  transfer.push_back(p.decimals);
  ixs.push_back({4, {}, limit});
  ixs.push_back({4, {}, price});
  ixs.push_back({6, {2, 5, 3, 1}, transfer});
  ixs.push_back({7, {}, std::vector<uint8_t>(p.memo.begin(), p.memo.end())});
  for (std::size_t i = 0; i < p.extra_instructions.size(); ++i) {
    ixs.push_back({static_cast<uint8_t>(8 + i), {}, p.extra_instructions[i].second});
  }
  CompactU16(ixs.size(), &message);
  for (const Ix& ix : ixs) {
    message.push_back(ix.program);
    CompactU16(ix.accounts.size(), &message);
    message.insert(message.end(), ix.accounts.begin(), ix.accounts.end());
    CompactU16(ix.data.size(), &message);
    message.insert(message.end(), ix.data.begin(), ix.data.end());
  }
  if (!p.legacy) message.push_back(0);  // no lookup tables
  std::vector<uint8_t> wire;
  CompactU16(2, &wire);
  wire.insert(wire.end(), 64, 0);  // the fee payer signs at settle
  const svm::Signature signature = payer.Sign(message);
  wire.insert(wire.end(), signature.begin(), signature.end());
  wire.insert(wire.end(), message.begin(), message.end());
  return wire;
}

boost::json::object SvmPayload(const std::vector<uint8_t>& wire) {
  return {{"transaction", Base64Encode(std::string_view(reinterpret_cast<const char*>(wire.data()), wire.size()))}};
}

}  // namespace x402::testing
