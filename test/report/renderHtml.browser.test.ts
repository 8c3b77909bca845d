import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { fixtureRuns } from "./reportFixtures.ts";

const CHROMIUM = "/usr/bin/chromium";
/** The charts at the top of the report, in order. */
const GLANCE_CHARTS = [
  "generation-speed",
  "prompt-speed",
  "generation-vs-context",
  "prompt-vs-context",
  "memory-vs-context",
  "roofline-fraction",
];

test("HTML report in headless Chromium: answers first, charts drawn, details fold, tables sort, hostile metadata inert", async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === "true") assert.fail(`CI must run this test: chromium not found at ${CHROMIUM}`);
    t.skip(`chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "gguf-bench-html-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const file = join(dir, "report.html");
    await writeFile(file, await renderHtml(fixtureRuns()));
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const external: string[] = [];
    const cspViolations: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) external.push(request.url());
    });
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(pathToFileURL(file).href);

    // Charts: inline SVGs, each with drawn marks.
    for (const id of [...GLANCE_CHARTS, "load-time", "inference-time"]) {
      const marks = await page.locator(`figure[data-chart="${id}"] svg g[class*="mark-"] > *`).count();
      assert.ok(marks > 0, `chart ${id} has no marks`);
    }
    // Six cases generated tokens: six means with their CI bars (the fixture's speeds span > 20×: log axis, points).
    for (const id of ["generation-speed", "prompt-speed"]) {
      assert.equal(await page.locator(`figure[data-chart="${id}"] svg .mark-symbol path`).count(), 6, id);
      assert.ok(
        (await page
          .locator(`figure[data-chart="${id}"] svg .mark-rule line, figure[data-chart="${id}"] svg .mark-rule path`)
          .count()) >= 6,
        id,
      );
      assert.match((await page.locator(`figure[data-chart="${id}"] svg`).textContent()) ?? "", /log scale/);
    }
    assert.ok((await page.locator('figure[data-chart="memory-vs-context"] svg .mark-line path').count()) >= 5);
    assert.ok((await page.locator('figure[data-chart="inference-time"] svg .mark-rect path').count()) >= 6);
    assert.equal(await page.locator('figure[data-chart="roofline-fraction"] svg .mark-rect path').count(), 6);

    // The report answers first: the summary table and the speed charts sit above every model's details, which
    // are folded until opened.
    const top = async (selector: string) => {
      const box = await page.locator(selector).first().boundingBox();
      assert.ok(box, `${selector} is not rendered`);
      return box.y;
    };
    const summaryTop = await top("table#summary");
    const detailsTop = await top("#s-results-per-model");
    assert.ok(summaryTop < (await top('figure[data-chart="generation-speed"]')));
    for (const id of GLANCE_CHARTS) assert.ok((await top(`figure[data-chart="${id}"]`)) < detailsTop, id);
    assert.ok((await top("#recommendations")) < (await top('figure[data-chart="generation-speed"]')));
    assert.ok((await top("#s-how-it-was-measured")) < detailsTop);
    assert.equal(await page.locator("table#summary tbody tr").count(), 7);
    assert.equal(await page.locator("details.fold[open]").count(), 0);
    assert.equal(await page.locator("#case-0-architecture").isVisible(), false);
    await page.locator("#case-0 > summary").click();
    assert.equal(await page.locator("#case-0-architecture").isVisible(), true);
    // Printing opens every folded section (the report's own script, allowed by the CSP).
    await page.evaluate('dispatchEvent(new Event("beforeprint"))');
    assert.equal(await page.locator("details:not([open])").count(), 0);
    assert.ok(await page.locator("#case-6-architecture").isVisible());
    // The table of contents points at every section.
    const links = await page.$$eval("nav a", (as) => as.map((a) => a.getAttribute("href") ?? ""));
    assert.ok(links.includes("#s-summary") && links.includes("#s-results-per-model"));
    for (const href of links) assert.equal(await page.locator(href).count(), 1, href);

    // Hostile strings are text, never markup, and nothing ran.
    const nameCell = page.locator("#models-tested td", { hasText: "<script>alert(1)</script>" });
    assert.equal(await nameCell.count(), 1);
    assert.match((await nameCell.textContent()) ?? "", /^<script>alert\(1\)<\/script> \| `rm -rf \/` \|/);
    assert.equal(await page.locator("main script, main img, main i").count(), 0);
    assert.ok((await page.locator("#models-tested td", { hasText: "evil-model<i>&x</i>.gguf" }).count()) >= 1);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(external, []);
    assert.deepEqual(cspViolations, []);

    // Sorting: the Parameters column (numeric, by the raw value) ascending, then descending.
    const params = async () =>
      page.$$eval("#models-tested tbody tr", (rows) => rows.map((r) => Number(r.cells[4]?.getAttribute("data-sort"))));
    const header = page.locator("#models-tested th", { hasText: "Parameters" }).locator("button");
    await header.click();
    const ascending = await params();
    assert.deepEqual(
      ascending,
      [...ascending].sort((a, b) => a - b),
    );
    assert.equal(ascending[0], 292_800);
    await header.click();
    const descending = await params();
    assert.deepEqual(descending, [...ascending].reverse());
    assert.equal(
      await page.locator("#models-tested th", { hasText: "Parameters" }).getAttribute("aria-sort"),
      "descending",
    );
    // Text column sorts by text.
    await page.locator("#models-tested th", { hasText: "Architecture" }).locator("button").click();
    const arch = await page.$$eval("#models-tested tbody tr", (rows) => rows.map((r) => r.cells[2]?.textContent ?? ""));
    assert.deepEqual(
      arch,
      [...arch].sort((a, b) => a.localeCompare(b)),
    );
    assert.equal(arch[0], "gemma2");
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
