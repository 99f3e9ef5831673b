// The coordinator at the desk, end to end against the real sync server (demo data, which
// seeds a running campaign) in Debian's Chromium at 1280 x 800: sign in, choose a PIN, see
// the campaign's progress chart with the server's numbers, the due list and its CSV, report a
// code as leaked (checked through the API: history, audit, urgent campaign), the code space
// per model, plan a campaign, and an honest message when offline. Screenshots go to
// tests/browser/artifacts/desk-*.png.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, screenshot, startServer } from "./support/kluis.mjs";
import { coordinatorToken } from "./support/carer.mjs";
import { apiGet, csvLines, desktopContext, download, openTab, signInCoordinator } from "./support/desk.mjs";

const PIN = "739164";

describe("Kluis coordinator desktop", () => {
  let server;
  let browser;
  let context;
  let page;
  let token;
  let leakedSafe; // { id, address }
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await desktopContext(browser, { baseURL: server.url });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    token = await coordinatorToken(context.request);
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("sign in, choose a PIN, see the running campaign's chart with the server's numbers", async () => {
    await signInCoordinator(page, PIN);
    const campaigns = await apiGet(context.request, token, "/api/admin/campaigns");
    assert.ok(campaigns.length >= 1, "the demo seeds a campaign");
    const running = campaigns.find((c) => c.open + c.waiting + c.failed > 0) ?? campaigns[0];
    const detail = await apiGet(context.request, token, `/api/admin/campaigns/${running.id}`);

    const card = page.locator(`#campaign-detail[data-campaign="${detail.id}"]`);
    await card.waitFor({ timeout: 15_000 });
    await page.locator("#round-chart .chart-row").first().waitFor();
    assert.equal(await page.locator("#campaign-name").innerText(), detail.name);

    const totals = page.locator("#campaign-totals");
    for (const part of ["done", "failed", "open", "waiting"]) {
      assert.equal(Number(await totals.getAttribute(`data-${part}`)), detail[part], part);
    }
    assert.match(
      await totals.innerText(),
      new RegExp(`${detail.done} gedaan · ${detail.failed} niet gelukt · ${detail.open} open`),
    );

    assert.equal(await page.locator("#round-chart .chart-row").count(), detail.rounds.length);
    for (const round of detail.rounds) {
      const row = page.locator(`#round-chart .chart-row[data-round="${round.id}"]`);
      assert.equal(
        await row.locator(".chart-counts").textContent(),
        `${round.done} gedaan · ${round.failed} niet gelukt · ${round.open} open`,
        round.name,
      );
    }
    // The legend names each part in words, not only in colour.
    assert.deepEqual(await page.locator("#round-chart .chart-legend li").allInnerTexts(), [
      "gedaan",
      "niet gelukt",
      "open",
    ]);
    // The frame widens for the desk.
    const width = await page.locator("main.screen-desk").evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(width > 1000, `desk is ${width}px wide`);
    await screenshot(page, "desk-campaigns.png");

    const csv = await download(page, page.locator("#campaign-csv"));
    assert.match(csv.name, /^kluis-campagne-.*\.csv$/);
    const lines = csvLines(csv.text);
    assert.equal(lines[0], "Campagne;Ronde;Wijk;Golf;Vrijwilliger;Kluizen;Gedaan;Niet gelukt;Open");
    assert.equal(lines.length - 1, detail.rounds.length);
  });

  test("the due list shows the server's safes per term and exports them as CSV", async () => {
    await openTab(page, "Te doen");
    const due = await apiGet(context.request, token, "/api/admin/due");
    const total = due.overdue.length + due.this_week.length + due.this_month.length;
    assert.ok(total > 0, "the demo has safes due");
    await page.locator("#due-table tbody tr").first().waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("#due-table tbody tr").count(), total);
    assert.equal(Number(await page.locator("#bucket-overdue").getAttribute("data-count")), due.overdue.length);
    assert.equal(Number(await page.locator("#bucket-this_week").getAttribute("data-count")), due.this_week.length);
    assert.equal(Number(await page.locator("#bucket-this_month").getAttribute("data-count")), due.this_month.length);

    // Sorting by address puts the rows in address order.
    await page.getByRole("button", { name: /^Adres/ }).click();
    const addresses = await page.locator("#due-table tbody tr th").allInnerTexts();
    const sorted = [...addresses].sort((a, b) => a.localeCompare(b, "nl", { sensitivity: "base" }));
    assert.deepEqual(addresses, sorted);
    assert.equal(await page.locator("th[aria-sort=ascending]").count(), 1);
    await screenshot(page, "desk-due.png");

    const csv = await download(page, page.locator("#due-csv"));
    assert.match(csv.name, /^kluis-te-doen-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csvLines(csv.text);
    assert.equal(lines[0], "Kluis;Adres;Wijk;Eigenaar;Status;Uiterlijk op;Termijn;Reden;Campagne");
    assert.equal(lines.length - 1, total);
    const first = addresses[0];
    assert.ok(lines[1].includes(first), `first CSV row is the first row shown (${first})`);

    // A filter narrows the table and the export alike.
    const district = due.this_month[0]?.district ?? due.this_week[0]?.district ?? due.overdue[0].district;
    await page.getByLabel("Zoek adres, wijk of eigenaar").fill(district);
    const shown = await page.locator("#due-table tbody tr").count();
    assert.ok(shown >= 1 && shown <= total);
    const filtered = csvLines((await download(page, page.locator("#due-csv"))).text);
    assert.equal(filtered.length - 1, shown);
    await page.getByLabel("Zoek adres, wijk of eigenaar").fill("");
  });

  test("a code reported leaked after confirming: audit, 5-day clock, urgent campaign", async () => {
    const row = page.locator("#due-table tbody tr").first();
    leakedSafe = { id: await row.getAttribute("data-safe"), address: await row.locator("th").innerText() };
    await row.locator('[data-action="leak"]').click();
    const dialog = page.getByRole("alertdialog");
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(leakedSafe.address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    // Cancelling does nothing.
    await page.getByRole("button", { name: "Annuleren" }).click();
    assert.equal(await page.getByRole("alertdialog").count(), 0);
    let history = await apiGet(context.request, token, `/api/admin/safes/${leakedSafe.id}/history`);
    assert.equal(history.leak_reported_on, null);

    await row.locator('[data-action="leak"]').click();
    await page.getByLabel(/Wat weet je over het lek/).fill("Code op de deur geschreven (browsertest)");
    await screenshot(page, "desk-leak-confirm.png");
    await page.getByRole("button", { name: "Ja, meld als gelekt" }).click();
    const done = page.locator("#leak-done");
    await done.waitFor({ timeout: 15_000 });
    assert.match(await done.innerText(), /Lek gemeld voor .*Nieuwe code uiterlijk \d{4}-\d{2}-\d{2}/);

    history = await apiGet(context.request, token, `/api/admin/safes/${leakedSafe.id}/history`);
    assert.match(history.leak_reported_on ?? "", /^\d{4}-\d{2}-\d{2}$/);
    const audit = await apiGet(context.request, token, "/api/admin/audit?limit=50&kind=code_leaked");
    const event = audit.rows.find((e) => e.kind === "code_leaked" && e.safe_id === leakedSafe.id);
    assert.ok(event, "the leak is in the audit trail");
    assert.equal(event.detail, "Code op de deur geschreven (browsertest)");
    const campaigns = await apiGet(context.request, token, "/api/admin/campaigns");
    const urgent = campaigns.find((c) => c.kind === "urgent" && c.safes === 1 && c.name.startsWith("Lek:"));
    assert.ok(urgent, "an urgent one-safe campaign exists");
    await screenshot(page, "desk-leaked.png");

    // The campaign overview lists it too.
    await openTab(page, "Campagnes");
    await page.locator(`#campaign-table tr[data-campaign="${urgent.id}"]`).waitFor({ timeout: 15_000 });
  });

  test("a safe's history shows the leak and its codes", async () => {
    await openTab(page, "Te doen");
    const row = page.locator(`#due-table tbody tr[data-safe="${leakedSafe.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.locator('[data-action="history"]').click();
    await page.locator(`#safe-history[data-safe="${leakedSafe.id}"]`).waitFor({ timeout: 15_000 });
    const history = await apiGet(context.request, token, `/api/admin/safes/${leakedSafe.id}/history`);
    assert.equal(await page.locator("#leak-reported-on").innerText(), history.leak_reported_on);
    assert.equal(await page.locator("#codes-table tbody tr").count(), history.codes.length);
    await screenshot(page, "desk-history.png");
  });

  test("the code space per model shows the server's numbers", async () => {
    await openTab(page, "Coderuimte");
    const spaces = await apiGet(context.request, token, "/api/admin/code-space");
    await page.locator("#space-table tbody tr").first().waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("#space-table tbody tr").count(), spaces.length);
    for (const space of spaces) {
      const row = page.locator(`#space-table tr[data-model="${space.model_id}"]`);
      assert.equal(Number(await row.getAttribute("data-in-use")), space.in_use);
      assert.equal(Number(await row.getAttribute("data-usable")), space.usable);
      assert.match(
        await row.locator(".usage-text").innerText(),
        new RegExp(`^${space.in_use} van ${space.usable} bruikbare codes in gebruik`),
      );
    }
    await screenshot(page, "desk-code-space.png");
  });

  test("plan a district campaign and see the waves and why", async () => {
    await openTab(page, "Nieuwe campagne");
    await page.getByLabel("Naam").fill("Rotatie browsertest");
    await page.getByLabel("Eén wijk").check();
    await page.getByLabel("Wijk", { exact: true }).fill("Rabot");
    await page.getByRole("button", { name: "Plan campagne" }).click();
    const created = page.locator("#created");
    await created.waitFor({ timeout: 20_000 });
    const id = await created.getAttribute("data-campaign");
    const detail = await apiGet(context.request, token, `/api/admin/campaigns/${id}`);
    assert.equal(detail.name, "Rotatie browsertest");
    assert.ok((await page.locator("#created-message").innerText()).length > 0);
    assert.ok((await page.locator("#created-waves tbody tr").count()) >= 1);
    await screenshot(page, "desk-new-campaign.png");
    await page.locator("#open-created").click();
    await page.locator(`#campaign-detail[data-campaign="${id}"]`).waitFor({ timeout: 15_000 });
  });

  test("repairs open, and offline says so instead of an empty table", async () => {
    await openTab(page, "Herstellingen");
    await page.locator("#repair-table, #no-repairs").first().waitFor({ timeout: 15_000 });
    const repairs = await apiGet(context.request, token, "/api/admin/repairs");
    assert.match(await page.locator("#repairs-open").innerText(), new RegExp(`^${repairs.filter((r) => !r.resolved_at).length} open`));
    await screenshot(page, "desk-repairs.png");

    await context.setOffline(true);
    await openTab(page, "Coderuimte");
    await page.getByRole("alert").filter({ hasText: "Geen verbinding" }).first().waitFor({ timeout: 15_000 });
    await screenshot(page, "desk-offline.png");
    await context.setOffline(false);
    await page.getByRole("button", { name: "Opnieuw proberen" }).click();
    await page.locator("#space-table").waitFor({ timeout: 15_000 });
  });

  test("settings: quarantine, a closing day, the devices' idle lock, all as the API says", async () => {
    await openTab(page, "Instellingen");
    const quarantine = page.getByLabel("Quarantaine van oude codes (dagen)");
    await quarantine.waitFor({ timeout: 15_000 });
    const before = await apiGet(context.request, token, "/api/admin/settings");
    assert.equal(await quarantine.inputValue(), String(before.quarantine_days));

    await quarantine.fill("400");
    await page.locator("#planning-settings").getByRole("button", { name: "Bewaren" }).click();
    await page.locator("#settings-error").filter({ hasText: "0 tot 365" }).waitFor();
    assert.equal((await apiGet(context.request, token, "/api/admin/settings")).quarantine_days, before.quarantine_days);

    await quarantine.fill("45");
    await page.locator("#planning-settings").getByRole("button", { name: "Bewaren" }).click();
    await page.locator("#settings-saved").waitFor({ timeout: 15_000 });
    assert.equal((await apiGet(context.request, token, "/api/admin/settings")).quarantine_days, 45);

    await page.getByLabel("Datum").fill("2030-12-24");
    await page.getByLabel("Omschrijving (niet verplicht)").fill("Kerstavond");
    await page.getByRole("button", { name: "Sluitingsdag toevoegen" }).click();
    await page.locator('#closing-days li[data-day="2030-12-24"]').waitFor({ timeout: 15_000 });
    let settings = await apiGet(context.request, token, "/api/admin/settings");
    assert.deepEqual(settings.closing_days, [{ day: "2030-12-24", label: "Kerstavond" }]);
    await screenshot(page, "desk-settings.png");

    await page.locator('#closing-days li[data-day="2030-12-24"] button').click();
    await page.locator("#no-closing-days").waitFor({ timeout: 15_000 });
    settings = await apiGet(context.request, token, "/api/admin/settings");
    assert.deepEqual(settings.closing_days, []);

    // What every device gets: the idle lock, here from 2 to 5 minutes.
    const idle = page.getByLabel("Vergrendelen na (seconden zonder aanraking)");
    assert.equal(await idle.inputValue(), String(settings.idle_lock_secs));
    await idle.fill("10");
    await page.locator("#device-settings").getByRole("button", { name: "Bewaren" }).click();
    await page.locator("#device-settings-error").filter({ hasText: "30 tot 3600" }).waitFor();
    await idle.fill("300");
    await page.locator("#device-settings").getByRole("button", { name: "Bewaren" }).click();
    await page.locator("#device-settings-saved").waitFor({ timeout: 15_000 });
    assert.equal((await apiGet(context.request, token, "/api/admin/settings")).idle_lock_secs, 300);
  });

  test("every section has its URL: back, forward and a reload keep the place", async () => {
    await openTab(page, "Te doen");
    await page.locator("#due-table").waitFor({ timeout: 15_000 });
    assert.ok(page.url().endsWith("/desk/due"), page.url());
    await openTab(page, "Coderuimte");
    assert.ok(page.url().endsWith("/desk/code-space"), page.url());
    await page.goBack();
    await page.getByRole("tab", { name: "Te doen", selected: true }).waitFor();
    await page.locator("#due-table").waitFor({ timeout: 15_000 });
    await page.goForward();
    await page.getByRole("tab", { name: "Coderuimte", selected: true }).waitFor();
    // A safe's history is a link of its own; a reload asks for the PIN and shows it again.
    await page.goto(`/desk/history/${leakedSafe.id}`);
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
    await page.getByLabel("Pincode", { exact: true }).fill(PIN);
    await page.getByRole("button", { name: "Openen" }).click();
    await page.locator(`#safe-history[data-safe="${leakedSafe.id}"]`).waitFor({ timeout: 20_000 });
    await page.getByRole("tab", { name: "Geschiedenis", selected: true }).waitFor();
  });

  test("lock is reachable and no script errors happened", async () => {
    await page.locator("#lock").click();
    await page.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 15_000 });
    assert.deepEqual(pageErrors, []);
  });
});
