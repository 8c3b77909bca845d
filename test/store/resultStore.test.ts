import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { GgufBenchError } from "../../src/errors.ts";
import type { ModelResult } from "../../src/results/types.ts";
import { defaultDbPath, openStore } from "../../src/store/resultStore.ts";
import { buildModel, buildRun, nextRunId, okContext } from "../helpers/resultsBuilder.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-store-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const writer = fileURLToPath(new URL("./storeWriter.ts", import.meta.url));
const repo = fileURLToPath(new URL("../..", import.meta.url));
function startWriter(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", writer, ...args], {
    cwd: repo,
    stdio: ["ignore", "pipe", "pipe"],
  });
}
function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}

test("a run saved model by model comes back deep-equal and is listed", () => {
  const path = join(dir, "nested", "dirs", "round-trip.db");
  const run = buildRun({
    models: [
      { label: "a.gguf", samples: { generationTokensPerSecond: [510, 520, 530] }, contexts: [okContext(512, 480)] },
      { label: "b.gguf", status: "failed" },
    ],
  });
  const store = openStore(path);
  try {
    // As `run` does: the header before the llama.cpp build is known, each model, the completed header, the end.
    const early = { ...run, environment: { ...run.environment, llamaCppBuild: "unknown" }, finishedAt: null };
    store.beginRun({ ...early, models: [] });
    assert.equal(store.getRun(run.runId)?.models.length, 0);
    for (const model of run.models) store.saveModel(run.runId, model);
    assert.equal(store.getRun(run.runId)?.environment.llamaCppBuild, "unknown");
    store.updateRun(run);
    store.finishRun(run.runId, run.finishedAt as string, false);
    assert.deepEqual(store.getRun(run.runId), run);
    assert.deepEqual(store.listRuns(), [
      {
        runId: run.runId,
        startedAt: run.startedAt,
        hostname: "bench-host",
        cpuModel: "Test CPU 9000",
        models: ["a.gguf", "b.gguf"],
        status: "partial",
      },
    ]);
  } finally {
    store.close();
  }
  // Still there after reopening: it was committed, not cached.
  const again = openStore(path);
  try {
    assert.deepEqual(again.getRun(run.runId), run);
  } finally {
    again.close();
  }
});

test("runs are found by unique prefix; an ambiguous prefix is a clear error; --model filters", () => {
  const store = openStore(join(dir, "lookup.db"));
  try {
    const a = buildRun({ runId: "abc11111-0000-4000-8000-000000000001", startedAt: "2026-11-26T06:00:00.000Z" });
    const b = buildRun({
      runId: "abc22222-0000-4000-8000-000000000002",
      startedAt: "2026-11-26T06:10:00.000Z",
      models: [{ label: "Qwen-0.5B-Q4.gguf", fingerprint: "deadbeef00" }],
    });
    assert.equal(store.importRun(a), "added");
    assert.equal(store.importRun(b), "added");
    assert.equal(store.importRun(b), "exists");
    assert.equal(store.getRun("abc2")?.runId, b.runId);
    assert.equal(store.getRun("zzz"), null);
    assert.throws(() => store.getRun("abc"), { name: "GgufBenchError", code: "run-id-ambiguous" });
    assert.deepEqual(
      store.listRuns().map((r) => r.runId),
      [b.runId, a.runId],
    );
    assert.deepEqual(
      store.listRuns({ model: "qwen" }).map((r) => r.runId),
      [b.runId],
    );
    assert.deepEqual(
      store.listRuns({ model: "deadbeef" }).map((r) => r.runId),
      [b.runId],
    );
    assert.deepEqual(store.listRuns({ model: "llama-70b" }), []);
  } finally {
    store.close();
  }
});

test("writing to an unknown run or beginning a run twice are clear errors", () => {
  const store = openStore(join(dir, "misuse.db"));
  try {
    const run = buildRun();
    store.beginRun(run);
    assert.throws(() => store.beginRun(run), { code: "run-exists" });
    assert.throws(() => store.saveModel("no-such-run", buildModel({ label: "x" })), { code: "run-not-found" });
    assert.throws(() => store.finishRun("no-such-run", "2026-11-26T06:00:00.000Z", false), { code: "run-not-found" });
    assert.throws(() => store.updateRun(buildRun({ runId: "no-such-run" })), { code: "run-not-found" });
  } finally {
    store.close();
  }
});

test("two cases with the same case id (same base name, other folder) are both kept", () => {
  const store = openStore(join(dir, "same-case-id.db"));
  try {
    const run = buildRun({
      models: [
        { label: "model.gguf", fingerprint: "from-dir-a", caseId: "model.gguf#1" },
        { label: "model.gguf", fingerprint: "from-dir-b", caseId: "model.gguf#1" },
      ],
    });
    store.beginRun({ ...run, models: [] });
    for (const model of run.models) store.saveModel(run.runId, model);
    assert.deepEqual(
      store.getRun(run.runId)?.models.map((m) => m.fileFingerprint),
      ["from-dir-a", "from-dir-b"],
    );
  } finally {
    store.close();
  }
});

test("a run killed mid-way keeps its finished model and lists as interrupted", async () => {
  const path = join(dir, "killed.db");
  const runId = nextRunId();
  const child = startWriter([path, runId, "1", "hang"]);
  const exited = exitOf(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("saved")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
  });
  child.kill("SIGKILL");
  const { signal } = await exited;
  assert.equal(signal, "SIGKILL");

  const store = openStore(path);
  try {
    const [row] = store.listRuns();
    assert.equal(row?.runId, runId);
    assert.equal(row?.status, "interrupted");
    assert.deepEqual(row?.models, ["model-0.gguf"]);
    const run = store.getRun(runId);
    assert.equal(run?.finishedAt, null);
    assert.equal(run?.interrupted, true);
    assert.deepEqual(run?.models, [buildModel({ label: "model-0.gguf", samples: { totalMs: [100, 101] } }, 0)]);
  } finally {
    store.close();
  }
});

test("a run still being written by a live process lists as running", () => {
  const store = openStore(join(dir, "running.db"));
  try {
    const run = buildRun({ finishedAt: null, models: [] });
    store.beginRun(run);
    assert.equal(store.listRuns()[0]?.status, "running");
    assert.equal(store.getRun(run.runId)?.interrupted, false);
  } finally {
    store.close();
  }
});

test("two processes writing at once both keep every model", async (t) => {
  const path = join(dir, "concurrent.db");
  const count = 300;
  const ids = [nextRunId(), nextRunId()];
  const children = ids.map((id) =>
    spawn(process.execPath, ["--import", "tsx", writer, path, id, String(count), "race"], {
      cwd: repo,
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const outputs = children.map(() => "");
  const exits = children.map((child) => exitOf(child));
  // Both have opened the database and begun their run before either saves a model.
  await Promise.all(
    children.map(
      (child, i) =>
        new Promise<void>((resolve, reject) => {
          child.stdout?.on("data", (d: Buffer) => {
            outputs[i] += d.toString();
            if (outputs[i]?.includes("ready")) resolve();
          });
          child.on("exit", (code) => reject(new Error(`writer ${i} exited early with ${code}`)));
        }),
    ),
  );
  for (const child of children) child.stdin?.end("go\n");
  for (const result of await Promise.all(exits)) assert.deepEqual(result, { code: 0, signal: null, stderr: "" });
  // How much the two write windows overlapped (reported, not asserted: scheduling decides).
  const windows = outputs.map((o) => (o.match(/window (\d+) (\d+)/) ?? []).slice(1).map(Number));
  const [a0 = 0, a1 = 0] = windows[0] ?? [];
  const [b0 = 0, b1 = 0] = windows[1] ?? [];
  t.diagnostic(`write windows overlapped for ${Math.max(0, Math.min(a1, b1) - Math.max(a0, b0))} ms`);
  const store = openStore(path);
  try {
    for (const id of ids) {
      const run = store.getRun(id);
      assert.equal(run?.models.length, count);
      assert.deepEqual(
        run?.models.map((m) => m.label),
        Array.from({ length: count }, (_, i) => `model-${i}.gguf`),
      );
      assert.equal(run?.finishedAt, "2026-11-26T07:00:00.000Z");
    }
    assert.deepEqual(
      store
        .listRuns()
        .map((r) => r.status)
        .sort(),
      ["ok", "ok"],
    );
  } finally {
    store.close();
  }
});

test("a file that is not a database is a one-line db-corrupt error", async () => {
  const path = join(dir, "corrupt.db");
  await writeFile(path, "this is not an SQLite file at all, just some text that is long enough ".repeat(20));
  assert.throws(
    () => openStore(path),
    (error: unknown) => {
      assert.ok(error instanceof GgufBenchError);
      assert.equal(error.code, "db-corrupt");
      assert.ok(error.message.includes(path));
      assert.ok(!error.message.includes("\n"));
      return true;
    },
  );
});

test("a database from a newer gguf-bench is refused with db-too-new", async () => {
  const path = join(dir, "newer.db");
  openStore(path).close();
  // user_version lives at byte offset 60 of the SQLite header (big-endian 32-bit): what a newer build writes.
  const bytes = await readFile(path);
  bytes.writeUInt32BE(99, 60);
  await writeFile(path, bytes);
  assert.throws(
    () => openStore(path),
    (error: unknown) => {
      assert.ok(error instanceof GgufBenchError);
      assert.equal(error.code, "db-too-new");
      assert.match(error.message, /newer gguf-bench \(database schema 99, this build knows up to 3\)/);
      assert.ok(!error.message.includes("\n"));
      return true;
    },
  );
});

test("an SQLite file that is not ours is refused with db-foreign, untouched", async () => {
  const path = join(dir, "foreign.db");
  openStore(path).close();
  // Tables but user_version 0: what another program's SQLite database looks like to us.
  const bytes = await readFile(path);
  bytes.writeUInt32BE(0, 60);
  await writeFile(path, bytes);
  assert.throws(() => openStore(path), {
    code: "db-foreign",
    message: `${path} is an SQLite database but not a gguf-bench one; pass --db with another file`,
  });
  assert.equal((await readFile(path)).readUInt32BE(60), 0);
});

test("defaultDbPath follows XDG_DATA_HOME and ignores a relative one", () => {
  const saved = process.env.XDG_DATA_HOME;
  try {
    process.env.XDG_DATA_HOME = "/data/xdg";
    assert.equal(defaultDbPath(), "/data/xdg/gguf-bench/results.db");
    process.env.XDG_DATA_HOME = "relative/dir";
    assert.match(defaultDbPath(), /\/\.local\/share\/gguf-bench\/results\.db$/);
  } finally {
    if (saved === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = saved;
  }
});

test("a database written at schema 1 (two real runs of stories260K) is migrated and keeps its runs", async () => {
  // Written by this store at migration 1 from two `gguf-bench run` invocations on 2026-11-26.
  const path = join(dir, "schema-v1.db");
  await copyFile(new URL("./fixtures/schema-v1.db", import.meta.url), path);
  assert.equal((await readFile(path)).readUInt32BE(60), 1);
  const store = openStore(path);
  try {
    assert.deepEqual(
      store.listRuns().map((r) => [r.runId, r.models, r.status]),
      [
        ["cb23eae4-0c68-42af-ab10-f5543eb3d9cb", ["stories260K.gguf"], "ok"],
        ["895e36a6-4be9-441b-b821-5038d8cf5926", ["stories260K.gguf"], "ok"],
      ],
    );
    const run = store.getRun("895e36a6");
    assert.equal(run?.models[0]?.caseId, "stories260K.gguf#1");
    assert.equal(run?.models[0]?.settings.threads, 1);
    // Schema 2 and later allow a second case with the same id.
    store.saveModel("895e36a6-4be9-441b-b821-5038d8cf5926", run?.models[0] as ModelResult);
    assert.equal(store.getRun("895e36a6")?.models.length, 2);
  } finally {
    store.close();
  }
  assert.equal((await readFile(path)).readUInt32BE(60), 3);
});
