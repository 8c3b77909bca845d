import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { UsageError } from "../errors.ts";

/** Where the history lives: an SQLite file (the embedded default) or a PostgreSQL database. */
export type DbLocation =
  | { kind: "sqlite"; path: string; display: string }
  | {
      kind: "postgres";
      /** The URL as given (with its password, if any): handed to the driver only. */
      url: string;
      /** The URL without its password: what messages show. */
      display: string;
    };

/** The environment variable that names the history database when `--db` is not given. */
export const DB_ENV = "GGUF_BENCH_DB";

/** A URL is longer than any sane connection string: bound it before it reaches a message. */
const MAX_LOCATION_LENGTH = 4096;

/** `$XDG_DATA_HOME/gguf-bench/results.db` (XDG default ~/.local/share). */
export function defaultDbPath(): string {
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = process.env.XDG_DATA_HOME;
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local", "share");
  return join(dataHome, "gguf-bench", "results.db");
}

/**
 * The database a command uses: `--db` when given, else `$GGUF_BENCH_DB` when set, else the default SQLite
 * file. `postgres://` / `postgresql://` URLs name a PostgreSQL database; anything else is an SQLite path.
 * Throws UsageError for an empty value (it would otherwise name a throwaway database) or a malformed URL.
 */
export function resolveDbLocation(option: string | undefined): DbLocation {
  if (option !== undefined) return parseDbLocation(option, "--db");
  const fromEnv = process.env[DB_ENV];
  if (fromEnv !== undefined) return parseDbLocation(fromEnv, DB_ENV);
  const path = defaultDbPath();
  return { kind: "sqlite", path, display: path };
}

/** Parses one `--db` value; `source` names where it came from in errors. */
export function parseDbLocation(text: string, source: string): DbLocation {
  if (text.trim() === "") {
    throw new UsageError(`${source} is empty: give a database file path or a postgres:// URL (or --no-db)`);
  }
  if (text.length > MAX_LOCATION_LENGTH) {
    throw new UsageError(`${source} is longer than ${MAX_LOCATION_LENGTH} characters`);
  }
  if (!/^postgres(ql)?:\/\//i.test(text)) {
    return { kind: "sqlite", path: resolve(text), display: text };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${source}: "${redactPassword(text)}" is not a valid postgres:// URL`);
  }
  if (url.pathname === "" || url.pathname === "/") {
    throw new UsageError(`${source}: the postgres:// URL names no database (postgres://user@host:5432/DATABASE)`);
  }
  const display = new URL(url.href);
  if (display.password !== "") display.password = "***";
  return { kind: "postgres", url: text, display: display.href };
}

/** For messages about a URL that did not even parse: drop anything between "://user:" and "@". */
function redactPassword(text: string): string {
  return text.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, "$1***@");
}
