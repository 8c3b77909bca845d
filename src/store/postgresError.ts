import { GgufBenchError } from "../errors.ts";

/** SQLSTATE classes and codes (PostgreSQL manual, appendix A) that mean "the connection went away". */
const CONNECTION_LOST_STATES = ["57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"];
const NETWORK_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ENOENT"];
const DROPPED_CODES = ["ECONNRESET", "EPIPE"];
const MAX_DETAIL_CHARS = 300;

/**
 * Turns a `pg` failure into a one-line GgufBenchError naming the database (URL without password):
 * db-unreachable and db-connection-lost (worth retrying), db-auth, db-missing, db-permission, db-failed.
 * GgufBenchErrors pass through; errors that are neither pg's nor the network's are rethrown as bugs.
 */
export function postgresError(display: string, error: unknown): unknown {
  if (error instanceof GgufBenchError) return error;
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const detail = error.message.replace(/\s+/g, " ").slice(0, MAX_DETAIL_CHARS);
  const wrap = (kind: string, message: string) => new GgufBenchError(kind, message, { cause: error });
  if (typeof code === "string" && NETWORK_CODES.includes(code)) {
    return wrap("db-unreachable", `cannot connect to PostgreSQL at ${display} (${detail}); is the server running?`);
  }
  if (typeof code === "string" && (DROPPED_CODES.includes(code) || CONNECTION_LOST_STATES.includes(code))) {
    return wrap("db-connection-lost", `lost the connection to PostgreSQL at ${display} (${detail})`);
  }
  if (/connection terminated|not queryable|connection timeout|timeout expired/i.test(error.message)) {
    return wrap("db-connection-lost", `lost the connection to PostgreSQL at ${display} (${detail})`);
  }
  if (code === "28P01" || code === "28000") {
    return wrap(
      "db-auth",
      `PostgreSQL at ${display} refused the credentials (${detail}); check the user and password in the URL`,
    );
  }
  if (code === "3D000") return wrap("db-missing", `PostgreSQL at ${display}: ${detail}; create it first (createdb)`);
  if (code === "42501") {
    return wrap("db-permission", `PostgreSQL at ${display}: ${detail}; the user needs rights on the gguf_bench schema`);
  }
  if (code === "25006") return wrap("db-read-only", `PostgreSQL at ${display} is read-only here (${detail})`);
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
    return wrap("db-failed", `PostgreSQL at ${display}: ${detail} (SQLSTATE ${code})`);
  }
  if (/password|SASL|SCRAM/i.test(error.message)) {
    // The client refuses before asking the server, e.g. a server that wants a password the URL lacks.
    return wrap("db-auth", `PostgreSQL at ${display}: ${detail}; check the user and password in the URL`);
  }
  return error;
}
