/**
 * Number formatting shared by every human-readable output. Binary units throughout: 1 GiB = 2^30 bytes,
 * 1 MiB = 2^20 bytes, and "1K tokens" = 1,024 tokens (context sizes are powers of two).
 */
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
export const KIB = 1024;
export const TOKENS_PER_K = 1024;

/** Fixed decimals with thousands separators, independent of the host's locale. */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = "0", fraction] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
  return `${sign}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

export function formatGiB(bytes: number, decimals = 2): string {
  return `${formatNumber(bytes / GIB, decimals)} GiB`;
}

export function formatMiB(bytes: number, decimals = 1): string {
  return `${formatNumber(bytes / MIB, decimals)} MiB`;
}

/** MiB from 1 MiB up, KiB below it, so a small buffer (42.5 KiB) never prints as "0.0 MiB". */
export function formatMiBOrKiB(bytes: number, decimals = 1): string {
  return Math.abs(bytes) >= MIB ? formatMiB(bytes, decimals) : `${formatNumber(bytes / KIB, decimals)} KiB`;
}

/** Milliseconds below 10 s, seconds above, so both a 3 ms decode and a 90 s prefill read naturally. */
export function formatDuration(ms: number): string {
  return ms < 10_000 ? `${formatNumber(ms, ms < 100 ? 1 : 0)} ms` : `${formatNumber(ms / 1000, 2)} s`;
}

/**
 * A fraction as a percentage with `decimals` decimals; a non-zero value that would round to 0 gets the decimals it
 * needs for two significant digits (at most 6; below that "<0.000001%"), so a measured figure never prints as 0.0%.
 */
export function formatPercent(fraction: number, decimals = 1): string {
  const percent = fraction * 100;
  if (percent === 0 || !Number.isFinite(percent) || Number(Math.abs(percent).toFixed(decimals)) !== 0)
    return `${formatNumber(percent, decimals)}%`;
  const needed = Math.ceil(-Math.log10(Math.abs(percent))) + 1;
  if (needed > 6) return `${percent > 0 ? "<" : ">-"}0.000001%`;
  return `${formatNumber(percent, Math.max(decimals, needed))}%`;
}

export function formatSignedPercent(percent: number, decimals = 1): string {
  return `${percent >= 0 ? "+" : ""}${formatNumber(percent, decimals)}%`;
}

/** GiB per 1K tokens of context, from bytes per token. */
export function formatGiBPerK(bytesPerToken: number, decimals = 4): string {
  return `${formatNumber((bytesPerToken * TOKENS_PER_K) / GIB, decimals)} GiB/1K`;
}

/** "4K" for 4096, "512" for 512, "128K" for 131072. */
export function formatContext(tokens: number): string {
  return tokens >= TOKENS_PER_K && tokens % TOKENS_PER_K === 0 ? `${tokens / TOKENS_PER_K}K` : String(tokens);
}

/** Large counts such as parameters: "1.24 B", "292.8 K". */
export function formatCount(value: number): string {
  if (value >= 1e9) return `${formatNumber(value / 1e9, 2)} B`;
  if (value >= 1e6) return `${formatNumber(value / 1e6, 1)} M`;
  if (value >= 1e3) return `${formatNumber(value / 1e3, 1)} K`;
  return formatNumber(value);
}
