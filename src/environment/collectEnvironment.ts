import os from "node:os";
import si from "systeminformation";
import type { Environment } from "../results/types.ts";
import { storageOf } from "./storageOf.ts";

/** Filled from the worker's `ready` message once a child has started; "unknown" until then. */
export const UNKNOWN = "unknown";

/**
 * The machine a run measures, collected once per run. The node-llama-cpp version, llama.cpp build and backend
 * are only known inside the worker (the only code that loads node-llama-cpp) and are filled in from its
 * `ready` message. `modelFile` picks the filesystem reported under storage.
 */
export async function collectEnvironment(modelFile: string | null): Promise<Environment> {
  const [osInfo, cpu, mem, graphics, filesystems, devices] = await Promise.all([
    si.osInfo(),
    si.cpu(),
    si.mem(),
    si.graphics().catch(() => ({ controllers: [] })),
    si.fsSize().catch(() => []),
    si.blockDevices().catch(() => []),
  ]);
  const cpuModel = os.cpus()[0]?.model?.trim() || `${cpu.manufacturer} ${cpu.brand}`.trim();
  return {
    os: {
      platform: osInfo.platform,
      release: osInfo.kernel,
      distro: `${osInfo.distro} ${osInfo.release}`.trim(),
      arch: osInfo.arch,
    },
    hostname: os.hostname(),
    cpu: {
      model: cpuModel,
      logicalCores: cpu.cores,
      physicalCores: cpu.physicalCores,
      availableParallelism: os.availableParallelism(),
    },
    memory: { totalBytes: mem.total, availableBytes: mem.available },
    gpus: graphics.controllers.map((g) => ({
      vendor: g.vendor,
      model: g.model,
      vramBytes: g.vram ? g.vram * 1024 * 1024 : null,
    })),
    storage: modelFile ? storageOf(modelFile, filesystems, devices) : null,
    node: process.version,
    nodeLlamaCpp: UNKNOWN,
    llamaCppBuild: UNKNOWN,
    backend: UNKNOWN,
    memoryBandwidthBytesPerSecond: null,
  };
}
