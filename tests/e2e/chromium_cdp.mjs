// A headless Chromium driven over the DevTools protocol through --remote-debugging-pipe
// (fd 3: commands in, fd 4: answers and events out, each message ending in a NUL byte), so
// the browser test needs no WebSocket client and no npm package beyond Node itself.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/// The Chromium to run: $CHROMIUM, else the first of the usual names on PATH; null if none.
export function findChromium() {
  const candidates = process.env.CHROMIUM
    ? [process.env.CHROMIUM]
    : ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
  for (const name of candidates) {
    const probe = spawnSync(name, ["--version"], { encoding: "utf8" });
    if (probe.status === 0) return name;
  }
  return null;
}

export async function launchChromium(binary) {
  const profile = mkdtempSync(path.join(os.tmpdir(), "x402-chromium-"));
  const args = [
    "--headless=new",
    "--remote-debugging-pipe",
    `--user-data-dir=${profile}`,
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-gpu",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "about:blank",
  ];
  // Chromium refuses to run as root with its sandbox (containers, CI).
  if (process.getuid?.() === 0) args.unshift("--no-sandbox");
  // Its own process group: close() ends the helper processes (zygote, crashpad) with it.
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"], detached: true });
  let stderr = "";
  child.stdio[2].on("data", (d) => (stderr += d));
  const toBrowser = child.stdio[3];
  const fromBrowser = child.stdio[4];

  let nextId = 1;
  const pending = new Map();
  let buffer = "";
  fromBrowser.on("data", (chunk) => {
    buffer += chunk.toString("utf8");
    let end;
    while ((end = buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      const waiter = message.id !== undefined ? pending.get(message.id) : undefined;
      if (!waiter) continue;  // an event: nothing here waits for events
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`chromium exited:\n${stderr}`));
    pending.clear();
  });

  function send(method, params = {}, sessionId = undefined) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    });
  }

  return {
    send,
    /// Opens |url| in a new tab; returns a page object whose calls go to that tab.
    async open(url) {
      const { targetId } = await send("Target.createTarget", { url });
      const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
      const call = (method, params) => send(method, params, sessionId);
      return {
        call,
        /// The value of |expression| evaluated in the page (awaited if it is a promise).
        async evaluate(expression) {
          const { result, exceptionDetails } = await call("Runtime.evaluate", {
            expression,
            returnByValue: true,
            awaitPromise: true,
          });
          if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
          return result.value;
        },
        /// Polls |expression| every 25 ms until it is truthy or |timeoutMs| passed; returns
        /// the milliseconds it took, or throws.
        async waitFor(expression, timeoutMs) {
          const start = Date.now();
          for (;;) {
            if (await this.evaluate(expression)) return Date.now() - start;
            if (Date.now() - start > timeoutMs) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
            await new Promise((r) => setTimeout(r, 25));
          }
        },
        /// A PNG of the page at |width| x |height| CSS pixels.
        async screenshot({ width, height, mobile = false, scale = 1, dark = false }) {
          await call("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: scale, mobile });
          await call("Emulation.setEmulatedMedia", {
            features: [{ name: "prefers-color-scheme", value: dark ? "dark" : "light" }],
          });
          await new Promise((r) => setTimeout(r, 150));  // let layout settle
          const { data } = await call("Page.captureScreenshot", { format: "png" });
          return Buffer.from(data, "base64");
        },
      };
    },
    async close() {
      try {
        await Promise.race([send("Browser.close"), new Promise((r) => setTimeout(r, 2000))]);
      } catch {
        // already gone
      }
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      // Chromium's helper processes outlive the browser for a while, writing to the profile
      // (seen as ENOTEMPTY under load) and holding the stderr pipe, which kept the test from
      // ending: the whole group goes.
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is gone already
      }
      child.stdio[2].destroy();
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      } catch (error) {
        // A leftover temporary profile is not what the browser test is about: say so, go on.
        process.stderr.write(`note: could not remove ${profile}: ${error.message}\n`);
      }
    },
    stderr: () => stderr,
  };
}
