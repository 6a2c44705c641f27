// The mock verifies payment signatures as the real facilitators do (EIP-712 digest, secp256k1
// recovery, payer = authorization.from): real clients (x402-fetch 1.2 for v1, @x402/fetch 2.27
// for v2) sign, and a fetch between the client and the mock alters the signed payment before
// it goes out (decode the header, edit, re-encode). Every alteration must get 402 with the
// reference's reason, and the log must name the recovered and the claimed address.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { wrapFetchWithPayment as wrapV2, x402Client } from "@x402/fetch";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { wrapFetchWithPayment as wrapV1 } from "x402-fetch";

import { startMock } from "./mock_process.mjs";

const payer = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());

// The domain the mock offers on base-sepolia (its default network): USDC's.
const domain = {
  name: "USDC",
  version: "2",
  chainId: 84532,
  verifyingContract: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
};
const types = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
};

async function resign(payment, account, domainChange) {
  const a = payment.payload.authorization;
  payment.payload.signature = await account.signTypedData({
    domain: { ...domain, ...domainChange },
    types,
    primaryType: "TransferWithAuthorization",
    message: { ...a, value: BigInt(a.value), validAfter: BigInt(a.validAfter), validBefore: BigInt(a.validBefore) },
  });
}

// How each test alters the payment the client signed.
const tamperings = {
  value: async (p) => { p.payload.authorization.value = String(BigInt(p.payload.authorization.value) + 1n); },
  to: async (p) => { p.payload.authorization.to = "0x000000000000000000000000000000000000dEaD"; },
  chainId: (p) => resign(p, payer, { chainId: 8453 }),
  verifyingContract: (p) => resign(p, payer, { verifyingContract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" }),
  "wrong key": (p) => resign(p, stranger, {}),
};

// A fetch that alters the payment header of every paid request on its way to the mock.
function tamperingFetch(tamper) {
  return async (input, init) => {
    const request = new Request(input, init);
    for (const name of ["x-payment", "payment-signature"]) {
      const header = request.headers.get(name);
      if (!header) continue;
      const payment = JSON.parse(Buffer.from(header, "base64").toString());
      await tamper(payment);
      request.headers.set(name, Buffer.from(JSON.stringify(payment)).toString("base64"));
    }
    return fetch(request);
  };
}

function v2Client() {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: payer });
  return client;
}

describe("signatures are verified", () => {
  let mock;
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock.stop();
  });

  test("untouched payments from both clients still pay", async () => {
    assert.equal((await wrapV1(fetch, payer)(`${mock.url}/api/data`)).status, 200);
    assert.equal((await wrapV2(fetch, v2Client())(`${mock.url}/api/data`)).status, 200);
  });

  for (const [what, tamper] of Object.entries(tamperings)) {
    test(`v1 (x402-fetch): ${what} altered after signing → 402 invalid_exact_evm_payload_signature`, async () => {
      const res = await wrapV1(tamperingFetch(tamper), payer)(`${mock.url}/api/data`);
      assert.equal(res.status, 402);
      const body = await res.json();
      assert.equal(body.error, "invalid_exact_evm_payload_signature", JSON.stringify(body));
      assert.match(body.errorMessage, /recovers 0x[0-9a-fA-F]{40}, not authorization\.from/);
    });

    test(`v2 (@x402/fetch): ${what} altered after signing → 402 invalid_exact_evm_signature`, async () => {
      const res = await wrapV2(tamperingFetch(tamper), v2Client())(`${mock.url}/api/data`);
      assert.equal(res.status, 402);
      const required = JSON.parse(Buffer.from(res.headers.get("payment-required"), "base64").toString());
      assert.equal(required.error, "invalid_exact_evm_signature", JSON.stringify(required));
    });
  }

  test("the log names the recovered signer next to the claimed payer", async () => {
    await wrapV1(tamperingFetch(tamperings["wrong key"]), payer)(`${mock.url}/api/data`);
    const refusal = (l) => l.includes(stranger.address) && l.includes("payment refused");
    const line = (await mock.waitForLog((log) => log.split("\n").some(refusal))).split("\n").find(refusal);
    assert.ok(line, `no refusal line naming ${stranger.address} in:\n${mock.log()}`);
    assert.ok(line.toLowerCase().includes(payer.address.toLowerCase()), line);
    console.log(`[log] ${line}`);
  });

  test("a smart-wallet signature is accepted unverified by default, refused when configured", async () => {
    const smartWallet = (p) => { p.payload.signature = `0x${"ab".repeat(200)}`; };
    const accepted = await wrapV2(tamperingFetch(smartWallet), v2Client())(`${mock.url}/api/data`);
    assert.equal(accepted.status, 200);
    assert.match(await mock.waitForLog(/erc1271 smart-wallet signature, not verified offline/), /erc1271 smart-wallet signature, not verified offline/);

    const refusing = await startMockWithEnv({ X402_DEV_SMART_WALLET_SIGNATURES: "refuse" });
    try {
      const res = await wrapV2(tamperingFetch(smartWallet), v2Client())(`${refusing.url}/api/data`);
      assert.equal(res.status, 402);
      const required = JSON.parse(Buffer.from(res.headers.get("payment-required"), "base64").toString());
      assert.equal(required.error, "invalid_exact_evm_signature");
    } finally {
      await refusing.stop();
    }
  });
});

async function startMockWithEnv(env) {
  const saved = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    return await startMock();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
