// Pays one x402-protected URL with a real x402-fetch client (v1, a fresh throwaway key) and
// prints one JSON line: {"status":…, "body":…, "settlement":…}. The container test drives the
// compose example app with it from the host: node tests/e2e/pay_once.mjs http://127.0.0.1:P/weather
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { decodeXPaymentResponse, wrapFetchWithPayment } from "x402-fetch";

const url = process.argv[2];
if (!url) {
  console.error("usage: node pay_once.mjs URL");
  process.exit(2);
}
const pay = wrapFetchWithPayment(fetch, privateKeyToAccount(generatePrivateKey()));
const res = await pay(url);
const header = res.headers.get("x-payment-response");
console.log(
  JSON.stringify({
    status: res.status,
    body: await res.text(),
    settlement: header ? decodeXPaymentResponse(header) : null,
  }),
);
