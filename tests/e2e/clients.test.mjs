// Real npm x402 clients pay the x402-dev mock: x402-fetch 1.2 (v1, X-PAYMENT) and
// @x402/fetch 2.x with the EVM exact scheme (v2, PAYMENT-SIGNATURE). Each signs offline with
// a throwaway viem local account.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { decodePaymentResponseHeader, wrapFetchWithPayment as wrapV2, x402Client } from "@x402/fetch";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { decodeXPaymentResponse, wrapFetchWithPayment as wrapV1 } from "x402-fetch";

import { startMock, tracingFetch } from "./mock_process.mjs";

const account = privateKeyToAccount(generatePrivateKey());

describe("real x402 clients against the mock", () => {
  let mock;
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock.stop();
  });

  test("x402-fetch 1.2 (v1) pays /api/data and gets 200 with X-PAYMENT-RESPONSE", async () => {
    const pay = wrapV1(tracingFetch("x402-fetch"), account);
    const res = await pay(`${mock.url}/api/data`);
    assert.equal(res.status, 200);
    const settlement = decodeXPaymentResponse(res.headers.get("x-payment-response"));
    console.log("[x402-fetch] decoded X-PAYMENT-RESPONSE:", JSON.stringify(settlement));
    assert.equal(settlement.success, true);
    assert.equal(settlement.network, "base-sepolia");
    assert.equal(settlement.payer.toLowerCase(), account.address.toLowerCase());
    assert.match(settlement.transaction, /^0x[0-9a-f]{64}$/);
    const body = await res.json();
    assert.equal(body.resource, "/api/data");
    assert.equal(body.amount, "50000");
    assert.equal(body.x402Version, 1);
  });

  test("@x402/fetch 2.x (v2) pays /api/premium/report and gets 200 with PAYMENT-RESPONSE", async () => {
    const client = new x402Client();
    registerExactEvmScheme(client, { signer: account });
    const pay = wrapV2(tracingFetch("@x402/fetch"), client);
    const res = await pay(`${mock.url}/api/premium/report`);
    assert.equal(res.status, 200);
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
    console.log("[@x402/fetch] decoded PAYMENT-RESPONSE:", JSON.stringify(settlement));
    assert.equal(settlement.success, true);
    assert.equal(settlement.network, "eip155:84532");
    assert.equal(settlement.payer.toLowerCase(), account.address.toLowerCase());
    assert.equal(settlement.amount, "100000");
    const body = await res.json();
    assert.equal(body.x402Version, 2);
  });

  test("each payment settles to its own fake transaction", async () => {
    const pay = wrapV1(fetch, account);
    const first = decodeXPaymentResponse((await pay(`${mock.url}/a`)).headers.get("x-payment-response"));
    const second = decodeXPaymentResponse((await pay(`${mock.url}/a`)).headers.get("x-payment-response"));
    // Two payments carry two random nonces, so two different fake transactions.
    assert.notEqual(first.transaction, second.transaction);
  });

  test("x402-fetch refuses a price above its 0.10 USD default cap", async () => {
    const expensive = await startMock(["--pricing", "0.50"]);
    try {
      const pay = wrapV1(fetch, account);
      await assert.rejects(pay(`${expensive.url}/anything`), /exceeds maximum allowed/i);
    } finally {
      await expensive.stop();
    }
  });

  test("simulated failure: a valid v2 payment gets 402 with x402's unexpected_settle_error", async () => {
    const client = new x402Client();
    registerExactEvmScheme(client, { signer: account });
    const pay = wrapV2(fetch, client);
    const res = await pay(`${mock.url}/api/data`, { headers: { "X-Simulation-Mode": "failure" } });
    assert.equal(res.status, 402);
    const required = JSON.parse(Buffer.from(res.headers.get("payment-required"), "base64").toString());
    assert.equal(required.error, "unexpected_settle_error");
  });
});
