// The carer's app while it is open and online, against the real sync server (demo data):
// a code changed on the server reaches the open safe screen without a reload (event stream
// → sync), the reveal reaches the audit trail, the app locks when hidden, and revoking the
// device wipes the open app.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, phoneContext, screenshot, startServer } from "./support/kluis.mjs";
import {
  coordinatorToken,
  openAndReveal,
  sameButtons,
  search,
  serverCode,
  shownCode,
  signInWithPin,
  storedTexts,
  unlock,
} from "./support/carer.mjs";

const CARER = "carer.partena.1";
const PIN = "507316";

describe("Kluis carer, online and open", () => {
  let server;
  let browser;
  let context;
  let page;
  let login;
  let token;
  let safe;
  let oldCode;
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await phoneContext(browser, { baseURL: server.url });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    token = await coordinatorToken(context.request);
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("revealing a code is recorded in the audit trail", async () => {
    login = await signInWithPin(page, CARER, PIN);
    const rows = await search(page, "straat");
    safe = rows[0];
    oldCode = await openAndReveal(page, safe.id);
    assert.ok(sameButtons(oldCode, await serverCode(context.request, token, safe.id)));

    const deadline = Date.now() + 20_000;
    let event;
    while (!event && Date.now() < deadline) {
      const response = await context.request.get("/api/admin/audit?limit=50&kind=code_revealed", {
        headers: { Authorization: `Bearer ${token}` },
      });
      event = (await response.json()).rows.find(
        (e) => e.kind === "code_revealed" && e.safe_id === safe.id && e.device_id === login.device_id,
      );
      if (!event) await page.waitForTimeout(300);
    }
    assert.ok(event, "the reveal reached the server's audit trail");
    assert.equal(event.person, login.person.name);
  });

  test("a code changed on the server appears on the open screen, old one as previous", async () => {
    // The change itself comes over the event stream: the phone applies it without a sync.
    let syncs = 0;
    const countSyncs = (request) => {
      if (new URL(request.url()).pathname === "/api/sync") syncs += 1;
    };
    page.on("request", countSyncs);
    const rotated = await context.request.post(`/api/admin/safes/${safe.id}/rotate`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(rotated.status(), 200);
    const { code: newCode } = await rotated.json();
    assert.ok(!sameButtons(newCode, oldCode));

    // No reload, no tap: the event stream brings the change and the screen follows.
    await page.waitForFunction(
      (expected) => {
        const keys = [...document.querySelectorAll("#code .key")].map((k) => k.textContent).join("");
        return [...keys].sort().join("") === [...expected].sort().join("");
      },
      newCode,
      { timeout: 20_000 },
    );
    assert.ok(sameButtons(await shownCode(page), newCode));
    const previous = (await page.locator("#previous-code .key").allInnerTexts()).join("");
    assert.ok(sameButtons(previous, oldCode), `previous ${previous}, old ${oldCode}`);
    await page.getByText("Vorige code (als de nieuwe niet werkt)").waitFor();
    page.off("request", countSyncs);
    assert.equal(syncs, 0, "applied from the stream, no sync");
    await screenshot(page, "carer-08-new-and-previous.png");
  });

  test("the app locks when it is hidden, and the PIN opens it again on the same safe", async () => {
    const safeUrl = page.url();
    assert.ok(safeUrl.endsWith(`/safe/${safe.id}`), `the safe has its own URL: ${safeUrl}`);
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator("#code .key").count(), 0, "no code on a locked screen");
    await page.evaluate(() => {
      delete document.visibilityState;
    });
    await unlock(page, PIN, { to: page.locator("#safe-title") });
    assert.equal(page.url(), safeUrl, "back where the carer was");
    assert.equal(await page.locator("#code .key").count(), 0, "the code waits for a new tap");
  });

  test("the app locks itself after the idle time (coordinator setting, 2 minutes)", async () => {
    // Pretend the last touch was 3 minutes ago; the idle check runs every 5 s.
    await page.evaluate(() => {
      window.__kluis.lastActivity = Date.now() - 3 * 60_000;
    });
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 15_000 });
    await unlock(page, PIN, { to: page.locator("#safe-title") });
  });

  test("a carer who opens the desktop's address lands on the search", async () => {
    await page.goto("/desk/settings");
    await unlock(page, PIN);
    assert.equal(new URL(page.url()).pathname, "/");
    assert.equal(await page.getByRole("tab").count(), 0, "no desktop tabs");
  });

  test("revoking the device wipes the open app", async () => {
    const revoke = await context.request.post(`/api/admin/devices/${login.device_id}/revoke`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.ok(revoke.status() < 300, `revoke answered ${revoke.status()}`);
    await page
      .locator("#login-notice")
      .filter({ hasText: "Dit toestel is afgemeld. Meld je opnieuw aan." })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, "carer-09-wiped.png");
    assert.deepEqual(await storedTexts(page), []);
  });

  test("no script errors happened", () => {
    assert.deepEqual(pageErrors, []);
  });
});
