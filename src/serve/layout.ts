import { escapeHtml } from "../report/escapeHtml.ts";
import { cspHash, REPORT_CSS } from "../report/htmlAssets.ts";
import { boundText } from "../text/printable.ts";

/** The report's stylesheet plus the few rules the browsing pages need. */
export const SERVE_CSS = `${REPORT_CSS}
nav.top{display:flex;gap:1.2rem;align-items:baseline;border-bottom:1px solid #d0d7de;padding:.6rem 0;margin-bottom:1rem}
nav.top a{color:#0969da;text-decoration:none;font-weight:600}nav.top .db{margin-left:auto;color:#57606a;font-size:12px}
form.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end;margin:.5rem 0 1rem}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#424a53}
.note{color:#57606a}.error{color:#cf222e;font-weight:600}
`;

/** No script at all on these pages; style only by hash; forms submit only to this server. */
export function serveContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'none'",
    `style-src ${cspHash(SERVE_CSS)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A whole page around `body` (already HTML: every string in it bounded and escaped by its maker). */
export function layout(title: string, body: string, database: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(boundText(title))} · gguf-bench</title>
<style>${SERVE_CSS}</style>
</head>
<body>
<main>
<nav class="top"><a href="/">Runs</a><a href="/models">Models</a><span class="db">${escapeHtml(boundText(database))} · read-only</span></nav>
${body}
</main>
</body>
</html>
`;
}

/** `/path?k=v&…` with every value encoded. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(key, value);
  const text = params.toString();
  return escapeHtml(text === "" ? path : `${path}?${text}`);
}
