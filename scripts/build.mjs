/**
 * `npm run build` (and `prepare`, so `npm ci` and `npm pack` run it): a clean dist/ with the compiled code and its
 * type declarations, plus dist/results.schema.json, the JSON Schema of results.json generated from the zod schema
 * of the code just compiled. Plain Node (no tsx): it runs wherever the dev dependencies are installed.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

// A module removed from src/ must not live on in the package.
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });

// tsc rewrites `./x.ts` to `./x.js` in the code but keeps it in the declarations; a consumer resolves `.js`.
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
  const file = `${entry.parentPath}/${entry.name}`;
  const text = readFileSync(file, "utf8");
  const fixed = text
    .replace(/(from\s+"\.{1,2}\/[^"]*)\.ts"/g, '$1.js"')
    .replace(/(import\("\.{1,2}\/[^"]*)\.ts"\)/g, '$1.js")');
  if (fixed !== text) writeFileSync(file, fixed);
}

const { resultsJsonSchemaText } = await import(new URL("../dist/results/schema.js", import.meta.url).href);
writeFileSync(new URL("../dist/results.schema.json", import.meta.url), resultsJsonSchemaText());
