// The reference x402 server for the benchmark: express with x402-express 1.2 protecting one
// route, answering the unpaid 402 (no facilitator call on that path).
import express from "express";
import { paymentMiddleware } from "x402-express";

const port = Number(process.argv[2]);
const app = express();
app.use(
  paymentMiddleware(
    "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF",
    { "GET /api/data": { price: "$0.05", network: "base-sepolia" } },
    { url: "http://127.0.0.1:9/facilitator" },  // never called on the 402 path
  ),
);
app.get("/api/data", (_req, res) => res.json({ data: "paid" }));
app.listen(port, "127.0.0.1");
