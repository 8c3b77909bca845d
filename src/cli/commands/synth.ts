import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { formatBytes, formatCount } from "../../gguf/modelInfoRows.ts";
import { SYNTH_ARCHS, SYNTH_TYPES, type SynthArch, type SynthType, synthesizeModel } from "../../gguf/synthesize.ts";
import { synthPresetList } from "../../gguf/synthPresetList.ts";
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
    .option("--preset <name>", "shape: tiny, a size or a named model (see --list)", "tiny")
    .addOption(
      new Option("--type <type>", "file type mix or single weight type (norms stay F32)")
        .choices(SYNTH_TYPES)
        .default("q8_0" as SynthType),
    )
    .option("--list", "print every architecture's presets with their shape and source, and exit")
    .option("--out <file>", "where to write (default: synthetic-<arch>-<preset>-<type>.gguf here)")
    .option("--name <text>", "general.name (default says it is synthetic)")
    .option("--embd <n>", "embedding length", integer)
    .option("--layers <n>", "block count", integer)
    .option("--heads <n>", "attention heads", integer)
    .option("--kv-heads <n>", "KV heads (grouped-query attention)", integer)
    .option("--head-dim <n>", "head size (attention.key_length; default embd / heads)", integer)
    .option("--ff <n>", "feed-forward length (per expert for the MoE architectures)", integer)
    .option("--vocab <n>", "vocabulary size", integer)
    .option("--ctx <n>", "training context length", integer)
    .option("--experts <n>", "experts (MoE architectures)", integer)
    .option("--experts-used <n>", "experts used per token (MoE architectures)", integer)
    .option("--seed <n>", "weight seed", integer)
    .action(async (options) => {
      if (options.list) {
        process.stdout.write(renderPresetList());
        return;
      }
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
          headDim: options.headDim,
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

function renderPresetList(): string {
  const rows = synthPresetList().map((r) => [r.arch, r.preset, formatCount(r.parameterCount), r.shape, r.source]);
  const table = [["arch", "preset", "parameters", "shape", "source"], ...rows];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...table.map((row) => row[c]?.length ?? 0)));
  return table
    .map((row) => row.map((cell, c) => (c < 4 ? cell.padEnd(widths[c] ?? 0) : cell)).join("  "))
    .join("\n")
    .concat("\n");
}
