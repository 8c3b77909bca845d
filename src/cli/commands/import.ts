import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import { loadResultsFile } from "../../results/loadResultsFile.ts";
import type { RunResults } from "../../results/types.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { openStore } from "../../store/resultStore.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import { writeErrLine, writeOut } from "../output.ts";
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
      // Every file is read and checked first: when none is a results file, the database is not even opened.
      const runs: { file: string; run: RunResults }[] = [];
      const failed = (error: unknown) => {
        // One bad file does not stop the others; it makes the exit code 1.
        if (!(error instanceof GgufBenchError)) throw error;
        writeErrLine(error.message);
        setExitCode(1);
      };
      for (const file of files) {
        try {
          runs.push({ file, run: await loadResultsFile(file) });
        } catch (error) {
          failed(error);
        }
      }
      if (runs.length === 0) return;
      const store = await openStore(db);
      try {
        for (const { file, run } of runs) {
          try {
            const id = run.runId.slice(0, 8);
            const outcome = await store.importRun(run);
            if (outcome.kind === "added") {
              writeOut(`imported run ${id} (${run.models.length} model result(s)) from ${file}\n`);
            } else if (outcome.kind === "completed") {
              writeOut(
                `completed run ${id} from ${file}: ${outcome.added} model result(s) added, ${run.models.length} in all\n`,
              );
            } else {
              writeOut(`run ${id} from ${file} is already in ${store.display}: skipped\n`);
            }
          } catch (error) {
            failed(error);
          }
        }
      } finally {
        await store.close();
      }
    });
}
