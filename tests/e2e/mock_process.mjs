// Starts and stops a real x402-dev mock server process for the end-to-end tests: its own
// HOME and working directory, a free loopback port, stopped by PID with SIGTERM.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const binary = process.env.X402_DEV_BIN;
if (!binary) throw new Error("X402_DEV_BIN must name the x402-dev binary under test");

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`x402-dev exited early with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/__x402/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("x402-dev did not become healthy in time");
}

// |options.port|: listen there (a restart on the same port) instead of on a free one.
export async function startMock(extraArgs = [], extraEnv = {}, options = {}) {
  const home = mkdtempSync(path.join(os.tmpdir(), "x402-e2e-"));
  const port = options.port ?? (await freePort());
  const child = spawn(binary, ["mock", "--port", String(port), "--threads", "2", ...extraArgs], {
    cwd: home,
    env: { ...process.env, HOME: home, NO_COLOR: "1", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, 10_000);
  return {
    url,
    port,
    home,
    pid: child.pid,
    log: () => log,
    // The log as soon as |test| (a RegExp, or a function of the log) holds, or as it is after
    // |timeoutMs|. The server's terminal lines come from its log thread, about a millisecond
    // after the event and so after the response it logs.
    async waitForLog(test, timeoutMs = 5000) {
      const holds = () => (typeof test === "function" ? test(log) : test.test(log));
      const deadline = Date.now() + timeoutMs;
      while (!holds() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return log;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", (code) => r(code)));
        process.kill(child.pid, "SIGTERM");
        const code = await exited;
        if (code !== 0) throw new Error(`x402-dev exited with ${code}:\n${log}`);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// A fetch that prints every request and response it carries, so the test output shows the
// whole x402 exchange.
export function tracingFetch(label) {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers = [...request.headers].map(([k, v]) => `    ${k}: ${v}`).join("\n");
    console.log(`[${label}] → ${request.method} ${request.url}\n${headers}`);
    const response = await fetch(request);
    const body = await response.clone().text();
    const responseHeaders = [...response.headers]
      .filter(([k]) => /payment|content-type/i.test(k))
      .map(([k, v]) => `    ${k}: ${v}`)
      .join("\n");
    console.log(`[${label}] ← ${response.status}\n${responseHeaders}\n    body: ${body}`);
    return response;
  };
}
