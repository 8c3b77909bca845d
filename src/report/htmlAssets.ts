import { createHash } from "node:crypto";

/**
 * The HTML report's own stylesheet and script (no CDN, no external fetch). Both are allowed by their sha256
 * in the Content-Security-Policy, so nothing else — in particular nothing from GGUF metadata — can run.
 */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:1200px;margin:0 auto;padding:1rem 1.5rem 4rem}
h1{font-size:1.8rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin-top:1.6rem}h4{margin:1.1rem 0 .4rem;color:#424a53}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:13px}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top}
th{background:#f6f8fa;text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
th button{all:unset;cursor:pointer}th button:focus-visible{outline:2px solid #0969da}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto}figcaption{font-weight:600;margin-bottom:.3rem}
nav ol{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;list-style:none;padding:0;margin:.5rem 0 0;font-size:13px}
nav a{color:#0969da;text-decoration:none}nav a:hover{text-decoration:underline}
details.fold{border:1px solid #d0d7de;border-radius:6px;padding:.2rem .8rem;margin:.5rem 0}
details.fold>summary{cursor:pointer;padding:.3rem 0}details.fold>summary>*{display:inline;margin:0;font-size:1.05rem}
details.fold>summary>.fold-summary{color:#57606a;margin-left:.5rem;font-size:13px}details.chart-data>summary{cursor:pointer;color:#57606a;font-size:13px}
`;

export const SORT_SCRIPT = `
(() => {
  for (const table of document.querySelectorAll("table.sortable")) {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((th, column) => {
      th.querySelector("button").addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        for (const other of headers) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const numeric = th.classList.contains("num");
        const key = (row) => {
          const cell = row.cells[column];
          if (!numeric) return cell.textContent;
          return cell.dataset.sort === undefined ? null : Number(cell.dataset.sort);
        };
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        rows.sort((a, b) => {
          const x = key(a);
          const y = key(b);
          if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
          const order = numeric ? x - y : String(x).localeCompare(String(y));
          return ascending ? order : -order;
        });
        for (const row of rows) body.appendChild(row);
      });
    });
  }
  // Printed or saved as PDF, the report shows everything: folded sections open first.
  addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details")) details.open = true;
  });
})();
`;

export function cspHash(source: string): string {
  return `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'`;
}

export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(SORT_SCRIPT)}`,
    `style-src ${cspHash(REPORT_CSS)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
