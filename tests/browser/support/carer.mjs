// Steps a carer takes in the PWA, shared by the carer browser tests and the browser bench.

import assert from "node:assert/strict";

import { DEMO_PASSWORD } from "./kluis.mjs";

/** Signs in on `page`, chooses `pin`, waits for the first sync (the search screen, or with
 *  `waitFor: "rounds"` a volunteer's rounds). Returns the login answer
 *  ({ token, device_id, person }). */
export async function signInWithPin(page, login, pin, password = DEMO_PASSWORD, { waitFor = "search" } = {}) {
  await page.goto("/");
  await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible", timeout: 20_000 });
  await page.getByLabel("Gebruikersnaam").fill(login);
  await page.getByLabel("Wachtwoord", { exact: true }).fill(password);
  const answer = page.waitForResponse((response) => response.url().endsWith("/api/login"));
  await page.getByRole("button", { name: "Aanmelden" }).click();
  const body = await (await answer).json();
  assert.ok(body.token, "the server sent a token");
  await page.getByRole("heading", { level: 1, name: "Kies een pincode" }).waitFor({ timeout: 15_000 });
  await page.getByLabel("Pincode", { exact: true }).fill(pin);
  await page.getByLabel("Herhaal je pincode").fill(pin);
  await page.getByRole("button", { name: "Pincode bevestigen" }).click();
  if (waitFor === "rounds") {
    await page.getByRole("heading", { level: 1, name: "Mijn rondes" }).waitFor({ timeout: 30_000 });
  } else {
    await safeCount(page);
  }
  return body;
}

/** The number of safes on the search screen, once synced. */
export async function safeCount(page) {
  const locator = page.locator("#safe-count").filter({ hasText: /^\d+ sleutelkluisjes$/ });
  await locator.waitFor({ timeout: 30_000 });
  return Number((await locator.innerText()).match(/^(\d+)/)[1]);
}

/** Types `pin` on the unlock screen and waits for the screen it was on (`to`, by default
 * the search screen). */
export async function unlock(page, pin, { to = page.getByLabel("Zoek straat of gebouw") } = {}) {
  await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
  await page.getByLabel("Pincode", { exact: true }).fill(pin);
  await page.getByRole("button", { name: "Openen" }).click();
  await to.waitFor({ timeout: 20_000 });
}

/** Types `query` in the search box; returns the rows shown: [{ id, title, area }]. */
export async function search(page, query) {
  const box = page.getByLabel("Zoek straat of gebouw");
  await box.fill(query);
  // Dioxus renders on the next frame after the input event; the status line is filled for
  // every non-empty query.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(
    () => (document.getElementById("search-status")?.textContent ?? "") !== "",
    null,
    { timeout: 10_000 },
  );
  return page.locator("#results .safe-row").evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.dataset.safe,
      title: row.querySelector(".safe-row-title").textContent,
      area: row.querySelector(".safe-row-area").textContent,
    })),
  );
}

/** Opens the safe `id` from the result list and taps "Toon code"; returns the code shown
 *  as its buttons in screen order (e.g. "1379"). */
export async function openAndReveal(page, id) {
  await page.locator(`#results .safe-row[data-safe="${id}"], #recent .safe-row[data-safe="${id}"]`).first().click();
  await page.getByRole("button", { name: "Toon code" }).click();
  return shownCode(page);
}

/** The current code on the safe screen, e.g. "1379". */
export async function shownCode(page) {
  const keys = page.locator("#code .key");
  await keys.first().waitFor({ timeout: 10_000 });
  return (await keys.allInnerTexts()).join("");
}

/** Same buttons, whatever the order ("order does not matter"). */
export function sameButtons(a, b) {
  const sorted = (s) => [...s].sort().join("");
  return sorted(a) === sorted(b);
}

/** A coordinator token for the demo, through the real API. */
export async function coordinatorToken(request) {
  const response = await request.post("/api/login", {
    data: { login: "coordinator", password: DEMO_PASSWORD, device_name: "browser test (api)" },
  });
  assert.equal(response.status(), 200);
  return (await response.json()).token;
}

/** The code the server holds for `safeId`. */
export async function serverCode(request, token, safeId) {
  const response = await request.get(`/api/admin/safes/${safeId}/code`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(response.status(), 200);
  return (await response.json()).code;
}

/** Every value in IndexedDB `kluis`/`blobs`, decoded as text (read-only). */
export async function storedTexts(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("kluis");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("blobs")) {
            db.close();
            resolve([]);
            return;
          }
          const tx = db.transaction("blobs", "readonly");
          const all = tx.objectStore("blobs").getAll();
          all.onsuccess = () => {
            const decoder = new TextDecoder("utf-8", { fatal: false });
            const texts = all.result.map((value) =>
              decoder.decode(value instanceof Uint8Array ? value : new Uint8Array(value)),
            );
            db.close();
            resolve(texts);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Every response body in the Cache API, as text (the service worker's shell cache). */
export async function cachedTexts(page) {
  return page.evaluate(async () => {
    const texts = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        texts.push({ url: request.url, text: await response.text() });
      }
    }
    return texts;
  });
}
