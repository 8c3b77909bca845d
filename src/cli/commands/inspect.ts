import { Command } from "@commander-js/extra-typings";
import Table from "cli-table3";
import { ubatchRun } from "../../analysis/ubatchRun.ts";
import { GgufBenchError } from "../../errors.ts";
import { fsErrorText } from "../../files/fsErrorText.ts";
import { expandModelFolder } from "../../gguf/expandModelFolder.ts";
import type { ModelInfo } from "../../gguf/modelInfo.ts";
import { modelInfoRows } from "../../gguf/modelInfoRows.ts";
import { readModelInfo } from "../../gguf/readModelInfo.ts";
import { RUN_DEFAULTS } from "../../suite/defaults.ts";
import { printable } from "../../text/printable.ts";
import { writeErrLine, writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";

type InspectOutcome = ModelInfo | { file: string; error: { code: string; message: string } };

export function inspectCommand(setExitCode: SetExitCode) {
  return new Command("inspect")
    .description(
      "Read GGUF headers (never the weights) and print what each model is: shape, size, quantization, KV cache cost.",
    )
    .argument("<file-or-dir...>", "GGUF files, or directories to scan for .gguf files (recursively)")
    .option("--json", "print a JSON array: one model info object per file, or { file, error: { code, message } }")
    .action(async (inputs, options) => {
      const outcomes: InspectOutcome[] = [];
      const skipped: string[] = [];
      for (const input of inputs) {
        for (const file of await expand(input, outcomes, skipped)) outcomes.push(await inspectOne(file));
      }
      // Warnings, not failures: what was passed over is not a model (stdout stays the tables or the JSON).
      for (const line of skipped) writeErrLine(line);
      if (outcomes.some((outcome) => "error" in outcome)) setExitCode(1);
      if (options.json) {
        writeOut(`${JSON.stringify(outcomes, null, 2)}\n`);
        return;
      }
      for (const outcome of outcomes) {
        if ("error" in outcome) writeErrLine(outcome.error.message);
        else writeOut(`${renderTable(outcome)}\n`);
      }
    });
}

/** A file as itself; a directory as the .gguf files in it (expandModelFolder). A path that cannot be read becomes an error outcome. */
async function expand(input: string, outcomes: InspectOutcome[], skipped: string[]): Promise<string[]> {
  try {
    const folder = await expandModelFolder(input);
    if (folder === null) return [input];
    // A sub-folder that cannot be read is one failure; the models in the rest are still shown.
    for (const entry of folder.unreadable) outcomes.push(failure(entry.path, "io", entry.message));
    skipped.push(...folder.skipped);
    if (folder.files.length === 0)
      outcomes.push(failure(input, "no-models", `${input}: no .gguf files in this directory`));
    return folder.files;
  } catch (error) {
    outcomes.push(failure(input, "io", `${input}: cannot read (${fsErrorText(error)})`));
    return [];
  }
}

async function inspectOne(file: string): Promise<InspectOutcome> {
  try {
    return await readModelInfo(file);
  } catch (error) {
    if (error instanceof GgufBenchError) return failure(file, error.code, error.message);
    throw error;
  }
}

function failure(file: string, code: string, message: string): InspectOutcome {
  return { file, error: { code, message } };
}

function renderTable(info: ModelInfo): string {
  const table = new Table({
    style: { head: [], border: [] },
    // one frame per model, no rule between rows: reads like a record, not a grid
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  // The sliding-window cache as `run` would hold it: node-llama-cpp with the default batch (ubatchRun).
  const batchSize = RUN_DEFAULTS.batchSize[0] ?? 512;
  const ubatch = ubatchRun(info, { engine: "node-llama-cpp", batchSize, ubatchSize: batchSize }) ?? undefined;
  for (const [label, value] of modelInfoRows(info, ubatch)) table.push([label, printable(value)]);
  return table.toString();
}
