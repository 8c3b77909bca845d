import path from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import { availableCores } from "../../environment/availableCores.ts";
import { UsageError } from "../../errors.ts";
import { formatBytes } from "../../gguf/modelInfoRows.ts";
import { runQuantize } from "../../quantize/runQuantize.ts";
import { writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";

export function quantizeCommand(_setExitCode: SetExitCode) {
  return new Command("quantize")
    .description(
      "Write quantized copies of an F32/F16/BF16 model, one per type: with llama.cpp's llama-quantize when it is built " +
        "(gguf-bench engine build), otherwise with gguf-bench's own exact Q8_0/Q4_0 code. Prints which was used.",
    )
    .argument("<model>", "GGUF file with F32, F16 or BF16 weights")
    .requiredOption("--types <list>", "comma-separated types, e.g. q8_0,q4_0 (llama-quantize also: q4_k_m, q6_k, …)")
    .option("--out <dir>", "folder for the quantized files (default: beside the input)")
    .addOption(
      new Option("--quantizer <which>", "auto: llama-quantize when built, else gguf-bench")
        .choices(["auto", "llama-quantize", "gguf-bench"] as const)
        .default("auto" as const),
    )
    .option("--threads <n>", "threads for llama-quantize (default: the cores available)")
    .option("--force", "replace output files that already exist (refused otherwise)")
    .action(async (model, options) => {
      const types = options.types.split(",").map((t) => t.trim().toLowerCase());
      if (types.some((t) => t === ""))
        throw new UsageError(`--types takes a comma-separated list, got '${options.types}'`);
      let threads = availableCores().cores;
      if (options.threads !== undefined) {
        threads = Number(options.threads);
        if (!/^\d+$/.test(options.threads) || threads < 1 || threads > 1024)
          throw new UsageError(`--threads must be an integer from 1 to 1024, got '${options.threads}'`);
      }
      if (options.out !== undefined && options.out.trim() === "")
        throw new UsageError("--out needs a folder; omit it to write beside the input");
      const outDir = options.out ?? path.dirname(model);
      await runQuantize(
        {
          input: model,
          types: [...new Set(types)],
          outDir,
          quantizer: options.quantizer,
          threads,
          force: options.force === true,
        },
        (file) => {
          writeOut(`${file.type}: ${file.path} (${formatBytes(file.bytes)}, ${file.quantizer})\n`);
          for (const note of file.notes) writeOut(`  note: ${note}\n`);
        },
      );
    });
}
