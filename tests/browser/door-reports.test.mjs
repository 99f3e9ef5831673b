// A report from the door, end to end: a Wit-Gele Kruis carer at a WoninGent block finds the
// key gone and reports "Sleutel weg" with no network; the report waits on the phone and says
// so, is sent when the network is back, and becomes WoninGent's repair order; WoninGent's
// staff plan it and mark it fixed; the coordinator's inbox shows it resolved and the
// reporting service sees where it stands. Real server, demo data, Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { phoneContext, screenshot, demoSuite } from "./support/kluis.mjs";
import { desktopContext, apiGet, openTab, signInCoordinator, signInTo } from "./support/desk.mjs";
import { coordinatorToken, search, signInWithPin } from "./support/carer.mjs";

describe("Kluis reports from the door", () => {
  const suite = demoSuite();

  test("Sleutel weg offline reaches the company, is fixed, and the coordinator sees it closed", async () => {
    const { ctx: phone, page: carer } = await suite.page(phoneContext);
    await signInWithPin(carer, "carer.wgk.1", "482916");

    // A WoninGent block where Wit-Gele Kruis is active, as the registry says.
    const token = await coordinatorToken(carer.request);
    const buildings = await apiGet(carer.request, token, "/api/admin/buildings");
    const block = buildings.find(
      (b) => b.owner === "WoninGent" && b.safes.length > 0 && b.services.some((s) => s.service === "Wit-Gele Kruis"),
    );
    assert.ok(block, "the demo has a WoninGent block of Wit-Gele Kruis");
    const safeId = block.safes[0].id;
    const rows = await search(carer, `${block.street} ${block.numbers.split(/[ ,-]/)[0]}`);
    assert.ok(rows.some((r) => r.id === safeId), "the carer finds the block");
    await carer.locator(`#results .safe-row[data-safe="${safeId}"]`).click();

    // No network: the report is kept on the phone and says it waits.
    await phone.setOffline(true);
    await carer.getByRole("button", { name: "Code werkt niet? Meld het" }).click();
    const form = carer.getByRole("group", { name: "Wat is er mis?" });
    await form.getByLabel("Sleutel weg").check();
    await form.getByLabel("Toelichting (niet verplicht)").fill("haakje leeg");
    await form.getByRole("button", { name: "Melding versturen" }).click();
    const mine = carer.locator("#my-reports li").filter({ hasText: "Sleutel weg" });
    await mine.filter({ hasText: "verstuurd zodra je verbinding hebt" }).waitFor();
    await screenshot(carer, "reports-01-phone-waiting.png");

    // Network back: the next sync sends it and the phone says so.
    await phone.setOffline(false);
    await carer.evaluate(() => window.dispatchEvent(new Event("online")));
    await mine.filter({ hasText: "Melding verstuurd" }).waitFor({ timeout: 20_000 });
    await screenshot(carer, "reports-02-phone-sent.png");

    // WoninGent's staff see the repair order on their start, plan it and mark it fixed.
    const { page: company } = await suite.page(desktopContext);
    await signInTo(company, "staff.woningent", "905172", "WoninGent");
    const repairs = company.getByRole("table", { name: "Herstellingen" });
    const order = repairs.getByRole("row").filter({ hasText: "haakje leeg" });
    await order.waitFor();
    // Their start screen opens on it: "Nu te doen" counts the open repairs and leads to them.
    const todo = company.getByRole("region", { name: "Nu te doen" });
    const repairLine = todo.getByRole("listitem").filter({ hasText: /herstelling(en)? te doen/ });
    await repairLine.waitFor();
    const openBefore = Number((await repairLine.innerText()).match(/(\d+) herstelling/)[1]);
    assert.ok(openBefore >= 1);
    await repairLine.getByRole("button", { name: /^Bekijk: / }).click();
    assert.match(await order.innerText(), /sleutel weg/i);
    await screenshot(company, "reports-03-company.png");
    await order.getByRole("button", { name: "Plannen" }).click();
    await order.filter({ hasText: /\d{4}-\d{2}-\d{2}/ }).waitFor();
    await order.getByRole("button", { name: "Hersteld" }).click();
    await company.getByText("1 open herstelling").or(company.getByText("Geen open herstellingen.")).first().waitFor();
    await repairs.getByRole("row").filter({ hasText: "haakje leeg" }).waitFor({ state: "detached" }).catch(() => {});
    assert.equal(await repairs.getByRole("row").filter({ hasText: "haakje leeg" }).count(), 0, "done leaves the open list");
    // The count follows at once.
    const left = openBefore - 1;
    if (left === 0) {
      await todo.getByRole("listitem").filter({ hasText: /herstelling(en)? te doen/ }).waitFor({ state: "detached" });
    } else {
      await todo.getByRole("listitem").filter({ hasText: `${left} herstelling` }).waitFor();
    }

    // The coordinator's inbox has it, resolved.
    const { page: desk } = await suite.page(desktopContext);
    await signInCoordinator(desk, "739164");
    await openTab(desk, "Meldingen");
    await desk.getByLabel("Ook afgehandelde tonen").check();
    const card = desk.locator(`article[data-safe="${safeId}"]`);
    await card.getByRole("row").filter({ hasText: "haakje leeg" }).filter({ hasText: "opgelost" }).waitFor();
    await screenshot(desk, "reports-04-inbox.png");

    // The reporting service sees the same state.
    const { page: team } = await suite.page(desktopContext);
    await signInTo(team, "admin.wgk", "271828", /Mijn dienst — Wit-Gele Kruis/);
    await team.getByRole("button", { name: "Meldingen" }).click();
    assert.equal(new URL(team.url()).pathname, "/team/reports");
    await team.getByLabel("Ook afgehandelde tonen").check();
    await team.getByRole("row").filter({ hasText: "haakje leeg" }).filter({ hasText: "opgelost" }).waitFor();
  });

  test("a known code becomes the leak flow with one click", async () => {
    const { page: carer } = await suite.page(phoneContext);
    await signInWithPin(carer, "carer.wgk.2", "613847");
    await search(carer, "straat");
    const safeId = await carer.locator("#results .safe-row").first().getAttribute("data-safe");
    await carer.locator(`#results .safe-row[data-safe="${safeId}"]`).click();
    await carer.getByRole("button", { name: "Code werkt niet? Meld het" }).click();
    const form = carer.getByRole("group", { name: "Wat is er mis?" });
    await form.getByLabel("Andere", { exact: true }).check();
    await form.getByRole("button", { name: "Melding versturen" }).click();
    await carer.getByRole("alert").filter({ hasText: "Schrijf kort wat er mis is." }).waitFor();
    await form.getByLabel("Code is bekend bij anderen").check();
    await form.getByRole("button", { name: "Melding versturen" }).click();
    await carer.locator("#my-reports li").filter({ hasText: "Melding verstuurd" }).waitFor({ timeout: 20_000 });

    const { page: desk } = await suite.page(desktopContext);
    await signInCoordinator(desk, "739164");
    // The start screen opens on what is waiting, the new report among it, and the tab counts it.
    const todo = desk.getByRole("region", { name: "Nu te doen" });
    const reportLine = todo.getByRole("listitem").filter({ hasText: /nieuwe melding(en)? van aan de deur/ });
    await reportLine.waitFor();
    const fresh = Number((await reportLine.innerText()).match(/(\d+) nieuwe melding/)[1]);
    assert.ok(fresh >= 1);
    const tabCount = desk.locator("#tab-reports .tab-count");
    assert.equal((await tabCount.locator("[aria-hidden]").innerText()).trim(), String(fresh));
    await screenshot(desk, "attention-01-desk.png");
    await reportLine.getByRole("button", { name: /^Bekijk: / }).click();
    await desk.getByRole("tab", { name: /Meldingen/, selected: true }).waitFor();
    assert.equal(new URL(desk.url()).pathname, "/desk/reports");
    const card = desk.locator(`article[data-safe="${safeId}"]`);
    await card.getByRole("row").filter({ hasText: "Code is bekend bij anderen" }).filter({ hasText: "nieuw" }).waitFor();
    // The suggested action comes first.
    const buttons = card.getByRole("button", { name: /Lek|Dringende|Herstelling|Afsluiten/ });
    assert.equal(await buttons.first().innerText(), "Lek: nieuwe code binnen 5 werkdagen");
    await buttons.first().click();
    await desk.locator("#inbox-done").filter({ hasText: /Nieuwe code gepland, uiterlijk \d{4}-\d{2}-\d{2}/ }).waitFor();
    await card.getByRole("row").filter({ hasText: "nieuwe code gepland" }).waitFor();
    // Dealt with: the tab counts one fewer at once.
    if (fresh === 1) {
      await tabCount.waitFor({ state: "detached" });
    } else {
      await tabCount.filter({ hasText: String(fresh - 1) }).waitFor();
    }
  });
});
