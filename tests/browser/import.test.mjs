// The coordinator imports a registry file on the desktop: a file with errors shows each one by
// line and column and cannot be applied; the corrected file is checked, applied in one go and
// its building is in the registry. The export comes back in the same format, and the export
// with codes asks for the password again. A new safe model is added, and one service made
// active at several buildings at once. Real server, demo data, Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { screenshot, DEMO_PASSWORD, demoSuite } from "./support/kluis.mjs";
import { csvLines, desktopContext, download, openTab, signInCoordinator } from "./support/desk.mjs";

const HEADER = "straat;huisnummers;postcode;gemeente;wijk;appartementen;eigenaar;model;plaats;status;geplaatst op;code;code sinds;diensten";
const GOOD = [
  "Rabotstraat;2, 4, 6;9000;Gent;Rabot;14;WoninGent;Supra KeySafe Pro;links van de deur;;01/03/2024;;;Wit-Gele Kruis",
  "Rabotstraat;12bis;9000;Gent;Rabot;4;Gentse Haard;;;;;;;",
];

function file(name, lines) {
  return { name, mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${[HEADER, ...lines].join("\r\n")}\r\n`, "utf8") };
}

describe("Kluis registry import on the desktop", () => {
  const suite = demoSuite();

  test("a file with errors is shown line by line; the corrected file applies and exports back", async () => {
    const { ctx, page } = await suite.page(desktopContext);
    await signInCoordinator(page, "739164");
    await openTab(page, "Register");
    await page.getByRole("button", { name: "Importeren en exporteren" }).click();
    await page.getByRole("heading", { name: "Register importeren en exporteren" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/desk/import");

    // Two bad lines: an unknown housing company and a date that does not exist.
    const bad = [GOOD[0].replace("WoninGent", "Onbekende Haard"), GOOD[1].replace(";;;;;;;", ";;;;31/02/2024;;;")];
    await page.getByLabel("Bestand kiezen").setInputFiles(file("fout.csv", bad));
    const errors = page.getByRole("table", { name: "Fouten: er wordt niets toegepast" });
    await errors.waitFor();
    const rows = await errors.locator("tbody tr").allInnerTexts();
    assert.equal(rows.length, 2, rows.join("\n"));
    assert.match(rows[0], /^2\s+eigenaar\s+/);
    assert.match(rows[1], /^3\s+geplaatst op\s+Geen datum/);
    assert.match(await page.locator("#import-error-count").innerText(), /2 fouten/);
    assert.equal(await page.getByRole("button", { name: "Toepassen" }).count(), 0, "nothing to apply");
    await screenshot(page, "import-01-errors.png");

    // The corrected file: the dry run says what happens, then it applies in one go.
    await page.getByLabel("Bestand kiezen").setInputFiles(file("goed.csv", GOOD));
    const plan = page.getByRole("table", { name: "Wat er verandert" });
    await plan.waitFor();
    assert.match(await page.locator("#import-summary").innerText(), /^2 regels: 2 nieuwe gebouwen, 1 nieuwe kluis; 1 dienst erbij op een adres\.$/);
    assert.match(await plan.locator("tbody tr").first().innerText(), /Rabotstraat 2, 4, 6, 9000 Gent\s+nieuw\s+nieuw\s+\+ Wit-Gele Kruis/);
    await page.getByRole("button", { name: "Toepassen" }).click();
    await page.getByRole("status").filter({ hasText: "Het bestand is toegepast." }).waitFor();
    await screenshot(page, "import-02-applied.png");

    // The registry shows it, and the export holds it in the import's format, without codes.
    const exported = await download(page, page.getByRole("button", { name: "Register exporteren" }));
    const lines = csvLines(exported.text);
    assert.equal(lines[0], HEADER.replace(";code;", ";"));
    assert.ok(lines.some((l) => l.startsWith("Rabotstraat;2, 4, 6;9000;Gent;Rabot;14;WoninGent;Supra KeySafe Pro;links van de deur;geplaatst;01/03/2024;;Wit-Gele Kruis")), lines.slice(0, 3).join("\n"));
    await page.locator("#registry-export-done").filter({ hasText: /regels bewaard in kluis-register-/ }).waitFor();

    // With codes: the password again; a wrong one exports nothing.
    await page.getByLabel("Uw wachtwoord").fill("niet-het-wachtwoord");
    await page.getByRole("button", { name: "Exporteren met codes" }).click();
    await page.locator("#codes-export-done").filter({ hasText: "Dat wachtwoord klopt niet." }).waitFor();
    await page.getByLabel("Uw wachtwoord").fill(DEMO_PASSWORD);
    const secret = await download(page, page.getByRole("button", { name: "Exporteren met codes" }));
    assert.match(secret.name, /^kluis-register-met-codes-/);
    assert.equal(csvLines(secret.text)[0], HEADER);
    assert.equal(await page.getByLabel("Uw wachtwoord").inputValue(), "", "the password is not kept");

    await openTab(page, "Register");
    await page.getByLabel("Zoek adres, wijk of eigenaar").fill("rabotstr 12");
    await page.getByRole("table").getByRole("button", { name: /Rabotstraat 12bis/ }).waitFor();

    // The screen at phone size too.
    await page.getByRole("button", { name: "Importeren en exporteren" }).click();
    await page.getByRole("heading", { name: "Register importeren en exporteren" }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "import-03-phone.png");
    await ctx.close();
  });

  test("the coordinator adds a safe model and makes a service active at chosen buildings", async () => {
    const { ctx, page } = await suite.page(desktopContext);
    await signInCoordinator(page, "739164");
    await openTab(page, "Register");
    await page.getByRole("button", { name: "Kluismodellen" }).click();
    const models = page.getByRole("table", { name: "Kluismodellen" });
    await models.getByRole("row", { name: /Supra KeySafe Pro/ }).first().waitFor();
    assert.equal(new URL(page.url()).pathname, "/desk/models");

    const form = page.locator("#new-model");
    await form.getByLabel("Naam van het model").fill("Keysafe Mini");
    await form.getByLabel("Knoppen, in de volgorde op de kluis").fill("1234567890AB");
    await form.getByLabel("Kortste code (knoppen)").fill("8");
    await form.getByLabel("Langste code (knoppen)").fill("4");
    await form.getByRole("button", { name: "Model toevoegen" }).click();
    await form.getByRole("alert").waitFor();
    assert.equal(await models.getByRole("row", { name: /Keysafe Mini/ }).count(), 0, "refused");
    await form.getByLabel("Kortste code (knoppen)").fill("4");
    await form.getByLabel("Langste code (knoppen)").fill("6");
    await form.getByRole("button", { name: "Model toevoegen" }).click();
    await form.getByRole("status").filter({ hasText: "Toegevoegd." }).waitFor();
    const mini = models.getByRole("row", { name: /Keysafe Mini/ });
    await mini.waitFor();
    assert.match(await mini.innerText(), /1234567890AB\s+4 tot 6 knoppen\s+niet opgegeven\s+0/);
    await screenshot(page, "models-01.png");

    // One service at the buildings chosen in the list, at once.
    await page.getByRole("button", { name: "Terug naar het register" }).click();
    await page.getByLabel("Zoek adres, wijk of eigenaar").fill("rabotstraat");
    const table = page.locator("#building-table");
    await table.getByRole("button", { name: /Rabotstraat 12bis/ }).waitFor();
    // The demo has a Rabotstraat too: choose the two imported entrances one by one.
    await page.getByLabel("Kies Rabotstraat 12bis, 9000 Gent").check();
    await page.getByLabel("Kies Rabotstraat 2, 4, 6, 9000 Gent").check();
    await page.locator("#bulk-count").filter({ hasText: "2 gebouwen gekozen" }).waitFor();
    await page.getByLabel("Dienst voor de gekozen gebouwen").selectOption({ label: "i-mens" });
    await page.getByRole("button", { name: "Actief maken" }).click();
    await page.locator("#bulk-services").getByRole("status").filter({ hasText: "Bewaard: 2 erbij, 0 eraf." }).waitFor();
    const row = table.locator("tr", { has: page.getByRole("button", { name: /Rabotstraat 12bis/ }) });
    await row.filter({ hasText: "i-mens" }).waitFor();
    await page.locator("#bulk-count").filter({ hasText: "0 gebouwen gekozen" }).waitFor();
    await screenshot(page, "bulk-01.png");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "bulk-02-phone.png");
    await ctx.close();
  });
});
