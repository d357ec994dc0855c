import { ts } from '../../src/core/ts.js';
import { outsideTestFiles } from '../../src/core/file-role.js';
import { defineRule, type ExecutionContext, type Finding, type Severity, type SqlInput, type Suggestion, type TsInput } from '../../src/core/types.js';
import { classifySql, describeStatement, type ClassifiedStatement } from '../../src/core/sql/classify.js';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';
import { getMigrationPhaseAt, getMigrationSections } from '../../src/core/sql/migration-sections.js';
import { getCodeSql, type ExecutedSql } from '../../src/core/ts-helpers/executed-sql.js';
import { getExecutionContext } from '../../src/core/ts-helpers/execution-context.js';
import { getCalleeName, getCalleeObject, getChainedCallNames, getFunctionName, getReceiverName, isFunctionLike, walk, walkCalls, walkKinds, describeExpression, enclosingScope } from '../../src/core/ts-helpers/call.js';
import { insertsThatCannotRepeatInUnits, isCopyStep } from '../../src/core/sql/data-flow.js';
import { getObjectProperty, getStaticString, getStaticValue, resolveObjectLiteral, skipOuterExpressions } from '../../src/core/ts-helpers/static-value.js';
import { getSqlSuggestions, getSqlDialect, type SqlDialect } from './sql-fix.js';
import { detectPython } from './python.js';

export type Options = [];
export type MessageIds =
  | 'insertWithoutConflictClause'
  | 'unguardedMigrationRecord'
  | 'insertWithoutOnConflict'
  | 'bulkInsertWithoutIgnoreDuplicates'
  | 'createWithoutUpsert'
  | 'createManyWithoutSkipDuplicates'
  | 'addOnConflictDoNothing'
  | 'useInsertOrIgnore'
  | 'useUpsert'
  | 'setSkipDuplicates'
  | 'setIgnoreDuplicates';

const RULE_ID = 'idempotent-migration-insert';

/**
 * Functions that run once per process start: `initDb`, `initialize`, `seedUsers`, `bootstrap`,
 * NestJS `onModuleInit`/`onApplicationBootstrap`, `migrate`, `runMigrations`, `setupDatabase`,
 * `ensureSchema`. A bare `init*` prefix would also take `initSession(user)` (once per login), so
 * `init` only counts alone or followed by what a start-up initialises.
 */
export const STARTUP_FUNCTION_NAME =
  /^(?:(?:init|initiali[sz]e)(?:_?(?:db|database|schema|data|tables?|store|storage|app|application|server|defaults?|admin|users?|roles?|migrations?|models?|sqlite|postgres|pg|mysql|connection))?|seed\w*|bootstrap\w*|onModuleInit|onApplicationBootstrap|migrate\w*|(?:run|apply)_?migrations?|setup_?(?:database|db|schema|tables)|ensure_?(?:schema|database|db|tables?|admin|defaults))$/i;

/**
 * Tables in which migration tools record what they applied. Two instances that start together both
 * record the same version: without a conflict clause one of them crashes (incident 3).
 */
const BOOKKEEPING_TABLE =
  /^(?:_*(?:schema_)?migrations?(?:_history|_log|_versions?)?|knex_migrations|sequelizemeta|alembic_version|flyway_schema_history|schema_versions?|_prisma_migrations|mikro_orm_migrations|typeorm_migrations|goose_db_version|gorp_migrations|__efmigrationshistory|__diesel_schema_migrations|db_migrations|applied_migrations|migration_versions)$/i;



/**
 * In application code an insert is reported only inside a startup function, into a bookkeeping
 * table, or in a migration-shaped file (`MigrationInterface`, exported `up`/`down`), and each needs
 * its name in the text: a function defined (or called) under a startup name, a bookkeeping table's
 * name, `MigrationInterface` or an `up` member. An ORM's own query builders, full of `insert`, are
 * not parsed for this rule.
 */
const APPLICATION_INSERT_SCOPE = new RegExp(
  [
    // A definition, not a member call: `async initialize()`, `init = () =>`, `exports.seed = function`,
    // but not `dataSource.initialize()`.
    String.raw`(?<![\w$.])(?:${STARTUP_FUNCTION_NAME.source.slice(1, -1)})(?![\w$])\s*(?:<[^>]*>\s*)?\(`,
    String.raw`(?<![\w$])(?:${STARTUP_FUNCTION_NAME.source.slice(1, -1)})(?![\w$])\s*[:=]\s*(?:async\b\s*)?(?:function\b|\(|[\w$]+\s*=>)`,
    String.raw`(?<![\w$])_*(?:${BOOKKEEPING_TABLE.source.slice(1, -1)})(?![\w$])`,
    String.raw`MigrationInterface|(?<![\w$])up\s*[(:=,}<]`,
  ].join('|'),
  'i',
);

const INSERT_TEXT = /insert|\.create(?:Many(?:AndReturn)?)?\s*\(|\.add(?:_all)?\(|objects\.create/i;

/**
 * What `detectTypescript` reports needs an `INSERT` keyword in SQL or a call named `insert` or
 * `bulkInsert`, both ending the word there (not `alwaysInsertFields`, `InsertResult`, "inserted"),
 * or a Prisma `create`/`createMany`, whose client's name or import says `prisma`. The word is
 * followed by what a keyword or a call can be: a space, `(`, `<T>(`, `!(`, `?.(`, a quote or an
 * escape (`'INSERT\n INTO'`); not `insert: Insert` in a type. `session.add()` and
 * `objects.create()` are Python's; in JS/TS they are a `Set` and `Object.create`.
 */
const TS_INSERT_WORD = /insert(?=[\s(<'"`!\\]|\?\.)/i;
const CREATE_CALL = /\.create(?:Many(?:AndReturn)?)?\s*\(/;

function mayInsertInTypescript(text: string): boolean {
  return TS_INSERT_WORD.test(text) || (CREATE_CALL.test(text) && /prisma/i.test(text));
}

function mayInsertAtApplicationScope(text: string): boolean {
  return mayInsertInTypescript(text) && APPLICATION_INSERT_SCOPE.test(text);
}

export function isBookkeepingTable(table: string | undefined): boolean {
  const name = table?.split('.').pop();
  return name !== undefined && BOOKKEEPING_TABLE.test(name);
}

/** Where an insert runs, when that makes a second run likely. */
export interface Situation {
  severity: Severity;
  where: string;
  rerun: string;
}

/**
 * A warning: nothing records that a seed ran, but a person runs it (`prisma db seed`, `knex
 * seed:run`), not every start. On real repositories seeds were development data and test factories
 * that create fresh rows on purpose, and reporting each insert as an error failed the check for
 * them. A seed function that start-up code calls is start-up code, an error.
 */
const SEED: Situation = { severity: 'warning', where: 'in a seed', rerun: 'the seed runs again' };
/**
 * A warning, not an error: the migration tool records an applied `up()` and never runs it twice,
 * so a plain INSERT of reference data is the normal way to write one. It still breaks when the
 * bookkeeping fails or a second runner races, which is worth a look and an `ON CONFLICT`.
 */
const MIGRATION_UP: Situation = { severity: 'warning', where: "in a migration's up()", rerun: 'the migration is applied a second time' };

function getStartupFunctionName(node: ts.Node): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const name = getFunctionName(current);
    if (name && STARTUP_FUNCTION_NAME.test(name)) return name;
  }
  return undefined;
}

/**
 * The policy, shared with the Python detector. Bookkeeping inserts are reported wherever they run
 * but tests, development and `down()`; other inserts in seeds, migrations' `up()` and startup code
 * (`startupWhere` says which, when the code is in any).
 */
export function situationFor(context: ExecutionContext, table: string | undefined, startupWhere: () => string | undefined): Situation | 'bookkeeping' | undefined {
  if (context === 'test' || context === 'development' || context === 'operator' || context === 'migrationDown') return undefined;
  if (isBookkeepingTable(table)) return 'bookkeeping';
  if (context === 'seed') return SEED;
  if (context === 'migrationUp') return MIGRATION_UP;
  const where = startupWhere();
  return where ? { severity: 'error', where, rerun: 'the application starts again' } : undefined;
}

/** Inside an `if`, a loop or a ternary of its function: the insert runs only for some rows or states. */
function isConditionalInFunction(node: ts.Node): boolean {
  for (let child = node, current = node.parent; current && !isFunctionLike(current); child = current, current = current.parent) {
    if ((ts.isIfStatement(current) && child !== current.expression) || ts.isIterationStatement(current, false) || (ts.isConditionalExpression(current) && child !== current.condition)) return true;
  }
  return false;
}

function getSituation(node: ts.Node, input: TsInput, table: string | undefined): Situation | 'bookkeeping' | undefined {
  const context = getExecutionContext(node, input.role);
  // A data migration's conditional insert (a check-then-insert backfill, rows moved in a loop) writes
  // what the data needs, once: the tool runs a migration once, in order. Fixed reference rows are
  // written unconditionally. The bookkeeping table stays reported wherever it is written.
  if (context === 'migrationUp' && !isBookkeepingTable(table) && isConditionalInFunction(node)) return undefined;
  return situationFor(context, table, () => {
    const name = getStartupFunctionName(node);
    return name && `in startup code \`${name}()\``;
  });
}

const normaliseTable = (table: string | undefined) => table?.split('.').pop()?.toLowerCase();


interface Clear {
  table: string;
  scope: ts.Node;
  position: number;
}

/**
 * A seed that empties a table before filling it (`knex('users').del()`, `DELETE FROM users`,
 * `TRUNCATE users`, `prisma.user.deleteMany()`, `bulkDelete('users', null)`) yields the same rows
 * on every run: that insert is re-runnable, whatever else it costs.
 */
function getClears(input: TsInput): Clear[] {
  const clears: Clear[] = [];
  const add = (table: string | undefined, node: ts.Node) => {
    const name = normaliseTable(table);
    if (name) clears.push({ table: name, scope: enclosingScope(node), position: node.getStart(input.sourceFile) });
  };
  for (const executed of getCodeSql(input.sourceFile).executed) {
    for (const s of executed.statements) if (s.kind === 'deleteAll' || s.kind === 'truncate') add(s.target, executed.site);
  }
  walkCalls(input.sourceFile, (node) => {
    const name = getCalleeName(node);
    if (name === 'del' || name === 'delete' || name === 'truncate') {
      const builder = getKnexBuilder(node, CLEAR_CHAIN);
      if (builder && node.arguments.length === 0) add(builder.table, node);
    } else if (name === 'bulkDelete' && isQueryInterface(node)) {
      if (isEmptyFilter(node.arguments[1]) && node.arguments[0]) add(getStaticString(node.arguments[0]), node);
    } else if (name === 'deleteMany' && isEmptyFilter(node.arguments[0])) {
      const model = getPrismaModel(node, input);
      if (model) add(model, node);
    }
  });
  return clears;
}

/** No argument, `null` or `{}`: a delete that takes every row. */
function isEmptyFilter(argument: ts.Expression | undefined): boolean {
  const expr = argument && skipOuterExpressions(argument);
  return !expr || expr.kind === ts.SyntaxKind.NullKeyword || (ts.isObjectLiteralExpression(expr) && expr.properties.length === 0);
}

function isClearedBefore(clears: () => readonly Clear[], node: ts.Node, table: string | undefined): boolean {
  const name = normaliseTable(table);
  if (!name) return false;
  const scope = enclosingScope(node);
  const position = node.getStart();
  return clears().some((c) => c.scope === scope && c.position < position && (c.table === name || c.table === `${name}s` || `${c.table}s` === name));
}

function describe(statement: ClassifiedStatement): string {
  return describeStatement(statement).split(SQL_HOLE).join('…');
}

/** The source range of a string literal whose text is exactly the analysed SQL, so SQL offsets map to source offsets. */
function getLiteralTextStart(executed: ExecutedSql, input: TsInput): number | undefined {
  if (executed.hasHoles) return undefined;
  const node = ts.isTaggedTemplateExpression(executed.node) ? executed.node.template : executed.node;
  if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node)) return undefined;
  const start = node.getStart(input.sourceFile) + 1;
  return input.text.slice(start, node.getEnd() - 1) === executed.text ? start : undefined;
}

const SQLITE_MODULES = /^(?:better-sqlite3|sqlite3?|bun:sqlite|node:sqlite|@libsql\/client|expo-sqlite|sql\.js)$/;
const MYSQL_MODULES = /^(?:mysql2?(?:\/promise)?|mariadb|@planetscale\/database)$/;

const importsCache = new WeakMap<ts.SourceFile, string[]>();

function getImportedModules(sourceFile: ts.SourceFile): string[] {
  const cached = importsCache.get(sourceFile);
  if (cached) return cached;
  const modules: string[] = [];
  importsCache.set(sourceFile, modules);
  walkKinds(sourceFile, [ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.CallExpression], (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) modules.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && (getCalleeName(node) === 'require' || node.expression.kind === ts.SyntaxKind.ImportKeyword) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      modules.push(node.arguments[0].text);
    }
  });
  return modules;
}

function getFileDialect(input: TsInput): SqlDialect | undefined {
  const modules = getImportedModules(input.sourceFile);
  if (modules.some((m) => SQLITE_MODULES.test(m))) return 'sqlite';
  if (modules.some((m) => MYSQL_MODULES.test(m))) return 'mysql';
  return undefined;
}

export function sqlFinding(statement: ClassifiedStatement, situation: Situation | 'bookkeeping', range: readonly [number, number], suggestions: Suggestion[]): Finding {
  const base = { ruleId: RULE_ID, range, suggestions: suggestions.length > 0 ? suggestions : undefined } as const;
  if (situation === 'bookkeeping') return { ...base, messageId: 'unguardedMigrationRecord', severity: 'error', data: { statement: describe(statement) } };
  return { ...base, messageId: 'insertWithoutConflictClause', severity: situation.severity, data: { statement: describe(statement), where: situation.where, rerun: situation.rerun } };
}

function detectSqlInCode(input: TsInput, clears: () => readonly Clear[]): Finding[] {
  const findings: Finding[] = [];
  const executedSql = getCodeSql(input.sourceFile).executed;
  const cannotRepeat = insertsThatCannotRepeatInUnits(executedSql, (e) => enclosingScope(e.site));
  for (const executed of executedSql) {
    // Statements cleared by an earlier DELETE/TRUNCATE in the same SQL text are re-runnable too.
    const clearedHere = new Set<string>();
    const unguarded = executed.statements.filter((s) => {
      if (s.kind === 'deleteAll' || s.kind === 'truncate' || (s.kind === 'createTable' && !s.ifExists)) clearedHere.add(normaliseTable(s.target) ?? '');
      return s.kind === 'insert' && !s.conflictGuard && (isBookkeepingTable(s.target) || (!clearedHere.has(normaliseTable(s.target) ?? '\0') && !cannotRepeat.has(s)));
    });
    const first = unguarded.find((s) => isBookkeepingTable(s.target)) ?? unguarded[0];
    if (!first) continue;
    const situation = getSituation(executed.site, input, first.target);
    if (!situation) continue;
    if (situation !== 'bookkeeping' && isClearedBefore(clears, executed.site, first.target)) continue;
    const literalStart = getLiteralTextStart(executed, input);
    // The file's imports are only looked up when a suggestion needs a dialect.
    const dialect = first.dialectHint ?? getFileDialect(input);
    const suggestions = literalStart === undefined ? [] : getSqlSuggestions(executed.text, unguarded, dialect, literalStart);
    findings.push(sqlFinding(first, situation, [executed.node.getStart(input.sourceFile), executed.node.getEnd()], suggestions));
  }
  return findings;
}

const KNEX_INSTANCE = /^(?:knex|trx|tx|db|database|connection|conn|transaction)$|(?:Knex|Trx)$/;
/** Builder methods that may sit between `knex('t')` and `.insert()`; anything else is another library. */
const INSERT_CHAIN = new Set(['table', 'into', 'from', 'withSchema', 'returning', 'transacting', 'queryBuilder']);
const CLEAR_CHAIN = new Set(['table', 'from', 'withSchema', 'transacting', 'queryBuilder']);

const isKnexInstance = (expr: ts.Expression) => {
  const text = describeExpression(expr);
  return KNEX_INSTANCE.test(text.slice(text.lastIndexOf('.') + 1));
};

/**
 * The table of a knex query builder on which `call` is made: `knex('users').insert()`,
 * `trx.table('users').insert()`, `knex.insert(rows).into('users')`. Undefined when the receiver is
 * not recognisably knex.
 */
function getKnexBuilder(call: ts.CallExpression, allowed: ReadonlySet<string>): { table?: string } | undefined {
  const object = getCalleeObject(call);
  if (!object) return undefined;
  let table: string | undefined;
  let builderMethods = 0;
  let current = skipOuterExpressions(object);
  while (ts.isCallExpression(current)) {
    const callee = skipOuterExpressions(current.expression);
    const argument = current.arguments[0] && getStaticString(current.arguments[0]);
    // `knex('users')`, `this.db('users')`
    if (isKnexInstance(callee)) return { table: table ?? argument };
    if (!ts.isPropertyAccessExpression(callee) || !allowed.has(callee.name.text)) return undefined;
    if (TABLE_METHODS.has(callee.name.text)) table ??= argument;
    builderMethods++;
    current = skipOuterExpressions(callee.expression);
  }
  if (!isKnexInstance(current)) return undefined;
  if (builderMethods > 0) return { table };
  // `knex.insert(rows).into('users')`: only with `into`, which Drizzle and TypeORM spell differently.
  const into = findChainedArgument(call, 'into');
  return into === undefined ? undefined : { table: into };
}

const TABLE_METHODS = new Set(['table', 'into', 'from']);

function findChainedArgument(call: ts.CallExpression, method: string): string | undefined {
  let current: ts.Node = call;
  while (current.parent && ts.isPropertyAccessExpression(current.parent) && current.parent.parent && ts.isCallExpression(current.parent.parent)) {
    const next = current.parent.parent;
    if (current.parent.name.text === method) return next.arguments[0] ? getStaticString(next.arguments[0]) ?? '' : '';
    current = next;
  }
  return undefined;
}

function isQueryInterface(call: ts.CallExpression): boolean {
  const receiver = getReceiverName(call);
  return receiver !== undefined && /^(?:queryInterface|getQueryInterface|qi)$|QueryInterface$/.test(receiver);
}

const PRISMA_CLIENT = /(?:^|\.)(?:prisma\w*|\w*Prisma)$/i;
const PRISMA_ALIAS = /(?:^|\.)(?:db|client|tx)$/;

/** `user` in `prisma.user.create()`; any client name in a file that imports `@prisma/client`. */
function getPrismaModel(call: ts.CallExpression, input: TsInput): string | undefined {
  const object = getCalleeObject(call);
  if (!object) return undefined;
  const model = skipOuterExpressions(object);
  if (!ts.isPropertyAccessExpression(model) || model.name.text.startsWith('$')) return undefined;
  const client = describeExpression(model.expression);
  if (PRISMA_CLIENT.test(client)) return model.name.text;
  return PRISMA_ALIAS.test(client) && getImportedModules(input.sourceFile).includes('@prisma/client') ? model.name.text : undefined;
}

/** `knex('users').insert()` as written when it fits on a line, else its dotted shape. */
function callText(call: ts.CallExpression, input: TsInput): string {
  const written = input.text.slice(call.expression.getStart(input.sourceFile), call.expression.getEnd());
  return `${written.length <= 60 && !written.includes('\n') ? written : describeExpression(call.expression)}()`;
}

function builderFinding(messageId: MessageIds, call: ts.CallExpression, situation: Situation | 'bookkeeping', input: TsInput, suggestions: Suggestion[] = []): Finding {
  // The callee, not the whole call: the rows passed in may span many lines.
  const range = [call.getStart(input.sourceFile), call.expression.getEnd()] as const;
  const base = { ruleId: RULE_ID, range, suggestions: suggestions.length > 0 ? suggestions : undefined } as const;
  const text = callText(call, input);
  if (situation === 'bookkeeping') return { ...base, messageId: 'unguardedMigrationRecord', severity: 'error', data: { statement: text } };
  return { ...base, messageId, severity: situation.severity, data: { call: text, where: situation.where, rerun: situation.rerun } };
}

function detectKnexInsert(call: ts.CallExpression, input: TsInput, clears: () => readonly Clear[]): Finding | undefined {
  const builder = getKnexBuilder(call, INSERT_CHAIN);
  if (!builder || call.arguments.length === 0) return undefined;
  if (getChainedCallNames(call).includes('onConflict')) return undefined;
  const situation = getSituation(call, input, builder.table);
  if (!situation || (situation !== 'bookkeeping' && isClearedBefore(clears, call, builder.table))) return undefined;
  return builderFinding('insertWithoutOnConflict', call, situation, input);
}

/** `true` when the flag is statically on, `false` when off or missing, `undefined` when unknown. */
function getOptionFlag(options: ts.ObjectLiteralExpression, name: string): { on: boolean | undefined; literal?: ts.Node } {
  const property = getObjectProperty(options, name);
  if (!property) return { on: false };
  const value = getStaticValue(property.value);
  if (value?.kind !== 'boolean') return { on: undefined };
  return { on: value.value, literal: value.value ? undefined : skipOuterExpressions(property.value) };
}

/** Adds `property` to an object literal written at the call, or replaces its `false`. */
function setOptionSuggestion(messageId: MessageIds, options: ts.ObjectLiteralExpression, flag: { literal?: ts.Node }, property: string, input: TsInput): Suggestion[] {
  if (flag.literal) {
    if (flag.literal.kind !== ts.SyntaxKind.FalseKeyword) return [];
    return [{ messageId, fix: { range: [flag.literal.getStart(input.sourceFile), flag.literal.getEnd()], text: 'true' } }];
  }
  const last = options.properties[options.properties.length - 1];
  if (!last) return [{ messageId, fix: { range: [options.getStart(input.sourceFile), options.getEnd()], text: `{ ${property}: true }` } }];
  return [{ messageId, fix: { range: [last.getEnd(), last.getEnd()], text: `, ${property}: true` } }];
}

function detectBulkInsert(call: ts.CallExpression, input: TsInput, clears: () => readonly Clear[]): Finding | undefined {
  if (!isQueryInterface(call) || call.arguments.length < 2) return undefined;
  const table = getStaticString(call.arguments[0]!);
  const optionsArg = call.arguments[2];
  const options = resolveObjectLiteral(optionsArg);
  if (optionsArg && !options) return undefined;
  let suggestions: Suggestion[] = [];
  if (options) {
    if (getObjectProperty(options, 'updateOnDuplicate')) return undefined;
    const flag = getOptionFlag(options, 'ignoreDuplicates');
    if (flag.on !== false) return undefined;
    // Only edit an object written at the call: a shared `const options` may serve other calls.
    if (skipOuterExpressions(optionsArg!) === options) suggestions = setOptionSuggestion('setIgnoreDuplicates', options, flag, 'ignoreDuplicates', input);
  } else {
    const rows = call.arguments[1]!;
    suggestions = [{ messageId: 'setIgnoreDuplicates', fix: { range: [rows.getEnd(), rows.getEnd()], text: ', { ignoreDuplicates: true }' } }];
  }
  const situation = getSituation(call, input, table);
  if (!situation || (situation !== 'bookkeeping' && isClearedBefore(clears, call, table))) return undefined;
  return builderFinding('bulkInsertWithoutIgnoreDuplicates', call, situation, input, suggestions);
}

/**
 * `create({ data: { id: 1, … } })` → `upsert({ where: { id: 1 }, update: {}, create: { id: 1, … } })`:
 * only when `data` is written inline with a literal `id`, the one field known to be unique.
 */
function getUpsertSuggestion(call: ts.CallExpression, input: TsInput): Suggestion[] {
  const callee = skipOuterExpressions(call.expression);
  const args = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!ts.isPropertyAccessExpression(callee) || !args || !ts.isObjectLiteralExpression(args)) return [];
  const data = args.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'data');
  const row = data && skipOuterExpressions(data.initializer);
  if (!data || !row || !ts.isObjectLiteralExpression(row)) return [];
  const id = getObjectProperty(row, 'id');
  const idValue = id && skipOuterExpressions(id.value);
  if (!idValue || !(ts.isStringLiteral(idValue) || ts.isNumericLiteral(idValue) || ts.isNoSubstitutionTemplateLiteral(idValue))) return [];
  const nameStart = callee.name.getStart(input.sourceFile);
  const between = input.text.slice(callee.name.getEnd(), data.name.getStart(input.sourceFile));
  const text = `upsert${between}where: { id: ${idValue.getText(input.sourceFile)} }, update: {}, create`;
  return [{ messageId: 'useUpsert', fix: { range: [nameStart, data.name.getEnd()], text } }];
}

function detectPrismaCreate(call: ts.CallExpression, name: string, input: TsInput, clears: () => readonly Clear[]): Finding | undefined {
  const model = getPrismaModel(call, input);
  if (!model) return undefined;
  const situation = getSituation(call, input, model);
  // Prisma migrations are SQL files: its client in a migration's up() is someone else's runner.
  if (!situation || situation === MIGRATION_UP || (situation !== 'bookkeeping' && isClearedBefore(clears, call, model))) return undefined;
  if (name === 'create') return builderFinding('createWithoutUpsert', call, situation, input, getUpsertSuggestion(call, input));
  const argument = call.arguments[0];
  const options = resolveObjectLiteral(argument);
  if (!options) return undefined;
  const flag = getOptionFlag(options, 'skipDuplicates');
  if (flag.on !== false) return undefined;
  const suggestions = skipOuterExpressions(argument!) === options ? setOptionSuggestion('setSkipDuplicates', options, flag, 'skipDuplicates', input) : [];
  return builderFinding('createManyWithoutSkipDuplicates', call, situation, input, suggestions);
}

function detectTypescript(input: TsInput): Finding[] {
  // Only files with an insert to judge pay for finding earlier deletes.
  let cached: readonly Clear[] | undefined;
  const clears = () => (cached ??= getClears(input));
  const findings = detectSqlInCode(input, clears);
  walkCalls(input.sourceFile, (node) => {
    const name = getCalleeName(node);
    let finding: Finding | undefined;
    if (name === 'insert') finding = detectKnexInsert(node, input, clears);
    else if (name === 'bulkInsert') finding = detectBulkInsert(node, input, clears);
    else if (name === 'create' || name === 'createMany' || name === 'createManyAndReturn') finding = detectPrismaCreate(node, name, input, clears);
    if (finding) findings.push(finding);
  });
  return findings;
}

/**
 * A `.sql` file runs again when application code executes it at startup (`executedBy`), when it is
 * a seed, or (rarely, hence a warning) when a migration is re-applied. A plain `schema.sql` or a
 * Rails `structure.sql` that loads into an empty database is not reported.
 */
function getSqlFileSituation(input: SqlInput, phase: 'up' | 'down' | undefined, bookkeeping: boolean): Situation | 'bookkeeping' | undefined {
  if (input.role === 'test' || input.role === 'testConfig' || phase === 'down') return undefined;
  const inScope = input.executedBy !== undefined || input.role === 'seed' || input.role === 'migration' || phase === 'up';
  if (!inScope) return undefined;
  if (bookkeeping) return 'bookkeeping';
  if (input.executedBy) return { severity: 'error', where: `in a SQL file that \`${input.executedBy}\` runs at startup`, rerun: 'the application starts again' };
  if (input.role === 'seed') return SEED;
  return { ...MIGRATION_UP, where: 'in a migration' };
}

function detectSql(input: SqlInput): Finding[] {
  const sections = getMigrationSections(input.text);
  const statements = classifySql(input.text);
  const dialect = getSqlDialect(input.text, statements);
  const cleared = new Set<string>();
  const findings: Finding[] = [];
  for (const statement of statements) {
    const table = normaliseTable(statement.target);
    if ((statement.kind === 'deleteAll' || statement.kind === 'truncate') && table) cleared.add(table);
    // The SQLite rebuild idiom (`CREATE TABLE t_tmp …; INSERT INTO t_tmp SELECT …`): a plain CREATE
    // fails on a second run before the insert is reached, so the insert cannot duplicate rows.
    if (statement.kind === 'createTable' && !statement.ifExists && table) cleared.add(table);
    if (statement.kind !== 'insert' || statement.conflictGuard) continue;
    const bookkeeping = isBookkeepingTable(statement.target);
    if (!bookkeeping && ((table && cleared.has(table)) || isCopyStep(statement))) continue;
    const situation = getSqlFileSituation(input, getMigrationPhaseAt(sections, statement.start, input.migrationPhase), bookkeeping);
    if (!situation) continue;
    const suggestions = getSqlSuggestions(input.text, [statement], statement.dialectHint ?? dialect, 0);
    findings.push(sqlFinding(statement, situation, [statement.start, statement.end], suggestions));
  }
  return findings;
}

export const idempotentMigrationInsert = defineRule<Options>({
  meta: {
    id: RULE_ID,
    docs: {
      description: 'Require inserts in migrations, seeds and startup code to be safe to run twice',
      recommended: true,
    },
    messages: {
      insertWithoutConflictClause: '`{{statement}}` {{where}} has no conflict clause, so it duplicates its rows or fails on a unique key when {{rerun}}. Add `ON CONFLICT DO NOTHING` (`INSERT OR IGNORE` in SQLite) or make it an upsert.',
      unguardedMigrationRecord: '`{{statement}}` records a migration without a conflict clause: two instances that start together insert the same version and one crashes on the unique key. Add `ON CONFLICT DO NOTHING` (`INSERT OR IGNORE` in SQLite, `.onConflict().ignore()` in knex).',
      insertWithoutOnConflict: '`{{call}}` {{where}} has no `.onConflict()`, so it duplicates its rows or fails on a unique key when {{rerun}}. Chain `.onConflict(<unique columns>).ignore()` (or `.merge()`).',
      bulkInsertWithoutIgnoreDuplicates: '`{{call}}` {{where}} has no `ignoreDuplicates` or `updateOnDuplicate` option, so it duplicates its rows or fails on a unique key when {{rerun}}. Pass `{ ignoreDuplicates: true }` and give every row its unique key.',
      createWithoutUpsert: '`{{call}}` {{where}} creates the row again when {{rerun}}: a duplicate, or a crash on a unique key. Use `upsert` with a unique `where`.',
      createManyWithoutSkipDuplicates: '`{{call}}` {{where}} has no `skipDuplicates: true`, so it duplicates its rows or fails on a unique key when {{rerun}}. Add `skipDuplicates: true`, or `upsert` each row.',
      addOnConflictDoNothing: 'Append `ON CONFLICT DO NOTHING`.',
      useInsertOrIgnore: 'Use `INSERT OR IGNORE` (SQLite).',
      useUpsert: 'Use `upsert` keyed on `id`.',
      setSkipDuplicates: 'Set `skipDuplicates: true` (PostgreSQL, MySQL and CockroachDB; not SQLite, SQL Server or MongoDB).',
      setIgnoreDuplicates: 'Pass `ignoreDuplicates: true`.',
    } satisfies Record<MessageIds, string>,
    schema: [],
    defaultOptions: [],
    hasSuggestions: true,
    languages: ['typescript', 'sql', 'python'],
  },
  prefilter: INSERT_TEXT,
  mayReportIn: outsideTestFiles,
  prefilterIn: (role, language) => (language !== 'typescript' ? undefined : role === 'application' ? mayInsertAtApplicationScope : mayInsertInTypescript),
  detect: {
    typescript: (input) => detectTypescript(input),
    sql: (input) => detectSql(input),
    python: (input) => detectPython(input),
  },
});
