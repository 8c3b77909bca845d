import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { formatBytes, formatCount } from "../../gguf/modelInfoRows.ts";
import { SYNTH_ARCHS, SYNTH_TYPES, type SynthArch, type SynthType, synthesizeModel } from "../../gguf/synthesize.ts";
import { SYNTH_PRESET_NAMES } from "../../gguf/synthPresets.ts";
import type { SetExitCode } from "../setExitCode.ts";

function integer(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected a whole number.");
  return n;
}

export function synthCommand(_setExitCode: SetExitCode) {
  return new Command("synth")
    .description(
      "Write a synthetic GGUF model (random seeded weights, a small tokenizer) of a given shape: loads and runs in llama.cpp.",
    )
    .addOption(new Option("--arch <arch>", "architecture").choices(SYNTH_ARCHS).default("llama" as SynthArch))
    .addOption(new Option("--preset <name>", "base shape").choices(SYNTH_PRESET_NAMES).default("tiny"))
    .addOption(
      new Option("--type <type>", "weight type (norms stay F32)").choices(SYNTH_TYPES).default("q8_0" as SynthType),
    )
    .option("--out <file>", "where to write (default: synthetic-<arch>-<preset>-<type>.gguf here)")
    .option("--name <text>", "general.name (default says it is synthetic)")
    .option("--embd <n>", "embedding length", integer)
    .option("--layers <n>", "block count", integer)
    .option("--heads <n>", "attention heads", integer)
    .option("--kv-heads <n>", "KV heads (grouped-query attention)", integer)
    .option("--ff <n>", "feed-forward length (per expert for llama-moe)", integer)
    .option("--vocab <n>", "vocabulary size", integer)
    .option("--ctx <n>", "training context length", integer)
    .option("--experts <n>", "experts (llama-moe)", integer)
    .option("--experts-used <n>", "experts used per token (llama-moe)", integer)
    .option("--seed <n>", "weight seed", integer)
    .action(async (options) => {
      const out = options.out ?? `synthetic-${options.arch}-${options.preset}-${options.type}.gguf`;
      const result = await synthesizeModel({
        arch: options.arch,
        preset: options.preset,
        type: options.type,
        out,
        name: options.name,
        overrides: {
          embd: options.embd,
          layers: options.layers,
          heads: options.heads,
          kvHeads: options.kvHeads,
          ff: options.ff,
          vocab: options.vocab,
          ctx: options.ctx,
          experts: options.experts,
          expertsUsed: options.expertsUsed,
          seed: options.seed,
        },
      });
      process.stdout.write(
        `path: ${result.path}\n` +
          `parameters: ${result.parameterCount} (${formatCount(result.parameterCount)})\n` +
          `bytes: ${result.bytes} (${formatBytes(result.bytes)})\n`,
      );
    });
}
