// The carer's first end-to-end slice against the real sync server (demo data): sign in,
// choose a PIN, the first sync into the encrypted vault (IndexedDB), reload → unlock with the
// PIN (wrong PINs counted), offline unlock, and a server wipe (410) after revocation.
// Screenshots at 360 x 740 go to tests/browser/artifacts/.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { DEMO_PASSWORD, launchBrowser, phoneContext, screenshot, startServer } from "./support/kluis.mjs";

const CARER = "carer.wgk.1";
const PIN = "482913";

/** Every value in IndexedDB `kluis`/`blobs`, decoded as text (read-only). */
async function storedTexts(page) {
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

async function safeCount(page) {
  const locator = page.locator("#safe-count").filter({ hasText: /^\d+ sleutelkluisjes$/ });
  await locator.waitFor({ timeout: 30_000 });
  return Number((await locator.innerText()).match(/^(\d+)/)[1]);
}

describe("Kluis carer slice", () => {
  let server;
  let browser;
  let context;
  let page;
  let login;
  let count;
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await phoneContext(browser, { baseURL: server.url });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("sign in, choose a PIN, see the safes of the service", async () => {
    await page.goto("/");
    await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible", timeout: 20_000 });
    await page.getByLabel("Gebruikersnaam").fill(CARER);
    await page.getByLabel("Wachtwoord", { exact: true }).fill(DEMO_PASSWORD);
    const loginResponse = page.waitForResponse((response) => response.url().endsWith("/api/login"));
    await page.getByRole("button", { name: "Aanmelden" }).click();
    login = await (await loginResponse).json();
    assert.ok(login.token, "the server sent a token");

    await page.getByRole("heading", { level: 1, name: "Kies een pincode" }).waitFor({ timeout: 15_000 });
    // PIN rules in Dutch, and both fields must match.
    await page.getByLabel("Pincode", { exact: true }).fill("123456");
    await page.getByLabel("Herhaal je pincode").fill("123456");
    await page.getByRole("button", { name: "Pincode bevestigen" }).click();
    await page.locator("#pin-error").filter({ hasText: "reeks" }).waitFor();
    await page.getByLabel("Pincode", { exact: true }).fill(PIN);
    await page.getByLabel("Herhaal je pincode").fill("482914");
    await page.getByRole("button", { name: "Pincode bevestigen" }).click();
    await page.locator("#pin-error").filter({ hasText: "niet gelijk" }).waitFor();
    await screenshot(page, "carer-01-pin-mismatch.png");

    // Watch (read-only) for the painted progress state before Argon2id runs.
    await page.evaluate(() => {
      window.__sawSecuring = false;
      new MutationObserver(() => {
        if (document.body.innerText.includes("Bezig met beveiligen")) window.__sawSecuring = true;
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.getByLabel("Herhaal je pincode").fill(PIN);
    await page.getByRole("button", { name: "Pincode bevestigen" }).click();
    await page.getByRole("heading", { level: 1, name: `Welkom, ${login.person.name}` }).waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.__sawSecuring), true, "Bezig met beveiligen… was shown");
    count = await safeCount(page);
    assert.ok(count > 50, `${count} safes`);
    await page.locator("#freshness").filter({ hasText: "Bijgewerkt zonet" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "carer-02-home.png");
  });

  test("IndexedDB holds no street name and no token in readable form", async () => {
    const texts = await storedTexts(page);
    assert.ok(texts.length >= 4, `${texts.length} records stored`);
    for (const text of texts) {
      const lower = text.toLowerCase();
      assert.ok(!lower.includes("straat"), "no 'straat' in a stored value");
      assert.ok(!lower.includes("steenweg"), "no 'steenweg' in a stored value");
      assert.ok(!text.includes(login.token), "no token in a stored value");
    }
    const local = await page.evaluate(() => JSON.stringify(localStorage));
    assert.ok(!local.includes(login.token), "no token in localStorage");
  });

  test("after a reload the PIN opens the same data; wrong PINs are counted", async () => {
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator("#unlock-pin").getAttribute("inputmode"), "numeric");
    await screenshot(page, "carer-03-unlock.png");

    await page.getByLabel("Pincode", { exact: true }).fill("000111");
    await page.getByRole("button", { name: "Openen" }).click();
    await page.locator("#unlock-error").filter({ hasText: "Foute pincode. Nog 4 pogingen." }).waitFor({ timeout: 15_000 });
    await page.getByLabel("Pincode", { exact: true }).fill("000222");
    await page.getByRole("button", { name: "Openen" }).click();
    await page.locator("#unlock-error").filter({ hasText: "Foute pincode. Nog 3 pogingen." }).waitFor({ timeout: 15_000 });
    await screenshot(page, "carer-04-wrong-pin.png");

    await page.getByLabel("Pincode", { exact: true }).fill(PIN);
    await page.getByRole("button", { name: "Openen" }).click();
    await page.getByRole("heading", { level: 1, name: `Welkom, ${login.person.name}` }).waitFor({ timeout: 20_000 });
    assert.equal(await safeCount(page), count);
    await screenshot(page, "carer-05-home-after-unlock.png");
  });

  test("offline, the PIN still opens the data (no network needed)", async () => {
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
      await page.getByLabel("Pincode", { exact: true }).fill(PIN);
      await page.getByRole("button", { name: "Openen" }).click();
      await page.getByRole("heading", { level: 1, name: `Welkom, ${login.person.name}` }).waitFor({ timeout: 20_000 });
      assert.equal(await safeCount(page), count);
      const fresh = await page.locator("#freshness").innerText();
      assert.match(fresh, /^Offline — gegevens van /);
      await screenshot(page, "carer-06-offline.png");
    } finally {
      await context.setOffline(false);
    }
  });

  test("a revoked device is wiped at its next sync", async () => {
    const coordinator = await context.request.post("/api/login", {
      data: { login: "coordinator", password: DEMO_PASSWORD, device_name: "browser test (api)" },
    });
    assert.equal(coordinator.status(), 200);
    const { token } = await coordinator.json();
    const revoke = await context.request.post(`/api/admin/devices/${login.device_id}/revoke`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.ok(revoke.status() < 300, `revoke answered ${revoke.status()}`);

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
    await page.getByLabel("Pincode", { exact: true }).fill(PIN);
    await page.getByRole("button", { name: "Openen" }).click();
    // Home first (from the vault), then the background sync hears 410 wipe.
    await page.locator("#login-notice").filter({ hasText: "Deze toestel is afgemeld. Meld je opnieuw aan." }).waitFor({ timeout: 30_000 });
    await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible" });
    await screenshot(page, "carer-07-wiped.png");
    assert.deepEqual(await storedTexts(page), []);
  });

  test("no script errors happened", () => {
    assert.deepEqual(pageErrors, []);
  });
});
