// Strict verification with the real npm clients: a replayed payment is refused with the reason
// a real facilitator gives, the simulated ledger runs a payer dry, and every failure answer
// (simulated failure, replay, insufficient funds) parses with the zod schemas of x402 1.2.0
// and @x402/core 2.27.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { PaymentRequiredV2Schema } from "@x402/core/schemas";
import { wrapFetchWithPayment as wrapV2, x402Client } from "@x402/fetch";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { SettleResponseSchema, VerifyResponseSchema, x402ResponseSchema } from "x402/types";
import { wrapFetchWithPayment as wrapV1 } from "x402-fetch";

import { startMock } from "./mock_process.mjs";

const fromBase64Json = (text) => JSON.parse(Buffer.from(text, "base64").toString());
// The ledger names an asset by its CAIP-19 id: chain, token standard, lowercase address.
const BASE_SEPOLIA_USDC = "eip155:84532/erc20:0x036cbd53842c5426634e7929541ec2318f3dcf7e";

// A fetch that remembers the payment header of the last request it carried.
function capturingFetch() {
  const seen = {};
  const wrapped = async (input, init) => {
    const request = new Request(input, init);
    for (const name of ["x-payment", "payment-signature"]) {
      if (request.headers.has(name)) seen[name] = request.headers.get(name);
    }
    return fetch(request);
  };
  return { fetch: wrapped, seen };
}

// x402 1.2.0's SettleResponseSchema refuses the empty transaction that its own settle() (and
// @x402/evm's) returns for a failed settlement (its regex needs at least two characters), so a
// failed settle response is parsed with every other field checked, errorReason against the
// enum of x402 reasons, and the empty transaction checked apart.
function parseSettle(answer) {
  const full = SettleResponseSchema.safeParse(answer);
  if (!full.success) {
    assert.deepEqual(full.error.issues.map((i) => i.path.join(".")), ["transaction"]);
    assert.equal(answer.transaction, "");
  }
  return SettleResponseSchema.omit({ transaction: true }).parse(answer);
}

function v2Client(account) {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: account });
  return client;
}

describe("strict verification (the default)", () => {
  let mock;
  const account = privateKeyToAccount(generatePrivateKey());
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock.stop();
  });

  test("x402-fetch (v1): a replayed X-PAYMENT is refused with invalid_transaction_state", async () => {
    const capture = capturingFetch();
    const first = await wrapV1(capture.fetch, account)(`${mock.url}/api/data`);
    assert.equal(first.status, 200);
    const header = capture.seen["x-payment"];
    assert.ok(header, "the client sent X-PAYMENT");
    const replay = await fetch(`${mock.url}/api/data`, { headers: { "X-PAYMENT": header } });
    assert.equal(replay.status, 402);
    const body = await replay.json();
    assert.equal(body.error, "invalid_transaction_state");
    assert.match(body.errorMessage, /already settled/);
    x402ResponseSchema.parse(body);
    assert.match(await mock.waitForLog(/payment refused: \/api\/data .*invalid_transaction_state/), /payment refused: \/api\/data .*invalid_transaction_state/);
  });

  test("@x402/fetch (v2): a replayed PAYMENT-SIGNATURE is refused with invalid_exact_evm_nonce_already_used", async () => {
    const capture = capturingFetch();
    const first = await wrapV2(capture.fetch, v2Client(account))(`${mock.url}/api/premium/report`);
    assert.equal(first.status, 200);
    const header = capture.seen["payment-signature"];
    assert.ok(header, "the client sent PAYMENT-SIGNATURE");
    const replay = await fetch(`${mock.url}/api/premium/report`, {
      headers: { "PAYMENT-SIGNATURE": header },
    });
    assert.equal(replay.status, 402);
    const required = PaymentRequiredV2Schema.parse(fromBase64Json(replay.headers.get("payment-required")));
    assert.equal(required.error, "invalid_exact_evm_nonce_already_used");
  });

  test("the mock facilitator: verify does not use up a payment, settle does, and both answers parse", async () => {
    const capture = capturingFetch();
    // A paywall payment in failure mode settles nothing: its header can go to the facilitator.
    const failed = await wrapV1(capture.fetch, account)(`${mock.url}/api/data`, {
      headers: { "X-Simulation-Mode": "failure" },
    });
    assert.equal(failed.status, 402);
    const failedBody = await failed.json();
    assert.equal(failedBody.error, "unexpected_settle_error");
    x402ResponseSchema.parse(failedBody);
    const failedSettle = parseSettle(fromBase64Json(failed.headers.get("x-payment-response")));
    assert.equal(failedSettle.errorReason, "unexpected_settle_error");

    const paymentPayload = fromBase64Json(capture.seen["x-payment"]);
    const paymentRequirements = failedBody.accepts[0];
    const post = async (action, mode) => {
      const headers = { "content-type": "application/json" };
      if (mode) headers["X-Simulation-Mode"] = mode;
      const res = await fetch(`${mock.url}/facilitator/${action}`, {
        method: "POST", headers, body: JSON.stringify({ x402Version: 1, paymentPayload, paymentRequirements }),
      });
      assert.equal(res.status, 200);
      return res.json();
    };
    const simulatedVerify = VerifyResponseSchema.parse(await post("verify", "failure"));
    assert.equal(simulatedVerify.invalidReason, "unexpected_verify_error");
    const simulatedSettle = await post("settle", "failure");
    assert.match(simulatedSettle.errorMessage, /failure mode/);
    assert.equal(parseSettle(simulatedSettle).errorReason, "unexpected_settle_error");

    assert.equal(VerifyResponseSchema.parse(await post("verify")).isValid, true);
    assert.equal(VerifyResponseSchema.parse(await post("verify")).isValid, true);
    assert.equal(SettleResponseSchema.parse(await post("settle")).success, true);
    const replayed = parseSettle(await post("settle"));
    assert.equal(replayed.success, false);
    assert.equal(replayed.errorReason, "invalid_transaction_state");
    const verifyAfter = VerifyResponseSchema.parse(await post("verify"));
    assert.equal(verifyAfter.invalidReason, "invalid_transaction_state");
  });
});

describe("the simulated ledger", () => {
  let mock;
  const account = privateKeyToAccount(generatePrivateKey());
  before(async () => {
    mock = await startMock(["--pricing", "0.01"], { X402_DEV_LEDGER_STARTING_BALANCE: "0.02" });
  });
  after(async () => {
    await mock.stop();
  });

  test("a payer with 0.02 USD pays 0.01 twice; the third payment gets insufficient_funds", async () => {
    const pay = wrapV1(fetch, account);
    assert.equal((await pay(`${mock.url}/one`)).status, 200);
    assert.equal((await pay(`${mock.url}/two`)).status, 200);
    const third = await pay(`${mock.url}/three`);
    assert.equal(third.status, 402);
    const body = await third.json();
    assert.equal(body.error, "insufficient_funds");
    x402ResponseSchema.parse(body);
    const ledger = await (await fetch(`${mock.url}/__x402/ledger`)).json();
    // Balances per (payer, asset): the asset by its CAIP-19 id.
    assert.deepEqual(ledger[account.address.toLowerCase()], {
      [BASE_SEPOLIA_USDC]: { symbol: "USDC", balance: "0", spent: "0.02", payments: 2 },
    });
  });

  test("v2 names the same refusal as @x402/evm does", async () => {
    const other = privateKeyToAccount(generatePrivateKey());
    const pay = wrapV2(fetch, v2Client(other));
    assert.equal((await pay(`${mock.url}/a`)).status, 200);
    assert.equal((await pay(`${mock.url}/b`)).status, 200);
    const third = await pay(`${mock.url}/c`);
    assert.equal(third.status, 402);
    const required = PaymentRequiredV2Schema.parse(fromBase64Json(third.headers.get("payment-required")));
    assert.equal(required.error, "invalid_exact_evm_insufficient_balance");
  });
});

describe("what a reload keeps and a restart forgets", () => {
  test("after SIGHUP a replay is still refused and the ledger unchanged; a new server accepts the payment", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const env = { X402_DEV_LEDGER_STARTING_BALANCE: "1" };
    const mock = await startMock(["--pricing", "0.01"], env);
    let header;
    try {
      const capture = capturingFetch();
      assert.equal((await wrapV1(capture.fetch, account)(`${mock.url}/r`)).status, 200);
      header = capture.seen["x-payment"];
      const ledgerBefore = await (await fetch(`${mock.url}/__x402/ledger`)).json();
      process.kill(mock.pid, "SIGHUP");
      assert.match(await mock.waitForLog(/reload accepted/), /reload accepted/);
      await new Promise((r) => setTimeout(r, 100));  // the new snapshot is swapped in right after the log line
      const replay = await fetch(`${mock.url}/r`, { headers: { "X-PAYMENT": header } });
      assert.equal(replay.status, 402);
      assert.equal((await replay.json()).error, "invalid_transaction_state");
      assert.deepEqual(await (await fetch(`${mock.url}/__x402/ledger`)).json(), ledgerBefore);
    } finally {
      await mock.stop();
    }
    const restarted = await startMock(["--pricing", "0.01"], env);
    try {
      const again = await fetch(`${restarted.url}/r`, { headers: { "X-PAYMENT": header } });
      assert.equal(again.status, 200);
      assert.deepEqual(await (await fetch(`${restarted.url}/__x402/ledger`)).json(), {
        [account.address.toLowerCase()]: { [BASE_SEPOLIA_USDC]: { symbol: "USDC", balance: "0.99", spent: "0.01", payments: 1 } },
      });
    } finally {
      await restarted.stop();
    }
  });
});

// Issue 29, item 5: mock_server.v1_rules. A v1 payment for more than maxAmountRequired, signed
// by x402 1.2.0's own client code (createPaymentHeader, for requirements asking 1 unit more): x402
// 1.2.0's facilitator takes it (value >= price), @x402/evm 2.27's v1 facilitator — what an
// @x402/express 2.x server calls for a v1 client — refuses it with its own reason name.
describe("v1_rules: whose facilitator a v1 payment meets", () => {
  async function overpay(mock) {
    const { createPaymentHeader } = await import("x402/client");
    const res = await fetch(`${mock.url}/api/data`);
    const requirements = (await res.json()).accepts[0];
    const bumped = { ...requirements, maxAmountRequired: String(BigInt(requirements.maxAmountRequired) + 1n) };
    const header = await createPaymentHeader(privateKeyToAccount(generatePrivateKey()), 1, bumped);
    return fetch(`${mock.url}/api/data`, { headers: { "X-PAYMENT": header } });
  }

  test("x402-1.2 (the default) takes the overpayment; x402-2 refuses it as invalid_exact_evm_authorization_value", async () => {
    const lenient = await startMock();
    try {
      assert.equal((await overpay(lenient)).status, 200);
    } finally {
      await lenient.stop();
    }
    const strict = await startMock([], { X402_DEV_V1_RULES: "x402-2" });
    try {
      const refused = await overpay(strict);
      assert.equal(refused.status, 402);
      const body = await refused.json();
      assert.equal(body.error, "invalid_exact_evm_authorization_value", JSON.stringify(body));
      // A v1 payment of the price itself still pays.
      assert.equal((await wrapV1(fetch, privateKeyToAccount(generatePrivateKey()))(`${strict.url}/api/data`)).status, 200);
    } finally {
      await strict.stop();
    }
  });
});
