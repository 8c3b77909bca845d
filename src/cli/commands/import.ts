import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import { loadResultsFile } from "../../results/loadResultsFile.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { openStore } from "../../store/resultStore.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import type { SetExitCode } from "../setExitCode.ts";

export function importCommand(setExitCode: SetExitCode) {
  return new Command("import")
    .description(
      "Add runs made elsewhere (results.json files) to the history database. A run already there is skipped; " +
        "a run stored only in part (its database went away or stayed locked mid-run) is completed from the file.",
    )
    .argument("<results...>", "results.json files")
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .action(async (files, options) => {
      const db = resolveDbLocation(options.db);
      const store = await openStore(db);
      try {
        for (const file of files) {
          // One bad file does not stop the others; it makes the exit code 1.
          try {
            const run = await loadResultsFile(file);
            const id = run.runId.slice(0, 8);
            const outcome = await store.importRun(run);
            if (outcome.kind === "added") {
              process.stdout.write(`imported run ${id} (${run.models.length} model result(s)) from ${file}\n`);
            } else if (outcome.kind === "completed") {
              process.stdout.write(
                `completed run ${id} from ${file}: ${outcome.added} model result(s) added, ${run.models.length} in all\n`,
              );
            } else {
              process.stdout.write(`run ${id} from ${file} is already in ${store.display}: skipped\n`);
            }
          } catch (error) {
            if (!(error instanceof GgufBenchError)) throw error;
            process.stderr.write(`gguf-bench: ${error.message}\n`);
            setExitCode(1);
          }
        }
      } finally {
        await store.close();
      }
    });
}
