import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/**
 * The package as users get it: `npm pack`, then `npm install <tarball>` into an empty folder (dependencies from the
 * npm registry, through the local npm cache when it has them), then the installed `gguf-bench` command and the
 * `gguf-bench` module — never this repository's source files.
 *
 * better-sqlite3 has no prebuilt binary reachable here (its install script tries GitHub, then compiles SQLite,
 * about two minutes of CPU). Outside CI the install is handed this repository's own build of the same version as a
 * prebuild-install "local prebuild" (npm_config_better_sqlite3_local_prebuilds); under CI=true it compiles for real.
 * node-llama-cpp's postinstall runs as for any user: it finds the prebuilt binaries of its @node-llama-cpp/*
 * packages and downloads nothing (no llama/localBuilds folder appears).
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);
const ownVersion = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version as string;
/** Everything a user's package may contain, and nothing else (npm adds README, LICENSE and package.json itself). */
const ALLOWED =
  /^(package\.json|README\.md|LICENSE|bin\/gguf-bench\.js|dist\/.+\.(js|d\.ts)|dist\/results\.schema\.json)$/;

/** The environment without the outer `npm test`'s npm_* settings, which would leak into the nested npm. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, ...extra };
}

async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  try {
    return await run(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed: ${e.message}\n${e.stderr ?? ""}${e.stdout ?? ""}`);
  }
}

/** A prebuild-install tarball of the better-sqlite3 binary this repository compiled (same version, same Node ABI). */
async function localSqlitePrebuild(dir: string): Promise<string> {
  const pkgDir = path.join(root, "node_modules", "better-sqlite3");
  const { version } = JSON.parse(await readFile(path.join(pkgDir, "package.json"), "utf8")) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await mkdir(dir, { recursive: true });
  await run("tar", ["-czf", path.join(dir, name), "-C", pkgDir, "build/Release/better_sqlite3.node"]);
  return dir;
}

test("npm pack → npm install into an empty folder: a clean tarball, a working gguf-bench command and library", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-package-"));
  try {
    const env = cleanEnv({ CI: "true", XDG_DATA_HOME: path.join(dir, "data") });
    const packed = await sh("npm", ["pack", "--json", "--pack-destination", dir], root, env);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as {
      filename: string;
      entryCount: number;
      size: number;
      files: { path: string }[];
    }[];
    assert.ok(info);
    const files = info.files.map((f) => f.path);
    assert.deepEqual(
      files.filter((f) => !ALLOWED.test(f)),
      [],
    );
    for (const f of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "dist/worker/main.js"])
      assert.ok(files.includes(f), f);
    for (const f of ["LICENSE", "README.md", "bin/gguf-bench.js", "dist/results.schema.json"])
      assert.ok(files.includes(f), f);
    process.stderr.write(`# npm pack: ${info.entryCount} files, ${info.size} bytes packed\n`);

    const app = path.join(dir, "app");
    await mkdir(app);
    await writeFile(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    const installEnv =
      process.env.CI === "true"
        ? env
        : { ...env, npm_config_better_sqlite3_local_prebuilds: await localSqlitePrebuild(path.join(dir, "prebuilds")) };
    await sh(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(dir, info.filename)],
      app,
      installEnv,
    );
    const llamaDir = path.join(app, "node_modules", "node-llama-cpp", "llama");
    assert.ok(!existsSync(path.join(llamaDir, "localBuilds")), "node-llama-cpp built llama.cpp from source");

    // The command.
    const bin = path.join(app, "node_modules", ".bin", "gguf-bench");
    assert.equal((await sh(bin, ["--version"], app, env)).stdout.trim(), ownVersion);
    const model = path.join(dir, "tiny.gguf");
    await sh(bin, ["synth", "--arch", "llama", "--preset", "tiny", "--type", "f32", "--out", model], app, env);
    assert.match((await sh(bin, ["inspect", model], app, env)).stdout, /architecture\s*│\s*llama/);
    const out = path.join(dir, "demo");
    const demo = await sh(
      bin,
      [
        "run",
        "--runs",
        "1",
        "--warmup",
        "0",
        "--max-tokens",
        "4",
        "--contexts",
        "256",
        "--inference-context",
        "256",
      ].concat(["--no-bandwidth", "--format", "md", "--out", out, "--json"]),
      app,
      env,
    );
    const demoResults = JSON.parse(demo.stdout) as { models: { status: string; synthetic: boolean }[] };
    assert.deepEqual(
      demoResults.models.map((m) => [m.status, m.synthetic]),
      [
        ["ok", true],
        ["ok", true],
        ["ok", true],
      ],
    );
    assert.match(await readFile(path.join(out, "report.md"), "utf8"), /demo-llama-25m/);

    // The library, from a consumer's own module: only what the exports map gives.
    const script = path.join(app, "use.mjs");
    await writeFile(
      script,
      `import { existsSync, readFileSync } from "node:fs";
import { synthesizeModel, readModelInfo, runBenchmark, renderReport, openHistoryStore, SCHEMA_VERSION } from "gguf-bench";
const schema = JSON.parse(readFileSync(new URL(import.meta.resolve("gguf-bench/results.schema.json")), "utf8"));
const internal = await import("gguf-bench/dist/cli/main.js").then(() => "importable", (e) => e.code);
const model = await synthesizeModel({ arch: "qwen2", preset: "tiny", type: "q8_0", out: ${JSON.stringify(path.join(dir, "api.gguf"))} });
const info = await readModelInfo(model.path);
const events = [];
const results = await runBenchmark(
  { models: [model.path], runs: 1, warmup: 0, maxTokens: 4, contexts: [256], inferenceContext: 256, threads: [1], measureBandwidth: false, db: ${JSON.stringify(path.join(dir, "api.db"))} },
  { onProgress: (e) => events.push(e.type), signal: new AbortController().signal },
);
const store = await openHistoryStore(${JSON.stringify(path.join(dir, "api.db"))});
const stored = await store.getRun(results.runId);
await store.close();
const md = await renderReport(results, "md");
process.stdout.write(JSON.stringify({ schemaTitle: schema.title, internal, arch: info.architecture, schemaVersion: results.schemaVersion === SCHEMA_VERSION,
  status: results.models.map((m) => m.status), events: [...new Set(events)], stored: stored?.models.length, md: md.includes("qwen2") }));
`,
    );
    const used = JSON.parse((await sh(process.execPath, [script], app, env)).stdout);
    assert.deepEqual(used, {
      schemaTitle: "gguf-bench results",
      internal: "ERR_PACKAGE_PATH_NOT_EXPORTED",
      arch: "qwen2",
      schemaVersion: true,
      status: ["ok"],
      events: ["group", "stage", "result"],
      stored: 1,
      md: true,
    });

    // The README's library example, as written there.
    const readme = await readFile(path.join(root, "README.md"), "utf8");
    const example = /## Library\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, "the README's Library section starts with a js example");
    const exampleDir = path.join(app, "example");
    await mkdir(exampleDir);
    await writeFile(path.join(app, "example.mjs"), example);
    const printed = (await sh(process.execPath, [path.join(app, "example.mjs")], exampleDir, env)).stdout;
    assert.match(printed, /^llama, \d+ parameters, trained for \d+ tokens$/m);
    assert.match(printed, /^n_ctx 1024: about \d+ MiB resident \((fits|tight|does-not-fit)\)$/m);
    assert.match(printed, /^tiny\.gguf: ok, \d+ tokens\/s$/m);
    assert.match(await readFile(path.join(exampleDir, "report.html"), "utf8"), /^<!doctype html>/i);
    assert.equal(JSON.parse(await readFile(path.join(exampleDir, "results.json"), "utf8")).models.length, 1);

    // The type declarations, through the exports map, as a strict TypeScript consumer sees them.
    await writeFile(
      path.join(app, "check.ts"),
      `import { type BenchmarkProgress, type RunResults, runBenchmark } from "gguf-bench";
const progress = (event: BenchmarkProgress): string => (event.type === "result" ? event.result.status : event.type);
export const results: Promise<RunResults> = runBenchmark({ models: ["m.gguf"], runs: 2 }, { onProgress: (e) => void progress(e) });
// @ts-expect-error runs is a number of runs, not text
runBenchmark({ models: [], runs: "2" });
`,
    );
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    await sh(
      process.execPath,
      [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"]
        .concat(["--skipLibCheck", "--types", "node", "--typeRoots", path.join(root, "node_modules", "@types")])
        .concat(["check.ts"]),
      app,
      env,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
