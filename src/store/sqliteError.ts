import { GgufBenchError } from "../errors.ts";

/**
 * Turns a better-sqlite3 failure into a one-line GgufBenchError naming the database file. Errors that are
 * already GgufBenchErrors pass through; anything else is a bug and is rethrown as is.
 */
export function sqliteError(dbPath: string, error: unknown, mode: "read" | "write" = "write"): unknown {
  if (error instanceof GgufBenchError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && typeof (error as { syscall?: unknown }).syscall === "string") {
    // A file-system error around the database (copying it, creating its folder).
    return new GgufBenchError("db-open-failed", `cannot open ${dbPath} (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return error;
  const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new GgufBenchError(
      "db-corrupt",
      `${dbPath} is not a usable gguf-bench database (${detail}); move it aside or pass --db with another file`,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new GgufBenchError("db-busy", `${dbPath} stayed locked by another process (${detail}); try again`, {
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM")) {
    return new GgufBenchError(
      "db-open-failed",
      `cannot open ${dbPath} for ${mode === "read" ? "reading" : "writing"} (${detail})`,
      {
        cause: error,
      },
    );
  }
  return new GgufBenchError("db-failed", `database ${dbPath}: ${detail} (${code})`, { cause: error });
}
