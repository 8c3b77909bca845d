import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** Another process that holds an exclusive lock on the SQLite file at `path` until `release()`. */
export async function lockHolder(path: string): Promise<{ release: () => Promise<void> }> {
  const code = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN EXCLUSIVE");
    process.stdout.write("locked\\n");
    process.stdin.on("end", () => { db.exec("ROLLBACK"); db.close(); process.exit(0); });
    process.stdin.resume();`;
  const child: ChildProcess = spawn(process.execPath, ["-e", code, path], {
    cwd: repo,
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("locked") && resolve());
    child.on("exit", (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  return {
    release: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.on("exit", () => resolve());
        child.stdin?.end();
      }),
  };
}
