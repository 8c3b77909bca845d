import type { ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { modelDisplayName } from "../analysis/modelDisplayName.ts";
import { WORDS_PER_PAGE, WORDS_PER_TOKEN } from "../analysis/textEquivalent.ts";
import { SETTING_KEYS } from "../analysis/variedSettings.ts";
import { caseStatus } from "../results/caseStatus.ts";
import {
  type EngineName,
  LLAMA_CPP_COMMIT_NOT_RECORDED,
  type ModelResult,
  type NotRunCase,
  type RunResults,
  type Summary,
} from "../results/types.ts";
import { CI_METHOD_TEXT } from "../stats/summary.ts";
import { formatCount, formatGiB, formatNumber } from "./formatValue.ts";
import { inferenceContextText } from "./inferenceContextText.ts";
import { type Block, type Cell, keyValueTable, numberCell, textCell } from "./reportDocument.ts";
import { settingLabel, settingValue, ubatchRunNote, ubatchValue } from "./settingText.ts";

/** Title, what ran, on which machine, and whether the run was interrupted: the report's first lines. */
export function overviewSection(runs: RunResults[], analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases;
  // A case the stop cut short is counted apart: the user stopped it, the model did not fail.
  const count = (status: ModelResult["status"]) => cases.filter((c) => caseStatus(c.model) === status).length;
  const cut = count("interrupted");
  const files = new Set(cases.map((c) => c.model.fileFingerprint)).size;
  const synthetic = cases.filter((c) => c.model.synthetic).length;
  const machines = [...new Set(runs.map((run) => machineLine(run)))];
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: "gguf-bench report" },
    {
      kind: "paragraph",
      text: `${runs.length} run(s), ${cases.length} model × settings case(s) of ${files} model file(s): ${count("ok")} ok, ${count("partial")} partial, ${count("failed")} failed${cut > 0 ? `, ${cut} cut short by a stop` : ""}.${synthetic > 0 ? ` ${synthetic} case(s) use synthetic models (random weights, real shapes): their speed and memory are real, their text is not.` : ""} Measured on ${machines.join("; ")}. ${howMeasured(cases.map((c) => c.model.settings.engine))}`,
    },
  ];
  const interrupted = runs.filter((run) => run.interrupted);
  if (interrupted.length > 0) {
    const notRun = interrupted.flatMap((run) => run.notRun ?? []);
    blocks.push({
      kind: "paragraph",
      text: `Interrupted before the end (Ctrl-C or a stop signal): run ${interrupted.map((run) => run.runId).join(", ")}. A case the stop cut short keeps the stages it finished (its other rows say "interrupted").${notRun.length > 0 ? ` ${notRun.length} planned case(s) never started, so nothing of them was measured:` : ""}`,
    });
    if (notRun.length > 0) blocks.push({ kind: "list", items: notRunItems(notRun) });
  }
  return blocks;
}

/** Most cases listed one by one in the report; the rest are counted. */
const MAX_NOT_RUN_LISTED = 50;

/** One line per case a stopped run never started: its id, model and engine, and why. */
function notRunItems(notRun: NotRunCase[]): string[] {
  const items = notRun
    .slice(0, MAX_NOT_RUN_LISTED)
    .map((c) => `${c.caseId}: ${modelDisplayName(c.label, c.synthetic)} (${c.settings.engine}) — ${c.message}`);
  if (notRun.length > MAX_NOT_RUN_LISTED) items.push(`and ${notRun.length - MAX_NOT_RUN_LISTED} more`);
  return items;
}

const HOW_MEASURED: Record<EngineName, string> = {
  "node-llama-cpp":
    "node-llama-cpp (in-process) in a child process per model, its memory read from outside it through /proc/<pid>/status",
  "llama-server":
    "llama-server in a server process gguf-bench started per model and settings, timed from the client and by the server's own timings, its memory read through /proc/<server pid>/status",
  openai:
    "openai against an outside server, timed from the client (and by the server's own timings where it sends them); its load time, memory and cleanup are not ours to measure",
};

/** How the figures were taken, true for each engine that ran (the in-process sentence alone when only it ran). */
function howMeasured(engines: EngineName[]): string {
  const used = [...new Set(engines)];
  if (used.length === 0 || (used.length === 1 && used[0] === "node-llama-cpp"))
    return "Every figure below was measured in a child process per model, its memory read from outside it through /proc/<pid>/status.";
  return `Measured per engine: ${used.map((e) => HOW_MEASURED[e]).join("; ")}.`;
}

/** The machine in one line: what decides the speed (CPU, cores, RAM, backend, engine build). */
function machineLine(run: RunResults): string {
  const e = run.environment;
  return `${e.cpu.model} (${e.cpu.physicalCores} physical / ${e.cpu.logicalCores} logical cores), ${formatGiB(e.memory.totalBytes)} RAM, ${e.backend} backend, ${llamaCppText(e, 7)}`;
}

/**
 * The llama.cpp that ran: its commit (the first `hashDigits` hex) beside node-llama-cpp's own label, e.g.
 * "llama.cpp 80fb11a (node-llama-cpp's label ggml-org/llama.cpp@v0.4.0)"; the label with the reason when the
 * commit is not recorded.
 */
function llamaCppText(e: RunResults["environment"], hashDigits: number): string {
  // Runs read without the schema's defaults (history databases, older files) lack the commit fields.
  const commit = e.llamaCppCommit ?? null;
  if (commit !== null) return `llama.cpp ${commit.slice(0, hashDigits)} (node-llama-cpp's label ${e.llamaCppBuild})`;
  const why = e.llamaCppCommitNotRecordedReason ?? LLAMA_CPP_COMMIT_NOT_RECORDED;
  return `llama.cpp ${e.llamaCppBuild} (node-llama-cpp's label; its commit is unknown: ${why})`;
}

/** Test environment and methodology of each run, and the units and statistics every table uses. */
export function environmentSection(runs: RunResults[]): Block[] {
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "How it was measured" }];
  for (const run of runs) {
    const prefix = runs.length > 1 ? ` — run ${run.runId}` : "";
    blocks.push({ kind: "heading", level: 3, text: `Test environment${prefix}` });
    blocks.push(environmentTable(run));
    blocks.push({ kind: "heading", level: 3, text: `Methodology as run${prefix}` });
    blocks.push(methodologyTable(run));
  }
  blocks.push({
    kind: "paragraph",
    text: `Units: 1 GiB = 2^30 bytes, 1 MiB = 2^20 bytes, 1K tokens = 1,024 tokens. Statistics over the timed runs (warm-up excluded): sample standard deviation (n − 1), median as the middle value (mean of the two middle values for even n), ${CI_METHOD_TEXT}. Text equivalents assume ${WORDS_PER_TOKEN} words per token and ${WORDS_PER_PAGE} words per page.`,
  });
  return blocks;
}

/** One row per case: what the file is (metadata) and the settings that varied. */
export function modelsTestedSection(analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases;
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Models tested" }];
  const varied = analysis.varied;
  blocks.push({
    kind: "table",
    id: "models-tested",
    columns: [
      { label: "Model", numeric: false },
      { label: "general.name", numeric: false },
      { label: "Architecture", numeric: false },
      { label: "Size", numeric: false },
      { label: "Parameters", numeric: true },
      { label: "Quantization", numeric: false },
      { label: "File size (GiB)", numeric: true },
      { label: "Training context (tokens)", numeric: true },
      ...varied.map((key) => ({ label: settingLabel(key), numeric: false })),
      { label: "Status", numeric: false },
    ],
    rows: cases.map((c): Cell[] => {
      const i = c.model.info;
      return [
        textCell(c.name),
        textCell(i.name ?? "—"),
        textCell(i.architecture),
        textCell(i.sizeLabel ?? "—"),
        numberCell(formatCount(i.parameterCount), i.parameterCount),
        textCell(i.quantization),
        numberCell(formatNumber(i.fileBytes / 1024 ** 3, 3), i.fileBytes),
        i.contextLength === null ? textCell("—") : numberCell(formatNumber(i.contextLength), i.contextLength),
        ...varied.map((key) =>
          textCell(key === "ubatchSize" ? ubatchValue(c.model) : settingValue(key, c.model.settings[key])),
        ),
        textCell(c.model.synthetic ? `${caseStatus(c.model)} (synthetic)` : caseStatus(c.model)),
      ];
    }),
  });
  return blocks;
}

function environmentTable(run: RunResults): Block {
  const e = run.environment;
  const gpus = e.gpus.length
    ? e.gpus.map((g) => `${g.vendor} ${g.model}${g.vramBytes ? ` (${formatGiB(g.vramBytes)})` : ""}`).join("; ")
    : "none";
  return keyValueTable(`environment-${run.runId}`, [
    ["OS", `${e.os.distro} (${e.os.platform} ${e.os.release}, ${e.os.arch})`],
    ["Host", e.hostname],
    ["CPU", cpuIdentity(e.cpu)],
    [
      "Cores",
      `${e.cpu.physicalCores} physical, ${e.cpu.logicalCores} logical, available parallelism ${e.cpu.availableParallelism}`,
    ],
    // Runs read without the schema's defaults (history databases, files from before 2026-11-30) lack these.
    ["SIMD", e.cpu.simd?.length ? e.cpu.simd.join(", ") : "not recorded"],
    ["Caches", e.cpu.caches ? cacheSizes(e.cpu.caches) : "not recorded"],
    ["llama.cpp system info", e.llamaCppSystemInfo ?? "not recorded"],
    ["RAM", `${formatGiB(e.memory.totalBytes)} total, ${formatGiB(e.memory.availableBytes)} available at start`],
    ["GPU", gpus],
    [
      "Model storage",
      e.storage ? `${e.storage.path}: ${e.storage.type}, ${e.storage.filesystem} on ${e.storage.device}` : "unknown",
    ],
    ["Node.js", e.node],
    ["node-llama-cpp", `${e.nodeLlamaCpp}${BUILD_TEXT[e.nodeLlamaCppBuild ?? "null"]}`],
    ...engineRows(run),
    ["llama.cpp build", llamaCppText(e, 40)],
    ["Backend", e.backend],
    [
      "Memory bandwidth",
      e.memoryBandwidthBytesPerSecond
        ? `${formatNumber(e.memoryBandwidthBytesPerSecond / 1e9, 2)} GB/s (measured)`
        : "not measured",
    ],
    [
      "Run",
      `${run.runId}, ${run.startedAt} → ${run.finishedAt ?? "not finished"}${run.interrupted ? " (interrupted)" : ""}`,
    ],
    ["Tool", `${run.tool.name} ${run.tool.version}, results schema ${run.schemaVersion}`],
  ]);
}

const BUILD_TEXT: Record<string, string> = {
  prebuilt: ", its prebuilt binary",
  localBuild: ", a local build from source (gguf-bench engine build --binding)",
  null: ", build not recorded (the in-process engine did not run, or an older file)",
};

/** The serving engines the run used: llama-server's binary and version, the openai endpoint and model. */
function engineRows(run: RunResults): [string, string][] {
  // Runs read without the schema's defaults (history databases) may lack these.
  return (run.environment.engines ?? []).map((engine): [string, string] => {
    if (engine.engine === "openai") {
      const model = run.config.serving?.servedModel;
      return [
        "openai endpoint",
        `${engine.endpoint ?? "not recorded"}, model ${model ? `${model} (--served-model)` : "the server's default (no --served-model)"}${engine.version ? `, version ${engine.version}` : ""}`,
      ];
    }
    return [engine.engine, `${engine.binary ?? "binary not recorded"}, version ${engine.version ?? "not reported"}`];
  });
}

/** The stages as each engine of the run goes through them. */
function stagesText(engines: EngineName[]): string {
  const inProcess = "metadata → load → inference → contexts → cleanup, one child process per model × load settings";
  const parts = engines.flatMap((engine) =>
    engine === "llama-server"
      ? [
          "llama-server: metadata → load → inference → contexts, a server process per model × settings and one more per context size; no cleanup stage (the server is stopped)",
        ]
      : engine === "openai"
        ? ["openai: metadata → inference → contexts against the outside server; no load, memory or cleanup of ours"]
        : [],
  );
  if (parts.length === 0) return inProcess;
  return [...(engines.includes("node-llama-cpp") ? [`node-llama-cpp: ${inProcess}`] : []), ...parts].join("; ");
}

function methodologyTable(run: RunResults): Block {
  const c = run.config;
  const sweep = (key: (typeof SETTING_KEYS)[number]) =>
    (c.sweep[key] as (string | number | boolean)[]).map((v) => settingValue(key, v)).join(", ");
  return keyValueTable(`methodology-${run.runId}`, [
    ["Stages", stagesText(c.sweep.engine ?? [])],
    ["Timed runs per prompt", runsPolicyText(c)],
    ["Confidence intervals", ciMethodsText(run)],
    ["Warm-up runs per prompt", `${c.warmupRuns} (excluded from statistics)`],
    ["Prompts", c.prompts.map((p) => `${p.id}: ${p.title} (${p.text.length} characters)`).join("; ")],
    ["Max generated tokens", String(c.maxTokens)],
    ["Inference context", inferenceContextText(run)],
    ["Context sizes", c.contexts.map((n) => formatNumber(n)).join(", ")],
    ["Beyond training context", c.allowBeyondTrainingContext ? "allowed" : "skipped"],
    ["Threads", `${sweep("threads")} (${c.threadsSource})`],
    ...SETTING_KEYS.filter((k) => k !== "threads").map((k): [string, string] => [
      settingLabel(k),
      k === "ubatchSize" ? `${sweep(k)}${ubatchRunNote(run.models)}` : sweep(k),
    ]),
    ["Seed", String(c.seed)],
    ["Timeout per model", `${formatNumber(c.timeoutMs / 1000)} s`],
    ["Notes", c.notes.length > 0 ? c.notes.join("; ") : "none"],
  ]);
}

function cpuIdentity(cpu: RunResults["environment"]["cpu"]): string {
  const ids = [
    cpu.family == null ? null : `family ${cpu.family}`,
    cpu.modelNumber == null ? null : `model ${cpu.modelNumber}`,
    cpu.stepping == null ? null : `stepping ${cpu.stepping}`,
  ].filter((part) => part !== null);
  return ids.length > 0 ? `${cpu.model} (${ids.join(", ")})` : cpu.model;
}

function cacheSizes(caches: RunResults["environment"]["cpu"]["caches"]): string {
  const levels = [
    ["L1d", caches.l1dBytes],
    ["L1i", caches.l1iBytes],
    ["L2", caches.l2Bytes],
    ["L3", caches.l3Bytes],
  ] as const;
  const known = levels.filter(([, bytes]) => bytes !== null).map(([name, bytes]) => `${name} ${formatKiB(bytes ?? 0)}`);
  return known.length > 0 ? `${known.join(", ")} (${caches.source})` : `unknown: ${caches.source}`;
}

function formatKiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${formatNumber(bytes / (1024 * 1024))} MiB` : `${formatNumber(bytes / 1024)} KiB`;
}

/** `--runs N`, or what `--runs auto` did: its minimum, target and caps (older files: a fixed count). */
export function runsPolicyText(config: RunResults["config"]): string {
  const auto = config.autoRuns;
  if (!auto) return String(config.runs);
  return `auto: at least ${config.runs}, then more until the 95% CI of generation and prompt tokens/s is within ±${formatNumber(auto.targetCiFraction * 100, 1)}% of the mean, at most ${auto.maxRuns} per prompt or ${formatNumber(auto.timeBudgetMs / 1000)} s of timed runs per case (each model says how many it took)`;
}

/** Every Summary (an object with `ci95Low`) anywhere in the value, depth first. */
function summariesIn(value: unknown, out: Summary[] = []): Summary[] {
  if (Array.isArray(value)) for (const v of value) summariesIn(v, out);
  else if (value !== null && typeof value === "object") {
    if ("ci95Low" in value) out.push(value as Summary);
    else for (const v of Object.values(value)) summariesIn(v, out);
  }
  return out;
}

/**
 * Which interval methods this run's figures used (intervals of two or more runs), as counted in its results; a
 * Summary without `ciMethod` (written before it existed) counts as Student t, as the results reader defaults it.
 */
function ciMethodsText(run: RunResults): string {
  const withSpread = summariesIn(run.models).filter((s) => s.n > 1);
  const logCox = withSpread.filter((s) => s.ciMethod === "log-cox").length;
  const t = withSpread.length - logCox;
  if (withSpread.length === 0) return "none: no figure has two or more timed runs";
  const parts = [
    ...(logCox > 0 ? [`${formatCount(logCox)} by the modified Cox method on the log scale (Olsson 2005)`] : []),
    ...(t > 0 ? [`${formatCount(t)} by Student's t with n − 1 degrees of freedom`] : []),
  ];
  return `95% CI of the mean: ${parts.join(", ")} (of ${formatCount(withSpread.length)} intervals; see Units below)`;
}
