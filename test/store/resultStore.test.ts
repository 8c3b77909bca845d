/** The history store on both backends, SQLite and PostgreSQL, from one list of tests. */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GgufBenchError } from "../../src/errors.ts";
import { machineIdentity } from "../../src/store/machineIdentity.ts";
import { openExistingStore, openStore, type ResultStore } from "../../src/store/resultStore.ts";
import { adminQuery, testBothStores } from "../helpers/dbBackends.ts";
import { buildEnvironment, buildModel, buildRun, nextRunId, okContext } from "../helpers/resultsBuilder.ts";

const writer = fileURLToPath(new URL("./storeWriter.ts", import.meta.url));
const repo = fileURLToPath(new URL("../..", import.meta.url));

function startWriter(args: string[], stdin: "ignore" | "pipe" = "ignore"): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", writer, ...args], { cwd: repo, stdio: [stdin, "pipe", "pipe"] });
}
function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}
async function withStore(db: string, fn: (store: ResultStore) => Promise<void>): Promise<void> {
  const store = await openStore(db);
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

testBothStores("a run saved model by model comes back deep-equal and is listed with its machine", async (backend) => {
  const db = await backend.fresh("round-trip");
  const run = buildRun({
    models: [
      { label: "a.gguf", samples: { generationTokensPerSecond: [510, 520, 530] }, contexts: [okContext(512, 480)] },
      { label: "b.gguf", status: "failed" },
    ],
  });
  await withStore(db, async (store) => {
    // As `run` does: the header before the llama.cpp build is known, each model, the completed header, the end.
    const early = { ...run, environment: { ...run.environment, llamaCppBuild: "unknown" }, finishedAt: null };
    await store.beginRun({ ...early, models: [] });
    assert.equal((await store.getRun(run.runId))?.models.length, 0);
    for (const model of run.models) await store.saveModel(run.runId, model);
    assert.equal((await store.getRun(run.runId))?.environment.llamaCppBuild, "unknown");
    await store.updateRun(run);
    await store.finishRun(run.runId, run.finishedAt as string, false);
    assert.deepEqual(await store.getRun(run.runId), run);
    assert.deepEqual(await store.listRuns(), [
      {
        runId: run.runId,
        startedAt: run.startedAt,
        hostname: "bench-host",
        cpuModel: "Test CPU 9000",
        machine: machineIdentity(run.environment).name,
        models: ["a.gguf", "b.gguf"],
        status: "partial",
      },
    ]);
  });
  // Still there after reopening, read-only: it was committed, not cached.
  const again = await openExistingStore(db);
  try {
    assert.deepEqual(await again?.getRun(run.runId), run);
  } finally {
    await again?.close();
  }
});

testBothStores("runs are found by unique prefix; ambiguous prefixes are clear errors; filters", async (backend) => {
  await withStore(await backend.fresh("lookup"), async (store) => {
    const a = buildRun({ runId: "abc11111-0000-4000-8000-000000000001", startedAt: "2026-11-26T06:00:00.000Z" });
    const b = buildRun({
      runId: "abc22222-0000-4000-8000-000000000002",
      startedAt: "2026-11-27T06:10:00.000Z",
      environment: { hostname: "gpu_box" },
      models: [{ label: "Qwen-0.5B-Q4%.gguf", fingerprint: "deadbeef00" }],
    });
    assert.deepEqual(await store.importRun(a), { kind: "added" });
    assert.deepEqual(await store.importRun(b), { kind: "added" });
    assert.deepEqual(await store.importRun(b), { kind: "exists" });
    assert.equal((await store.getRun("abc2"))?.runId, b.runId);
    assert.equal((await store.getRun("ABC2"))?.runId, b.runId);
    assert.equal(await store.getRun("zzz"), null);
    assert.equal(await store.getRun("abc_"), null, "LIKE wildcards match literally");
    await assert.rejects(store.getRun("abc"), { name: "GgufBenchError", code: "run-id-ambiguous" });
    const ids = async (filter: Parameters<ResultStore["listRuns"]>[0]) =>
      (await store.listRuns(filter)).map((r) => r.runId);
    assert.deepEqual(await ids({}), [b.runId, a.runId]);
    assert.deepEqual(await ids({ model: "qwen" }), [b.runId]);
    assert.deepEqual(await ids({ model: "Q4%" }), [b.runId]);
    assert.deepEqual(await ids({ model: "_" }), [], "an underscore is not a wildcard");
    assert.deepEqual(await ids({ model: "deadbeef" }), [b.runId]);
    assert.deepEqual(await ids({ model: "llama-70b" }), []);
    const gpuBox = machineIdentity(b.environment);
    assert.deepEqual(await ids({ machine: gpuBox.name }), [b.runId]);
    assert.deepEqual(await ids({ machine: "GPU_BOX" }), [b.runId], "by hostname, any case");
    assert.deepEqual(await ids({ machine: gpuBox.id.slice(0, 6) }), [b.runId]);
    assert.deepEqual(await ids({ machine: "nowhere" }), []);
    assert.deepEqual(await ids({ from: "2026-11-27" }), [b.runId]);
    assert.deepEqual(await ids({ to: "2026-11-27" }), [a.runId]);
    assert.deepEqual(await ids({ limit: 1 }), [b.runId]);
    assert.deepEqual(
      (await store.listMachines()).map((m) => [m.name, m.runs]),
      [
        [machineIdentity(a.environment).name, 1],
        [gpuBox.name, 1],
      ],
    );
  });
});

testBothStores("writing to an unknown run or beginning a run twice are clear errors", async (backend) => {
  await withStore(await backend.fresh("misuse"), async (store) => {
    const run = buildRun({ finishedAt: null });
    await store.beginRun(run);
    // The same writer again (a retry after a lost answer) is fine; anyone else is refused.
    await store.beginRun(run);
    await assert.rejects(store.importRun({ ...run, models: [buildModel({ label: "x" })] }), {
      code: "run-in-progress",
    });
    await assert.rejects(store.saveModel("no-such-run", buildModel({ label: "x" })), { code: "run-not-found" });
    await assert.rejects(store.finishRun("no-such-run", "2026-11-26T06:00:00.000Z", false), { code: "run-not-found" });
    await assert.rejects(store.updateRun(buildRun({ runId: "no-such-run" })), { code: "run-not-found" });
  });
});

testBothStores("the same case saved twice (a retried commit) is stored once; equal case ids are kept", async (b) => {
  await withStore(await b.fresh("same-case"), async (store) => {
    const run = buildRun({
      models: [
        { label: "model.gguf", fingerprint: "from-dir-a", caseId: "model.gguf#1" },
        { label: "model.gguf", fingerprint: "from-dir-b", caseId: "model.gguf#1" },
      ],
    });
    await store.beginRun({ ...run, models: [] });
    for (const model of run.models) await store.saveModel(run.runId, model);
    await store.saveModel(run.runId, run.models[1] as (typeof run.models)[number]);
    assert.deepEqual(
      (await store.getRun(run.runId))?.models.map((m) => m.fileFingerprint),
      ["from-dir-a", "from-dir-b"],
    );
  });
});

testBothStores("import completes a run stored in part, and refuses a different record of it", async (backend) => {
  await withStore(await backend.fresh("complete"), async (store) => {
    const full = buildRun({ models: [{ label: "a.gguf" }, { label: "b.gguf" }, { label: "c.gguf" }] });
    // What a run whose database went away after model a leaves behind (its writer gone).
    await store.importRun({ ...full, finishedAt: null, models: full.models.slice(0, 1) });
    assert.equal((await store.listRuns())[0]?.status, "interrupted");
    assert.deepEqual(await store.importRun(full), { kind: "completed", added: 2 });
    assert.deepEqual(await store.getRun(full.runId), full);
    assert.equal((await store.listRuns())[0]?.status, "ok");
    assert.deepEqual(await store.importRun(full), { kind: "exists" });
    const other = buildRun({ runId: full.runId, models: [{ label: "z.gguf" }] });
    await assert.rejects(store.importRun(other), (error: unknown) => {
      assert.ok(error instanceof GgufBenchError);
      assert.equal(error.code, "run-conflict");
      assert.ok(!error.message.includes("\n"));
      return true;
    });
    assert.deepEqual(await store.getRun(full.runId), full, "nothing changed");
  });
});

testBothStores("a run killed mid-way keeps its finished model and lists as interrupted", async (backend) => {
  const db = await backend.fresh("killed");
  const runId = nextRunId();
  const child = startWriter([db, runId, "1", "hang"]);
  const exited = exitOf(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("saved")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
  });
  child.kill("SIGKILL");
  assert.equal((await exited).signal, "SIGKILL");
  await withStore(db, async (store) => {
    const [row] = await store.listRuns();
    assert.equal(row?.runId, runId);
    assert.equal(row?.status, "interrupted");
    assert.deepEqual(row?.models, ["model-0.gguf"]);
    const run = await store.getRun(runId);
    assert.equal(run?.finishedAt, null);
    assert.equal(run?.interrupted, true);
    assert.deepEqual(run?.models, [buildModel({ label: "model-0.gguf", samples: { totalMs: [100, 101] } }, 0)]);
  });
});

testBothStores("a run still being written by a live process lists as running", async (backend) => {
  await withStore(await backend.fresh("running"), async (store) => {
    const run = buildRun({ finishedAt: null, models: [] });
    await store.beginRun(run);
    assert.equal((await store.listRuns())[0]?.status, "running");
    assert.equal((await store.getRun(run.runId))?.interrupted, false);
  });
});

testBothStores(
  "4 writer processes (4 machines) × 200 models at once: nothing lost or duplicated",
  async (backend, t) => {
    const db = await backend.fresh("writers");
    // Create the schema first, as `gguf-bench db migrate` would; writers racing to create it is tested apart.
    await (await openStore(db)).close();
    const count = 200;
    const hosts = ["lab-1", "lab-2", "ci-runner", "laptop"];
    const ids = hosts.map(() => nextRunId());
    const children = ids.map((id, i) => startWriter([db, id, String(count), "race", hosts[i] as string], "pipe"));
    const outputs = children.map(() => "");
    const exits = children.map((child) => exitOf(child));
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
    // Figures for the note, never asserted (timings are noisy on a shared machine).
    const saves = outputs.flatMap((o) => (o.match(/saves ([\d.,]+)/)?.[1] ?? "").split(",").map(Number));
    const windows = outputs.map((o) => (o.match(/window (\d+) (\d+)/) ?? []).slice(1).map(Number));
    const overlap = Math.min(...windows.map((w) => w[1] ?? 0)) - Math.max(...windows.map((w) => w[0] ?? 0));
    t.diagnostic(
      `${backend.name}: ${saves.length} saves by 4 processes, per save p50 ${percentile(saves, 0.5).toFixed(2)} ms, ` +
        `p99 ${percentile(saves, 0.99).toFixed(2)} ms, max ${percentile(saves, 1).toFixed(2)} ms; ` +
        `all four writing at once for ${Math.max(0, overlap)} ms`,
    );
    await withStore(db, async (store) => {
      for (const [i, id] of ids.entries()) {
        const run = await store.getRun(id);
        assert.deepEqual(
          run?.models.map((m) => m.label),
          Array.from({ length: count }, (_, k) => `model-${k}.gguf`),
        );
        assert.equal(run?.environment.hostname, hosts[i]);
        assert.equal(run?.finishedAt, "2026-11-26T07:00:00.000Z");
      }
      const rows = await store.listRuns();
      assert.deepEqual(rows.map((r) => r.status).sort(), ["ok", "ok", "ok", "ok"]);
      assert.deepEqual(
        (await store.listMachines()).map((m) => [m.hostname, m.runs]).sort(),
        hosts.map((h) => [h, 1]).sort(),
      );
    });
  },
);

testBothStores("many processes creating the schema at once: one creates it, all write", async (backend) => {
  const db = await backend.fresh("create-race");
  const ids = [nextRunId(), nextRunId(), nextRunId()];
  const exits = ids.map((id) => exitOf(startWriter([db, id, "3", "finish"])));
  for (const result of await Promise.all(exits)) assert.deepEqual(result, { code: 0, signal: null, stderr: "" });
  await withStore(db, async (store) => {
    for (const id of ids) assert.equal((await store.getRun(id))?.models.length, 3);
  });
});

testBothStores("a database of a newer gguf-bench schema is refused in one line, unchanged", async (backend) => {
  const db = await backend.fresh("newer");
  await withStore(db, async (store) => {
    await store.importRun(buildRun());
  });
  await setSchemaVersion(backend.name, db, 99);
  for (const open of [openStore, openExistingStore]) {
    await assert.rejects(open(db), (error: unknown) => {
      assert.ok(error instanceof GgufBenchError);
      assert.equal(error.code, "db-too-new");
      assert.match(error.message, /newer gguf-bench \(database schema 99, this build knows up to 4\)/);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  }
  assert.equal(await schemaVersion(backend.name, db), 99);
});

testBothStores("read-only commands create nothing where there is no history", async (backend) => {
  const db = await backend.fresh("absent");
  assert.equal(await openExistingStore(db), null);
  assert.equal(await schemaVersion(backend.name, db), null, "still nothing there");
});

testBothStores("machines: same environment one machine, another GPU or RAM another", async (backend) => {
  await withStore(await backend.fresh("machines"), async (store) => {
    const base = buildEnvironment();
    await store.importRun(buildRun({ environment: base }));
    await store.importRun(buildRun({ environment: { os: { ...base.os, release: "6.9.1" } } }));
    await store.importRun(buildRun({ environment: { gpus: [{ vendor: "NVIDIA", model: "RTX 4090", vramBytes: 1 }] } }));
    await store.importRun(buildRun({ environment: { memory: { totalBytes: 64 * 1024 ** 3, availableBytes: 1 } } }));
    const machines = await store.listMachines();
    assert.equal(machines.length, 3, "a kernel update is the same machine");
    assert.deepEqual(machines.map((m) => m.runs).sort(), [1, 1, 2]);
    for (const m of machines) assert.match(m.name, /^bench-host-[0-9a-f]{4}$/);
  });
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

/** The stored schema version, or null when there is no gguf-bench schema (without creating one). */
async function schemaVersion(kind: "sqlite" | "postgres", db: string): Promise<number | null> {
  if (kind === "postgres") {
    const result = await adminQuery(db, "SELECT to_regclass('gguf_bench.schema_version') IS NOT NULL AS present");
    if (!result.rows[0]?.present) return null;
    return (await adminQuery(db, "SELECT version FROM gguf_bench.schema_version")).rows[0]?.version ?? null;
  }
  const { existsSync, readFileSync } = await import("node:fs");
  if (!existsSync(db)) return null;
  // user_version lives at byte offset 60 of the SQLite header (big-endian 32-bit).
  return readFileSync(db).readUInt32BE(60);
}

async function setSchemaVersion(kind: "sqlite" | "postgres", db: string, version: number): Promise<void> {
  if (kind === "postgres") {
    await adminQuery(db, "UPDATE gguf_bench.schema_version SET version = $1", [version]);
    return;
  }
  const { readFileSync, writeFileSync } = await import("node:fs");
  const bytes = readFileSync(db);
  bytes.writeUInt32BE(version, 60);
  writeFileSync(db, bytes);
}
