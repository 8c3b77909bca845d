/**
 * Writes docs/results.schema.json from the zod schema, formatted the way `biome check` wants it
 * (test/results/schema.test.ts fails when the file is stale).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resultsJsonSchemaText } from "../src/results/schema.ts";

const target = fileURLToPath(new URL("../docs/results.schema.json", import.meta.url));
mkdirSync(fileURLToPath(new URL("../docs/", import.meta.url)), { recursive: true });
writeFileSync(target, resultsJsonSchemaText());
execFileSync(fileURLToPath(new URL("../node_modules/.bin/biome", import.meta.url)), ["format", "--write", target], {
  stdio: "ignore",
});
process.stdout.write(`wrote ${target}\n`);
