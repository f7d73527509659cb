/**
 * The report in a real headless Chromium (Debian's package, driven by
 * playwright-core): it renders, the charts are there with one bar per variant,
 * nothing is logged to the console, and nothing at all is requested.
 * Needs /usr/bin/chromium: scripts/test.sh installs it (scripts/setup-test-deps.sh).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleLabRun, sampleRun } from "../test-helpers/sample-data.js";
import { renderReportHtml } from "./render.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "../../../test-artifacts");

describe("HTML report in headless Chromium", () => {
  let browser: BrowserContext;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "slimstage-report-"));
    // A fresh profile in a temp dir (removed afterwards), as playwright wants it for a user data dir.
    browser = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      headless: true,
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
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders the charts and tables with no console error and no request", async () => {
    const run = sampleRun();
    const file = join(dir, "report.html");
    writeFileSync(file, renderReportHtml(run));

    const page = await browser.newPage();
    const messages: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") messages.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
    // Every request but the report file itself fails the test (and is aborted).
    await page.route("**/*", async (route) => {
      const url = route.request().url();
      if (url === `file://${file}`) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page.on("request", (r) => {
      if (r.url() !== `file://${file}`) requests.push(r.url());
    });

    await page.goto(`file://${file}`, { waitUntil: "load" });

    // The hostile title stayed text: no script ran, the title is the escaped text.
    expect(await page.title()).toContain("<script>");
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);

    await expect.poll(() => page.locator("h1").textContent()).toContain("lab 003");
    const names = run.variants.map((v) => v.name);
    for (const id of ["chart-size", "chart-build-only", "chart-startup", "chart-memory"]) {
      const bars = page.locator(`svg#${id} g.bar`);
      expect(await bars.count(), id).toBe(names.length);
      expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute("data-variant")))).toEqual(names);
      // Drawn, not just present: the chart has a real size on the page.
      const box = await page.locator(`svg#${id}`).boundingBox();
      expect(box?.width ?? 0, id).toBeGreaterThan(300);
      expect(box?.height ?? 0, id).toBeGreaterThan(50);
    }
    // The stacked chart's segments: the baseline's widest segment is OS packages.
    const segs = page.locator('svg#chart-size g.bar[data-variant="single"] rect.seg');
    expect(await segs.count()).toBe(5);
    const widths = await segs.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(widths.every((w) => w > 0)).toBe(true);
    expect(Math.max(...widths)).toBe(widths[0]);
    // Start-up: two measured bars, the failed and unverified ones drawn as notes.
    expect(await page.locator("svg#chart-startup rect.fill").count()).toBe(2);
    expect(await page.locator("svg#chart-layers g.bar[data-layer]").count()).toBe(10);
    expect(await page.locator("#summary tbody tr").count()).toBe(names.length);
    expect(await page.locator("#summary tbody tr.failed").count()).toBe(1);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
    await page.close();

    expect(messages).toEqual([]);
    expect(requests).toEqual([]);
  }, 120_000);

  for (const [name, width] of [
    ["desktop", 1280],
    ["narrow", 390],
  ] as const) {
    it(`leads with the lab's verdicts, at ${name} width (${width}px), with no request and no console error`, async () => {
      const run = sampleLabRun();
      const file = join(dir, `lab-${name}.html`);
      writeFileSync(file, renderReportHtml(run));
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 900 });
      const messages: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") messages.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
      await page.route("**/*", async (route) => {
        const url = route.request().url();
        if (url === `file://${file}`) return route.continue();
        requests.push(url);
        return route.abort();
      });
      await page.goto(`file://${file}`, { waitUntil: "load" });

      // The first section is the verdicts, every claim in it, and it is on the first screen.
      expect(await page.locator("h2").first().getAttribute("id")).toBe("verdicts");
      const cards = page.locator("li.claim");
      expect(await cards.count()).toBe(run.claims?.length);
      const firstCard = await cards.first().boundingBox();
      expect(firstCard?.y ?? 9999).toBeLessThan(900);
      expect(await page.locator("li.claim.unexpected").count()).toBe(2);
      expect(await page.locator('li.claim[data-claim="slim-works"] .expect.bad').textContent()).toBe(
        "expected TRUE · found FALSE · NOT AS EXPECTED",
      );
      for (const card of await cards.all()) {
        const box = await card.boundingBox();
        // Drawn inside the viewport's width, not cut off.
        expect(box?.width ?? 0).toBeGreaterThan(200);
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
      }
      // One treemap per variant, with drawn cells.
      for (let i = 0; i < run.variants.length; i++) {
        const cells = page.locator(`svg#treemap-${i} g.cell rect`);
        expect(await cells.count()).toBeGreaterThan(0);
        const widths = await cells.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
        expect(Math.max(...widths)).toBeGreaterThan(width < 600 ? 50 : 150);
      }
      // The minified variant's removal audit is drawn, its tables inside the page's width.
      expect(await page.locator("h2#removal-audit").isVisible()).toBe(true);
      const auditBox = await page.locator("table.audit-removed").boundingBox();
      expect((auditBox?.x ?? 0) + Math.min(auditBox?.width ?? 0, width)).toBeLessThanOrEqual(width);
      // Wide tables scroll inside themselves: the page itself does not scroll sideways.
      const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      expect(overflow).toBeLessThanOrEqual(0);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `report-lab-${name}.png`), fullPage: true });
      await page.close();
      expect(messages).toEqual([]);
      expect(requests).toEqual([]);
    }, 120_000);
  }
});
