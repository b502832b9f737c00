import {
  AliasNode,
  SelectQueryNode,
  TableNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type RootOperationNode,
} from 'kysely';
import type { AppContext } from '../src/context.ts';

/** What one query touched: its kind and first table ('raw' for a `sql` template). */
function describeQuery(node: RootOperationNode): string {
  const named = (n: OperationNode | undefined): string | undefined => {
    if (!n) return undefined;
    if (TableNode.is(n)) return n.table.identifier.name;
    if (AliasNode.is(n)) return named(n.node);
    return undefined;
  };
  switch (node.kind) {
    case 'SelectQueryNode':
      return [
        `select ${named(node.from?.froms[0]) ?? '?'}`,
        ...(node.setOperations ?? []).map((op) =>
          SelectQueryNode.is(op.expression)
            ? `${op.operator} ${named(op.expression.from?.froms[0]) ?? '?'}`
            : op.operator,
        ),
      ].join(' ');
    case 'InsertQueryNode':
      return `insert ${named(node.into) ?? '?'}`;
    case 'UpdateQueryNode':
      return `update ${named(node.table) ?? '?'}`;
    case 'DeleteQueryNode':
      return `delete ${named(node.from.froms[0]) ?? '?'}`;
    case 'RawNode':
      return `raw ${node.sqlFragments.join('?').replace(/\s+/g, ' ').trim().slice(0, 40)}`;
    default:
      return node.kind;
  }
}

/**
 * Every query `fn` sends through `ctx.db` (transactions included), in order: for counting the
 * round trips of a request. The context's database is swapped for one that records, then put back.
 */
export async function queriesDuring(ctx: AppContext, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs) => {
      seen.push(describeQuery(args.node));
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  const original = ctx.db;
  ctx.db = original.withPlugin(recorder);
  try {
    await fn();
  } finally {
    ctx.db = original;
  }
  return seen;
}
