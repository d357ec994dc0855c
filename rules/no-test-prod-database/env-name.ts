import { parseDatabaseLocation, type DatabaseLocation } from '../../src/core/db-location.js';

/**
 * What an environment variable name (or an UPPER_SNAKE config key) says about its value:
 * - `location`: `DATABASE_URL`, `DB_PATH`, `SQLITE_FILE`, `MONGO_URI`: the value is where the database is;
 * - `database`: `DATABASE`, `SQLITE_DB`, `MYSQL_DATABASE`, `POSTGRES_DB`: a file only when the value
 *   looks like a path, otherwise the name of a database on some server;
 * - `never`: credentials and other settings (`MONGO_INITDB_ROOT_USERNAME`, `DB_PASSWORD_FILE`,
 *   `DB_HOST`, `DB_PORT`, `DB_NAME`): never a location, whatever the value;
 * - `other`: anything else, `DB_MIGRATIONS_PATH` and `DB_BACKUP_FILE` among them: only a value with
 *   a scheme or a database extension is a location.
 */
export type EnvNameRole = 'location' | 'database' | 'never' | 'other';

export interface EnvNameKind {
  role: EnvNameRole;
  /** The name mentions a database (`DB`, `POSTGRES`, `SQLITE`…), so a bare path under a location word is the database's. */
  dbNamed: boolean;
}

const DB_WORDS = new Set(['DATABASE', 'DATABASES', 'DB', 'SQLITE', 'SQLITE3', 'POSTGRES', 'POSTGRESQL', 'PG', 'MYSQL', 'MARIADB', 'MONGO', 'MONGODB', 'LIBSQL']);
const LOCATION_WORDS = new Set(['URL', 'URI', 'DSN', 'PATH', 'FILE', 'FILENAME', 'LOCATION']);
const LOCATION_PAIRS = new Set(['FILE_NAME', 'CONNECTION_STRING', 'CONN_STRING', 'CONN_STR']);
/** Credentials and server coordinates: a name with one of these never holds the database's location. */
const CREDENTIAL_WORDS = new Set([
  'USER', 'USERNAME', 'USR', 'LOGIN', 'PASSWORD', 'PASS', 'PASSWD', 'PWD', 'SECRET', 'SECRETS', 'TOKEN', 'KEY', 'AUTH', 'CREDENTIALS',
  'HOST', 'HOSTNAME', 'PORT',
]);
/**
 * Words that say a path is about something next to the database: `DB_SSL_CA_PATH`, `DB_MIGRATIONS_PATH`,
 * `DB_TEMPLATE_FILE`. A bare value there is not the database (one with a `.db` extension still is a database file).
 */
const AUXILIARY_WORDS = new Set([
  'CERT', 'CA', 'SSL', 'TLS', 'SOCKET', 'SOCK', 'LOG', 'LOGS', 'BACKUP', 'BACKUPS', 'DUMP',
  'MIGRATION', 'MIGRATIONS', 'SEED', 'SEEDS', 'SCHEMA', 'CONFIG', 'INIT', 'INITDB', 'LOCK', 'PID', 'TEMPLATE',
]);
/** A last word that names a setting, not a place: `DB_NAME`, `DB_DRIVER`, `DB_CONNECTION=sqlite` (Laravel). */
const SETTING_LAST_WORDS = new Set(['NAME', 'SERVER', 'DRIVER', 'DIALECT', 'CLIENT', 'ENGINE', 'TYPE', 'CONNECTION', 'PROVIDER']);
/** `SQLITE_DB_TEST`, `DATABASE_2`: qualifiers after the word that matters. */
const QUALIFIERS = new Set(['TEST', 'TESTS', 'TESTING', 'PROD', 'PRODUCTION', 'DEV', 'DEVELOPMENT', 'LOCAL', 'CI', 'E2E', 'STAGING', 'LIVE', 'MAIN', 'DEFAULT', 'PRIMARY', 'REPLICA']);

/** Index of the last word that names a location: `URL` in `DATABASE_URL_UNPOOLED`, `NAME` in `DB_FILE_NAME`. */
function locationWordIndex(words: readonly string[]): number {
  for (let i = words.length - 1; i >= 0; i--) {
    if (LOCATION_WORDS.has(words[i]!) || (i > 0 && LOCATION_PAIRS.has(`${words[i - 1]}_${words[i]}`))) return i;
  }
  return -1;
}

export function classifyEnvName(name: string): EnvNameKind {
  const words = name.toUpperCase().split(/_+/).filter((w) => w !== '');
  const dbNamed = words.some((w) => DB_WORDS.has(w));
  if (words.some((w) => CREDENTIAL_WORDS.has(w))) return { role: 'never', dbNamed };
  const at = locationWordIndex(words);
  if (at !== -1) {
    const pairStart = at > 0 && LOCATION_PAIRS.has(`${words[at - 1]}_${words[at]}`) ? at - 1 : at;
    // `DATABASE_URL_NO_SSL`: what follows the location word only qualifies it.
    return { role: words.slice(0, pairStart).some((w) => AUXILIARY_WORDS.has(w)) ? 'other' : 'location', dbNamed };
  }
  if (words.some((w) => AUXILIARY_WORDS.has(w))) return { role: 'other', dbNamed };
  while (words.length > 1 && (QUALIFIERS.has(words[words.length - 1]!) || /^\d+$/.test(words[words.length - 1]!))) words.pop();
  const last = words[words.length - 1] ?? '';
  if (last === 'DATABASE' || last === 'DB' || last === 'SQLITE' || last === 'SQLITE3') return { role: 'database', dbNamed };
  return { role: SETTING_LAST_WORDS.has(last) ? 'never' : 'other', dbNamed };
}

/** `${VAR}`, `$VAR`: filled in by compose, the shell or dotenv-expand, so the text is not the value (`$$` is a literal `$`). */
export function hasUnresolvedVariable(value: string): boolean {
  // The user info of a URL is not part of the location, and passwords may hold a `$`.
  const withoutUserInfo = value.replace(/^((?:jdbc:)?[a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
  return /\$(?:\{[^}]*\}?|[A-Za-z_])/.test(withoutUserInfo.replace(/\$\$/g, ''));
}

/** A value with a folder in it (`./data/app`, `/var/lib/app/store`), rather than a bare name (`app`). */
export function looksLikePath(value: string): boolean {
  return /[\\/]/.test(value);
}

const SCHEME = /^(?:jdbc:)?[a-z][a-z0-9+.-]+:/i;

/**
 * The database `NAME=value` points at, judged by what the name says: a `.env` line, a compose
 * `environment:` entry, `process.env.NAME = value`, a `NAME: value` key of a test runner's `env`.
 * A scheme-less value is a file only under a name that names a file or URL; credentials and
 * values still holding a `${VAR}` are never locations.
 */
export function parseEnvAssignment(name: string, value: string): DatabaseLocation | undefined {
  if (hasUnresolvedVariable(value)) return undefined;
  const { role, dbNamed } = classifyEnvName(name);
  if (role === 'never') return undefined;
  const lenient = (role === 'location' && dbNamed) || (role === 'database' && looksLikePath(value));
  const location = parseDatabaseLocation(value, { lenient });
  if (!location) return undefined;
  if (SCHEME.test(value.trim())) {
    // A server URL under an unrelated name (`SENTRY_URL`, `REDIS_URL` with a known scheme) is not the application's database.
    return location.kind === 'server' && !dbNamed && role !== 'location' ? undefined : location;
  }
  return role === 'location' || role === 'database' ? location : undefined;
}

const DB_NAME_WORDS = new Set(['db', 'database', 'sqlite']);

/**
 * What a code name (`dbPath`, `test_db`, `databaseUrl`) says it holds, word by word so that
 * `normalizedB` or `mongodb` do not read as "db": `file` (`dbPath`, `sqlite_file`), `url`
 * (`databaseUrl`, `db_dsn`), `bare` (`db`, `testDb`), or nothing.
 */
export function codeNameKind(name: string): 'file' | 'url' | 'bare' | undefined {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/_+/).filter((w) => w !== '');
  // `dbFileName` is `db` + `filename`
  if (words.length > 2 && words[words.length - 2] === 'file' && words[words.length - 1] === 'name') words.splice(-2, 2, 'filename');
  const last = words[words.length - 1] ?? '';
  if (DB_NAME_WORDS.has(last)) return 'bare';
  if (!DB_NAME_WORDS.has(words[words.length - 2] ?? '')) return undefined;
  if (/^(?:path|file|filename|location)$/.test(last)) return 'file';
  return /^(?:url|uri|dsn)$/.test(last) ? 'url' : undefined;
}

/**
 * How a value's position says to read a bare name (no scheme, no database extension):
 * `file` any name is a file path; `pathLike` only one with a folder in it; `plain` none;
 * `never` the value is not a location at all (a credential, a server database name).
 */
export type Reading = 'file' | 'pathLike' | 'plain' | 'never';

/** `UPPER_CASE` names are environment variables wherever they appear (a key, a constant, `process.env`). */
export const UPPER_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** The reading of a value assigned to an environment-variable name: the TS and Python detectors share it. */
export function readingOfEnvName(name: string): Reading {
  const { role, dbNamed } = classifyEnvName(name);
  if (role === 'never') return 'never';
  if (role === 'location') return dbNamed ? 'file' : 'plain';
  return role === 'database' ? 'pathLike' : 'plain';
}
