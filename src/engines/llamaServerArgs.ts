import type { CaseSettings } from "../results/types.ts";

export interface LlamaServerLaunch {
  file: string;
  settings: CaseSettings;
  /** Context size of each slot (what a request can use); the server is started with slots × this. */
  contextSize: number;
  /** Parallel slots (`--parallel`): the highest concurrency level to be served, 1 otherwise. */
  slots: number;
  port: number;
}

/**
 * The llama-server command line for one case, each run setting mapped to its flag:
 * - threads        -> `--threads N --threads-batch N` (node-llama-cpp uses one count for both)
 * - batchSize      -> `--batch-size N`; ubatchSize -> `--ubatch-size N`
 * - flashAttention -> `--flash-attn on|off` (never "auto": the setting is forced, as in-process)
 * - kvCacheType    -> `--cache-type-k T --cache-type-v T`
 * - mmap           -> `--load-mode mmap|none`; gpuLayers -> `--n-gpu-layers N`
 * - context        -> `--ctx-size slots × contextSize --parallel slots`, no unified KV cache, so each slot holds
 *                     exactly `contextSize` cells (llama.cpp gives each sequence n_ctx / n_seq_max)
 * And what keeps the measurement honest: `--fit off` (do not change the asked settings to fit memory),
 * `--cache-ram 0` (no prompt cache kept between requests; each request also sends `cache_prompt: false`),
 * `--no-warmup` (the load is the load; the first decode is timed apart, as in-process), `--no-webui`, loopback only.
 */
export function llamaServerArgs(launch: LlamaServerLaunch): string[] {
  const { settings } = launch;
  return [
    "--model",
    launch.file,
    "--host",
    "127.0.0.1",
    "--port",
    String(launch.port),
    "--ctx-size",
    String(launch.contextSize * launch.slots),
    "--parallel",
    String(launch.slots),
    "--threads",
    String(settings.threads),
    "--threads-batch",
    String(settings.threads),
    "--batch-size",
    String(settings.batchSize),
    "--ubatch-size",
    String(settings.ubatchSize),
    "--flash-attn",
    settings.flashAttention ? "on" : "off",
    "--cache-type-k",
    settings.kvCacheType,
    "--cache-type-v",
    settings.kvCacheType,
    "--load-mode",
    settings.mmap ? "mmap" : "none",
    "--n-gpu-layers",
    String(settings.gpuLayers),
    "--fit",
    "off",
    "--cache-ram",
    "0",
    "--no-warmup",
    "--no-webui",
    "--no-kv-unified",
  ];
}
