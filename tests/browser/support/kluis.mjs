// Helpers for the Kluis browser tests: start the real sync server with demo data and
// the built PWA, and launch Debian's Chromium through playwright-core.
//
// Environment (set by `cargo xtask test`):
//   KLUIS_SERVER_BIN  path of the built sync-server binary (required)
//   KLUIS_WEB_DIR     the built PWA, dist/web (required)
//   KLUIS_CHROMIUM    Chromium binary (default /usr/bin/chromium)
//   KLUIS_ARTIFACTS   where screenshots go (default tests/browser/artifacts)

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));

export const artifactsDir = process.env.KLUIS_ARTIFACTS || path.join(here, "..", "artifacts");

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const DEMO_PASSWORD = "kluis-demo";

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with \`cargo xtask test\``);
  }
  return value;
}

const running = new Set();
// Last line of defence: never leave a server behind, whatever happens to the tests.
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts `sync-server serve --listen 127.0.0.1:0 --data <tmp> --demo --web <dist/web>` and
 * resolves once it printed "Kluis is running: open http://...". `dataDir` serves an existing
 * data directory instead (kept on stop); `demo: false` seeds nothing; `settings` adds `KLUIS_*`
 * environment settings (e.g. `{ KLUIS_TOKEN_ROTATE_AFTER_SECS: "0" }`).
 */
export async function startServer({ timeoutMs = 60_000, dataDir = null, demo = true, settings = {} } = {}) {
  const bin = requiredEnv("KLUIS_SERVER_BIN");
  const webDir = requiredEnv("KLUIS_WEB_DIR");
  // A given data directory belongs to the caller (it outlives this server); a temporary
  // one is removed on stop.
  const data = dataDir ?? (await mkdtemp(path.join(tmpdir(), "kluis-browser-")));
  const removeData = async () => {
    if (!dataDir) await rm(data, { recursive: true, force: true });
  };
  const env = { ...process.env };
  for (const name of ["KLUIS_LISTEN", "KLUIS_DATA", "KLUIS_WEB_DIR", "KLUIS_DEMO"]) delete env[name];
  Object.assign(env, settings);
  const child = spawn(
    bin,
    ["serve", "--listen", "127.0.0.1:0", "--data", data, ...(demo ? ["--demo"] : []), "--web", webDir],
    { stdio: ["ignore", "pipe", "pipe"], env },
  );
  running.add(child);
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server did not get ready within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const onData = (chunk) => {
        output += chunk.toString();
        const match = output.match(/Kluis is running: open (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/+$/, ""));
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${bin}: ${error.message}`));
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    running.delete(child);
    await removeData();
    throw error;
  }

  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
      await removeData();
    },
  };
}

/** Debian's Chromium, headless, with the flags that work on these machines. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.KLUIS_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A phone-sized context (360 x 740, touch, Dutch). */
export async function phoneContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "nl-BE",
    colorScheme: "light",
    ...options,
  });
}

export async function screenshot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Width and height of a PNG, from its IHDR chunk. */
export function pngSize(buffer) {
  const signature = "89504e470d0a1a0a";
  if (buffer.subarray(0, 8).toString("hex") !== signature) throw new Error("not a PNG");
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** For a `describe` block: starts the demo server and Chromium before its tests and stops them
 *  after, failing on any script error a page reported. `suite.page(makeContext)` opens a page
 *  in a new context (`desktopContext`, `phoneContext`) that reports its script errors. */
export function demoSuite() {
  const suite = {
    server: null,
    browser: null,
    pageErrors: [],
    async page(makeContext) {
      const ctx = await makeContext(suite.browser, { baseURL: suite.server.url });
      const page = await ctx.newPage();
      page.on("pageerror", (error) => suite.pageErrors.push(error.message));
      return { ctx, page };
    },
  };
  before(async () => {
    suite.server = await startServer();
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
    assert.deepEqual(suite.pageErrors, [], "no page errors");
  });
  return suite;
}
