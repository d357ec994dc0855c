import { SQL_HOLE, splitStatements, tokenizeSql, type SqlStatement, type SqlToken } from './lexer.js';

export type SqlStatementKind =
  | 'drop'
  | 'truncate'
  | 'deleteAll'
  | 'alterDropColumn'
  | 'createTable'
  | 'createIndex'
  | 'createView'
  | 'insert'
  | 'update'
  | 'renameTable'
  | 'other';

export interface ClassifiedStatement {
  kind: SqlStatementKind;
  /** `TABLE`, `DATABASE`, `SCHEMA`, `VIEW`… for `drop`; `TABLE`/`INDEX`/`VIEW`/`MATERIALIZED VIEW` for `create*`. */
  object?: string;
  /** The table (or database…) named, unquoted, when it is static. */
  target?: string;
  /** `CREATE … IF NOT EXISTS` / `DROP … IF EXISTS`. */
  ifExists?: boolean;
  /** `CREATE TEMP TABLE`: a connection-scoped scratch table whose rows nobody keeps. */
  temporary?: boolean;
  /** For `insert`: ON CONFLICT, OR IGNORE, OR REPLACE, INSERT IGNORE, ON DUPLICATE KEY, WHERE NOT EXISTS. */
  conflictGuard?: boolean;
  /** For `insert`: SQLite-style `INSERT OR …` vs others; guides the suggested fix. */
  dialectHint?: 'sqlite' | 'mysql' | 'postgres';
  /** Tables the statement reads rows from (after `FROM`/`JOIN`): what `INSERT … SELECT` and `CREATE TABLE … AS SELECT` copy. */
  reads?: string[];
  /** For `insert`: the rows come from a `SELECT`, not from values written in the statement. */
  fromSelect?: boolean;
  /** For `alterDropColumn`: the columns dropped, when static; for `createTable`: the columns it defines. Lower-cased for `createTable`. */
  columns?: string[];
  /** For `insert`: every name the statement mentions; for `update`: every name it reads (not the columns it sets). Lower-cased. */
  names?: string[];
  /** For `renameTable`: the new name. */
  renamedTo?: string;
  /** Offsets into the analysed text. */
  start: number;
  end: number;
  /** Offsets of the statement's leading keyword, for precise reporting. */
  keywordEnd: number;
}

const DROPPABLE = new Set(['TABLE', 'DATABASE', 'SCHEMA', 'VIEW', 'COLLECTION', 'KEYSPACE', 'MATERIALIZED']);

/** A word token, and one of `values` when any are given. */
const isWord = (t: SqlToken | undefined, ...values: string[]) =>
  t !== undefined && t.kind === 'word' && (values.length === 0 || values.includes(t.value));

const isPunct = (t: SqlToken | undefined, value: string) => t !== undefined && t.kind === 'punct' && t.value === value;

function nameAt(tokens: readonly SqlToken[], index: number): string | undefined {
  // schema-qualified names: a.b, "a"."b"
  const parts: string[] = [];
  let i = index;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === 'word' || t.kind === 'quotedIdent') parts.push(t.kind === 'word' ? t.value.toLowerCase() : t.value);
    else if (t.kind === 'hole') return undefined;
    else break;
    // `users_${suffix}` or `"${schema}"`: part of the name is only known at run time.
    const glued = tokens[i + 1];
    if (t.value.includes(SQL_HOLE) || (glued?.kind === 'hole' && glued.start === t.end)) return undefined;
    if (isPunct(tokens[i + 1], '.')) i += 2;
    else break;
  }
  return parts.length > 0 ? parts.join('.') : undefined;
}

/** Skips `WITH … AS (…)` CTEs so that `WITH x AS (…) DELETE FROM t` is seen as a DELETE. */
function skipCte(tokens: readonly SqlToken[]): number {
  if (!isWord(tokens[0], 'WITH')) return 0;
  let depth = 0;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) {
      depth--;
      // After `)` comes `,` (another CTE), `AS` (that was a column list) or the statement itself.
      if (depth === 0 && !isPunct(tokens[i + 1], ',') && !isWord(tokens[i + 1], 'AS')) return i + 1;
    }
  }
  return 0;
}

function hasTopLevelWord(tokens: readonly SqlToken[], from: number, ...values: string[]): boolean {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && values.includes(t.value)) return true;
  }
  return false;
}

/** Tables named after `FROM` or `JOIN` anywhere in the statement, subqueries included. */
function tablesRead(tokens: readonly SqlToken[], from: number): string[] {
  const found: string[] = [];
  for (let i = from; i < tokens.length - 1; i++) {
    if (!isWord(tokens[i], 'FROM', 'JOIN')) continue;
    const name = nameAt(tokens, i + 1);
    if (name !== undefined) found.push(name);
  }
  return found;
}

/** Words that open a table constraint rather than a column in `CREATE TABLE t (…)`. */
const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'FOREIGN', 'UNIQUE', 'CHECK', 'KEY', 'INDEX', 'EXCLUDE', 'FULLTEXT', 'SPATIAL', 'PERIOD']);

/** The columns `CREATE TABLE t (a …, b …, PRIMARY KEY (a))` defines, lower-cased: the first name of each top-level item. */
function definedColumns(tokens: readonly SqlToken[], from: number): string[] {
  const open = tokens.findIndex((t, i) => i >= from && isPunct(t, '('));
  if (open === -1) return [];
  const columns: string[] = [];
  let depth = 0;
  let itemStart = true;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && isPunct(t, ',')) {
      itemStart = true;
      continue;
    } else if (itemStart && depth === 0) {
      if ((t.kind === 'word' && !TABLE_CONSTRAINT.has(t.value)) || t.kind === 'quotedIdent') columns.push(t.value.toLowerCase());
      else if (t.kind === 'hole') return [];
    }
    itemStart = false;
  }
  return columns;
}

/** Every word and quoted name of the statement, lower-cased: which columns it mentions. */
function namesIn(tokens: readonly SqlToken[], from: number): string[] {
  // `*` stands for every column: `INSERT INTO t_new SELECT * FROM t` copies them all.
  return tokens.slice(from).flatMap((t) => (t.kind === 'word' || t.kind === 'quotedIdent' ? [t.value.toLowerCase()] : isPunct(t, '*') ? ['*'] : []));
}

/**
 * The names an `UPDATE` reads: every name of the statement except the columns its `SET` list
 * assigns (`SET a = b, c = CASE WHEN d … END` reads `b` and `d`, not `a` or `c`).
 */
function namesReadByUpdate(tokens: readonly SqlToken[], from: number): string[] {
  const read: string[] = [];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (t.kind === 'word' || t.kind === 'quotedIdent') {
      const assigned = depth === 0 && isPunct(tokens[i + 1], '=') && (isPunct(tokens[i - 1], ',') || isWord(tokens[i - 1], 'SET'));
      if (!assigned) read.push(t.value.toLowerCase());
    }
  }
  return read;
}

function classifyStatement(statement: SqlStatement): ClassifiedStatement {
  const all = statement.tokens;
  const offset = skipCte(all);
  const tokens = all.slice(offset);
  const first = tokens[0];
  const base = { start: statement.start, end: statement.end, keywordEnd: first?.end ?? statement.end };
  if (!first || first.kind !== 'word') return { kind: 'other', ...base };

  switch (first.value) {
    case 'DROP': {
      const objectToken = tokens[1];
      if (!isWord(objectToken) || !DROPPABLE.has(objectToken!.value)) return { kind: 'other', ...base };
      let i = 2;
      const materialized = objectToken!.value === 'MATERIALIZED';
      if (materialized && !isWord(tokens[2], 'VIEW')) return { kind: 'other', ...base };
      if (materialized) i++;
      const ifExists = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS');
      if (ifExists) i += 2;
      const object = materialized ? 'MATERIALIZED VIEW' : objectToken!.value;
      return { kind: 'drop', object, target: nameAt(tokens, i), ifExists, ...base, keywordEnd: tokens[materialized ? 2 : 1]!.end };
    }
    case 'TRUNCATE': {
      let i = 1;
      if (isWord(tokens[i], 'TABLE')) i++;
      if (isWord(tokens[i], 'ONLY')) i++;
      return { kind: 'truncate', object: 'TABLE', target: nameAt(tokens, i), ...base };
    }
    case 'DELETE': {
      let i = 1;
      if (isWord(tokens[i], 'FROM')) i++;
      if (isWord(tokens[i], 'ONLY')) i++;
      const target = nameAt(tokens, i);
      // A substitution after the table name may be the WHERE clause itself: not provably unfiltered.
      const tail = tokens.slice(i + 1);
      const unknownTail = tail.some((t) => t.kind === 'hole');
      // RETURNING filters nothing. USING and MySQL's `DELETE t FROM t JOIN u ON …` filter by a join.
      if (hasTopLevelWord(tokens, i, 'WHERE', 'USING', 'LIMIT', 'JOIN') || unknownTail) {
        return { kind: 'other', ...base };
      }
      if (tokens[i]?.kind === 'hole' && tail.length === 0) return { kind: 'other', ...base };
      return { kind: 'deleteAll', object: 'TABLE', target, ...base };
    }
    case 'ALTER': {
      if (!isWord(tokens[1], 'TABLE')) return { kind: 'other', ...base };
      let i = 2;
      if (isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS')) i += 2;
      if (isWord(tokens[i], 'ONLY')) i++;
      const target = nameAt(tokens, i);
      // `ALTER TABLE t DROP COLUMN a, DROP COLUMN b`: every column dropped, or none known when one is dynamic.
      const columns: string[] = [];
      let dropsColumn = false;
      for (let j = i; j < tokens.length - 1; j++) {
        // `DROP ${what}` may drop a constraint as well as a column: not provably destructive.
        if (isWord(tokens[j], 'DROP') && tokens[j + 1]!.kind !== 'hole' && !isWord(tokens[j + 1], 'CONSTRAINT', 'INDEX', 'DEFAULT', 'NOT', 'PRIMARY', 'FOREIGN', 'KEY', 'IDENTITY', 'EXPRESSION', 'TRIGGER', 'ROW', 'CHECK')) {
          dropsColumn = true;
          let c = j + 1;
          if (isWord(tokens[c], 'COLUMN')) c++;
          if (isWord(tokens[c], 'IF') && isWord(tokens[c + 1], 'EXISTS')) c += 2;
          const column = nameAt(tokens, c);
          if (column !== undefined) columns.push(column);
        }
      }
      if (dropsColumn) return { kind: 'alterDropColumn', object: 'TABLE', target, ...(columns.length > 0 ? { columns } : {}), ...base };
      if (isWord(tokens[i + 1], 'RENAME') && isWord(tokens[i + 2], 'TO')) {
        const renamedTo = nameAt(tokens, i + 3);
        if (target && renamedTo) return { kind: 'renameTable', object: 'TABLE', target, renamedTo, ...base };
      }
      return { kind: 'other', ...base };
    }
    case 'CREATE': {
      let i = 1;
      if (isWord(tokens[i], 'OR') && isWord(tokens[i + 1], 'REPLACE')) i += 2;
      let temporary = false;
      while (isWord(tokens[i], 'TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL', 'VIRTUAL', 'UNIQUE')) {
        temporary ||= isWord(tokens[i], 'TEMP', 'TEMPORARY');
        i++;
      }
      // ClickHouse drops a view with `DROP TABLE`, so a view's name matters to what a drop loses.
      const materialized = isWord(tokens[i], 'MATERIALIZED') && isWord(tokens[i + 1], 'VIEW');
      if (materialized || isWord(tokens[i], 'VIEW')) {
        i += materialized ? 2 : 1;
        const ifNotExists = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS');
        return { kind: 'createView', object: materialized ? 'MATERIALIZED VIEW' : 'VIEW', target: nameAt(tokens, ifNotExists ? i + 3 : i), ifExists: ifNotExists, ...base };
      }
      const isTable = isWord(tokens[i], 'TABLE');
      const isIndex = isWord(tokens[i], 'INDEX');
      if (!isTable && !isIndex) return { kind: 'other', ...base };
      i++;
      if (isIndex && isWord(tokens[i], 'CONCURRENTLY')) i++;
      const ifExists = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS');
      if (ifExists) i += 3;
      const reads = isTable ? tablesRead(tokens, i) : [];
      const columns = isTable && reads.length === 0 ? definedColumns(tokens, i) : [];
      return {
        kind: isTable ? 'createTable' : 'createIndex',
        object: isTable ? 'TABLE' : 'INDEX',
        target: nameAt(tokens, i),
        ifExists,
        ...(temporary ? { temporary } : {}),
        ...(reads.length > 0 ? { reads } : {}),
        ...(columns.length > 0 ? { columns } : {}),
        ...base,
      };
    }
    case 'INSERT':
    case 'REPLACE':
    case 'MERGE':
    case 'UPSERT': {
      if (first.value === 'MERGE' || first.value === 'UPSERT' || first.value === 'REPLACE') {
        return { kind: 'insert', conflictGuard: true, ...base };
      }
      let i = 1;
      let conflictGuard = false;
      let dialectHint: ClassifiedStatement['dialectHint'];
      if (isWord(tokens[i], 'OR') && isWord(tokens[i + 1], 'IGNORE', 'REPLACE', 'ABORT', 'FAIL', 'ROLLBACK')) {
        conflictGuard = tokens[i + 1]!.value === 'IGNORE' || tokens[i + 1]!.value === 'REPLACE';
        dialectHint = 'sqlite';
        i += 2;
      }
      if (isWord(tokens[i], 'IGNORE')) {
        conflictGuard = true;
        dialectHint = 'mysql';
        i++;
      }
      if (isWord(tokens[i], 'INTO')) i++;
      const target = nameAt(tokens, i);
      if (!conflictGuard) {
        for (let j = i; j < tokens.length - 1; j++) {
          if (isWord(tokens[j], 'ON') && isWord(tokens[j + 1], 'CONFLICT')) conflictGuard = true;
          if (isWord(tokens[j], 'ON') && isWord(tokens[j + 1], 'DUPLICATE')) conflictGuard = true;
          if (isWord(tokens[j], 'NOT') && isWord(tokens[j + 1], 'EXISTS')) conflictGuard = true;
          if (isWord(tokens[j], 'EXCEPT')) conflictGuard = true;
        }
        // A substitution at the end may be the conflict clause (`${onConflict}`): not provably unguarded.
        if (tokens[tokens.length - 1]?.kind === 'hole' && !isWord(tokens[tokens.length - 2], 'VALUES')) conflictGuard = true;
      }
      const fromSelect = hasTopLevelWord(tokens, i, 'SELECT');
      return { kind: 'insert', target, conflictGuard, dialectHint, ...(fromSelect ? { fromSelect, reads: tablesRead(tokens, i), names: namesIn(tokens, i) } : {}), ...base };
    }
    case 'UPDATE': {
      let i = 1;
      if (isWord(tokens[i], 'ONLY')) i++;
      const target = nameAt(tokens, i);
      // Tables the new values come from: the SET expressions and UPDATE … FROM, not the WHERE clause,
      // which only chooses rows (`WHERE NOT EXISTS (SELECT 1 FROM watchers …)` copies no watcher).
      let where = tokens.length;
      for (let j = i, depth = 0; j < tokens.length; j++) {
        if (isPunct(tokens[j], '(')) depth++;
        else if (isPunct(tokens[j], ')')) depth--;
        else if (depth === 0 && isWord(tokens[j], 'WHERE')) {
          where = j;
          break;
        }
      }
      return { kind: 'update', target, reads: tablesRead(tokens.slice(0, where), i), names: namesReadByUpdate(tokens, i + 1), ...base };
    }
    default:
      return { kind: 'other', ...base };
  }
}

export function classifySql(text: string): ClassifiedStatement[] {
  return splitStatements(tokenizeSql(text)).map(classifyStatement);
}

/**
 * Whether a string is plausibly SQL at all: it must start (after comments and whitespace) with a
 * statement keyword. Keeps prose like "drop table failed" in an error message out.
 */
export function looksLikeSql(text: string): boolean {
  const tokens = tokenizeSql(text);
  const first = tokens[0];
  if (!first || first.kind !== 'word') return false;
  if (!SQL_LEADING_KEYWORDS.has(first.value)) return false;
  const second = tokens[1];
  if (second === undefined || (second.kind !== 'word' && second.kind !== 'quotedIdent' && second.kind !== 'hole')) return false;
  return !isProse(text, tokens);
}

/** Keywords between a statement's verb and the name of what it acts on. */
const NAME_PREFIX_KEYWORDS = new Set([
  'DROP', 'TRUNCATE', 'DELETE', 'INSERT', 'CREATE', 'ALTER', 'UPDATE', 'FROM', 'INTO', 'TABLE', 'DATABASE', 'SCHEMA',
  'VIEW', 'MATERIALIZED', 'COLLECTION', 'KEYSPACE', 'INDEX', 'UNIQUE', 'TEMP', 'TEMPORARY', 'ONLY', 'OR', 'REPLACE', 'IGNORE',
]);

/** Words that read as a sentence where a statement names a table: "drop table failed", "create table for users". */
const PROSE_WORDS = new Set([
  'FAILED', 'FAILS', 'SUCCEEDED', 'SUCCESSFUL', 'SUCCESSFULLY', 'COMPLETED', 'DONE', 'ERROR', 'ERRORED', 'ABORTED',
  'SKIPPED', 'DENIED', 'REFUSED', 'STARTED', 'FINISHED', 'ALLOWED', 'NOT', 'IS', 'WAS', 'WILL', 'SHOULD', 'MUST', 'CAN',
  'CANNOT', 'THE', 'AN', 'AND', 'FOR', 'OF', 'TO', 'WHEN', 'WHILE', 'BECAUSE', 'OK',
]);

/** What may follow the name in `DROP …`/`TRUNCATE …`; any other word makes it a sentence ("drop table users failed"). */
const DROP_TRAILERS = new Set(['CASCADE', 'RESTRICT', 'PURGE', 'CONTINUE', 'RESTART', 'WITH', 'CONSTRAINTS']);

function isProse(text: string, tokens: readonly SqlToken[]): boolean {
  // "Delete from cart": a capitalised verb followed by nothing but words is a sentence; SQL keeps one case.
  const verb = text.slice(tokens[0]!.start, tokens[0]!.end);
  if (/^[A-Z][a-z]+$/.test(verb) && tokens.every((t) => t.kind === 'word')) return true;
  let i = 0;
  while (isWord(tokens[i]) && NAME_PREFIX_KEYWORDS.has(tokens[i]!.value)) i++;
  if (isWord(tokens[i], 'IF')) i += isWord(tokens[i + 1], 'NOT') ? 3 : 2;
  if (i === 0 || !isWord(tokens[i])) return false;
  if (PROSE_WORDS.has(tokens[i]!.value)) return true;
  if (!isWord(tokens[0], 'DROP', 'TRUNCATE')) return false;
  while (isPunct(tokens[i + 1], '.') && tokens[i + 2]) i += 2;
  const after = tokens[i + 1];
  // A statement keyword is the next statement of a script that omits `;`.
  return isWord(after) && !DROP_TRAILERS.has(after!.value) && !SQL_LEADING_KEYWORDS.has(after!.value) && after!.value !== 'GO';
}

const SQL_LEADING_KEYWORDS = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'DROP', 'CREATE', 'ALTER', 'TRUNCATE', 'REPLACE', 'MERGE',
  'WITH', 'PRAGMA', 'BEGIN', 'COMMIT', 'GRANT', 'REVOKE', 'UPSERT', 'VACUUM', 'EXPLAIN',
]);

export const DESTRUCTIVE_KINDS: ReadonlySet<SqlStatementKind> = new Set(['drop', 'truncate', 'deleteAll', 'alterDropColumn']);

export function describeStatement(s: ClassifiedStatement): string {
  const target = s.target ? ` ${s.target}` : '';
  switch (s.kind) {
    case 'drop':
      return `DROP ${s.object}${target}`;
    case 'truncate':
      return `TRUNCATE${target}`;
    case 'deleteAll':
      return `DELETE FROM${target} without WHERE`;
    case 'alterDropColumn':
      return `ALTER TABLE${target} DROP COLUMN`;
    case 'createTable':
      return `CREATE TABLE${target}`;
    case 'createIndex':
      return `CREATE INDEX${target}`;
    case 'createView':
      return `CREATE ${s.object}${target}`;
    case 'insert':
      return `INSERT INTO${target}`;
    default:
      return 'SQL';
  }
}
