import { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { startServer } from "../../serve/startServer.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { openExistingStore, type ResultStore } from "../../store/resultStore.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import type { SetExitCode } from "../setExitCode.ts";

export const DEFAULT_SERVE_PORT = 8177;

export function serveCommand(_setExitCode: SetExitCode) {
  return new Command("serve")
    .description(
      "Serve a read-only web view of the history: runs (filter by model, machine, date), each run's report, " +
        "comparisons of two runs, and per model a trend of speed and memory, one line per machine. Offline; Ctrl-C stops.",
    )
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .option("--port <n>", `TCP port, 0 for any free one (default ${DEFAULT_SERVE_PORT})`)
    .option("--host <address>", "address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 shares it)")
    .action(async (options) => {
      const db = resolveDbLocation(options.db);
      const port = parsePort(options.port);
      const host = options.host ?? "127.0.0.1";
      if (host.trim() === "") throw new UsageError("--host is empty: give an address such as 127.0.0.1 or 0.0.0.0");
      let store: ResultStore | null = await openExistingStore(db);
      // A history that does not exist yet is served empty, and found once a run creates it.
      const current = async () => {
        if (!store) store = await openExistingStore(db);
        return store;
      };
      const server = await startServer({ host, port, database: db.display, store: current });
      process.stdout.write(`gguf-bench: serving ${db.display} read-only at ${server.url} (Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await server.close();
      await (store as ResultStore | null)?.close();
    });
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SERVE_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port expects a number 0–65535, got '${text}'`);
  return port;
}
