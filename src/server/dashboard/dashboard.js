// The x402-dev dashboard: shows /__x402/config and the counters of /__x402/health, and polls
// /__x402/requests?since=<last id> every half second for new requests (the first look, and
// one after more arrived than a page holds, takes the newest page instead). A new start_id
// means the server restarted and numbers its requests from 1 again: the list starts over. Paths, headers and
// payers come from whoever called the mock, so every value goes into the page as text
// (textContent, setAttribute), never as HTML.
"use strict";

const POLL_MS = 500;
const MAX_ROWS = 500;
let lastId = 0;
let lastTotal = -1;
let startId = null;

// el("li", {class: "x", "data-id": 5}, "text", child…): a new element; strings become text.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

function setConnection(state, text) {
  const badge = document.getElementById("connection");
  badge.dataset.state = state;
  badge.textContent = text;
}

function show(value) {
  if (value === undefined || value === null || value === "") return "–";
  // A price of /__x402/config: {"usd": "0.01", "amount": "10000"}.
  if (typeof value === "object" && "usd" in value) return `${value.usd} USD (${value.amount} atomic)`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function renderConfig(config) {
  const list = document.getElementById("config");
  list.replaceChildren();
  for (const [key, value] of Object.entries(config)) {
    if (key === "pricing") continue;
    // The payment options, one line each: "exact  USDC on base-sepolia (eip155:84532) → 0x2B5A…".
    const text = key === "accepts" && Array.isArray(value)
      ? value.map((o) => `${o.scheme}  ${o.symbol} on ${o.network ? `${o.network} (${o.caip2})` : o.caip2} → ${o.pay_to}`).join("\n")
      : show(value);
    list.append(el("dt", null, key.replaceAll("_", " ")), el("dd", { class: key === "accepts" ? "mono lines" : "mono" }, text));
  }
  const rules = Array.isArray(config.pricing) ? config.pricing : [];
  const table = document.getElementById("pricing");
  const body = table.querySelector("tbody");
  body.replaceChildren();
  for (const rule of rules) {
    const pattern = rule.path ?? rule.pattern ?? show(rule);
    const price = rule.price ?? rule.amount ?? "";
    // A rule with options of its own names their networks.
    const own = Array.isArray(rule.accepts) ? ` · ${rule.accepts.map((o) => `${o.symbol} on ${o.network || o.caip2}`).join(", ")}` : "";
    body.append(el("tr", null, el("td", { class: "mono" }, pattern), el("td", { class: "mono" }, show(price) + own)));
  }
  table.hidden = rules.length === 0;
}

function renderCounters(health) {
  const c = health.counters || {};
  const set = (id, value) => (document.getElementById(id).textContent = value ?? "–");
  set("count-requests", c.requests);
  set("count-unpaid", c.unpaid);
  set("count-paid", c.paid);
  set("count-rejected", c.rejected);
  set("count-simulated",
      c.simulated_failure === undefined ? undefined : c.simulated_failure + (c.simulated_timeout || 0));
  set("count-errors", c.errors);
  set("count-pending", c.settlement_pending);
  set("count-double", c.possible_double_payments);
  set("count-signed-in", c.signed_in);
  const reasons = Object.entries(c.rejected_by_reason || {});
  const list = document.getElementById("reasons");
  list.replaceChildren(...reasons.map(([reason, n]) => el("li", null, el("code", null, reason), ` ${n}`)));
  document.getElementById("reasons-section").hidden = reasons.length === 0;
}

function timeOf(iso) {
  // "2026-11-30T03:12:45.123Z" → "03:12:45.123"; whatever else came is shown as it came.
  const match = /T(\d\d:\d\d:\d\d(?:\.\d+)?)/.exec(iso || "");
  return match ? match[1] : show(iso);
}

function shortPayer(payer) {
  if (typeof payer !== "string" || payer.length <= 14) return show(payer);
  return `${payer.slice(0, 6)}…${payer.slice(-4)}`;
}

// Atomic units as the asset counts them: ("50000", 6, "USDC") → "0.05 USDC". BigInt, so an
// 18-decimal amount stays exact; text that is not digits is shown as it came.
function assetAmount(atomic, decimals, symbol) {
  if (typeof atomic !== "string" || !/^[0-9]+$/.test(atomic)) return show(atomic);
  const places = Number.isInteger(decimals) && decimals >= 0 && decimals <= 77 ? decimals : 6;
  const digits = atomic.replace(/^0+(?=[0-9])/, "").padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, "");
  return `${whole}${fraction ? `.${fraction}` : ""}${symbol ? ` ${symbol}` : ""}`;
}

function section(title, value) {
  if (value === undefined || value === null) return null;
  return [el("h3", null, title), el("pre", null, JSON.stringify(value, null, 2))];
}

function renderRequest(r) {
  const payment = r.payment || null;
  const option = r.option || null;
  // What was paid, or (unpaid) what the offer's first option asked.
  const offered = Array.isArray(r.requirements) ? r.requirements[0] : r.requirements;
  const atomic = payment?.amount || offered?.amount || offered?.maxAmountRequired;
  const amount = option && atomic ? assetAmount(atomic, option.decimals, option.symbol) : "";
  const network = option ? option.network + (!payment && option.offered > 1 ? ` +${option.offered - 1}` : "") : "";
  const summary = el("summary", null,
    el("span", { class: "time mono" }, timeOf(r.time)),
    el("span", { class: "method mono" }, show(r.method)),
    el("span", { class: "path mono" }, show(r.path) + (r.query ? `?${r.query}` : "")),
    el("span", { class: "status num mono" }, show(r.status)),
    // A refused payment says why in the row itself.
    el("span", { class: "verdict", "data-verdict": r.verdict, title: r.message || "" },
       show(r.verdict) + (r.reason ? `: ${r.reason}` : "")),
    el("span", { class: "payer mono", title: payment?.payer ?? "" }, payment ? shortPayer(payment.payer) : ""),
    el("span", { class: "amount num mono", title: atomic ? `${atomic} atomic units` +
                 (payment?.details?.authorized ? ` of ${payment.details.authorized} authorized` : "") : "" }, amount),
    el("span", { class: "network mono" }, network),
    // Paid again soon after a settlement the payer was not told of (pending, or the answer lost).
    r.double_payment_of ? el("span", { class: "flag", "data-flag": "double-payment",
                                       title: `the same payer paid this resource in request #${r.double_payment_of}, ` +
                                              "and was not told (pending, or the answer was lost)" },
                             `possible double payment (#${r.double_payment_of})`) : null,
  );
  const detail = el("div", { class: "detail" });
  const facts = el("dl", null);
  const fact = (name, value) => facts.append(el("dt", null, name), el("dd", { class: "mono" }, show(value)));
  fact("id", r.id);
  fact("time", r.time);
  fact("duration", r.duration_ms === undefined ? undefined : `${r.duration_ms} ms`);
  fact("x402 version", r.x402_version || undefined);
  if (r.reason) fact("reason", r.reason);
  if (r.transaction) fact("transaction", r.transaction);
  if (r.double_payment_of) fact("possible double payment", `this payer already paid for this resource in request #${r.double_payment_of}`);
  if (r.message) fact("message", r.message);
  if (option) {
    fact("scheme", option.scheme);
    fact("network", option.network);
    fact("asset", `${option.symbol} (${option.decimals} decimals)`);
    if (!payment && option.offered > 1) fact("options offered", option.offered);
  }
  // An upto payment: charged |amount| of the maximum the payer authorized.
  const authorized = payment?.details?.authorized;
  if (atomic) fact(authorized ? "charged" : "amount", `${amount} (${atomic} atomic)`);
  if (authorized && option) fact("authorized", `${assetAmount(authorized, option.decimals, option.symbol)} (${authorized} atomic)`);
  if (payment) {
    fact("payment header", payment.header);
    fact("payer", payment.payer);
    if (payment.network && payment.network !== option?.network) fact("network named", payment.network);
    for (const [key, value] of Object.entries(payment.details || {})) {
      if (key !== "authorized") fact(key, value);
    }
  }
  detail.append(facts);
  for (const part of [section("Decoded payment", payment?.decoded), section("Requirements offered", r.requirements),
                      section("Settlement answered", r.settlement)]) {
    if (part) detail.append(...part);
  }
  return el("li", { "data-request-id": r.id, "data-path": r.path, "data-verdict": r.verdict },
            el("details", null, summary, detail));
}

function renderRequests(history) {
  const list = document.getElementById("requests");
  if (history.total < lastTotal) {
    // DELETE /__x402/requests emptied the history: start the list afresh.
    list.replaceChildren();
  }
  lastTotal = history.total;
  for (const r of history.requests || []) {
    if (r.id <= lastId) continue;
    lastId = r.id;
    list.prepend(renderRequest(r));
  }
  while (list.children.length > MAX_ROWS) list.lastElementChild.remove();
  document.getElementById("history-empty").hidden = list.children.length > 0;
  document.getElementById("history-note").textContent =
    history.dropped ? `(the last ${history.capacity} kept; ${history.dropped} older dropped)` : "";
}

const NEWEST_PAGE = `/__x402/requests?limit=${MAX_ROWS}`;

async function poll() {
  try {
    let [history, health] = await Promise.all([
      getJson(lastId === 0 ? NEWEST_PAGE : `/__x402/requests?since=${lastId}&limit=${MAX_ROWS}`),
      getJson("/__x402/health"),
    ]);
    if (startId !== null && history.start_id !== startId) {
      // Another server run (a restart): its ids start at 1, below lastId. Start over.
      document.getElementById("requests").replaceChildren();
      lastId = 0;
      lastTotal = -1;
      loadConfig();
      history = await getJson(NEWEST_PAGE);
    } else if (lastId !== 0 && history.more) {
      // More arrived than a page holds: show the newest rather than crawl through the rest.
      history = await getJson(NEWEST_PAGE);
    }
    startId = history.start_id;
    renderRequests(history);
    renderCounters(health);
    if (health.bazaar && health.bazaar.cataloged !== lastCataloged) {
      lastCataloged = health.bazaar.cataloged;
      loadCatalog();
    }
    setConnection("live", "live");
  } catch (error) {
    setConnection("down", `not answering (${error.message})`);
  }
  setTimeout(poll, POLL_MS);
}

// The mock facilitator's discovery catalog (bazaar): the config's discoverable routes and the
// resources it cataloged from payments it verified or settled.
const CATALOG_PAGE = 50;
let lastCataloged = -1;

function renderCatalog(list) {
  const body = document.querySelector("#catalog tbody");
  body.replaceChildren();
  for (const item of list.items || []) {
    const method = item.extensions?.bazaar?.info?.input?.method;
    const option = Array.isArray(item.accepts) ? item.accepts[0] : null;
    const price = option ? `${show(option.amount ?? option.maxAmountRequired)} on ${show(option.network)}` : "";
    const name = [item.serviceName, item.description].filter(Boolean).join(" · ");
    const tags = Array.isArray(item.tags) && item.tags.length ? ` [${item.tags.join(", ")}]` : "";
    body.append(el("tr", null, el("td", { class: "mono" }, show(method)), el("td", { class: "mono" }, show(item.resource)),
                   el("td", { class: "mono" }, price), el("td", null, name + tags)));
  }
  const total = list.pagination?.total ?? 0;
  document.getElementById("catalog-note").textContent = total > CATALOG_PAGE ? `(the first ${CATALOG_PAGE} of ${total})` : "";
  document.getElementById("catalog-section").hidden = total === 0;
}

async function loadCatalog() {
  try {
    renderCatalog(await getJson(`/facilitator/discovery/resources?limit=${CATALOG_PAGE}`));
  } catch {
    // The catalog is an extra; the rest of the page stays live without it.
  }
}

async function loadConfig() {
  try {
    renderConfig(await getJson("/__x402/config"));
  } catch (error) {
    const list = document.getElementById("config");
    list.replaceChildren(el("dt", null, "config"), el("dd", null, `unavailable: ${error.message}`));
  }
}

document.getElementById("example-url").textContent = `${location.origin}/weather`;
// On a phone the requests come first and the configuration waits behind a tap.
if (window.matchMedia("(max-width: 640px)").matches) document.getElementById("config-section").open = false;
loadConfig();
poll();
// A `mock reload` changes the config: look again now and then.
setInterval(() => {
  loadConfig();
  loadCatalog();
}, 5000);
