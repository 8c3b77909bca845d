import { fileURLToPath } from "node:url";

/** What to fork: the worker module and the Node flags it needs. */
export interface WorkerEntry {
  modulePath: string;
  execArgv: string[];
}

/**
 * The worker beside this module: `src/worker/main.ts` through tsx when gguf-bench runs from source, or
 * `dist/worker/main.js` when built. `--expose-gc` lets the worker collect garbage before it reads its baseline.
 * tsx is given as an absolute URL so the child finds it whatever the working directory is.
 */
export function defaultWorkerEntry(): WorkerEntry {
  const fromSource = import.meta.url.endsWith(".ts");
  const modulePath = fileURLToPath(new URL(fromSource ? "../worker/main.ts" : "../worker/main.js", import.meta.url));
  return { modulePath, execArgv: fromSource ? tsxExecArgv() : ["--expose-gc"] };
}

/** Flags to run a TypeScript module in a child (also used by tests for their stand-in workers). */
export function tsxExecArgv(): string[] {
  return ["--import", import.meta.resolve("tsx"), "--expose-gc"];
}
