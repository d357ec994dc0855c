import { outsideTestFiles } from '../../src/core/file-role.js';
import { ts } from '../../src/core/ts.js';
import { defineRule, type Finding, type TsInput } from '../../src/core/types.js';
import { enclosingScope, getCalleeName, getCalleeObject, getCalleeText, getReceiverName, walk, walkCalls } from '../../src/core/ts-helpers/call.js';
import { getExecutionContext } from '../../src/core/ts-helpers/execution-context.js';
import { getStaticString, getStaticValue, resolveObjectLiteral, getObjectProperty, skipOuterExpressions } from '../../src/core/ts-helpers/static-value.js';
import { classifySql } from '../../src/core/sql/classify.js';
import { classifyFlag } from '../../src/core/ts-helpers/flag-value.js';
import { findDestructiveCommands, mayHoldDestructiveCommand } from '../../src/core/scripts/destructive-commands.js';
import { describeContext, severityOfDestructiveOperation } from '../../src/core/policy.js';
import { detectPython } from './python.js';

export type Options = [];
export type MessageIds = 'destructiveCall' | 'forceSync' | 'envDrivenSync' | 'destructiveCommand' | 'intendedChange' | 'useFalse';

/** What each call does to the data, completing "`call` …". */
const EFFECTS = {
  dropDatabase: 'drops the whole database, every table and row',
  dropSchema: 'drops every table in the schema with its rows',
  clearDatabase: 'drops every table in the database with its rows',
  refreshDatabase: 'drops and re-creates every table: all rows are lost',
  dropTable: 'drops the table and every row in it',
  dropAllTables: 'drops every table with its rows',
  truncate: 'deletes every row of the table',
  clear: 'truncates the table: every row is deleted',
  dropCollection: 'deletes the collection and every document in it',
  drop: 'drops the table (or collection) and everything in it',
  sync: 'drops and re-creates every table, so every row is lost on each start',
  synchronize: 'drops every table before re-creating the schema, so every row is lost',
  destroy: 'truncates the table: every row is deleted',
  deleteAll: 'deletes every row (or document) of the table, with no filter',
  dropColumn: 'drops the column and every value stored in it',
} as const;

const DROP_TABLE = /^drop(?:Table|TableIfExists|Tables)$/;
/** `.clear()` is everywhere (Map, Set, caches); only TypeORM managers and repositories truncate. */
const CLEARABLE_RECEIVER = /(?:^manager$|Manager$|^repo(?:sitory)?$|Repo(?:sitory)?$|^getRepository$)/;
/** `.drop()` on a Sequelize instance, a model (PascalCase), or a MongoDB collection. */
const DROPPABLE_RECEIVER = /^(?:sequelize|db|collection|[A-Z]\w*)$|[Cc]ollection$|Sequelize$/;
/** Query-builder steps that narrow what a knex `del()` deletes. */
const FILTERING_STEP = /^(?:where|orWhere|andWhere|whereNot|whereIn|whereNotIn|whereNull|whereNotNull|whereRaw|whereExists|whereNotExists|whereBetween|whereLike|whereILike|whereJsonObject|join|innerJoin|leftJoin|rightJoin|limit|first|having|modify)$/;

/**
 * `knex('sessions').del()`: a builder rooted at a table call with no filtering step in between.
 * `knex('t').where(…).del()` deletes what it names, like `DELETE … WHERE`.
 */
function isUnfilteredKnexDelete(call: ts.CallExpression): boolean {
  let object = getCalleeObject(call);
  for (let depth = 0; object && depth < 12; depth++) {
    const current = skipOuterExpressions(object);
    if (!ts.isCallExpression(current)) return false;
    const name = getCalleeName(current);
    if (name && FILTERING_STEP.test(name)) return false;
    const callee = skipOuterExpressions(current.expression);
    // The root: `knex('table')`, `db('table')`, `trx('table')`.
    if (ts.isIdentifier(callee)) return current.arguments.length > 0 && getStaticValue(current.arguments[0]!)?.kind === 'string';
    if (name !== 'from' && name !== 'table' && name !== 'into' && name !== 'withSchema') return false;
    object = getCalleeObject(current);
    // `db.from('sessions')`: the table step on the knex instance itself is the root.
    if (name !== 'withSchema' && object && ts.isIdentifier(skipOuterExpressions(object))) return current.arguments.length > 0 && getStaticValue(current.arguments[0]!)?.kind === 'string';
  }
  return false;
}

/** `deleteMany()`, `deleteMany({})`, `delete({})`, `deleteMany({ where: {} })`: no criteria at all. */
function hasNoCriteria(call: ts.CallExpression, allowNoArguments: boolean): boolean {
  if (call.arguments.length === 0) return allowNoArguments;
  if (call.arguments.length > 1) return false;
  const object = resolveObjectLiteral(call.arguments[0]);
  if (!object) return false;
  if (object.properties.length === 0) return true;
  const where = getObjectProperty(object, 'where');
  const whereObject = where && resolveObjectLiteral(where.value);
  return object.properties.length === 1 && whereObject !== undefined && whereObject.properties.length === 0;
}

const PROCESS_CALLS = /^(?:execSync|exec|execFile|execFileSync|spawn|spawnSync|execa|execaSync|execaCommand|execaCommandSync|\$)$/;

function commandLineOf(call: ts.CallExpression): string | undefined {
  const [first, second] = call.arguments;
  if (!first) return undefined;
  const head = getStaticValue(first);
  if (head?.kind !== 'string') return undefined;
  if (second && ts.isArrayLiteralExpression(skipOuterExpressions(second))) {
    const args = (skipOuterExpressions(second) as ts.ArrayLiteralExpression).elements.map((e) => {
      const v = getStaticValue(e as ts.Expression);
      return v?.kind === 'string' ? v.value : '…';
    });
    return [head.value, ...args].join(' ');
  }
  return head.value;
}

interface Hazard {
  node: ts.Node;
  /** Where the report starts when not at `node` (a call in a chain starts at its own name). */
  start?: ts.Node;
  messageId: 'destructiveCall' | 'forceSync' | 'envDrivenSync' | 'destructiveCommand';
  call: string;
  effect: string;
  data?: Record<string, string>;
  /** The literal `true` to offer replacing with `false`. */
  literalTrue?: ts.Node;
}

function getHazard(call: ts.CallExpression): Hazard | undefined {
  const name = getCalleeName(call);
  if (!name) return undefined;
  const callText = getCalleeText(call);
  const receiver = getReceiverName(call);
  const isMember = getCalleeObject(call) !== undefined;
  // In a chain (`schema.dropTable('a').dropTable('b')`) every call starts at the same offset: report
  // each from its own name so each has its own position.
  const callee = skipOuterExpressions(call.expression);
  const chained = ts.isPropertyAccessExpression(callee) && ts.isCallExpression(skipOuterExpressions(callee.expression));
  const simple = (effect: string): Hazard => ({ node: call, start: chained ? (callee as ts.PropertyAccessExpression).name : undefined, messageId: 'destructiveCall', call: `${callText}()`, effect });

  if (PROCESS_CALLS.test(name)) {
    const line = commandLineOf(call);
    const command = line === undefined ? undefined : findDestructiveCommands(line)[0];
    if (!command) return undefined;
    return { node: call.arguments[0]!, messageId: 'destructiveCommand', call: command.command, effect: command.effect };
  }
  if (!isMember) return undefined;
  switch (name) {
    case 'dropDatabase':
      return simple(EFFECTS.dropDatabase);
    case 'dropSchema':
      return simple(EFFECTS.dropSchema);
    case 'clearDatabase':
      return simple(EFFECTS.clearDatabase);
    case 'refreshDatabase':
      return simple(EFFECTS.refreshDatabase);
    case 'dropAllTables':
    case 'dropAllSchemas':
      return simple(EFFECTS.dropAllTables);
    case 'dropCollection':
      return simple(EFFECTS.dropCollection);
    case 'truncate':
      return call.arguments.length === 0 ? simple(EFFECTS.truncate) : undefined;
    case 'deleteMany':
      return hasNoCriteria(call, true) ? simple(EFFECTS.deleteAll) : undefined;
    case 'del':
    case 'delete':
      // `Map#delete(key)` always has an argument; TypeORM's `repository.delete({})` has an empty one.
      if (call.arguments.length === 0) return isUnfilteredKnexDelete(call) ? simple(EFFECTS.deleteAll) : undefined;
      return name === 'delete' && receiver && CLEARABLE_RECEIVER.test(receiver) && hasNoCriteria(call, false) ? simple(EFFECTS.deleteAll) : undefined;
    case 'dropColumn':
    case 'dropColumns':
    case 'removeColumn':
      return call.arguments.length > 0 ? simple(EFFECTS.dropColumn) : undefined;
    case 'clear':
      return receiver && CLEARABLE_RECEIVER.test(receiver) ? simple(EFFECTS.clear) : undefined;
    case 'drop': {
      if (call.arguments.length > 0 && !resolveObjectLiteral(call.arguments[0])) return undefined;
      const object = getCalleeObject(call);
      const onCollectionCall = object && ts.isCallExpression(skipOuterExpressions(object)) && /^(?:collection|model)$/.test(getCalleeName(skipOuterExpressions(object) as ts.CallExpression) ?? '');
      return onCollectionCall || (receiver && DROPPABLE_RECEIVER.test(receiver)) ? simple(EFFECTS.drop) : undefined;
    }
    case 'destroy': {
      const options = resolveObjectLiteral(call.arguments[0]);
      const truncate = options && getObjectProperty(options, 'truncate');
      if (!truncate || classifyFlag(truncate.value).kind !== 'on') return undefined;
      return simple(EFFECTS.destroy);
    }
    case 'sync':
    case 'synchronize': {
      // Sequelize `sync({ force: true })`; TypeORM `synchronize(true)` (its argument is `dropBeforeSync`).
      const options = name === 'sync' ? resolveObjectLiteral(call.arguments[0]) : undefined;
      const flag = name === 'sync' ? options && getObjectProperty(options, 'force') : call.arguments[0] && { node: call.arguments[0], value: call.arguments[0] };
      if (!flag) return undefined;
      const value = classifyFlag(flag.value);
      const option = name === 'sync' ? 'force' : 'dropBeforeSync';
      const effect = name === 'sync' ? EFFECTS.sync : EFFECTS.synchronize;
      if (value.kind === 'on') {
        const literal = skipOuterExpressions(flag.value);
        return { node: flag.node, messageId: 'forceSync', call: `${callText}()`, effect, data: { option }, literalTrue: literal.kind === ts.SyntaxKind.TrueKeyword ? literal : undefined };
      }
      if (value.kind === 'configured') {
        return { node: flag.node, messageId: 'envDrivenSync', call: `${callText}()`, effect, data: { option, source: value.source } };
      }
      return undefined;
    }
    default:
      if (DROP_TABLE.test(name)) return simple(EFFECTS.dropTable);
      return undefined;
  }
}

/** The opening of a call's arguments, type arguments allowed: `(`, `<User>(`. */
const OPEN = String.raw`\s*(?:<(?:[^<>()]|<[^<>()]*>)*>\s*)?\(`;
/** The calls `getHazard` reports, as they are written, with the arguments that make them destructive. */
const TS_HAZARD_CALL = new RegExp(
  [
    String.raw`\.(?:drop\w*|clearDatabase|refreshDatabase|removeColumn|synchronize)${OPEN}`,
    String.raw`\.truncate${OPEN}\s*\)`,
    String.raw`\.deleteMany${OPEN}\s*(?:\)|\{\s*\}|\{\s*where\s*:\s*\{\s*\}\s*,?\s*\}|[\w$.]+\s*\))`,
    String.raw`\.del(?:ete)?${OPEN}\s*\)`,
    String.raw`(?:[mM]anager|[rR]epo(?:sitory)?|getRepository)(?:${OPEN}[^)]*\))?\s*\??\.\s*(?:delete|clear)${OPEN}`,
  ].join('|'),
);
const TS_DESTROY_CALL = new RegExp(String.raw`\.destroy${OPEN}`);
const TS_SYNC_CALL = new RegExp(String.raw`\.sync${OPEN}`);
const TS_PROCESS_CALL = new RegExp(String.raw`(?<![\w$])(?:${PROCESS_CALLS.source.slice(1, -1)})${OPEN}`);

/** Whether JS/TS text may hold a call `getHazard` reports: the rule's `prefilter` also serves Python. */
function mayHoldTsHazard(text: string): boolean {
  return (
    TS_HAZARD_CALL.test(text) ||
    (TS_DESTROY_CALL.test(text) && text.includes('truncate')) ||
    (TS_SYNC_CALL.test(text) && text.includes('force')) ||
    // The call first: most files name no process call, and the command words are the slower scan.
    (TS_PROCESS_CALL.test(text) && mayHoldDestructiveCommand(text))
  );
}

/**
 * The table a knex chain acts on: `knex('t')`, `knex.table('t')`, `db.from('t')`, `x.into('t')`,
 * anywhere down the receiver chain of a call.
 */
function knexTableOf(call: ts.CallExpression): string | undefined {
  for (let current: ts.Expression = call.expression; ; ) {
    const expr = skipOuterExpressions(current);
    if (ts.isCallExpression(expr)) {
      const name = getCalleeName(expr);
      const first = expr.arguments[0];
      if (first && (name === 'table' || name === 'from' || name === 'into' || /^(?:knex|db|trx)$/i.test(name ?? '') || /knex$/i.test(getCalleeText(expr)))) {
        const table = getStaticString(first);
        if (table !== undefined) return table.toLowerCase();
      }
      current = expr.expression;
    } else if (ts.isPropertyAccessExpression(expr)) current = expr.expression;
    else return undefined;
  }
}

/**
 * Derived data rebuilt in place: the table a truncate or unfiltered delete empties is filled again
 * later in the same function (knex `insert` into it, or `INSERT INTO` it sent as SQL), from rows the
 * function reads out of another table (a search index from the pages, a tree from its nodes). A
 * table emptied and given fixed rows (a seed) is no rebuild: nothing else is read.
 */
const WRITES = /^(?:insert|update|upsert|increment|decrement|truncate|del|delete|drop\w*|raw)$/;
const READS = /^(?:select|query|find|findAll|findMany|findOne|pluck|stream)$/;

function isRebuiltFromSources(call: ts.CallExpression): boolean {
  const name = getCalleeName(call);
  if (name !== 'truncate' && name !== 'del' && name !== 'delete') return false;
  const table = knexTableOf(call);
  const scope = enclosingScope(call);
  if (!table || ts.isSourceFile(scope)) return false;
  let refilled = false;
  let readsOther = false;
  walkCalls(call.getSourceFile(), (other) => {
    if (other.pos < scope.pos || other.end > scope.end) return;
    const otherName = getCalleeName(other);
    const otherTable = knexTableOf(other);
    if (other.getStart() > call.getEnd() && otherName === 'insert' && otherTable === table) refilled = true;
    // A read of another table: a knex chain on it, or a query method of any other model or client
    // (`models.pages.query().select(…)`, `prisma.page.findMany()`).
    if ((otherTable !== undefined && otherTable !== table && !WRITES.test(otherName ?? '')) || (otherTable === undefined && READS.test(otherName ?? ''))) readsOther = true;
    for (const argument of other.arguments) {
      const sql = getStaticString(argument);
      if (sql === undefined || !/\binsert\b|\bselect\b/i.test(sql)) continue;
      for (const statement of classifySql(sql)) {
        if (other.getStart() > call.getEnd() && statement.kind === 'insert' && statement.target?.toLowerCase().replace(/"/g, '') === table) refilled = true;
        if ((statement.reads ?? []).some((r) => r.toLowerCase() !== table)) readsOther = true;
      }
    }
  });
  return refilled && readsOther;
}

function detectTypescript(input: TsInput): Finding[] {
  const findings: Finding[] = [];
  walkCalls(input.sourceFile, (node) => {
    const hazard = getHazard(node);
    if (!hazard) return;
    const context = getExecutionContext(node, input.role);
    const severity = severityOfDestructiveOperation(context);
    if (!severity || isRebuiltFromSources(node)) return;
    const range = [(hazard.start ?? hazard.node).getStart(input.sourceFile), hazard.node.getEnd()] as const;
    if (context !== 'application') {
      findings.push({ ruleId: 'no-destructive-schema-call', messageId: 'intendedChange', severity, range, data: { call: hazard.call, effect: hazard.effect, where: describeContext(context) } });
      return;
    }
    findings.push({
      ruleId: 'no-destructive-schema-call',
      messageId: hazard.messageId,
      severity: hazard.messageId === 'envDrivenSync' ? 'warning' : severity,
      range,
      data: { call: hazard.call, effect: hazard.effect, ...hazard.data },
      suggestions: hazard.literalTrue
        ? [{ messageId: 'useFalse', data: { option: hazard.data?.option ?? '' }, fix: { range: [hazard.literalTrue.getStart(input.sourceFile), hazard.literalTrue.getEnd()], text: 'false' } }]
        : undefined,
    });
  });
  return findings;
}

export const noDestructiveSchemaCall = defineRule<Options>({
  meta: {
    id: 'no-destructive-schema-call',
    docs: {
      description: 'Disallow ORM and driver calls that drop or empty tables outside tests and migrations',
      recommended: true,
    },
    messages: {
      destructiveCall: '`{{call}}` {{effect}} each time this code runs. Remove it from application code: change the schema with a migration, and drop or empty tables only in tests.',
      forceSync: '`{{call}}` with `{{option}}: true` {{effect}}. Use migrations for schema changes, or enable it only when NODE_ENV is "test".',
      envDrivenSync: '`{{call}}` takes `{{option}}` from {{source}}: one wrong value in production {{effect}}. Use migrations, or enable it only when NODE_ENV is "test".',
      destructiveCommand: '`{{call}}` {{effect}}. Application code must never run it; keep it to a developer\'s machine or a test setup.',
      intendedChange: '`{{call}}` {{where}} {{effect}}. Allowed as an intended change, but confirm the data is migrated or backed up first.',
      useFalse: 'Set `{{option}}` to `false`.',
    } satisfies Record<MessageIds, string>,
    schema: [],
    defaultOptions: [],
    hasSuggestions: true,
    languages: ['typescript', 'python'],
  },
  // The callee names `getHazard` knows, and the command words of `findDestructiveCommands` for
  // `execSync('…')` (also split into `spawn` arguments): `sync` must not match `async`, nor `clear`
  // every `Map#clear`.
  prefilter: /\.drop\w*\s*\(|drop_|(?:manager|repo(?:sitory)?)\w*(?:<[^()]*>)?(?:\([^)]*\))?\.clear\s*\(|clearDatabase|refreshDatabase|truncate|deleteMany|\.del(?:ete)?\s*\(|removeColumn|\bsync\s*\(|synchronize\s*\(|migrate[\s'",]+reset|db[\s'",]+push|drizzle-kit|migrate[\s'",]+\w+[\s'",]+zero|schema:(?:drop|sync)|db:drop|undo:all|rollback|dropdb|downgrade|flush|reset_db|\brm\s|call_command|DeleteModel|RemoveField/i,
  mayReportIn: outsideTestFiles,
  prefilterIn: (_role, language) => (language === 'typescript' ? mayHoldTsHazard : undefined),
  detect: {
    typescript: (input) => detectTypescript(input),
    python: (input) => detectPython(input),
  },
});
