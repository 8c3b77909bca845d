import { existsSync } from "node:fs";
import { Command, Option } from "@commander-js/extra-typings";
import { GgufBenchError, UsageError } from "../../errors.ts";
import { renderEstimate } from "../../estimate/renderEstimate.ts";
import { runEstimate } from "../../estimate/runEstimate.ts";
import { type DbLocation, resolveDbLocation } from "../../store/dbLocation.ts";
import { openExistingStore, type ResultStore } from "../../store/resultStore.ts";
import { RUN_DEFAULTS } from "../../suite/defaults.ts";
import { parseWhatIf } from "../../whatif/parseWhatIf.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import { writeErrLine, writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";

/** Contexts beyond this are certainly a typo (llama.cpp's largest trained contexts are ~10M tokens). */
const MAX_CONTEXT = 16 * 1024 * 1024;

/** Whether a missing "file" is a what-if spec (parseWhatIf accepts it), to point the user at --what-if. */
function isWhatIfSpec(text: string): boolean {
  try {
    parseWhatIf(text);
    return true;
  } catch {
    return false;
  }
}

export function estimateCommand(setExitCode: SetExitCode) {
  return new Command("estimate")
    .description(
      "Predict a model's memory per context size from its GGUF header alone (weights, KV cache, compute buffers, " +
        "runtime), say whether it fits this machine, and compare with earlier measurements of the same model.",
    )
    .argument("[model]", "GGUF file (a split model: its first part); or give --what-if")
    .option(
      "--what-if <arch:preset:type>",
      "estimate a synthetic shape (as run --what-if takes it) from the header it would have, writing no weights",
    )
    .option("--contexts <list>", `context sizes (default ${RUN_DEFAULTS.contexts.join(",")})`)
    .addOption(new Option("--kv-cache-type <type>", "KV cache type").choices(["f16", "q8_0"]).default("f16"))
    .addOption(new Option("--flash-attention <on|off>", "flash attention").choices(["on", "off"]).default("off"))
    .option("--batch-size <n>", `batch size (default ${RUN_DEFAULTS.batchSize[0]})`)
    .addOption(new Option("--mmap <on|off>", "load with mmap").choices(["on", "off"]).default("on"))
    .option("--json", "print the estimate as JSON")
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .option("--no-db", "do not look up earlier measurements")
    .action(async (model, options) => {
      if ((model === undefined) === (options.whatIf === undefined)) {
        throw new UsageError("estimate takes a GGUF file or --what-if <arch:preset:type>, one of the two");
      }
      if (model !== undefined && !existsSync(model) && isWhatIfSpec(model)) {
        throw new UsageError(`no file named ${model}; to estimate that synthetic shape, give --what-if ${model}`);
      }
      const contexts = options.contexts === undefined ? [...RUN_DEFAULTS.contexts] : parseContexts(options.contexts);
      const batchSize =
        options.batchSize === undefined
          ? RUN_DEFAULTS.batchSize[0]
          : positiveInteger("--batch-size", options.batchSize);
      const kvCacheType = options.kvCacheType === "q8_0" ? "q8_0" : "f16";
      const flashAttention = options.flashAttention === "on";
      if (kvCacheType === "q8_0" && !flashAttention) {
        throw new UsageError(
          "--kv-cache-type q8_0 needs --flash-attention on (llama.cpp refuses a q8_0 V cache without it)",
        );
      }
      const store =
        options.db === false
          ? null
          : await openHistory(resolveDbLocation(typeof options.db === "string" ? options.db : undefined), setExitCode);
      try {
        const report = await runEstimate(
          options.whatIf === undefined ? { path: model ?? "" } : { whatIf: options.whatIf },
          contexts,
          { kvCacheType, flashAttention, batchSize, mmap: options.mmap === "on" },
          store,
        );
        writeOut(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderEstimate(report)}\n`);
      } finally {
        await store?.close();
      }
    });
}

/** History is a bonus here: an unreadable database is reported and the estimate goes on without it. */
async function openHistory(db: DbLocation, setExitCode: SetExitCode): Promise<ResultStore | null> {
  try {
    return await openExistingStore(db);
  } catch (error) {
    if (!(error instanceof GgufBenchError)) throw error;
    writeErrLine(`history not used: ${error.message}`);
    setExitCode(1);
    return null;
  }
}

function parseContexts(text: string): number[] {
  const sizes = text.split(",").map((part) => positiveInteger("--contexts", part.trim()));
  if (sizes.length === 0) throw new UsageError("--contexts needs at least one size, e.g. 512,1024,2048");
  return sizes;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > MAX_CONTEXT) {
    throw new UsageError(`${flag} expects whole numbers between 1 and ${MAX_CONTEXT}, got '${text}'`);
  }
  return value;
}
