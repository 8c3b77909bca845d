import { Listr, ListrLogger, ProcessOutput } from "listr2";
import { printable } from "../text/printable.ts";

/** Longest title or detail on a progress line: a model label from a file can be any length. */
const MAX_PROGRESS_CHARS = 200;
const shown = (text: string) => printable(text, MAX_PROGRESS_CHARS);

/**
 * How a unit of work ended, as the progress line shows it: ✔, ✔ with "partial: …", ✖ with the reason, or ↓ with
 * why it never started (the run was stopped before it).
 */
export type TaskOutcome = { status: "ok" } | { status: "partial" | "failed" | "skipped"; summary: string };

/** One unit of work shown as a line of progress; `update` sets its current detail (stage, case). */
export interface ProgressTask {
  title: string;
  run: (update: (detail: string) => void) => Promise<TaskOutcome>;
}
/** Runs tasks in order while showing progress. */
export type RunTasks = (tasks: ProgressTask[]) => Promise<void>;

/** No display (tests, --json with a quiet stderr). */
export const runTasksQuietly: RunTasks = async (tasks) => {
  for (const task of tasks) await task.run(() => {});
};

function formatEta(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}

/**
 * listr2 progress on stderr (stdout stays free for --json): a live list with the model, stage and ETA on a
 * terminal, plain lines when stderr is not a TTY or CI is set. The ETA is the mean time of the finished tasks
 * times the tasks left. A failed model is shown as failed (✖ and its reason), a partial one says so.
 * listr2's own signal handling is off: Ctrl-C belongs to the suite, which keeps results.
 */
export function listrProgress(): RunTasks {
  return async (tasks) => {
    // A terminal that reports 0 columns (some pseudo-terminals) would wrap every character onto its own line.
    const plain = !process.stderr.isTTY || Boolean(process.env.CI) || !process.stderr.columns;
    const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
    const started = performance.now();
    let finished = 0;
    const list = new Listr(
      tasks.map((task, index) => ({
        title: shown(task.title),
        task: async (_ctx: unknown, listrTask: { title: string; output: string; skip(message: string): void }) => {
          const eta =
            finished > 0
              ? ` · ETA ${formatEta(((performance.now() - started) / finished) * (tasks.length - index))}`
              : "";
          listrTask.title = `[${index + 1}/${tasks.length}] ${shown(task.title)}${eta}`;
          const outcome = await task.run((detail) => {
            listrTask.output = shown(detail);
          });
          finished++;
          listrTask.title = `[${index + 1}/${tasks.length}] ${shown(task.title)}`;
          // A thrown error is how listr2 shows ✖ (exitOnError is off, so the next task still runs).
          if (outcome.status === "failed") throw new Error(shown(outcome.summary));
          if (outcome.status === "partial") listrTask.title += ` — partial: ${shown(outcome.summary)}`;
          if (outcome.status === "skipped") listrTask.skip(shown(outcome.summary));
        },
      })),
      {
        concurrent: false,
        exitOnError: false,
        registerSignalListeners: false,
        renderer: plain ? "simple" : "default",
        rendererOptions: { logger, outputBar: 1, persistentOutput: false, collapseSkips: false },
        fallbackRenderer: "simple",
        fallbackRendererOptions: { logger },
        fallbackRendererCondition: plain,
      } as never,
    );
    await list.run();
  };
}
