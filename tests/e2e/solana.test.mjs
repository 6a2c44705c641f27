// Solana `exact`, paid offline by the real clients, unmodified: @x402/fetch 2.27 with
// @x402/svm 2.27's ExactSvmScheme (v2) and ExactSvmSchemeV1 (v1), and x402-fetch 1.2.0, all
// pointed at the mock's stand-in RPC (/__x402/solana-rpc) and paying with freshly generated
// keypairs. The transactions the clients built are then altered, re-signed or not, and each is
// checked by the mock's facilitator and by @x402/svm's own facilitator (ExactSvmScheme from
// @x402/svm/exact/facilitator, holding the mock's fee-payer key and simulating through the
// mock's RPC): both must give the same reason. An @x402/express 2.27 server with a Solana route
// settles through the mock.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { ed25519 } from "@noble/curves/ed25519";
import {
  address,
  createKeyPairSignerFromBytes,
  generateKeyPairSigner,
  getBase58Decoder,
  getBase58Encoder,
  getBase64Decoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getCompiledTransactionMessageEncoder,
  getTransactionDecoder,
  getTransactionEncoder,
  signBytes,
} from "@solana/kit";
import { HTTPFacilitatorClient, x402ResourceServer } from "@x402/core/server";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { paymentMiddleware } from "@x402/express";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { toFacilitatorSvmSigner } from "@x402/svm";
import { ExactSvmScheme } from "@x402/svm/exact/client";
import { ExactSvmScheme as ExactSvmFacilitator } from "@x402/svm/exact/facilitator";
import { ExactSvmScheme as ExactSvmServerScheme } from "@x402/svm/exact/server";
import { ExactSvmSchemeV1 } from "@x402/svm/exact/v1/client";
import { ExactSvmSchemeV1 as ExactSvmFacilitatorV1 } from "@x402/svm/exact/v1/facilitator";
import express from "express";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSigner, decodeXPaymentResponse, wrapFetchWithPayment as wrapV1 } from "x402-fetch";

import { freePort, startMock } from "./mock_process.mjs";

const TEST_TIMEOUT = 90_000;
const DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1";
const DEVNET_USDC = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU";
const DEVNET_USDG = "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7"; // Token-2022
const DEVNET_PYUSD = "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM"; // Token-2022
const TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
const SYSTEM_PROGRAM = "11111111111111111111111111111111";
const UNKNOWN_TABLE = "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH"; // no account on the mock's chain

const tempDirs = [];
function configFile(yaml) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "x402-solana-"));
  tempDirs.push(dir);
  const file = path.join(dir, "x402dev.yaml");
  writeFileSync(file, yaml);
  return file;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function startMockWith(yaml) {
  return startMock([], { X402_DEV_CONFIG: configFile(yaml) });
}

const decodeBase64Json = (text) => JSON.parse(Buffer.from(text, "base64").toString());
const rpcOf = (mock) => `${mock.url}/__x402/solana-rpc`;
const historyOf = async (mock) => (await (await fetch(`${mock.url}/__x402/requests?limit=1000`)).json()).requests;

// The mock instance's fee payer, as the state directory keeps it (solana-keygen's format).
function feePayerKeyOf(mock) {
  return Uint8Array.from(JSON.parse(readFileSync(path.join(mock.home, ".x402dev", "solana-fee-payer.json"), "utf8")));
}

// A fetch that passes requests on and keeps each payment header it carries (v2 and v1).
function capturingFetch({ dropPaymentRequired = false } = {}) {
  const paid = [];
  const capture = async (input, init) => {
    const request = new Request(input, init);
    const header = request.headers.get("payment-signature") ?? request.headers.get("x-payment");
    if (header) paid.push({ header, payload: decodeBase64Json(header) });
    const res = await fetch(request);
    if (!dropPaymentRequired || res.status !== 402) return res;
    // A v1 server: the 402's JSON body only (so @x402/fetch takes the v1 path).
    const headers = new Headers(res.headers);
    headers.delete("payment-required");
    return new Response(await res.text(), { status: 402, headers });
  };
  return { capture, paid };
}

// A real payment of |path| by |signer|'s client, captured and answered here, so the mock never
// settles it: what a facilitator is then asked to verify.
async function unsettledPayment(mock, signer, path) {
  let payment;
  const keep = async (input, init) => {
    const request = new Request(input, init);
    const header = request.headers.get("payment-signature");
    if (header) {
      payment = decodeBase64Json(header);
      return new Response("{}", { status: 200 });
    }
    return fetch(request);
  };
  await wrapFetchWithPayment(keep, svmClient(signer, mock))(`${mock.url}${path}`);
  assert.ok(payment?.payload?.transaction, "the client paid");
  return payment;
}

function svmClient(signer, mock, pick = (reqs) => reqs.find((r) => r.network.startsWith("solana:"))) {
  const client = new x402Client((_version, reqs) => pick(reqs));
  client.register("solana:*", new ExactSvmScheme(signer, { rpcUrl: rpcOf(mock) }));
  return client;
}

// The base58 signature |transaction| is, checked as the fee payer's ed25519 signature over the
// message of the wire transaction the client sent.
function assertCoSigned(transaction, wireBase64, feePayer) {
  const signature = getBase58Encoder().encode(transaction);
  assert.equal(signature.length, 64, `transaction ${transaction} is a 64-byte signature`);
  const tx = getTransactionDecoder().decode(getBase64Encoder().encode(wireBase64));
  assert.ok(ed25519.verify(signature, tx.messageBytes, getBase58Encoder().encode(feePayer)),
    "the settlement's transaction id is the fee payer's signature over the payer's message");
}

describe("v2: @x402/fetch with ExactSvmScheme pays devnet USDC and the Token-2022 assets", { timeout: TEST_TIMEOUT }, () => {
  let mock;
  before(async () => {
    mock = await startMockWith(
      "mock_server:\n  accepts:\n    - network: solana-devnet\n" +
        `    - {network: solana-devnet, asset: ${DEVNET_USDG}}\n    - {network: "${DEVNET}", asset: ${DEVNET_PYUSD}}\n`);
  });
  after(async () => {
    await mock?.stop();
  });

  test("the 402 offers each with the fee payer and a recent blockhash the mock issued", async () => {
    const res = await fetch(`${mock.url}/item`);
    assert.equal(res.status, 402);
    const offer = decodeBase64Json(res.headers.get("payment-required"));
    assert.deepEqual(offer.accepts.map((o) => o.asset), [DEVNET_USDC, DEVNET_USDG, DEVNET_PYUSD]);
    const supported = await (await fetch(`${mock.url}/facilitator/supported`)).json();
    const feePayer = supported.signers["solana:*"][0];
    assert.equal(feePayer, (await createKeyPairSignerFromBytes(feePayerKeyOf(mock))).address);
    assert.ok(supported.kinds.some((k) => k.network === DEVNET && k.scheme === "exact" && k.extra.feePayer === feePayer));
    const rpc = await (await fetch(rpcOf(mock), {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getLatestBlockhash" }),
    })).json();
    for (const option of offer.accepts) {
      assert.equal(option.network, DEVNET);
      assert.equal(option.amount, "10000");
      assert.equal(option.extra.feePayer, feePayer);
      assert.equal(option.extra.recentBlockhash, rpc.result.value.blockhash);
    }
  });

  test("each asset is paid, settled as the fee payer's real co-signature, and recorded", async () => {
    const signer = await generateKeyPairSigner();
    const feePayer = (await createKeyPairSignerFromBytes(feePayerKeyOf(mock))).address;
    for (const asset of [DEVNET_USDC, DEVNET_USDG, DEVNET_PYUSD]) {
      const { capture, paid } = capturingFetch();
      const res = await wrapFetchWithPayment(capture, svmClient(signer, mock, (reqs) => reqs.find((r) => r.asset === asset)))(`${mock.url}/item`);
      assert.equal(res.status, 200, `${asset}: ${await res.clone().text()}`);
      const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
      assert.deepEqual([settlement.success, settlement.network, settlement.payer, settlement.amount], [true, DEVNET, signer.address, "10000"]);
      assertCoSigned(settlement.transaction, paid[0].payload.payload.transaction, feePayer);
      // The client built the transfer under the mint's program: Token-2022 for USDG and PYUSD.
      const compiled = getCompiledTransactionMessageDecoder().decode(
        getTransactionDecoder().decode(getBase64Encoder().encode(paid[0].payload.payload.transaction)).messageBytes);
      const transferProgram = compiled.staticAccounts[compiled.instructions[2].programAddressIndex];
      assert.equal(transferProgram === TOKEN_2022, asset !== DEVNET_USDC, `${asset} moved under ${transferProgram}`);
    }
    const records = (await historyOf(mock)).filter((r) => r.verdict === "paid");
    assert.deepEqual(records.map((r) => r.option.symbol), ["USDC", "USDG", "PYUSD"]);
    for (const r of records) {
      assert.equal(r.payment.payer, signer.address);
      assert.equal(r.option.network, DEVNET);
      assert.ok(r.settlement?.transaction ?? r.transaction, JSON.stringify(r));
    }
    const log = await mock.waitForLog(/paid payer=\S+ amount=10000 PYUSD/);
    assert.match(log, new RegExp(`paid payer=${signer.address} amount=10000 USDG network=${DEVNET}`));
  });

  test("the same transaction sent again is refused: at the paywall and at /facilitator/settle", async () => {
    const signer = await generateKeyPairSigner();
    const { capture, paid } = capturingFetch();
    const res = await wrapFetchWithPayment(capture, svmClient(signer, mock))(`${mock.url}/again`);
    assert.equal(res.status, 200);
    const replay = await fetch(`${mock.url}/again`, { headers: { "PAYMENT-SIGNATURE": paid[0].header } });
    assert.equal(replay.status, 402);
    assert.equal(decodeBase64Json(replay.headers.get("payment-required")).error, "invalid_exact_svm_transaction_simulation_failed");
    const settle = await (await fetch(`${mock.url}/facilitator/settle`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ x402Version: 2, paymentPayload: paid[0].payload, paymentRequirements: paid[0].payload.accepted }),
    })).json();
    assert.deepEqual([settle.success, settle.errorReason], [false, "duplicate_settlement"]);
  });
});

describe("v1: x402-fetch 1.2.0 and @x402/fetch with ExactSvmSchemeV1 pay a solana-devnet offer", { timeout: TEST_TIMEOUT }, () => {
  let mock;
  before(async () => {
    mock = await startMockWith("mock_server:\n  network: solana-devnet\n");
  });
  // @x402/svm's own v1 facilitator (which the mock's v1 rules follow) on the same payment,
  // simulating through the mock's RPC: it must take what the mock took.
  async function referenceV1Verify(payment) {
    const offer = (await (await fetch(`${mock.url}/v1-offer`)).json()).accepts[0];
    const feePayer = await createKeyPairSignerFromBytes(feePayerKeyOf(mock));
    const reference = new ExactSvmFacilitatorV1(toFacilitatorSvmSigner(feePayer, { defaultRpcUrl: rpcOf(mock) }));
    return reference.verify(payment, offer);
  }
  after(async () => {
    await mock?.stop();
  });

  test("x402-fetch 1.2.0 (svmConfig.rpcUrl): it estimates compute units through simulateTransaction, then pays", async () => {
    const seed = ed25519.utils.randomPrivateKey();
    const secret = new Uint8Array([...seed, ...ed25519.getPublicKey(seed)]);
    const wallet = await createSigner("solana-devnet", getBase58Decoder().decode(secret));
    const { capture, paid } = capturingFetch();
    const res = await wrapV1(capture, wallet, undefined, undefined, { svmConfig: { rpcUrl: rpcOf(mock) } })(`${mock.url}/v1`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(paid[0].payload.x402Version, 1);
    assert.equal(paid[0].payload.network, "solana-devnet");
    const settlement = decodeXPaymentResponse(res.headers.get("x-payment-response"));
    assert.deepEqual([settlement.success, settlement.network, settlement.payer], [true, "solana-devnet", wallet.address]);
    // Its three instructions: the limit it estimated, the price, the transfer.
    const compiled = getCompiledTransactionMessageDecoder().decode(
      getTransactionDecoder().decode(getBase64Encoder().encode(paid[0].payload.payload.transaction)).messageBytes);
    assert.equal(compiled.instructions.length, 3);
    const theirs = await referenceV1Verify(paid[0].payload);
    assert.equal(theirs.isValid, true, JSON.stringify(theirs));
  });

  test("@x402/fetch with ExactSvmSchemeV1 registered for solana-devnet", async () => {
    const signer = await generateKeyPairSigner();
    const client = new x402Client();
    client.registerV1("solana-devnet", new ExactSvmSchemeV1(signer, { rpcUrl: rpcOf(mock) }));
    const { capture, paid } = capturingFetch({ dropPaymentRequired: true });
    const res = await wrapFetchWithPayment(capture, client)(`${mock.url}/v1b`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(paid[0].payload.x402Version, 1);
    const settlement = decodePaymentResponseHeader(res.headers.get("x-payment-response") ?? res.headers.get("payment-response"));
    assert.equal(settlement.payer, signer.address);
    const theirs = await referenceV1Verify(paid[0].payload);
    assert.equal(theirs.isValid, true, JSON.stringify(theirs));
  });
});

describe("an offer listing EVM and Solana options is paid by each family's client", { timeout: TEST_TIMEOUT }, () => {
  test("ExactEvmScheme pays base-sepolia, ExactSvmScheme pays solana-devnet", async () => {
    const mock = await startMockWith("mock_server:\n  accepts:\n    - network: base-sepolia\n    - network: solana-devnet\n");
    try {
      const evm = new x402Client((_v, reqs) => reqs.find((r) => r.network === "eip155:84532"));
      evm.register("eip155:*", new ExactEvmScheme(privateKeyToAccount(generatePrivateKey())));
      const byEvm = await wrapFetchWithPayment(fetch, evm)(`${mock.url}/both`);
      assert.equal(byEvm.status, 200);
      assert.equal(decodePaymentResponseHeader(byEvm.headers.get("payment-response")).network, "eip155:84532");
      const signer = await generateKeyPairSigner();
      const bySvm = await wrapFetchWithPayment(fetch, svmClient(signer, mock))(`${mock.url}/both`);
      assert.equal(bySvm.status, 200);
      assert.equal(decodePaymentResponseHeader(bySvm.headers.get("payment-response")).network, DEVNET);
    } finally {
      await mock.stop();
    }
  });
});

// --- transactions altered after the client signed them ---------------------------------------

function decodeWire(base64) {
  const tx = getTransactionDecoder().decode(getBase64Encoder().encode(base64));
  return { tx, compiled: getCompiledTransactionMessageDecoder().decode(tx.messageBytes) };
}

// |compiled| as a wire transaction: re-signed by |signer| when given (else its old signatures
// kept, so the message no longer matches them), every other signer's slot as |signatures| says.
async function encodeWire(compiled, oldTx, signer) {
  const messageBytes = getCompiledTransactionMessageEncoder().encode(compiled);
  const signers = compiled.staticAccounts.slice(0, compiled.header.numSignerAccounts);
  const signatures = {};
  for (const account of signers) signatures[account] = oldTx.signatures[account] ?? null;
  if (signer) signatures[signer.address] = await signBytes(signer.keyPair.privateKey, messageBytes);
  return getBase64Decoder().decode(getTransactionEncoder().encode({ messageBytes, signatures }));
}

describe("altered transactions: the mock's facilitator and @x402/svm's give the same reason", { timeout: TEST_TIMEOUT }, () => {
  let mock, reference, payment, signer;
  before(async () => {
    mock = await startMockWith("mock_server:\n  network: solana-devnet\n");
    const feePayer = await createKeyPairSignerFromBytes(feePayerKeyOf(mock));
    reference = new ExactSvmFacilitator(toFacilitatorSvmSigner(feePayer, { defaultRpcUrl: rpcOf(mock) }));
    signer = await generateKeyPairSigner();
    payment = await unsettledPayment(mock, signer, "/alter");
  });
  after(async () => {
    await mock?.stop();
  });

  async function mockVerify(transaction) {
    const body = { x402Version: 2, paymentPayload: { ...payment, payload: { transaction } }, paymentRequirements: payment.accepted };
    return (await fetch(`${mock.url}/facilitator/verify`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    })).json();
  }
  async function bothVerify(transaction) {
    const ours = await mockVerify(transaction);
    const theirs = await reference.verify({ ...payment, payload: { transaction } }, payment.accepted);
    return { ours, theirs };
  }

  const alterations = [
    ["the untouched payment", () => {}, null, true],
    ["the amount, +1", (c) => { const d = Uint8Array.from(c.instructions[2].data); d[1] += 1; c.instructions[2] = { ...c.instructions[2], data: d }; },
      "invalid_exact_svm_payload_amount_mismatch", true],
    ["the mint", (c) => { c.staticAccounts[c.instructions[2].accountIndices[1]] = address(DEVNET_USDG); },
      "invalid_exact_svm_payload_mint_mismatch", true],
    ["the destination", (c) => { c.staticAccounts[c.instructions[2].accountIndices[2]] = address(DEVNET_PYUSD); },
      "invalid_exact_svm_payload_recipient_mismatch", true],
    ["an extra instruction", (c) => {
      c.staticAccounts.push(address(SYSTEM_PROGRAM));
      c.instructions.push({ programAddressIndex: c.staticAccounts.length - 1, accountIndices: [], data: new Uint8Array([2, 0, 0, 0]) });
    }, "invalid_exact_svm_payload_unknown_fifth_instruction", true],
    ["the compute limit dropped", (c) => { c.instructions.shift(); },
      "invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction", true],
    ["a second signer without its signature", (c) => { c.header = { ...c.header, numSignerAccounts: c.header.numSignerAccounts + 1 }; },
      "invalid_exact_svm_payload_signature_invalid", true],
    ["an address lookup table", (c) => {
      c.addressTableLookups = [{ lookupTableAddress: address(UNKNOWN_TABLE), writableIndexes: [], readonlyIndexes: [0] }];
    }, `invalid_exact_svm_smart_wallet_alt_resolution_failed: Accounts not found at addresses: ${UNKNOWN_TABLE}`, true],
    ["the owner not a signer (only the fee payer signs)", (c) => {
      c.header = { ...c.header, numSignerAccounts: 1, numReadonlySignerAccounts: 0, numReadonlyNonSignerAccounts: c.header.numReadonlyNonSignerAccounts };
    }, "invalid_exact_svm_transaction_simulation_failed", false],
    ["the amount, not re-signed", (c) => { const d = Uint8Array.from(c.instructions[2].data); d[1] += 1; c.instructions[2] = { ...c.instructions[2], data: d }; },
      "invalid_exact_svm_payload_signature_invalid", false],
  ];

  for (const [what, alter, reason, resign] of alterations) {
    test(`${what} → ${reason ?? "valid"}`, async () => {
      const { tx, compiled } = decodeWire(payment.payload.transaction);
      const copy = { ...compiled, staticAccounts: [...compiled.staticAccounts], instructions: [...compiled.instructions] };
      alter(copy);
      const transaction = await encodeWire(copy, tx, resign ? signer : null);
      const { ours, theirs } = await bothVerify(transaction);
      assert.equal(theirs.isValid, reason === null, `reference: ${JSON.stringify(theirs)}`);
      assert.equal(ours.isValid, reason === null, `mock: ${JSON.stringify(ours)}`);
      if (reason !== null) {
        assert.equal(theirs.invalidReason, reason, `the reference's reason: ${JSON.stringify(theirs)}`);
        assert.equal(ours.invalidReason, reason, `the mock's reason: ${JSON.stringify(ours)}`);
      }
    });
  }
});

describe("a payer short of funds: both facilitators' simulations fail", { timeout: TEST_TIMEOUT }, () => {
  test("the ledger's balance is what the mock's RPC simulates with, and what its own verify checks", async () => {
    // Every payer opens with $0.005; the default price is $0.01.
    const mock = await startMockWith("mock_server:\n  network: solana-devnet\n  ledger:\n    starting_balance: 0.005\n");
    try {
      const feePayer = await createKeyPairSignerFromBytes(feePayerKeyOf(mock));
      const reference = new ExactSvmFacilitator(toFacilitatorSvmSigner(feePayer, { defaultRpcUrl: rpcOf(mock) }));
      const payment = await unsettledPayment(mock, await generateKeyPairSigner(), "/short");
      const theirs = await reference.verify(payment, payment.accepted);
      assert.equal(theirs.invalidReason, "invalid_exact_svm_transaction_simulation_failed", JSON.stringify(theirs));
      assert.match(theirs.invalidMessage, /"Custom":"?1"?}/); // kit reads numbers as bigints
      const ours = await (await fetch(`${mock.url}/facilitator/verify`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ x402Version: 2, paymentPayload: payment, paymentRequirements: payment.accepted }),
      })).json();
      assert.equal(ours.invalidReason, "invalid_exact_svm_transaction_simulation_failed", JSON.stringify(ours));
      assert.match(ours.invalidMessage, /0\.005 USDC left, the payment is 0\.01 USDC/);
      const ledger = await (await fetch(`${mock.url}/__x402/ledger`)).json();
      assert.deepEqual(ledger, {}, "a verify opens no account");
    } finally {
      await mock.stop();
    }
  });
});

describe("@x402/express 2.27 with a Solana route settles through the mock facilitator", { timeout: TEST_TIMEOUT }, () => {
  let mock, server, url;
  before(async () => {
    mock = await startMock();
    const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` }))
      .register(DEVNET, new ExactSvmServerScheme({ rpcUrl: rpcOf(mock) }));
    const app = express();
    app.use(paymentMiddleware(
      { "GET /sol": { accepts: { scheme: "exact", price: "$0.003", network: DEVNET, payTo: "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH" } } },
      resourceServer));
    app.get("/sol", (_req, res) => res.json({ sol: "ok" }));
    const port = await freePort();
    await new Promise((resolve) => {
      server = app.listen(port, "127.0.0.1", resolve);
    });
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    await mock?.stop();
  });

  test("ExactSvmScheme pays; the server's offer carries the mock's fee payer and blockhash; the mock settles", async () => {
    const res402 = await fetch(`${url}/sol`);
    const offer = decodeBase64Json(res402.headers.get("payment-required"));
    const supported = await (await fetch(`${mock.url}/facilitator/supported`)).json();
    assert.equal(offer.accepts[0].extra.feePayer, supported.signers["solana:*"][0]);
    assert.ok(offer.accepts[0].extra.recentBlockhash, "the server asked the mock's RPC for a blockhash");

    const signer = await generateKeyPairSigner();
    const { capture, paid } = capturingFetch();
    const res = await wrapFetchWithPayment(capture, svmClient(signer, mock))(`${url}/sol`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { sol: "ok" });
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
    assert.deepEqual([settlement.success, settlement.network, settlement.payer, settlement.amount], [true, DEVNET, signer.address, "3000"]);
    assertCoSigned(settlement.transaction, paid[0].payload.payload.transaction, supported.signers["solana:*"][0]);
    const records = await historyOf(mock);
    assert.deepEqual(records.filter((r) => r.path.startsWith("/facilitator/")).map((r) => `${r.method} ${r.path} ${r.status}`),
      ["GET /facilitator/supported 200", "GET /facilitator/supported 200", "POST /facilitator/verify 200", "POST /facilitator/settle 200"]);
  });
});
