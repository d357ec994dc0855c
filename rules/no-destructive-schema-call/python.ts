import type { Finding, PythonInput } from '../../src/core/types.js';
import { describeContext, severityOfDestructiveOperation } from '../../src/core/policy.js';
import { getPythonExecutionContext } from '../../src/core/python/context.js';
import { getPyStaticString } from '../../src/core/python/static.js';
import {
  calleeName,
  calleeOf,
  calleeText,
  describePy,
  functionName,
  getPyModule,
  keywordArguments,
  positionalArguments,
  receiverName,
  receiverOf,
  textOf,
  unwrap,
  type PyModule,
  type PyNode,
} from '../../src/core/python/syntax.js';

/** What each call does to the data, completing "`call` …" (the wording of the TypeScript detector). */
const EFFECTS = {
  dropAll: 'drops every table of the metadata and every row in them',
  dropTable: 'drops the table and every row in it',
  dropTables: 'drops the tables and every row in them',
  dropColumn: 'drops the column and its value in every row',
  dropDatabase: 'drops the whole database, every table and row',
  dropCollection: 'deletes the collection and every document in it',
  flush: 'deletes every row of every table',
  migrateZero: 'reverts every migration of the app, dropping the tables they created',
  deleteAll: 'deletes every row of the table',
} as const;

interface Hazard {
  node: PyNode;
  call: string;
  effect: string;
}

/** `.drop()` is everywhere (pandas, sets); SQLAlchemy tables take a bind: `users.drop(engine)`, `Model.__table__.drop(bind=…)`. */
const TABLE_RECEIVER = /(?:^|_)(?:table|tbl)s?$|^__table__$/i;
const BIND_ARGUMENT = /^(?:engine|conn|connection|bind|db\.engine|\w+\.engine|sync_conn)$/;
/** Filters that keep a bulk delete from taking every row. */
const FILTERS = new Set(['filter', 'filter_by', 'where', 'get', 'exclude', 'limit', 'join', 'slice', 'offset', 'first']);

function simple(call: PyNode, module: PyModule, effect: string): Hazard {
  return { node: call, call: `${calleeText(module, call)}()`, effect };
}

function isTableDrop(module: PyModule, call: PyNode): boolean {
  const receiver = receiverOf(call);
  if (!receiver) return false;
  if (TABLE_RECEIVER.test(receiverName(module, call) ?? '') || /\.tables\.…$|\.tables\.\w+$/.test(describePy(module, receiver))) return true;
  const keywords = keywordArguments(module, call);
  if (keywords.has('bind') || keywords.has('checkfirst')) return true;
  const [first] = positionalArguments(call);
  return first !== undefined && BIND_ARGUMENT.test(describePy(module, first));
}

/** The calls chained below a `.delete()`: `session.query(User)` → [`query`], `User.objects.all()` → [`all`, `objects`]. */
function chainBelow(module: PyModule, call: PyNode): string[] {
  const names: string[] = [];
  let current = receiverOf(call) && unwrap(receiverOf(call)!);
  while (current) {
    if (current.type === 'call') {
      names.push(calleeName(module, current) ?? '');
      current = receiverOf(current) && unwrap(receiverOf(current)!);
    } else if (current.type === 'attribute') {
      names.push(textOf(module, current.children[1]!));
      current = unwrap(current.children[0]!);
    } else {
      break;
    }
  }
  return names;
}

/** `session.query(User).delete()`, `User.objects.all().delete()`: no filter, so every row goes. */
function isBulkDeleteAll(module: PyModule, call: PyNode): boolean {
  if (positionalArguments(call).length > 0) return false;
  const chain = chainBelow(module, call);
  if (chain.some((name) => FILTERS.has(name))) return false;
  return (chain[0] === 'query' && chain.length >= 1) || (chain[0] === 'all' && chain[1] === 'objects');
}

function getHazard(module: PyModule, call: PyNode): Hazard | undefined {
  const name = calleeName(module, call);
  if (!name) return undefined;
  const isMember = receiverOf(call) !== undefined;
  switch (name) {
    case 'drop_all':
      return isMember ? simple(call, module, EFFECTS.dropAll) : undefined;
    case 'drop_table':
      return isMember ? simple(call, module, EFFECTS.dropTable) : undefined;
    case 'drop_tables':
      return isMember ? simple(call, module, EFFECTS.dropTables) : undefined;
    case 'drop_column':
      return isMember ? simple(call, module, EFFECTS.dropColumn) : undefined;
    case 'drop_database':
    case '_drop_databases':
      return simple(call, module, EFFECTS.dropDatabase);
    case 'drop_collection':
      return isMember ? simple(call, module, EFFECTS.dropCollection) : undefined;
    case 'drop':
      return isTableDrop(module, call) ? simple(call, module, EFFECTS.dropTable) : undefined;
    case 'delete':
      return isMember && isBulkDeleteAll(module, call) ? simple(call, module, EFFECTS.deleteAll) : undefined;
    case 'DeleteModel':
      return isStateOnly(module, call) ? undefined : simple(call, module, EFFECTS.dropTable);
    case 'RemoveField':
      return isStateOnly(module, call) ? undefined : simple(call, module, EFFECTS.dropColumn);
    case 'call_command': {
      const args = positionalArguments(call).map((a) => getPyStaticString(module, a));
      const command = args[0];
      if (command === 'flush' || command === 'reset_db') return { node: call, call: `call_command("${command}")`, effect: EFFECTS.flush };
      if (command === 'migrate' && args.includes('zero')) return { node: call, call: `call_command("migrate", …, "zero")`, effect: EFFECTS.migrateZero };
      return undefined;
    }
    case 'run_sync': {
      // `await conn.run_sync(Base.metadata.drop_all)` passes the method instead of calling it.
      const [first] = positionalArguments(call);
      const target = first && unwrap(first);
      if (target?.type !== 'attribute' || textOf(module, target.children[1]!) !== 'drop_all') return undefined;
      return { node: target, call: `${describePy(module, target).replace(/^(?:self|cls)\./, '')}()`, effect: EFFECTS.dropAll };
    }
    default:
      return undefined;
  }
}

/**
 * SQLAlchemy `metadata.drop_all()` (also passed to `run_sync`), `Table.drop()`, Alembic
 * `op.drop_table`/`op.drop_column`, Django `call_command("flush")` and `DeleteModel`/`RemoveField`,
 * peewee `drop_tables`, Tortoise `_drop_databases`, unfiltered bulk deletes; judged by where they
 * run with the same policy as the TypeScript detector.
 */
export function detectPython(input: PythonInput): Finding[] {
  const module = getPyModule(input);
  const findings: Finding[] = [];
  for (const node of module.nodes) {
    if (node.type !== 'call' || !calleeOf(node)) continue;
    const hazard = getHazard(module, node);
    if (!hazard) continue;
    const context = getPythonExecutionContext(module, node, input.role);
    const severity = severityOfDestructiveOperation(context);
    if (!severity || (context === 'migrationUp' && readBeforeDropped(module, node))) continue;
    const range = [hazard.node.start, hazard.node.end] as const;
    findings.push(
      context === 'application'
        ? { ruleId: 'no-destructive-schema-call', messageId: 'destructiveCall', severity, range, data: { call: hazard.call, effect: hazard.effect } }
        : { ruleId: 'no-destructive-schema-call', messageId: 'intendedChange', severity, range, data: { call: hazard.call, effect: hazard.effect, where: describeContext(context) } },
    );
  }
  return findings;
}

/**
 * Django's `SeparateDatabaseAndState(state_operations=[…])`: operations that change only Django's
 * model state, never a table (the database side is in `database_operations`, or was done before).
 */
function isStateOnly(module: PyModule, call: PyNode): boolean {
  // The innermost argument that holds the call: an operation nested in another call's list belongs to that call.
  for (let current = call.parent; current; current = current.parent) {
    if (current.type === 'keyword_argument') return textOf(module, current.children[0]!) === 'state_operations';
    if (current.type === 'call') return false;
  }
  return false;
}

/** The field, model, column or table a migration operation drops, when written as a string. */
function droppedName(module: PyModule, call: PyNode): string | undefined {
  const keywords = keywordArguments(module, call);
  const positional = positionalArguments(call);
  const string = (node: PyNode | undefined) => (node ? getPyStaticString(module, node) : undefined);
  switch (calleeName(module, call)) {
    case 'RemoveField':
      return string(keywords.get('name') ?? positional[1]);
    case 'DeleteModel':
      return string(keywords.get('name') ?? positional[0]);
    case 'drop_column':
      return string(keywords.get('column_name') ?? positional[1]);
    case 'drop_table':
      return string(keywords.get('table_name') ?? positional[0]);
    default:
      return undefined;
  }
}

/** Alembic operations that change the schema without reading any value. */
const SCHEMA_ONLY_LINE = /^\s*(?:#|op\.(?:drop_|add_column|alter_column|create_index|create_foreign_key|create_unique_constraint|batch_alter_table)|(?:with\s+)?batch_op\.(?:drop_|add_column|alter_column|create_index))/;

/**
 * Migration data flow for operations (the SQL side is `src/core/sql/data-flow.ts`): a migration that
 * reads the dropped field or table before it drops it has copied what it needed. Django: a
 * `RunPython` earlier in the same operations whose function touches the field (`obj.old`, `"old"`,
 * `old__…`) or the model. Alembic: code of `upgrade()` before the drop that names the column or
 * table, schema-only `op.*` lines aside (`op.execute("UPDATE t SET new = old")`, a loop over rows).
 */
function readBeforeDropped(module: PyModule, call: PyNode): boolean {
  const name = droppedName(module, call);
  if (!name || !/^\w+$/.test(name)) return false;
  const callee = calleeName(module, call);
  if (callee === 'RemoveField' || callee === 'DeleteModel') {
    const touches = callee === 'DeleteModel' ? new RegExp(`["']${name}["']|\\b${name}\\.objects\\b`) : new RegExp(`\\.${name}\\b|["']${name}["']|\\b${name}__\\w`);
    return module.nodes.some((node) => {
      if (node.type !== 'call' || node.start >= call.start || calleeName(module, node) !== 'RunPython') return false;
      const [forward] = positionalArguments(node);
      const target = forward && (forward.type === 'identifier' ? module.nodes.find((n) => functionName(module, n) === textOf(module, forward)) : forward);
      return target !== undefined && touches.test(textOf(module, target));
    });
  }
  let upgrade: PyNode | undefined = call.parent;
  while (upgrade && upgrade.type !== 'function_definition') upgrade = upgrade.parent;
  if (!upgrade) return false;
  // A `Column("old", …)` of another table is a definition, not a read.
  const before = module.text.slice(upgrade.start, call.start).split('\n').slice(1).filter((line) => !SCHEMA_ONLY_LINE.test(line) && !/\bColumn\(/.test(line));
  return before.some((line) => new RegExp(`\\b${name}\\b`).test(line));
}
