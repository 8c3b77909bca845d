import assert from "node:assert/strict";
import os from "node:os";
import { test } from "node:test";
import { availableCores, decideCores, parseCpuList } from "../../src/environment/availableCores.ts";

// A 4-core machine with SMT: CPUs 0–3 are cores 0–3, CPUs 4–7 their siblings (Linux numbers them so).
const smt = new Map([0, 1, 2, 3, 4, 5, 6, 7].map((cpu) => [cpu, `0:${cpu % 4}`]));

test("physical cores in the affinity mask: SMT siblings are not counted", () => {
  const all = decideCores({ parallelism: 8, allowedCpus: [0, 1, 2, 3, 4, 5, 6, 7], coreOfCpu: smt, quota: null });
  assert.deepEqual(all, {
    cores: 4,
    logicalCpus: 8,
    physicalCores: 4,
    source: "4 physical cores of the 8 logical CPUs this process may use (CPU affinity; SMT siblings not counted)",
  });
  // taskset -c 0,4,1: two cores, one of them with both its threads.
  const pinned = decideCores({ parallelism: 3, allowedCpus: [0, 1, 4], coreOfCpu: smt, quota: null });
  assert.equal(pinned.cores, 2);
  assert.equal(pinned.logicalCpus, 3);
});

test("a cgroup CPU quota lowers the default, rounded down, never below 1", () => {
  const limited = decideCores({ parallelism: 8, allowedCpus: [0, 1, 2, 3, 4, 5, 6, 7], coreOfCpu: smt, quota: 2.5 });
  assert.equal(limited.cores, 2);
  assert.match(limited.source, /^cgroup CPU quota 2\.50 cores \(4 physical cores of the 8 logical/);
  assert.equal(decideCores({ parallelism: 2, allowedCpus: [0, 1], coreOfCpu: null, quota: 0.5 }).cores, 1);
  // A quota above the cores changes nothing.
  assert.equal(decideCores({ parallelism: 8, allowedCpus: null, coreOfCpu: null, quota: 16 }).cores, 8);
});

test("no topology (or a CPU missing from it): the logical CPUs, and the source says why", () => {
  const none = decideCores({ parallelism: 6, allowedCpus: null, coreOfCpu: null, quota: null });
  assert.deepEqual(none, {
    cores: 6,
    logicalCpus: 6,
    physicalCores: null,
    source: "6 logical CPUs available (os.availableParallelism(); no CPU topology to count physical cores)",
  });
  const partial = decideCores({ parallelism: 2, allowedCpus: [0, 9], coreOfCpu: smt, quota: null });
  assert.equal(partial.physicalCores, null);
  assert.equal(partial.cores, 2);
});

test("Cpus_allowed_list ranges; malformed text is null", () => {
  assert.deepEqual(parseCpuList("0-3,8,10-11\n"), [0, 1, 2, 3, 8, 10, 11]);
  assert.deepEqual(parseCpuList("5"), [5]);
  assert.equal(parseCpuList("3-1"), null);
  assert.equal(parseCpuList("a-b"), null);
  assert.equal(parseCpuList("0-99999999"), null);
});

test("on this machine: at most the logical CPUs, at least 1, with a source", () => {
  const here = availableCores();
  assert.ok(here.cores >= 1 && here.cores <= os.availableParallelism(), JSON.stringify(here));
  assert.ok(here.source.length > 0);
});
