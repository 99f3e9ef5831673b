// Time from a volunteer's "Gewijzigd" to the new code on an open carer's screen, in headless
// Chromium against the real server with the demo data (run by `cargo xtask bench-web`).
// Both phones are online; the carer's app has the safe open with the code revealed. The time
// covers: outbox write and seal, the volunteer's sync, the server applying the record and
// rebuilding the scope, the event-stream nudge, the carer's sync and the screen update.

import assert from "node:assert/strict";

import { launchBrowser, phoneContext, startServer } from "../support/kluis.mjs";
import { openAndReveal, search, signInWithPin } from "../support/carer.mjs";

const CARERS = ["carer.wgk.1", "carer.imens.1", "carer.partena.1", "carer.wgc.1", "carer.zelfstandigen.1"];
const PIN = "615284";
const MAX_SAMPLES = 5;

const server = await startServer();
const browser = await launchBrowser();
try {
  const volunteerContext = await phoneContext(browser, { baseURL: server.url });
  const volunteer = await volunteerContext.newPage();
  await signInWithPin(volunteer, "volunteer.1", PIN, undefined, { waitFor: "rounds" });
  const round = volunteer.locator(".round").first();
  await round.waitFor({ timeout: 30_000 });
  const items = await round.locator(".safe-row").evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.dataset.safe,
      title: row.querySelector(".safe-row-title").textContent.replace(/^\d+\.\s*/, ""),
    })),
  );

  const samples = [];
  for (const login of CARERS) {
    if (samples.length >= MAX_SAMPLES) break;
    const carerContext = await phoneContext(browser, { baseURL: server.url });
    const carer = await carerContext.newPage();
    await signInWithPin(carer, login, PIN);
    for (const item of items) {
      if (samples.length >= MAX_SAMPLES) break;
      if (item.done) continue;
      const number = item.title.match(/\s(\d+)/);
      const query = number ? `${item.title.replace(/\s+\d.*$/, "")} ${number[1]}` : item.title;
      const rows = await search(carer, query);
      if (!rows.some((row) => row.id === item.id)) continue;
      const before = await openAndReveal(carer, item.id);
      // Give the event stream a moment to be connected after the reveal's sync.
      await carer.waitForTimeout(1_500);
      await carer.evaluate((old) => {
        window.__changedAt = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            const keys = [...document.querySelectorAll("#code .key")].map((k) => k.textContent).join("");
            if (keys && keys !== old) {
              observer.disconnect();
              resolve(Date.now());
            }
          });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        });
      }, before);

      await volunteer.locator(`.safe-row[data-safe="${item.id}"]`).first().click();
      await volunteer.locator("#new-code .key").first().waitFor();
      const tapped = await volunteer.evaluate(() => {
        const at = Date.now();
        document.getElementById("mark-changed").click();
        return at;
      });
      const shown = await carer.evaluate(() => window.__changedAt);
      samples.push(shown - tapped);
      item.done = true;
      await volunteer.getByRole("button", { name: "Terug naar de ronde" }).click();
      await carer.getByRole("button", { name: "Terug naar zoeken" }).click();
    }
    await carerContext.close();
  }
  assert.ok(samples.length > 0, "some carer serves a safe of the round");
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`  demo registry (220 safes), both phones online, ${samples.length} changes:`);
  console.log(
    `    "Gewijzigd" tapped → new code on the open carer screen: median ${sorted[Math.floor(sorted.length / 2)]} ms` +
      ` (min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms)`,
  );
} finally {
  await browser.close();
  await server.stop();
}
