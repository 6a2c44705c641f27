// Every network and asset the reference client pays on, and offers with several options: the
// mock's table is checked against @x402/evm 2.27's own DEFAULT_ASSETS (imported here, not
// copied), then the real clients pay one option per asset, a client's selector chooses among
// several, x402-fetch 1.2 pays every option that has a v1 name, and a chain the table lacks
// is declared in the config and paid.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { PaymentRequiredV1Schema, PaymentRequiredV2Schema } from "@x402/core/schemas";
import { DEFAULT_ASSETS } from "@x402/evm";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment as wrapV2, x402Client } from "@x402/fetch";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { decodeXPaymentResponse, wrapFetchWithPayment as wrapV1 } from "x402-fetch";
import { PaymentRequirementsSchema, SupportedPaymentKindsResponseSchema } from "x402/types";

import { startMock } from "./mock_process.mjs";

const account = privateKeyToAccount(generatePrivateKey());
const PRICE_MICRO_USD = 10_000n; // 0.01 USD, the mock's default price

// Every asset of the reference table that the exact scheme moves with EIP-3009; the others
// (assetTransferMethod "permit2" in the table) the mock offers, and the client pays, through
// Permit2 under the same exact scheme: permit2.test.mjs pays those.
const eip3009Assets = Object.entries(DEFAULT_ASSETS).flatMap(([network, assets]) =>
  assets.filter((a) => a.assetTransferMethod !== "permit2").map((a) => ({ network, ...a })));
const permit2Assets = Object.entries(DEFAULT_ASSETS).flatMap(([network, assets]) =>
  assets.filter((a) => a.assetTransferMethod === "permit2").map((a) => ({ network, ...a })));

const tempDirs = [];
function configFile(yaml) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "x402-networks-"));
  tempDirs.push(dir);
  const file = path.join(dir, "x402dev.yaml");
  writeFileSync(file, yaml);
  return file;
}

function acceptsYaml(options) {
  return "mock_server:\n  accepts:\n" + options.map((o) =>
    `    - network: "${o.network}"\n` + (o.asset ? `      asset: "${o.asset}"\n` : "")).join("");
}

async function offerOf(url) {
  const res = await fetch(url);
  assert.equal(res.status, 402);
  return JSON.parse(Buffer.from(res.headers.get("payment-required"), "base64").toString());
}

async function paidNetworks(mockUrl) {
  const history = await (await fetch(`${mockUrl}/__x402/requests?limit=1000`)).json();
  return history.requests.filter((r) => r.verdict === "paid").map((r) => `${r.option.network} ${r.option.symbol}`);
}

// A v2 client whose selector takes the option on |network| with |asset|.
function clientFor(network, asset) {
  const client = new x402Client((version, requirements) => {
    const chosen = requirements.find((r) => r.network === network && r.asset.toLowerCase() === asset.toLowerCase());
    assert.ok(chosen, `the 402 lists ${network} ${asset}`);
    return chosen;
  });
  registerExactEvmScheme(client, { signer: account });
  return client;
}

after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("every EIP-3009 asset of @x402/evm 2.27's DEFAULT_ASSETS", () => {
  let mock;
  before(async () => {
    assert.ok(eip3009Assets.length >= 20, `the reference table has ${eip3009Assets.length} EIP-3009 assets`);
    mock = await startMock([], { X402_DEV_CONFIG: configFile(acceptsYaml(eip3009Assets.map((a) => ({ network: a.network, asset: a.asset })))) });
  });
  after(async () => {
    await mock.stop();
  });

  test("the 402 offers each one as the reference table has it", async () => {
    const offer = await offerOf(`${mock.url}/anything`);
    assert.equal(offer.accepts.length, eip3009Assets.length);
    for (const [i, a] of eip3009Assets.entries()) {
      const option = offer.accepts[i];
      assert.equal(option.network, a.network);
      assert.equal(option.asset, a.asset, `${a.network} asset`);
      assert.deepEqual(option.extra, { name: a.name, version: a.version }, `${a.network} ${a.symbol} EIP-712 domain`);
      assert.equal(option.amount, (PRICE_MICRO_USD * 10n ** BigInt(a.decimals) / 1_000_000n).toString(), `${a.network} amount`);
    }
  });

  test("the offers parse with the reference schemas: @x402/core (v1, v2) and x402 1.2.0 (v1)", async () => {
    const res = await fetch(`${mock.url}/anything`);
    const v2 = JSON.parse(Buffer.from(res.headers.get("payment-required"), "base64").toString());
    PaymentRequiredV2Schema.parse(v2);
    const v1 = await res.json();
    PaymentRequiredV1Schema.parse(v1);
    for (const entry of v1.accepts) PaymentRequirementsSchema.parse(entry);  // as x402-fetch 1.2.0 does
    assert.ok(v1.accepts.length > 0 && v1.accepts.length < v2.accepts.length);
    const supported = await (await fetch(`${mock.url}/facilitator/supported`)).json();
    // x402 1.2.0's schema knows v1 kinds only (a v2 kind is refused whoever answers): the
    // mock's v1 kinds parse with it, each network in its enum.
    SupportedPaymentKindsResponseSchema.parse({ kinds: supported.kinds.filter((k) => k.x402Version === 1) });
    // Every network of the table, whatever the configured offer: those whose tokens move only
    // by Permit2 too, since the mock now verifies and settles Permit2 payloads (a server
    // offering what /supported lists must get paid).
    for (const network of Object.keys(DEFAULT_ASSETS)) {
      const listed = supported.kinds.some((k) => k.x402Version === 2 && k.scheme === "exact" && k.network === network);
      assert.ok(listed, `supported lists exact (v2) on ${network}`);
    }
  });

  test("@x402/fetch with ExactEvmScheme (eip155:*) pays each one, and the history names its network", async () => {
    for (const a of eip3009Assets) {
      const pay = wrapV2(fetch, clientFor(a.network, a.asset));
      const res = await pay(`${mock.url}/anything`);
      assert.equal(res.status, 200, `${a.network} ${a.symbol}: ${await res.clone().text()}`);
      const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
      assert.equal(settlement.network, a.network);
      const body = await res.json();
      assert.equal(body.asset, a.asset);
    }
    const paid = await paidNetworks(mock.url);
    assert.deepEqual(paid, eip3009Assets.map((a) => `${a.network} ${a.symbol}`));
  });
});

describe("several options per offer", () => {
  test("a 402 with 4 options: the client's selector picks the third, and the mock settles that one", async () => {
    const options = [{ network: "eip155:84532" }, { network: "eip155:137" }, { network: "eip155:42161" }, { network: "eip155:1" }];
    const mock = await startMock([], { X402_DEV_CONFIG: configFile(acceptsYaml(options)) });
    try {
      const offer = await offerOf(`${mock.url}/api/data`);
      assert.deepEqual(offer.accepts.map((o) => o.network), options.map((o) => o.network));
      const client = new x402Client((version, requirements) => requirements[2]);
      registerExactEvmScheme(client, { signer: account });
      const res = await wrapV2(fetch, client)(`${mock.url}/api/data`);
      assert.equal(res.status, 200);
      assert.equal(decodePaymentResponseHeader(res.headers.get("payment-response")).network, "eip155:42161");
      const history = await (await fetch(`${mock.url}/__x402/requests?limit=10`)).json();
      const paid = history.requests.find((r) => r.verdict === "paid");
      assert.equal(paid.option.network, "eip155:42161");
      assert.equal(paid.option.offered, 4);
    } finally {
      await mock.stop();
    }
  });

  test("x402-fetch 1.2 (v1) pays every option that has a v1 name, and v1 offers list only those", async () => {
    // x402 1.2.0's network enum knows these of the table (its zod schema refuses a whole 402
    // over one name it does not know, so the mock lists no other in v1).
    const v1Names = ["base-sepolia", "base", "avalanche", "polygon", "sei", "sei-testnet"];
    const options = [...v1Names.map((network) => ({ network })), { network: "eip155:42161" }];
    const mock = await startMock([], { X402_DEV_CONFIG: configFile(acceptsYaml(options)) });
    try {
      const v1 = await (await fetch(`${mock.url}/x`)).json();
      assert.deepEqual(v1.accepts.map((o) => o.network), v1Names);
      for (const name of v1Names) {
        const pay = wrapV1(fetch, account, undefined, (requirements) => requirements.find((r) => r.network === name));
        const res = await pay(`${mock.url}/x`);
        assert.equal(res.status, 200, `${name}: ${await res.clone().text()}`);
        assert.equal(decodeXPaymentResponse(res.headers.get("x-payment-response")).network, name);
      }
      const paid = await paidNetworks(mock.url);
      assert.equal(paid.length, v1Names.length);
    } finally {
      await mock.stop();
    }
  });

  test("a payment for one option replayed as another is refused", async () => {
    const options = [{ network: "eip155:84532" }, { network: "eip155:137" }];
    const mock = await startMock([], { X402_DEV_CONFIG: configFile(acceptsYaml(options)) });
    try {
      let signed;
      const capture = async (input, init) => {
        const request = new Request(input, init);
        if (request.headers.get("payment-signature")) signed = request.headers.get("payment-signature");
        return fetch(request);
      };
      const client = new x402Client((version, requirements) => requirements[0]);
      registerExactEvmScheme(client, { signer: account });
      assert.equal((await wrapV2(capture, client)(`${mock.url}/api/data`)).status, 200);
      // The same signed authorization, now claiming the Polygon option: its `accepted` no
      // longer matches what was signed for, and the EIP-712 domain (chain, token) differs.
      const payment = JSON.parse(Buffer.from(signed, "base64").toString());
      const offer = await offerOf(`${mock.url}/api/data`);
      payment.accepted = offer.accepts[1];
      const res = await fetch(`${mock.url}/api/data`, {
        headers: { "PAYMENT-SIGNATURE": Buffer.from(JSON.stringify(payment)).toString("base64") },
      });
      assert.equal(res.status, 402);
      const refused = JSON.parse(Buffer.from(res.headers.get("payment-required"), "base64").toString());
      assert.equal(refused.error, "invalid_exact_evm_signature");
      // And replayed as itself, it is a used authorization.
      const again = await fetch(`${mock.url}/api/data`, { headers: { "PAYMENT-SIGNATURE": signed } });
      assert.equal(again.status, 402);
    } finally {
      await mock.stop();
    }
  });
});

describe("a chain the table lacks, declared in the config", () => {
  test("eip155:31337 with an 18-decimal token: @x402/fetch pays the exact amount", async () => {
    const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const yaml = `mock_server:\n  accepts:\n    - network: "eip155:31337"\n` +
      `      asset: {address: "${token}", decimals: 18, name: "Mock USD", version: "1", symbol: "mUSD"}\n`;
    const mock = await startMock([], { X402_DEV_CONFIG: configFile(yaml) });
    try {
      const offer = await offerOf(`${mock.url}/api/data`);
      assert.equal(offer.accepts[0].amount, "50000000000000000"); // 0.05 USD at 18 decimals
      assert.deepEqual(offer.accepts[0].extra, { name: "Mock USD", version: "1" });
      const client = new x402Client();
      registerExactEvmScheme(client, { signer: account });
      // Not one of the reference's default assets: the client allows it explicitly.
      client.setSpendControls({ allowedAssets: [{ network: "eip155:31337", asset: token }] });
      const res = await wrapV2(fetch, client)(`${mock.url}/api/data`);
      assert.equal(res.status, 200, await res.clone().text());
      const settlement = decodePaymentResponseHeader(res.headers.get("payment-response"));
      assert.equal(settlement.network, "eip155:31337");
      assert.equal(settlement.amount, "50000000000000000");
      const history = await (await fetch(`${mock.url}/__x402/requests?limit=5`)).json();
      const paid = history.requests.find((r) => r.verdict === "paid");
      assert.deepEqual([paid.option.symbol, paid.option.decimals], ["mUSD", 18]);
    } finally {
      await mock.stop();
    }
  });

  test("forcing EIP-3009 on a Permit2-only asset of the table is refused by config validate, naming the option", async () => {
    assert.ok(permit2Assets.length > 0);
    const a = permit2Assets[0];
    const yaml = `mock_server:\n  accepts:\n    - network: "${a.network}"\n      asset: "${a.asset}"\n` +
      `      asset_transfer_method: eip3009\n`;
    const { spawnSync } = await import("node:child_process");
    const run = spawnSync(process.env.X402_DEV_BIN, ["config", "validate", configFile(yaml)], { encoding: "utf8", timeout: 10_000 });
    assert.equal(run.status, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /mock_server\.accepts\[0\].*no EIP-3009/s);
  });
});
