import { SYNTH_ARCHS, type SynthArch } from "./synthArchs.ts";
import { presetNamesFor, presetSource, resolveSynthShape } from "./synthPresets.ts";
import type { SynthShape } from "./synthShape.ts";
import { synthTensors } from "./synthTensors.ts";

/** One row of `synth --list`. */
export interface SynthPresetRow {
  arch: SynthArch;
  preset: string;
  parameterCount: number;
  /** e.g. "embd 2048, 16 layers, 32/8 heads x 64, ff 8192, vocab 128256, ctx 131072, tied" */
  shape: string;
  source: string;
}

/** Every architecture's presets with their parameter count, shape and source, in listing order. */
export function synthPresetList(): SynthPresetRow[] {
  return SYNTH_ARCHS.flatMap((arch) =>
    presetNamesFor(arch).map((preset) => {
      const shape = resolveSynthShape(arch, preset);
      const parameterCount = synthTensors(arch, shape).reduce(
        (sum, t) => sum + t.dimensions.reduce((p, d) => p * d, 1),
        0,
      );
      return { arch, preset, parameterCount, shape: describeShape(shape), source: presetSource(preset) };
    }),
  );
}

function describeShape(s: SynthShape): string {
  const parts = [
    `embd ${s.embd}`,
    `${s.layers} layers`,
    // MLA: headDim is the per-head key length after decompression (key_length_mla), not the cache's row.
    s.mla ? `${s.heads} heads x ${s.headDim} (K per head)` : `${s.heads}/${s.kvHeads} heads x ${s.headDim}`,
    `ff ${s.ff}`,
    `vocab ${s.vocab}`,
    `ctx ${s.ctx}`,
  ];
  if (s.experts > 0) parts.push(`${s.experts} experts (${s.expertsUsed} used)`);
  if (s.mla)
    parts.push(`MLA kv_lora ${s.mla.kvLoraRank} (cache row K ${s.mla.kvLoraRank + s.mla.ropeDim}, no V, 1 KV head)`);
  if (s.slidingWindow > 0) parts.push(`window ${s.slidingWindow}`);
  if (s.tiedEmbeddings) parts.push("tied");
  return parts.join(", ");
}
