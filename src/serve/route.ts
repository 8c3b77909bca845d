import { compareRuns } from "../compare/compareRuns.ts";
import { GgufBenchError } from "../errors.ts";
import { escapeHtml } from "../report/escapeHtml.ts";
import { contentSecurityPolicy } from "../report/htmlAssets.ts";
import type { ResultStore } from "../store/resultStore.ts";
import { boundText } from "../text/printable.ts";
import { comparePage } from "./comparePage.ts";
import { layout, serveContentSecurityPolicy } from "./layout.ts";
import { modelsPage } from "./modelsPage.ts";
import { runPage } from "./runPage.ts";
import { runsPage } from "./runsPage.ts";
import { trendPage } from "./trendPage.ts";
import { trendPoints } from "./trendPoints.ts";

export interface PageResponse {
  status: number;
  html: string;
  /** The Content-Security-Policy header: the report's own for a run page, the browsing pages' otherwise. */
  csp: string;
}

const MODELS_SHOWN = 500;
const TREND_POINTS = 1000;
const MAX_ID_CHARS = 100;

/**
 * One GET of the web view: the page for `url` (pure apart from reading the store). Unknown paths and runs
 * are 404 pages; a database that fails is a page with its one-line message, never a crash.
 */
export async function route(store: ResultStore | null, url: URL, database: string): Promise<PageResponse> {
  try {
    return await page(store, url, database);
  } catch (error) {
    if (!(error instanceof GgufBenchError)) throw error;
    const status = error.code === "run-id-ambiguous" ? 400 : error.code.startsWith("db-") ? 503 : 500;
    return problem(status, error.message, database);
  }
}

async function page(store: ResultStore | null, url: URL, database: string): Promise<PageResponse> {
  const path = url.pathname;
  const query = url.searchParams;
  const ok = (html: string): PageResponse => ({ status: 200, html, csp: serveContentSecurityPolicy() });
  if (path === "/") return ok(await runsPage(store, query, database));
  if (path === "/models") return ok(modelsPage((await store?.listModels(MODELS_SHOWN)) ?? [], MODELS_SHOWN, database));
  if (path.startsWith("/run/")) {
    const id = decodeSegment(path.slice("/run/".length));
    const run = id ? await store?.getRun(id) : null;
    if (!run) return problem(404, `No run "${id ?? ""}" in this history.`, database);
    return { status: 200, html: await runPage(run), csp: contentSecurityPolicy() };
  }
  if (path === "/compare") {
    const a = param(query, "a");
    const b = param(query, "b");
    if (!a || !b)
      return problem(400, "Pick two runs to compare: a baseline A and a run B (on the runs list).", database);
    const [runA, runB] = [await store?.getRun(a), await store?.getRun(b)];
    if (!runA || !runB) return problem(404, `No run "${runA ? b : a}" in this history.`, database);
    return ok(await comparePage(compareRuns(runA, runB, { a: "database", b: "database" }), database));
  }
  if (path === "/trend") {
    const fingerprint = param(query, "model");
    const rows = fingerprint ? ((await store?.modelHistory(fingerprint, TREND_POINTS)) ?? []) : [];
    const last = rows[rows.length - 1];
    if (!fingerprint || !last)
      return problem(404, "No stored result of that model (pick one on the Models page).", database);
    return ok(await trendPage(last.model.label, fingerprint, trendPoints(rows), database));
  }
  return problem(404, "No such page.", database);
}

function problem(status: number, message: string, database: string): PageResponse {
  const body = `<h1>${status === 404 ? "Not found" : status === 400 ? "Not understood" : "Cannot show this"}</h1><p class="error">${escapeHtml(boundText(message))}</p><p><a href="/">Back to the runs</a></p>`;
  return { status, html: layout("Problem", body, database), csp: serveContentSecurityPolicy() };
}

function param(query: URLSearchParams, name: string): string | null {
  const value = query.get(name)?.trim() ?? "";
  return value === "" || value.length > MAX_ID_CHARS ? null : value;
}

function decodeSegment(segment: string): string | null {
  try {
    const id = decodeURIComponent(segment);
    return id === "" || id.length > MAX_ID_CHARS || id.includes("/") ? null : id;
  } catch {
    return null;
  }
}
