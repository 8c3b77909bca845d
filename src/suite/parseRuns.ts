import { UsageError } from "../errors.ts";
import type { RunConfig } from "../results/types.ts";

/** What `--runs`, `--target-ci`, `--max-runs` and `--max-runs-time` may leave at their defaults. */
export interface RunsDefaults {
  runs: number | "auto";
  /** The runs --runs auto always makes before it checks the interval. */
  minAutoRuns: number;
  targetCiPercent: number;
  maxRuns: number;
  maxRunsTimeSeconds: number;
}

export interface RawRunsOptions {
  runs?: string;
  targetCi?: string;
  maxRuns?: string;
  maxRunsTime?: string;
}

/**
 * `--runs N` (exactly N timed runs per prompt) or `--runs auto` (at least the minimum, then more rounds until
 * every headline figure's 95% CI half-width is within `--target-ci` percent of its mean, or `--max-runs` per
 * prompt, or `--max-runs-time` seconds of timed runs per case). The auto-only flags with a fixed count are a
 * usage error: they would silently do nothing.
 */
export function parseRuns(raw: RawRunsOptions, defaults: RunsDefaults): Pick<RunConfig, "runs" | "autoRuns"> {
  const text = raw.runs?.trim().toLowerCase();
  const mode = text === undefined ? defaults.runs : text === "auto" ? "auto" : whole("--runs", text, 1, 1000);
  if (mode !== "auto") {
    const stray = [
      ["--target-ci", raw.targetCi],
      ["--max-runs", raw.maxRuns],
      ["--max-runs-time", raw.maxRunsTime],
    ].find(([, value]) => value !== undefined);
    if (stray) throw new UsageError(`${stray[0]} applies to --runs auto only (--runs ${mode} runs exactly ${mode})`);
    return { runs: mode, autoRuns: null };
  }
  const targetCiPercent =
    raw.targetCi === undefined ? defaults.targetCiPercent : percent("--target-ci", raw.targetCi, 0.1, 100);
  const maxRuns = raw.maxRuns === undefined ? defaults.maxRuns : whole("--max-runs", raw.maxRuns, 1, 1000);
  if (maxRuns < defaults.minAutoRuns)
    throw new UsageError(
      `--max-runs ${maxRuns} is below the ${defaults.minAutoRuns} runs --runs auto always makes; use --runs ${maxRuns} for exactly ${maxRuns}`,
    );
  const seconds =
    raw.maxRunsTime === undefined
      ? defaults.maxRunsTimeSeconds
      : whole("--max-runs-time", raw.maxRunsTime, 1, 7 * 24 * 3600);
  return {
    runs: defaults.minAutoRuns,
    autoRuns: { targetCiFraction: targetCiPercent / 100, maxRuns, timeBudgetMs: seconds * 1000 },
  };
}

function whole(flag: string, text: string, min: number, max: number): number {
  const value = Number(text.trim());
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(
      `${flag} must be ${flag === "--runs" ? "auto or " : ""}an integer from ${min} to ${max}, got '${text}'`,
    );
  return value;
}

function percent(flag: string, text: string, min: number, max: number): number {
  const value = Number(text.trim().replace(/%$/, ""));
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max)
    throw new UsageError(`${flag} must be a percentage from ${min} to ${max}, got '${text}'`);
  return value;
}
