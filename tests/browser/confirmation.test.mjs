// The six-monthly confirmation from both sides: the coordinator opens a round on the desktop,
// Wit-Gele Kruis's admin sees the reminder on their start screen, confirms one address,
// removes another and confirms the rest at once; the coordinator sees the service done.
// Real server, demo data, Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { screenshot, demoSuite } from "./support/kluis.mjs";
import { desktopContext, openTab, signInCoordinator, signInTo } from "./support/desk.mjs";

/** `days` from today as `YYYY-MM-DD` (for the date field) and `DD/MM/YYYY` (as shown). */
function dayFromNow(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  const iso = d.toISOString().slice(0, 10);
  const [y, m, day] = iso.split("-");
  return { iso, shown: `${day}/${m}/${y}` };
}

describe("Kluis six-monthly confirmation", () => {
  const suite = demoSuite();

  test("the coordinator opens a round and a service admin answers it", async () => {
    const { ctx: deskCtx, page: desk } = await suite.page(desktopContext);
    await signInCoordinator(desk, "739164");
    await openTab(desk, "Organisaties en mensen");
    await desk.getByRole("button", { name: "Halfjaarlijkse bevestiging" }).click();
    await desk.getByRole("heading", { name: "Halfjaarlijkse bevestiging" }).waitFor();
    assert.equal(new URL(desk.url()).pathname, "/desk/confirmation");
    await desk.locator("#no-round").waitFor();

    // Too soon a deadline is refused in words; two weeks is fine.
    const form = desk.locator("#new-round");
    await form.getByLabel("Uiterste datum").fill(dayFromNow(2).iso);
    await form.getByRole("button", { name: "Ronde openen" }).click();
    await form.getByRole("alert").filter({ hasText: "minstens 7 dagen" }).waitFor();
    const deadline = dayFromNow(14);
    await form.getByLabel("Uiterste datum").fill(deadline.iso);
    await form.getByLabel("uit de dienst halen").check();
    await form.getByRole("button", { name: "Ronde openen" }).click();
    await desk.locator("#round-state").filter({ hasText: `Ronde open tot en met ${deadline.shown}` }).waitFor();
    const services = desk.getByRole("table", { name: "Halfjaarlijkse bevestiging" });
    const wgk = services.getByRole("row", { name: /Wit-Gele Kruis/ });
    await wgk.waitFor();
    const [, addresses, confirmed, removed, open] = (await wgk.innerText()).split("\t");
    assert.equal(confirmed, "0");
    assert.equal(removed, "0");
    assert.equal(open, addresses);
    assert.equal(await desk.locator("#new-round").count(), 0, "one round at a time");
    await screenshot(desk, "confirmation-01-desk.png");

    // The service admin's start screen reminds them; the list answers per address.
    const { ctx: teamCtx, page: team } = await suite.page(desktopContext);
    await signInTo(team, "admin.wgk", "271828", /Mijn dienst — Wit-Gele Kruis/);
    const todo = team.locator("#attention");
    const line = `Bevestig je actieve adressen (uiterlijk ${deadline.shown}): nog ${addresses} adressen`;
    await todo.filter({ hasText: line }).waitFor();
    await todo.getByRole("button", { name: `Bekijk: ${line}` }).click();
    await team.getByRole("heading", { name: "Waar is uw dienst nog actief?" }).waitFor();
    assert.equal(new URL(team.url()).pathname, "/team/confirmation");
    const items = team.getByRole("table", { name: "Waar is uw dienst nog actief?" });
    const rows = items.locator("tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), Number(addresses));
    const first = (await rows.nth(0).locator("th").innerText()).trim();
    const second = (await rows.nth(1).locator("th").innerText()).trim();
    await team.getByRole("button", { name: `Nog actief: ${first}` }).click();
    await items.getByRole("row", { name: new RegExp(first) }).filter({ hasText: "bevestigd door Katrien Van de Velde" }).waitFor();
    await team.getByRole("button", { name: `Niet meer actief: ${second}` }).click();
    await items.getByRole("row", { name: new RegExp(second) }).filter({ hasText: "verwijderd door Katrien Van de Velde" }).waitFor();
    assert.equal(await team.getByRole("button", { name: `Niet meer actief: ${second}` }).count(), 0, "removed stays removed");
    await team.getByRole("button", { name: "Alle open adressen bevestigen" }).click();
    await team.locator("#confirmation-left").filter({ hasText: `Alle ${addresses} adressen zijn beantwoord` }).waitFor();
    await screenshot(team, "confirmation-02-team.png");
    await team.setViewportSize({ width: 390, height: 844 });
    await screenshot(team, "confirmation-03-team-phone.png");

    // Back on the start screen there is nothing left to remind of.
    await team.getByRole("button", { name: "Mijn dienst" }).click();
    await team.getByRole("table", { name: "Zorgverleners" }).waitFor();
    await todo.waitFor();
    assert.equal(await todo.filter({ hasText: "Bevestig je actieve adressen" }).count(), 0);

    // The coordinator sees the service done, and who answered.
    await openTab(desk, "Organisaties en mensen");
    await desk.getByRole("button", { name: "Halfjaarlijkse bevestiging" }).click();
    const done = desk.getByRole("table", { name: "Halfjaarlijkse bevestiging" }).getByRole("row", { name: /Wit-Gele Kruis/ });
    await done.filter({ hasText: "Katrien Van de Velde" }).waitFor();
    const cells = (await done.innerText()).split("\t");
    assert.deepEqual(cells.slice(1, 5), [addresses, String(Number(addresses) - 1), "1", "0"]);
    await deskCtx.close();
    await teamCtx.close();
  });
});
