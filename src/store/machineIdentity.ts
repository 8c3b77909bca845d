import { createHash } from "node:crypto";

/** A machine as the history knows it: a fingerprint of what makes its figures what they are. */
export interface MachineIdentity {
  /** sha256 (hex, first 16 characters) of `description`: stable across runs, reboots and kernel updates. */
  id: string;
  /** Short, readable, safe to print: the hostname (sanitised) and the first 4 characters of the id. */
  name: string;
  hostname: string;
  cpuModel: string;
  /** The facts hashed into the id. */
  description: MachineDescription;
}

export interface MachineDescription {
  hostname: string;
  cpuModel: string;
  logicalCores: number | null;
  /** Total RAM rounded to whole GiB, so a few MiB the kernel reserves differently do not change the machine. */
  memoryGiB: number | null;
  /** "vendor model" of each GPU, sorted. */
  gpus: string[];
  /** platform, distribution and architecture; not the kernel release, which changes with every update. */
  os: string;
}

const ID_HEX_CHARS = 16;
const NAME_HOST_CHARS = 32;
const GIB = 1024 ** 3;
/** Strings from a results file are untrusted: bound what is hashed and kept. */
const MAX_FIELD_CHARS = 256;

/**
 * The identity of the machine a run's `environment` describes (hostname, CPU, RAM, GPUs, OS). Takes
 * `unknown` because it also reads headers stored by older builds or imported from elsewhere: a missing
 * field becomes "unknown"/null rather than an error.
 */
export function machineIdentity(environment: unknown): MachineIdentity {
  const env = (typeof environment === "object" && environment !== null ? environment : {}) as Record<string, unknown>;
  const cpu = objectOf(env.cpu);
  const memory = objectOf(env.memory);
  const os = objectOf(env.os);
  const totalBytes = memory.totalBytes;
  const description: MachineDescription = {
    hostname: text(env.hostname),
    cpuModel: text(cpu.model),
    logicalCores: typeof cpu.logicalCores === "number" ? cpu.logicalCores : null,
    memoryGiB: typeof totalBytes === "number" && Number.isFinite(totalBytes) ? Math.round(totalBytes / GIB) : null,
    gpus: (Array.isArray(env.gpus) ? env.gpus : [])
      .map((g) => `${text(objectOf(g).vendor)} ${text(objectOf(g).model)}`)
      .sort(),
    os: [text(os.platform), text(os.distro), text(os.arch)].join(" "),
  };
  const id = createHash("sha256").update(JSON.stringify(description)).digest("hex").slice(0, ID_HEX_CHARS);
  const host = description.hostname.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, NAME_HOST_CHARS) || "host";
  return {
    id,
    name: `${host}-${id.slice(0, 4)}`,
    hostname: description.hostname,
    cpuModel: description.cpuModel,
    description,
  };
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === "string" && value !== "" ? value.slice(0, MAX_FIELD_CHARS) : "unknown";
}
