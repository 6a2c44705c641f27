#include "x402/svm/svm_networks.h"

#include <string>

namespace x402::svm {
namespace {

struct Network {
  std::string_view caip2;
  std::string_view v1_name;
  // x402 1.2.0's NetworkSchema (src/types/shared/network.ts) lists "solana" and
  // "solana-devnet", not "solana-testnet".
  bool in_x402_v1_enum;
  std::string_view display_name;
};

struct Row {
  std::string_view caip2;
  std::string_view mint;
  std::string_view symbol;
  std::string_view token_program;
};

constexpr Network kNetworks[] = {
    {"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "solana", true, "Solana"},
    {"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "solana-devnet", true, "Solana devnet"},
    {"solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z", "solana-testnet", false, "Solana testnet"},
};

// DEFAULT_ASSETS in its order; every asset has 6 decimals.
constexpr Row kRows[] = {
    {"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "USDC", kTokenProgramAddress},
    {"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", "USDT", kTokenProgramAddress},
    {"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "2u1tszSeqZ3qBWF3uNGPFc8TzMk2tdiwknnRMWGWjGWH", "USDG",
     kToken2022ProgramAddress},
    {"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo", "PYUSD",
     kToken2022ProgramAddress},
    {"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "CASHx9KJUStyftLFWGvEVf59SGeG9sh5FfcnZMVPCASH", "CASH",
     kToken2022ProgramAddress},
    {"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "USDC", kTokenProgramAddress},
    {"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7", "USDG",
     kToken2022ProgramAddress},
    {"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM", "PYUSD",
     kToken2022ProgramAddress},
    {"solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z", "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "USDC", kTokenProgramAddress},
    {"solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z", "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7", "USDG",
     kToken2022ProgramAddress},
    {"solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z", "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM", "PYUSD",
     kToken2022ProgramAddress},
};

}  // namespace

std::vector<NetworkInfo> BuiltInSvmNetworks() {
  std::vector<NetworkInfo> networks;
  for (const Network& n : kNetworks) {
    NetworkInfo info;
    info.family = "solana";
    info.caip2 = std::string(n.caip2);
    info.v1_name = std::string(n.v1_name);
    info.in_x402_v1_enum = n.in_x402_v1_enum;
    info.display_name = std::string(n.display_name);
    for (const Row& row : kRows) {
      if (row.caip2 != n.caip2) continue;
      AssetInfo asset;
      asset.address = std::string(row.mint);
      asset.symbol = std::string(row.symbol);
      asset.decimals = 6;
      asset.transfer_method = "";  // EVM only
      asset.token_program = std::string(row.token_program);
      info.assets.push_back(std::move(asset));
    }
    networks.push_back(std::move(info));
  }
  return networks;
}

}  // namespace x402::svm
