import type { GgufMetadata } from "./ggufValue.ts";
import { metaFlags, metaNumber } from "./metadataAccess.ts";

/**
 * How one architecture decides its sliding-window (SWA) layers, as its `load_arch_hparams` in llama.cpp's
 * src/models/<arch>.cpp does (node-llama-cpp 3.21.1's bundled llama.cpp). Every other architecture keeps a full
 * cache in every layer, whatever `attention.sliding_window` says (phi3, mistral and qwen2 files carry the key but
 * llama.cpp ignores it).
 */
interface SwaRule {
  /**
   * always: SWA whatever the metadata; if-window: only when `attention.sliding_window` is present and > 0;
   * unless-zero: unless the key is present and 0 (llama4); if-64-layers: only the 64-layer shape (exaone4 32B).
   */
  when: "always" | "if-window" | "unless-zero" | "if-64-layers";
  /** Window when the key is absent; null: llama.cpp requires the key. */
  defaultWindow: number | null;
  /** Window llama.cpp uses whatever the key says (llama4's chunk, smallthinker). */
  forcedWindow?: number;
  /** Period of the layer pattern when `sliding_window_pattern` is not a scalar; null: the pattern is per layer. */
  period: number | null;
  /** set_swa_pattern(period, dense_first): the full layer comes first in each period instead of last. */
  denseFirst?: boolean;
  /** Whether a per-layer array in `sliding_window_pattern` is read (where the period is not). */
  perLayerArray: boolean;
  /** Layers counted for the per-layer array: n_layer_all (step35) or n_layer (the rest). */
  arrayOverAllLayers?: boolean;
  /** llama.cpp's chunked attention (llama4): the same cache size as a window. */
  chunked?: boolean;
}

const RULES: Record<string, SwaRule> = {
  gemma2: { when: "always", defaultWindow: 4096, period: 2, perLayerArray: false },
  gemma3: { when: "if-window", defaultWindow: null, period: 6, perLayerArray: false },
  gemma3n: { when: "always", defaultWindow: null, period: 5, perLayerArray: false },
  gemma4: { when: "always", defaultWindow: null, period: null, perLayerArray: true },
  "gpt-oss": { when: "always", defaultWindow: null, period: 2, perLayerArray: false },
  cohere2: { when: "always", defaultWindow: null, period: 4, perLayerArray: false },
  cohere2moe: { when: "always", defaultWindow: null, period: 4, denseFirst: true, perLayerArray: true },
  llama4: {
    when: "unless-zero",
    defaultWindow: 8192,
    forcedWindow: 8192,
    period: 4,
    perLayerArray: false,
    chunked: true,
  },
  olmo2: { when: "if-window", defaultWindow: null, period: 4, perLayerArray: false },
  exaone4: { when: "if-64-layers", defaultWindow: 4096, period: 4, perLayerArray: false },
  "exaone-moe": { when: "always", defaultWindow: null, period: 4, perLayerArray: false },
  afmoe: { when: "if-window", defaultWindow: null, period: 4, perLayerArray: false },
  smallthinker: {
    when: "if-window",
    defaultWindow: null,
    forcedWindow: 4096,
    period: 4,
    denseFirst: true,
    perLayerArray: false,
  },
  plamo3: { when: "if-window", defaultWindow: null, period: 8, perLayerArray: false },
  mellum: { when: "if-window", defaultWindow: null, period: 4, perLayerArray: true },
  "muse-glimmer": { when: "always", defaultWindow: null, period: 4, perLayerArray: true },
  mimo2: { when: "always", defaultWindow: null, period: null, perLayerArray: true },
  step35: { when: "always", defaultWindow: null, period: null, perLayerArray: true, arrayOverAllLayers: true },
  granite_swa: { when: "always", defaultWindow: null, period: null, perLayerArray: true },
};

export type SlidingWindowLayers =
  | { kind: "none" }
  | { kind: "swa"; windowTokens: number; chunked: boolean; isSwa: boolean[] }
  | { kind: "unknown"; reason: string };

/**
 * Which of the `layersAll` layers use a sliding window, and its size, as llama.cpp decides it for this
 * architecture. `layersMain` excludes the next-token-prediction layers (never sliding). `recurrent` marks the
 * recurrent layers of lfm2, whose attention layers all slide when the file gives a window.
 * Source: set_swa_pattern in llama-hparams.cpp: in each period the last layer (the first with dense_first) is
 * global, the others slide; a period of 0 makes every layer slide.
 */
export function slidingWindowLayers(
  metadata: GgufMetadata,
  architecture: string,
  layersAll: number,
  layersMain: number,
  recurrent: boolean[],
): SlidingWindowLayers {
  const key = (suffix: string) => `${architecture}.attention.${suffix}`;
  const windowKey = metaNumber(metadata, key("sliding_window"));
  if (architecture === "lfm2") {
    if (windowKey === null || windowKey <= 0) return { kind: "none" };
    const isSwa = Array.from({ length: layersAll }, (_, il) => il < layersMain && !recurrent[il]);
    return { kind: "swa", windowTokens: windowKey, chunked: false, isSwa };
  }
  const rule = RULES[architecture];
  if (!rule) return { kind: "none" };
  if (rule.when === "if-window" && !(windowKey !== null && windowKey > 0)) return { kind: "none" };
  if (rule.when === "unless-zero" && windowKey === 0) return { kind: "none" };
  if (rule.when === "if-64-layers" && layersMain !== 64) return { kind: "none" };
  const window = rule.forcedWindow ?? windowKey ?? rule.defaultWindow;
  if (window === null) {
    return { kind: "unknown", reason: `${key("sliding_window")} is missing (llama.cpp needs it for ${architecture})` };
  }

  const patternKey = key("sliding_window_pattern");
  const pattern = metadata.get(patternKey);
  const isSwa = new Array<boolean>(layersAll).fill(false);
  const usePeriod =
    rule.period !== null && (rule.perLayerArray ? pattern !== undefined && pattern.type !== "array" : true);
  if (usePeriod && rule.period !== null) {
    // A scalar pattern is the period; an array (or nothing) leaves the architecture's default.
    const period = (pattern?.type === "array" ? null : metaNumber(metadata, patternKey)) ?? rule.period;
    for (let il = 0; il < layersMain; il++) {
      isSwa[il] = period === 0 || (rule.denseFirst ? il % period !== 0 : il % period < period - 1);
    }
  } else {
    const wanted = rule.arrayOverAllLayers ? layersAll : layersMain;
    const flags = metaFlags(metadata, patternKey);
    if (flags === null) {
      return { kind: "unknown", reason: `${patternKey} is missing (llama.cpp needs it for ${architecture})` };
    }
    // A scalar applies to every layer (llama.cpp's get_key_or_arr).
    const perLayer = pattern?.type === "array" ? flags : new Array<boolean>(wanted).fill(flags[0] === true);
    if (perLayer.length !== wanted) {
      return {
        kind: "unknown",
        reason: `${patternKey} has ${perLayer.length} entries for ${wanted} layers (llama.cpp refuses the file)`,
      };
    }
    perLayer.forEach((flag, il) => {
      isSwa[il] = flag;
    });
  }
  return { kind: "swa", windowTokens: window, chunked: rule.chunked === true, isSwa };
}
