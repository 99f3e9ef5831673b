// The carer at the door, end to end against the real sync server (demo data) in Debian's
// Chromium: sign in, choose a PIN, sync into the encrypted vault; then with the network cut
// AND the server process stopped: reload, unlock, search a street, reveal the code and check
// it against the code the server held; a safe of another service is not findable; five wrong
// PINs erase the device. Screenshots at 360 x 740 go to tests/browser/artifacts/.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, phoneContext, screenshot, startServer } from "./support/kluis.mjs";
import {
  cachedTexts,
  coordinatorToken,
  openAndReveal,
  safeCount,
  sameButtons,
  search,
  serverCode,
  signInWithPin,
  storedTexts,
  unlock,
} from "./support/carer.mjs";

const CARER = "carer.wgk.1";
const OTHER_CARER = "carer.imens.1";
const PIN = "482913";

/** The street of a row title ("Sleepstraat 10-16" → "Sleepstraat"). */
function streetOf(title) {
  return title.replace(/\s+\d.*$/, "");
}

/** What a carer would type to find exactly this block: street and its first number. */
function queryFor(row) {
  const number = row.title.match(/\s(\d+)/);
  return number ? `${streetOf(row.title)} ${number[1]}` : row.title;
}

describe("Kluis carer at the door, offline", () => {
  let server;
  let browser;
  let context;
  let page;
  let login;
  let count;
  let target; // { id, title, area } of a safe this carer serves
  let expectedCode; // what the server held for it
  let foreign; // a safe only the other service serves
  const pageErrors = [];
  const consoleTexts = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await phoneContext(browser, { baseURL: server.url });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => consoleTexts.push(message.text()));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("sign in, choose a PIN, see how many safes and how fresh", async () => {
    login = await signInWithPin(page, CARER, PIN);
    count = await safeCount(page);
    assert.ok(count > 50, `${count} safes`);
    await page.locator("#freshness").filter({ hasText: "Bijgewerkt zonet" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "carer-01-search.png");
  });

  test("a few letters of a street list its blocks, never a code", async () => {
    const rows = await search(page, "straat");
    assert.ok(rows.length > 0, "some street has 'straat' in it");
    target = rows[0];
    const street = streetOf(target.title);
    const partial = street.slice(0, Math.max(4, Math.ceil(street.length / 2))).toLowerCase();
    const found = await search(page, partial);
    assert.ok(found.some((row) => row.id === target.id), `"${partial}" finds ${target.title}`);
    assert.equal(await page.locator("#results .key").count(), 0, "no code in a list");
    await screenshot(page, "carer-02-results.png");

    const token = await coordinatorToken(context.request);
    expectedCode = await serverCode(context.request, token, target.id);
    assert.match(expectedCode, /^\S{4,}$/);
    const listed = await page.locator("#results").innerText();
    assert.ok(!listed.includes(expectedCode), "the list does not show the code");
  });

  test("another service's safe is known to the server but not to this carer", async () => {
    // A second phone, of another home-care service, shows what that service sees.
    const other = await phoneContext(browser, { baseURL: server.url });
    try {
      const otherPage = await other.newPage();
      await signInWithPin(otherPage, OTHER_CARER, PIN);
      const theirs = await search(otherPage, "straat");
      assert.ok(theirs.length > 0);
      for (const row of theirs) {
        const mine = await search(page, queryFor(row));
        if (!mine.some((r) => r.id === row.id)) {
          foreign = row;
          break;
        }
      }
    } finally {
      await other.close();
    }
    assert.ok(foreign, "the other service serves a block this carer does not");
    const token = await coordinatorToken(context.request);
    assert.ok(await serverCode(context.request, token, foreign.id), "that safe has a code");
  });

  test("network cut and server stopped: reload, unlock, search, reveal the right code", async () => {
    await page.getByLabel("Zoek straat of gebouw").fill("");
    await context.setOffline(true);
    await server.stop();

    await page.reload();
    await unlock(page, PIN);
    assert.equal(await safeCount(page), count);
    assert.match(await page.locator("#freshness").innerText(), /^Offline — gegevens van /);
    await screenshot(page, "carer-03-offline-search.png");

    const street = streetOf(target.title);
    const rows = await search(page, street.slice(0, 5));
    assert.ok(rows.some((row) => row.id === target.id), `${target.title} found offline`);
    await page.locator(`#results .safe-row[data-safe="${target.id}"]`).click();
    await page.locator("#safe-title").filter({ hasText: target.title }).waitFor();
    assert.ok((await page.locator("#safe-placement").innerText()).length > 3, "placement shown");
    assert.equal(await page.locator("#code .key").count(), 0, "the code waits for a tap");
    await screenshot(page, "carer-04-safe.png");

    await page.getByRole("button", { name: "Toon code" }).click();
    const keys = page.locator("#code .key");
    await keys.first().waitFor();
    const shown = (await keys.allInnerTexts()).join("");
    assert.ok(sameButtons(shown, expectedCode), `shown ${shown}, server ${expectedCode}`);
    const box = await keys.first().boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `keys are ${box.width}x${box.height}`);
    await page.getByText("Volgorde maakt niet uit").waitFor();
    const label = await page.locator("#code").getAttribute("aria-label");
    assert.match(label, /^Druk op /);
    await screenshot(page, "carer-05-code.png");

    // The safe has its own URL: a reload (still offline, server stopped) asks for the PIN and
    // opens the same safe, code hidden again; the browser's back and forward move between
    // the search and the safe.
    const safeUrl = page.url();
    assert.ok(safeUrl.endsWith(`/safe/${target.id}`), safeUrl);
    await page.reload();
    await unlock(page, PIN, { to: page.locator("#safe-title").filter({ hasText: target.title }) });
    assert.equal(page.url(), safeUrl);
    assert.equal(await page.locator("#code .key").count(), 0, "the code waits for a tap");
    await page.goBack();
    await page.getByLabel("Zoek straat of gebouw").waitFor();
    await page.goForward();
    await page.locator("#safe-title").filter({ hasText: target.title }).waitFor();

    // Back: the safe is now under "Recent geopend".
    await page.getByRole("button", { name: "Terug naar zoeken" }).click();
    await page.locator(`#recent .safe-row[data-safe="${target.id}"]`).waitFor();
  });

  test("offline, the other service's safe cannot be found", async () => {
    const rows = await search(page, queryFor(foreign));
    assert.ok(!rows.some((row) => row.id === foreign.id), `${foreign.title} is not in this phone`);
  });

  test("nothing readable is stored: IndexedDB, localStorage, Cache API", async () => {
    const stored = await storedTexts(page);
    assert.ok(stored.length >= 4, `${stored.length} records`);
    const street = streetOf(target.title).toLowerCase();
    for (const text of stored) {
      const lower = text.toLowerCase();
      assert.ok(!lower.includes(street), "no street name in IndexedDB");
      assert.ok(!lower.includes("straat"), "no 'straat' in IndexedDB");
      assert.ok(!text.includes(login.token), "no token in IndexedDB");
      assert.ok(!text.includes(expectedCode), "no code in IndexedDB");
    }
    const local = await page.evaluate(() => JSON.stringify(localStorage));
    for (const needle of [login.token, expectedCode, streetOf(target.title)]) {
      assert.ok(!local.includes(needle), `localStorage does not hold ${needle.slice(0, 4)}…`);
    }
    const cached = await cachedTexts(page);
    assert.ok(cached.length > 3, "the shell is cached");
    for (const { url, text } of cached) {
      assert.ok(!url.includes("/api/"), `no API answer cached (${url})`);
      assert.ok(!text.includes(login.token), `no token in ${url}`);
      assert.ok(!text.includes(streetOf(target.title)), `no street in ${url}`);
    }
  });

  test("five wrong PINs in a row erase the device", async () => {
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
    for (const [i, left] of [4, 3, 2, 1].entries()) {
      await page.getByLabel("Pincode", { exact: true }).fill(`90000${i}`);
      await page.getByRole("button", { name: "Openen" }).click();
      const text = left === 1 ? "Foute pincode. Nog 1 poging." : `Foute pincode. Nog ${left} pogingen.`;
      await page.locator("#unlock-error").filter({ hasText: text }).waitFor({ timeout: 15_000 });
      if (left === 3) await screenshot(page, "carer-06-wrong-pin.png");
    }
    await page.getByLabel("Pincode", { exact: true }).fill("900009");
    await page.getByRole("button", { name: "Openen" }).click();
    await page.locator("#login-notice").filter({ hasText: "Te vaak een foute pincode" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "carer-07-erased.png");
    assert.deepEqual(await storedTexts(page), []);
    await page.reload();
    await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible", timeout: 20_000 });
  });

  test("no script errors happened, and the PIN was stretched in the worker", () => {
    assert.deepEqual(pageErrors, []);
    const fallbacks = consoleTexts.filter((text) => text.includes("PIN worker not used"));
    assert.deepEqual(fallbacks, [], "Argon2id ran off the UI thread every time");
  });
});
