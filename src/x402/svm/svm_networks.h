// The Solana networks and tokens the reference clients pay with: @x402/svm 2.27.0's
// DEFAULT_ASSETS (src/defaultAssets.ts: mint, decimals, symbol and the token program that owns
// the mint), addressed by the CAIP-2 ids of src/constants.ts and by the v1 names of its
// V1_TO_V2_NETWORK_MAP. docs/server.md prints the table.
#pragma once

#include <string_view>
#include <vector>

#include "x402/networks.h"

namespace x402::svm {

/// The SPL Token program and Token-2022, as the offers and the table write them.
inline constexpr std::string_view kTokenProgramAddress = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
inline constexpr std::string_view kToken2022ProgramAddress = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";

/// Every network of DEFAULT_ASSETS, in its order, each with its assets (index 0 the default).
std::vector<NetworkInfo> BuiltInSvmNetworks();

}  // namespace x402::svm
