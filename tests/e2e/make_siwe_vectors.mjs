// Writes tests/unit/data/siwx_messages.json: the messages @x402/extensions 2.27 builds for
// sign-in-with-x (formatSIWEMessage(), through @signinwithethereum/siwe's prepareMessage();
// formatSIWSMessage()) for payloads that exercise each optional field, with a signature by a
// fixed test key, and the payloads the library refuses to build a message for. The unit tests
// check the mock's own text, and its signature check, against them.
//   node tests/e2e/make_siwe_vectors.mjs   (from the repository root, after npm ci in tests/e2e)
import { writeFileSync } from "node:fs";

import { formatSIWEMessage, formatSIWSMessage } from "@x402/extensions/sign-in-with-x";
import { privateKeyToAccount } from "viem/accounts";

const account = privateKeyToAccount(`0x${"00".repeat(31)}01`);
const base = {
  domain: "127.0.0.1:3402", uri: "http://127.0.0.1:3402/report", version: "1", chainId: "eip155:84532", type: "eip191",
  nonce: "0123456789abcdef0123456789abcdef", issuedAt: "2026-12-07T14:30:00.123Z",
};
const cases = [
  { name: "minimal", info: base },
  { name: "statement and resources", info: { ...base, statement: "Sign in to read the report", resources: [base.uri, "https://x.example/a?b=c#d"] } },
  { name: "empty statement", info: { ...base, statement: "" } },
  { name: "every optional field", info: { ...base, expirationTime: "2026-12-07T14:35:00.000Z", notBefore: "2026-12-07T14:29:00Z", requestId: "req-1", resources: [] } },
  { name: "empty request id", info: { ...base, requestId: "" } },
  { name: "lower-case address is checksummed", info: base, address: account.address.toLowerCase() },
  { name: "mainnet chain, https, port-less domain", info: { ...base, domain: "api.example.com", uri: "https://api.example.com/x", chainId: "eip155:1" } },
  { name: "time offset", info: { ...base, issuedAt: "2026-12-07T15:30:00+01:00" } },
];
const refused = [
  { name: "short nonce", info: { ...base, nonce: "abc" } },
  { name: "nonce with a dash", info: { ...base, nonce: "0123-4567-89ab" } },
  { name: "version 2", info: { ...base, version: "2" } },
  { name: "statement with a newline", info: { ...base, statement: "line\nbreak" } },
  { name: "statement with a quote", info: { ...base, statement: "say \"hi\"" } },
  { name: "not a URI", info: { ...base, uri: "not a uri" } },
  { name: "issuedAt not a date", info: { ...base, issuedAt: "yesterday" } },
  { name: "impossible date", info: { ...base, issuedAt: "2026-02-30T00:00:00Z" } },
  { name: "domain with a space", info: { ...base, domain: "bad domain" } },
  { name: "bad checksum", info: base, address: account.address.slice(0, 2) + account.address.slice(2, 6).toLowerCase() + account.address.slice(6, 10).toUpperCase() + account.address.slice(10) },
  { name: "resource not a URI", info: { ...base, resources: ["::"] } },
  { name: "issuedAt without seconds", info: { ...base, issuedAt: "2026-12-07T14:30+01:00" } },
  { name: "issuedAt without a zone", info: { ...base, issuedAt: "2026-12-07T14:30:00.000" } },
];

const vectors = { signer: account.address, messages: [], refused: [], solana: [] };
for (const c of cases) {
  const address = c.address ?? account.address;
  const message = formatSIWEMessage(c.info, address);
  const signature = await account.signMessage({ message });
  vectors.messages.push({ name: c.name, payload: { ...c.info, address, signature }, message });
}
for (const c of refused) {
  const address = c.address ?? account.address;
  let threw = false;
  try {
    formatSIWEMessage(c.info, address);
  } catch {
    threw = true;
  }
  if (!threw) throw new Error(`expected @signinwithethereum/siwe to refuse: ${c.name}`);
  vectors.refused.push({ name: c.name, payload: { ...c.info, address, signature: "0x" } });
}
const solanaBase = { ...base, chainId: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", type: "ed25519" };
for (const info of [solanaBase, { ...solanaBase, statement: "Hello", expirationTime: "2026-12-07T14:35:00.000Z", requestId: "", resources: [] },
                    { ...solanaBase, notBefore: "2026-12-07T14:29:00Z", requestId: "r", resources: ["https://a.example/"] }]) {
  const address = "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH";
  vectors.solana.push({ payload: { ...info, address, signature: "" }, message: formatSIWSMessage(info, address) });
}
writeFileSync(new URL("../unit/data/siwx_messages.json", import.meta.url), JSON.stringify(vectors, null, 1) + "\n");
