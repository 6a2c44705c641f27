// The Solana `exact` scheme, as @x402/svm 2.27 pays and checks it (v2 ExactSvmScheme, v1
// ExactSvmSchemeV1): the payer sends a partially signed transaction (compute limit, compute
// price, a TransferChecked of the asset to payTo's associated token account, then Memo or
// Lighthouse) whose fee payer is the facilitator; the facilitator checks it (exact_svm_rules.h),
// co-signs it and sends it. The mock checks it offline against its stand-in chain
// (solana_chain.h) and "sends" it by co-signing: the transaction id is the fee payer's real
// signature over the real message. Its replay key is the reference's: the message's SHA-256.
#pragma once

#include <memory>

#include "x402/scheme.h"

namespace x402::svm {

std::unique_ptr<Scheme> CreateExactSvmScheme();

}  // namespace x402::svm
