import assert from "node:assert/strict";
import os from "node:os";
import { test } from "node:test";
import { availableCores, cgroupCpuQuota } from "../../src/environment/availableCores.ts";

test("available cores: the affinity-aware parallelism, lowered by a cgroup CPU quota when one is set", () => {
  const quota = cgroupCpuQuota();
  const { cores, source } = availableCores();
  const parallelism = os.availableParallelism();
  if (quota === null || quota >= parallelism) {
    assert.equal(cores, parallelism);
    assert.equal(source, `os.availableParallelism() = ${parallelism}`);
  } else {
    assert.equal(cores, Math.max(1, Math.floor(quota)));
    assert.match(source, /^cgroup CPU quota/);
  }
});
