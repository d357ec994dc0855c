import { outsideTestFiles } from '../../src/core/file-role.js';
import { enclosingScope } from '../../src/core/ts-helpers/call.js';
import { defineRule, type ExecutionContext, type Finding, type Severity, type SqlInput, type TsInput } from '../../src/core/types.js';
import { classifySql, DESTRUCTIVE_KINDS, describeStatement, type ClassifiedStatement } from '../../src/core/sql/classify.js';
import { dataKeptBy, statementsByUnit } from '../../src/core/sql/data-flow.js';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';
import { getMigrationPhaseAt, getMigrationSections } from '../../src/core/sql/migration-sections.js';
import { getCodeSql } from '../../src/core/ts-helpers/executed-sql.js';
import { getExecutionContext } from '../../src/core/ts-helpers/execution-context.js';
import { describeContext, severityOfDestructiveOperation } from '../../src/core/policy.js';
import { detectPython } from './python.js';

export type Options = [];
export type MessageIds = 'destructiveSql' | 'intendedChange' | 'startupScript' | 'destructiveSqlFile';

const RULE_ID = 'no-destructive-sql';

/** What a statement does to the data, completing "`DROP TABLE users` …". */
const DROP_EFFECTS: Record<string, string> = {
  DATABASE: 'drops the whole database, every table and row',
  SCHEMA: 'drops the schema with every table and row in it',
  TABLE: 'drops the table and every row in it',
  COLLECTION: 'drops the collection and every document in it',
  KEYSPACE: 'drops the keyspace with every table in it',
};

/**
 * The statement's effect on stored rows, or `undefined` when it loses none. A view (materialized
 * or not) holds no rows of its own and is usually re-created right after, so `DROP VIEW` is not
 * reported: reporting it would bury real drops under schema-refresh noise.
 */
function getEffect(statement: ClassifiedStatement): string | undefined {
  if (!DESTRUCTIVE_KINDS.has(statement.kind)) return undefined;
  switch (statement.kind) {
    case 'drop':
      return DROP_EFFECTS[statement.object ?? ''];
    case 'truncate':
    case 'deleteAll':
      return 'deletes every row of the table';
    case 'alterDropColumn':
      return 'drops the column and its value in every row';
    default:
      return undefined;
  }
}

/** `DROP TABLE users`; a part only known at run time reads as `…`. */
function describe(statement: ClassifiedStatement): string {
  return describeStatement(statement).split(SQL_HOLE).join('…');
}

export interface Loss {
  statement: string;
  effect: string;
}

/**
 * Names the same text creates as `TEMP`/`TEMPORARY` tables or as views: emptying or dropping them
 * loses nothing kept. A view is dropped with `DROP TABLE` in ClickHouse (`DROP TABLE events_mv;
 * CREATE MATERIALIZED VIEW events_mv TO events_hourly AS …`), which is the `DROP VIEW` this rule
 * leaves alone.
 */
export function rowlessTablesOf(statements: Iterable<ClassifiedStatement>): Set<string> {
  const names = new Set<string>();
  for (const s of statements) if (s.target && ((s.kind === 'createTable' && s.temporary) || s.kind === 'createView')) names.add(s.target);
  return names;
}

/**
 * The statements each unit of code runs together (one function's executed SQL, in source order),
 * read as one migration: what `dataKeptBy` keeps in any of them is no loss. Shared with Python.
 */
export function keptInUnits<T extends { statements: ClassifiedStatement[] }>(executed: readonly T[], unitOf: (e: T) => unknown): ReadonlySet<ClassifiedStatement> {
  // Table definitions anywhere in the file tell which columns a copy must name (a `down()` re-creates the old shape).
  const definitions = executed.flatMap((e) => e.statements);
  return new Set(statementsByUnit(executed, unitOf).flatMap((statements) => [...dataKeptBy(statements, [], definitions).keys()]));
}

/** One finding per SQL text: several destructive statements are named together. Shared with the Python detector. */
export function getLoss(statements: readonly ClassifiedStatement[], rowlessTables: ReadonlySet<string> = new Set(), kept: ReadonlySet<ClassifiedStatement> = new Set()): Loss | undefined {
  const lossy = statements.filter((s) => !(s.target && rowlessTables.has(s.target)) && !kept.has(s)).flatMap((s) => {
    const effect = getEffect(s);
    return effect ? [{ statement: describe(s), effect }] : [];
  });
  if (lossy.length === 0) return undefined;
  const effects = new Set(lossy.map((l) => l.effect));
  const shown = lossy.slice(0, 3).map((l) => l.statement);
  if (lossy.length > 3) shown.push('…');
  return {
    statement: shown.join('; '),
    effect: effects.size === 1 ? lossy[0]!.effect : 'drops tables or deletes their rows',
  };
}

/**
 * The report for destructive SQL run from code, where it runs: the one decision the TypeScript and
 * Python detectors share.
 */
export function codeFinding(loss: Loss, context: ExecutionContext, range: readonly [number, number], api: string): Finding | undefined {
  const severity = severityOfDestructiveOperation(context);
  if (!severity) return undefined;
  return context === 'application'
    ? { ruleId: RULE_ID, messageId: 'destructiveSql', severity, range, data: { ...loss, api } }
    : { ruleId: RULE_ID, messageId: 'intendedChange', severity, range, data: { ...loss, where: describeContext(context) } };
}

function detectTypescript(input: TsInput): Finding[] {
  const executedSql = getCodeSql(input.sourceFile).executed;
  const rowless = rowlessTablesOf(executedSql.flatMap((e) => e.statements));
  const kept = keptInUnits(executedSql, (e) => enclosingScope(e.site));
  return executedSql.flatMap((executed) => {
    const loss = getLoss(executed.statements, rowless, kept);
    const finding = loss && codeFinding(loss, getExecutionContext(executed.site, input.role), [executed.node.getStart(input.sourceFile), executed.node.getEnd()], executed.api);
    return finding ? [finding] : [];
  });
}

/** Docker's postgres/mysql images run these only when the data directory is empty: nothing to lose. */
const FRESH_DATABASE_ONLY = /(?:^|\/)docker-entrypoint-initdb\.d\//;

/**
 * How a `.sql` file runs decides the report. Read and executed by application code at startup: it
 * runs on every start, an error. A migration's up section or a seed: an intended change, a warning.
 * A down section, a test file, a Docker init script: nothing. Any other `.sql` file (a `schema.sql`
 * nobody in the repository executes) is a warning: whoever applies it to a live database loses the
 * data, but it may just as well be a reset script for development.
 */
function getSqlFileReport(input: SqlInput, phase: 'up' | 'down' | undefined): { messageId: MessageIds; severity: Severity; where?: string } | undefined {
  if (input.role === 'test' || input.role === 'testConfig') return undefined;
  if (input.executedBy) return { messageId: 'startupScript', severity: 'error' };
  if (phase === 'down' || FRESH_DATABASE_ONLY.test(input.path)) return undefined;
  const context: ExecutionContext | undefined = input.role === 'migration' || phase === 'up' ? 'migrationUp' : input.role === 'seed' ? 'seed' : undefined;
  if (context) return { messageId: 'intendedChange', severity: 'warning', where: context === 'seed' ? 'in a seed' : 'in a migration' };
  return { messageId: 'destructiveSqlFile', severity: 'warning' };
}

function detectSql(input: SqlInput): Finding[] {
  const sections = getMigrationSections(input.text);
  const findings: Finding[] = [];
  const statements = classifySql(input.text);
  const rowless = rowlessTablesOf(statements);
  const kept = new Set(dataKeptBy(statements).keys());
  for (const statement of statements) {
    const loss = getLoss([statement], rowless, kept);
    if (!loss) continue;
    const report = getSqlFileReport(input, getMigrationPhaseAt(sections, statement.start, input.migrationPhase));
    if (!report) continue;
    const data: Record<string, string> = { ...loss };
    if (report.where) data.where = report.where;
    if (input.executedBy) data.executedBy = input.executedBy;
    findings.push({ ruleId: RULE_ID, messageId: report.messageId, severity: report.severity, range: [statement.start, statement.end], data });
  }
  return findings;
}

export const noDestructiveSql = defineRule<Options>({
  meta: {
    id: RULE_ID,
    docs: {
      description: 'Disallow SQL that drops tables or deletes every row where it runs against real data',
      recommended: true,
    },
    messages: {
      destructiveSql: '`{{statement}}` sent by `{{api}}` {{effect}} each time this code runs. Remove it from application code: change the schema with a migration, and drop or empty tables only in tests.',
      intendedChange: '`{{statement}}` {{where}} {{effect}}. Allowed as an intended change, but confirm the data is migrated or backed up first.',
      startupScript: '`{{statement}}` in a SQL file that `{{executedBy}}` runs at startup {{effect}} on every start. Remove it from the file, and make schema changes in a migration that runs once.',
      destructiveSqlFile: '`{{statement}}` {{effect}} whenever this file is run. If it is ever applied to a live database, move the change into a migration; otherwise keep the file with the tests or development tooling.',
    } satisfies Record<MessageIds, string>,
    schema: [],
    defaultOptions: [],
    hasSuggestions: false,
    languages: ['typescript', 'sql', 'python'],
  },
  // No backslash-sensitive `\b`: the source text may hold `'\nDROP TABLE'`.
  // Statement openers only: the words alone (`dropdown`, `alert`, `deleteUser`) are everywhere.
  prefilter: /\bdrop\s+(?:table|database|schema|collection|keyspace|materialized|view)\b|\btruncate\b|\bdelete\s+(?:from\b|\w+\s+from\b)|\balter\s+table\b/i,
  mayReportIn: outsideTestFiles,
  detect: {
    typescript: (input) => detectTypescript(input),
    sql: (input) => detectSql(input),
    python: (input) => detectPython(input),
  },
});
