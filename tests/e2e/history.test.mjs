// A real client's payment as the mock's request history shows it: x402-fetch 1.2 (v1) and
// @x402/fetch 2.x (v2) pay, then GET /__x402/requests must name the payer, the amount and the
// nonce each client signed, and `x402-dev mock requests` must list them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";

import { wrapFetchWithPayment as wrapV2, x402Client } from "@x402/fetch";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { wrapFetchWithPayment as wrapV1 } from "x402-fetch";

import { binary, startMock } from "./mock_process.mjs";

const account = privateKeyToAccount(generatePrivateKey());

// A fetch that remembers the payment header each request carried, decoded.
function recordingFetch(seen) {
  return async (input, init) => {
    const request = new Request(input, init);
    const header = request.headers.get("payment-signature") ?? request.headers.get("x-payment");
    if (header) seen.push(JSON.parse(Buffer.from(header, "base64").toString("utf8")));
    return fetch(request);
  };
}

async function history(mock, query = "") {
  const res = await fetch(`${mock.url}/__x402/requests${query}`);
  assert.equal(res.status, 200);
  return res.json();
}

describe("the request history after real clients paid", () => {
  let mock;
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock.stop();
  });

  test("x402-fetch (v1): the paid request shows payer, amount and nonce decoded", async () => {
    const seen = [];
    const res = await wrapV1(recordingFetch(seen), account)(`${mock.url}/api/data`);
    assert.equal(res.status, 200);
    assert.equal(seen.length, 1);
    const signed = seen[0].payload.authorization;

    const page = await history(mock, "?path=/api/data");
    const [unpaid, paid] = page.requests;
    assert.equal(unpaid.verdict, "unpaid");
    assert.equal(unpaid.status, 402);
    assert.equal(paid.verdict, "paid");
    assert.equal(paid.status, 200);
    assert.equal(paid.x402_version, 1);
    assert.equal(paid.payment.header, "X-PAYMENT");
    assert.equal(paid.payment.payer.toLowerCase(), account.address.toLowerCase());
    assert.equal(paid.payment.amount, "50000");
    assert.equal(paid.payment.nonce, signed.nonce);
    assert.equal(paid.payment.network, "base-sepolia");
    assert.deepEqual(paid.payment.decoded, seen[0]);
    assert.equal(paid.settlement.success, true);
    // The offer as v1 listed it (an array: every option), and the option the payment named.
    assert.equal(paid.requirements.length, 1);
    assert.equal(paid.requirements[0].maxAmountRequired, "50000");
    assert.deepEqual(paid.option, { scheme: "exact", network: "eip155:84532", symbol: "USDC", decimals: 6, offered: 1 });
    assert.equal(paid.payment.details.signature, "ecdsa");
    assert.equal(paid.payment.details.recovered.toLowerCase(), account.address.toLowerCase());
  });

  test("@x402/fetch (v2): the paid request shows payer, amount and nonce decoded", async () => {
    const seen = [];
    const client = new x402Client();
    registerExactEvmScheme(client, { signer: account });
    const res = await wrapV2(recordingFetch(seen), client)(`${mock.url}/api/premium/report`);
    assert.equal(res.status, 200);
    const signed = seen[0].payload.authorization;

    const page = await history(mock, "?verdict=paid&path=/api/premium/report");
    assert.equal(page.requests.length, 1);
    const paid = page.requests[0];
    assert.equal(paid.x402_version, 2);
    assert.equal(paid.payment.header, "PAYMENT-SIGNATURE");
    assert.equal(paid.payment.payer.toLowerCase(), account.address.toLowerCase());
    assert.equal(paid.payment.amount, "100000");
    assert.equal(paid.payment.nonce, signed.nonce);
    assert.equal(paid.payment.network, "eip155:84532");
    assert.equal(paid.settlement.amount, "100000");
  });

  test("x402-dev mock requests lists both payments", () => {
    const run = spawnSync(binary, ["mock", "requests"], {
      env: { ...process.env, HOME: mock.home, NO_COLOR: "1" },
      encoding: "utf8",
    });
    console.log(run.stdout);
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.trim().split("\n");
    assert.match(rows[0], /^TIME\s+METHOD\s+PATH\s+STATUS\s+VERDICT\s+PAYER\s+AMOUNT\s+NETWORK$/);
    // Amounts in the asset's units, with its symbol and the network paid on.
    assert.ok(rows.some((r) => /\/api\/data\s+200\s+paid\s+0x\S+\s+0\.05 USDC\s+eip155:84532$/.test(r)), run.stdout);
    assert.ok(rows.some((r) => /\/api\/premium\/report\s+200\s+paid\s+0x\S+\s+0\.1 USDC\s+eip155:84532$/.test(r)), run.stdout);
  });
});
