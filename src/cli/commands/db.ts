import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { KNOWN_SCHEMA_VERSION } from "../../store/prepareSchema.ts";
import { openExistingStore, openStoreReporting } from "../../store/resultStore.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import type { SetExitCode } from "../setExitCode.ts";

/** `gguf-bench db migrate | check`: for whoever runs a shared history database. */
export function dbCommand(_setExitCode: SetExitCode) {
  const db = new Command("db").description("Look after the history database (SQLite file or PostgreSQL).");
  db.command("migrate")
    .description("Create the gguf-bench schema, or bring an older one up to this build's, in one transaction.")
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .action(async (options) => {
      const location = resolveDbLocation(options.db);
      const { store, change } = await openStoreReporting(location);
      await store.close();
      const now = `database schema ${change.after}`;
      const message =
        change.before === null
          ? `created ${now}`
          : change.before === change.after
            ? `already at ${now}: nothing to do`
            : `migrated database schema ${change.before} → ${change.after}`;
      process.stdout.write(`${location.display}: ${message}\n`);
    });
  db.command("check")
    .description("Check, without changing anything, that the database is reachable, ours and current; list machines.")
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .action(async (options) => {
      const location = resolveDbLocation(options.db);
      const store = await openExistingStore(location);
      if (!store) {
        throw new GgufBenchError(
          "db-empty",
          `${location.display} holds no gguf-bench history yet (a run creates it; so does: gguf-bench db migrate)`,
        );
      }
      try {
        const machines = await store.listMachines();
        const runs = machines.reduce((sum, m) => sum + m.runs, 0);
        const lines = [
          `database: ${location.display} (${location.kind === "postgres" ? "PostgreSQL" : "SQLite"})`,
          `schema: ${KNOWN_SCHEMA_VERSION} (current)`,
          `runs: ${runs} from ${machines.length} machine(s)`,
          ...machines.map(
            (m) => `  ${m.name}  ${m.cpuModel}  ${m.runs} run(s)${m.lastStartedAt ? `, last ${m.lastStartedAt}` : ""}`,
          ),
        ];
        process.stdout.write(`${lines.join("\n")}\nok\n`);
      } finally {
        await store.close();
      }
    });
  return db;
}
