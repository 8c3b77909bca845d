import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type CpuReading,
  MIN_INTERVAL_TICKS,
  otherCpuShare,
  parsePidStatTicks,
  parseProcStat,
} from "../../src/runner/cpuTicks.ts";

/** A /proc/stat as Linux writes it: the aggregate line, per-CPU lines, then other counters. */
function procStat(user: number, nice: number, system: number, idle: number, iowait: number, irq: number): string {
  // softirq 5, steal 3, guest 7 (already inside user), guest_nice 0.
  return [
    `cpu  ${user} ${nice} ${system} ${idle} ${iowait} ${irq} 5 3 7 0`,
    "cpu0 1 2 3 4 5 6 7 8 0 0",
    "intr 12345 0 0",
    "ctxt 999",
    "",
  ].join("\n");
}

/** A /proc/<pid>/stat line whose command name holds a space and a ")" (fields 14–17: utime stime cutime cstime). */
function pidStat(utime: number, stime: number, cutime: number, cstime: number): string {
  return `4242 (llama) server) S 1 4242 4242 0 -1 4194304 100 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 3 0 500 1000000 200`;
}

function reading(stat: string, ...pids: string[]): CpuReading {
  const machine = parseProcStat(stat);
  assert.ok(machine);
  const own = pids.map((p) => parsePidStatTicks(p));
  assert.ok(own.every((t) => t !== null));
  return { ...machine, ownTicks: own.reduce((a: number, b) => a + (b ?? 0), 0) };
}

test("busy = user + nice + system + irq + softirq + steal; total adds idle and iowait", () => {
  assert.deepEqual(parseProcStat(procStat(100, 10, 50, 1000, 20, 4)), {
    busyTicks: 100 + 10 + 50 + 4 + 5 + 3,
    totalTicks: 100 + 10 + 50 + 4 + 5 + 3 + 1000 + 20,
  });
  assert.equal(parseProcStat("cpu0 1 2 3 4 5 6 7 8\n"), null);
  assert.equal(parseProcStat("cpu  1 2 3\n"), null);
});

test("a process's ticks are utime + stime + cutime + cstime, counted after the last ')'", () => {
  assert.equal(parsePidStatTicks(pidStat(30, 7, 100, 3)), 140);
  assert.equal(parsePidStatTicks("no stat here"), null);
  assert.equal(parsePidStatTicks("1 (x) S 1 2"), null);
});

test("other processes' share: machine busy minus ours, over all cores' time", () => {
  // Over the interval: 200 ticks of all cores (2 cores × 1 s at 100 Hz); busy rose by 150, ours (the measured
  // process 60, gguf-bench itself 10) by 70: others took 80 of 200.
  const before = reading(procStat(1000, 0, 200, 5000, 0, 0), pidStat(50, 10, 0, 0), pidStat(5, 5, 0, 0));
  const after = reading(procStat(1120, 0, 230, 5050, 0, 0), pidStat(100, 20, 0, 0), pidStat(8, 12, 0, 0));
  assert.equal(after.totalTicks - before.totalTicks, 200);
  assert.deepEqual(otherCpuShare(before, after), { fraction: 0.4 });
});

test("a server reaped within the interval counts as ours through the parent's cutime", () => {
  // At the start the server (40 ticks so far) is alive; at the end it is gone and gguf-bench's cutime holds its 90.
  const before = reading(procStat(0, 0, 0, 0, 0, 0), pidStat(1, 1, 0, 0), pidStat(30, 10, 0, 0));
  const after = reading(procStat(70, 0, 30, 100, 0, 0), pidStat(1, 1, 80, 10));
  // Busy rose by 100 (of 200), ours by 90 − 40 = 50: others took 50.
  assert.deepEqual(otherCpuShare(before, after), { fraction: 0.25 });
});

test("clamped to [0, 1], and too short an interval is not measured", () => {
  const before = reading(procStat(0, 0, 0, 0, 0, 0), pidStat(0, 0, 0, 0));
  const oursAboveBusy = reading(procStat(50, 0, 0, 50, 0, 0), pidStat(55, 0, 0, 0));
  assert.deepEqual(otherCpuShare(before, oursAboveBusy), { fraction: 0 });
  const short = reading(procStat(MIN_INTERVAL_TICKS - 2, 0, 0, 1, 0, 0), pidStat(0, 0, 0, 0));
  const result = otherCpuShare(before, short);
  assert.equal(result.fraction, null);
  assert.match("reason" in result ? result.reason : "", /too short to tell \(39 clock ticks/);
});
