// A service admin invites a carer from their own start screen; the carer opens the link on a
// phone-sized page, chooses a password and a PIN, and finds a safe of their service with the
// network cut and the server stopped. Against the real server (demo data) in Chromium.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, phoneContext, screenshot, startServer } from "./support/kluis.mjs";
import { desktopContext } from "./support/desk.mjs";
import { safeCount, search, unlock } from "./support/carer.mjs";

const ADMIN = "admin.wgk";
const ADMIN_PIN = "271828";
const CARER_PIN = "582047";
const PASSWORD = "drie-kleine-katjes-op-een-rij";

describe("Kluis: a service admin invites a carer", () => {
  let server;
  let browser;
  let invitation; // { code, link }
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(pageErrors, [], "no page errors");
  });

  test("the admin lands on their service's carers and invites a new one", async () => {
    const context = await desktopContext(browser, { baseURL: server.url });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto("/");
    await page.getByLabel("Gebruikersnaam").fill(ADMIN);
    await page.getByLabel("Wachtwoord", { exact: true }).fill("kluis-demo");
    await page.getByRole("button", { name: "Aanmelden" }).click();
    await page.getByLabel("Pincode", { exact: true }).fill(ADMIN_PIN);
    await page.getByLabel("Herhaal je pincode").fill(ADMIN_PIN);
    await page.getByRole("button", { name: "Pincode bevestigen" }).click();
    await page.getByRole("heading", { level: 1, name: /Mijn dienst — Wit-Gele Kruis/ }).waitFor({ timeout: 30_000 });
    assert.equal(new URL(page.url()).pathname, "/team");
    const table = page.getByRole("table", { name: "Zorgverleners" });
    await table.waitFor();
    assert.ok(await table.getByRole("row", { name: /carer\.wgk\.1/ }).count() > 0, "the service's own carers");
    assert.equal(await table.getByRole("row", { name: /carer\.imens/ }).count(), 0, "no other service's");

    await page.getByLabel("Naam", { exact: true }).fill("Nora Nieuw");
    await page.getByLabel("Gebruikersnaam", { exact: true }).fill("nora.nieuw");
    await page.getByLabel("Toegang tot (leeg: onbeperkt)").fill("2099-06-30");
    await page.getByRole("button", { name: "Uitnodigen" }).click();
    const card = page.locator("#invitation");
    await card.getByRole("heading", { name: "Geef deze activatiecode door" }).waitFor();
    const code = (await page.locator("#invitation-code").innerText()).trim();
    assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const link = await page.locator("#invitation-link").getAttribute("href");
    assert.ok(link.endsWith(`/activate?code=${code}`), link);
    const qr = page.getByRole("img", { name: /QR-code van de link/ });
    await qr.waitFor();
    assert.equal(await qr.locator("svg path").count(), 1, "the QR code is drawn");
    const row = table.getByRole("row", { name: /nora\.nieuw/ });
    await row.waitFor();
    assert.match(await row.innerText(), /uitgenodigd/);
    assert.match(await row.innerText(), /2099-06-30/);
    await screenshot(page, "team-01-invited.png");
    invitation = { code, link };
    await context.close();
  });

  test("the carer activates on a phone, chooses a PIN and finds a safe offline", async () => {
    assert.ok(invitation, "the invitation of the previous step");
    const context = await phoneContext(browser, { baseURL: server.url });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(new URL(invitation.link).pathname + new URL(invitation.link).search);
    await page.getByRole("heading", { level: 1, name: "Activeer je account" }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByLabel("Activatiecode").inputValue(), invitation.code);
    // A weak password is refused on the phone before anything is sent.
    await page.getByLabel("Kies een wachtwoord").fill("wachtwoord123");
    await page.getByLabel("Herhaal het wachtwoord").fill("wachtwoord123");
    await page.getByRole("button", { name: "Activeer" }).click();
    await page.getByRole("alert").filter({ hasText: "te vaak gebruikt" }).waitFor();
    await screenshot(page, "team-02-activate-weak.png");
    await page.getByLabel("Kies een wachtwoord").fill(PASSWORD);
    await page.getByLabel("Herhaal het wachtwoord").fill(PASSWORD);
    await page.getByRole("button", { name: "Activeer" }).click();
    await page.getByRole("heading", { level: 1, name: "Kies een pincode" }).waitFor({ timeout: 20_000 });
    await page.getByLabel("Pincode", { exact: true }).fill(CARER_PIN);
    await page.getByLabel("Herhaal je pincode").fill(CARER_PIN);
    await page.getByRole("button", { name: "Pincode bevestigen" }).click();
    const count = await safeCount(page);
    assert.ok(count > 0, "the new carer holds their service's safes");
    const first = await search(page, "straat");
    assert.ok(first.length > 0);

    // The code works once: a second activation with it is refused.
    const again = await page.request.post("/api/activate", { data: { code: invitation.code, password: PASSWORD } });
    assert.equal(again.status(), 422);
    assert.equal((await again.json()).problem.kind, "activation_code");

    await context.setOffline(true);
    await server.stop();
    await page.reload();
    await unlock(page, CARER_PIN);
    const rows = await search(page, first[0].title.replace(/\s+\d.*$/, ""));
    assert.ok(rows.some((r) => r.id === first[0].id), "found offline with the server stopped");
    await screenshot(page, "team-03-offline.png");
    await context.close();
  });
});
