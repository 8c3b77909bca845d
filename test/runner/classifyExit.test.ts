import assert from "node:assert/strict";
import { test } from "node:test";
import { type ChildEnd, classifyExit } from "../../src/runner/classifyExit.ts";

const end = (over: Partial<ChildEnd>): ChildEnd => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  interrupted: false,
  sawDone: true,
  lastStage: "inference",
  timeoutMs: 600_000,
  ...over,
});

test("each way a child can end has its outcome and code", () => {
  const table: [Partial<ChildEnd>, string, string | null][] = [
    [{}, "ok", null],
    [{ sawDone: false }, "error", "worker-exit"],
    [{ exitCode: 1 }, "error", "worker-exit"],
    [{ exitCode: null, signal: "SIGSEGV" }, "crash", "crash"],
    [{ exitCode: null, signal: "SIGABRT" }, "crash", "crash"],
    [{ exitCode: null, signal: "SIGKILL" }, "killed", "killed"],
    [{ exitCode: null, signal: "SIGKILL", timedOut: true }, "timeout", "timeout"],
    [{ exitCode: null, signal: "SIGKILL", interrupted: true }, "interrupted", "interrupted"],
    [{ exitCode: null, signal: "SIGINT" }, "interrupted", "interrupted"],
    [{ exitCode: null, spawnError: "ENOENT" }, "error", "spawn-failed"],
  ];
  for (const [over, outcome, code] of table) {
    const result = classifyExit(end(over));
    assert.equal(result.outcome, outcome, JSON.stringify(over));
    assert.equal(result.error?.code ?? null, code, JSON.stringify(over));
  }
});

test("messages say the stage, the signal and the limit", () => {
  assert.equal(
    classifyExit(end({ exitCode: null, signal: "SIGSEGV", lastStage: "contexts" })).error?.message,
    "crashed with SIGSEGV during contexts",
  );
  assert.equal(
    classifyExit(end({ exitCode: null, signal: "SIGKILL", lastStage: "load" })).error?.message,
    "killed by SIGKILL (out of memory?) during load",
  );
  assert.equal(
    classifyExit(end({ exitCode: null, signal: "SIGKILL", timedOut: true, timeoutMs: 90_000 })).error?.message,
    "exceeded --timeout 90 s during inference; the process was killed",
  );
  assert.equal(classifyExit(end({ exitCode: 3 })).error?.stage, "inference");
});
