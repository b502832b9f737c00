import type { OwnerConnection } from '../../db/database.ts';
import { BackupError } from './format.ts';

/** The table that records applied migrations: compared, not merged, on restore. */
export const MIGRATIONS_TABLE = 'schema_migration';

/**
 * Tables neither backed up nor restored: those the database derives from others by trigger
 * (migrations 0012 and 0042; restoring the tables they come from rebuilds them), and the statistics kept
 * ahead of readers with the warming job's state (migration 0038, whose one state row the
 * migration itself writes): recomputed after a restore, never a record of anyone's work.
 */
const DERIVED_TABLES: ReadonlySet<string> = new Set([
  'referral_fact',
  'decision_fact',
  'service_referral_fact',
  'statistics_snapshot',
  'statistics_warming',
]);

export interface ColumnInfo {
  name: string;
  /** As format_type prints it, usable in a cast. */
  type: string;
  nullable: boolean;
  /** GENERATED ALWAYS AS IDENTITY: inserting a value needs OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
}

export interface TableInfo {
  name: string;
  /** Stored columns in table order (generated columns are left out: the database computes them). */
  columns: ColumnInfo[];
  primaryKey: string[];
}

export interface ForeignKey {
  table: string;
  columns: string[];
  references: string;
}

export interface Catalog {
  tables: Map<string, TableInfo>;
  foreignKeys: ForeignKey[];
  sequences: string[];
}

/** Quotes an identifier for SQL. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table, column, primary key, foreign key and sequence of the public schema. */
export async function readCatalog(owner: OwnerConnection): Promise<Catalog> {
  const columns = await owner.query<{
    table_name: string;
    name: string;
    type: string;
    not_null: boolean;
    identity: string;
    generated: string;
  }>(
    `SELECT c.relname AS table_name, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, a.attidentity::text AS identity, a.attgenerated::text AS generated
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const tables = new Map<string, TableInfo>();
  for (const c of columns) {
    let table = tables.get(c.table_name);
    if (!table) {
      table = { name: c.table_name, columns: [], primaryKey: [] };
      tables.set(c.table_name, table);
    }
    if (c.generated !== '') continue;
    table.columns.push({
      name: c.name,
      type: c.type,
      nullable: !c.not_null,
      identityAlways: c.identity === 'a',
    });
  }
  const keys = await owner.query<{
    kind: string;
    name: string;
    table_name: string;
    parent: string | null;
    column_name: string;
  }>(
    `SELECT con.contype::text AS kind, con.conname AS name, c.relname AS table_name, p.relname AS parent,
            a.attname AS column_name
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class p ON p.oid = con.confrelid
       CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND con.contype IN ('p', 'f')
      ORDER BY c.relname, con.conname, k.position`,
  );
  const foreignKeys = new Map<string, ForeignKey>();
  for (const k of keys) {
    if (k.kind === 'p') {
      tables.get(k.table_name)?.primaryKey.push(k.column_name);
    } else if (k.parent) {
      const id = `${k.table_name}.${k.name}`;
      const fk = foreignKeys.get(id) ?? { table: k.table_name, columns: [], references: k.parent };
      fk.columns.push(k.column_name);
      foreignKeys.set(id, fk);
    }
  }
  const sequences = await owner.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname`,
  );
  for (const derived of DERIVED_TABLES) tables.delete(derived);
  return {
    tables,
    foreignKeys: [...foreignKeys.values()].filter((fk) => !DERIVED_TABLES.has(fk.table)),
    sequences: sequences.map((s) => s.name),
  };
}

export interface RestorePlan {
  /** Tables in an order where every row's parents are restored before it. */
  order: string[];
  /**
   * Nullable foreign-key columns that close a cycle (child.case_id ↔ case_record.child_id,
   * decision.reconsiders_id → decision): restored as NULL, then filled in once every table is in.
   */
  deferred: Map<string, string[]>;
}

/**
 * Orders tables so foreign keys hold at every statement. Cycles (including a table referring to
 * itself) are broken at their nullable foreign keys; a cycle of NOT NULL keys cannot be restored
 * row by row and is refused.
 */
export function planOrder(catalog: Catalog): RestorePlan {
  const names = [...catalog.tables.keys()].sort();
  const edges = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (const fk of catalog.foreignKeys) edges.get(fk.table)?.add(fk.references);

  // Tarjan's strongly connected components: tables in one component depend on each other.
  const component = new Map<string, number>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  let components = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop() as string;
        onStack.delete(w);
        component.set(w, components);
        if (w === v) break;
      }
      components++;
    }
  };
  for (const n of names) if (!index.has(n)) visit(n);

  const deferred = new Map<string, string[]>();
  const kept = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (const fk of catalog.foreignKeys) {
    const table = catalog.tables.get(fk.table);
    if (!table || !catalog.tables.has(fk.references)) continue;
    const inCycle = component.get(fk.table) === component.get(fk.references);
    const nullable = fk.columns.every((c) => table.columns.find((col) => col.name === c)?.nullable);
    if (inCycle && nullable) {
      if (table.primaryKey.length === 0)
        throw new BackupError(`Table ${fk.table} refers to itself in a cycle but has no primary key.`);
      const list = deferred.get(fk.table) ?? [];
      for (const c of fk.columns) if (!list.includes(c)) list.push(c);
      deferred.set(fk.table, list);
    } else if (fk.references !== fk.table) {
      kept.get(fk.table)?.add(fk.references);
    } else {
      throw new BackupError(`Table ${fk.table} refers to itself through NOT NULL columns.`);
    }
  }

  // Kahn's algorithm on the remaining edges; alphabetical among equals, so the order is stable.
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < names.length) {
    const next = names.find((n) => !placed.has(n) && [...(kept.get(n) ?? [])].every((p) => placed.has(p)));
    if (!next) {
      const left = names.filter((n) => !placed.has(n));
      throw new BackupError(`Tables ${left.join(', ')} depend on each other through NOT NULL foreign keys.`);
    }
    order.push(next);
    placed.add(next);
  }
  // The migrations table first: a reader learns the schema version before anything else.
  const at = order.indexOf(MIGRATIONS_TABLE);
  if (at > 0) order.unshift(...order.splice(at, 1));
  return { order, deferred };
}

/** The settings under which values are written and read as text, whatever the server's defaults. */
export const TEXT_SETTINGS = [
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
];
