// Every desk-side screen of putting a city into service, at phone size: the coordinator's
// registry, a building, the people, the safe models, the import and the confirmation; a
// service admin's start; housing-company staff's start. Each must show its heading and fit
// the width without sideways scrolling. Real server, demo data, Chromium.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { phoneContext, screenshot, demoSuite } from "./support/kluis.mjs";
import { openTab, signInCoordinator, signInTo } from "./support/desk.mjs";

/** The page is no wider than the screen (tables scroll inside their own frame). */
async function fitsWidth(page, name) {
  const { scroll, view } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    view: window.innerWidth,
  }));
  assert.ok(scroll <= view + 1, `${name}: ${scroll} px wide on a ${view} px screen`);
}

describe("Kluis desk screens at phone size", () => {
  const suite = demoSuite();

  test("the coordinator's registry, people, models, import and confirmation", async () => {
    const { ctx, page } = await suite.page(phoneContext);
    await signInCoordinator(page, "739164");

    await openTab(page, "Register");
    await page.getByRole("heading", { name: "Gebouwen en kluizen" }).waitFor();
    await fitsWidth(page, "registry");
    await screenshot(page, "phone-registry.png");

    await page.locator("#building-table tbody tr th button").first().click();
    await page.locator("#building-services").waitFor();
    await fitsWidth(page, "building");
    await screenshot(page, "phone-building.png");

    await openTab(page, "Register");
    await page.getByRole("button", { name: "Kluismodellen" }).click();
    await page.getByRole("heading", { name: "Kluismodellen" }).waitFor();
    await fitsWidth(page, "models");
    await screenshot(page, "phone-models.png");

    await openTab(page, "Organisaties en mensen");
    await page.getByRole("heading", { name: "Organisaties en mensen" }).waitFor();
    await fitsWidth(page, "people");
    await screenshot(page, "phone-people.png");

    await page.getByRole("button", { name: "Halfjaarlijkse bevestiging" }).click();
    await page.getByRole("heading", { name: "Halfjaarlijkse bevestiging" }).waitFor();
    await fitsWidth(page, "confirmation");
    await screenshot(page, "phone-confirmation.png");
    await ctx.close();
  });

  test("a service admin's and housing-company staff's start screens", async () => {
    for (const [login, pin, heading, name] of [
      ["admin.wgk", "271828", /Mijn dienst — Wit-Gele Kruis/, "phone-team.png"],
      ["staff.woningent", "905172", "WoninGent", "phone-company.png"],
    ]) {
      const { ctx, page } = await suite.page(phoneContext);
      await signInTo(page, login, pin, heading);
      await page.getByRole("table").first().waitFor();
      await fitsWidth(page, login);
      await screenshot(page, name);
      await ctx.close();
    }
  });
});
