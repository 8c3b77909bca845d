import { Command, Option } from "@commander-js/extra-typings";
import { resolveEngines } from "../../engines/resolveEngines.ts";
import { prepareQuality } from "../../quality/prepareQuality.ts";
import { writeReports } from "../../report/writeReports.ts";
import type { RunResults } from "../../results/types.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { claimOutDir } from "../../suite/claimOutDir.ts";
import { DEMO_DEFAULTS, RUN_DEFAULTS } from "../../suite/defaults.ts";
import { failureLines, runSummaryLine } from "../../suite/describeFailure.ts";
import { describePlan } from "../../suite/describePlan.ts";
import { expandModelArgs } from "../../suite/expandModelArgs.ts";
import { modelsToRun } from "../../suite/modelsToRun.ts";
import { parseRunOptions } from "../../suite/parseRunOptions.ts";
import { planSuiteCases } from "../../suite/planSuiteCases.ts";
import { listrProgress } from "../../suite/progress.ts";
import { resultSink } from "../../suite/resultSink.ts";
import { runSuite } from "../../suite/runSuite.ts";
import { whatIfDiskLine } from "../../whatif/whatIfDiskLine.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import { writeErrLine, writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";
import { stopOnSignals } from "../stopSignals.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];
const d = RUN_DEFAULTS;

export function runCommand(setExitCode: SetExitCode) {
  return new Command("run")
    .description(
      "Benchmark GGUF models, each in its own child process: load, inference, context windows, cleanup.\n" +
        `With no model, benchmarks a built-in demo set of three synthesised models (llama, qwen2, llama-moe; random weights, real shapes) with --runs ${DEMO_DEFAULTS.runs} --max-tokens ${DEMO_DEFAULTS.maxTokens} --contexts ${DEMO_DEFAULTS.contexts.join(",")} --inference-context ${DEMO_DEFAULTS.inferenceContextSize} --threads ${DEMO_DEFAULTS.threads} unless given.`,
    )
    .argument(
      "[models...]",
      "GGUF files (a split model: its first part), or folders to scan for .gguf files (recursively)",
    )
    .option(
      "--runs <n|auto>",
      `timed runs per prompt, or auto: at least ${d.minAutoRuns}, more until the 95% CI is within --target-ci (default ${d.runs})`,
    )
    .option("--target-ci <percent>", `--runs auto: CI half-width goal, % of the mean (default ${d.targetCiPercent})`)
    .option("--max-runs <n>", `--runs auto: at most this many timed runs per prompt (default ${d.maxRuns})`)
    .option(
      "--max-runs-time <seconds>",
      `--runs auto: no further round once the timed runs of a case took this long (default ${d.maxRunsTimeSeconds})`,
    )
    .option("--warmup <n>", `untimed warm-up runs per prompt (default ${d.warmup})`)
    .option("--max-tokens <n>", `tokens generated per run (default ${d.maxTokens})`)
    .option("--contexts <list>", `context sizes to measure (default ${d.contexts.join(",")})`)
    .option(
      "--inference-context <n>",
      `context size of the inference stage, clamped to the training context (default ${d.inferenceContextSize})`,
    )
    .option(
      "--threads <list>",
      "threads, a list sweeps (default: the physical cores in this process's CPU affinity, lowered by a cgroup CPU quota; on a busy machine fewer threads can be much faster)",
    )
    .option("--batch-size <list>", `batch sizes (default ${d.batchSize.join(",")})`)
    .option("--ubatch-size <list>", "micro-batch sizes (default: each batch size)")
    .option("--flash-attention <list>", "on, off or on,off (default off)")
    .option("--kv-cache-type <list>", "f16, q8_0 or f16,q8_0 (default f16)")
    .option("--mmap <list>", "on, off or on,off (default on)")
    .option("--no-mmap", "load without mmap (same as --mmap off)")
    .option("--gpu-layers <list>", `layers offloaded to a GPU (default ${d.gpuLayers.join(",")})`)
    .addOption(
      new Option("--cache <state>", "page cache before each load (default: not controlled)").choices([
        "cold",
        "warm",
        "both",
      ]),
    )
    .option(
      "--timeout <seconds>",
      `limit per settings case, counted from the child's start: load and the untimed engine warm-up count (default ${d.timeoutSeconds})`,
    )
    .option("--seed <n>", `sampling seed (default ${d.seed})`)
    .option("--allow-beyond-training-context", "also measure context sizes above the model's training context")
    .option("--out <dir>", `output folder (default ./${d.outRoot}/<timestamp>/)`)
    .option("--format <list>", "report formats: md,html,csv,json (default all)")
    .option("--json", "print results.json to stdout")
    .option("--dry-run", "print the plan (models × settings) without starting any process")
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .option("--no-db", "do not save to the history database")
    .option(
      "--what-if <spec>",
      "benchmark a synthesised shape ARCH:PRESET:TYPE (see synth --list), e.g. llama:llama-3.2-1b:q4_k_m; seed = the report's four models (repeatable)",
      collect,
    )
    .option("--no-bandwidth", "skip measuring this machine's memory bandwidth (roofline)")
    .option("--quality", "also measure perplexity (and KL divergence with --reference) after the context windows")
    .option("--quality-text <file>", "text scored by --quality (default: a built-in text of about 4,500 tokens)")
    .option("--quality-context <n>", `tokens per perplexity chunk, second half scored (default ${d.qualityContext})`)
    .option(
      "--reference <file>",
      "higher-precision file of the same model: KL divergence against it (implies --quality)",
    )
    .option("--max-kld <nats>", `quality budget of the recommendation, mean KLD (default ${d.maxKldNats})`)
    .option(
      "--engine <list>",
      "engines to run the plan on: node-llama-cpp (in-process), llama-server, openai (a list sweeps; default node-llama-cpp)",
    )
    .option("--llama-server <path>", "llama-server binary (default: the one `gguf-bench engine build` built)")
    .option(
      "--endpoint <url>",
      "base URL of an OpenAI-compatible API for --engine openai, e.g. http://127.0.0.1:8080/v1",
    )
    .option("--served-model <name>", "model name sent to the endpoint (default: the server's own)")
    .option("--api-key-env <var>", "environment variable holding the endpoint's API key (sent as a Bearer token)")
    .option(
      "--concurrency <list>",
      "concurrency levels of the concurrency stage, e.g. 1,2,4,8 (closed loop; default: the stage does not run)",
    )
    .option("--requests <n>", `requests per concurrency level (default ${d.requestsPerLevel})`)
    .option(
      "--request-timeout <seconds>",
      `abandon a streamed request that sends nothing for this long (default ${d.requestTimeoutSeconds})`,
    )
    .action(async (models, raw) => {
      const request = parseRunOptions(models, raw);
      for (const warning of request.warnings) writeErrLine(warning);
      const db = request.dbPath === null ? null : resolveDbLocation(request.dbPath);
      // A folder stands for the .gguf files in it, as for inspect.
      const files = await expandModelArgs(models, writeErrLine);
      const toRun = modelsToRun(files, request.whatIf, request.demo);
      request.config.notes.push(...toRun.notes);
      const quality = request.quality ? await prepareQuality(request.quality) : null;
      if (request.dryRun) {
        const groups = planSuiteCases(toRun.labels.length, request.config.sweep, request.config.ubatchFollowsBatch);
        writeOut(describePlan(toRun.labels, groups, request.config));
        const disk = await whatIfDiskLine(toRun.whatIfs, toRun.tmpDir);
        if (disk) writeOut(`${disk}\n`);
        if (quality) {
          const against = quality.config.reference
            ? ` and KL divergence against ${quality.config.reference.label}`
            : "";
          writeOut(
            `quality: perplexity${against} over ${quality.config.textSource === "built-in" ? "the built-in text" : quality.config.textSource} in ${quality.config.contextSize}-token chunks\n`,
          );
        }
        return;
      }
      // A missing engine binary stops the run before any folder is made.
      const engines = resolveEngines(request.config);
      // Before anything is synthesised or measured: a folder that cannot take the results stops the run now.
      const claimed = await claimOutDir(request.outDir, request.outDirIsDefault);
      const outDir = claimed.dir;
      const stop = stopOnSignals();
      const sink = resultSink(outDir, db);
      let results: RunResults;
      try {
        try {
          results = await runSuite({
            models: await toRun.prepare(stop.signal),
            config: request.config,
            outDir,
            sink,
            bandwidth: request.bandwidth,
            signal: stop.signal,
            progress: listrProgress(),
            quality,
            engines,
          });
        } finally {
          await toRun.cleanup();
        }
        const problems = [...sink.problems];
        try {
          await writeReports([results], outDir, request.formats);
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
        // Not a write problem: the run measured the model, only its quality could not be.
        const notes = results.models.flatMap((m) =>
          m.quality?.status === "error" ? [`quality of ${m.label}: ${m.quality.message}`] : [],
        );
        for (const line of [...problems, ...notes]) writeErrLine(line);
        if (request.json) writeOut(`${JSON.stringify(results, null, 2)}\n`);
        const qualityFailed = notes.length > 0;
        // A case the stop cut short (status "interrupted") is no failure of its model: the ↓ line and the summary
        // count it apart.
        const failed = results.models.filter((m) => m.status === "failed");
        for (const model of failed) for (const line of failureLines(model)) writeErrLine(line);
        writeErrLine(runSummaryLine(results, outDir, qualityFailed));
        if (failed.length > 0 || qualityFailed || results.interrupted || problems.length > 0) setExitCode(1);
      } catch (error) {
        // Nothing was written (a --what-if that could not be made, results.json not creatable): no empty folder.
        await claimed.release();
        throw error;
      } finally {
        stop.dispose();
      }
    });
}
