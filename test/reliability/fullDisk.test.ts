import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import type { RunResults } from "../../src/results/types.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { spawnCli } from "../helpers/spawnCli.ts";
import { fillDisk, withTmpfs } from "../helpers/tmpfs.ts";

/** The smallest real benchmark: one synthesised tiny model, one run, one context. */
const TINY_RUN = [
  "--runs",
  "1",
  "--warmup",
  "0",
  "--max-tokens",
  "4",
  "--threads",
  "1",
  "--inference-context",
  "256",
  "--contexts",
  "256",
  "--no-bandwidth",
  "--format",
  "md,json",
];

let dir: string;
let model: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-full-disk-"));
  model = (await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out: path.join(dir, "tiny.gguf") }))
    .path;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs the tiny benchmark into `out` and `db`, fills the tmpfs at `disk` once the model loads, and checks the run
 * ended with exit 1 and no stack trace; its stderr.
 */
async function fillDiskMidRun(disk: string, out: string, db: string): Promise<string> {
  const cli = spawnCli(["run", model, ...TINY_RUN, "--out", out, "--db", db]);
  await cli.waitForStderr(/› load/);
  fillDisk(disk);
  const { code, stderr } = await cli.done;
  assert.equal(code, 1, stderr);
  assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  return stderr;
}

const lines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("gguf-bench:"));

test("the output disk fills mid-run: the history database still gets the model, results.json keeps its last complete state, no half file, one line each, exit 1", async (t) => {
  await withTmpfs(t, { sizeBytes: 1024 * 1024 }, async (disk) => {
    const out = path.join(disk, "out");
    const db = path.join(dir, "history-1.db");
    const stderr = await fillDiskMidRun(disk, out, db);
    const problems = lines(stderr);
    assert.ok(
      problems.some((l) =>
        /results\.json holds 0 of 1 result\(s\): its latest write failed \(no space left on device \(ENOSPC\)\)/.test(
          l,
        ),
      ),
      stderr,
    );
    assert.ok(
      problems.some((l) => /reports not written to .*report\.md \(no space left on device/.test(l)),
      stderr,
    );
    // The file is the complete header written before the disk filled; no temporary file is left beside it.
    const saved = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
    assert.equal(saved.models.length, 0);
    assert.deepEqual((await readdir(out)).sort(), ["results.json"]);
    // The independent destination has the measured model.
    const store = await openStore(db);
    try {
      const run = await store.getRun(saved.runId);
      assert.equal(run?.models.length, 1);
      assert.equal(run?.models[0]?.status, "ok");
      assert.ok(run?.finishedAt);
    } finally {
      await store.close();
    }
  });
});

test("the history database's disk fills mid-run: results.json still gets the model and the reports are written, one line names what the database missed, exit 1", async (t) => {
  await withTmpfs(t, { sizeBytes: 1024 * 1024 }, async (disk) => {
    const out = path.join(dir, "out-2");
    const db = path.join(disk, "history.db");
    const stderr = await fillDiskMidRun(disk, out, db);
    assert.ok(
      lines(stderr).some((l) =>
        /history database .*history\.db: 1 model result\(s\) not stored \(tiny\.gguf.*\): .*(full|FULL)/.test(l),
      ),
      stderr,
    );
    const saved = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
    assert.equal(saved.models.length, 1);
    assert.ok(saved.finishedAt);
    assert.deepEqual((await readdir(out)).sort(), ["report.json", "report.md", "results.json"]);
  });
});

test("a read-only output disk: one line with the true reason (EROFS), exit 1, before anything runs", async (t) => {
  await withTmpfs(t, { sizeBytes: 64 * 1024, readOnly: true }, async (disk) => {
    for (const out of [disk, path.join(disk, "new", "deeper")]) {
      const { code, stderr } = await spawnCli(["run", model, ...TINY_RUN, "--no-db", "--out", out]).done;
      assert.equal(code, 1, stderr);
      assert.match(
        stderr,
        /^gguf-bench: cannot (write to|create) the output folder .*: read-only file system \(EROFS\); choose another with --out\n$/,
      );
    }
    const synth = await spawnCli(["synth", "--out", path.join(disk, "m.gguf")]).done;
    assert.equal(synth.code, 1);
    assert.equal(
      synth.stderr,
      `gguf-bench: cannot write ${path.join(disk, "m.gguf")}: read-only file system (EROFS)\n`,
    );
    // TMPDIR read-only (tsx, which runs the CLI from source, must not cache there either).
    const whatIf = await spawnCli(["run", "--what-if", "llama:tiny:q8_0", "--no-db", "--out", path.join(dir, "w")], {
      env: { TMPDIR: disk, TSX_DISABLE_CACHE: "1" },
    }).done;
    assert.equal(whatIf.code, 1);
    assert.equal(
      whatIf.stderr,
      `gguf-bench: --what-if llama:tiny:q8_0: cannot create a folder in ${disk} (read-only file system (EROFS)); point TMPDIR at a writable disk\n`,
    );
    assert.equal(existsSync(path.join(dir, "w")), false, "the output folder the failed run made is removed");
    const report = await spawnCli(["report", path.join(dir, "out-2", "results.json"), "--out", disk]).done;
    assert.equal(report.code, 1);
    assert.match(
      report.stderr,
      /^gguf-bench: reports not written to .*: report\.md \(read-only file system \(EROFS\)\).*\n$/,
    );
  });
});

test("import or run onto a full disk: one line, exit 1, and no empty database file or output folder left behind", async (t) => {
  await withTmpfs(t, { sizeBytes: 256 * 1024 }, async (disk) => {
    const results = path.join(dir, "out-2", "results.json");
    fillDisk(disk);
    const db = path.join(disk, "history.db");
    const run = await spawnCli(["import", results, "--db", db]).done;
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr, `gguf-bench: database ${db}: database or disk is full (SQLITE_FULL)\n`);
    // A run whose results.json cannot even be started leaves no empty output folder either.
    const out = path.join(disk, "out");
    const started = await spawnCli(["run", model, ...TINY_RUN, "--no-db", "--out", out]).done;
    assert.equal(started.code, 1, started.stderr);
    assert.equal(
      started.stderr,
      `gguf-bench: cannot write ${path.join(out, "results.json")}: no space left on device (ENOSPC); choose another folder with --out\n`,
    );
    assert.deepEqual(await readdir(disk), ["filler"]);
  });
});

test("report onto a full disk: one line, exit 1, and the folders it made for --out are removed; a folder that was there stays", async (t) => {
  const results = path.join(dir, "report-source.json");
  await writeFile(results, `${JSON.stringify(buildRun())}\n`);
  await withTmpfs(t, { sizeBytes: 256 * 1024 }, async (disk) => {
    fillDisk(disk);
    const out = path.join(disk, "new", "reports");
    const report = await spawnCli(["report", results, "--format", "md,json", "--out", out]).done;
    assert.equal(report.code, 1, report.stderr);
    assert.match(
      report.stderr,
      /^gguf-bench: reports not written to .*: report\.md \(no space left on device \(ENOSPC\)\), report\.json \(no space left on device \(ENOSPC\)\)\n$/,
    );
    assert.equal(report.stdout, "");
    assert.deepEqual(await readdir(disk), ["filler"], "both levels report made are gone");
    const existing = path.join(disk, "mine");
    await mkdir(existing);
    const again = await spawnCli(["report", results, "--format", "md", "--out", existing]).done;
    assert.equal(again.code, 1, again.stderr);
    assert.deepEqual(await readdir(existing), [], "the user's own folder is kept");
  });
});
