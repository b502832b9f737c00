import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/** Statements that may change rows; a SELECT may too, through a data-modifying WITH. */
const WRITES = new Set([
  'InsertQueryNode',
  'UpdateQueryNode',
  'DeleteQueryNode',
  'MergeQueryNode',
  'RawNode',
]);
const RAW_WRITE = /\b(insert|update|delete|merge|truncate)\b/i;

/** Every table a query names (TableNode), however deep. */
function tablesIn(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) tablesIn(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as OperationNode & { table?: { identifier?: { name?: string } } };
  if (n.kind === 'TableNode' && typeof n.table?.identifier?.name === 'string') {
    found.add(n.table.identifier.name);
    return;
  }
  for (const value of Object.values(node))
    if (value !== null && typeof value === 'object') tablesIn(value, found);
}

/**
 * Counts the statements run through this database that may change any of some tables: a
 * generation that moves before such a statement runs and again when it has run. What keeps a copy
 * of rows of those tables (the session cache) compares generations and drops a copy made before a
 * change. Raw SQL counts when it names one of the tables and looks like a write.
 */
export class TableWrites implements KyselyPlugin {
  #generation = 0;
  readonly #writing = new WeakMap<object, true>();
  readonly #raw: RegExp;

  /**
   * @param ignore statements known to change nothing a copy holds (a session's last-seen time,
   *   which the session cache keeps itself).
   */
  constructor(
    private readonly tables: readonly string[],
    private readonly ignore: (node: RootOperationNode) => boolean = () => false,
  ) {
    this.#raw = new RegExp(`\\b(${tables.join('|')})\\b`, 'i');
  }

  get generation(): number {
    return this.#generation;
  }

  /** A write made some other way (the owner connection): every copy is dropped. */
  written(): void {
    this.#generation++;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.#writes(args.node)) {
      this.#generation++;
      this.#writing.set(args.queryId, true);
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#writing.has(args.queryId)) this.#generation++;
    return Promise.resolve(args.result);
  }

  #writes(node: RootOperationNode): boolean {
    if (node.kind === 'RawNode') {
      const text = node.sqlFragments.join(' ');
      if (!RAW_WRITE.test(text)) return false;
      if (this.#raw.test(text)) return true;
      // A table named through sql.table() is a node among the parameters.
      const found = new Set<string>();
      tablesIn(node.parameters, found);
      return this.tables.some((table) => found.has(table));
    }
    if (!WRITES.has(node.kind) && !(node.kind === 'SelectQueryNode' && node.with)) return false;
    if (this.ignore(node)) return false;
    const found = new Set<string>();
    tablesIn(node, found);
    return this.tables.some((table) => found.has(table));
  }
}
