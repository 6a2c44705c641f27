// Permit2 and the upto scheme, paid by the real clients of @x402/evm 2.27, unmodified: the
// exact scheme's Permit2 branch (ExactEvmScheme from @x402/evm/exact/client, taken when an
// offer's extra.assetTransferMethod is "permit2") on every Permit2-only asset of the
// reference table and on USDC forced to Permit2; UptoEvmScheme (@x402/evm/upto/client) on
// upto options with the charge chosen by the request's Settlement-Overrides header, the
// option's `charge`, or the maximum; replays at the paywall and at /facilitator/settle; the
// Permit2 nonce space shared by exact and upto; and an @x402/express 2.27 server that settles
// an upto route (its handler sets the charge) and a Permit2 exact route through the mock.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { HTTPFacilitatorClient, x402ResourceServer } from "@x402/core/server";
import {
  DEFAULT_ASSETS,
  isUptoPermit2Payload,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from "@x402/evm";
import { ExactEvmScheme, registerExactEvmScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402/evm/exact/server";
import { UptoEvmScheme } from "@x402/evm/upto/client";
import { UptoEvmScheme as UptoEvmServerScheme } from "@x402/evm/upto/server";
import { paymentMiddleware, setSettlementOverrides } from "@x402/express";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import express from "express";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { freePort, startMock } from "./mock_process.mjs";

const TEST_TIMEOUT = 60_000;
const PRICE_MICRO_USD = 10_000n; // 0.01 USD, the mock's default price (any path but /api/*)
const BASE_SEPOLIA_USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const UPTO_FACILITATOR = "0x0000000000000000000000000000000000402def";
const payTo = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";

const newAccount = () => privateKeyToAccount(generatePrivateKey());

// The assets of the reference table the exact scheme moves only through Permit2.
const permit2Assets = Object.entries(DEFAULT_ASSETS).flatMap(([network, assets]) =>
  assets.filter((a) => a.assetTransferMethod === "permit2").map((a) => ({ network, ...a })));

const tempDirs = [];
function configFile(yaml) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "x402-permit2-"));
  tempDirs.push(dir);
  const file = path.join(dir, "x402dev.yaml");
  writeFileSync(file, yaml);
  return file;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

// A mock whose offer is |acceptsLines| (YAML list entries under mock_server.accepts).
function startMockWith(...acceptsLines) {
  const yaml = "mock_server:\n  accepts:\n" + acceptsLines.map((l) => `    - ${l}\n`).join("");
  return startMock([], { X402_DEV_CONFIG: configFile(yaml) });
}

const decodeBase64Json = (text) => JSON.parse(Buffer.from(text, "base64").toString());

async function offerOf(url) {
  const res = await fetch(url);
  assert.equal(res.status, 402);
  return decodeBase64Json(res.headers.get("payment-required"));
}

// The reason of a refusal: a 402 whose PAYMENT-REQUIRED header carries `error`.
function refusalOf(res) {
  assert.equal(res.status, 402);
  return decodeBase64Json(res.headers.get("payment-required")).error;
}

async function historyOf(mockUrl) {
  return (await (await fetch(`${mockUrl}/__x402/requests?limit=1000`)).json()).requests;
}

// A fetch that passes every request on and keeps each paid one (the PAYMENT-SIGNATURE header,
// raw and decoded, with the request's headers); |answer|, when given, answers the paid request
// itself instead of passing it on (so the mock never sees that payment).
function capturingFetch(answer) {
  const paid = [];
  const capture = async (input, init) => {
    const request = new Request(input, init);
    const signature = request.headers.get("payment-signature");
    if (signature) {
      paid.push({ signature, payload: decodeBase64Json(signature), headers: request.headers });
      if (answer) return answer(request);
    }
    return fetch(request);
  };
  return { capture, paid };
}

// A v2 client paying with |scheme| the option chosen by |pick| (over the options of that scheme).
function clientWith(scheme, pick = (requirements) => requirements[0]) {
  const client = new x402Client((version, requirements) => {
    const chosen = pick(requirements);
    assert.ok(chosen, `the 402 lists the option wanted among ${JSON.stringify(requirements.map((r) => [r.scheme, r.network, r.asset]))}`);
    return chosen;
  });
  client.register("eip155:*", scheme);
  return client;
}
const onNetwork = (network, asset) => (requirements) =>
  requirements.find((r) => r.network === network && (!asset || r.asset.toLowerCase() === asset.toLowerCase()));

const overrides = (amount) => ({ headers: { "Settlement-Overrides": JSON.stringify({ amount }) } });

describe("exact through Permit2: every Permit2 asset of @x402/evm 2.27's DEFAULT_ASSETS", { timeout: TEST_TIMEOUT }, () => {
  let mock;
  before(async () => {
    assert.ok(permit2Assets.length >= 6, `the reference table has ${permit2Assets.length} Permit2 assets`);
    // No asset_transfer_method: these assets go through Permit2 by default.
    mock = await startMockWith(...permit2Assets.map((a) => `{network: "${a.network}", asset: "${a.asset}"}`));
  });
  after(async () => {
    await mock?.stop();
  });

  test("the 402 offers each one through Permit2, at the price in its decimals", async () => {
    const offer = await offerOf(`${mock.url}/anything`);
    assert.equal(offer.accepts.length, permit2Assets.length);
    for (const [i, a] of permit2Assets.entries()) {
      const option = offer.accepts[i];
      assert.deepEqual([option.scheme, option.network, option.asset], ["exact", a.network, a.asset]);
      assert.equal(option.extra?.assetTransferMethod, "permit2", `${a.network} ${a.symbol}: ${JSON.stringify(option.extra)}`);
      assert.equal(option.amount, (PRICE_MICRO_USD * 10n ** BigInt(a.decimals) / 1_000_000n).toString(), `${a.network} amount`);
    }
  });

  test("@x402/fetch with ExactEvmScheme pays each one with a Permit2 payload; the history says transfer=permit2", async () => {
    const account = newAccount();
    for (const a of permit2Assets) {
      const { capture, paid } = capturingFetch();
      const res = await wrapFetchWithPayment(capture, clientWith(new ExactEvmScheme(account), onNetwork(a.network, a.asset)))(`${mock.url}/anything`);
      assert.equal(res.status, 200, `${a.network} ${a.symbol}: ${await res.clone().text()}`);
      assert.equal(paid.length, 1);
      const { payload } = paid[0];
      assert.ok(payload.payload.permit2Authorization, `${a.network}: the client sent ${JSON.stringify(payload.payload)}`);
      assert.equal(payload.payload.authorization, undefined);
      const permit = payload.payload.permit2Authorization;
      assert.equal(permit.from, account.address);
      assert.equal(permit.spender, x402ExactPermit2ProxyAddress);
      assert.equal(permit.permitted.token.toLowerCase(), a.asset.toLowerCase());
      assert.equal(permit.permitted.amount, payload.accepted.amount);
      const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
      assert.equal(settlement.success, true);
      assert.equal(settlement.network, a.network);
      assert.equal(settlement.amount, payload.accepted.amount);
      assert.equal((await res.json()).asset, a.asset);
    }
    const paidRecords = (await historyOf(mock.url)).filter((r) => r.verdict === "paid");
    assert.deepEqual(paidRecords.map((r) => `${r.option.network} ${r.option.symbol}`), permit2Assets.map((a) => `${a.network} ${a.symbol}`));
    for (const r of paidRecords) {
      assert.equal(r.payment.details.transfer, "permit2", `${r.option.network}: ${JSON.stringify(r.payment.details)}`);
      assert.equal(r.payment.payer, account.address);
    }
  });
});

describe("base-sepolia USDC forced to Permit2 (asset_transfer_method: permit2)", { timeout: TEST_TIMEOUT }, () => {
  test("the offer says so with USDC's EIP-712 domain, and ExactEvmScheme pays it with a Permit2 payload", async () => {
    const mock = await startMockWith("{network: base-sepolia, asset_transfer_method: permit2}");
    try {
      const offer = await offerOf(`${mock.url}/anything`);
      assert.equal(offer.accepts.length, 1);
      const option = offer.accepts[0];
      assert.deepEqual([option.scheme, option.network, option.asset, option.amount], ["exact", "eip155:84532", BASE_SEPOLIA_USDC, "10000"]);
      assert.deepEqual(option.extra, { name: "USDC", version: "2", assetTransferMethod: "permit2" });

      const account = newAccount();
      const client = new x402Client();
      registerExactEvmScheme(client, { signer: account });
      const { capture, paid } = capturingFetch();
      const res = await wrapFetchWithPayment(capture, client)(`${mock.url}/anything`);
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(paid.length, 1);
      const permit = paid[0].payload.payload.permit2Authorization;
      assert.ok(permit, JSON.stringify(paid[0].payload.payload));
      assert.deepEqual(permit.permitted, { token: BASE_SEPOLIA_USDC, amount: "10000" });
      assert.equal(permit.spender, x402ExactPermit2ProxyAddress);
      assert.equal(permit.witness.to, payTo);
      const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
      assert.deepEqual([settlement.success, settlement.network, settlement.amount], [true, "eip155:84532", "10000"]);
      const record = (await historyOf(mock.url)).find((r) => r.verdict === "paid");
      assert.equal(record.payment.details.transfer, "permit2");
    } finally {
      await mock.stop();
    }
  });
});

describe("upto: UptoEvmScheme pays, and the charge is the header's, the option's, or the maximum", { timeout: TEST_TIMEOUT }, () => {
  // base-sepolia: no charge configured; base: charge "$0.002". Both at most 0.01 USDC.
  let mock;
  const account = newAccount();
  before(async () => {
    mock = await startMockWith("{scheme: upto, network: base-sepolia}", `{scheme: upto, network: base, charge: "$0.002"}`);
  });
  after(async () => {
    await mock?.stop();
  });

  // Pays /metered on |network| with |init| (the request's own headers); the response, the
  // decoded settlement header (if any), the paid request as sent, and its history record.
  async function payUpto(network, init) {
    const { capture, paid } = capturingFetch();
    const res = await wrapFetchWithPayment(capture, clientWith(new UptoEvmScheme(account), onNetwork(network)))(`${mock.url}/metered`, init);
    assert.equal(paid.length, 1, "one paid request");
    const header = res.headers.get("payment-response");
    const records = await historyOf(mock.url);
    const record = records.filter((r) => r.payment?.nonce === paid[0].payload.payload.permit2Authorization.nonce).at(-1);
    return { res, settlement: header && decodePaymentResponseHeader(header), sent: paid[0], record };
  }

  test("the offer: scheme upto, Permit2, the facilitator address, the maximum as amount", async () => {
    const offer = await offerOf(`${mock.url}/metered`);
    assert.deepEqual(offer.accepts.map((o) => [o.scheme, o.network, o.amount]), [["upto", "eip155:84532", "10000"], ["upto", "eip155:8453", "10000"]]);
    for (const o of offer.accepts) {
      assert.equal(o.extra.assetTransferMethod, "permit2");
      assert.equal(o.extra.facilitatorAddress, UPTO_FACILITATOR);
    }
  });

  test("Settlement-Overrides {\"amount\":\"25%\"} on the request: 200, charged 2500 of 10000", async () => {
    const { res, settlement, sent, record } = await payUpto("eip155:84532", overrides("25%"));
    assert.equal(res.status, 200, await res.clone().text());
    // wrapFetchWithPayment retries with a clone of the caller's request: the header goes along.
    assert.equal(sent.headers.get("settlement-overrides"), '{"amount":"25%"}');
    assert.ok(isUptoPermit2Payload(sent.payload.payload), JSON.stringify(sent.payload.payload));
    const permit = sent.payload.payload.permit2Authorization;
    assert.equal(permit.permitted.amount, "10000");
    assert.equal(permit.spender, x402UptoPermit2ProxyAddress);
    assert.equal(permit.witness.facilitator.toLowerCase(), UPTO_FACILITATOR);
    const body = await res.json();
    assert.equal(body.amount, "2500");
    assert.equal(body.scheme, "upto");
    assert.deepEqual([settlement.success, settlement.network, settlement.amount], [true, "eip155:84532", "2500"]);
    assert.match(settlement.transaction, /^0x[0-9a-f]{64}$/);
    assert.equal(record.verdict, "paid");
    assert.equal(record.option.scheme, "upto");
    assert.equal(record.settlement.amount, "2500");
    assert.equal(record.payment.details.transfer, "permit2");
  });

  test("Settlement-Overrides {\"amount\":\"0\"}: 200, nothing settled (transaction \"\", amount \"0\")", async () => {
    const { res, settlement, record } = await payUpto("eip155:84532", overrides("0"));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).amount, "0");
    assert.deepEqual([settlement.success, settlement.transaction, settlement.amount], [true, "", "0"]);
    assert.equal(record.verdict, "paid");
    assert.equal(record.settlement.amount, "0");
  });

  test("Settlement-Overrides {\"amount\":\"150%\"}: refused, invalid_upto_evm_payload_settlement_exceeds_amount", async () => {
    const { res, settlement, record } = await payUpto("eip155:84532", overrides("150%"));
    assert.equal(refusalOf(res), "invalid_upto_evm_payload_settlement_exceeds_amount");
    assert.equal(settlement, null);
    assert.equal(record.verdict, "rejected");
    assert.equal(record.reason, "invalid_upto_evm_payload_settlement_exceeds_amount");
  });

  test("no header, the option's charge \"$0.002\": charged 2000", async () => {
    const { res, settlement, record } = await payUpto("eip155:8453");
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).amount, "2000");
    assert.deepEqual([settlement.network, settlement.amount], ["eip155:8453", "2000"]);
    assert.equal(record.settlement.amount, "2000");
  });

  test("no header, no charge: charged the maximum, 10000", async () => {
    const { res, settlement, record } = await payUpto("eip155:84532");
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).amount, "10000");
    assert.deepEqual([settlement.network, settlement.amount], ["eip155:84532", "10000"]);
    assert.equal(record.settlement.amount, "10000");
  });
});

describe("replays of Permit2 payments", { timeout: TEST_TIMEOUT }, () => {
  const options = ["{network: base-sepolia, asset_transfer_method: permit2}", "{scheme: upto, network: base-sepolia}"];

  test("at the paywall: a paid Permit2 payment (exact, and upto) sent again is refused, permit2_simulation_failed", async () => {
    const mock = await startMockWith(...options);
    try {
      const account = newAccount();
      for (const scheme of [new ExactEvmScheme(account), new UptoEvmScheme(account)]) {
        const { capture, paid } = capturingFetch();
        const res = await wrapFetchWithPayment(capture, clientWith(scheme))(`${mock.url}/anything`);
        assert.equal(res.status, 200, `${scheme.scheme}: ${await res.clone().text()}`);
        assert.equal(paid.length, 1);
        assert.equal(paid[0].payload.accepted.scheme, scheme.scheme);
        const again = await fetch(`${mock.url}/anything`, { headers: { "PAYMENT-SIGNATURE": paid[0].signature } });
        assert.equal(refusalOf(again), "permit2_simulation_failed", `${scheme.scheme} replayed`);
      }
      const verdicts = (await historyOf(mock.url)).filter((r) => r.payment).map((r) => [r.option.scheme, r.verdict, r.reason]);
      assert.deepEqual(verdicts, [
        ["exact", "paid", ""], ["exact", "rejected", "permit2_simulation_failed"],
        ["upto", "paid", ""], ["upto", "rejected", "permit2_simulation_failed"],
      ]);
    } finally {
      await mock.stop();
    }
  });

  // The payload is a real client's: ExactEvmScheme / UptoEvmScheme answering the mock's own 402
  // through wrapFetchWithPayment, whose paid request the capturing fetch keeps and answers
  // itself (204) instead of passing it on, so the paywall never consumes that nonce. The
  // requirements sent to /settle are the payload's `accepted` (the mock's 402 option, as an
  // @x402/core resource server sends them); for upto, with amount = the actual charge.
  async function signedButUnsent(mock, scheme) {
    const { capture, paid } = capturingFetch(() => new Response(null, { status: 204 }));
    const res = await wrapFetchWithPayment(capture, clientWith(scheme))(`${mock.url}/anything`);
    assert.equal(res.status, 204);
    assert.equal(paid.length, 1);
    return paid[0].payload;
  }
  async function settle(mock, paymentPayload, paymentRequirements) {
    const res = await fetch(`${mock.url}/facilitator/settle`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements }),
    });
    assert.equal(res.status, 200);
    return res.json();
  }

  test("at POST /facilitator/settle: exact-Permit2 settled once, then permit2_invalid_nonce", async () => {
    const mock = await startMockWith(...options);
    try {
      const account = newAccount();
      const paymentPayload = await signedButUnsent(mock, new ExactEvmScheme(account));
      assert.equal(paymentPayload.accepted.extra.assetTransferMethod, "permit2");
      const first = await settle(mock, paymentPayload, paymentPayload.accepted);
      assert.equal(first.success, true, JSON.stringify(first));
      assert.equal(first.payer, account.address);
      assert.equal(first.network, "eip155:84532");
      assert.match(first.transaction, /^0x[0-9a-f]{64}$/);
      const second = await settle(mock, paymentPayload, paymentPayload.accepted);
      assert.equal(second.success, false, JSON.stringify(second));
      assert.equal(second.errorReason, "permit2_invalid_nonce");
      assert.equal(second.transaction, "");
    } finally {
      await mock.stop();
    }
  });

  test("at POST /facilitator/settle: upto charged 4000 of 10000 once, then permit2_simulation_failed", async () => {
    const mock = await startMockWith(...options);
    try {
      const account = newAccount();
      const paymentPayload = await signedButUnsent(mock, new UptoEvmScheme(account));
      assert.equal(paymentPayload.accepted.scheme, "upto");
      const charged = { ...paymentPayload.accepted, amount: "4000" };
      const first = await settle(mock, paymentPayload, charged);
      assert.equal(first.success, true, JSON.stringify(first));
      assert.equal(first.amount, "4000");
      const second = await settle(mock, paymentPayload, charged);
      assert.equal(second.success, false, JSON.stringify(second));
      assert.equal(second.errorReason, "permit2_simulation_failed");
    } finally {
      await mock.stop();
    }
  });
});

describe("exact-Permit2 and upto share one Permit2 nonce space per (chain, owner)", { timeout: TEST_TIMEOUT }, () => {
  // createPermit2Nonce (@x402/evm) draws the nonce from globalThis.crypto.getRandomValues at each
  // payment: for the duration of |fn| it fills every array with |byte|, so each payment made then
  // uses the nonce 0x|byte|…|byte| (checked in the payloads, so a client that stopped calling it
  // would fail here rather than pass by luck).
  async function withFixedRandom(byte, fn) {
    const own = Object.getOwnPropertyDescriptor(globalThis.crypto, "getRandomValues");
    globalThis.crypto.getRandomValues = (array) => {
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(byte);
      return array;
    };
    try {
      return await fn();
    } finally {
      if (own) Object.defineProperty(globalThis.crypto, "getRandomValues", own);
      else delete globalThis.crypto.getRandomValues;
    }
  }
  const fixedNonce = (byte) => BigInt("0x" + byte.toString(16).padStart(2, "0").repeat(32)).toString();

  let mock;
  before(async () => {
    mock = await startMockWith(
      "{network: base-sepolia, asset_transfer_method: permit2}", "{scheme: upto, network: base-sepolia}",
      "{scheme: upto, network: base}");
  });
  after(async () => {
    await mock?.stop();
  });

  async function pay(scheme, network) {
    const { capture, paid } = capturingFetch();
    const res = await wrapFetchWithPayment(capture, clientWith(scheme, (rs) => rs.find((r) => r.network === network)))(`${mock.url}/anything`);
    assert.equal(paid.length, 1);
    return { res, nonce: paid[0].payload.payload.permit2Authorization.nonce };
  }

  for (const order of [["exact", "upto"], ["upto", "exact"]]) {
    test(`${order[0]} then ${order[1]} with the same owner and nonce: the second is refused, permit2_simulation_failed`, async () => {
      const account = newAccount();
      const byte = order[0] === "exact" ? 0x5a : 0xa5;
      const make = (name) => (name === "exact" ? new ExactEvmScheme(account) : new UptoEvmScheme(account));
      const [first, second] = await withFixedRandom(byte, async () => [
        await pay(make(order[0]), "eip155:84532"),
        await pay(make(order[1]), "eip155:84532"),
      ]);
      assert.equal(first.nonce, fixedNonce(byte), "the stub set the client's Permit2 nonce");
      assert.equal(second.nonce, first.nonce);
      assert.equal(first.res.status, 200, await first.res.clone().text());
      assert.equal(refusalOf(second.res), "permit2_simulation_failed");
    });
  }

  test("the same nonce by another owner, or on another chain, is a fresh one", async () => {
    const byte = 0x3c;
    const [owner, other] = [newAccount(), newAccount()];
    const results = await withFixedRandom(byte, async () => [
      await pay(new ExactEvmScheme(owner), "eip155:84532"),
      await pay(new UptoEvmScheme(other), "eip155:84532"),
      await pay(new UptoEvmScheme(owner), "eip155:8453"),
    ]);
    for (const [i, r] of results.entries()) {
      assert.equal(r.nonce, fixedNonce(byte));
      assert.equal(r.res.status, 200, `payment ${i}: ${await r.res.clone().text()}`);
    }
  });
});

describe("@x402/express 2.27 settling upto and exact-Permit2 through the mock facilitator", { timeout: TEST_TIMEOUT }, () => {
  let mock, server, url;
  // What the resource server sent to the mock facilitator and what the mock answered, as the
  // reference server's own hooks see them (the mock's history keeps no payload for its
  // /facilitator/* requests, and its log line names no amount).
  const verified = [];
  const settled = [];
  before(async () => {
    mock = await startMock();
    const facilitator = new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` });
    const resourceServer = new x402ResourceServer(facilitator)
      .register("eip155:84532", new ExactEvmServerScheme())
      .register("eip155:84532", new UptoEvmServerScheme())
      .onAfterVerify((ctx) => {
        verified.push({ requirements: ctx.requirements, result: ctx.result });
      })
      .onAfterSettle((ctx) => {
        settled.push({ requirements: ctx.requirements, result: ctx.result });
      });
    const app = express();
    app.use(
      paymentMiddleware(
        {
          "GET /metered": { accepts: { scheme: "upto", price: "$0.01", network: "eip155:84532", payTo } },
          // The reference server's way to ask for Permit2 on an EIP-3009 token: the route's extra
          // (merged over the price's {name, version} by x402ResourceServer).
          "GET /permit2": {
            accepts: { scheme: "exact", price: "$0.002", network: "eip155:84532", payTo, extra: { assetTransferMethod: "permit2" } },
          },
        },
        resourceServer,
      ),
    );
    app.get("/metered", (_req, res) => {
      // The handler names the actual charge: @x402/express's helper sets the response header
      // Settlement-Overrides: {"amount":"1234"}, which processSettlement reads from the buffered
      // response's headers (and the middleware removes before the response goes out).
      setSettlementOverrides(res, { amount: "1234" });
      res.json({ metered: "ok" });
    });
    app.get("/permit2", (_req, res) => res.json({ permit2: "ok" }));
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

  test("an upto route whose handler charges 1234: UptoEvmScheme pays, the mock settles 1234", async () => {
    const offer = await offerOf(`${url}/metered`);
    assert.equal(offer.accepts.length, 1);
    assert.deepEqual([offer.accepts[0].scheme, offer.accepts[0].amount], ["upto", "10000"]);
    assert.equal(offer.accepts[0].extra.facilitatorAddress, UPTO_FACILITATOR); // from the mock's /supported

    const account = newAccount();
    const { capture, paid } = capturingFetch();
    const res = await wrapFetchWithPayment(capture, clientWith(new UptoEvmScheme(account)))(`${url}/metered`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { metered: "ok" });
    assert.equal(res.headers.get("settlement-overrides"), null);
    assert.equal(paid[0].payload.payload.permit2Authorization.permitted.amount, "10000");
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
    assert.deepEqual([settlement.success, settlement.network, settlement.amount, settlement.payer], [true, "eip155:84532", "1234", account.address]);

    // verify with the maximum, settle with the handler's charge (the reference facilitator's
    // input), and the mock's answer is the PAYMENT-RESPONSE above.
    assert.equal(verified.at(-1).requirements.amount, "10000");
    assert.equal(verified.at(-1).result.isValid, true);
    assert.equal(settled.at(-1).requirements.amount, "1234");
    assert.deepEqual([settled.at(-1).result.success, settled.at(-1).result.amount], [true, "1234"]);
    const records = await historyOf(mock.url);
    assert.deepEqual(records.filter((r) => r.path.startsWith("/facilitator/")).map((r) => `${r.method} ${r.path} ${r.status}`),
      ["GET /facilitator/supported 200", "POST /facilitator/verify 200", "POST /facilitator/settle 200"]);
    const settleLine = new RegExp(`facilitator settle v2 from ${account.address}: valid`);
    assert.match(await mock.waitForLog(settleLine), settleLine);
  });

  test("an exact route asking for Permit2: ExactEvmScheme pays with a Permit2 payload, the mock settles", async () => {
    const offer = await offerOf(`${url}/permit2`);
    assert.deepEqual(offer.accepts[0].extra, { name: "USDC", version: "2", assetTransferMethod: "permit2" });

    const account = newAccount();
    const { capture, paid } = capturingFetch();
    const res = await wrapFetchWithPayment(capture, clientWith(new ExactEvmScheme(account)))(`${url}/permit2`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { permit2: "ok" });
    const permit = paid[0].payload.payload.permit2Authorization;
    assert.ok(permit, JSON.stringify(paid[0].payload.payload));
    assert.equal(permit.spender, x402ExactPermit2ProxyAddress);
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
    assert.deepEqual([settlement.success, settlement.network, settlement.amount, settlement.payer], [true, "eip155:84532", "2000", account.address]);
    assert.equal(settled.at(-1).requirements.extra.assetTransferMethod, "permit2");
    assert.deepEqual([settled.at(-1).result.success, settled.at(-1).result.amount], [true, "2000"]);
    const settleLine = new RegExp(`facilitator settle v2 from ${account.address}: valid`);
    assert.match(await mock.waitForLog(settleLine), settleLine);
  });
});
