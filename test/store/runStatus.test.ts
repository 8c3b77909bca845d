import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { test } from "node:test";
import { processStartToken } from "../../src/store/processStartToken.ts";
import { type RunStatusInput, runStatus } from "../../src/store/runStatus.ts";

const finished = (modelStatuses: RunStatusInput["modelStatuses"], interrupted = false): RunStatusInput => ({
  finishedAt: "2026-11-26T07:00:00.000Z",
  interrupted,
  writerHost: hostname(),
  writerPid: process.pid,
  writerToken: null,
  modelStatuses,
});
const unfinished = (writer: Partial<RunStatusInput>): RunStatusInput => ({
  finishedAt: null,
  interrupted: false,
  writerHost: hostname(),
  writerPid: process.pid,
  writerToken: processStartToken(process.pid),
  modelStatuses: ["ok"],
  ...writer,
});

test("a finished run is ok, partial, failed or interrupted from its cases", () => {
  assert.equal(runStatus(finished(["ok", "ok"])), "ok");
  assert.equal(runStatus(finished(["ok", "failed"])), "partial");
  assert.equal(runStatus(finished(["partial"])), "partial");
  assert.equal(runStatus(finished(["failed", "failed"])), "failed");
  assert.equal(runStatus(finished([])), "failed");
  assert.equal(runStatus(finished(["ok"], true)), "interrupted");
  // A case a stop cut short makes the run interrupted even where its header did not say so.
  assert.equal(runStatus(finished(["ok", "interrupted"])), "interrupted");
});

test("an unfinished run is running only while the same writer process lives", (t) => {
  assert.equal(runStatus(unfinished({})), "running");
  assert.equal(runStatus(unfinished({ writerHost: "another-machine" })), "running");
  assert.equal(runStatus(unfinished({ writerHost: null, writerPid: null, writerToken: null })), "interrupted");
  const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
  assert.equal(runStatus(unfinished({ writerPid: dead, writerToken: null })), "interrupted");
  if (processStartToken(process.pid) === null) return t.skip("no /proc here: PID reuse cannot be told apart");
  // Our own live PID with another start token: what a reused PID looks like.
  assert.equal(runStatus(unfinished({ writerToken: "another-boot:12345" })), "interrupted");
});

test("processStartToken is stable for a live process and null for a gone one", (t) => {
  const token = processStartToken(process.pid);
  if (token === null) return t.skip("no /proc here");
  assert.match(token, /^[0-9a-f-]{36}:\d+$/);
  assert.equal(processStartToken(process.pid), token);
  const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
  assert.equal(processStartToken(dead), null);
});
