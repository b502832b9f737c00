import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { createTestContext, DRIVERS, type TestContext } from '../../test/harness.ts';

/** Tables the application never queries through Kysely, so schema.ts leaves them out on purpose. */
const NOT_TYPED: Record<string, string> = {
  schema_migration: "the migrations' own record, read and written by db/migrate.ts as the owner",
};

interface Column {
  nullable: boolean;
}
type Tables = Map<string, Map<string, Column>>;

/** What schema.ts declares: each table of `Schema`, its columns, and whether a read can give null. */
function declaredTables(): Tables {
  const file = fileURLToPath(new URL('./schema.ts', import.meta.url));
  // The repository's own compiler options, so schema.ts reads here as it does in `npm run typecheck`.
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const { config } = ts.readConfigFile(`${root}tsconfig.json`, (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([file], options);
  const source = program.getSourceFile(file);
  if (!source) throw new Error('schema.ts was not found');
  // A type that failed to resolve would read as `any` and hide drift.
  const problems = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  if (problems.length > 0)
    throw new Error(
      `schema.ts does not typecheck: ${problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`,
    );
  const checker = program.getTypeChecker();
  const schema = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Schema',
  );
  if (!schema) throw new Error('schema.ts has no Schema interface');
  const tables: Tables = new Map();
  for (const table of checker.getTypeAtLocation(schema).getProperties()) {
    const columns = new Map<string, Column>();
    for (const column of checker.getTypeOfSymbol(table).getProperties()) {
      let type = checker.getTypeOfSymbol(column);
      // Kysely's ColumnType and Generated: what a select gives is the __select__ side.
      const selected = type.getProperty('__select__');
      if (selected) type = checker.getTypeOfSymbol(selected);
      const parts = type.isUnion() ? type.types : [type];
      columns.set(column.name, { nullable: parts.some((t) => (t.flags & ts.TypeFlags.Null) !== 0) });
    }
    tables.set(table.name, columns);
  }
  return tables;
}

// Read once for both drivers: building the TypeScript program is the slow part.
let declaredOnce: Tables | undefined;

describe.each(DRIVERS)('db/schema.ts against the migrated database on %s', (driver) => {
  let ctx: TestContext;
  let migrated: Tables;
  let declared: Tables;

  beforeAll(async () => {
    ctx = await createTestContext(driver);
    const rows = await ctx.database.owner.query<{
      table_name: string;
      column_name: string;
      is_nullable: 'YES' | 'NO';
    }>(
      `SELECT c.table_name, c.column_name, c.is_nullable
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`,
    );
    migrated = new Map();
    for (const row of rows) {
      if (row.table_name in NOT_TYPED) continue;
      const columns = migrated.get(row.table_name) ?? new Map<string, Column>();
      columns.set(row.column_name, { nullable: row.is_nullable === 'YES' });
      migrated.set(row.table_name, columns);
    }
    declared = declaredOnce ??= declaredTables();
  }, 120_000);
  afterAll(async () => {
    await ctx.close();
  });

  it('declares every table the migrations create, and no other', () => {
    expect([...declared.keys()].sort()).toEqual([...migrated.keys()].sort());
  });

  it('declares every column of each table, and no other', () => {
    const differences: string[] = [];
    for (const [table, columns] of migrated) {
      const typed = declared.get(table);
      if (!typed) continue;
      for (const column of columns.keys())
        if (!typed.has(column)) differences.push(`${table}.${column} is in the database, not in schema.ts`);
      for (const column of typed.keys())
        if (!columns.has(column)) differences.push(`${table}.${column} is in schema.ts, not in the database`);
    }
    expect(differences).toEqual([]);
  });

  it('says a column may be null exactly when the database allows it', () => {
    const differences: string[] = [];
    for (const [table, columns] of migrated) {
      for (const [column, { nullable }] of columns) {
        const typed = declared.get(table)?.get(column);
        if (typed && typed.nullable !== nullable)
          differences.push(
            `${table}.${column}: database ${nullable ? 'NULL' : 'NOT NULL'}, schema.ts ${typed.nullable ? 'nullable' : 'not nullable'}`,
          );
      }
    }
    expect(differences).toEqual([]);
  });
});
