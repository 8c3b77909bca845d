import { realpathSync } from "node:fs";
import type { Environment } from "../results/types.ts";

interface FsEntry {
  fs: string;
  type: string;
  mount: string;
}
interface BlockDevice {
  name: string;
  device?: string;
  physical: string;
}

/**
 * The filesystem a file lives on (longest mount-point prefix of its real path) and the kind of device under it
 * (systeminformation's `physical`: HDD, SSD, NVMe; a virtual disk often reads "HDD" whatever backs it).
 */
export function storageOf(file: string, filesystems: FsEntry[], devices: BlockDevice[]): Environment["storage"] {
  let path = file;
  try {
    path = realpathSync(file);
  } catch {
    // Keep the path as given: the file may not exist yet (a demo model about to be written).
  }
  const within = (mount: string) => mount === "/" || path === mount || path.startsWith(`${mount}/`);
  const entry = filesystems
    .filter((f) => f.mount && within(f.mount))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
  if (!entry) return null;
  const deviceName = entry.fs.replace(/^\/dev\//, "");
  const device = devices.find((d) => d.name === deviceName || d.device === entry.fs);
  return { path, filesystem: entry.type, device: entry.fs, type: device?.physical || "unknown" };
}
