import type { ClassifiedStatement } from './classify.js';

/**
 * Migration data flow: within one unit of SQL that runs together (a `.sql` file, the statements one
 * function executes in order), which destructive statements lose nothing because the rows or values
 * were copied elsewhere first, the table is scratch, or the table is derived data refilled from its
 * sources right after. Every ORM's SQLite rebuild has this shape (TypeORM's `temporary_x`, Prisma's
 * `new_x`, Drizzle's `__new_x`):
 *
 *   CREATE TABLE new_x (…); INSERT INTO new_x (…) SELECT … FROM x; DROP TABLE x; ALTER TABLE new_x RENAME TO x;
 *
 * The answer is the reason each kept statement loses nothing, for messages and tests.
 */
export function dataKeptBy(statements: readonly ClassifiedStatement[], earlier: readonly ClassifiedStatement[] = [], definitions: readonly ClassifiedStatement[] = statements): Map<ClassifiedStatement, string> {
  const kept = new Map<ClassifiedStatement, string>();
  statements.forEach((statement, index) => {
    const reason = keptReason(statements, index, earlier, definitions);
    if (reason) kept.set(statement, reason);
  });
  return kept;
}

/**
 * Across the migrations of one folder, in order: a column or table an earlier migration copied
 * (`UPDATE t SET new = old`, `INSERT … SELECT … FROM t`) loses nothing when a later one drops it.
 * Only copies count from earlier migrations: a table they created, or a refill, says nothing about
 * what it holds by now. Keyed by migration, the kept statements of each.
 */
export function keptAcrossMigrations(migrations: readonly (readonly ClassifiedStatement[])[]): Set<ClassifiedStatement> {
  const kept = new Set<ClassifiedStatement>();
  let earlier: ClassifiedStatement[] = [];
  for (const statements of migrations) {
    for (const statement of dataKeptBy(statements, earlier).keys()) kept.add(statement);
    for (const s of statements) {
      if (s.kind === 'update' || isCopyStep(s) || (s.kind === 'createTable' && s.reads)) earlier.push(s);
      // A copy speaks of the values the table or column held then: once it is dropped (and perhaps
      // added again and refilled), an old copy says nothing about what a later drop loses.
      else if (s.target && (s.kind === 'drop' || s.kind === 'createTable' || s.kind === 'alterDropColumn')) {
        const table = s.target;
        const columns = s.kind === 'alterDropColumn' ? (s.columns ?? []).map((c) => c.toLowerCase()) : undefined;
        earlier = earlier.filter((c) => !(c.target === table || c.reads?.includes(table)) || (columns !== undefined && !columns.some((column) => c.names?.includes(column))));
      }
    }
  }
  return kept;
}

/** `temporary_users`, `users_new`, `__new_users`, `users_backup`: names that rebuilds and clean-ups give scratch copies. */
const SCRATCH_NAME = /^(?:_*(?:new|old|tmp|temp|temporary|backup|bak|copy)_)|_(?:new|old|tmp|temp|backup|bak|copy|\d+)$/i;

const bare = (name: string) => name.slice(name.lastIndexOf('.') + 1);

/**
 * Whether a copy of `table` leaves one of its columns behind. The old columns come from a plain
 * `CREATE TABLE` of that name elsewhere in the same file or migration: TypeORM's generated `down()`
 * re-creates each old shape (one per rebuild step). When every such shape has a column the copy
 * never names, that column is lost (jellyseerr's rebuilds that drop `region` or
 * `enableNotifications`). `CREATE TABLE IF NOT EXISTS` describes the shape code wants, not the one
 * a database had; without a plain definition, or with `SELECT *`, a copy is taken as whole.
 */
function leavesColumnBehind(copy: ClassifiedStatement, table: string, definitions: readonly ClassifiedStatement[]): boolean {
  if (copy.kind !== 'insert') return false;
  const shapes = definitions.filter((s) => s.kind === 'createTable' && s.target === table && !s.ifExists && s.columns && s.columns.length > 0);
  const named = new Set(copy.names ?? []);
  if (shapes.length === 0 || named.has('*')) return false;
  return shapes.every((shape) => shape.columns!.some((column) => !named.has(column)));
}

function keptReason(statements: readonly ClassifiedStatement[], index: number, earlier: readonly ClassifiedStatement[], definitions: readonly ClassifiedStatement[]): string | undefined {
  const statement = statements[index]!;
  const table = statement.target;
  if (!table || statement.object !== 'TABLE') return undefined;
  const here = statements.slice(0, index);
  // Copies of earlier migrations count; what they created or refilled does not (see keptAcrossMigrations).
  const copies = [...earlier, ...here];
  const before = here;
  const after = statements.slice(index + 1);
  switch (statement.kind) {
    case 'drop':
    case 'truncate':
    case 'deleteAll': {
      // `INSERT … SELECT … FROM t`, `CREATE TABLE … AS SELECT … FROM t`, or `UPDATE u SET … FROM t`
      // (a subquery on t included): what t held was copied into another table first.
      const copy = copies.find((s) => s.target !== table && (s.kind === 'insert' || s.kind === 'createTable' || s.kind === 'update') && s.reads?.includes(table));
      if (copy && !leavesColumnBehind(copy, table, definitions)) return `its rows were copied into ${copy.target ?? 'another table'} first`;
      // Created here unconditionally: it held nothing before this code ran. `IF NOT EXISTS` may find a full one.
      if (before.some((s) => s.kind === 'createTable' && s.target === table && !s.ifExists) || before.some((s) => s.kind === 'renameTable' && s.renamedTo === table && SCRATCH_NAME.test(bare(s.target!)))) {
        return 'the same code created it: a scratch table';
      }
      const refill = after.find((s) => s.kind === 'insert' && s.target === table && s.fromSelect && (s.reads ?? []).some((r) => r !== table));
      if (refill) return `it is refilled from ${refill.reads!.find((r) => r !== table)} right after: derived data`;
      if (statement.kind === 'drop' && statement.ifExists && SCRATCH_NAME.test(bare(table))) return 'it clears a scratch table an earlier run may have left';
      return undefined;
    }
    case 'alterDropColumn': {
      // Names are compared lower-cased: `"userId"` is quoted where it is dropped, a bare word where it is read.
      const columns = (statement.columns ?? []).map((c) => c.toLowerCase());
      const copied = (column: string) =>
        copies.some(
          // `UPDATE t SET new = old`: the column is read, not assigned.
          (s) =>
            (s.kind === 'update' && (s.target === table || s.reads?.includes(table)) && s.names?.includes(column)) ||
            (isCopyStep(s) && s.reads?.includes(table) && s.names?.includes(column)),
        );
      return columns.length > 0 && columns.every(copied) ? `its values were copied first` : undefined;
    }
    default:
      return undefined;
  }
}

/** `INSERT INTO t … SELECT … FROM u`: rows moved from a table, not values written down (`SELECT 1` is values). */
export function isCopyStep(statement: ClassifiedStatement): boolean {
  return statement.kind === 'insert' && statement.fromSelect === true && (statement.reads?.length ?? 0) > 0;
}

/**
 * Inserts that never collide when the same code runs again: the copy step of a rebuild (`INSERT …
 * SELECT` moves existing rows, it writes no seed rows), or rows put into a table the same code has
 * just created without `IF NOT EXISTS` (a second run fails at the `CREATE`, never at the insert).
 */
export function insertsThatCannotRepeat(statements: readonly ClassifiedStatement[]): Set<ClassifiedStatement> {
  const found = new Set<ClassifiedStatement>();
  statements.forEach((statement, index) => {
    if (statement.kind !== 'insert') return;
    if (isCopyStep(statement)) found.add(statement);
    else if (statement.target && statements.slice(0, index).some((s) => s.kind === 'createTable' && s.target === statement.target && !s.ifExists)) found.add(statement);
  });
  return found;
}

/** The statements of several SQL texts grouped by the unit of code that runs them together, in order. */
export function statementsByUnit<T extends { statements: readonly ClassifiedStatement[] }>(executed: readonly T[], unitOf: (e: T) => unknown): ClassifiedStatement[][] {
  const units = new Map<unknown, ClassifiedStatement[]>();
  for (const e of executed) {
    const unit = unitOf(e);
    (units.get(unit) ?? units.set(unit, []).get(unit)!).push(...e.statements);
  }
  return [...units.values()];
}

/** `insertsThatCannotRepeat` over each unit of code's statements. */
export function insertsThatCannotRepeatInUnits<T extends { statements: readonly ClassifiedStatement[] }>(executed: readonly T[], unitOf: (e: T) => unknown): ReadonlySet<ClassifiedStatement> {
  return new Set(statementsByUnit(executed, unitOf).flatMap((statements) => [...insertsThatCannotRepeat(statements)]));
}
