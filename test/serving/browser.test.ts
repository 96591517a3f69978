/**
 * The web app in a real browser (playwright-core driving Debian's /usr/bin/chromium): pick a user
 * by typing, see recommendation columns with reasons, upload an export. Screenshots of every
 * page go to test-output/ for a human to look at. Skipped when Chromium is not installed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildServer } from "../../src/serving/server.js";
import { buildFixture, type Fixture } from "./fixture-context.js";
import { fixtureExportCsv, XSS_ARTIST } from "./fixture-data.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = fs.existsSync(CHROMIUM);
const OUTPUT = path.resolve(import.meta.dirname, "../../test-output");
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} is missing (install Debian's chromium; .ci/run does)`);

describe.skipIf(!hasChromium)("web app in Chromium", () => {
  let fixture: Fixture;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    fixture = await buildFixture();
    app = await buildServer(fixture.context);
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    // Console errors include CSP violations; dialogs would mean injected script ran.
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    fixture?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true });

  it("picks a user by typing and shows recommendation columns with reasons", async () => {
    await page.goto(base);
    await shot("home");
    const picker = page.getByRole("combobox", { name: "Listener" });
    await picker.click();
    await picker.pressSequentially("listener0", { delay: 30 });
    const options = page.getByRole("option");
    await expect.poll(() => options.count(), { timeout: 15_000 }).toBe(9); // listener01..09
    expect(await options.first().textContent()).toContain("listener01");
    await shot("home-picker");
    await picker.press("ArrowDown");
    await picker.press("ArrowDown");
    await picker.press("Enter");
    expect(await picker.inputValue()).toBe("listener02");
    await page.getByRole("button", { name: "Get recommendations" }).click();
    await page.waitForURL(/\/recommendations\?user=listener02/);
    for (const model of ["svd", "content", "hybrid", "als"]) {
      const column = page.locator(`[data-model="${model}"]`);
      expect(await column.locator(".rec-list li").count(), model).toBe(10);
      expect(await column.locator(".rec-reason").first().textContent(), model).toMatch(/^because you played .+/);
    }
    await shot("recommendations");
  });

  it("applies the controls and follows an item to its similar items", async () => {
    await page.getByLabel("One track per artist").check();
    await page.waitForURL(/perArtist=1/);
    const artists = await page.locator('[data-model="svd"] .rec-title').evaluateAll((links) =>
      links.map((link) => link.textContent!.split(" – ")[0]),
    );
    expect(new Set(artists).size).toBe(artists.length);
    await page.locator('[data-model="content"] .rec-title').first().click();
    await page.waitForURL(/\/similar\?item=/);
    expect(await page.locator('[data-model="content"] .rec-list li').count()).toBeGreaterThan(0);
    await shot("similar");
  });

  it("shows hostile names as text", async () => {
    await page.goto(`${base}/recommendations?user=${encodeURIComponent("<b>mallory</b>")}&k=20`);
    expect(await page.locator("h1").textContent()).toBe("Recommendations for <b>mallory</b>");
    await page.goto(`${base}/insights`);
    expect(await page.locator("svg text", { hasText: XSS_ARTIST }).count()).toBeGreaterThan(0);
    await shot("insights");
  });

  it("uploads an export and shows recommendations from every model", async () => {
    await page.goto(`${base}/upload`);
    await shot("upload-form");
    await page.setInputFiles("#history", { name: "my-scrobbles.csv", mimeType: "text/csv", buffer: Buffer.from(fixtureExportCsv()) });
    await page.getByRole("button", { name: "Get recommendations" }).click();
    await page.waitForSelector(".upload-summary");
    for (const model of ["svd", "content", "hybrid", "als"]) {
      expect(await page.locator(`[data-model="${model}"] .rec-list li`).count(), model).toBe(10);
    }
    await shot("upload-results");
  });

  it("plays a radio from a seed picked by typing, with a listener picked by typing", async () => {
    await page.goto(`${base}/radio`);
    const seed = page.getByRole("combobox", { name: "Seed track or artist" });
    await seed.click();
    await seed.pressSequentially("radioh", { delay: 30 });
    // (The model select's <option>s are options too: count the picker's.)
    const options = page.locator("#seed-1-listbox").getByRole("option");
    await expect.poll(() => options.count(), { timeout: 15_000 }).toBe(5); // the artist and its four tracks
    expect(await options.first().textContent()).toMatch(/^Radioheadartist · \d+ listeners$/);
    await shot("radio-picker");
    await seed.press("ArrowDown");
    await seed.press("Enter");
    expect(await seed.inputValue()).toBe("Radiohead");
    const listener = page.getByRole("combobox", { name: "Listener (optional)" });
    await listener.click();
    await listener.pressSequentially("listener03", { delay: 30 });
    await expect.poll(() => page.locator("#radio-user-listbox").getByRole("option").count(), { timeout: 15_000 }).toBe(1);
    await listener.press("ArrowDown");
    await listener.press("Enter");
    await page.getByRole("button", { name: "Play radio" }).click();
    await page.waitForURL(/\/radio\?seed=Radiohead&(seed=&)?user=listener03/);
    const artists = await page.locator(".radio-list .rec-title").evaluateAll((links) => links.map((link) => link.textContent!.split(" – ")[0]));
    expect(artists.length).toBeGreaterThan(10);
    for (let i = 1; i < artists.length; i++) expect(artists[i]).not.toBe(artists[i - 1]);
    expect(await page.getByRole("link", { name: "XSPF" }).getAttribute("href")).toMatch(/^\/api\/radio\/playlist\?seed=Radiohead&k=30&model=hybrid&user=listener03&format=xspf$/);
    await shot("radio");
  });

  it("ran without console errors, CSP violations or dialogs", () => {
    expect(problems).toEqual([]);
  });
});
