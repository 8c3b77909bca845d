import { Command } from "@commander-js/extra-typings";
import Table from "cli-table3";
import { buildNodeLlamaCppBinding, nodeLlamaCppLocalBuilds } from "../../engines/bindingBuild.ts";
import { listEngines } from "../../engines/listEngines.ts";
import { buildLlamaCppTools, llamaCppBuildState } from "../../engines/llamaCppBuild.ts";
import { UsageError } from "../../errors.ts";
import type { SetExitCode } from "../setExitCode.ts";

export function engineCommand(_setExitCode: SetExitCode) {
  const engine = new Command("engine").description(
    "The engines gguf-bench can run: node-llama-cpp in-process, llama-server, any OpenAI-compatible endpoint.",
  );
  engine
    .command("build")
    .description(
      "Build llama-server, llama-bench, llama-perplexity and llama-quantize from the llama.cpp source node-llama-cpp ships, " +
        "into the user cache folder (reused when present; a build already running is waited for).",
    )
    .option("--jobs <n>", "parallel compile jobs (default: the cores available)")
    .option(
      "--binding",
      "also build node-llama-cpp's own binding from that source (used instead of its prebuilt binary from then on)",
    )
    .action(async (options) => {
      let jobs: number | undefined;
      if (options.jobs !== undefined) {
        jobs = Number(options.jobs);
        if (!/^\d+$/.test(options.jobs) || jobs < 1 || jobs > 1024)
          throw new UsageError(`--jobs must be an integer from 1 to 1024, got '${options.jobs}'`);
      }
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.on("SIGINT", onSigint);
      const onLine = (line: string) => process.stderr.write(`gguf-bench: ${line}\n`);
      try {
        const before = llamaCppBuildState();
        const binDir = await buildLlamaCppTools({ jobs, onLine, signal: controller.signal });
        const how =
          before.state === "built"
            ? `reused: already built; delete ${before.dir} to build again`
            : before.state === "building"
              ? "built by the build that was already running"
              : "built now";
        process.stdout.write(`llama.cpp tools: ${binDir} (${how})\n`);
        if (options.binding) {
          const existing = nodeLlamaCppLocalBuilds();
          const builds =
            existing.length > 0 ? existing : await buildNodeLlamaCppBinding({ onLine, signal: controller.signal });
          const reused = existing.length > 0 ? "reused: already built" : "built now";
          process.stdout.write(`node-llama-cpp local build: ${builds.join(", ")} (${reused})\n`);
        }
      } finally {
        process.off("SIGINT", onSigint);
      }
    });
  engine
    .command("list")
    .description("Show each engine found: where, version, how it was built.")
    .option("--json", "print the list as JSON")
    .action((options) => {
      const rows = listEngines();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const table = new Table({
        head: ["Engine", "Status", "Where", "Version", "Build"],
        style: { head: [], border: [] },
      });
      for (const row of rows) table.push([row.name, row.status, row.location ?? "—", row.version ?? "—", row.build]);
      process.stdout.write(`${table.toString()}\n`);
    });
  return engine;
}
