// Issue 29: the v2 extensions, met by the real, unmodified @x402/extensions 2.27 — bazaar
// discovery: a route of the mock declares itself as declareDiscoveryExtension() does, an
// @x402/express 2.x server's route is cataloged when it settles through the mock facilitator,
// and withBazaar()'s client lists and searches both.
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
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
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
    assert.equal(list.pagination.total, 3);
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
    assert.deepEqual(page.pagination, { limit: 1, offset: 1, total: 3 });
    const none = await client.extensions.bazaar.listResources({ network: "eip155:1" });
    assert.equal(none.items.length, 0);
    const byPayTo = await client.extensions.bazaar.listResources({ payTo: payTo.toLowerCase() });
    assert.equal(byPayTo.pagination.total, 3);

    // Search by words, a cursor to the next page.
    const found = await client.extensions.bazaar.search({ query: "Weather CITY" });
    assert.deepEqual(found.resources.map((r) => r.resource), [`${mock.url}/weather`]);
    const first = await client.extensions.bazaar.search({ query: "http", limit: 2 });
    assert.equal(first.resources.length, 2);
    assert.equal(typeof first.pagination.cursor, "string");
    const next = await client.extensions.bazaar.search({ query: "http", limit: 2, cursor: first.pagination.cursor });
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
