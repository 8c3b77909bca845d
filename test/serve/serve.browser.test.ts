/**
 * `gguf-bench serve` in real headless Chromium: the real CLI serving a real history, clicked through as a
 * person would — runs list and its filter, a run's page, comparing two runs, a model's trend with one line
 * per machine — with a hostile model name and hostname that must stay text, and no request leaving the
 * server. Skips where Debian's chromium is missing (except under CI, where it fails).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { machineIdentity } from "../../src/store/machineIdentity.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

const CHROMIUM = "/usr/bin/chromium";
const repo = fileURLToPath(new URL("../..", import.meta.url));
const HOSTILE_MODEL = `<img src=x onerror=alert(1)>"evil'.gguf`;
const HOSTILE_HOST = "<b>lab</b>";

test("serve: runs list, run page, compare, trend; hostile names stay text; nothing external", async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === "true") assert.fail(`CI must run this test: chromium not found at ${CHROMIUM}`);
    return t.skip(`chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  }
  const dir = await mkdtemp(join(tmpdir(), "gguf-bench-serve-"));
  const db = join(dir, "results.db");
  // The same model on two machines over three days, and a second model on one of them.
  const store = await openStore(db);
  const runs = [
    buildRun({
      runId: "aaaa0001-0000-4000-8000-000000000001",
      startedAt: "2026-11-24T08:00:00.000Z",
      models: [{ label: HOSTILE_MODEL, fingerprint: "f00d", samples: { generationTokensPerSecond: [100, 102, 101] } }],
    }),
    buildRun({
      runId: "aaaa0002-0000-4000-8000-000000000002",
      startedAt: "2026-11-25T08:00:00.000Z",
      models: [
        { label: HOSTILE_MODEL, fingerprint: "f00d", samples: { generationTokensPerSecond: [110, 112, 111] } },
        { label: "other.gguf", fingerprint: "beef" },
      ],
    }),
    buildRun({
      runId: "bbbb0003-0000-4000-8000-000000000003",
      startedAt: "2026-11-26T08:00:00.000Z",
      environment: { hostname: HOSTILE_HOST },
      models: [{ label: HOSTILE_MODEL, fingerprint: "f00d", samples: { generationTokensPerSecond: [90, 91, 92] } }],
    }),
  ];
  for (const run of runs) await store.importRun(run);
  await store.close();

  const server = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--db", db, "--port", "0"], {
    cwd: repo,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let browser: Browser | undefined;
  try {
    const base = await serverUrl(server);
    browser = await chromium.launch({
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
      // playwright gives every launch a fresh, empty user-data-dir of its own.
    });
    const page = await browser.newPage();
    const external: string[] = [];
    const dialogs: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });

    // Runs list: three runs, newest first; the hostile name is text in a cell; the machine filter works.
    await page.goto(base);
    assert.deepEqual(await runIds(page), ["bbbb0003", "aaaa0002", "aaaa0001"]);
    assert.equal(await page.locator("#runs td", { hasText: HOSTILE_MODEL }).count(), 3);
    assert.equal(await page.locator("main img, main b").count(), 0, "no markup from stored strings");
    const hostileMachine = (await page.locator("#runs tbody tr").first().locator("td").nth(4).textContent()) ?? "";
    assert.match(hostileMachine, /^-b-lab-b--[0-9a-f]{4}/, "the machine's short name is sanitised");
    await page.selectOption('select[name="machine"]', machineIdentity(runs[0]?.environment).name);
    await page.click('form.filters button[type="submit"]');
    assert.equal((await runIds(page)).length, 2, "one machine's runs");
    await page.fill('input[name="model"]', "other");
    await page.click('form.filters button[type="submit"]');
    assert.deepEqual(await runIds(page), ["aaaa0002"]);

    // A run's page: the HTML report with its charts; back to the list.
    await page.goto(base);
    await page.click('a[href="/run/aaaa0002-0000-4000-8000-000000000002"]');
    assert.equal(await page.locator("h1").first().textContent(), "gguf-bench report");
    assert.ok((await page.locator("figure.chart svg").count()) > 0);
    assert.ok((await page.locator("td", { hasText: HOSTILE_MODEL }).count()) > 0);
    await page.click('nav a[href="/"]');
    assert.equal(await page.locator("h1").textContent(), "Runs");

    // Compare: A = the first run, B = the second; the Welch table and the change chart.
    await page.check('input[name="a"][value="aaaa0001-0000-4000-8000-000000000001"]');
    await page.check('input[name="b"][value="aaaa0002-0000-4000-8000-000000000002"]');
    await page.click('form[action="/compare"] button[type="submit"]');
    assert.match((await page.locator("h1").textContent()) ?? "", /^Compare aaaa0001 → aaaa0002$/);
    assert.equal(await page.locator("h2.model").first().textContent(), HOSTILE_MODEL);
    const speedRow = page.locator("table.welch tr", { hasText: "Generation speed (tokens/s)" });
    assert.match((await speedRow.textContent()) ?? "", /\+9\.9%.*better/);
    assert.ok((await page.locator('figure[data-chart="change"] svg .mark-rect path').count()) > 0);
    // Across machines, the environment differences come first.
    await page.goto(`${base}compare?a=aaaa0001&b=bbbb0003`);
    assert.match((await page.locator("#differences + ul li").first().textContent()) ?? "", /^⚠️ machine differs/);

    // Models → the trend: two charts, one line per machine (two machines), points in the table.
    await page.goto(`${base}models`);
    await page.locator("#models a", { hasText: HOSTILE_MODEL }).click();
    assert.equal(await page.locator("h1").textContent(), HOSTILE_MODEL);
    for (const chart of ["generation", "memory"]) {
      assert.equal(await page.locator(`figure[data-chart="${chart}"] svg .mark-line path`).count(), 2, chart);
    }
    assert.equal(await page.locator("#points tbody tr").count(), 3);
    assert.equal(await page.locator("main img, main b").count(), 0);

    // A link to nowhere is a page that says so.
    const missing = await page.goto(`${base}run/ffff`);
    assert.equal(missing?.status(), 404);

    assert.deepEqual(external, [], "no request left the server");
    assert.deepEqual(dialogs, [], "no script ran");
  } finally {
    await browser?.close();
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    assert.equal(await exited, 0, "serve stops cleanly on SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
});

function serverUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const url = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/)?.[1];
      if (url) resolve(url);
    });
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

async function runIds(page: Page): Promise<string[]> {
  return page.$$eval("#runs tbody tr td:nth-child(3) a", (links) => links.map((a) => a.textContent ?? ""));
}
