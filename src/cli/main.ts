import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "@commander-js/extra-typings";
import { GgufBenchError, UsageError } from "../errors.ts";
import { fsErrorText, isFsError } from "../files/fsErrorText.ts";
import { TOOL_VERSION } from "../version.ts";
import { compareCommand } from "./commands/compare.ts";
import { dbCommand } from "./commands/db.ts";
import { engineCommand } from "./commands/engine.ts";
import { estimateCommand } from "./commands/estimate.ts";
import { historyCommand } from "./commands/history.ts";
import { importCommand } from "./commands/import.ts";
import { inspectCommand } from "./commands/inspect.ts";
import { quantizeCommand } from "./commands/quantize.ts";
import { reportCommand } from "./commands/report.ts";
import { runCommand } from "./commands/run.ts";
import { serveCommand } from "./commands/serve.ts";
import { showCommand } from "./commands/show.ts";
import { synthCommand } from "./commands/synth.ts";
import { writeErrLine } from "./output.ts";
import type { SetExitCode } from "./setExitCode.ts";

/**
 * The table of contents of the CLI, and the only place that decides the exit code:
 * 0 all good, 1 a failure the command reported (a model that failed, a file that could not be read),
 * 2 a usage error. Expected errors print one line; only a bug prints more.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExitCode: SetExitCode = (code) => {
    exitCode = Math.max(exitCode, code);
  };
  ignoreClosedOutput();
  const program = new Command("gguf-bench")
    .description("Benchmark local GGUF language models: what each costs on this machine.")
    .version(TOOL_VERSION);
  for (const make of [
    runCommand,
    inspectCommand,
    synthCommand,
    reportCommand,
    historyCommand,
    showCommand,
    compareCommand,
    importCommand,
    estimateCommand,
    quantizeCommand,
    engineCommand,
    dbCommand,
    serveCommand,
  ]) {
    program.addCommand(make(setExitCode));
  }
  configureAll(program);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through here with exit code 0; usage errors are already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof GgufBenchError) {
      writeErrLine(error.message);
      return error instanceof UsageError ? 2 : 1;
    }
    if (isFsError(error)) {
      // The environment, not a bug: a file-system call that failed where no command expected it to.
      writeErrLine(`cannot ${error.syscall}${error.path ? ` ${error.path}` : ""}: ${fsErrorText(error)}`);
      return 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`gguf-bench: internal error (please report it): ${message}\n`);
    return 1;
  }
}

/**
 * Every command: errors end in main (never process.exit), and commander's own messages (unknown option, missing
 * argument) read like every other error: one `gguf-bench: …` line that points at --help.
 */
function configureAll(command: Command<unknown[], Record<string, unknown>, Record<string, unknown>>): void {
  command.exitOverride();
  command.configureOutput({
    outputError: (text) => writeErrLine(`${text.replace(/^error:\s*/, "").trim()} (run with --help for usage)`),
  });
  for (const sub of command.commands) configureAll(sub as never);
}

/** `gguf-bench show … | head` closes the pipe early: that is the reader's choice, not an error to crash on. */
function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "EIO") throw error;
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv);
}
