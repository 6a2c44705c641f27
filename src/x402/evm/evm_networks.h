// The EVM networks and tokens the reference clients pay with: @x402/evm 2.27.0's DEFAULT_ASSETS
// (src/defaultAssets.ts: address, decimals, EIP-712 name and version, and the transfer method
// of the exact scheme), addressed by CAIP-2 id and by the v1 name of @x402/evm's
// EVM_NETWORK_CHAIN_ID_MAP (src/constants.ts) where it has one. docs/server.md prints the table.
#pragma once

#include <vector>

#include "x402/networks.h"

namespace x402::evm {

/// Every network of DEFAULT_ASSETS, in its order, each with its assets (index 0 the default).
std::vector<NetworkInfo> BuiltInEvmNetworks();

/// The chain id of a CAIP-2 "eip155:<id>" network; 0 when it is not one.
uint64_t ChainIdOf(std::string_view caip2);

}  // namespace x402::evm
