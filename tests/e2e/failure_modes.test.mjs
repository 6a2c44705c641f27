// Issue 29: the failures real facilitators have, and the payment-identifier extension, met by
// the real, unmodified packages: @x402/fetch paying the mock's paywall, and an @x402/express
// 2.x server whose @x402/core resource server settles through the mock facilitator.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import { HTTPFacilitatorClient, x402ResourceServer } from "@x402/core/server";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { paymentMiddleware } from "@x402/express";
import { appendPaymentIdentifierToExtensions } from "@x402/extensions/payment-identifier";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import express from "express";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { freePort, startMock } from "./mock_process.mjs";

const payTo = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";

function payingClient(account, extensions = []) {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: account });
  for (const extension of extensions) client.registerExtension(extension);
  return client;
}

// A fetch that remembers the payment headers it carried, so a test can send one again.
function recordingFetch(sent) {
  return async (input, init) => {
    const request = new Request(input, init);
    const payment = request.headers.get("payment-signature");
    if (payment) sent.push(payment);
    return fetch(request);
  };
}

// A fetch whose requests choose the mock's simulation mode (X-Simulation-Mode) and, with
// |timeoutMs|, give up after that long, as a client with a timeout does.
function fetchInMode(mode, timeoutMs) {
  return (input, init) => {
    const request = new Request(input, init);
    request.headers.set("X-Simulation-Mode", mode);
    return fetch(request, timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : undefined);
  };
}

async function history(mock, query = "") {
  const res = await fetch(`${mock.url}/__x402/requests${query}`);
  assert.equal(res.status, 200);
  return (await res.json()).requests;
}

function configFile(yaml) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "x402-e2e-config-"));
  const file = path.join(dir, "x402dev.yaml");
  writeFileSync(file, yaml);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe("pending: an @x402/express 2.x server's one retry ends in 200", () => {
  let mock, server, url;
  before(async () => {
    mock = await startMock(["--simulation-mode", "pending"]);
    const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` }))
      .register("eip155:84532", new ExactEvmScheme());
    const app = express();
    app.use(paymentMiddleware(
      { "GET /report": { accepts: { scheme: "exact", price: "$0.002", network: "eip155:84532", payTo } } },
      resourceServer));
    app.get("/report", (_req, res) => res.json({ report: "ok" }));
    const port = await freePort();
    await new Promise((resolve) => { server = app.listen(port, "127.0.0.1", resolve); });
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await mock.stop();
  });

  test("settle answers settlement_pending, settleWithPendingRetry() settles the same payment again, the client gets 200", async () => {
    const pay = wrapFetchWithPayment(fetch, payingClient(privateKeyToAccount(generatePrivateKey())));
    const res = await pay(`${url}/report`);
    assert.equal(res.status, 200, await res.clone().text());
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
    assert.equal(settlement.success, true);
    // The mock saw two settles of the one payment: pending, then reconciled with the same transaction.
    const settles = (await history(mock)).filter((r) => r.path === "/facilitator/settle");
    assert.equal(settles.length, 2, JSON.stringify(settles));
    assert.equal(settles[0].settlement.errorReason, "settlement_pending");
    assert.equal(settles[0].settlement.transaction, settlement.transaction);
    assert.equal(settles[1].settlement.success, true);
    assert.equal(settles[1].settlement.transaction, settlement.transaction);
    assert.match(mock.log(), /reconciled with its pending settlement/);
  });
});

describe("the paywall's failure modes, met by @x402/fetch", () => {
  let mock;
  before(async () => {
    mock = await startMock();
  });
  after(async () => mock.stop());

  test("lost-response: settled, then 502; the client that pays again is flagged as a possible double payment", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const lostPay = wrapFetchWithPayment(fetchInMode("lost-response"), payingClient(account));
    const lost = await lostPay(`${mock.url}/api/data`);
    assert.equal(lost.status, 502);
    // The careless retry: a new payment for the same resource.
    const again = await wrapFetchWithPayment(fetch, payingClient(account))(`${mock.url}/api/data`);
    assert.equal(again.status, 200);
    const records = (await history(mock, "?path=/api/data")).filter((r) => r.payment?.payer === account.address);
    const lostRecord = records.find((r) => r.verdict === "lost_response");
    const paidRecord = records.find((r) => r.verdict === "paid");
    assert.ok(lostRecord && paidRecord, JSON.stringify(records));
    assert.match(lostRecord.transaction, /^0x[0-9a-f]{64}$/);
    assert.equal(paidRecord.double_payment_of, lostRecord.id);
    const health = await (await fetch(`${mock.url}/__x402/health`)).json();
    assert.equal(health.counters.possible_double_payments, 1);
  });

  test("slow: the answer comes after the delay, so a client with a shorter timeout gives up on a payment that settled", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const pay = wrapFetchWithPayment(fetchInMode("slow", 1500), payingClient(account));
    await assert.rejects(pay(`${mock.url}/api/slow-${Date.now()}`), /abort|timeout/i);
    // The mock settled it anyway (timeout_delay_ms is 5 s by default): the history shows it paid.
    const paid = await mock.waitForLog(new RegExp(`accepted after 5000 ms \\(simulated slow mode\\).*${account.address}`), 8000);
    assert.match(paid, /simulated slow mode/);
  });
});

describe("rpc-outage: the mock's verify answers what @x402/evm's does without its RPC", () => {
  let mock;
  before(async () => { mock = await startMock(); });
  after(async () => mock.stop());

  test("the reference facilitator, its RPC a closed loopback port, and the mock in rpc-outage give the same reason", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const requirements = {
      scheme: "exact", network: "eip155:84532", amount: "1000", asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
      payTo, maxTimeoutSeconds: 300, extra: { name: "USDC", version: "2" },
    };
    const client = payingClient(account);
    const paymentRequired = { x402Version: 2, resource: { url: `${mock.url}/api/data` }, accepts: [requirements] };
    const payload = await client.createPaymentPayload(paymentRequired);
    // The reference, unmodified, with a viem client whose RPC refuses every connection.
    const child = spawnSync(process.execPath, [fileURLToPath(new URL("./reference_rpc_outage.mjs", import.meta.url))], {
      input: JSON.stringify({ payload, requirements, closedPort: await freePort() }), encoding: "utf8", timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    const { result: theirs, abandoned } = JSON.parse(child.stdout);
    // What the docs say of the reference: its abandoned asset check rejects with nobody awaiting it.
    assert.match(abandoned.join("\n"), /failed to check whether asset is a contract/);
    const res = await fetch(`${mock.url}/facilitator/verify`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Simulation-Mode": "rpc-outage" },
      body: JSON.stringify({ x402Version: 2, paymentPayload: payload, paymentRequirements: requirements }),
    });
    const ours = await res.json();
    assert.equal(theirs.isValid, false);
    assert.equal(ours.isValid, false);
    assert.equal(ours.invalidReason, theirs.invalidReason);
    assert.equal(ours.payer, theirs.payer);
    // settle fails as the contract says, and nothing moved: the payment verifies afterwards.
    const settle = await (await fetch(`${mock.url}/facilitator/settle`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Simulation-Mode": "rpc-outage" },
      body: JSON.stringify({ x402Version: 2, paymentPayload: payload, paymentRequirements: requirements }),
    })).json();
    assert.equal(settle.errorReason, "unexpected_settle_error");
    const verify = await (await fetch(`${mock.url}/facilitator/verify`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ x402Version: 2, paymentPayload: payload, paymentRequirements: requirements }),
    })).json();
    assert.equal(verify.isValid, true);
  });
});

describe("payment-identifier, with appendPaymentIdentifierToExtensions on an @x402/fetch payment", () => {
  let mock, config;
  before(async () => {
    config = configFile("mock_server:\n  pricing:\n    per_resource:\n" +
                        "      /orders: {price: 0.01, payment_identifier: required}\n" +
                        "      /maybe: {price: 0.01, payment_identifier: optional}\n");
    mock = await startMock(["--config", config.file]);
  });
  after(async () => {
    await mock.stop();
    config.remove();
  });

  // A client that names its payments with |id| (appendPaymentIdentifierToExtensions, unmodified).
  function namingClient(account, id) {
    return payingClient(account, [{
      key: "payment-identifier",
      enrichPaymentPayload: async (payload) => ({
        ...payload,
        extensions: appendPaymentIdentifierToExtensions(structuredClone(payload.extensions ?? {}), id),
      }),
    }]);
  }

  test("the same payment sent twice is charged once and answered with the same settlement header", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const id = `pay_${crypto.randomUUID().replaceAll("-", "")}`;
    const sent = [];
    const first = await wrapFetchWithPayment(recordingFetch(sent), namingClient(account, id))(`${mock.url}/orders`);
    assert.equal(first.status, 200);
    assert.equal(sent.length, 1);
    const decoded = JSON.parse(Buffer.from(sent[0], "base64").toString());
    assert.equal(decoded.extensions["payment-identifier"].info.id, id);
    // The retry of a client that lost the answer: the very same payment again.
    const again = await fetch(`${mock.url}/orders`, { headers: { "PAYMENT-SIGNATURE": sent[0] } });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("payment-response"), first.headers.get("payment-response"));
    assert.deepEqual(await again.json(), await first.json());
    const records = (await history(mock, "?path=/orders")).filter((r) => r.payment?.payer === account.address);
    assert.deepEqual(records.map((r) => r.verdict), ["paid", "repeated"]);

    // A new payment under the same id: 409, nothing settled.
    const conflict = await wrapFetchWithPayment(fetch, namingClient(account, id))(`${mock.url}/orders`);
    assert.equal(conflict.status, 409);
    assert.match((await conflict.json()).reason, /payment_identifier_conflict/);
  });

  test("a client that ignores the extension is refused with 400 on a route that requires it, served where it is optional", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const required = await wrapFetchWithPayment(fetch, payingClient(account))(`${mock.url}/orders`);
    assert.equal(required.status, 400);
    assert.equal((await required.json()).reason, "payment_identifier_required");
    const optional = await wrapFetchWithPayment(fetch, payingClient(account))(`${mock.url}/maybe`);
    assert.equal(optional.status, 200);
  });

  test("an id outside [A-Za-z0-9_-]{16,128} is a 400 naming the rule", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const sent = [];
    await wrapFetchWithPayment(recordingFetch(sent), namingClient(account, `pay_${"a".repeat(20)}`))(`${mock.url}/maybe`);
    const payment = JSON.parse(Buffer.from(sent[0], "base64").toString());
    payment.extensions["payment-identifier"].info.id = "not ok!";
    const res = await fetch(`${mock.url}/maybe`, {
      headers: { "PAYMENT-SIGNATURE": Buffer.from(JSON.stringify(payment)).toString("base64") },
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.reason, "invalid_payment_identifier");
    assert.match(body.error, /16-128 characters/);
  });
});
