// The carer's figures in headless Chromium (run by `cargo xtask bench-web`, not by the tests):
// time from entering the PIN to the code on screen with the network cut and the server
// stopped, and the time per keystroke of the search, for a scope of KLUIS_BENCH_SAFES safes.
// Prints figures; asserts only that the flow works.
//
// Environment: KLUIS_SERVER_BIN, KLUIS_WEB_DIR (as the tests), KLUIS_BENCH_DATA (a data
// directory seeded with `sync-server admin seed-bench`), KLUIS_BENCH_SAFES (its size).

import assert from "node:assert/strict";

import { launchBrowser, phoneContext, startServer } from "../support/kluis.mjs";
import { safeCount, search, signInWithPin } from "../support/carer.mjs";

const PIN = "640271";
const RUNS = 7;
const QUERY = "Kortrijksesteenweg 52";

const dataDir = process.env.KLUIS_BENCH_DATA;
const safes = Number(process.env.KLUIS_BENCH_SAFES);
if (!dataDir || !safes) throw new Error("set KLUIS_BENCH_DATA and KLUIS_BENCH_SAFES (use `cargo xtask bench-web`)");

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(1)} ms`;

const server = await startServer({ dataDir, demo: false });
const browser = await launchBrowser();
try {
  const context = await phoneContext(browser, { baseURL: server.url });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));

  await signInWithPin(page, "carer", PIN, "bench-password");
  assert.equal(await safeCount(page), safes);
  const rows = await search(page, QUERY);
  assert.ok(rows.length > 0, `${QUERY} finds a block`);
  const target = rows[0].id;

  // Offline for real: the browser has no network and the server is gone.
  await context.setOffline(true);
  await server.stop();

  // The carer's typing is their time, not the app's: the PIN is filled in first, and the
  // steps after it are driven from inside the page, each timed from the event to the DOM
  // showing its result (no automation round trips in the figures).
  const unlockTimes = [];
  const codeTimes = [];
  for (let run = 0; run < RUNS; run++) {
    // From the search's own URL: a reload on the safe would unlock straight onto the safe.
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 30_000 });
    await page.getByLabel("Pincode", { exact: true }).fill(PIN);
    const { unlocked, shown } = await page.evaluate(
      async ({ query, target }) => {
        const until = (ready) =>
          new Promise((resolve) => {
            const found = ready();
            if (found) return resolve(found);
            const observer = new MutationObserver(() => {
              const element = ready();
              if (element) {
                observer.disconnect();
                resolve(element);
              }
            });
            observer.observe(document.body, { childList: true, subtree: true, attributes: true });
          });
        const start = performance.now();
        document.getElementById("unlock").click();
        const input = await until(() => document.getElementById("search"));
        const unlocked = performance.now() - start;
        input.value = query;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        (await until(() => document.querySelector(`#results .safe-row[data-safe="${target}"]`))).click();
        (await until(() => document.getElementById("reveal"))).click();
        await until(() => document.querySelector("#code .key"));
        return { unlocked, shown: performance.now() - start };
      },
      { query: QUERY, target },
    );
    unlockTimes.push(unlocked);
    codeTimes.push(shown);
  }

  // Per keystroke: from the input event to the DOM updated for it (search + render), typed
  // one character at a time, several times over.
  await page.getByRole("button", { name: "Terug naar zoeken" }).click();
  const keystrokes = await page.evaluate(async (query) => {
    const input = document.getElementById("search");
    const status = document.getElementById("search-status");
    const times = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 1; i <= query.length; i++) {
        const text = query.slice(0, i);
        const rendered = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (status.dataset.query === text) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(status, { attributes: true });
        });
        const start = performance.now();
        input.value = text;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        times.push((await rendered) - start);
      }
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return times;
  }, QUERY);

  // Argon2id alone (19 MiB, t=2) in a fresh PIN worker: the first answer includes loading
  // the worker's wasm, the second is the derivation alone.
  const argon = await page.evaluate(async () => {
    const url = document.querySelector('meta[name="kluis-kdf-worker"]').content;
    const worker = new Worker(url, { type: "module" });
    const params = { version: 1, m_cost_kib: 19456, t_cost: 2, p_cost: 1, salt: btoa("kluis-bench-salt") };
    const derive = (id) =>
      new Promise((resolve, reject) => {
        worker.onmessage = (event) => (event.data.key ? resolve() : reject(new Error(event.data.error)));
        worker.postMessage({ id, pin: "640271", params });
      });
    let start = performance.now();
    await derive(1);
    const cold = performance.now() - start;
    start = performance.now();
    await derive(2);
    const warm = performance.now() - start;
    worker.terminate();
    return { cold, warm };
  });

  assert.deepEqual(errors, []);
  const worst = Math.max(...keystrokes);
  console.log(`  ${safes} safes, offline (network cut, server stopped), median of ${RUNS}:`);
  console.log(`    PIN → search screen (Argon2id, decrypt, index)  ${ms(median(unlockTimes))}`);
  console.log(`    PIN → code on screen (+ search, open, reveal)   ${ms(median(codeTimes))}`);
  console.log(`    Argon2id in the PIN worker: ${ms(argon.warm)} (first call with worker start-up ${ms(argon.cold)})`);
  console.log(`    search per keystroke: median ${ms(median(keystrokes))}, worst ${ms(worst)} (${keystrokes.length} keystrokes)`);
} finally {
  await browser.close();
  await server.stop();
}
