// The app under test in compose.yaml: a real x402-express server whose facilitator is the
// x402-dev mock. GET /weather costs $0.001 on base-sepolia; the mock verifies and settles.
//   FACILITATOR_URL  the mock's facilitator (default http://mock:3402/facilitator)
//   PORT             where the app listens (default 4021, on every interface of its container)
import express from "express";
import { paymentMiddleware } from "x402-express";

const facilitator = process.env.FACILITATOR_URL ?? "http://mock:3402/facilitator";
const port = Number(process.env.PORT ?? 4021);
const payTo = process.env.PAY_TO ?? "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";

const app = express();
app.use(
  paymentMiddleware(payTo, { "GET /weather": { price: "$0.001", network: "base-sepolia" } }, { url: facilitator }),
);
app.get("/weather", (_req, res) => res.json({ weather: "sunny" }));
app.get("/healthz", (_req, res) => res.json({ status: "ok" }));

const server = app.listen(port, "0.0.0.0", () => {
  console.log(`example app on :${port}, facilitator ${facilitator}`);
});
// PID 1 in a container gets no default SIGTERM action: stop on it, answering what is in flight.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
