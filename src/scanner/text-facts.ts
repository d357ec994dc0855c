import { codeLinesOf } from '../core/comment-lines.js';
import { isTestRole } from '../core/file-role.js';
import { mayHoldConstruction, TS_SCHEMA_SITE_TEXT } from '../core/ts-helpers/schema-creation-text.js';
import type { FileRole, ImportFact } from '../core/types.js';
import type { FileFacts } from './facts.js';

// What a JS/TS file's text tells before any parse: its imports, and whether it is worth parsing for
// whole-repo facts. Nothing here loads TypeScript, so the thread that reads the files
// (`read-worker.ts`) runs it as it reads.

/**
 * A database location can only come from a string with a database extension or scheme, or from a
 * value under a key or variable that names one (`database:`, `filename:`, `DB_PATH =`). Driver names
 * alone (`'postgres'` in an ORM's own source) give no location, so such files are not parsed for it.
 * Python files, cheap to parse, are gated by this looser test; JS/TS files by `mayHoldTsLocation`.
 */
export const LOCATION_TEXT = /\.(?:db|sqlite3?|db3|s3db|sl3)\b|(?:postgres(?:ql)?|mysql2?|mariadb|mongodb(?:\+srv)?|mssql|sqlserver|oracle|redshift|cockroachdb|libsql|clickhouse|sqlite\d?|file|jdbc)(?:\+\w+)?:|(?:database|storage|filename|dbPath|dbFile|db_?(?:path|file|url|uri|name)|DATABASE_\w*|DB_\w*|\w+_DB)['"]?\s*[:=]/i;

/** A database file's suffix ends the string or meets its query (`app.db?mode=ro`), as `parseDatabaseLocation` requires. */
const DATABASE_SUFFIX = String.raw`\.(?:db|sqlite3?|db3|s3db|sl3)(?=['"\x60?])`;
const DATABASE_SUFFIX_OR_SCHEME = String.raw`(?:${DATABASE_SUFFIX}|file:[^'"\x60\s]*?${DATABASE_SUFFIX}|(?:postgres(?:ql)?|mysql2?|mariadb|mongodb(?:\+srv)?|mssql|sqlserver|oracle|redshift|cockroachdb|libsql|clickhouse|sqlite\d?|jdbc)(?:\+\w+)?:)`;
/**
 * `'./data/app.db'`, `` `file:${dir}/x.db` ``, `"postgres://…"`: the suffix or scheme inside a string,
 * reached from its opening quote without whitespace (locations have none; prose such as
 * `'skipping file: x'` and the span between two template literals do). Outside a position that
 * names a database (the other gates), a path is a location only if it ends in the suffix, and a
 * `file:` URL only if it names such a file: not `${payload.db.name}`, not `'file:///node_modules'`.
 */
const LOCATION_IN_STRING = new RegExp(String.raw`['"\x60][^'"\x60\s]*?${DATABASE_SUFFIX_OR_SCHEME}`, 'i');
/** A database word starting a name part (`dbPath`, `test_db`, `DATABASE_URL`), so `feedback` is not `db`. */
const DB_WORD = String.raw`(?:(?<![A-Za-z])(?:db|database|sqlite|postgres|mysql|mariadb|mongo|libsql|pg)|Db|DB|Database|DATABASE|Sqlite|SQLite|SQLITE|Postgres|POSTGRES|Mysql|MySQL|MYSQL|Mongo|MONGO|Pg|PG|LibSQL|LIBSQL)`;
/** The value of a key or variable: a string, a path builder, or a fallback or choice ending in a string. */
const VALUE = (string: string) => String.raw`['"]?\s*[:=](?!=)\s*(?:${string}|(?:path\.)?(?:join|resolve)\(|new URL\(|[\w.$]+\s*(?:\?\?|\|\||\?)\s*${string})`;
/**
 * A name that says its value is the location (`dbPath`, `DATABASE_URL`, `sqliteFile`, `MONGO_URI`)
 * takes any string; a name that only names a database (`db`, `testDb`, `DATABASE`) takes a string
 * with a folder in it (`'./data/app'`), as `codeNameKind` and `classifyEnvName` read them. A name
 * ending in "name" is a location only as a file name (`dbFileName`, `DB_FILE_NAME`): `dbName:
 * 'payload'` names a database on a server.
 */
const DATABASE_NAMED_VALUE = new RegExp(
  [
    // One name prefix for both kinds of name: an alternation tries each branch from the start again.
    String.raw`${DB_WORD}[\w$]*(?:(?:[Pp]ath|[Ff]ile(?:_?[Nn]ame)?|[Ll]ocation|[Uu]rl|[Uu]ri|[Dd]sn|[Ss]tring|PATH|FILE(?:_?NAME)?|LOCATION|URL|URI|DSN|STRING)${VALUE('[\'"\x60]')}|${VALUE(String.raw`['"\x60][^'"\x60\n]*[/\\]`)})`,
    // `'DB_PATH=./data/app pytest'`: an assignment inside a command line or env text.
    String.raw`(?:DATABASE|DB|SQLITE|POSTGRES|MYSQL|MONGO)[A-Z0-9_]*=[^\s'"=]`,
  ].join('|'),
);
/**
 * `database:`, `storage:`, `filename:` take any name as the file in SQLite options, which name an
 * SQLite engine, and `database:` names a database on the server of a `host:` option.
 */
const DATABASE_OPTION = /(?:database|storage|filename)['"]?\s*:/;
const SQLITE_ENGINE = /sqlite|sqljs|libsql|['"\x60](?:cordova|react-native|nativescript|expo|capacitor)['"\x60]/i;
const HOST_OPTION = /\bhost['"]?\s*:/;

function mayWriteLocation(text: string): boolean {
  return LOCATION_IN_STRING.test(text) || DATABASE_NAMED_VALUE.test(text) || /\bnew\s+[\w$.]*Database\s*\(/.test(text) || (DATABASE_OPTION.test(text) && (SQLITE_ENGINE.test(text) || HOST_OPTION.test(text)));
}

/**
 * Whether a JS/TS file may write down a database location (see `collectLocationFacts`). Most files
 * that mention `database:` or `file:` do not, and in a large repository they are most of the files
 * this would otherwise parse. Locations are read from the syntax tree, so a file whose only match
 * is a commented-out `// process.env.DATABASE_URL = 'postgres://…'` has none.
 * `test/prefilter.test.ts` checks it on every fixture.
 */
export function mayHoldTsLocation(text: string): boolean {
  return mayWriteLocation(text) && mayWriteLocation(codeLinesOf(text));
}

const RELATIVE_IMPORT = /(?:\bfrom|\brequire\s*\(|\bimport\s*\()\s*['"]\.{1,2}\//;

/**
 * Whether the file may start a cross-file path to schema creation: a class whose construction calls
 * into another project file. Files such a path passes through are summarised when it reaches them
 * (`loadMissingSchemaSummaries`), so the many files that only create schema or only have classes
 * are not summarised for nothing.
 */
export function mayConstructThroughImport(text: string): boolean {
  return RELATIVE_IMPORT.test(text) && mayHoldConstruction(text);
}

export interface ImportBinding {
  local: string;
  specifier: string;
  /** `import * as ns`, `const ns = require(…)`: `ns.f()` calls into the module. */
  namespace: boolean;
}

/** `const x = `, `let { a, b: c } = `, and later declarators of one statement: `var os = require('os'), hash = `. */
const REQUIRE_TARGET = /(?:\b(?:const|let|var)\s|,)\s*([\w$]+|\{[^}]*\})\s*=\s*$/;

/**
 * The local names the file's imports bind (from `extractImports`, so the text is not searched
 * again), as `getImportBindings` in `schema-creation.ts` reads them: ES imports and `require`
 * assignments. Re-exports and dynamic imports bind nothing.
 */
export function importBindingsOf(text: string, imports: readonly ImportFact[]): ImportBinding[] {
  const bindings: ImportBinding[] = [];
  for (const { specifier, range } of imports) {
    const statement = text.slice(range[0], range[1]);
    if (statement.startsWith('require')) {
      const target = REQUIRE_TARGET.exec(text.slice(Math.max(0, range[0] - 4000), range[0]))?.[1];
      if (target && !target.startsWith('{')) bindings.push({ local: target, specifier, namespace: true });
      for (const element of target?.startsWith('{') ? target.slice(1, -1).split(',') : []) {
        const m = /^\s*([\w$]+)(?:\s*:\s*([\w$]+))?\s*$/.exec(element);
        if (m) bindings.push({ local: m[2] ?? m[1]!, specifier, namespace: false });
      }
      continue;
    }
    const clause = /^import\s+(?:type\s+(?=[\w${*]))?([^'"]*?)\s*from\s*['"]$/.exec(statement.slice(0, statement.length - specifier.length - 1))?.[1];
    if (clause === undefined) continue;
    for (const element of /\{([^}]*)\}/.exec(clause)?.[1]?.split(',') ?? []) {
      const m = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(element);
      if (m) bindings.push({ local: m[2] ?? m[1]!, specifier, namespace: false });
    }
    const namespace = /\*\s*as\s+([\w$]+)/.exec(clause)?.[1];
    if (namespace) bindings.push({ local: namespace, specifier, namespace: true });
    const fallback = /^([\w$]+)\s*(?:,|$)/.exec(clause)?.[1];
    if (fallback) bindings.push({ local: fallback, specifier, namespace: false });
  }
  return bindings;
}

const isNameChar = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95 || code > 127;

function skipSpace(text: string, at: number, step: 1 | -1): number {
  for (let code = text.charCodeAt(at); code === 32 || code === 10 || code === 9 || code === 13; code = text.charCodeAt(at)) at += step;
  return at;
}

/**
 * After a name: `(`, `!(`, `?.(`, or type arguments then `(`: `<T>(`, `<{ id: string } & T>(`.
 * Read loosely: any `>` before the next `;` (within 2,000 characters) that meets a `(`.
 */
function opensCall(text: string, at: number): boolean {
  at = skipSpace(text, at, 1);
  if (text[at] === '!') at = skipSpace(text, at + 1, 1);
  if (text.startsWith('?.', at)) at = skipSpace(text, at + 2, 1);
  if (text[at] === '(') return true;
  if (text[at] !== '<') return false;
  for (let i = at + 1, end = Math.min(text.length, at + 2000); i < end && text[i] !== ';'; i++) {
    if (text[i] === '>' && text[skipSpace(text, i + 1, 1)] === '(') return true;
  }
  return false;
}

/**
 * Whether the occurrence of an imported name at `[start, end)` is a call a schema summary follows
 * into another file (`getEdge` in `schema-creation.ts`): `name(…)`, `name<T>(…)`, `name?.(…)`,
 * `(name as F)(…)`, and `ns.f(…)` for a namespace. Not `new Name()`, not `x.name()`, not a type.
 */
function isFollowedCall(text: string, start: number, end: number, namespace: boolean): boolean {
  const before = text.charCodeAt(start - 1);
  // `x.name` is another object's member; `...name(…)` is a spread of a call.
  const member = before === 46 /* . */ && !text.startsWith('...', start - 3);
  if (isNameChar(before) || member || isNameChar(text.charCodeAt(end))) return false;
  const after = skipSpace(text, end, 1);
  if (namespace && (text[after] === '.' || text.startsWith('?.', after))) return true;
  const previous = skipSpace(text, start - 1, -1);
  if (opensCall(text, end)) return !(previous >= 2 && text.startsWith('new', previous - 2) && !isNameChar(text.charCodeAt(previous - 3)));
  // `(name as F)(…)`, `(<F>name)(…)`, `(name!)(…)`: read loosely, any parenthesised or asserted use.
  const closing = text[after] === '!' ? skipSpace(text, after + 1, 1) : after;
  return (text[previous] === '(' || text[previous] === '>') && (text[closing] === ')' || /^(?:as|satisfies)\s/.test(text.slice(closing, closing + 10)));
}

/**
 * Whether the text calls a function it imports from `specifier`, in a form a schema summary
 * follows into another file (see `isFollowedCall`). A class that only names another module's
 * types or classes (most of an ORM's classes) starts no path through it.
 */
export function callsImportFrom(text: string, bindings: readonly ImportBinding[], specifier: string): boolean {
  for (const binding of bindings) {
    if (binding.specifier !== specifier) continue;
    for (let at = text.indexOf(binding.local); at !== -1; at = text.indexOf(binding.local, at + 1)) {
      if (isFollowedCall(text, at, at + binding.local.length, binding.namespace)) return true;
    }
  }
  return false;
}

/**
 * Whether the file must be parsed for facts even when no rule's prefilter matched: the facts
 * `extractTypescriptFacts` would find. Test files only give locations (what they run against).
 */
export function needsTypescriptFacts(text: string, role: FileRole, { reachesSchema = true } = {}): boolean {
  if (isTestRole(role)) return mayHoldTsLocation(text);
  return (text.includes('.sql') && text.includes('readFile')) || mayHoldTsLocation(text) || (reachesSchema && mayConstructThroughImport(text));
}

/**
 * `import … from '…'`, `import '…'`, re-exports (`export { a } from`, `export * from`), `require('…')`
 * and `import('…')`. A re-export's clause is braces or a star, so an `export const …` with no
 * semicolon is never read on into the next statement's `from`.
 */
const IMPORT = /\bimport\s+(?:type\s+)?(?:[^'";]*?\sfrom\s*)?(['"])([^'"\n]+)\1|\bexport\s+(?:type\s+)?(?:\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]+)\3|\b(?:require|import)\s*\(\s*(['"])([^'"\n]+)\5\s*\)/g;
const MOCK = /\b(?:jest|vi|vitest)\.(?:mock|doMock)\(\s*(['"])([^'"\n]+)\1/g;
/** `process.env.DATABASE_URL = …`, and `DATABASE_URL: …` keys (a vitest/jest `env` block). */
const SETS_ENV = /\bprocess\.env(?:\.([A-Z][A-Z0-9_]+)|\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\])\s*(?:=[^=]|\?\?=|\|\|=)|^\s*['"]?([A-Z][A-Z0-9_]{2,})['"]?\s*:/gm;

/** A test file that opens an in-memory database (`usesInMemoryDatabase`), in either language. */
export const IN_MEMORY_TEXT = /:memory:|mode=memory/;

/** Imports by regular expression: cheap enough for every file, exact enough for relative paths. */
export function extractImports(text: string): ImportFact[] {
  return [...text.matchAll(IMPORT)].map((m) => ({ specifier: (m[2] ?? m[4] ?? m[6])!, range: [m.index, m.index + m[0].length] as const }));
}

/** Facts every JS/TS file gives without a parse: imports, mocks, environment it sets. */
export function extractTextFacts(text: string, role: FileRole): FileFacts {
  const facts: FileFacts = {};
  const imports = extractImports(text);
  if (imports.length > 0) facts.imports = imports;
  if (!isTestRole(role)) {
    if (TS_SCHEMA_SITE_TEXT.test(text)) facts.mentionsSchemaCreation = true;
    return facts;
  }
  const mocks = [...text.matchAll(MOCK)].map((m) => m[2]!);
  if (mocks.length > 0) facts.mocks = mocks;
  const setsEnv = [...text.matchAll(SETS_ENV)].map((m) => (m[1] ?? m[2] ?? m[3])!);
  if (setsEnv.length > 0) facts.setsEnv = [...new Set(setsEnv)];
  if (IN_MEMORY_TEXT.test(text)) facts.usesInMemoryDatabase = true;
  return facts;
}
