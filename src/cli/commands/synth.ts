import { lstat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { GgufBenchError, UsageError } from "../../errors.ts";
import { fsErrorText } from "../../files/fsErrorText.ts";
import { probeWritable } from "../../files/probeWritable.ts";
import { fileKind } from "../../files/readRegularFile.ts";
import { formatBytes, formatCount } from "../../gguf/modelInfoRows.ts";
import { SYNTH_ARCHS, SYNTH_TYPES, type SynthArch, type SynthType, synthesizeModel } from "../../gguf/synthesize.ts";
import { synthPresetList } from "../../gguf/synthPresetList.ts";
import { writeErrLine, writeOut } from "../output.ts";
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
    .option(
      "--list",
      "print the presets (of --arch when given, else every architecture's) with shape and source, and exit",
    )
    .option("--out <file>", "where to write (default: synthetic-<arch>-<preset>-<type>.gguf here)")
    .option("--force", "replace --out when it exists (refused otherwise)")
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
    .addOption(
      new Option(
        "--tokenizer <kind>",
        "spm: SentencePiece, no merges; bpe: byte-level BPE with merges (as llama 3, qwen)",
      )
        .choices(["spm", "bpe"] as const)
        .default("spm" as const),
    )
    .option("--merges <n>", "BPE merges, with --tokenizer bpe (default: one per word piece)", integer)
    .action(async (options, command) => {
      if (options.list) {
        // --arch given with --list narrows the list to that architecture's presets.
        writeOut(renderPresetList(command.getOptionValueSource("arch") === "cli" ? options.arch : null));
        return;
      }
      const defaultName = `synthetic-${options.arch}-${options.preset}-${options.type}.gguf`;
      if (options.out !== undefined && options.out.trim() === "")
        throw new UsageError(`--out needs a file name (default: ${defaultName} here)`);
      if (options.merges !== undefined && options.tokenizer !== "bpe")
        throw new UsageError("--merges needs --tokenizer bpe (SentencePiece has no merges)");
      const out = options.out ?? defaultName;
      await checkTarget(out, options.force === true, defaultName);
      const result = await synthesizeModel({
        arch: options.arch,
        preset: options.preset,
        type: options.type,
        out,
        name: options.name,
        tokenizer: options.tokenizer === "bpe" ? { kind: "bpe", merges: options.merges } : { kind: "spm" },
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
      writeOut(
        `path: ${result.path}\n` +
          `parameters: ${result.parameterCount} (${formatCount(result.parameterCount)})\n` +
          `bytes: ${result.bytes} (${formatBytes(result.bytes)})\n`,
      );
      // Another --type would run the same kernels: say so, or two labels compare nothing.
      if (result.typeNote) writeErrLine(`warning: ${result.typeNote}`);
    });
}

function renderPresetList(arch: SynthArch | null): string {
  const rows = synthPresetList()
    .filter((r) => arch === null || r.arch === arch)
    .map((r) => [r.arch, r.preset, formatCount(r.parameterCount), r.shape, r.source]);
  const table = [["arch", "preset", "parameters", "shape", "source"], ...rows];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...table.map((row) => row[c]?.length ?? 0)));
  return table
    .map((row) => row.map((cell, c) => (c < 4 ? cell.padEnd(widths[c] ?? 0) : cell)).join("  "))
    .join("\n")
    .concat("\n");
}

/**
 * Refuses, before any byte is written: a folder or a special file as --out, an existing file without --force
 * (a real model must never be replaced by accident), and a folder that cannot be written (with its true reason).
 */
async function checkTarget(out: string, force: boolean, defaultName: string): Promise<void> {
  const target = resolve(out);
  const info = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw new GgufBenchError("synth-out", `cannot write ${out}: ${fsErrorText(error)}`);
  });
  if (info?.isDirectory())
    throw new GgufBenchError("synth-out", `--out ${out} is a folder; give a file name, e.g. ${join(out, defaultName)}`);
  if (info && !info.isFile() && !info.isSymbolicLink())
    throw new GgufBenchError("synth-out", `cannot write ${out}: ${fileKind(info)}`);
  if (info && !force) throw new GgufBenchError("synth-out-exists", `${out} already exists; pass --force to replace it`);
  await probeWritable(dirname(target)).catch((error: unknown) => {
    throw new GgufBenchError("synth-out", `cannot write ${out}: ${fsErrorText(error)}`);
  });
}
