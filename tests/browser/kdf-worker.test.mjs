// The PIN worker (kdf-worker crate + app/web/kdf-worker.js) in the built site: index.html
// names it, it derives the same Argon2id key as kluis-crypto (golden vector), refuses bad
// parameters with a message, leaves the page's main thread free, is precached by the
// service worker and still works offline (unlocking happens in stairwells).
//
// Run through `cargo xtask test` (it builds the server and dist/web and sets the env).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { DEMO_PASSWORD, launchBrowser, phoneContext, startServer } from "./support/kluis.mjs";

// crypto/tests/golden.rs: derive_key(b"123456", golden_params()).
const GOLDEN_PARAMS = {
  version: 1,
  m_cost_kib: 19456,
  t_cost: 2,
  p_cost: 1,
  salt: "EBESExQVFhcYGRobHB0eHw==",
};
const GOLDEN_KEY_HEX = "b393d9044acddf5f186bc6c038d0da3e1812d8bf894179118904f36a2d1ab30f";

/**
 * In the page: starts the worker named by index.html, sends `requests` one after the other
 * to that one worker, and returns its answers (keys as hex). While it waits, a 10 ms timer
 * on the main thread counts how often it gets to run.
 */
function askWorker(page, requests) {
  return page.evaluate(async (requests) => {
    const url = document.querySelector('meta[name="kluis-kdf-worker"]')?.content;
    if (!url) return { failed: "no kluis-kdf-worker meta tag" };
    const worker = new Worker(url, { type: "module" });
    const answers = [];
    try {
      for (const request of requests) {
        let ticks = 0;
        const timer = setInterval(() => ticks++, 10);
        const started = performance.now();
        const reply = await new Promise((resolve) => {
          worker.onmessage = (event) => resolve(event.data);
          worker.onerror = (event) => resolve({ failed: event.message || "worker error" });
          setTimeout(() => resolve({ failed: "no answer within 30 s" }), 30_000);
          worker.postMessage(request);
        });
        clearInterval(timer);
        const ms = performance.now() - started;
        if (reply.key instanceof Uint8Array) {
          const hex = Array.from(reply.key, (byte) => byte.toString(16).padStart(2, "0")).join("");
          answers.push({ id: reply.id, hex, length: reply.key.length, ms, ticks });
        } else {
          answers.push({ ...reply, ms, ticks });
        }
      }
    } finally {
      worker.terminate();
    }
    return { url, answers };
  }, requests);
}

describe("Kluis PIN worker", () => {
  let server;
  let browser;
  let context;
  let page;
  let workerUrl;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await phoneContext(browser, { baseURL: server.url });
    page = await context.newPage();
    const response = await page.goto("/");
    assert.equal(response.status(), 200);
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("index.html names the worker, and it derives kluis-crypto's golden key", async () => {
    workerUrl = await page.locator('meta[name="kluis-kdf-worker"]').getAttribute("content");
    assert.match(workerUrl ?? "", /^\/kdf-worker-[0-9a-f]{16}\.js$/);

    const result = await askWorker(page, [
      { id: 7, pin: "123456", params: JSON.stringify(GOLDEN_PARAMS) },
      // Parameters as an object work too.
      { id: 8, pin: "123456", params: GOLDEN_PARAMS },
    ]);
    const [first, second] = result.answers;
    assert.equal(first.error, undefined, first.error);
    assert.equal(first.hex, GOLDEN_KEY_HEX);
    assert.equal(first.length, 32);
    assert.equal(first.id, 7, "the answer carries the request's id");
    assert.equal(second.hex, GOLDEN_KEY_HEX);
    assert.equal(second.id, 8);
  });

  test("a wrong PIN gives another key; bad parameters give a message and the worker goes on", async () => {
    const weak = { ...GOLDEN_PARAMS, m_cost_kib: 1024 };
    const { answers } = await askWorker(page, [
      { pin: "654321", params: JSON.stringify(GOLDEN_PARAMS) },
      { pin: "123456", params: "not json" },
      { pin: "123456", params: JSON.stringify(weak) },
      { pin: "123456", params: JSON.stringify({ ...GOLDEN_PARAMS, version: 2 }) },
      { pin: "123456", params: JSON.stringify(GOLDEN_PARAMS) },
    ]);
    const [wrong, notJson, tooWeak, future, again] = answers;
    assert.match(wrong.hex, /^[0-9a-f]{64}$/);
    assert.notEqual(wrong.hex, GOLDEN_KEY_HEX);
    assert.match(notJson.error, /invalid KDF parameters JSON/);
    assert.notEqual(notJson.broken, true);
    assert.match(tooWeak.error, /too weak/);
    assert.match(future.error, /unsupported format version 2/);
    for (const answer of [notJson, tooWeak, future]) {
      assert.ok(!answer.error.includes("123456"), "an error never shows the PIN");
    }
    assert.equal(again.hex, GOLDEN_KEY_HEX, "the worker still derives after refusals");
  });

  test("the page's main thread keeps running while the worker derives", async () => {
    // Ten times the passes, so the derivation lasts long enough to watch the main thread.
    const slow = { ...GOLDEN_PARAMS, t_cost: 20 };
    const { answers } = await askWorker(page, [{ pin: "123456", params: JSON.stringify(slow) }]);
    const [answer] = answers;
    assert.match(answer.hex, /^[0-9a-f]{64}$/, answer.error);
    // Argon2id on the main thread would let the 10 ms timer run at most once.
    assert.ok(
      answer.ticks >= 3,
      `the main thread ran its timer ${answer.ticks} times during a ${Math.round(answer.ms)} ms derivation`,
    );
  });

  test("the server sends the worker's files as js and wasm, precompressed", async () => {
    const script = await context.request.get(workerUrl, { headers: { "accept-encoding": "br" } });
    assert.equal(script.status(), 200);
    assert.match(script.headers()["content-type"], /javascript/);
    assert.equal(script.headers()["content-encoding"], "br");
    assert.match(script.headers()["cache-control"], /immutable/);
    const text = await script.text();
    const glue = text.match(/from "(\/kluis-kdf-[0-9a-f]{16}\.js)"/)?.[1];
    const wasm = text.match(/"(\/kluis-kdf-[0-9a-f]{16}_bg\.wasm)"/)?.[1];
    assert.ok(glue, "the worker imports its hashed glue");
    assert.ok(wasm, "the worker loads its hashed wasm");
    const glueResponse = await context.request.get(glue, { headers: { "accept-encoding": "gzip" } });
    assert.match(glueResponse.headers()["content-type"], /javascript/);
    assert.equal(glueResponse.headers()["content-encoding"], "gzip");
    const wasmResponse = await context.request.get(wasm, { headers: { "accept-encoding": "br" } });
    assert.equal(wasmResponse.headers()["content-type"], "application/wasm");
    assert.equal(wasmResponse.headers()["content-encoding"], "br");

    const sw = await (await context.request.get("/sw.js")).text();
    for (const url of [workerUrl, glue, wasm]) {
      assert.ok(sw.includes(`"url": "${url}"`), `${url} is in the service worker's precache list`);
    }
  });

  test("the worker is precached and derives offline", async () => {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const shell = names.find((name) => name.startsWith("kluis-shell-"));
      if (!shell) return [];
      return (await (await caches.open(shell)).keys()).map((request) => new URL(request.url).pathname);
    });
    assert.ok(cached.includes(workerUrl), `${workerUrl} is precached`);
    assert.ok(cached.some((file) => /^\/kluis-kdf-[0-9a-f]{16}_bg\.wasm$/.test(file)), "the worker's wasm is precached");
    assert.ok(cached.some((file) => /^\/kluis-kdf-[0-9a-f]{16}\.js$/.test(file)), "the worker's glue is precached");

    // Empty the HTTP cache (the hashed files are cached there for a year): offline, only the
    // service worker's copies may answer, as on a phone whose browser evicted that cache.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.clearBrowserCache");
    await cdp.detach();
    await context.setOffline(true);
    try {
      await page.reload();
      const { answers } = await askWorker(page, [{ pin: "123456", params: JSON.stringify(GOLDEN_PARAMS) }]);
      assert.equal(answers[0].failed, undefined, answers[0].failed);
      assert.equal(answers[0].hex, GOLDEN_KEY_HEX);
    } finally {
      await context.setOffline(false);
    }
  });
});

describe("the app derives the PIN key through the worker", () => {
  const PIN = "482913";
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  /** A phone whose page records every Worker it starts and every console warning. */
  async function phone(options = {}) {
    const context = await phoneContext(browser, { baseURL: server.url, ...options });
    await context.addInitScript(() => {
      const Original = window.Worker;
      window.__workers = [];
      window.Worker = class extends Original {
        constructor(url, options) {
          super(url, options);
          window.__workers.push({ url: new URL(url, location.href).pathname, type: options?.type });
        }
      };
    });
    const page = await context.newPage();
    const warnings = [];
    page.on("console", (message) => {
      if (message.type() === "warning") warnings.push(message.text());
    });
    return { context, page, warnings };
  }

  async function enrol(page, login) {
    await page.goto("/");
    await page.getByLabel("Gebruikersnaam").fill(login);
    await page.getByLabel("Wachtwoord", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Aanmelden" }).click();
    await page.getByRole("heading", { level: 1, name: "Kies een pincode" }).waitFor({ timeout: 15_000 });
    await page.getByLabel("Pincode", { exact: true }).fill(PIN);
    await page.getByLabel("Herhaal je pincode").fill(PIN);
    await page.getByRole("button", { name: "Pincode bevestigen" }).click();
    await page.getByLabel("Zoek straat of gebouw").waitFor({ timeout: 30_000 });
  }

  async function unlockAfterReload(page) {
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
    await page.getByLabel("Pincode", { exact: true }).fill(PIN);
    await page.getByRole("button", { name: "Openen" }).click();
    await page.getByLabel("Zoek straat of gebouw").waitFor({ timeout: 20_000 });
  }

  test("choosing the PIN and unlocking start the worker, with no main-thread fallback", async () => {
    const { context, page, warnings } = await phone();
    try {
      await enrol(page, "carer.wgk.2");
      const workerUrl = await page.locator('meta[name="kluis-kdf-worker"]').getAttribute("content");
      assert.deepEqual(await page.evaluate(() => window.__workers), [{ url: workerUrl, type: "module" }]);
      await unlockAfterReload(page);
      assert.deepEqual(await page.evaluate(() => window.__workers), [{ url: workerUrl, type: "module" }]);
      assert.deepEqual(warnings.filter((text) => text.includes("PIN worker")), []);
    } finally {
      await context.close();
    }
  });

  test("when the worker cannot load, the app derives on the main thread and still works", async () => {
    // No service worker, so the route below sees every request.
    const { context, page, warnings } = await phone({ serviceWorkers: "block" });
    await context.route(/\/kdf-worker-[0-9a-f]{16}\.js$/, (route) => route.fulfill({ status: 404 }));
    try {
      await enrol(page, "carer.wgk.3");
      await unlockAfterReload(page);
      assert.ok(
        warnings.some((text) => text.includes("PIN worker not used")),
        `the app says it fell back: ${JSON.stringify(warnings)}`,
      );
    } finally {
      await context.close();
    }
  });
});
