// A real x402-express server uses the mock as its facilitator, offline, and a real
// x402-fetch client pays it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { wrapFetchWithPayment as wrapV2, x402Client, decodePaymentResponseHeader } from "@x402/fetch";
import { registerExactEvmScheme as registerClientScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { HTTPFacilitatorClient, x402ResourceServer } from "@x402/core/server";
import { paymentMiddleware as paymentMiddlewareV2 } from "@x402/express";
import express from "express";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { paymentMiddleware } from "x402-express";
import { decodeXPaymentResponse, wrapFetchWithPayment } from "x402-fetch";

import { freePort, startMock } from "./mock_process.mjs";

const account = privateKeyToAccount(generatePrivateKey());
const payTo = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";

describe("x402-express with the mock facilitator", () => {
  let mock, server, url;
  before(async () => {
    mock = await startMock();
    const app = express();
    app.use(
      paymentMiddleware(
        payTo,
        { "GET /weather": { price: "$0.001", network: "base-sepolia" } },
        { url: `${mock.url}/facilitator` },
      ),
    );
    app.get("/weather", (_req, res) => res.json({ weather: "sunny" }));
    const port = await freePort();
    await new Promise((resolve) => {
      server = app.listen(port, "127.0.0.1", resolve);
    });
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await mock.stop();
  });

  test("an x402-fetch client pays the express server; the mock verifies and settles", async () => {
    const pay = wrapFetchWithPayment(fetch, account);
    const res = await pay(`${url}/weather`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { weather: "sunny" });
    const settlement = decodeXPaymentResponse(res.headers.get("x-payment-response"));
    assert.equal(settlement.success, true);
    assert.equal(settlement.network, "base-sepolia");
    assert.match(settlement.transaction, /^0x[0-9a-f]{64}$/);
    assert.match(await mock.waitForLog(/facilitator verify v1 from 0x[0-9a-fA-F]{40}: valid/), /facilitator verify v1 from 0x[0-9a-fA-F]{40}: valid/);
    assert.match(await mock.waitForLog(/facilitator settle v1 from 0x[0-9a-fA-F]{40}: valid/), /facilitator settle v1 from 0x[0-9a-fA-F]{40}: valid/);
  });

  test("a payment to another address is refused by the mock facilitator", async () => {
    // Direct verify call with a payment really signed for the wrong recipient (a correct
    // signature, so the recipient rule speaks, not the signature check).
    const authorization = {
      from: account.address, to: "0x000000000000000000000000000000000000dEaD", value: "1000",
      validAfter: "0", validBefore: String(Math.floor(Date.now() / 1000) + 60),
      nonce: "0x" + "11".repeat(32),
    };
    const signature = await account.signTypedData({
      domain: { name: "USDC", version: "2", chainId: 84532, verifyingContract: "0x036CbD53842c5426634e7929541eC2318f3dCF7e" },
      types: {
        TransferWithAuthorization: [
          { name: "from", type: "address" }, { name: "to", type: "address" },
          { name: "value", type: "uint256" }, { name: "validAfter", type: "uint256" },
          { name: "validBefore", type: "uint256" }, { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "TransferWithAuthorization",
      message: authorization,
    });
    const body = {
      x402Version: 1,
      paymentPayload: {
        x402Version: 1, scheme: "exact", network: "base-sepolia",
        payload: { signature, authorization },
      },
      paymentRequirements: {
        scheme: "exact", network: "base-sepolia", maxAmountRequired: "1000", resource: `${url}/weather`,
        description: "", mimeType: "", payTo, maxTimeoutSeconds: 60,
        asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", extra: { name: "USDC", version: "2" },
      },
    };
    const res = await fetch(`${mock.url}/facilitator/verify`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    const verdict = await res.json();
    assert.equal(verdict.isValid, false);
    assert.equal(verdict.invalidReason, "invalid_exact_evm_payload_recipient_mismatch");
  });
});

describe("@x402/express 2.x with the mock facilitator", () => {
  let mock, server, url;
  before(async () => {
    mock = await startMock();
    const facilitator = new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` });
    const resourceServer = new x402ResourceServer(facilitator).register("eip155:84532", new ExactEvmScheme());
    const app = express();
    app.use(
      paymentMiddlewareV2(
        { "GET /report": { accepts: { scheme: "exact", price: "$0.002", network: "eip155:84532", payTo } } },
        resourceServer,
      ),
    );
    app.get("/report", (_req, res) => res.json({ report: "ok" }));
    const port = await freePort();
    await new Promise((resolve) => {
      server = app.listen(port, "127.0.0.1", resolve);
    });
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await mock.stop();
  });

  test("an @x402/fetch client pays the v2 server; /supported, verify and settle come from the mock", async () => {
    const client = new x402Client();
    registerClientScheme(client, { signer: account });
    const pay = wrapV2(fetch, client);
    const res = await pay(`${url}/report`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { report: "ok" });
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
    assert.equal(settlement.success, true);
    assert.equal(settlement.network, "eip155:84532");
    assert.equal(settlement.amount, "2000");
    assert.match(await mock.waitForLog(/facilitator verify v2 from 0x[0-9a-fA-F]{40}: valid/), /facilitator verify v2 from 0x[0-9a-fA-F]{40}: valid/);
    assert.match(await mock.waitForLog(/facilitator settle v2 from 0x[0-9a-fA-F]{40}: valid/), /facilitator settle v2 from 0x[0-9a-fA-F]{40}: valid/);
  });
});

// Issue 26: the mock facilitator settles every network of the table and the config's. An
// @x402/express server offering USDC on Arbitrum One and on Celo (USDT, a second asset of that
// network) side by side, and a local chain the mock's config declares, all through the mock.
describe("@x402/express 2.x offering several networks through the mock facilitator", () => {
  const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  let mock, server, url, configDir;
  before(async () => {
    configDir = mkdtempSync(path.join(os.tmpdir(), "x402-facilitator-"));
    const config = path.join(configDir, "x402dev.yaml");
    writeFileSync(config, `mock_server:\n  accepts:\n    - network: base-sepolia\n    - network: "eip155:31337"\n` +
      `      asset: {address: "${token}", decimals: 18, name: "Mock USD", version: "1"}\n`);
    mock = await startMock([], { X402_DEV_CONFIG: config });
    const facilitator = new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` });
    const resourceServer = new x402ResourceServer(facilitator).register("eip155:*", new ExactEvmScheme());
    const app = express();
    app.use(
      paymentMiddlewareV2(
        {
          "GET /multi": {
            accepts: [
              { scheme: "exact", price: "$0.002", network: "eip155:42161", payTo },
              { scheme: "exact", network: "eip155:42220", payTo,
                price: { amount: "2000", asset: "0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e", extra: { name: "Tether USD", version: "1" } } },
              { scheme: "exact", network: "eip155:31337", payTo,
                price: { amount: "2000000000000000", asset: token, extra: { name: "Mock USD", version: "1" } } },
            ],
          },
        },
        resourceServer,
      ),
    );
    app.get("/multi", (_req, res) => res.json({ multi: "ok" }));
    const port = await freePort();
    await new Promise((resolve) => {
      server = app.listen(port, "127.0.0.1", resolve);
    });
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await mock?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  for (const [index, network] of [[0, "eip155:42161"], [1, "eip155:42220"], [2, "eip155:31337"]]) {
    test(`a client choosing ${network} is verified and settled by the mock`, async () => {
      const client = new x402Client((version, requirements) => requirements[index]);
      registerClientScheme(client, { signer: account });
      client.setSpendControls({ allowedAssets: true });
      const res = await wrapV2(fetch, client)(`${url}/multi`);
      assert.equal(res.status, 200, await res.clone().text());
      const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
      assert.equal(settlement.success, true);
      assert.equal(settlement.network, network);
      // One more settle through the mock for each client: index + 1 of them so far.
      const settles = (log) => (log.match(/facilitator settle v2 from 0x[0-9a-fA-F]{40}: valid/g) || []).length;
      assert.equal(settles(await mock.waitForLog((log) => settles(log) >= index + 1)), index + 1);
    });
  }

  test("/facilitator/supported lists the declared chain beside the table's", async () => {
    const supported = await (await fetch(`${mock.url}/facilitator/supported`)).json();
    for (const network of ["eip155:42161", "eip155:42220", "eip155:31337"]) {
      assert.ok(supported.kinds.some((k) => k.x402Version === 2 && k.network === network), network);
    }
  });
});
