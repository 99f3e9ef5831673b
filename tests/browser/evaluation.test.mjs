// The yearly evaluation (rule 10) on the coordinator's desk: the report of the demo's year
// with its sentences, charts and tables, another year and a chosen period, the CSV export,
// and the printed report (Chromium's print to PDF on A4, the charts on their pages). Against
// the real server (demo data with a past year) in Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { screenshot, demoSuite } from "./support/kluis.mjs";
import { csvLines, desktopContext, download, openTab, signInCoordinator } from "./support/desk.mjs";

const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;

/** The pages of a PDF file, by their page objects. */
function pdfPages(bytes) {
  const text = bytes.toString("latin1");
  return (text.match(/\/Type\s*\/Page[^s]/g) || []).length;
}

describe("Kluis: the yearly evaluation", () => {
  const suite = demoSuite();

  test("the coordinator reads, changes, exports and prints the yearly report", async () => {
    const { page } = await suite.page(desktopContext);
    await signInCoordinator(page, "739164");
    await openTab(page, "Jaarverslag");
    assert.equal(new URL(page.url()).pathname, "/desk/evaluation");
    const year = new Date().getFullYear();
    const report = page.getByRole("article", { name: `Jaarverslag ${year}` });
    await report.waitFor();

    // Words a council member reads, and the charts with the tables behind them.
    const summary = report.locator("#eval-summary");
    assert.match(await summary.innerText(), /hingen er \d+ sleutelkluizen/);
    assert.match(await summary.innerText(), /\d+ thuiszorgdiensten werkten met Kluis/);
    await report.getByRole("img", { name: "Sleutelkluizen aan het einde van elke maand" }).waitFor();
    await report.getByRole("img", { name: "Code bekeken per maand, alle diensten samen" }).waitFor();
    const points = await report.locator(".chart-line").getAttribute("points");
    assert.equal(points.trim().split(/\s+/).length, 12, "a point per month");
    const bars = report.getByRole("img", { name: "Code bekeken per maand, alle diensten samen" }).locator("rect");
    assert.equal(await bars.count(), 12, "a bar per month");
    await screenshot(page, "evaluation-01-desk.png");
    const reveals = report.getByRole("table", { name: "Code bekeken, per dienst en per maand" });
    await reveals.waitFor();
    assert.ok((await reveals.locator("tbody tr").count()) >= 1, "the demo's year has reveals");
    const codes = report.locator("#eval-codes-table");
    assert.match(await codes.innerText(), /Halfjaarlijkse wissel/);
    assert.match(await codes.innerText(), /op tijd \(\d+%\)|niet gemeten/);

    // Another year, then a chosen period: the heading follows.
    await page.getByLabel("Jaar", { exact: true }).selectOption(String(year - 1));
    await page.getByRole("article", { name: `Jaarverslag ${year - 1}` }).waitFor();
    await page.getByLabel("Van", { exact: true }).fill(`${year}-03-01`);
    await page.getByLabel("Tot en met", { exact: true }).fill(`${year}-05-31`);
    await page.getByRole("button", { name: "Toon", exact: true }).click();
    const period = page.getByRole("article", { name: `Verslag van 01/03/${year} tot en met 31/05/${year}` });
    await period.waitFor();
    assert.equal((await period.locator(".chart-line").getAttribute("points")).trim().split(/\s+/).length, 3);
    await page.getByLabel("Van", { exact: true }).fill(`${year}-06-01`);
    await page.getByRole("button", { name: "Toon", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "De begindatum ligt na de einddatum" }).waitFor();
    await page.getByLabel("Jaar", { exact: true }).selectOption(String(year));
    await report.waitFor();

    // The CSV holds the same figures.
    const file = await download(page, page.getByRole("button", { name: "Exporteer CSV" }));
    assert.match(file.name, /\.csv$/);
    const lines = csvLines(file.text);
    assert.ok(lines.length >= 10, file.text);
    assert.ok(lines.every((l) => l.includes(";")), "Belgian Excel: `;` between columns");

    // Printed on A4: only the report, the charts on its pages.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".desk-nav").isVisible(), false, "no tabs on paper");
    assert.equal(await page.locator(".eval-controls").isVisible(), false, "no controls on paper");
    assert.ok(await report.locator(".eval-svg").first().isVisible());
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    await writeFile(join(ARTIFACTS, "evaluation-report.pdf"), pdf);
    const pages = pdfPages(pdf);
    assert.ok(pages >= 2 && pages <= 8, `the report prints on a few A4 pages (${pages})`);
    assert.match(pdf.toString("latin1"), /MediaBox\s*\[\s*0 0 595\.\d+ 84[12]\.\d+/, "A4");
    await screenshot(page, "evaluation-02-print.png");
    await page.emulateMedia({ media: "screen" });

    // On a phone-sized screen the report still reads (the wide tables scroll).
    await page.setViewportSize({ width: 390, height: 844 });
    await report.getByRole("img", { name: "Sleutelkluizen aan het einde van elke maand" }).waitFor();
    await screenshot(page, "evaluation-03-phone.png");
  });
});
