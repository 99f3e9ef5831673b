// The first shell of the Kluis PWA against the real sync server (demo data):
// page load, manifest, service worker, sign in / wrong password / choose a PIN / home /
// sign out, language switch.
// Screenshots at 360 x 740 go to tests/browser/artifacts/.
//
// Run through `cargo xtask test` (it builds the server and dist/web and sets the env).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { DEMO_PASSWORD, launchBrowser, phoneContext, pngSize, screenshot, startServer } from "./support/kluis.mjs";

const CARER = "carer.wgk.1";

describe("Kluis app shell", () => {
  let server;
  let browser;
  let context;
  let page;
  const pageErrors = [];
  const consoleErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await phoneContext(browser, { baseURL: server.url });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
  });

  after(async () => {
    // Close everything even when a step fails; the server last (it holds the port).
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("the page loads and shows the branded login screen", async () => {
    const response = await page.goto("/");
    assert.equal(response.status(), 200);
    await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible", timeout: 20_000 });
    assert.equal(await page.locator("#boot").isHidden(), true, "the loading splash is gone");
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Aanmelden");
    assert.equal(await page.locator("html").getAttribute("lang"), "nl-BE");
    assert.ok(await page.getByLabel("Wachtwoord", { exact: true }).isVisible());
    assert.ok(await page.getByRole("button", { name: "Aanmelden" }).isVisible());

    // Big touch targets (>= 44 px) for every control on the screen.
    for (const control of await page.locator("button, input").all()) {
      const box = await control.boundingBox();
      const name = (await control.getAttribute("id")) || (await control.innerText());
      assert.ok(box.height >= 44, `${name} is ${box.height} px high`);
      assert.ok(box.width >= 44, `${name} is ${box.width} px wide`);
    }
    // Nothing sticks out sideways at 360 px.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 360, `page is ${scrollWidth} px wide`);
    await screenshot(page, "01-login.png");
  });

  test("manifest.json is linked and valid", async () => {
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    assert.equal(href, "/manifest.json");
    const response = await context.request.get(href);
    assert.equal(response.status(), 200);
    const manifest = await response.json();
    assert.equal(manifest.name, "Kluis — sleutelkluisjes");
    assert.equal(manifest.short_name, "Kluis");
    assert.equal(manifest.start_url, "/");
    assert.equal(manifest.scope, "/");
    assert.equal(manifest.display, "standalone");
    assert.equal(manifest.lang, "nl-BE");
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);

    const wanted = [
      { sizes: "192x192", purpose: "any" },
      { sizes: "512x512", purpose: "any" },
      { sizes: "512x512", purpose: "maskable" },
    ];
    for (const { sizes, purpose } of wanted) {
      const icon = manifest.icons.find(
        (candidate) =>
          candidate.sizes === sizes &&
          candidate.type === "image/png" &&
          (candidate.purpose || "any").split(/\s+/).includes(purpose),
      );
      assert.ok(icon, `an icon ${sizes} for ${purpose}`);
      const image = await context.request.get(icon.src);
      assert.equal(image.status(), 200, icon.src);
      assert.match(image.headers()["content-type"], /image\/png/);
      const { width, height } = pngSize(await image.body());
      assert.equal(`${width}x${height}`, sizes, `${icon.src} has the size it claims`);
    }
  });

  test("the service worker registers and controls the page after a reload", async () => {
    const scriptURL = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.active.scriptURL;
    });
    assert.equal(new URL(scriptURL).pathname, "/sw.js");
    await page.reload();
    await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible", timeout: 20_000 });
    const state = await page.evaluate(async () => {
      const controller = navigator.serviceWorker.controller;
      const names = await caches.keys();
      const shell = names.find((name) => name.startsWith("kluis-shell-"));
      const cached = shell ? (await (await caches.open(shell)).keys()).map((request) => new URL(request.url).pathname) : [];
      return { controlled: !!controller, scriptURL: controller && controller.scriptURL, shell, cached };
    });
    assert.equal(state.controlled, true, "the page is controlled by the service worker");
    assert.equal(new URL(state.scriptURL).pathname, "/sw.js");
    assert.ok(state.shell, "an app-shell cache exists");
    for (const needed of ["/index.html", "/manifest.json"]) {
      assert.ok(state.cached.includes(needed), `${needed} is precached`);
    }
    assert.ok(state.cached.some((file) => /^\/kluis-[0-9a-f]{16}_bg\.wasm$/.test(file)), "the wasm is precached");
    assert.ok(state.cached.some((file) => /^\/kluis-[0-9a-f]{16}\.js$/.test(file)), "the js glue is precached");
  });

  test("the language switch turns the screen into English and back", async () => {
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    assert.ok(await page.getByLabel("Username").isVisible());
    await screenshot(page, "02-login-english.png");
    await page.getByRole("button", { name: "Nederlands" }).click();
    await page.getByRole("heading", { level: 1, name: "Aanmelden" }).waitFor();
  });

  test("a wrong password is said in the user's language", async () => {
    const api = await context.request.post("/api/login", {
      data: { login: CARER, password: "not-the-password", device_name: "browser test (api)" },
    });
    assert.equal(api.status(), 401);
    assert.equal((await api.json()).code, "invalid_credentials");

    const alertText = async () => {
      const alert = page.getByRole("alert");
      await alert.waitFor({ timeout: 15_000 });
      return (await alert.innerText()).replace(/^!\s*/, "").trim();
    };
    await page.getByLabel("Gebruikersnaam").fill(CARER);
    await page.getByLabel("Wachtwoord", { exact: true }).fill("also-not-the-password");
    await page.getByRole("button", { name: "Aanmelden" }).click();
    assert.equal(await alertText(), "Onbekende gebruikersnaam of fout wachtwoord.");
    await screenshot(page, "03-wrong-password.png");

    await page.getByRole("button", { name: "English" }).click();
    await page.getByLabel("Password", { exact: true }).fill("still-not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Unknown username or wrong password." }).waitFor();
    await page.getByRole("button", { name: "Nederlands" }).click();
  });

  test(`signing in as ${CARER} asks for a PIN, then shows the home screen`, async () => {
    const api = await context.request.post("/api/login", {
      data: { login: CARER, password: DEMO_PASSWORD, device_name: "browser test (api)" },
    });
    assert.equal(api.status(), 200);
    const { person } = await api.json();

    await page.getByLabel("Gebruikersnaam").fill(CARER);
    await page.getByLabel("Wachtwoord", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Aanmelden" }).click();
    await page.getByRole("heading", { level: 1, name: "Kies een pincode" }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("#pin").getAttribute("inputmode"), "numeric");
    await screenshot(page, "04-choose-pin.png");
    await page.getByLabel("Pincode", { exact: true }).fill("482913");
    await page.getByLabel("Herhaal je pincode").fill("482913");
    await page.getByRole("button", { name: "Pincode bevestigen" }).click();

    await page.getByRole("heading", { level: 1, name: "Zoek straat of gebouw" }).waitFor({ timeout: 30_000 });
    await page.locator("#signed-in-as").filter({ hasText: `Aangemeld als ${person.name}` }).waitFor();
    await page.locator("#safe-count").filter({ hasText: /^\d+ sleutelkluisjes$/ }).waitFor({ timeout: 30_000 });
    await page.locator("#freshness").filter({ hasText: "Bijgewerkt zonet" }).waitFor({ timeout: 15_000 });

    // localStorage holds the language choice only: the token, the data and even the time of
    // the last sync live in the encrypted vault.
    const stored = await page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(stored.filter((key) => key !== "kluis.lang"), []);
    await screenshot(page, "05-home.png");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "05-home-dark.png");
    await page.emulateMedia({ colorScheme: "light" });
  });

  test("signing out returns to the login screen", async () => {
    await page.getByRole("button", { name: "Afmelden" }).click();
    await page.getByLabel("Gebruikersnaam").waitFor({ state: "visible" });
    assert.equal(await page.getByLabel("Wachtwoord", { exact: true }).inputValue(), "");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "06-login-dark.png");
  });

  test("no script errors happened", () => {
    assert.deepEqual(pageErrors, []);
    // A 401 on the wrong password is logged by Chromium as a failed resource; ignore those.
    const unexpected = consoleErrors.filter((text) => !/status of 401/.test(text));
    assert.deepEqual(unexpected, []);
  });
});
