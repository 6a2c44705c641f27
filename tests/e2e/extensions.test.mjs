// Issue 29: the v2 extensions, met by the real, unmodified @x402/extensions 2.27:
//   · bazaar discovery: a route of the mock declares itself as declareDiscoveryExtension()
//     does, an @x402/express 2.x server's route is cataloged when it settles through the mock
//     facilitator, and withBazaar()'s client lists and searches both;
//   · sign-in-with-x: a wallet that paid signs in later, EVM (EIP-4361 + EIP-191) and Solana.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { decodePaymentRequiredHeader } from "@x402/core/http";
import { HTTPFacilitatorClient, x402ResourceServer } from "@x402/core/server";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { paymentMiddleware } from "@x402/express";
import {
  bazaarResourceServerExtension, declareDiscoveryExtension, extractDiscoveryInfo, validateDiscoveryExtension, withBazaar,
} from "@x402/extensions/bazaar";
import {
  buildSIWxSchema, createSIWxClientExtension, createSIWxPayload, encodeSIWxHeader, formatSIWEMessage, verifySIWxSignature,
} from "@x402/extensions/sign-in-with-x";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactSvmScheme } from "@x402/svm/exact/client";
import { generateKeyPairSigner } from "@solana/kit";
import express from "express";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { freePort, startMock } from "./mock_process.mjs";

const payTo = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";

function payingClient(account) {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: account });
  return client;
}

describe("bazaar discovery through the mock facilitator", () => {
  let mock, server, url, configDir;
  before(async () => {
    configDir = mkdtempSync(path.join(os.tmpdir(), "x402-e2e-bazaar-"));
    const config = path.join(configDir, "x402dev.yaml");
    writeFileSync(config, [
      "mock_server:",
      "  pricing:",
      "    per_resource:",
      "      /weather:",
      "        price: 0.01",
      "        discovery:",
      "          description: Current weather for a city",
      "          query: {city: London}",
      "          query_schema: {properties: {city: {type: string}}, required: [city]}",
      "          output: {city: London, temperature: 12, raining: true}",
      "          tags: [weather, demo]",
      "          service_name: Mock Weather",
      "      /city/*:",
      "        price: 0.01",
      "        discovery: {query: {units: metric}}",
      "      /translate:",
      "        price: 0.02",
      "        discovery:",
      "          method: POST",
      "          body: {text: hello, to: fr}",
      "          body_schema: {properties: {text: {type: string}, to: {type: string}}}",
      "",
    ].join("\n"));
    mock = await startMock(["--config", config]);

    // A real @x402/express 2.x server whose route declares itself discoverable, settling
    // through the mock facilitator.
    const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` }))
      .register("eip155:84532", new ExactEvmScheme())
      .registerExtension(bazaarResourceServerExtension);
    const app = express();
    app.use(paymentMiddleware({
      "GET /forecast": {
        accepts: { scheme: "exact", price: "$0.003", network: "eip155:84532", payTo },
        description: "A five-day forecast",
        extensions: declareDiscoveryExtension({
          input: { days: 5 },
          inputSchema: { properties: { days: { type: "number" } } },
          output: { example: { days: [{ high: 14 }] } },
        }),
      },
    }, resourceServer));
    app.get("/forecast", (_req, res) => res.json({ days: [{ high: 14 }] }));
    const port = await freePort();
    await new Promise((resolve) => { server = app.listen(port, "127.0.0.1", resolve); });
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await mock.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  test("/facilitator/supported lists the bazaar extension", async () => {
    const supported = await new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` }).getSupported();
    assert.deepEqual(supported.extensions, ["bazaar"]);
  });

  test("the mock's 402 declares bazaar as the reference builds it, and the reference's validator accepts it", async () => {
    const res = await fetch(`${mock.url}/weather`);
    assert.equal(res.status, 402);
    const offer = decodePaymentRequiredHeader(res.headers.get("payment-required"));
    const declared = offer.extensions.bazaar;
    assert.deepEqual(validateDiscoveryExtension(declared), { valid: true });
    // declareDiscoveryExtension() for the same route, then enriched with its method as the
    // reference's resource server does.
    const reference = bazaarResourceServerExtension.enrichDeclaration(
      declareDiscoveryExtension({
        input: { city: "London" },
        inputSchema: { properties: { city: { type: "string" } }, required: ["city"] },
        output: { example: { city: "London", temperature: 12, raining: true } },
      }).bazaar,
      { method: "GET", adapter: { getPath: () => "/weather" } },
    );
    assert.deepEqual(declared, reference);
    assert.equal(offer.resource.description, "Current weather for a city");
    assert.equal(offer.resource.serviceName, "Mock Weather");
    assert.deepEqual(offer.resource.tags, ["weather", "demo"]);
    // A prefix route is a dynamic one: its template and the path's parameter, as the reference's
    // resource server enriches a wildcard route.
    const city = decodePaymentRequiredHeader((await fetch(`${mock.url}/city/paris`)).headers.get("payment-required"));
    assert.deepEqual(city.extensions.bazaar, bazaarResourceServerExtension.enrichDeclaration(
      declareDiscoveryExtension({ input: { units: "metric" } }).bazaar,
      { method: "GET", adapter: { getPath: () => "/city/paris" }, routePattern: "/city/*" },
    ));
    // A POST route declares a body.
    const post = decodePaymentRequiredHeader((await fetch(`${mock.url}/translate`, { method: "POST" })).headers.get("payment-required"));
    assert.equal(post.extensions.bazaar.info.input.method, "POST");
    assert.equal(post.extensions.bazaar.info.input.bodyType, "json");
    assert.deepEqual(validateDiscoveryExtension(post.extensions.bazaar), { valid: true });
    // What a client pays with carries it, and the reference's extractDiscoveryInfo() reads it.
    const payload = await payingClient(privateKeyToAccount(generatePrivateKey())).createPaymentPayload(offer);
    const discovered = extractDiscoveryInfo(payload, offer.accepts[0]);
    assert.equal(discovered.resourceUrl, `${mock.url}/weather`);
    assert.equal(discovered.method, "GET");
  });

  test("withBazaar's listResources finds the express route it settled and the mock's own routes", async () => {
    const pay = wrapFetchWithPayment(fetch, payingClient(privateKeyToAccount(generatePrivateKey())));
    const paid = await pay(`${url}/forecast?days=5`);
    assert.equal(paid.status, 200);
    const client = withBazaar(new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` }));
    const list = await client.extensions.bazaar.listResources();
    const resources = list.items.map((item) => item.resource);
    assert.ok(resources.includes(`${url}/forecast`), JSON.stringify(resources));  // no query string
    assert.ok(resources.includes(`${mock.url}/weather`), JSON.stringify(resources));
    assert.ok(resources.includes(`${mock.url}/translate`), JSON.stringify(resources));
    assert.ok(resources.includes(`${mock.url}/city/:var1`), JSON.stringify(resources));
    assert.equal(list.pagination.total, 4);
    const forecast = list.items.find((item) => item.resource === `${url}/forecast`);
    assert.equal(forecast.type, "http");
    assert.equal(forecast.x402Version, 2);
    assert.equal(forecast.accepts[0].payTo, payTo);
    assert.equal(forecast.description, "A five-day forecast");
    assert.equal(forecast.extensions.bazaar.info.input.method, "GET");
    assert.ok(!Number.isNaN(Date.parse(forecast.lastUpdated)));

    // Filters and pages.
    const page = await client.extensions.bazaar.listResources({ limit: 1, offset: 1 });
    assert.equal(page.items.length, 1);
    assert.deepEqual(page.pagination, { limit: 1, offset: 1, total: 4 });
    const none = await client.extensions.bazaar.listResources({ network: "eip155:1" });
    assert.equal(none.items.length, 0);
    const byPayTo = await client.extensions.bazaar.listResources({ payTo: payTo.toLowerCase() });
    assert.equal(byPayTo.pagination.total, 4);

    // Search by words, a cursor to the next page.
    const found = await client.extensions.bazaar.search({ query: "Weather CITY" });
    assert.deepEqual(found.resources.map((r) => r.resource), [`${mock.url}/weather`]);
    const first = await client.extensions.bazaar.search({ query: "http", limit: 3 });
    assert.equal(first.resources.length, 3);
    assert.equal(typeof first.pagination.cursor, "string");
    const next = await client.extensions.bazaar.search({ query: "http", limit: 3, cursor: first.pagination.cursor });
    assert.equal(next.resources.length, 1);
    assert.equal(next.pagination.cursor, null);
  });

  test("absurd queries are a 400 naming the rule; withBazaar's client reports it", async () => {
    const client = withBazaar(new HTTPFacilitatorClient({ url: `${mock.url}/facilitator` }));
    await assert.rejects(client.extensions.bazaar.listResources({ limit: 1e9 }), /400.*limit must be a whole number/);
    await assert.rejects(client.extensions.bazaar.search({ query: "x", cursor: "../../etc" }), /400.*cursor/);
    for (const query of ["limit=-1", "limit=0", "offset=1.5", "limit=abc"]) {
      const res = await fetch(`${mock.url}/facilitator/discovery/resources?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal((await res.json()).reason, "invalid_discovery_query");
    }
    const long = await fetch(`${mock.url}/facilitator/discovery/search?query=${"a".repeat(300)}`);
    assert.equal(long.status, 400);
  });
});

// sign-in-with-x: a wallet that paid signs in later with @x402/extensions' own client
// (createSIWxClientExtension, unmodified) and is served without paying again.
describe("sign-in-with-x against the mock's paywall", () => {
  let mock, configDir;
  before(async () => {
    configDir = mkdtempSync(path.join(os.tmpdir(), "x402-e2e-siwx-"));
    const config = path.join(configDir, "x402dev.yaml");
    writeFileSync(config, [
      "mock_server:",
      "  pricing:",
      "    per_resource:",
      "      /report: {price: 0.01, sign_in_with_x: {statement: Sign in to read the report}}",
      "      /sol-report:",
      "        price: 0.01",
      "        sign_in_with_x: true",
      "        accepts: [{network: solana-devnet}]",
      "",
    ].join("\n"));
    mock = await startMock(["--config", config]);
  });
  after(async () => {
    await mock.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  function siwxClient(account) {
    const client = payingClient(account);
    client.registerExtension(createSIWxClientExtension({ signers: [account] }));
    return client;
  }
  // The challenge of a fresh 402 for |path|.
  async function challenge(path) {
    const res = await fetch(`${mock.url}${path}`);
    assert.equal(res.status, 402);
    return decodePaymentRequiredHeader(res.headers.get("payment-required")).extensions["sign-in-with-x"];
  }
  // A signed SIGN-IN-WITH-X header for |info| (the challenge's, or altered), as the reference builds it.
  async function header(info, signer, chain = "eip155:84532", type = "eip191") {
    const payload = await createSIWxPayload({ ...info, chainId: chain, type }, signer, `${mock.url}/`);
    return { payload, value: encodeSIWxHeader(payload) };
  }
  async function signIn(path, value) {
    const res = await fetch(`${mock.url}${path}`, { headers: { "SIGN-IN-WITH-X": value } });
    const body = res.status === 402 ? decodePaymentRequiredHeader(res.headers.get("payment-required")) : await res.json();
    return { status: res.status, body };
  }

  test("the 402 declares a fresh challenge as enrichSIWxPaymentRequiredResponse() does", async () => {
    const first = await challenge("/report");
    const second = await challenge("/report");
    assert.notEqual(first.info.nonce, second.info.nonce);
    assert.match(first.info.nonce, /^[0-9a-f]{32}$/);
    assert.equal(first.info.domain, new URL(mock.url).host);
    assert.equal(first.info.uri, `${mock.url}/report`);
    assert.deepEqual(first.info.resources, [`${mock.url}/report`]);
    assert.equal(first.info.statement, "Sign in to read the report");
    assert.ok(Math.abs(Date.parse(first.info.issuedAt) - Date.now()) < 5000);
    assert.deepEqual(first.supportedChains, [{ chainId: "eip155:84532", type: "eip191" }]);
    assert.deepEqual(first.schema, buildSIWxSchema());
  });

  test("a wallet that paid signs in and is served without paying; the history says so", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const pay = wrapFetchWithPayment(fetch, siwxClient(account));
    // First: the client's sign-in is refused (it has not paid), so it pays.
    const paid = await pay(`${mock.url}/report`);
    assert.equal(paid.status, 200);
    assert.equal((await paid.json()).paid, true);
    // Then: the sign-in alone serves it.
    const again = await pay(`${mock.url}/report`);
    assert.equal(again.status, 200);
    const body = await again.json();
    assert.deepEqual([body.signed_in, body.address], [true, account.address]);
    const records = (await (await fetch(`${mock.url}/__x402/requests?path=/report`)).json()).requests
      .filter((r) => r.payment?.payer === account.address);
    const verdicts = records.map((r) => r.verdict);
    assert.ok(verdicts.includes("paid") && verdicts.indexOf("signed_in") > verdicts.indexOf("paid"), verdicts.join());
    assert.equal(records.find((r) => r.verdict === "signed_in").payment.header, "SIGN-IN-WITH-X");
    const refused = (await (await fetch(`${mock.url}/__x402/requests?path=/report`)).json()).requests
      .find((r) => r.reason === "siwx_payment_required");
    assert.ok(refused, "the refused sign-in before paying is in the history with its reason");
  });

  test("refusals: a wallet that did not pay, a replayed nonce, an expired message, a tampered signature, garbage", async () => {
    const payer = privateKeyToAccount(generatePrivateKey());
    assert.equal((await wrapFetchWithPayment(fetch, payingClient(payer))(`${mock.url}/report`)).status, 200);

    const stranger = privateKeyToAccount(generatePrivateKey());
    let result = await signIn("/report", (await header((await challenge("/report")).info, stranger)).value);
    assert.deepEqual([result.status, result.body.error], [402, "siwx_payment_required"]);

    const good = await header((await challenge("/report")).info, payer);
    assert.equal((await signIn("/report", good.value)).status, 200);
    result = await signIn("/report", good.value);  // the same message again
    assert.deepEqual([result.status, result.body.error], [402, "invalid_siwx_nonce"]);

    const info = (await challenge("/report")).info;
    result = await signIn("/report", (await header({ ...info, expirationTime: new Date(Date.now() - 1000).toISOString() }, payer)).value);
    assert.equal(result.body.error, "invalid_siwx_expired");
    result = await signIn("/report", (await header({ ...info, issuedAt: new Date(Date.now() - 6 * 60_000).toISOString() }, payer)).value);
    assert.equal(result.body.error, "invalid_siwx_issued_at_too_old");
    // A message for another site (createSIWxPayload() itself refuses to sign one: signed here by hand).
    const foreign = { ...info, domain: "evil.example", chainId: "eip155:84532", type: "eip191", address: payer.address };
    foreign.signature = await payer.signMessage({ message: formatSIWEMessage(foreign, payer.address) });
    result = await signIn("/report", encodeSIWxHeader(foreign));
    assert.equal(result.body.error, "invalid_siwx_domain_mismatch");

    const tampered = (await header((await challenge("/report")).info, payer)).payload;
    tampered.signature = tampered.signature.slice(0, 10) + (tampered.signature[10] === "a" ? "b" : "a") + tampered.signature.slice(11);
    result = await signIn("/report", encodeSIWxHeader(tampered));
    assert.equal(result.body.error, "invalid_siwx_signature");
    // The reference's own verifier agrees on the tampered one and accepts the good one.
    assert.equal((await verifySIWxSignature(tampered)).invalidReason, "invalid_siwx_signature");
    assert.equal((await verifySIWxSignature(good.payload)).isValid, true);

    for (const [value, reason] of [["not base64!", "invalid_siwx_header"], [Buffer.from("{").toString("base64"), "invalid_siwx_header"],
                                   [Buffer.from(JSON.stringify({ domain: 1 })).toString("base64"), "invalid_siwx_header"]]) {
      result = await signIn("/report", value);
      assert.deepEqual([result.status, result.body.error], [402, reason], value);
      assert.match(result.body.errorMessage, /Invalid SIWX header/);
    }
  });

  test("the EIP-4361 text the mock rebuilds is @signinwithethereum/siwe's: a message signed over another text fails", async () => {
    const payer = privateKeyToAccount(generatePrivateKey());
    assert.equal((await wrapFetchWithPayment(fetch, payingClient(payer))(`${mock.url}/report`)).status, 200);
    const info = (await challenge("/report")).info;
    const payload = { ...info, chainId: "eip155:84532", type: "eip191", address: payer.address };
    // Signed over formatSIWEMessage()'s text (the reference's), with a lower-case address the
    // library checksums: accepted.
    payload.address = payer.address.toLowerCase();
    payload.signature = await payer.signMessage({ message: formatSIWEMessage(payload, payload.address) });
    assert.equal((await signIn("/report", encodeSIWxHeader(payload))).status, 200);
    // Signed over the same text with one more trailing newline: refused.
    const other = { ...payload, nonce: (await challenge("/report")).info.nonce };
    other.signature = await payer.signMessage({ message: formatSIWEMessage(other, other.address) + "\n" });
    assert.equal((await signIn("/report", encodeSIWxHeader(other))).body.error, "invalid_siwx_signature");
  });

  test("a Solana wallet that paid signs in with ed25519", async () => {
    const signer = await generateKeyPairSigner();
    const client = new x402Client();
    client.register("solana:*", new ExactSvmScheme(signer, { rpcUrl: `${mock.url}/__x402/solana-rpc` }));
    client.registerExtension(createSIWxClientExtension({ signers: [signer] }));
    const pay = wrapFetchWithPayment(fetch, client);
    assert.equal((await pay(`${mock.url}/sol-report`)).status, 200);
    const again = await pay(`${mock.url}/sol-report`);
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { signed_in: true, resource: "/sol-report", address: signer.address,
                                           chainId: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1" });
    const declared = await challenge("/sol-report");
    assert.deepEqual(declared.supportedChains, [{ chainId: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", type: "ed25519" }]);
  });
});
