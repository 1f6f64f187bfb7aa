// Removes a previous synthetic graph with set-based statements. Runs while the foreign keys around
// the graph are dropped (see LoadConstraints), so each ON DELETE rule is applied here with one join
// per constraint instead of one trigger call per deleted row, which at a million researchers is
// the difference between seconds and the better part of an hour.
import type pg from "pg";
import type { ForeignKey } from "./constraints.js";

const SYNTHETIC = `LIKE 'S%'`;
/** Tables whose synthetic rows belong to the graph and go unconditionally. */
const OWNED = ["researcher", "work"];
/** Shared vocabularies: a synthetic topic or institution stays while anything else still uses it. */
const SHARED = ["topic", "institution"];

export class ResetBlockedError extends Error {
  override name = "ResetBlockedError";
}

export async function deleteSyntheticRows(client: pg.Client, foreignKeys: ForeignKey[]): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  const count = (table: string, n: number | null) => (deleted[table] = (deleted[table] ?? 0) + (n ?? 0));
  for (const parent of OWNED) {
    for (const fk of foreignKeys.filter((f) => f.parent === parent)) {
      const join = joinCondition(client, fk, "x", "p");
      const from = `${fk.table} x USING ${parent} p WHERE ${join} AND p.openalex_id ${SYNTHETIC}`;
      if (fk.onDelete === "c") {
        count(fk.table, (await client.query(`DELETE FROM ${from}`)).rowCount);
      } else if (fk.onDelete === "n" || fk.onDelete === "d") {
        const value = fk.onDelete === "n" ? "NULL" : "DEFAULT";
        const set = fk.columns.map((c) => `${client.escapeIdentifier(c)} = ${value}`).join(", ");
        await client.query(`UPDATE ${fk.table} x SET ${set} FROM ${parent} p WHERE ${join} AND p.openalex_id ${SYNTHETIC}`);
      } else {
        const { rowCount } = await client.query(`SELECT 1 FROM ${from.replace(" USING ", ", ")} LIMIT 1`);
        if (rowCount) throw new ResetBlockedError(`${fk.table} rows still refer to synthetic ${parent} rows (${fk.name})`);
      }
    }
  }
  for (const table of OWNED) {
    count(table, (await client.query(`DELETE FROM ${table} WHERE openalex_id ${SYNTHETIC}`)).rowCount);
  }
  for (const table of SHARED) {
    const stillUsed = foreignKeys
      .filter((f) => f.parent === table)
      .map((fk) => `NOT EXISTS (SELECT 1 FROM ${fk.table} x WHERE ${joinCondition(client, fk, "x", "p")})`);
    const where = [`p.openalex_id ${SYNTHETIC}`, ...stillUsed].join(" AND ");
    count(table, (await client.query(`DELETE FROM ${table} p WHERE ${where}`)).rowCount);
  }
  return deleted;
}

function joinCondition(client: pg.Client, fk: ForeignKey, child: string, parent: string): string {
  return fk.columns
    .map((c, i) => `${child}.${client.escapeIdentifier(c)} = ${parent}.${client.escapeIdentifier(fk.parentColumns[i]!)}`)
    .join(" AND ");
}
