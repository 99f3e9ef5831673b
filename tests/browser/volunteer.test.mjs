// The two-phase code change end to end against the real server (demo data, which runs a
// campaign with a round for volunteer.1): the volunteer's phone goes offline, records two
// changes and one failure, comes back online; a carer's phone that stayed open shows the
// campaign's new code only as the marked fallback below the current one until the volunteer
// confirmed, then as the code without a reload, with the old one as "vorige code". The
// failure becomes a repair item.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, phoneContext, screenshot, startServer } from "./support/kluis.mjs";
import {
  coordinatorToken,
  openAndReveal,
  sameButtons,
  search,
  serverCode,
  shownCode,
  signInWithPin,
} from "./support/carer.mjs";

const VOLUNTEER = "volunteer.1";
const CARERS = ["carer.wgk.1", "carer.imens.1", "carer.partena.1", "carer.wgc.1", "carer.zelfstandigen.1"];
const PIN = "615284";

/** Rows of the volunteer's first round: [{ id, title }] in route order. */
async function roundRows(page) {
  const round = page.locator(".round").first();
  await round.waitFor({ timeout: 30_000 });
  return round.locator(".safe-row").evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.dataset.safe,
      title: row.querySelector(".safe-row-title").textContent.replace(/^\d+\.\s*/, ""),
    })),
  );
}

/** On a volunteer's item screen: { current, next } codes as shown. */
async function itemCodes(page) {
  await page.locator("#new-code .key").first().waitFor();
  const keys = async (id) => (await page.locator(`#${id} .key`).allInnerTexts()).join("");
  return { current: await keys("current-code"), next: await keys("new-code") };
}

describe("Kluis two-phase code change", () => {
  let server;
  let browser;
  let volunteerContext;
  let volunteer;
  let carerContext;
  let carer;
  let token;
  let items;
  let watched; // { id, title, before, next }: the safe the carer watches
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    volunteerContext = await phoneContext(browser, { baseURL: server.url });
    volunteer = await volunteerContext.newPage();
    volunteer.on("pageerror", (error) => pageErrors.push(`volunteer: ${error.message}`));
    carerContext = await phoneContext(browser, { baseURL: server.url });
    carer = await carerContext.newPage();
    carer.on("pageerror", (error) => pageErrors.push(`carer: ${error.message}`));
    token = await coordinatorToken(volunteerContext.request);
  });

  after(async () => {
    await volunteerContext?.close().catch(() => {});
    await carerContext?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("the volunteer sees their round with both codes for each safe", async () => {
    await signInWithPin(volunteer, VOLUNTEER, PIN, undefined, { waitFor: "rounds" });
    items = await roundRows(volunteer);
    assert.ok(items.length >= 3, `${items.length} safes in the round`);
    await screenshot(volunteer, "volunteer-01-rounds.png");
  });

  test("a carer who serves one of those safes sees its current code first", async () => {
    for (const login of CARERS) {
      await signInWithPin(carer, login, PIN);
      for (const item of items.slice(0, 3)) {
        const number = item.title.match(/\s(\d+)/);
        const rows = await search(carer, number ? `${item.title.replace(/\s+\d.*$/, "")} ${number[1]}` : item.title);
        if (rows.some((row) => row.id === item.id)) {
          watched = item;
          break;
        }
      }
      if (watched) break;
      await carer.getByRole("button", { name: "Afmelden" }).click();
      await carer.getByLabel("Gebruikersnaam").waitFor();
    }
    assert.ok(watched, "some carer serves one of the first three safes of the round");
    watched.before = await openAndReveal(carer, watched.id);
    assert.ok(sameButtons(watched.before, await serverCode(carerContext.request, token, watched.id)));
  });

  test("offline, the volunteer records two changes and one failure", async () => {
    const others = items.filter((item) => item.id !== watched.id);
    const changes = [watched, others[0]];
    const failure = others[1];
    await volunteerContext.setOffline(true);

    for (const item of changes) {
      await volunteer.locator(`.safe-row[data-safe="${item.id}"]`).first().click();
      const codes = await itemCodes(volunteer);
      if (item.id === watched.id) {
        watched.next = codes.next;
        assert.ok(sameButtons(codes.current, watched.before), "opens with the code carers have now");
        assert.ok(!sameButtons(codes.next, watched.before), "the new code differs");
        await screenshot(volunteer, "volunteer-02-item.png");
        // The carer's phone has the same new code, marked, below the one to try first.
        const carerNew = (await carer.locator("#new-code .key").allInnerTexts()).join("");
        assert.ok(sameButtons(carerNew, codes.next), `carer's new code ${carerNew}`);
        assert.ok(sameButtons(await shownCode(carer), watched.before), "current code first");
        await carer.getByRole("heading", { name: /Nieuwe code/ }).waitFor();
        await screenshot(carer, "volunteer-02-carer-new-code-below.png");
      }
      await volunteer.getByRole("button", { name: "Gewijzigd", exact: true }).click();
      await volunteer.locator("#item-status").filter({ hasText: "nog te versturen" }).waitFor();
      await volunteer.getByRole("button", { name: "Terug naar de ronde" }).click();
    }

    await volunteer.locator(`.safe-row[data-safe="${failure.id}"]`).first().click();
    await volunteer.getByRole("button", { name: "Niet gelukt" }).click();
    await volunteer.getByLabel("Kluis defect").check();
    await volunteer.getByLabel("Opmerking (niet verplicht)").fill("Deksel klemt, knoppen 3 en 7 reageren niet");
    await screenshot(volunteer, "volunteer-03-failed.png");
    await volunteer.getByRole("button", { name: "Bewaar: niet gelukt" }).click();
    await volunteer.locator("#item-status").filter({ hasText: "Kluis defect" }).waitFor();
    await volunteer.getByRole("button", { name: "Terug naar de ronde" }).click();
    await screenshot(volunteer, "volunteer-04-offline-round.png");

    // Nothing reached the server: the carer still has the old code, on the server too.
    assert.ok(sameButtons(await serverCode(carerContext.request, token, watched.id), watched.before));
    assert.ok(sameButtons(await shownCode(carer), watched.before));
    watched.failure = failure;
  });

  test("back online: the open carer screen turns to the new code, the old one as previous", async () => {
    await volunteerContext.setOffline(false);
    await carer.waitForFunction(
      (expected) => {
        const keys = [...document.querySelectorAll("#code .key")].map((k) => k.textContent).join("");
        return [...keys].sort().join("") === [...expected].sort().join("");
      },
      watched.next,
      { timeout: 30_000 },
    );
    const previous = (await carer.locator("#previous-code .key").allInnerTexts()).join("");
    assert.ok(sameButtons(previous, watched.before), `previous ${previous}`);
    assert.equal(await carer.locator("#new-code").count(), 0, "no new code left once it is set");
    assert.ok(sameButtons(await serverCode(carerContext.request, token, watched.id), watched.next));
    await screenshot(carer, "volunteer-05-carer-new-code.png");

    // The volunteer's list now shows the server's word.
    await volunteer
      .locator(`.safe-row[data-safe="${watched.id}"] .chip-done`)
      .waitFor({ timeout: 30_000 });
    await screenshot(volunteer, "volunteer-06-synced-round.png");
  });

  test("the failure became a repair item for the housing company", async () => {
    const response = await volunteerContext.request.get("/api/admin/repairs", {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(response.status(), 200);
    const body = await response.json();
    const repairs = Array.isArray(body) ? body : body.repairs ?? body.items ?? [];
    assert.ok(
      repairs.some((repair) => JSON.stringify(repair).includes(watched.failure.id)),
      "a repair item names the broken safe",
    );
  });

  test("no script errors happened", () => {
    assert.deepEqual(pageErrors, []);
  });
});
