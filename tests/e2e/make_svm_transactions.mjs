// Writes tests/unit/data/svm_transactions.json: real payment transactions built by each Solana
// client the mock supports — @x402/svm 2.27's ExactSvmScheme (USDC under Token, USDG under
// Token-2022) and ExactSvmSchemeV1, and x402-fetch 1.2.0 (three instructions, its compute limit
// estimated by simulateTransaction) — each with @solana/kit's own reading of it (version,
// header, accounts, blockhash, instructions, signatures), which the C++ parser must match
// (tests/unit/svm_exact_test.cc). The mock co-signs with the fee payer of the seed 0x11
// repeated; the payer is the seed 0x07 repeated.
//
//   X402_DEV_BIN=out/build/debug/x402-dev node tests/e2e/make_svm_transactions.mjs
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { ed25519 } from "@noble/curves/ed25519";
import {
  appendTransactionMessageInstruction,
  compileTransaction,
  createKeyPairSignerFromBytes,
  createTransactionMessage,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  getBase58Decoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
} from "@solana/kit";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactSvmScheme } from "@x402/svm/exact/client";
import { ExactSvmSchemeV1 } from "@x402/svm/exact/v1/client";
import { createSigner, wrapFetchWithPayment as wrapV1 } from "x402-fetch";

import { startMock } from "./mock_process.mjs";

const keypair = (byte) => {
  const seed = new Uint8Array(32).fill(byte);
  return new Uint8Array([...seed, ...ed25519.getPublicKey(seed)]);
};
const work = mkdtempSync(path.join(os.tmpdir(), "x402-svm-tx-"));
const feePayerFile = path.join(work, "fee-payer.json");
writeFileSync(feePayerFile, JSON.stringify([...keypair(0x11)]));
const config = path.join(work, "x402dev.yaml");
writeFileSync(config, "mock_server:\n  accepts:\n    - network: solana-devnet\n" +
                      "    - {network: solana-devnet, asset: 4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7}\n");
const payer = await createKeyPairSignerFromBytes(keypair(0x07));
const hex = (bytes) => Buffer.from(bytes).toString("hex");

const mock = await startMock([], { X402_DEV_CONFIG: config, X402_DEV_SOLANA_FEE_PAYER: feePayerFile });
const rpcUrl = `${mock.url}/__x402/solana-rpc`;
const out = [];
try {
  // Keeps the transaction of the paid request and answers it here: the mock settles nothing.
  const keep = (client, { v1Body = false } = {}) => async (input, init) => {
    const request = new Request(input, init);
    const header = request.headers.get("payment-signature") ?? request.headers.get("x-payment");
    if (header) {
      out.push({ client, transaction: JSON.parse(Buffer.from(header, "base64").toString()).payload.transaction });
      return new Response("{}", { status: 200 });
    }
    const res = await fetch(request);
    if (!v1Body || res.status !== 402) return res;
    const headers = new Headers(res.headers);
    headers.delete("payment-required");
    return new Response(await res.text(), { status: 402, headers });
  };
  for (const [asset, name] of [["4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "@x402/svm ExactSvmScheme, USDC (Token)"],
                               ["4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7", "@x402/svm ExactSvmScheme, USDG (Token-2022)"]]) {
    const client = new x402Client((_v, reqs) => reqs.find((r) => r.asset === asset));
    client.register("solana:*", new ExactSvmScheme(payer, { rpcUrl }));
    await wrapFetchWithPayment(keep(name), client)(`${mock.url}/tx`);
  }
  const v1 = new x402Client();
  v1.registerV1("solana-devnet", new ExactSvmSchemeV1(payer, { rpcUrl }));
  await wrapFetchWithPayment(keep("@x402/svm ExactSvmSchemeV1", { v1Body: true }), v1)(`${mock.url}/tx`);
  const wallet = await createSigner("solana-devnet", getBase58Decoder().decode(keypair(0x07)));
  await wrapV1(keep("x402-fetch 1.2.0"), wallet, undefined, undefined, { svmConfig: { rpcUrl } })(`${mock.url}/tx`);
} finally {
  await mock.stop();
}

// Which prefixes of |wire| kit still decodes (a count missing at the very end reads as 0).
function prefixesKitDecodes(wire) {
  const lengths = [];
  for (let n = 0; n <= wire.length; ++n) {
    try {
      getCompiledTransactionMessageDecoder().decode(getTransactionDecoder().decode(wire.slice(0, n)).messageBytes);
      lengths.push(n);
    } catch {
      // refused: the C++ parser must refuse it too
    }
  }
  return lengths;
}

const fixtures = out.map(({ client, transaction }) => {
  const tx = getTransactionDecoder().decode(getBase64Encoder().encode(transaction));
  const m = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
  return {
    client,
    transaction,
    kit: {
      version: m.version,
      header: [m.header.numSignerAccounts, m.header.numReadonlySignerAccounts, m.header.numReadonlyNonSignerAccounts],
      accounts: m.staticAccounts,
      blockhash: m.lifetimeToken,
      instructions: m.instructions.map((ix) => ({ program: ix.programAddressIndex, accounts: ix.accountIndices ?? [], data: hex(ix.data ?? []) })),
      lookups: (m.addressTableLookups ?? []).length,
      signatures: Object.values(tx.signatures).map((s) => (s ? hex(s) : null)),
      message_bytes: tx.messageBytes.length,
      prefixes_decoded: prefixesKitDecodes(getBase64Encoder().encode(transaction)),
    },
  };
});
const file = path.join(path.dirname(new URL(import.meta.url).pathname), "../unit/data/svm_transactions.json");
// A legacy message, and what kit makes of bytes after it: it reads a lookup list there (then
// drops it), so some trailing bytes are taken and others refused.
const legacy = getTransactionEncoder().encode(compileTransaction(pipe(
  createTransactionMessage({ version: "legacy" }),
  (m) => setTransactionMessageFeePayer(payer.address, m),
  (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: "9mqugY4NcURfiymj5NGGC9vVAwXyip1NEA84xLkrVpBq", lastValidBlockHeight: 1n }, m),
  (m) => appendTransactionMessageInstruction({ programAddress: "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr", data: new Uint8Array([104, 105]) }, m))));
const trailing = ["", "00", "01", "0507", "00ff", "01" + "22".repeat(32) + "0000", "80"].map((suffix) => {
  const wire = new Uint8Array([...legacy, ...Buffer.from(suffix, "hex")]);
  let decoded = true;
  try {
    getCompiledTransactionMessageDecoder().decode(getTransactionDecoder().decode(wire).messageBytes);
  } catch {
    decoded = false;
  }
  return { suffix, decoded };
});
writeFileSync(file, JSON.stringify({ fee_payer_seed: "11", payer: payer.address, transactions: fixtures,
                                     legacy: { transaction: Buffer.from(legacy).toString("base64"), trailing } }, null, 1) + "\n");
console.log(`wrote ${fixtures.length} transactions to ${file}`);
