// The phone's store is bound to the phone, against the real server in Debian's Chromium:
// the vault's records exported as a script on the page could read them (both IndexedDB
// databases) and imported into a fresh browser profile do not open with the right PIN;
// with Chromium's virtual authenticator (PRF on) the vault needs the passkey and still
// unlocks with the network cut and the server stopped; without PRF the browser's
// non-extractable WebCrypto key binds it.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, phoneContext, screenshot, startServer } from "./support/kluis.mjs";
import {
  coordinatorToken,
  openAndReveal,
  sameButtons,
  search,
  serverCode,
  signInWithPin,
  unlock,
} from "./support/carer.mjs";

const PIN = "482913";

/** The key record (the vault's one plaintext record), parsed. */
async function keyRecord(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("kluis");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("blobs").objectStore("blobs").get("vault.key");
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result ? JSON.parse(new TextDecoder().decode(get.result)) : null);
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/** Everything a script on the page can read out of both databases, as JSON. */
async function exportRecords(page) {
  return page.evaluate(async () => {
    const dump = async (name, store) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) {
            db.close();
            resolve([]);
            return;
          }
          const tx = db.transaction(store);
          const keys = tx.objectStore(store).getAllKeys();
          const values = tx.objectStore(store).getAll();
          tx.oncomplete = () => {
            db.close();
            resolve(
              keys.result.map((key, i) => {
                const value = values.result[i];
                return [key, value instanceof Uint8Array ? { bytes: [...value] } : JSON.parse(JSON.stringify(value))];
              }),
            );
          };
          tx.onerror = () => reject(tx.error);
        };
      });
    return JSON.stringify({ blobs: await dump("kluis", "blobs"), device: await dump("kluis-device", "keys") });
  });
}

/** Writes an export into this profile's databases, as a script could. */
async function importRecords(page, json) {
  await page.evaluate(async (json) => {
    const data = JSON.parse(json);
    const load = (name, store, entries) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(store);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, "readwrite");
          for (const [key, value] of entries) {
            tx.objectStore(store).put(value && value.bytes ? new Uint8Array(value.bytes) : value, key);
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
    await load("kluis", "blobs", data.blobs);
    await load("kluis-device", "keys", data.device);
  }, json);
}

describe("Kluis: the phone's store opens only on the phone", () => {
  let server;
  let browser;

  before(async () => {
    // Tokens normally rotate once 10 minutes old; here on every sync, so the test sees the
    // app store each successor before it uses it.
    server = await startServer({ settings: { KLUIS_TOKEN_ROTATE_AFTER_SECS: "0" } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test("without a passkey the browser's WebCrypto key binds the vault", async () => {
    const context = await phoneContext(browser, { baseURL: server.url });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const bearers = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/api/sync")) bearers.push(request.headers()["authorization"]);
    });
    const login = await signInWithPin(page, "carer.wgk.2", PIN);
    // Every sync hands over the next token, which the app stores before it uses it.
    await page.getByRole("button", { name: "Nu bijwerken" }).click();
    await page.locator("#freshness").filter({ hasText: "Bijgewerkt zonet" }).waitFor({ timeout: 15_000 });
    assert.ok(bearers.length >= 2, `${bearers.length} syncs`);
    assert.equal(bearers[0], `Bearer ${login.token}`);
    assert.ok(new Set(bearers).size >= 2, "the token rotated");
    assert.notEqual(bearers.at(-1), `Bearer ${login.token}`);
    const record = await keyRecord(page);
    assert.equal(record.format, 2);
    assert.match(record.binding.browser_challenge, /^[0-9a-f]{64}$/);
    assert.equal(record.binding.passkey, undefined, "no authenticator, no passkey");
    const key = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open("kluis-device");
          open.onsuccess = () => {
            const get = open.result.transaction("keys").objectStore("keys").get("vault-binding");
            get.onsuccess = () => resolve({ type: get.result?.type, extractable: get.result?.extractable });
          };
        }),
    );
    assert.deepEqual(key, { type: "secret", extractable: false });
    await context.setOffline(true);
    await page.reload();
    await unlock(page, PIN);
    // Back online after a restart, the app syncs with the newest token it stored.
    await context.setOffline(false);
    const before = bearers.length;
    await page.getByRole("button", { name: "Nu bijwerken" }).click();
    await page.locator("#freshness").filter({ hasText: "Bijgewerkt zonet" }).waitFor({ timeout: 15_000 });
    assert.ok(bearers.length > before);
    assert.ok(!bearers.slice(before).includes(bearers[0]), "never the superseded login token");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("records copied into a fresh browser profile do not open with the right PIN", async () => {
    const phone = await phoneContext(browser, { baseURL: server.url });
    const page = await phone.newPage();
    await signInWithPin(page, "carer.wgk.3", PIN);
    const exported = await exportRecords(page);
    const parsed = JSON.parse(exported);
    assert.ok(parsed.blobs.length >= 4, `${parsed.blobs.length} records`);
    assert.equal(parsed.device.length, 1, "the device key's record was read…");
    assert.deepEqual(parsed.device[0][1], {}, "…but a CryptoKey has no bytes to give");

    const elsewhere = await phoneContext(browser, { baseURL: server.url });
    const thief = await elsewhere.newPage();
    await thief.goto("/");
    await thief.getByLabel("Gebruikersnaam").waitFor({ timeout: 20_000 });
    await importRecords(thief, exported);
    await thief.reload();
    await thief.getByRole("heading", { level: 1, name: "Geef je pincode in" }).waitFor({ timeout: 20_000 });
    await thief.getByLabel("Pincode", { exact: true }).fill(PIN);
    await thief.getByRole("button", { name: "Openen" }).click();
    await thief
      .getByText("Deze gegevens horen bij een andere browser of een ander toestel")
      .waitFor({ timeout: 15_000 });
    await thief.getByLabel("Gebruikersnaam").waitFor();
    assert.equal(await thief.getByLabel("Zoek straat of gebouw").count(), 0, "no search screen");
    assert.equal(await keyRecord(thief), null, "the copy was erased");
    await screenshot(thief, "binding-01-copied-store.png");

    // The phone itself still opens, offline.
    await phone.setOffline(true);
    await page.reload();
    await unlock(page, PIN);
    await elsewhere.close();
    await phone.close();
  });

  test("with a passkey (PRF) the vault needs it too, and unlocks offline", async () => {
    // WebAuthn needs a domain as relying party: localhost, not 127.0.0.1.
    const local = server.url.replace("127.0.0.1", "localhost");
    const context = await phoneContext(browser, { baseURL: local });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        ctap2Version: "ctap2_1",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
        hasPrf: true,
      },
    });
    await signInWithPin(page, "carer.wgk.4", PIN);
    const record = await keyRecord(page);
    assert.ok(record.binding.passkey, "a passkey binds the vault");
    assert.match(record.binding.passkey.salt, /^[0-9a-f]{64}$/);
    assert.ok(record.binding.browser_challenge, "and the browser key");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1);
    const signedBefore = credentials[0].signCount;

    // The code the server holds, for a safe this carer sees, before going offline.
    const rows = await search(page, "straat");
    const token = await coordinatorToken(context.request);
    const expected = await serverCode(context.request, token, rows[0].id);

    await context.setOffline(true);
    await server.stop();
    await page.reload();
    await page.getByText("Daarna vraagt je telefoon je vingerafdruk of schermvergrendeling.").waitFor({ timeout: 20_000 });
    const t0 = Date.now();
    await unlock(page, PIN);
    const unlockMs = Date.now() - t0;
    const again = await search(page, "straat");
    const shown = await openAndReveal(page, again[0].id === rows[0].id ? rows[0].id : again[0].id);
    if (again[0].id === rows[0].id) assert.ok(sameButtons(shown, expected), `${shown} vs ${expected}`);
    console.log(`# passkey unlock offline (PIN typed → search screen): ${unlockMs} ms`);
    const later = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.ok(later.credentials[0].signCount > signedBefore, "the passkey was asked at unlock");
    assert.deepEqual(errors, []);
    await screenshot(page, "binding-02-passkey-unlocked.png");
    await context.close();
  });
});
