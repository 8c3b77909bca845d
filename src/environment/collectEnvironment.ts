import { readFileSync } from "node:fs";
import os from "node:os";
import si from "systeminformation";
import { bundledLlamaCppSource } from "../engines/enginePaths.ts";
import type { Environment } from "../results/types.ts";
import { cpuCaches, cpuinfoField, readSysfsCaches, simdFeatures } from "./cpuFeatures.ts";
import { storageOf } from "./storageOf.ts";

/** Filled from the worker's `ready` message once a child has started; "unknown" until then. */
export const UNKNOWN = "unknown";

/** Why the llama.cpp commit stays unrecorded in a run where no worker started (e.g. only server engines ran). */
const NODE_LLAMA_CPP_DID_NOT_RUN = "node-llama-cpp did not start in this run";

/**
 * The environment's llama.cpp fields once node-llama-cpp ran: its `ready` message's versions and the commit of
 * the llama.cpp source it ships (read once per process from its bundle, without git: bundledLlamaCppSource).
 */
export function nodeLlamaCppEnvironment<T extends object>(
  versions: T,
): T & Pick<Environment, "llamaCppCommit" | "llamaCppCommitNotRecordedReason"> {
  const source = bundledLlamaCppSource();
  return { ...versions, llamaCppCommit: source.commit, llamaCppCommitNotRecordedReason: source.reason };
}

/**
 * The machine a run measures, collected once per run. The node-llama-cpp version, llama.cpp build and backend
 * are only known inside the worker (the only code that loads node-llama-cpp) and are filled in from its
 * `ready` message, with the llama.cpp commit (nodeLlamaCppEnvironment). `modelFile` picks the filesystem reported
 * under storage.
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
  const cpuinfo = readCpuinfo();
  const flags = cpuinfoField(cpuinfo, "flags") ?? cpuinfoField(cpuinfo, "Features") ?? cpu.flags;
  const vendor = cpu.manufacturer || cpu.vendor || "";
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
      vendor,
      family: integerOrNull(cpu.family),
      modelNumber: integerOrNull(cpu.model),
      stepping: integerOrNull(cpu.stepping),
      logicalCores: cpu.cores,
      physicalCores: cpu.physicalCores,
      availableParallelism: os.availableParallelism(),
      simd: simdFeatures(flags ?? ""),
      caches: cpuCaches(readSysfsCaches(), cpuinfoField(cpuinfo, "cache size"), vendor),
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
    llamaCppCommit: null,
    llamaCppCommitNotRecordedReason: NODE_LLAMA_CPP_DID_NOT_RUN,
    backend: UNKNOWN,
    llamaCppSystemInfo: null,
    memoryBandwidthBytesPerSecond: null,
    nodeLlamaCppBuild: null,
    engines: [],
  };
}

/** "26" → 26 (systeminformation gives CPUID fields as text; hexadecimal on some Arm systems, e.g. "0xd0c"). */
function integerOrNull(text: string | undefined): number | null {
  if (text === undefined || text.trim() === "") return null;
  const value = Number(text.trim());
  return Number.isSafeInteger(value) ? value : null;
}

function readCpuinfo(): string | null {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return null;
  }
}
