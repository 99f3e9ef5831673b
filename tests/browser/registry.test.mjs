// The coordinator enters a building and its safe through the desktop and makes a service
// active there; a carer of that service, signed in on a phone that stays open, holds the new
// safe moments later (the event stream tells the phone). Real server, demo data, Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { phoneContext, screenshot, demoSuite } from "./support/kluis.mjs";
import { desktopContext, openTab, signInCoordinator, signInTo } from "./support/desk.mjs";
import { search, signInWithPin } from "./support/carer.mjs";

const STREET = "Bloemekenswijkstraat";

describe("Kluis registry on the desktop", () => {
  const suite = demoSuite();

  test("a building and a safe entered on the desktop reach a carer's open phone", async () => {
    const { ctx: phoneCtx, page: phone } = await suite.page(phoneContext);
    await signInWithPin(phone, "carer.wgk.1", "640213");
    assert.deepEqual(await search(phone, STREET), [], "not there yet");

    const { ctx: deskCtx, page: desk } = await suite.page(desktopContext);
    await signInCoordinator(desk, "739164");
    await openTab(desk, "Register");
    await desk.getByRole("heading", { name: "Gebouwen en kluizen" }).waitFor();
    assert.equal(new URL(desk.url()).pathname, "/desk/buildings");

    // A building without a number is refused before it is sent, in words.
    const form = desk.locator("#new-building");
    await form.getByLabel("Straat").fill(STREET);
    await form.getByLabel("Appartementen").fill("18");
    await form.getByLabel("Eigenaar").selectOption({ label: "WoninGent" });
    await form.getByRole("button", { name: "Gebouw toevoegen" }).click();
    await form.getByRole("alert").filter({ hasText: "Huisnummers" }).waitFor();
    await form.getByLabel("Huisnummers").fill("3-7 oneven");
    await form.getByLabel("Wijk").fill("Bloemekenswijk");
    await form.getByRole("button", { name: "Gebouw toevoegen" }).click();

    await desk.getByRole("heading", { name: `${STREET} 3-7 oneven, 9000 Gent` }).waitFor();
    assert.match(new URL(desk.url()).pathname, /^\/desk\/buildings\/[0-9a-f]{32}$/);
    const safeForm = desk.locator("#add-safe");
    await safeForm.getByLabel("Model", { exact: true }).selectOption({ label: "Supra KeySafe Pro" });
    await safeForm.getByLabel("Plaats van de kluis").fill("rechts van de inkomdeur");
    await safeForm.getByRole("button", { name: "Kluis toevoegen" }).click();
    await desk.locator("#edit-safe").waitFor();
    assert.match(await desk.locator("#safe-facts").innerText(), /nog de fabriekscode/);

    const services = desk.locator("#building-services");
    await services.getByLabel("Wit-Gele Kruis").check();
    const saved = Date.now();
    await services.getByRole("button", { name: "Bewaren" }).click();
    await services.getByRole("status").filter({ hasText: "Bewaard." }).waitFor();
    const history = desk.getByRole("table", { name: "Wijzigingen" });
    await history.getByRole("row", { name: /diensten gewijzigd/ }).waitFor();
    assert.equal(await history.getByRole("row", { name: /kluis toegevoegd/ }).count(), 1);
    assert.equal(await history.getByRole("row", { name: /gebouw toegevoegd/ }).count(), 1);
    // The history says the fields and values in words.
    assert.match(await history.getByRole("row", { name: /kluis toegevoegd/ }).innerText(), /Toestand: geplaatst/);
    assert.match(await history.getByRole("row", { name: /gebouw toegevoegd/ }).innerText(), /Straat: Bloemekenswijkstraat/);
    await screenshot(desk, "registry-01-building.png");

    // The carer's phone, left open, gets it without a reload.
    let rows = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = await search(phone, "bloemekenswijkstr 5");
      if (rows.length === 0) await phone.waitForTimeout(100);
    }
    const reached = Date.now() - saved;
    assert.equal(rows.length, 1, "the new safe is on the phone");
    console.log(`# activity saved → connected phone holds the safe: ${reached} ms`);
    await screenshot(phone, "registry-02-phone.png");

    // The registry's search finds it as the phones do, and the list links to it.
    await openTab(desk, "Register");
    await desk.getByLabel("Zoek adres, wijk of eigenaar").fill("bloemekenswijkstr 5");
    const table = desk.getByRole("table", { name: "Gebouwen en kluizen" });
    await table.getByRole("row", { name: new RegExp(STREET) }).waitFor();
    assert.equal(await table.getByRole("row").count(), 2, "header and the one building");
    await screenshot(desk, "registry-03-list.png");
    await deskCtx.close();
    await phoneCtx.close();
  });

  test("housing-company staff land on their own company's buildings", async () => {
    const { ctx, page } = await suite.page(desktopContext);
    await signInTo(page, "staff.woningent", "905172", "WoninGent");
    assert.equal(new URL(page.url()).pathname, "/company");
    const table = page.getByRole("table", { name: "Gebouwen en kluizen" });
    await table.waitFor();
    // The building the coordinator added for WoninGent is theirs; the count matches the server's.
    await table.getByRole("row", { name: new RegExp(STREET) }).waitFor();
    const rows = await table.locator("tbody tr").count();
    assert.ok(rows > 1, "the company's buildings");
    await screenshot(page, "registry-05-company.png");
    await ctx.close();
  });

  test("the coordinator adds a housing company and invites its staff", async () => {
    const { ctx: deskCtx, page: desk } = await suite.page(desktopContext);
    await signInCoordinator(desk, "739164");
    await openTab(desk, "Organisaties en mensen");
    const form = desk.locator("#new-org");
    await form.getByLabel("Soort").selectOption("housing_company");
    await form.getByLabel("Naam").fill("Woonhaven Test");
    await form.getByLabel("E-mail").fill("info@woonhaven.test");
    await form.getByRole("button", { name: "Organisatie toevoegen" }).click();
    const row = desk.getByRole("row", { name: /Woonhaven Test/ });
    await row.waitFor();
    await row.getByRole("button", { name: "Mensen" }).click();
    const people = desk.locator("#org-people");
    await people.getByLabel("Rol").waitFor();
    assert.equal(await people.getByLabel("Rol").inputValue(), "housing_staff");
    await people.getByLabel("Naam", { exact: true }).fill("Hanne Huis");
    await people.getByLabel("Gebruikersnaam", { exact: true }).fill("hanne.huis");
    await people.getByRole("button", { name: "Uitnodigen" }).click();
    await desk.locator("#invitation-code").waitFor();
    assert.match(await desk.locator("#invitation-code").innerText(), /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    await people.getByRole("row", { name: /hanne\.huis/ }).waitFor();
    await screenshot(desk, "registry-04-people.png");
    await deskCtx.close();
  });
});
