// Node half of tests/perf/signature_bench.py (not a test; needs `npm ci` in tests/e2e, whose
// packages it borrows):
//
//   node signature_bench.mjs generate N MOCK_URL OUT   N distinct v2 payments for MOCK_URL/api/data
//                                                      (EIP-3009, Permit2 or upto, as its offer
//                                                      says, really signed by viem; Solana: built
//                                                      and signed by @x402/svm's ExactSvmScheme
//                                                      client, through the mock's RPC), one base64
//                                                      PAYMENT-SIGNATURE header per line, plus
//                                                      OUT.requirements.json (the offer)
//   node signature_bench.mjs verify FILE               the reference verifier on them: @x402/evm
//                                                      2.27's exact or upto facilitator verify, offline
//                                                      (its signer answers getCode/readContract
//                                                      locally; recovery is viem's, pure JS), or
//                                                      @x402/svm 2.27's ExactSvmScheme facilitator
//                                                      (its static path; the simulation stubbed to
//                                                      succeed, as the mock's is in-process);
//                                                      prints {count, valid, seconds, per_second,
//                                                      p50_ms, p99_ms}
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const load = (name) => import(require.resolve(name));

const types = {
  TransferWithAuthorization: [
    { name: "from", type: "address" }, { name: "to", type: "address" },
    { name: "value", type: "uint256" }, { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" }, { name: "nonce", type: "bytes32" },
  ],
};

// Permit2's message types (@x402/evm src/constants.ts permit2WitnessTypes and
// uptoPermit2WitnessTypes), as its clients sign them.
const permit2Types = (upto) => ({
  PermitWitnessTransferFrom: [
    { name: "permitted", type: "TokenPermissions" }, { name: "spender", type: "address" },
    { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }, { name: "witness", type: "Witness" },
  ],
  TokenPermissions: [{ name: "token", type: "address" }, { name: "amount", type: "uint256" }],
  Witness: upto
    ? [{ name: "to", type: "address" }, { name: "facilitator", type: "address" }, { name: "validAfter", type: "uint256" }]
    : [{ name: "to", type: "address" }, { name: "validAfter", type: "uint256" }],
});
const PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3";
const EXACT_PROXY = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001";
const UPTO_PROXY = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002";

// A Permit2 payload as createPermit2PayloadForProxy() / createUptoPermit2Payload() make it,
// valid for a day instead of maxTimeoutSeconds (the payments are cached for 12 h).
async function permit2Payload(account, offer, chainId, now) {
  const upto = offer.scheme === "upto";
  const witness = upto ? { to: offer.payTo, facilitator: offer.extra.facilitatorAddress, validAfter: "0" }
                       : { to: offer.payTo, validAfter: "0" };
  const permit2Authorization = {
    from: account.address, permitted: { token: offer.asset, amount: offer.amount },
    spender: upto ? UPTO_PROXY : EXACT_PROXY, nonce: BigInt(`0x${randomBytes(32).toString("hex")}`).toString(),
    deadline: String(now + 86400), witness,
  };
  const signature = await account.signTypedData({
    domain: { name: "Permit2", chainId, verifyingContract: PERMIT2 }, types: permit2Types(upto),
    primaryType: "PermitWitnessTransferFrom",
    message: {
      permitted: { token: offer.asset, amount: BigInt(offer.amount) }, spender: permit2Authorization.spender,
      nonce: BigInt(permit2Authorization.nonce), deadline: BigInt(permit2Authorization.deadline),
      witness: { ...witness, validAfter: 0n },
    },
  });
  return { signature, permit2Authorization };
}

// Solana: the real client builds and signs each (a new payer every 100), its mint read once
// through the mock's stand-in RPC; every transaction differs by its random memo.
async function generateSolana(count, url, required, out) {
  const { generateKeyPairSigner } = await load("@solana/kit");
  const { ExactSvmScheme } = await load("@x402/svm/exact/client");
  const offer = required.accepts[0];
  const lines = [];
  let client;
  for (let i = 0; i < count; ++i) {
    if (i % 100 === 0) client = new ExactSvmScheme(await generateKeyPairSigner(), { rpcUrl: `${url}/__x402/solana-rpc` });
    const { payload } = await client.createPaymentPayload(2, offer);
    lines.push(Buffer.from(JSON.stringify({ x402Version: 2, resource: required.resource, accepted: offer, payload })).toString("base64"));
  }
  writeFileSync(out, `${lines.join("\n")}\n`);
  writeFileSync(`${out}.requirements.json`, JSON.stringify(offer));
}

async function generate(count, url, out) {
  const { privateKeyToAccount } = await load("viem/accounts");
  const res = await fetch(`${url}/api/data`);
  const required = JSON.parse(Buffer.from(res.headers.get("payment-required"), "base64").toString());
  const offer = required.accepts[0];
  if (offer.network.startsWith("solana:")) return generateSolana(count, url, required, out);
  const chainId = Number(offer.network.split(":")[1]);
  const domain = { name: offer.extra.name, version: offer.extra.version, chainId, verifyingContract: offer.asset };
  const now = Math.floor(Date.now() / 1000);
  const lines = [];
  let account;
  const viaPermit2 = offer.scheme === "upto" || offer.extra.assetTransferMethod === "permit2";
  for (let i = 0; i < count; ++i) {
    if (i % 100 === 0) account = privateKeyToAccount(`0x${randomBytes(32).toString("hex")}`);
    if (viaPermit2) {
      const payload = await permit2Payload(account, offer, chainId, now);
      lines.push(Buffer.from(JSON.stringify({ x402Version: 2, resource: required.resource, accepted: offer, payload })).toString("base64"));
      continue;
    }
    const authorization = {
      from: account.address, to: offer.payTo, value: offer.amount,
      validAfter: String(now - 600), validBefore: String(now + 86400), nonce: `0x${randomBytes(32).toString("hex")}`,
    };
    const signature = await account.signTypedData({
      domain, types, primaryType: "TransferWithAuthorization",
      message: { ...authorization, value: BigInt(authorization.value), validAfter: BigInt(authorization.validAfter), validBefore: BigInt(authorization.validBefore) },
    });
    const payment = { x402Version: 2, resource: required.resource, accepted: offer, payload: { signature, authorization } };
    lines.push(Buffer.from(JSON.stringify(payment)).toString("base64"));
  }
  writeFileSync(out, `${lines.join("\n")}\n`);
  writeFileSync(`${out}.requirements.json`, JSON.stringify(offer));
}

// @x402/svm's facilitator on the Solana payments: its signer manages the offer's fee payer and
// its simulation succeeds (stubbed: the mock's own is an in-process check); decoding, the
// signature check (WebCrypto Ed25519), decompiling and the static path run for real.
async function verifySolana(offer, payments) {
  const { ExactSvmScheme } = await load("@x402/svm/exact/facilitator");
  const signer = {
    getAddresses: () => [offer.extra.feePayer],
    simulateTransaction: async () => {},
  };
  return new ExactSvmScheme(signer);
}

async function verify(file) {
  const offer = JSON.parse(readFileSync(`${file}.requirements.json`, "utf8"));
  // The facilitator scheme of the offer: exact (EIP-3009 or Permit2 by the payload's shape) or upto.
  const { ExactEvmScheme, UptoEvmScheme } = offer.scheme === "upto"
    ? await load("@x402/evm/upto/facilitator") : await load("@x402/evm/exact/facilitator");
  // (Solana uses neither: verifySolana below.)
  const payments = readFileSync(file, "utf8").trim().split("\n")
    .map((line) => JSON.parse(Buffer.from(line, "base64").toString()));
  // No chain: payers have no code (plain ECDSA accounts), the token has code, and the
  // transfer simulation (readContract) succeeds. Everything else verify does runs for real.
  const signer = {
    getAddresses: () => (offer.extra.facilitatorAddress ? [offer.extra.facilitatorAddress] : []),
    getCode: async ({ address }) => (address.toLowerCase() === offer.asset.toLowerCase() ? "0x6080" : "0x"),
    readContract: async () => undefined,
  };
  const scheme = offer.network.startsWith("solana:") ? await verifySolana(offer, payments)
    : offer.scheme === "upto" ? new UptoEvmScheme(signer, {}) : new ExactEvmScheme(signer, {});
  const latencies = new Float64Array(payments.length);
  let valid = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < payments.length; ++i) {
    const t0 = process.hrtime.bigint();
    const result = await scheme.verify(payments[i], offer);
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    if (result.isValid) ++valid;
    else if (i === 0) console.error("verify refused the first payment:", JSON.stringify(result));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  console.log(JSON.stringify({
    count: payments.length, valid, seconds, per_second: payments.length / seconds,
    p50_ms: pct(0.5), p99_ms: pct(0.99),
  }));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "generate") await generate(Number(args[0]), args[1], args[2]);
else if (mode === "verify") await verify(args[0]);
else throw new Error("usage: signature_bench.mjs generate N URL OUT | verify FILE");
