// Steps the coordinator takes on the desktop, for the coordinator browser tests.

import assert from "node:assert/strict";

import { DEMO_PASSWORD } from "./kluis.mjs";

/** A desktop-sized context (1280 x 800, mouse, Dutch) that accepts downloads. */
export async function desktopContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    locale: "nl-BE",
    colorScheme: "light",
    acceptDownloads: true,
    ...options,
  });
}

/** Signs in as `login` on `page`, chooses `pin` and waits for the start screen's level-1
 *  heading `heading` (a string or a RegExp). */
export async function signInTo(page, login, pin, heading, password = DEMO_PASSWORD) {
  await page.goto("/");
  await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible", timeout: 20_000 });
  await page.getByLabel("Gebruikersnaam").fill(login);
  await page.getByLabel("Wachtwoord", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await page.getByRole("heading", { level: 1, name: "Kies een pincode" }).waitFor({ timeout: 15_000 });
  await page.getByLabel("Pincode", { exact: true }).fill(pin);
  await page.getByLabel("Herhaal je pincode").fill(pin);
  await page.getByRole("button", { name: "Pincode bevestigen" }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor({ timeout: 30_000 });
}

/** Signs in as `login` on `page`, chooses `pin` and waits for the coordinator's desktop. */
export async function signInCoordinator(page, pin, login = "coordinator", password = DEMO_PASSWORD) {
  await signInTo(page, login, pin, "Coördinatie", password);
}

/** GETs `path` from the API as the coordinator and returns the JSON. */
export async function apiGet(request, token, path) {
  const response = await request.get(path, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
  return response.json();
}

/** Opens a section of the desktop by its tab's name. */
export async function openTab(page, name) {
  // A tab may carry its count of work waiting: "Meldingen (3 open)".
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await page.getByRole("tab", { name: new RegExp(`^${escaped}(\\s*\\(\\d+ open\\))?$`) }).click();
}

/** Clicks `button` and returns the downloaded file: { name, text }. */
export async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), button.click()]);
  const stream = await file.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
}

/** The lines of a CSV export without its byte-order mark and trailing empty line. */
export function csvLines(text) {
  return text.replace(/^\uFEFF/, "").split("\r\n").filter((line) => line !== "");
}
