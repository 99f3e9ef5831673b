// The audit trail on screen and what a deactivated carer had seen: a carer opens a code on
// the phone; their service admin sees it under "Inzage", deactivates the carer, opens
// "Geziene codes" and plans the urgent change; the coordinator finds that change in the
// "Logboek" by filter, pages through the trail and downloads it as CSV. Against the real
// server (demo data) in Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { phoneContext, screenshot, demoSuite } from "./support/kluis.mjs";
import { apiGet, csvLines, desktopContext, download, openTab, signInCoordinator, signInTo } from "./support/desk.mjs";
import { coordinatorToken, openAndReveal, search, signInWithPin } from "./support/carer.mjs";

const CARER = "carer.wgk.2";
const ADMIN = "admin.wgk";
const ADMIN_PIN = "271828";
const COORDINATOR_PIN = "739164";

describe("Kluis: the audit trail and a deactivated carer's codes", () => {
  const suite = demoSuite();
  let seen; // { id, title, person }

  test("a carer's reveal reaches the trail", async () => {
    const { ctx, page } = await suite.page(phoneContext);
    const login = await signInWithPin(page, CARER, "482916");
    const rows = await search(page, "straat");
    await openAndReveal(page, rows[0].id);
    const token = await coordinatorToken(ctx.request);
    const deadline = Date.now() + 20_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      const page1 = await apiGet(ctx.request, token, `/api/admin/audit?kind=code_revealed&person=${login.person.id}`);
      found = page1.rows.some((r) => r.safe_id === rows[0].id);
      if (!found) await page.waitForTimeout(300);
    }
    assert.ok(found, "the reveal is on the server");
    seen = { id: rows[0].id, title: rows[0].title, person: login.person.name };
    await ctx.close();
  });

  test("the service admin sees it, deactivates the carer and plans the change", async () => {
    assert.ok(seen, "the reveal of the previous step");
    const { ctx, page } = await suite.page(desktopContext);
    await signInTo(page, ADMIN, ADMIN_PIN, /Mijn dienst — Wit-Gele Kruis/);

    await page.getByRole("button", { name: "Inzage" }).click();
    await page.getByRole("heading", { name: "Inzage door uw zorgverleners" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/team/audit");
    const table = page.getByRole("table", { name: "Inzage door uw zorgverleners" });
    const row = table.getByRole("row").filter({ hasText: seen.person }).first();
    await row.waitFor({ timeout: 15_000 });
    assert.match(await row.innerText(), /Code bekeken/);
    const kinds = await table.locator("tbody tr").evaluateAll((trs) => [...new Set(trs.map((tr) => tr.dataset.kind))]);
    assert.deepEqual(kinds, ["code_revealed"], "a service admin sees reveals only");
    assert.equal(await page.getByLabel("Soort").count(), 0, "and has no kind filter");
    await screenshot(page, "audit-01-team.png");

    await page.goBack();
    const people = page.getByRole("table", { name: "Zorgverleners" });
    const line = people.getByRole("row", { name: new RegExp(CARER.replace(".", "\\.")) });
    await line.getByRole("button", { name: "Deactiveren" }).click();
    await line.getByRole("button", { name: /Ja, deactiveer/ }).click();
    await line.getByRole("button", { name: "Geziene codes" }).click();

    await page.getByRole("heading", { name: new RegExp(`Codes die deze persoon zag: ${seen.person}`) }).waitFor();
    const exposed = page.getByRole("table", { name: /Codes die deze persoon zag/ });
    const safeRow = exposed.locator("tbody tr").filter({ hasText: seen.title.split(",")[0] }).first();
    await safeRow.waitFor();
    assert.match(await safeRow.innerText(), /kent de code nog/);
    const plan = page.getByRole("button", { name: /^Nieuwe code plannen voor \d+ kluis(zen)?, uiterlijk \d{4}-\d{2}-\d{2}$/ });
    await screenshot(page, "audit-02-exposure.png");
    await plan.click();
    const done = page.locator("#exposure-planned");
    await done.waitFor();
    assert.match(await done.innerText(), /krijg(t|en) een nieuwe code, uiterlijk \d{4}-\d{2}-\d{2}/);
    await exposed.locator("tbody tr").filter({ hasText: /kent de code nog/ }).first().waitFor({ state: "detached" });
    assert.match(await safeRow.innerText(), /gepland, uiterlijk/);
    assert.equal(await plan.count(), 0, "nothing left to plan");
    await screenshot(page, "audit-03-planned.png");
    await ctx.close();
  });

  test("the coordinator finds the change in the trail, pages and exports it", async () => {
    const { ctx, page } = await suite.page(desktopContext);
    // More than a page of events: every sign-in is one.
    for (let i = 0; i < 55; i++) await coordinatorToken(ctx.request);
    await signInCoordinator(page, COORDINATOR_PIN);
    await openTab(page, "Logboek");
    assert.equal(new URL(page.url()).pathname, "/desk/audit");
    const count = page.locator("#audit-count");
    await count.filter({ hasText: /^1–50 van \d+ gebeurtenissen$/ }).waitFor({ timeout: 15_000 });
    const total = Number((await count.innerText()).match(/van (\d+)/)[1]);
    assert.ok(total > 50, `the demo's trail has more than a page (${total})`);
    await page.getByRole("button", { name: "Ouder" }).click();
    await count.filter({ hasText: new RegExp(`^51–\\d+ van ${total} gebeurtenissen$`) }).waitFor();
    await page.getByRole("button", { name: "Nieuwer" }).click();
    await count.filter({ hasText: /^1–50 van/ }).waitFor();

    await page.getByLabel("Soort").selectOption({ label: "Codes en campagnes" });
    await page.getByLabel("Gebeurtenis").selectOption({ label: "Nieuwe code na deactivering" });
    await page.getByRole("button", { name: "Toon", exact: true }).click();
    const table = page.getByRole("table", { name: "Logboek" });
    const row = table.locator('tbody tr[data-kind="exposed_code_change"]').filter({ hasText: `over ${seen.person}` }).first();
    await row.waitFor({ timeout: 15_000 });
    assert.match(await row.innerText(), /Nieuwe code na deactivering/);
    assert.equal(
      await table.locator('tbody tr:not([data-kind="exposed_code_change"])').count(),
      0,
      "only the kind asked for",
    );
    await screenshot(page, "audit-04-desk.png");

    // Only that safe: the address in the row narrows the trail to it.
    await row.getByRole("button").first().click();
    await page.locator("#audit-safe").waitFor();
    const file = await download(page, page.getByRole("button", { name: "Exporteer CSV" }));
    assert.match(file.name, /^kluis-logboek-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csvLines(file.text);
    assert.match(lines[0], /^Ontvangen;Gebeurtenis;Wie;Organisatie;Adres;Over;Details/);
    assert.ok(lines.length >= 2);
    assert.ok(lines.slice(1).every((l) => l.includes("Nieuwe code na deactivering") && l.includes(seen.person)), lines.join("\n"));
    await ctx.close();
  });
});
