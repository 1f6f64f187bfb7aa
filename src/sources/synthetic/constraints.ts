// Drops the indexes and foreign keys around a bulk load and puts back exactly what was there.
// Definitions are read from the catalog (not copied from the migration), so whatever the schema is
// at the time is what gets restored, under the same names. Meant to run inside one transaction:
// if anything fails, the rollback brings every dropped object back.
import type pg from "pg";

export interface ForeignKey {
  name: string;
  /** Qualified, quoted as needed (regclass text). */
  table: string;
  parent: string;
  columns: string[];
  parentColumns: string[];
  /** pg_constraint.confdeltype: a no action, r restrict, c cascade, n set null, d set default */
  onDelete: "a" | "r" | "c" | "n" | "d";
  definition: string;
}

interface IndexDefinition {
  name: string;
  table: string;
  /** Set when the index backs a primary key or unique constraint: restored with ALTER TABLE. */
  constraint: string | null;
  definition: string;
}

export class LoadConstraints {
  private constructor(
    readonly foreignKeys: ForeignKey[],
    private readonly indexes: IndexDefinition[],
  ) {}

  /** Every foreign key into or out of `tables`, and every index on `indexedTables`. */
  static async capture(client: pg.Client, tables: string[], indexedTables: string[]): Promise<LoadConstraints> {
    const fks = await client.query<ForeignKey & { onDelete: ForeignKey["onDelete"] }>(
      `SELECT c.conname AS name, c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS parent,
              ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
              ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS "parentColumns",
              c.confdeltype AS "onDelete", pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
        WHERE c.contype = 'f' AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[]))
        ORDER BY c.conname`,
      [tables],
    );
    const indexes = await client.query<IndexDefinition>(
      `SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS table,
              con.conname AS constraint,
              COALESCE(pg_get_constraintdef(con.oid), pg_get_indexdef(i.indexrelid)) AS definition
         FROM pg_index i
         LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                                    AND con.contype IN ('p', 'u', 'x')
        WHERE i.indrelid = ANY($1::regclass[])
        -- primary keys first: foreign keys need them, and they are what other indexes are built beside
        ORDER BY i.indisprimary DESC, i.indrelid::regclass::text, i.indexrelid::regclass::text`,
      [indexedTables],
    );
    return new LoadConstraints(fks.rows, indexes.rows);
  }

  get indexNames(): string[] {
    return this.indexes.map((i) => i.name);
  }

  async dropForeignKeys(client: pg.Client): Promise<void> {
    for (const fk of this.foreignKeys) {
      await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${client.escapeIdentifier(fk.name)}`);
    }
  }

  async dropIndexes(client: pg.Client): Promise<void> {
    for (const ix of this.indexes) {
      await client.query(
        ix.constraint ? `ALTER TABLE ${ix.table} DROP CONSTRAINT ${client.escapeIdentifier(ix.constraint)}` : `DROP INDEX ${ix.name}`,
      );
    }
  }

  /** Rebuilds indexes, then re-adds (and so re-validates) the foreign keys. */
  async restore(client: pg.Client, onStep: (name: string, done: number, total: number) => void): Promise<void> {
    const total = this.indexes.length + this.foreignKeys.length;
    let done = 0;
    for (const ix of this.indexes) {
      onStep(ix.name, done, total);
      await client.query(
        ix.constraint ? `ALTER TABLE ${ix.table} ADD CONSTRAINT ${client.escapeIdentifier(ix.constraint)} ${ix.definition}` : ix.definition,
      );
      done++;
    }
    for (const fk of this.foreignKeys) {
      onStep(fk.name, done, total);
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${client.escapeIdentifier(fk.name)} ${fk.definition}`);
      done++;
    }
  }
}
