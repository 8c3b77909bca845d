import type { MachineIdentity } from "./machineIdentity.ts";
import type { SqlExecutor } from "./sqlDatabase.ts";

/** Records a machine the first time it is seen; many writers may race here, the first one wins. */
export async function upsertMachine(tx: SqlExecutor, machine: MachineIdentity, seenAt: string): Promise<void> {
  await tx.run(
    `INSERT INTO machines (machine_id, name, hostname, cpu_model, description_json, first_seen_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (machine_id) DO NOTHING`,
    [machine.id, machine.name, machine.hostname, machine.cpuModel, JSON.stringify(machine.description), seenAt],
  );
}
