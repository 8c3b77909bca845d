import { Command } from "@commander-js/extra-typings";
import { RunResolver } from "../../compare/resolveRun.ts";
import { renderMarkdown } from "../../report/renderMarkdown.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import { writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";

export function showCommand(_setExitCode: SetExitCode) {
  return new Command("show")
    .description("Print the Markdown report of a run from the history database (or of a results.json).")
    .argument("<run>", "run id or unique id prefix (see `gguf-bench history`), or a results.json path")
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .action(async (ref, options) => {
      const resolver = new RunResolver(resolveDbLocation(options.db));
      try {
        const { run } = await resolver.resolve(ref);
        writeOut(renderMarkdown([run]));
      } finally {
        await resolver.close();
      }
    });
}
