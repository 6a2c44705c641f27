// The EVM `exact` scheme with EIP-3009 transferWithAuthorization, as x402 1.2.0 (v1) and
// @x402/evm 2.27 (v2) check it: the payload {signature, authorization{from, to, value,
// validAfter, validBefore, nonce}}, the token's EIP-712 domain in `extra` ({name, version}),
// the signature recovered offline (eip3009_signature.h), then the rule table of the payment's
// version (eip3009_rules.h). Its replay key is the token contract's: (network, asset, from,
// nonce).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "x402/scheme.h"

namespace x402::evm {

std::unique_ptr<Scheme> CreateExactEvmScheme();


}  // namespace x402::evm
