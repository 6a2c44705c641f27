// The dashboard at /__x402/ in a real browser: headless Chromium loads it against a running
// mock, a real x402 client (x402-fetch 1.2) pays, and the paid request must show up as a row
// within 2 s; a payer made of HTML must show as text. Saves screenshots (desktop, phone, phone
// dark) to $X402_DEV_SCREENSHOT_DIR, else a temporary folder; docs/images/ holds the ones the
// docs show (tests/e2e/README.md says how to refresh them).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { wrapFetchWithPayment } from "x402-fetch";

import { findChromium, launchChromium } from "./chromium_cdp.mjs";
import { startMock } from "./mock_process.mjs";

const chromium = findChromium();
const skip = chromium
  ? false
  : "chromium is not installed (apt-get install chromium, or set CHROMIUM=/path/to/chrome)";
if (skip) console.log(`SKIP dashboard browser test: ${skip}`);

const account = privateKeyToAccount(generatePrivateKey());
const screenshotDir =
  process.env.X402_DEV_SCREENSHOT_DIR || mkdtempSync(path.join(os.tmpdir(), "x402-dashboard-"));

describe("the dashboard in headless Chromium", { skip }, () => {
  let mock;
  let browser;
  let page;
  before(async () => {
    mock = await startMock();
    browser = await launchChromium(chromium);
    page = await browser.open(`${mock.url}/__x402/`);
    // The page polls /__x402/requests and /__x402/health; "live" once both answered.
    await page.waitFor(`document.getElementById("connection")?.dataset.state === "live"`, 10_000);
  });
  after(async () => {
    await browser?.close();
    await mock?.stop();
  });

  test("shows the config and the counters", async () => {
    await page.waitFor(`document.querySelectorAll("#config dt").length > 3`, 5_000);
    const config = await page.evaluate(`document.getElementById("config").textContent`);
    assert.match(config, /base-sepolia/);
    assert.match(config, /simulation mode/);
    const requests = await page.evaluate(`document.getElementById("count-requests").textContent`);
    assert.match(requests, /^\d+$/);
  });

  test("a real client's payment appears as a row within 2 s", async () => {
    const pay = wrapFetchWithPayment(fetch, account);
    const res = await pay(`${mock.url}/api/data?from=browser-test`);
    assert.equal(res.status, 200);
    const paidAt = Date.now();
    const row = `#requests li[data-path="/api/data"][data-verdict="paid"]`;
    await page.waitFor(`!!document.querySelector('${row}')`, 2_000);
    const tookMs = Date.now() - paidAt;
    console.log(`the paid row appeared ${tookMs} ms after the client got its 200`);
    assert.ok(tookMs <= 2_000, `row appeared after ${tookMs} ms`);

    // The unpaid 402 that came first is a row too.
    assert.ok(await page.evaluate(`!!document.querySelector('#requests li[data-path="/api/data"][data-verdict="unpaid"]')`));
    // Expanded, the row shows the decoded payment, the requirements and the settlement.
    await page.evaluate(`document.querySelector('${row} summary').click()`);
    const detail = await page.evaluate(`document.querySelector('${row} .detail').innerText`);
    assert.match(detail, /Decoded payment/);
    assert.match(detail, /Requirements offered/);
    assert.match(detail, /Settlement answered/);
    assert.ok(detail.toLowerCase().includes(account.address.toLowerCase()), detail);
    // The amount in the asset's units, with its symbol and network; the atomic amount beside it.
    const summary = await page.evaluate(`document.querySelector('${row} summary').innerText`);
    assert.match(summary, /0\.05 USDC/);
    assert.match(summary, /eip155:84532/);
    assert.match(detail, /50000 atomic/);
    const counters = await page.evaluate(`document.getElementById("count-paid").textContent`);
    await page.waitFor(`Number(document.getElementById("count-paid").textContent) >= 1`, 2_000);
    console.log(`paid counter: ${counters}`);
  });

  test("HTML in what a client sent is shown as text, never run", async () => {
    // A v1 payment whose payer is markup; the mock rejects it, and records it.
    const evil = "<img src=x onerror=\"window.__x402_xss=1\">";
    const header = Buffer.from(JSON.stringify({
      x402Version: 1,
      scheme: "exact",
      network: "base-sepolia",
      payload: { signature: "0x00", authorization: { from: evil, to: evil, value: "1", nonce: evil } },
    })).toString("base64");
    const res = await fetch(`${mock.url}/api/xss`, { headers: { "X-PAYMENT": header } });
    assert.equal(res.status, 402);
    const row = `#requests li[data-path="/api/xss"]`;
    await page.waitFor(`!!document.querySelector('${row}')`, 2_000);
    // A refused payment says why in the row itself.
    const verdict = await page.evaluate(`document.querySelector('${row} .verdict').textContent`);
    assert.match(verdict, /rejected: invalid_/, verdict);
    await page.evaluate(`document.querySelector('${row} summary').click()`);
    const text = await page.evaluate(`document.querySelector('${row}').textContent`);
    assert.ok(text.includes("<img src=x"), `the markup is shown as text: ${text}`);
    assert.equal(await page.evaluate(`document.querySelectorAll("#requests img").length`), 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await page.evaluate(`window.__x402_xss === undefined`), true);
  });

  // Issue 26: the page names its own icon, so the browser's /favicon.ico request (a priced
  // path, a 402) never shows up in the list it is looking at.
  test("the browser asks for no /favicon.ico", async () => {
    const history = await (await fetch(`${mock.url}/__x402/requests?path=/favicon.ico`)).json();
    assert.equal(history.requests.length, 0, JSON.stringify(history.requests));
    const icon = await fetch(`${mock.url}/__x402/favicon.svg`);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get("content-type"), "image/svg+xml");
  });

  // Issue 25, item 8: a restarted server numbers its requests from 1 again; the page must
  // notice (a new start_id) and show the new server's requests, not wait for ids past the old.
  test("after a restart on the same port the list starts over", async () => {
    const port = mock.port;
    const before = await page.evaluate(`document.querySelectorAll("#requests li").length`);
    assert.ok(before > 0);
    await mock.stop();
    mock = await startMock([], {}, { port });
    await fetch(`${mock.url}/api/after-restart`);
    const row = `#requests li[data-path="/api/after-restart"]`;
    await page.waitFor(`!!document.querySelector('${row}')`, 5_000);
    const rows = await page.evaluate(`document.querySelectorAll("#requests li").length`);
    assert.equal(rows, 1, "the old server's rows are gone");
    await page.waitFor(`document.getElementById("connection")?.dataset.state === "live"`, 5_000);
  });

  test("screenshots at desktop and phone width", async () => {
    // A few more rows, so the picture shows a history.
    const pay = wrapFetchWithPayment(fetch, account);
    await pay(`${mock.url}/api/weather`);
    await fetch(`${mock.url}/api/premium/report`);
    await page.waitFor(`document.querySelectorAll('#requests li[data-path="/api/premium/report"]').length > 0`, 2_000);
    await page.evaluate(`document.querySelectorAll("#requests details").forEach((d) => (d.open = false))`);
    await page.evaluate(`document.querySelector('#requests li[data-verdict="paid"] summary').click()`);
    mkdirSync(screenshotDir, { recursive: true });
    const shots = {
      "dashboard.png": { width: 1280, height: 1000 },
      "dashboard-phone.png": { width: 390, height: 844, mobile: true, scale: 2 },
      "dashboard-phone-dark.png": { width: 390, height: 844, mobile: true, scale: 2, dark: true },
    };
    for (const [name, view] of Object.entries(shots)) {
      // As the page does on a phone: the configuration folded, the requests first.
      await page.evaluate(`document.getElementById("config-section").open = ${!view.mobile}`);
      const png = await page.screenshot(view);
      assert.ok(png.length > 10_000, `${name} is a real picture (${png.length} bytes)`);
      assert.equal(png.subarray(1, 4).toString(), "PNG");
      writeFileSync(path.join(screenshotDir, name), png);
      console.log(`saved ${path.join(screenshotDir, name)} (${png.length} bytes)`);
    }
    // Phone width: nothing wider than the screen.
    await page.screenshot(shots["dashboard-phone.png"]);
    const overflow = await page.evaluate(`document.documentElement.scrollWidth - window.innerWidth`);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone`);
  });
});
