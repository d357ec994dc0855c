import type { Finding, PythonInput, Suggestion } from '../../src/core/types.js';
import type { ClassifiedStatement } from '../../src/core/sql/classify.js';
import { getPythonExecutionContext, getPythonStartupScope } from '../../src/core/python/context.js';
import { getPythonCodeSql, type PyExecutedSql } from '../../src/core/python/executed-sql.js';
import { resolveName, stringPrefix } from '../../src/core/python/static.js';
import {
  calleeName,
  describePy,
  enclosingScope,
  getPyModule,
  positionalArguments,
  receiverName,
  receiverOf,
  textOf,
  unwrap,
  type PyModule,
  type PyNode,
} from '../../src/core/python/syntax.js';
import { getSqlSuggestions, type SqlDialect } from './sql-fix.js';
import { insertsThatCannotRepeatInUnits } from '../../src/core/sql/data-flow.js';
import { isBookkeepingTable, situationFor, sqlFinding, STARTUP_FUNCTION_NAME, type Situation } from './idempotent-migration-insert.js';

const RULE_ID = 'idempotent-migration-insert';

const SQLITE_MODULES = /^(?:sqlite3|aiosqlite|apsw|sqlite_utils)\b/;
const MYSQL_MODULES = /^(?:pymysql|MySQLdb|mysql\.connector|aiomysql|asyncmy|mysqlclient)\b/;
/** `session.add`, `db.session.add`, `s.add` inside `with Session() as s`. */
const SESSION_RECEIVER = /session$|^(?:s|sess|db)$/i;
/** Calls in a condition that look a row up: the Python-level "does it exist yet?" check. */
const LOOKUP_CALLS = /^(?:first|one|one_or_none|scalar|scalar_one|scalar_one_or_none|scalars|exists|count|get|get_or_none|filter|filter_by|where|select|fetchone|fetchall|query|execute|find_one|find)$/;
const UNIQUE_ERRORS = /\b(?:IntegrityError|UniqueViolation|UniqueViolationError)\b/;

const normaliseTable = (table: string | undefined) => table?.split('.').pop()?.toLowerCase();

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function fileDialect(module: PyModule): SqlDialect | undefined {
  const imported = module.root.children.filter((s) => s.type === 'import_statement' || s.type === 'import_from_statement').map((s) => textOf(module, s).replace(/^(?:from|import)\s+/, ''));
  if (imported.some((m) => SQLITE_MODULES.test(m))) return 'sqlite';
  if (imported.some((m) => MYSQL_MODULES.test(m))) return 'mysql';
  return undefined;
}

/** The source offset of the SQL text when the argument is one plain literal whose body is exactly the SQL. */
function literalTextStart(module: PyModule, executed: PyExecutedSql): number | undefined {
  if (executed.hasHoles) return undefined;
  const node = unwrap(executed.node);
  if (node.type !== 'string' || /[rbf]/.test(stringPrefix(module, node))) return undefined;
  const content = node.children.filter((c) => c.type === 'string_content');
  if (content.length !== 1) return undefined;
  const [only] = content as [PyNode];
  return textOf(module, only) === executed.text ? only.start : undefined;
}

interface Clear {
  table: string;
  scope: PyNode;
  position: number;
}

/** A model or table emptied first: `DELETE FROM users`, `session.query(User).delete()`, `User.objects.all().delete()`. */
function getClears(module: PyModule): Clear[] {
  const clears: Clear[] = [];
  const add = (table: string | undefined, node: PyNode) => {
    const name = normaliseTable(table);
    if (name) clears.push({ table: name, scope: enclosingScope(node), position: node.start });
  };
  for (const executed of getPythonCodeSql(module).executed) {
    for (const s of executed.statements) if (s.kind === 'deleteAll' || s.kind === 'truncate') add(s.target, executed.site);
  }
  for (const node of module.nodes) {
    // `Base.metadata.drop_all(...)` first: every table starts empty, so what follows yields the same rows.
    if (node.type === 'call' && calleeName(module, node) === 'drop_all' && receiverOf(node)) add('*', node);
    if (node.type !== 'call' || calleeName(module, node) !== 'delete' || positionalArguments(node).length > 0) continue;
    const receiver = receiverOf(node) && unwrap(receiverOf(node)!);
    if (receiver?.type === 'call' && calleeName(module, receiver) === 'query') {
      const [model] = positionalArguments(receiver);
      if (model?.type === 'identifier') add(snakeCase(textOf(module, model)), node);
    } else if (receiver?.type === 'call' && calleeName(module, receiver) === 'all') {
      const objects = receiverOf(receiver);
      const model = objects?.type === 'attribute' ? objects.children[0] : undefined;
      if (model?.type === 'identifier') add(snakeCase(textOf(module, model)), node);
    }
  }
  return clears;
}

function isClearedBefore(clears: readonly Clear[], node: PyNode, table: string | undefined): boolean {
  const name = normaliseTable(table) ?? '?';
  const scope = enclosingScope(node);
  return clears.some((c) => c.scope === scope && c.position < node.start && (c.table === '*' || c.table === name || c.table === `${name}s` || `${c.table}s` === name));
}

/** Inside an `if`, a loop or a conditional expression of its function (see the TypeScript `getSituation`). */
function isConditionalInFunction(node: PyNode): boolean {
  for (let current = node.parent; current && current.type !== 'function_definition'; current = current.parent) {
    if (current.type === 'if_statement' || current.type === 'for_statement' || current.type === 'while_statement' || current.type === 'conditional_expression') return true;
  }
  return false;
}

function situationAt(module: PyModule, node: PyNode, input: PythonInput, table: string | undefined): Situation | 'bookkeeping' | undefined {
  const context = getPythonExecutionContext(module, node, input.role);
  if (context === 'migrationUp' && !isBookkeepingTable(table) && isConditionalInFunction(node)) return undefined;
  return situationFor(context, table, () => getPythonStartupScope(module, node, STARTUP_FUNCTION_NAME)?.where);
}

function detectSql(module: PyModule, input: PythonInput, clears: readonly Clear[]): Finding[] {
  const findings: Finding[] = [];
  const dialectOfFile = fileDialect(module);
  const executedSql = getPythonCodeSql(module).executed;
  const cannotRepeat = insertsThatCannotRepeatInUnits(executedSql, (e) => enclosingScope(e.node));
  for (const executed of executedSql) {
    // Statements cleared by an earlier DELETE/TRUNCATE in the same SQL text are re-runnable too.
    const clearedHere = new Set<string>();
    const unguarded = executed.statements.filter((s: ClassifiedStatement) => {
      if (s.kind === 'deleteAll' || s.kind === 'truncate') clearedHere.add(normaliseTable(s.target) ?? '');
      return s.kind === 'insert' && !s.conflictGuard && (isBookkeepingTable(s.target) || (!clearedHere.has(normaliseTable(s.target) ?? '\0') && !cannotRepeat.has(s)));
    });
    const first = unguarded.find((s) => isBookkeepingTable(s.target)) ?? unguarded[0];
    if (!first) continue;
    // The SQL argument decides the context: Django's `RunSQL(…, reverse_sql=…)` runs its sides at different times.
    const situation = situationAt(module, executed.node, input, first.target);
    if (!situation) continue;
    if (situation !== 'bookkeeping' && isClearedBefore(clears, executed.site, first.target)) continue;
    const start = literalTextStart(module, executed);
    const suggestions: Suggestion[] = start === undefined ? [] : getSqlSuggestions(executed.text, unguarded, first.dialectHint ?? dialectOfFile, start);
    findings.push(sqlFinding(first, situation, [executed.node.start, executed.node.end], suggestions));
  }
  return findings;
}

/** Whether a condition reads rows: `if not session.query(User).filter_by(…).first():`, `if existing is None:`. */
function isLookup(module: PyModule, condition: PyNode): boolean {
  for (let i = condition.index; i <= condition.last; i++) {
    const node = module.nodes[i]!;
    if (node.type === 'call' && LOOKUP_CALLS.test(calleeName(module, node) ?? '')) return true;
    if (node.type === 'identifier') {
      const bound = resolveName(module, node);
      if (bound && bound.type !== 'identifier' && isLookup(module, bound)) return true;
    }
  }
  return false;
}

/** A block that exits: `if existing: return`. */
function exits(block: PyNode | undefined): boolean {
  const last = block?.children[block.children.length - 1];
  return last?.type === 'return_statement' || last?.type === 'raise_statement' || last?.type === 'continue_statement';
}

/**
 * Check-then-insert (an `if` that looks the row up first) or an insert that catches the unique
 * violation (`except IntegrityError`) is the idempotent seed of incident 2. Raw SQL does not get
 * this pass: without a conflict clause two starts racing past the same check still collide.
 */
function isGuardedInPython(module: PyModule, node: PyNode): boolean {
  let child = node;
  for (let current = node.parent; current && current.type !== 'function_definition'; child = current, current = current.parent) {
    if ((current.type === 'if_statement' || current.type === 'elif_clause') && child !== current.children[0] && current.children[0] && isLookup(module, current.children[0])) return true;
    if (current.type === 'try_statement' && child.type === 'block' && current.children.some((c) => c.type === 'except_clause' && UNIQUE_ERRORS.test(textOf(module, c).split(':')[0]!))) return true;
    if (current.type === 'block' || current.type === 'module') {
      for (const statement of current.children) {
        if (statement === child) break;
        if (statement.type === 'if_statement' && exits(statement.children[1]) && statement.children[0] && isLookup(module, statement.children[0])) return true;
      }
    }
  }
  return false;
}

/** The model a statement creates: `User` in `session.add(User(...))`, `admin` bound to `User(...)`, `User.objects.create(...)`. */
function createdModel(module: PyModule, call: PyNode): string | undefined {
  const name = calleeName(module, call);
  const receiver = receiverOf(call);
  if (!receiver) return undefined;
  if (name === 'add' && SESSION_RECEIVER.test(receiverName(module, call) ?? '')) {
    const [first] = positionalArguments(call);
    let value = first && unwrap(first);
    if (value?.type === 'identifier') value = resolveName(module, value);
    const callee = value?.type === 'call' ? unwrap(value.children[0]!) : undefined;
    const model = callee && describePy(module, callee).split('.').pop();
    return model && /^[A-Z]/.test(model) ? model : undefined;
  }
  if (name === 'add_all' && SESSION_RECEIVER.test(receiverName(module, call) ?? '')) return 'rows';
  if (name === 'create') {
    const object = unwrap(receiver);
    // Django `User.objects.create(...)`; Tortoise/peewee `await User.create(...)`.
    if (object.type === 'attribute' && textOf(module, object.children[1]!) === 'objects' && object.children[0]!.type === 'identifier') return textOf(module, object.children[0]!);
    if (object.type === 'identifier' && /^[A-Z][A-Za-z0-9]*$/.test(textOf(module, object))) return textOf(module, object);
  }
  return undefined;
}

function detectOrmInserts(module: PyModule, input: PythonInput, clears: readonly Clear[]): Finding[] {
  const findings: Finding[] = [];
  for (const call of module.nodes) {
    if (call.type !== 'call') continue;
    const model = createdModel(module, call);
    if (!model) continue;
    const table = model === 'rows' ? undefined : snakeCase(model);
    const context = getPythonExecutionContext(module, call, input.role);
    // A model in a migration's upgrade() is someone else's schema at that revision; only raw SQL is judged there.
    if (context === 'migrationUp') continue;
    const situation = situationAt(module, call, input, table);
    if (!situation || isGuardedInPython(module, call)) continue;
    if (situation !== 'bookkeeping' && isClearedBefore(clears, call, table)) continue;
    const callee = call.children[0]!;
    const written = module.text.slice(call.start, callee.end);
    const text = `${written.length <= 60 && !written.includes('\n') ? written : describePy(module, callee)}()`;
    const range = [call.start, callee.end] as const;
    if (situation === 'bookkeeping') findings.push({ ruleId: RULE_ID, messageId: 'unguardedMigrationRecord', severity: 'error', range, data: { statement: text } });
    else findings.push({ ruleId: RULE_ID, messageId: 'createWithoutUpsert', severity: situation.severity, range, data: { call: text, where: situation.where, rerun: situation.rerun } });
  }
  return findings;
}

/**
 * INSERTs without a conflict clause (and ORM creates without a prior lookup or an `IntegrityError`
 * handler) in migrations, seeds and startup code: `init_db`, `@app.on_event("startup")`,
 * `lifespan`, `if __name__ == "__main__":`. Bookkeeping tables (`schema_migrations`) always.
 */
export function detectPython(input: PythonInput): Finding[] {
  const module = getPyModule(input);
  const clears = getClears(module);
  return [...detectSql(module, input, clears), ...detectOrmInserts(module, input, clears)].sort((a, b) => a.range[0] - b.range[0]);
}
