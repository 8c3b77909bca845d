import {
  ENGINE_WARM_UP_DETAIL,
  type LoadAtStart,
  type ModelResult,
  type Stage,
  type StageCpuShare,
  type Warning,
} from "../results/types.ts";

/**
 * Other processes' share of all cores above which a stage's figures are flagged. An idle machine's background stays
 * around 1–2%; 10% is a fifth of a core on 2 cores, steady enough to preempt one of llama.cpp's threads at its
 * barriers, where the others spin waiting for it: one niced process cut 2-thread generation on this kind of machine
 * from about 40 to under 1 token/s (2026-11-30: llama-bench -t 2 -n 32 on a 1.1B Q4_0, 36–45 tokens/s alone, 0.75 beside three niced test runs).
 */
export const BUSY_STAGE_FRACTION = 0.1;

/** 1-minute load average per core above which the run notes, at its start, that other work competed for the CPU. */
export const BUSY_LOAD_PER_CORE = 0.5;

/** Whether the start-of-run load average says other work competed for the cores (above BUSY_LOAD_PER_CORE each). */
export function busyAtStart(load: LoadAtStart): boolean {
  return load.loadAverage1m > BUSY_LOAD_PER_CORE * load.cores;
}

const loadText = (load: LoadAtStart): string =>
  `1-minute load average ${load.loadAverage1m.toFixed(1)} on ${load.cores} cores`;

/** The run's start-of-run note when the load average says the machine was busy; null otherwise. */
export function busyAtStartNote(load: LoadAtStart): string | null {
  return busyAtStart(load)
    ? `the machine was busy at the start (${loadText(load)}): figures are noisy, and more threads than idle cores can be much slower`
    : null;
}

/**
 * For a case whose inference stages could not measure other processes' share (the openai engine: its server is
 * not a process gguf-bench started), what is known instead: why, and the run's start-of-run check
 * (config.loadAtStart; null when the run did not record it). Null when some inference stage was measured, or the
 * case has no stage record.
 */
export function unmeasuredShareText(m: ModelResult, loadAtStart: LoadAtStart | null): string | null {
  const inference = (m.otherCpu ?? []).filter((s) => s.stage === "inference" && reportsFigures(s));
  if (inference.length === 0 || inference.some((s) => s.otherCpuFraction !== null)) return null;
  const reason = inference.find((s) => s.unmeasuredReason)?.unmeasuredReason ?? "unknown";
  const atStart =
    loadAtStart === null
      ? "the run recorded no start-of-run load average either"
      : busyAtStart(loadAtStart)
        ? `the start-of-run check found the machine busy (${loadText(loadAtStart)}), so these figures may not be this machine's real speed`
        : `the start-of-run check found the machine not busy (${loadText(loadAtStart)}, at most ${BUSY_LOAD_PER_CORE} per core), which says nothing of the rest of the run`;
  return `other processes' share of the cores not measured during inference (${reason}); ${atStart}`;
}

/**
 * Whether figures of the stage are reported: every stage but the untimed engine warm-up (ENGINE_WARM_UP_DETAIL),
 * which only warms node-llama-cpp's JavaScript before the timed runs. Its share is still recorded and shown.
 */
export function reportsFigures(s: StageCpuShare): boolean {
  return !(s.stage === "inference" && s.detail === ENGINE_WARM_UP_DETAIL);
}

/**
 * The stages of a case whose figures are reported and during which other processes used more than
 * BUSY_STAGE_FRACTION of the cores (a busy engine warm-up is not one: no figure of it is reported).
 */
export function busyStages(m: ModelResult): StageCpuShare[] {
  return (m.otherCpu ?? []).filter(
    (s) => reportsFigures(s) && s.otherCpuFraction !== null && s.otherCpuFraction > BUSY_STAGE_FRACTION,
  );
}

/**
 * The highest share of the cores other processes took during a busy stage of the given kind (e.g. every
 * "inference" stage: the timed runs and the concurrency levels, not the untimed warm-up), as a fraction; null when
 * none was busy.
 * A comparison drawn from that stage's figures is not reliable above BUSY_STAGE_FRACTION.
 */
export function busiestShare(m: ModelResult, stage: Stage): number | null {
  const shares = busyStages(m).flatMap((s) =>
    s.stage === stage && s.otherCpuFraction !== null ? [s.otherCpuFraction] : [],
  );
  return shares.length > 0 ? Math.max(...shares) : null;
}

/** Stages named in the warning at most, busiest first (a sweep of many context sizes must not make it unreadable). */
const MAX_NAMED_STAGES = 6;

const named = (s: StageCpuShare): string =>
  `${s.detail ? `${s.stage} (${s.detail})` : s.stage} ${Math.round((s.otherCpuFraction ?? 0) * 100)}%`;

/** A warning as data when any stage of the case shared the cores with other processes; null otherwise. */
export function busyWarning(m: ModelResult): Warning | null {
  const busy = busyStages(m);
  if (busy.length === 0) return null;
  const busiest = [...busy].sort((a, b) => (b.otherCpuFraction ?? 0) - (a.otherCpuFraction ?? 0));
  const more = busy.length - MAX_NAMED_STAGES;
  const list = busiest.slice(0, MAX_NAMED_STAGES).map(named).join(", ") + (more > 0 ? ` and ${more} more` : "");
  return {
    code: "busy-machine",
    message: `other processes used more than ${BUSY_STAGE_FRACTION * 100}% of the cores during ${busy.length} stage(s): ${list}; figures from these stages are not this machine's real speed`,
    hint: "llama.cpp's threads spin at barriers while one of them is preempted, so a little competition costs a lot: run again on an idle machine",
  };
}
