// Writes seed inputs for tests/fuzz/payment_header_fuzzer.cc: real payments by @x402/fetch
// (v2: EIP-3009, Permit2, upto and Solana) and x402-fetch (v1) for chosen options of a
// ten-option offer, the same offer the fuzzer builds (MultiOptionConfig), so the fuzzer starts
// from payments that match an option and reach the signature check; and, for
// tests/fuzz/solana_transaction_fuzzer.cc, the raw wire transactions of the Solana ones. The
// mock co-signs with the fuzzers' fee payer (the seed 0x11 repeated).
//
//   X402_DEV_BIN=out/build/debug/x402-dev node tests/e2e/make_fuzz_corpus.mjs
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { UptoEvmScheme } from "@x402/evm/upto/client";
import { wrapFetchWithPayment as wrapV2, x402Client } from "@x402/fetch";
import { createKeyPairSignerFromBytes, getBase58Decoder } from "@solana/kit";
import { ed25519 } from "@noble/curves/ed25519";
import { ExactSvmScheme } from "@x402/svm/exact/client";
import { privateKeyToAccount } from "viem/accounts";
import { wrapFetchWithPayment as wrapV1 } from "x402-fetch";

import { startMock } from "./mock_process.mjs";

const account = privateKeyToAccount(`0x${"00".repeat(31)}01`);  // test key 1
const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const work = mkdtempSync(path.join(os.tmpdir(), "x402-corpus-"));
const config = path.join(work, "x402dev.yaml");
const keypair = (seed) => new Uint8Array([...seed, ...ed25519.getPublicKey(seed)]);
const feePayerFile = path.join(work, "fee-payer.json");
writeFileSync(feePayerFile, JSON.stringify([...keypair(new Uint8Array(32).fill(0x11))]));
const solanaPayer = await createKeyPairSignerFromBytes(keypair(new Uint8Array(32).fill(0x07)));
writeFileSync(config, `mock_server:
  accepts:
    - network: base-sepolia
    - network: "eip155:137"
    - network: "eip155:42161"
    - network: "eip155:42220"
      asset: "0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e"
    - network: "eip155:31337"
      asset: {address: "${token}", decimals: 18, name: "Mock USD", version: "1", symbol: "mUSD"}
    - network: base
      asset_transfer_method: permit2
    - network: "eip155:4326"
    - scheme: upto
      network: base-sepolia
    - network: solana-devnet
    - network: solana-devnet
      asset: 4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7
`);
const corpus = path.join(path.dirname(new URL(import.meta.url).pathname), "../fuzz/corpus/payment_header");

const transactions = path.join(path.dirname(corpus), "solana_transaction");
const mock = await startMock([], { X402_DEV_CONFIG: config, X402_DEV_SOLANA_FEE_PAYER: feePayerFile });
mkdirSync(transactions, { recursive: true });
try {
  const capture = (name, header) => async (input, init) => {
    const request = new Request(input, init);
    const value = request.headers.get(header);
    if (value) writeFileSync(path.join(corpus, name), value);
    return fetch(request);
  };
  for (const [index, name] of [[2, "multi_option_v2_arbitrum"], [3, "multi_option_v2_celo_usdt"],
                               [4, "multi_option_v2_declared_18_decimals"], [5, "multi_option_v2_permit2_base_usdc"],
                               [6, "multi_option_v2_permit2_megausd"], [7, "multi_option_v2_upto"]]) {
    const client = new x402Client((version, requirements) => requirements[index]);
    registerExactEvmScheme(client, { signer: account });
    client.register("eip155:*", new UptoEvmScheme(account));
    client.setSpendControls({ allowedAssets: true });
    await wrapV2(capture(name, "payment-signature"), client)(`${mock.url}/api/data`);
  }
  for (const [asset, name] of [["4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "multi_option_v2_solana_usdc"],
                               ["4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7", "multi_option_v2_solana_usdg_token2022"]]) {
    // The client is handed the options it can pay (the Solana ones): picked by mint.
    const client = new x402Client((version, requirements) => requirements.find((r) => r.asset === asset));
    client.register("solana:*", new ExactSvmScheme(solanaPayer, { rpcUrl: `${mock.url}/__x402/solana-rpc` }));
    await wrapV2(capture(name, "payment-signature"), client)(`${mock.url}/api/data`);
    const payment = JSON.parse(Buffer.from(readFileSync(path.join(corpus, name), "utf8"), "base64").toString());
    writeFileSync(path.join(transactions, name.replace("multi_option_v2_", "")),
                  Buffer.from(payment.payload.transaction, "base64"));
  }
  await wrapV1(capture("multi_option_v1_polygon", "x-payment"), account, undefined,
               (requirements) => requirements.find((r) => r.network === "polygon"))(`${mock.url}/api/data`);
} finally {
  await mock.stop();
}
