import assert from "node:assert/strict";
import os from "node:os";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { collectEnvironment } from "../../src/environment/collectEnvironment.ts";
import { storageOf } from "../../src/environment/storageOf.ts";

test("the environment of this machine, with the storage of a given file", async () => {
  const here = fileURLToPath(import.meta.url);
  const env = await collectEnvironment(here);
  assert.equal(env.cpu.availableParallelism, os.availableParallelism());
  assert.ok(env.cpu.logicalCores >= 1 && env.cpu.model.length > 0);
  assert.equal(env.memory.totalBytes > 0, true);
  assert.equal(env.node, process.version);
  if (process.platform === "linux") assert.ok(env.storage && here.startsWith(env.storage.path.slice(0, 1)));
  assert.equal(env.nodeLlamaCpp, "unknown", "the worker fills it in");
});

test("storage picks the longest mount point that holds the file", () => {
  const filesystems = [
    { fs: "/dev/vda", type: "ext4", mount: "/" },
    { fs: "/dev/nvme0n1p2", type: "xfs", mount: "/models" },
    { fs: "/dev/sdb1", type: "ext4", mount: "/mod" },
  ];
  const devices = [
    { name: "nvme0n1p2", physical: "NVMe" },
    { name: "vda", physical: "HDD" },
  ];
  assert.deepEqual(storageOf("/models/a.gguf", filesystems, devices), {
    path: "/models/a.gguf",
    filesystem: "xfs",
    device: "/dev/nvme0n1p2",
    type: "NVMe",
  });
  assert.equal(storageOf("/modelsX/a.gguf", filesystems, devices)?.device, "/dev/vda");
  assert.equal(storageOf("/mod/a.gguf", filesystems, [])?.type, "unknown");
});
