// A service admin invites a carer from their own start screen; the carer opens the link on a
// phone-sized page, chooses a password and a PIN, and finds a safe of their service with the
// network cut and the server stopped. Against the real server (demo data) in Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { phoneContext, screenshot, demoSuite } from "./support/kluis.mjs";
import { desktopContext, signInTo } from "./support/desk.mjs";
import { safeCount, search, unlock } from "./support/carer.mjs";

const ADMIN = "admin.wgk";
const ADMIN_PIN = "271828";
const CARER_PIN = "582047";
const PASSWORD = "drie-kleine-katjes-op-een-rij";

describe("Kluis: a service admin invites a carer", () => {
  const suite = demoSuite();
  let invitation; // { code, link }

  test("the admin lands on their service's carers and invites a new one", async () => {
    const { ctx: context, page: page } = await suite.page(desktopContext);
    await signInTo(page, ADMIN, ADMIN_PIN, /Mijn dienst — Wit-Gele Kruis/);
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
    // A replacement until next week: the admin's start says so.
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await page.getByRole("button", { name: "Klaar" }).click();
    await page.getByLabel("Naam", { exact: true }).fill("Tim Tijdelijk");
    await page.getByLabel("Gebruikersnaam", { exact: true }).fill("tim.tijdelijk");
    await page.getByLabel("Toegang tot (leeg: onbeperkt)").fill(nextWeek);
    await page.getByRole("button", { name: "Uitnodigen" }).click();
    await page.locator("#invitation-code").waitFor();
    const soon = page.locator("#expiring-soon");
    await soon.waitFor();
    assert.match(await soon.innerText(), new RegExp(`Tim Tijdelijk \\(${nextWeek}\\)`));
    assert.doesNotMatch(await soon.innerText(), /Nora/);
    await page.getByRole("button", { name: "Klaar" }).click();
    await page.locator("#invitation-code").waitFor({ state: "detached" });
    await screenshot(page, "team-01-invited.png");
    invitation = { code, link };
    await context.close();
  });

  test("the carer activates on a phone, chooses a PIN and finds a safe offline", async () => {
    assert.ok(invitation, "the invitation of the previous step");
    const { ctx: context, page: page } = await suite.page(phoneContext);
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

    // The admin sees the new phone among the service's devices, with a way to revoke it.
    const { ctx: deskCtx, page: desk } = await suite.page(desktopContext);
    await signInTo(desk, ADMIN, ADMIN_PIN, /Mijn dienst/);
    const devices = desk.getByRole("table", { name: "Toestellen" });
    const device = devices.getByRole("row", { name: /Nora Nieuw/ });
    await device.waitFor({ timeout: 30_000 });
    assert.match(await device.innerText(), /in gebruik/);
    assert.equal(await device.getByRole("button", { name: "Intrekken" }).count(), 1);
    await screenshot(desk, "team-04-devices.png");
    await deskCtx.close();

    await context.setOffline(true);
    await suite.server.stop();
    await page.reload();
    await unlock(page, CARER_PIN);
    const rows = await search(page, first[0].title.replace(/\s+\d.*$/, ""));
    assert.ok(rows.some((r) => r.id === first[0].id), "found offline with the server stopped");
    await screenshot(page, "team-03-offline.png");
    await context.close();
  });
});
