import { Command } from "@commander-js/extra-typings";
import { RunResolver } from "../../compare/resolveRun.ts";
import { renderMarkdown } from "../../report/renderMarkdown.ts";
import { defaultDbPath } from "../../store/resultStore.ts";
import type { SetExitCode } from "../setExitCode.ts";

export function showCommand(_setExitCode: SetExitCode) {
  return new Command("show")
    .description("Print the Markdown report of a run from the history database (or of a results.json).")
    .argument("<run>", "run id or unique id prefix (see `gguf-bench history`), or a results.json path")
    .option("--db <path>", "history database (default $XDG_DATA_HOME/gguf-bench/results.db)")
    .action(async (ref, options) => {
      const resolver = new RunResolver(options.db ?? defaultDbPath());
      try {
        const { run } = await resolver.resolve(ref);
        process.stdout.write(renderMarkdown([run]));
      } finally {
        resolver.close();
      }
    });
}
