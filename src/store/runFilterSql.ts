import type { RunFilter } from "./resultStore.ts";
import type { SqlValue } from "./sqlDatabase.ts";

/**
 * The WHERE clause (over `runs r`) of a run filter, the same SQL on SQLite and PostgreSQL: LIKE with an
 * explicit escape so the user's text matches literally, lower() on both sides so matching ignores case
 * on both (SQLite's LIKE does, PostgreSQL's does not).
 */
export function runFilterSql(filter: RunFilter): { sql: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.model !== undefined) {
    const text = escapeLikeText(filter.model.toLowerCase());
    conditions.push(`r.run_id IN (SELECT run_id FROM models
      WHERE lower(label) LIKE ? ESCAPE '\\' OR lower(file_fingerprint) LIKE ? ESCAPE '\\')`);
    params.push(`%${text}%`, `${text}%`);
  }
  if (filter.machine !== undefined) {
    const text = filter.machine.toLowerCase();
    conditions.push(`r.machine_id IN (SELECT machine_id FROM machines
      WHERE lower(name) = ? OR lower(hostname) = ? OR machine_id LIKE ? ESCAPE '\\')`);
    params.push(text, text, `${escapeLikeText(text)}%`);
  }
  if (filter.from !== undefined) {
    conditions.push("r.started_at >= ?");
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    conditions.push("r.started_at < ?");
    params.push(filter.to);
  }
  return { sql: conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`, params };
}

/** For LIKE … ESCAPE '\': the user's text matches literally. */
export function escapeLikeText(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
