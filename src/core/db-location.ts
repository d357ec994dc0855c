import { posix } from 'node:path';
import picomatch from 'picomatch';
import { SQL_HOLE } from './sql/lexer.js';

/**
 * Where a database lives, normalised so that two spellings of one database compare equal:
 * `sqlite:///./kanban.db`, `./kanban.db` and `kanban.db` are one file; `postgres://u:p@localhost/app`
 * and `postgres://localhost:5432/app` are one server database.
 */
export type DatabaseLocation =
  | {
      kind: 'file';
      /** POSIX, `.` and `..` resolved, no leading `./`; relative paths are relative to the project root. */
      path: string;
    }
  | {
      kind: 'server';
      /** `postgres`, `mysql`, `mongodb`, `mssql`, or the scheme itself for other engines. */
      engine: string;
      /** Lower-case; `127.0.0.1`, `::1` and `localhost` are one host. Several hosts are sorted and joined by `,`. */
      host: string;
      /** Explicit or the engine's default; `undefined` when neither is known (or for several hosts). */
      port?: string;
      /** `undefined` when the URL names none. */
      database?: string;
    };

export interface ParseOptions {
  /**
   * Accept any scheme-less string as a file path, not only names ending in `.db`/`.sqlite`/`.sqlite3`.
   * For values whose position already says "database location": a `storage:` option, `DB_PATH=`.
   */
  lenient?: boolean;
}

const ENGINES: Record<string, { engine: string; port?: string }> = {
  postgres: { engine: 'postgres', port: '5432' },
  postgresql: { engine: 'postgres', port: '5432' },
  pgsql: { engine: 'postgres', port: '5432' },
  pg: { engine: 'postgres', port: '5432' },
  cockroachdb: { engine: 'postgres', port: '26257' },
  mysql: { engine: 'mysql', port: '3306' },
  mysql2: { engine: 'mysql', port: '3306' },
  mariadb: { engine: 'mysql', port: '3306' },
  mongodb: { engine: 'mongodb', port: '27017' },
  // SRV records resolve the hosts and ports, so no default port applies.
  'mongodb+srv': { engine: 'mongodb' },
  mssql: { engine: 'mssql', port: '1433' },
  sqlserver: { engine: 'mssql', port: '1433' },
  oracle: { engine: 'oracle', port: '1521' },
  redshift: { engine: 'redshift', port: '5439' },
  clickhouse: { engine: 'clickhouse' },
  libsql: { engine: 'libsql' },
};

const FILE_EXTENSION = /\.(?:db|sqlite|sqlite3|db3|s3db|sl3)$/i;
const LOCALHOST = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);
const IN_MEMORY = /^(?::memory:|)$/i;

/** SQLAlchemy adds a driver (`postgresql+asyncpg`, `sqlite+aiosqlite`); only the dialect names the engine. */
function baseScheme(scheme: string): string {
  const lower = scheme.toLowerCase();
  return lower === 'mongodb+srv' ? lower : lower.replace(/\+.*$/, '');
}

function isInMemoryQuery(query: string): boolean {
  return /(?:^|&)mode=memory(?:&|$)/i.test(query);
}

/** Resolves `.` and `..`, turns `\` into `/` and drops `./`; a path that climbs out of a relative root keeps its `..`. */
export function normalizeDatabasePath(path: string): string {
  let text = path.replace(/\\/g, '/');
  let root = '';
  const drive = /^([a-zA-Z]):\//.exec(text);
  if (drive) {
    root = `${drive[1]!.toLowerCase()}:/`;
    text = text.slice(3);
  } else if (text.startsWith('/')) {
    root = '/';
  }
  const out: string[] = [];
  for (const segment of text.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!root) out.push('..');
    } else {
      out.push(segment);
    }
  }
  return root + out.join('/');
}

function fileLocation(path: string): DatabaseLocation | undefined {
  if (IN_MEMORY.test(path) || path.includes(SQL_HOLE)) return undefined;
  const normalized = normalizeDatabasePath(path);
  return normalized === '' || normalized === '/' ? undefined : { kind: 'file', path: normalized };
}

function splitQuery(text: string): [string, string] {
  const index = text.search(/[?#]/);
  return index === -1 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

/**
 * `sqlite:///rel.db` (SQLAlchemy: three slashes, relative), `sqlite:////abs.db` (four, absolute),
 * `sqlite://./rel.db`, `sqlite:rel.db` (Sequelize, TypeORM), `sqlite::memory:`.
 */
function parseSqliteUrl(rest: string): DatabaseLocation | undefined {
  const [body, query] = splitQuery(rest);
  if (isInMemoryQuery(query)) return undefined;
  let path = body;
  if (path.startsWith('//')) {
    path = path.slice(2);
    if (path.startsWith('/')) path = path.slice(1);
  }
  return fileLocation(path);
}

/** `file:./dev.db` (Prisma, libSQL), `file:///abs/dev.db`, `file::memory:?cache=shared`. */
function parseFileUrl(rest: string, lenient: boolean): DatabaseLocation | undefined {
  const [body, query] = splitQuery(rest);
  if (isInMemoryQuery(query) || body.startsWith(':memory:')) return undefined;
  let path = body;
  if (path.startsWith('//')) {
    // `file://host/path`: only the local host is a file we can name.
    const slash = path.indexOf('/', 2);
    const host = slash === -1 ? path.slice(2) : path.slice(2, slash);
    if (host !== '' && !LOCALHOST.has(host.toLowerCase())) return undefined;
    path = slash === -1 ? '' : path.slice(slash);
  }
  // `file:` URLs name every kind of file (`import.meta.url`); only database files count unless the position says so.
  if (!lenient && !FILE_EXTENSION.test(path)) return undefined;
  return fileLocation(safeDecode(path));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function normalizeHost(host: string, defaultPort: string | undefined): { host: string; port?: string } | undefined {
  const m = /^(\[[^\]]*\]|[^:]*)(?::([^:]*))?$/.exec(host);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  const port = m[2] === undefined || m[2] === '' ? defaultPort : m[2];
  if (name === '' || (port !== undefined && !/^(?:\d+|[*?{}\w,]+)$/.test(port))) return undefined;
  return { host: LOCALHOST.has(name) ? 'localhost' : name, ...(port === undefined ? {} : { port }) };
}

/** `scheme://[user[:password]@]host[:port][,host2…]/[database][?query]`; user, password and query are ignored. */
function parseServerUrl(scheme: string, rest: string): DatabaseLocation | undefined {
  const known = ENGINES[scheme];
  if (!known || !rest.startsWith('//')) return undefined;
  const [body] = splitQuery(rest.slice(2));
  const slash = body.indexOf('/');
  const authority = slash === -1 ? body : body.slice(0, slash);
  const path = slash === -1 ? '' : body.slice(slash + 1);
  const hostPart = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPart.includes(SQL_HOLE) || path.includes(SQL_HOLE)) return undefined;
  const hosts = hostPart.split(',').map((h) => normalizeHost(h, known.port));
  if (hosts.length === 0 || hosts.some((h) => h === undefined)) return undefined;
  const database = safeDecode(path.replace(/\/+$/, '')) || undefined;
  if (hosts.length === 1) {
    const [only] = hosts as { host: string; port?: string }[];
    return { kind: 'server', engine: known.engine, host: only!.host, ...(only!.port === undefined ? {} : { port: only!.port }), ...(database === undefined ? {} : { database }) };
  }
  const joined = (hosts as { host: string; port?: string }[]).map((h) => (h.port ? `${h.host}:${h.port}` : h.host)).sort().join(',');
  return { kind: 'server', engine: known.engine, host: joined, ...(database === undefined ? {} : { database }) };
}

/**
 * The database a string names, or `undefined` when it names none (or an in-memory one, which is
 * a fresh empty database every time and so never "the same" as another).
 *
 * Recognises SQLite URLs in SQLAlchemy, Sequelize and TypeORM spellings, `file:` URLs (Prisma,
 * libSQL), plain paths ending in `.db`/`.sqlite`/`.sqlite3`, server URLs (`postgres://`,
 * `mysql://`, `mongodb://`, `mongodb+srv://`, `mssql://`…, also with a SQLAlchemy driver or a
 * `jdbc:` prefix), ignoring credentials and query parameters.
 */
export function parseDatabaseLocation(text: string, { lenient = false }: ParseOptions = {}): DatabaseLocation | undefined {
  const value = text.trim().replace(/^jdbc:/i, '');
  if (value === '' || /\s/.test(value)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(value);
  // `C:\data\kanban.db` is a path, not a URL with scheme `c`.
  if (scheme && scheme[1]!.length > 1) {
    const name = baseScheme(scheme[1]!);
    const rest = scheme[2]!;
    if (/^sqlite\d?$/.test(name)) return parseSqliteUrl(rest);
    if (name === 'file') return parseFileUrl(rest, lenient);
    return parseServerUrl(name, rest);
  }
  if (IN_MEMORY.test(value) || value.startsWith(':memory:')) return undefined;
  if (!lenient && !FILE_EXTENSION.test(splitQuery(value)[0])) return undefined;
  return fileLocation(splitQuery(value)[0]);
}

/** `true` for `:memory:`, `sqlite://`, `sqlite:///:memory:`, `file::memory:?cache=shared`, `file:x?mode=memory`. */
export function isInMemoryDatabase(text: string): boolean {
  const value = text.trim().replace(/^jdbc:/i, '');
  if (/^:memory:/i.test(value)) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(value);
  if (!scheme) return false;
  const name = baseScheme(scheme[1]!);
  if (!/^sqlite\d?$/.test(name) && name !== 'file') return false;
  const [body, query] = splitQuery(scheme[2]!);
  return isInMemoryQuery(query) || /^(?:\/\/\/?)?(?::memory:)?$/i.test(body);
}

/** One canonical spelling, without credentials: `kanban.db`, `postgres://localhost:5432/app`. */
export function formatDatabaseLocation(location: DatabaseLocation): string {
  if (location.kind === 'file') return location.path;
  const port = location.port === undefined ? '' : `:${location.port}`;
  return `${location.engine}://${location.host}${port}/${location.database ?? ''}`;
}

function toLocation(value: string | DatabaseLocation): DatabaseLocation | undefined {
  return typeof value === 'string' ? parseDatabaseLocation(value, { lenient: true }) : value;
}

/**
 * Whether two locations are one database. A relative and an absolute path are not the same file
 * here: which directory the relative one is relative to is unknown, so only a glob can say it.
 */
export function sameDatabase(a: string | DatabaseLocation, b: string | DatabaseLocation): boolean {
  const left = toLocation(a);
  const right = toLocation(b);
  if (!left || !right || left.kind !== right.kind) return false;
  if (left.kind === 'file' || right.kind === 'file') return left.kind === 'file' && right.kind === 'file' && left.path === right.path;
  return left.engine === right.engine && left.host === right.host && left.port === right.port && left.database === right.database;
}

/** A test database next to the production one: `data/test_kanban.db`, `postgres://…/app_test`. */
export function suggestTestDatabase(location: DatabaseLocation): string {
  if (location.kind === 'file') {
    const slash = location.path.lastIndexOf('/');
    return `${location.path.slice(0, slash + 1)}test_${location.path.slice(slash + 1)}`;
  }
  return formatDatabaseLocation({ ...location, database: `${location.database ?? 'app'}_test` });
}

/** The test database a message offers: the file or database next to the production one, or `:memory:` for a file. */
export function describeTestDatabase(location: DatabaseLocation): string {
  const test = suggestTestDatabase(location);
  return location.kind === 'file' ? `\`${test}\` or \`:memory:\`` : `\`${test}\``;
}

/**
 * A string literal's source text (`raw`, quotes included) edited to name the test database next to
 * `location`, or `undefined` when the name is not written once, plainly, in it. `quotes` are the
 * characters that can close the literal in its language, after the database name.
 */
export function renameToTestDatabase(raw: string, location: DatabaseLocation, quotes: string): string | undefined {
  if (location.kind === 'file') {
    const base = posix.basename(location.path);
    const at = raw.lastIndexOf(base);
    return at > 0 && raw.indexOf(base) === at ? `${raw.slice(0, at)}test_${raw.slice(at)}` : undefined;
  }
  if (!location.database) return undefined;
  const m = new RegExp(`/${location.database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[?${quotes}]|$)`).exec(raw);
  return m ? `${raw.slice(0, m.index)}/${location.database}_test${raw.slice(m.index + m[0].length)}` : undefined;
}

const HOST_GLOB = /[*?{}]/;

function componentMatcher(pattern: string | undefined, isGlob: boolean): (value: string | undefined) => boolean {
  if (pattern === undefined) return () => true;
  if (!isGlob) return (value) => value === pattern;
  const match = picomatch(pattern, { dot: true });
  return (value) => value !== undefined && match(value);
}

function compilePattern(pattern: string): ((location: DatabaseLocation) => boolean) | undefined {
  const parsed = parseDatabaseLocation(pattern, { lenient: true });
  if (!parsed) return undefined;
  if (parsed.kind === 'file') {
    const matchPath = componentMatcher(parsed.path, picomatch.scan(parsed.path).isGlob);
    return (location) => location.kind === 'file' && matchPath(location.path);
  }
  const host = componentMatcher(parsed.host, HOST_GLOB.test(parsed.host));
  const port = componentMatcher(parsed.port, parsed.port !== undefined && HOST_GLOB.test(parsed.port));
  // A pattern without a database name means every database on that server.
  const database = componentMatcher(parsed.database, parsed.database !== undefined && HOST_GLOB.test(parsed.database));
  return (location) => location.kind === 'server' && location.engine === parsed.engine && host(location.host) && port(location.port) && database(location.database);
}

/**
 * A matcher for configured production locations: paths, URLs or globs (`**\/kanban.db`,
 * `postgres://*.internal/app`), each normalised like `parseDatabaseLocation`. It returns the
 * pattern that matched, for messages. Patterns that name no database are ignored.
 */
export function createDatabaseMatcher(patterns: readonly string[]): (location: DatabaseLocation) => string | undefined {
  const compiled = patterns.flatMap((pattern) => {
    const test = compilePattern(pattern);
    return test ? [{ pattern, test }] : [];
  });
  return (location) => compiled.find((c) => c.test(location))?.pattern;
}
