// A request for a new safe from each side: Wit-Gele Kruis's admin asks for one at a new
// address, the coordinator approves it with the model and the owner, WoninGent's staff
// register it hung, and it is on the coordinator's due list for its first code.
// Real server, demo data, Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { screenshot, demoSuite } from "./support/kluis.mjs";
import { desktopContext, openTab, signInCoordinator, signInTo } from "./support/desk.mjs";
import { unlock } from "./support/carer.mjs";

const ADDRESS = "Meulestedekaai 81, 9000 Gent";

describe("Kluis requests for new safes", () => {
  const suite = demoSuite();

  async function page(login, pin, heading) {
    const { page: p } = await suite.page(desktopContext);
    if (login === "coordinator") await signInCoordinator(p, pin);
    else await signInTo(p, login, pin, heading);
    return p;
  }

  test("a service asks, the coordinator approves, the company hangs it", async () => {
    const team = await page("admin.wgk", "271828", /Mijn dienst — Wit-Gele Kruis/);
    await team.getByRole("button", { name: "Aanvragen voor nieuwe kluizen" }).click();
    assert.equal(new URL(team.url()).pathname, "/team/requests");
    const form = team.locator("#new-request");
    await form.getByLabel("Straat").fill("Meulestedekaai");
    await form.getByLabel("Huisnummers").fill("81");
    await form.getByLabel("Appartementen").fill("24");
    await form.getByLabel("Waarom een kluis").fill("Drie bewoners krijgen thuisverpleging");
    await form.getByLabel("Contact ter plaatse").fill("Conciërge, 09 123 45 67");
    await form.getByRole("button", { name: "Aanvragen" }).click();
    await form.getByRole("status").filter({ hasText: "Aangevraagd." }).waitFor();
    const mine = team.getByRole("table", { name: "Aanvragen voor nieuwe kluizen" });
    await mine.getByRole("row", { name: new RegExp(ADDRESS) }).filter({ hasText: "aangevraagd" }).waitFor();
    await screenshot(team, "requests-01-service.png");

    const desk = await page("coordinator", "739164");
    await openTab(desk, "Register");
    await desk.getByRole("button", { name: "Aanvragen voor nieuwe kluizen" }).click();
    assert.equal(new URL(desk.url()).pathname, "/desk/requests");
    await desk.getByLabel(`Eigenaar (nieuw adres): ${ADDRESS}`).selectOption({ label: "WoninGent" });
    await desk.getByLabel(`Model: ${ADDRESS}`).selectOption({ label: "Supra KeySafe Pro" });
    await desk.getByRole("button", { name: `Goedkeuren: ${ADDRESS}` }).click();
    const reviewed = desk.getByRole("table", { name: "Aanvragen voor nieuwe kluizen" }).getByRole("row", { name: new RegExp(ADDRESS) });
    await reviewed.filter({ hasText: "goedgekeurd: Supra KeySafe Pro, te plaatsen door WoninGent" }).waitFor();
    await screenshot(desk, "requests-02-coordinator.png");

    const company = await page("staff.woningent", "905172", "WoninGent");
    const todo = company.getByRole("table", { name: "Te plaatsen kluizen" });
    await todo.getByRole("row", { name: new RegExp(ADDRESS) }).waitFor();
    await company.getByLabel(`Plaats van de kluis: ${ADDRESS}`).fill("rechts van de inkomdeur");
    await company.getByRole("button", { name: `Geplaatst: ${ADDRESS}` }).click();
    await todo.getByRole("row", { name: new RegExp(ADDRESS) }).filter({ hasText: "geplaatst" }).waitFor();
    await screenshot(company, "requests-03-company.png");

    // The coordinator's due list has its first code; the service sees it hung.
    await openTab(desk, "Te doen");
    await desk.getByRole("row", { name: /Meulestedekaai 81/ }).filter({ hasText: "eerste code" }).waitFor();
    await team.reload();
    const list = team.getByRole("table", { name: "Aanvragen voor nieuwe kluizen" });
    await unlock(team, "271828", { to: list });
    await list.getByRole("row", { name: new RegExp(ADDRESS) }).filter({ hasText: "geplaatst" }).waitFor();
  });
});
