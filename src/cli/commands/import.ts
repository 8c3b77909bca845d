import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import { loadResultsFile } from "../../results/loadResultsFile.ts";
import { defaultDbPath, openStore } from "../../store/resultStore.ts";
import type { SetExitCode } from "../setExitCode.ts";

export function importCommand(setExitCode: SetExitCode) {
  return new Command("import")
    .description(
      "Add runs made elsewhere (results.json files) to the history database; a run already there is skipped.",
    )
    .argument("<results...>", "results.json files")
    .option("--db <path>", "history database (default $XDG_DATA_HOME/gguf-bench/results.db)")
    .action(async (files, options) => {
      const store = openStore(options.db ?? defaultDbPath());
      try {
        for (const file of files) {
          // One bad file does not stop the others; it makes the exit code 1.
          try {
            const run = await loadResultsFile(file);
            const id = run.runId.slice(0, 8);
            if (store.importRun(run) === "added") {
              process.stdout.write(`imported run ${id} (${run.models.length} model result(s)) from ${file}\n`);
            } else {
              process.stdout.write(`run ${id} from ${file} is already in ${store.path}: skipped\n`);
            }
          } catch (error) {
            if (!(error instanceof GgufBenchError)) throw error;
            process.stderr.write(`gguf-bench: ${error.message}\n`);
            setExitCode(1);
          }
        }
      } finally {
        store.close();
      }
    });
}
