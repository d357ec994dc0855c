import { posix } from 'node:path';
import type { Finding, LocationFact, PythonInput, Suggestion } from '../../src/core/types.js';
import { createDatabaseMatcher, describeTestDatabase, formatDatabaseLocation, parseDatabaseLocation, renameToTestDatabase, suggestTestDatabase, type DatabaseLocation } from '../../src/core/db-location.js';
import { isOutsideTestBy } from '../../src/core/env-branches.js';
import { isTestRole } from '../../src/core/file-role.js';
import { createLocator } from '../../src/core/location.js';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';
import { evaluatePythonEnvCondition, getEnvVariableRead, getPythonExecutionContext } from '../../src/core/python/context.js';
import { getPyStaticString, getPyStaticValue, resolveName, stringPrefix } from '../../src/core/python/static.js';
import {
  bodyOf,
  calleeName,
  className,
  describePy,
  getPyModule,
  isDocstringPosition,
  keywordArgument,
  keywordArguments,
  memoize,
  operatorOf,
  positionalArguments,
  receiverOf,
  superclassesOf,
  textOf,
  unwrap,
  type PyModule,
  type PyNode,
} from '../../src/core/python/syntax.js';
import type { Options } from './no-test-prod-database.js';
import { classifyEnvName, codeNameKind, looksLikePath, parseEnvAssignment, readingOfEnvName, UPPER_NAME, type Reading } from './env-name.js';

/** Keywords and keys whose value is a database file even without a `.db` extension. */
const FILE_KEYS = /^(?:db_path|db_file|database_path|database_file|sqlite_path|sqlite_file)$/i;
/** `database=`, Django's `'NAME'`: the SQLite file, or the name of a database on a server (see `optionReading`). */
const NAME_KEYS = /^(?:database|db_name|dbname|name)$/i;
/** Pony's `filename=`: the file with `provider='sqlite'`, and anything at all elsewhere (`logging.basicConfig(filename=…)`). */
const SQLITE_ONLY_KEYS = /^(?:storage|filename)$/i;
/** Keywords and keys that hand a location to a driver or ORM: the module opens what it puts there. */
const OPENING_KEYS = /^(?:database|db|dbname|db_name|storage|filename|db_path|db_file|database_path|database_file|sqlite_path|sqlite_file|url|uri|db_url|database_url|dsn|connection_string|host)$/i;
/** `create_engine(url)`, `sqlite3.connect(path)`, `SqliteDatabase(path)`, `MongoClient(url)`, `Tortoise.init(db_url=…)`. */
const OPENING_CALLS = /^(?:create_engine|create_async_engine|engine_from_config|connect|[A-Za-z]*Database|MongoClient|AsyncIOMotorClient|init|register_tortoise|Connection)$/;
const SQLITE_DRIVER = /sqlite|duckdb/i;
/** Drivers whose `connect()` reaches a server: their first argument is a host or a DSN, never a file. */
const SERVER_DRIVER = /psycopg|asyncpg|pg8000|pymysql|MySQLdb|mysql|mariadb|pymongo|mongo|motor|oracledb|cx_Oracle|pyodbc|pymssql|redis/i;
const SERVER_KEYS = /^(?:host|user|username|password|passwd|port|unix_socket)$/i;
/** `DATABASE_URL=./kanban.db pytest` in a command line. */
const ENV_ASSIGNMENT_IN_TEXT = /(?:^|[\s;'"])((?:[A-Z0-9]+_)*(?:DATABASE|DB|SQLITE|POSTGRES|MYSQL|MONGO)[A-Z0-9_]*)=(["']?)([^\s"']+)\2/g;
/** Calls that only look at or print a value: the recommended `assert url != PRODUCTION_URL` guard among them. */
const INSPECTING_CALLS = /^(?:print|log|debug|info|warning|warn|error|exception|critical|fatal|startswith|endswith|find|index|count|assert\w*|fail|skip|xfail|exists|isfile|isdir|getsize|stat|match|search|fullmatch|isinstance|[A-Z]\w*(?:Error|Exception|Warning))$/;
const IGNORING_KEY = /ignore|exclude|description|message|title|label|help/i;
const PATH_BUILDERS = /^(?:join|Path|PurePath|PosixPath|joinpath)$/;
/** Readers whose second argument (or `default=`) is only used when the variable is unset. */
const ENV_READERS = /^(?:getenv|get|config|env|str|setdefault)$/;


interface Candidate {
  node: PyNode;
  location: DatabaseLocation;
  shown: string;
}

/** Climbs through wrappers that hand a value on unchanged: parentheses, `a or b`, `a if c else b`. */
function outerPosition(node: PyNode): PyNode {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (parent.type === 'parenthesized_expression') current = parent;
    else if (parent.type === 'boolean_operator' && parent.children[1] === current) current = parent;
    else if (parent.type === 'conditional_expression' && parent.children[1] !== current) current = parent;
    else return current;
  }
}

/** `Path(__file__).parent`, `os.path.dirname(os.path.abspath(__file__))`, `BASE_DIR`: the folder a path is built from. */
function pathBase(module: PyModule, node: PyNode, file: string, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const expr = unwrap(node);
  const text = textOf(module, expr);
  if (text === '__file__') return file;
  if (expr.type === 'identifier') {
    const bound = resolveName(module, expr);
    return bound ? pathBase(module, bound, file, depth + 1) : undefined;
  }
  if (expr.type === 'attribute') {
    const name = textOf(module, expr.children[1]!);
    const base = pathBase(module, expr.children[0]!, file, depth + 1);
    if (base === undefined) return undefined;
    return name === 'parent' ? posix.dirname(base) : undefined;
  }
  if (expr.type === 'call') {
    const name = calleeName(module, expr) ?? '';
    const receiver = receiverOf(expr);
    const args = positionalArguments(expr);
    if (/^(?:getcwd|cwd)$/.test(name) && args.length === 0) return '.';
    if (/^(?:resolve|absolute|expanduser)$/.test(name) && receiver) return pathBase(module, receiver, file, depth + 1);
    if (/^(?:abspath|realpath|normpath|Path|PurePath|str|fspath)$/.test(name) && args.length === 1) return pathBase(module, args[0]!, file, depth + 1);
    if (name === 'dirname' && args.length === 1) {
      const inner = pathBase(module, args[0]!, file, depth + 1);
      return inner === undefined ? undefined : posix.dirname(inner);
    }
    if (PATH_BUILDERS.test(name) && args.length > 0) return builtPath(module, expr, file, depth + 1);
    return undefined;
  }
  if (expr.type === 'binary_operator' && operatorOf(module, expr) === '/') return builtPath(module, expr, file, depth + 1);
  const value = getPyStaticValue(module, expr);
  return value?.kind === 'string' && !value.hasHoles ? value.value : undefined;
}

/** The project-relative path a builder produces when every part is known: `os.path.join(BASE_DIR, "kanban.db")`, `BASE_DIR / "db.sqlite3"`. */
function builtPath(module: PyModule, node: PyNode, file: string, depth = 0): string | undefined {
  const expr = unwrap(node);
  let parts: PyNode[];
  if (expr.type === 'binary_operator') parts = [expr.children[0]!, expr.children[1]!];
  else if (calleeName(module, expr) === 'joinpath' && receiverOf(expr)) parts = [receiverOf(expr)!, ...positionalArguments(expr)];
  else parts = positionalArguments(expr);
  const values = parts.map((p) => pathBase(module, p, file, depth + 1));
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  return (values as string[]).reduce((acc, part) => (part.startsWith('/') ? part : posix.join(acc, part)));
}

function isPathBuilder(module: PyModule, node: PyNode): boolean {
  if (node.type === 'call') return PATH_BUILDERS.test(calleeName(module, node) ?? '') && (calleeName(module, node) !== 'join' || /(?:^|\.)path$/.test(receiverOf(node) ? describePy(module, receiverOf(node)!) : ''));
  return node.type === 'binary_operator' && operatorOf(module, node) === '/';
}


/** `db_path`, `database_url`: a bare value is a file; `db`, `test_db`: only one with a folder in it. */
function readingOfVariable(name: string): Reading {
  if (UPPER_NAME.test(name)) return readingOfEnvName(name);
  const kind = codeNameKind(name);
  return kind === 'file' || kind === 'url' ? 'file' : kind === 'bare' ? 'pathLike' : 'plain';
}

/** Whether a name says it holds the database's location: `DATABASE_URL`, `SQLALCHEMY_DATABASE_URI`, `db_path`, `settings.database_url`. */
function isLocationName(name: string): boolean {
  if (UPPER_NAME.test(name)) {
    const { role, dbNamed } = classifyEnvName(name);
    return (role === 'location' && dbNamed) || role === 'database';
  }
  return codeNameKind(name) !== undefined;
}

/** How the first argument of `connect(…)` reads: a file for `sqlite3`, a host or DSN for server drivers. */
function connectReading(module: PyModule, call: PyNode): Reading {
  const receiver = receiverOf(call);
  const owner = receiver ? describePy(module, receiver) : '';
  if (SQLITE_DRIVER.test(owner)) return 'file';
  return SERVER_DRIVER.test(owner) ? 'plain' : 'pathLike';
}

/**
 * `database=`/`'NAME':` is the file for SQLite (`sqlite3.connect(database=…)`, Django's sqlite3
 * `ENGINE`) and a server database's name next to `host`, `user` or another `ENGINE`.
 * `filename=`/`storage=` are the file for SQLite and an ordinary file elsewhere.
 */
function optionReading(module: PyModule, key: string, siblings: readonly [string, PyNode][], callee: string): Reading {
  const engine = siblings.find(([name]) => /^(?:ENGINE|engine|provider|dialect|driver)$/.test(name));
  const engineName = engine ? (getPyStaticString(module, engine[1]) ?? '') : '';
  if (SQLITE_DRIVER.test(engineName) || (!engine && SQLITE_DRIVER.test(callee))) return 'file';
  if (SQLITE_ONLY_KEYS.test(key)) return 'plain';
  if (engine || SERVER_DRIVER.test(callee) || siblings.some(([name]) => SERVER_KEYS.test(name))) return 'never';
  return 'pathLike';
}

function pairsOf(module: PyModule, dictionary: PyNode): [string, PyNode][] {
  return dictionary.children.flatMap((pair) => {
    const key = pair.type === 'pair' && pair.children[0] ? getPyStaticString(module, pair.children[0]) : undefined;
    return key !== undefined && pair.children[1] ? [[key, pair.children[1]] as [string, PyNode]] : [];
  });
}

/** What the position of a value says about a bare name in it. */
function locationReading(module: PyModule, node: PyNode): Reading {
  const position = outerPosition(node);
  const parent = position.parent;
  if (!parent) return 'plain';
  if (parent.type === 'keyword_argument' && parent.children[1] === position) {
    const key = textOf(module, parent.children[0]!);
    const call = parent.parent?.parent;
    if ((NAME_KEYS.test(key) || SQLITE_ONLY_KEYS.test(key)) && call?.type === 'call') return optionReading(module, key, [...keywordArguments(module, call)], describePy(module, call.children[0]!));
    if (FILE_KEYS.test(key)) return 'file';
    return UPPER_NAME.test(key) ? readingOfEnvName(key) : 'plain';
  }
  if (parent.type === 'pair' && parent.children[1] === position) {
    const key = getPyStaticString(module, parent.children[0]!);
    if (key === undefined) return 'plain';
    if ((NAME_KEYS.test(key) || SQLITE_ONLY_KEYS.test(key)) && parent.parent) return optionReading(module, key, pairsOf(module, parent.parent), '');
    if (FILE_KEYS.test(key)) return 'file';
    return UPPER_NAME.test(key) ? readingOfEnvName(key) : 'plain';
  }
  if (parent.type === 'assignment' && parent.children[parent.children.length - 1] === position) {
    const target = parent.children[0]!;
    if (target.type === 'subscript' && /(?:^|\.)environ$/.test(describePy(module, target.children[0]!))) {
      const key = target.children[1] && getPyStaticString(module, target.children[1]);
      return key === undefined ? 'plain' : readingOfEnvName(key);
    }
    return readingOfVariable(describePy(module, target).split('.').pop() ?? '');
  }
  if (parent.type === 'argument_list' && positionalArguments(parent.parent!)[0] === position) {
    const name = calleeName(module, parent.parent!) ?? '';
    if (name === 'connect') return connectReading(module, parent.parent!);
    if (/^(?:SqliteDatabase|SqliteExtDatabase|Database)$/.test(name)) return 'file';
  }
  // `os.environ.setdefault("DATABASE_URL", "./kanban.db")`
  if (parent.type === 'argument_list' && positionalArguments(parent.parent!)[1] === position && calleeName(module, parent.parent!) === 'setdefault') {
    const key = getPyStaticString(module, positionalArguments(parent.parent!)[0]!);
    return key === undefined ? 'plain' : readingOfEnvName(key);
  }
  return 'plain';
}

/** A string whose f-string holes are folder expressions (`f"sqlite:///{BASE_DIR}/app.db"`) is read with the folder filled in. */
function stringWithPaths(module: PyModule, node: PyNode, file: string): string | undefined {
  if (node.type !== 'string' || !stringPrefix(module, node).includes('f')) return undefined;
  let value = '';
  for (const part of node.children) {
    if (part.type === 'string_content') value += textOf(module, part).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    else if (part.type === 'interpolation') {
      const base = part.children.length === 1 ? pathBase(module, part.children[0]!, file) : undefined;
      value += base ?? SQL_HOLE;
    }
  }
  return value;
}

function shownValue(value: string, location: DatabaseLocation): string {
  return location.kind === 'server' ? formatDatabaseLocation(location) : value;
}

function isLenient(text: string, reading: Reading): boolean {
  return reading === 'file' || (reading === 'pathLike' && looksLikePath(text));
}

function getCandidate(module: PyModule, node: PyNode, file: string): Candidate | undefined {
  const reading = locationReading(module, node);
  if (reading === 'never') return undefined;
  if (node.type !== 'string' && node.type !== 'concatenated_string' && isPathBuilder(module, node)) {
    const path = builtPath(module, node, file);
    const location = path === undefined ? undefined : parseDatabaseLocation(path, { lenient: isLenient(path, reading) || /\.(?:db|sqlite3?)$/i.test(path) });
    return location && { node, location, shown: path! };
  }
  const value = getPyStaticValue(module, node);
  if (value?.kind !== 'string') return undefined;
  const text = value.hasHoles ? (stringWithPaths(module, node, file) ?? value.value) : value.value;
  const location = parseDatabaseLocation(text, { lenient: isLenient(text, reading) });
  if (location) return { node, location, shown: shownValue(text, location) };
  for (const m of text.matchAll(ENV_ASSIGNMENT_IN_TEXT)) {
    const assigned = parseEnvAssignment(m[1]!, m[3]!);
    if (assigned) return { node, location: assigned, shown: shownValue(m[3]!, assigned) };
  }
  return undefined;
}

/** Only the outermost expression of a value is checked: `"sqlite:///" + name` once, not its parts. */
function isValueRoot(module: PyModule, node: PyNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (node.type === 'string' || node.type === 'concatenated_string') {
    if (node.type === 'string' && parent.type === 'concatenated_string') return false;
    if (isDocstringPosition(node) || parent.type === 'interpolation') return false;
    if (parent.type === 'binary_operator' && operatorOf(module, parent) === '+') return false;
    if (parent.type === 'pair' && parent.children[0] === node) return false;
    if (parent.type === 'subscript' && parent.children[0] !== node) return false;
    if (isPathBuilder(module, parent) || (parent.type === 'argument_list' && parent.parent && isPathBuilder(module, parent.parent))) return false;
    return true;
  }
  if (node.type === 'binary_operator' && operatorOf(module, node) === '+') {
    return !(parent.type === 'binary_operator' && operatorOf(module, parent) === '+');
  }
  if (isPathBuilder(module, node)) {
    const outer = parent.type === 'argument_list' ? parent.parent : parent;
    return !(outer && isPathBuilder(module, outer)) && !(parent.type === 'attribute');
  }
  return false;
}

/**
 * A value that is looked at rather than used: compared, asserted, logged, raised, listed to be
 * ignored. This keeps the recommended guard (`assert engine.url != PRODUCTION_URL`) silent.
 */
function isInspectedOnly(module: PyModule, node: PyNode): boolean {
  let position = outerPosition(node);
  if (/^(?:list|tuple|set)$/.test(position.parent?.type ?? '')) position = outerPosition(position.parent!);
  const parent = position.parent;
  if (!parent) return false;
  if (parent.type === 'comparison_operator' || parent.type === 'assert_statement' || parent.type === 'raise_statement') return true;
  if (parent.type === 'attribute' && parent.children[0] === position) {
    const call = parent.parent;
    return call?.type === 'call' && INSPECTING_CALLS.test(textOf(module, parent.children[1]!));
  }
  if (parent.type === 'argument_list' || parent.type === 'keyword_argument') {
    const call = parent.type === 'argument_list' ? parent.parent : parent.parent?.parent;
    const name = call?.type === 'call' ? calleeName(module, call) : undefined;
    if (parent.type === 'keyword_argument' && IGNORING_KEY.test(textOf(module, parent.children[0]!))) return true;
    return name !== undefined && INSPECTING_CALLS.test(name);
  }
  if (parent.type === 'pair' && parent.children[1] === position) {
    const key = getPyStaticString(module, parent.children[0]!);
    return key !== undefined && IGNORING_KEY.test(key);
  }
  return false;
}

/** In a test file, the branch of `TEST_URL if TESTING else PROD_URL` that is not the test branch. */
function isOutsideTestBranch(module: PyModule, node: PyNode): boolean {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    let branches: ReturnType<typeof evaluatePythonEnvCondition> | undefined;
    let mine: 'whenTrue' | 'whenFalse' | undefined;
    if ((current.type === 'if_statement' || current.type === 'elif_clause') && child !== current.children[0] && current.children[0]) {
      branches = evaluatePythonEnvCondition(module, current.children[0]);
      mine = child === current.children[1] ? 'whenTrue' : 'whenFalse';
    } else if (current.type === 'conditional_expression' && child !== current.children[1] && current.children[1]) {
      branches = evaluatePythonEnvCondition(module, current.children[1]);
      mine = child === current.children[0] ? 'whenTrue' : 'whenFalse';
    } else if (current.type === 'boolean_operator' && child === current.children[1] && current.children[0]) {
      branches = evaluatePythonEnvCondition(module, current.children[0]);
      mine = operatorOf(module, current) === 'and' ? 'whenTrue' : 'whenFalse';
    }
    const outside = branches && mine ? isOutsideTestBy(branches, mine) : undefined;
    if (outside !== undefined) return outside;
  }
  return false;
}

function isInTestCode(module: PyModule, node: PyNode, input: PythonInput): boolean {
  if (isTestRole(input.role)) return !isOutsideTestBranch(module, node);
  return getPythonExecutionContext(module, node, input.role) === 'test';
}

/** `PRODUCTION_URL = "sqlite:///./kanban.db"` in a conftest only counts when test code uses the name as a location. */
function isOnlyInspected(module: PyModule, target: PyNode, input: PythonInput): boolean {
  if (target.type !== 'identifier') return false;
  const name = textOf(module, target);
  const references = module.nodes.filter((n) => n.type === 'identifier' && n !== target && textOf(module, n) === name && !(n.parent?.type === 'attribute' && n.parent.children[1] === n) && !(n.parent?.type === 'keyword_argument' && n.parent.children[0] === n));
  if (references.length === 0) return /prod|live/i.test(name);
  return references.every((reference) => isInspectedOnly(module, reference) || !isInTestCode(module, reference, input));
}

function declaredTarget(node: PyNode): PyNode | undefined {
  const parent = outerPosition(node).parent;
  return parent?.type === 'assignment' && parent.children[parent.children.length - 1] === outerPosition(node) ? parent.children[0] : undefined;
}

function envPrefixOf(module: PyModule, cls: PyNode): string {
  return memoize(module, `tpd:envPrefix:${cls.index}`, () => {
    for (let i = cls.index; i <= cls.last; i++) {
      const node = module.nodes[i]!;
      const isPrefix = (node.type === 'keyword_argument' && textOf(module, node.children[0]!) === 'env_prefix') || (node.type === 'assignment' && textOf(module, node.children[0]!) === 'env_prefix');
      if (isPrefix) {
        const value = getPyStaticString(module, node.children[node.children.length - 1]!);
        if (value !== undefined) return value;
      }
    }
    return '';
  });
}

/**
 * The variable a literal is only the fallback for: `os.getenv("DATABASE_URL", "sqlite:///./kanban.db")`,
 * `os.environ.get(…)`, `config("DATABASE_URL", default=…)`, `os.getenv("X") or "…"`, a pydantic
 * `Settings` field default (`database_url: str = "…"` → `DATABASE_URL`), a parameter default.
 */
function envFallbackOf(module: PyModule, node: PyNode): string | undefined {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'parenthesized_expression') continue;
    if (parent.type === 'boolean_operator' && parent.children[1] === child) {
      const left = parent.children[0]!;
      return getEnvVariableRead(module, left) ?? describePy(module, left);
    }
    if (parent.type === 'argument_list') {
      const call = parent.parent!;
      const name = calleeName(module, call) ?? '';
      const args = positionalArguments(call);
      const position = args.indexOf(child);
      if (ENV_READERS.test(name) && position === 1) return getPyStaticString(module, args[0]!) ?? describePy(module, args[0]!);
      return undefined;
    }
    if (parent.type === 'keyword_argument' && textOf(module, parent.children[0]!) === 'default') {
      const call = parent.parent?.parent;
      if (call?.type !== 'call') return undefined;
      const [first] = positionalArguments(call);
      const named = keywordArgument(module, call, 'env') ?? keywordArgument(module, call, 'validation_alias') ?? keywordArgument(module, call, 'alias');
      const name = (first && getPyStaticString(module, first)) ?? (named && getPyStaticString(module, named));
      if (name) return name;
      // `dj_database_url.config(default=…)` reads `DATABASE_URL`.
      if (calleeName(module, call) === 'config' && /dj_database_url|db_url/.test(describePy(module, call.children[0]!))) return 'DATABASE_URL';
      const field = settingsFieldName(module, call);
      return field ?? 'the configured value';
    }
    if ((parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') && parent.children[parent.children.length - 1] === child) {
      return `parameter ${textOf(module, parent.children[0]!)}`;
    }
    if (parent.type === 'assignment' && parent.children[parent.children.length - 1] === child) {
      return settingsFieldName(module, parent);
    }
    return undefined;
  }
  return undefined;
}

/** `database_url: str = "…"` (or `= Field(…)`) in a pydantic `BaseSettings` class: the variable is `DATABASE_URL`. */
function settingsFieldName(module: PyModule, node: PyNode): string | undefined {
  let assignment: PyNode | undefined = node;
  while (assignment && assignment.type !== 'assignment') assignment = assignment.parent;
  const cls = assignment?.parent?.parent?.parent;
  const target = assignment?.children[0];
  if (!cls || cls.type !== 'class_definition' || target?.type !== 'identifier') return undefined;
  if (!superclassesOf(module, cls).some((b) => /(?:^|\.)BaseSettings$/.test(b))) return undefined;
  return `${envPrefixOf(module, cls)}${textOf(module, target)}`.toUpperCase();
}

function suggestionFor(module: PyModule, candidate: Candidate, testDatabase: string): Suggestion[] {
  const node = candidate.node;
  if (node.type !== 'string' || /[rbf]/.test(stringPrefix(module, node))) return [];
  const replaced = renameToTestDatabase(textOf(module, node), candidate.location, `'"`);
  return replaced === undefined ? [] : [{ messageId: 'useTestDatabase', data: { testDatabase }, fix: { range: [node.start, node.end], text: replaced } }];
}

interface Located extends Candidate {
  inTest: boolean;
}

/** Every location candidate of the file that is used (not only inspected), with its side. */
function getLocations(module: PyModule, input: PythonInput): Located[] {
  return memoize(module, `tpd:locations:${input.role}:${input.path}`, () => {
    const found: Located[] = [];
    for (const node of module.nodes) {
      if (!isValueRoot(module, node)) continue;
      const candidate = getCandidate(module, node, input.path);
      if (!candidate || isInspectedOnly(module, node)) continue;
      const inTest = isInTestCode(module, node, input);
      const target = declaredTarget(node);
      if (inTest && target && isOnlyInspected(module, target, input)) continue;
      found.push({ ...candidate, inTest });
    }
    return found;
  });
}

/** Calls whose argument is only a fallback or a wrapper of the value: `os.getenv("X", "…")`, `Field(default=…)`, `str(…)`. */
const PASS_THROUGH_CALLS = /^(?:getenv|get|config|env|str|Field|Path|fspath|abspath|realpath)$/;

/** Climbs from a literal out of env-reader defaults and wrappers to where the value ends up. */
function valuePosition(module: PyModule, node: PyNode): PyNode {
  let position = outerPosition(node);
  for (;;) {
    const parent = position.parent;
    const isDefault = parent?.type === 'keyword_argument' && parent.children[1] === position && textOf(module, parent.children[0]!) === 'default';
    const call = parent?.type === 'argument_list' ? parent.parent : isDefault ? parent.parent?.parent : undefined;
    if (call?.type !== 'call' || !PASS_THROUGH_CALLS.test(calleeName(module, call) ?? '')) return position;
    // `os.getenv("DATABASE_URL", …)`: the first argument is the variable's name, not its value.
    if (parent?.type === 'argument_list' && /^(?:getenv|get|config|env)$/.test(calleeName(module, call)!) && positionalArguments(call)[0] === position) return position;
    position = outerPosition(call);
  }
}

/**
 * Whether the module opens the location written at `node` or hands it on as its database
 * location: a driver/ORM argument or option, an environment variable, a name like
 * `DATABASE_URL`/`db_path` (module and class attributes are importable). A path only read or
 * copied (a template file) is not.
 */
function opensLocation(module: PyModule, node: PyNode, depth = 0): boolean {
  const position = valuePosition(module, node);
  const parent = position.parent;
  if (!parent) return false;
  if (parent.type === 'keyword_argument' && parent.children[1] === position) {
    const key = textOf(module, parent.children[0]!);
    const call = parent.parent?.parent;
    return OPENING_KEYS.test(key) || isLocationName(key) || (call?.type === 'call' && OPENING_CALLS.test(calleeName(module, call) ?? ''));
  }
  if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
    const call = parent.parent;
    const name = calleeName(module, call) ?? '';
    if (name === 'setdefault') {
      const key = getPyStaticString(module, positionalArguments(call)[0]!);
      return key !== undefined && isLocationName(key);
    }
    return OPENING_CALLS.test(name);
  }
  if (parent.type === 'pair' && parent.children[1] === position) {
    const key = getPyStaticString(module, parent.children[0]!);
    return key !== undefined && (key === 'NAME' || OPENING_KEYS.test(key) || isLocationName(key));
  }
  if (parent.type === 'assignment' && parent.children[parent.children.length - 1] === position) {
    const target = parent.children[0]!;
    // `os.environ["DATABASE_URL"] = …`, `app.config["SQLALCHEMY_DATABASE_URI"] = …`
    if (target.type === 'subscript') {
      const key = target.children[1] && getPyStaticString(module, target.children[1]);
      return key !== undefined && isLocationName(key);
    }
    if (isLocationName(describePy(module, target).split('.').pop() ?? '')) return true;
    // One step through a name: `TEMPLATE = "seed.db"` copied, never opened, stays out.
    if (depth > 0 || target.type !== 'identifier') return false;
    const name = textOf(module, target);
    return module.nodes.some((n) => n.type === 'identifier' && n !== target && textOf(module, n) === name && !(n.parent?.type === 'attribute' && n.parent.children[1] === n) && !(n.parent?.type === 'keyword_argument' && n.parent.children[0] === n) && opensLocation(module, n, depth + 1));
  }
  return false;
}

/**
 * Every database location the file writes down, test side and production side, for the
 * whole-repo analysis: the Python counterpart of `collectLocationFacts`.
 */
export function collectPythonLocationFacts(input: PythonInput): LocationFact[] {
  const module = getPyModule(input);
  const locate = createLocator(input.text);
  return getLocations(module, input).map((candidate) => {
    const envFallback = envFallbackOf(module, candidate.node);
    return {
      range: [candidate.node.start, candidate.node.end] as const,
      line: locate(candidate.node.start).line,
      location: candidate.location,
      shown: candidate.shown,
      inTest: candidate.inTest,
      ...(envFallback ? { envFallback } : {}),
      ...(opensLocation(module, candidate.node) ? { opens: true as const } : {}),
    };
  });
}

/**
 * With `productionDatabases` configured: test files, `conftest.py` and test-only branches that
 * use one of those locations (after normalising SQLite URLs and paths), as the TypeScript detector.
 */
export function detectPython(input: PythonInput, options: Options): Finding[] {
  const patterns = options?.[0]?.productionDatabases ?? [];
  if (patterns.length === 0) return [];
  const matchProduction = createDatabaseMatcher(patterns);
  const module = getPyModule(input);
  const findings: Finding[] = [];
  for (const candidate of getLocations(module, input)) {
    const production = matchProduction(candidate.location);
    if (!production || !candidate.inTest) continue;
    const testDatabase = describeTestDatabase(candidate.location);
    const suggestions = suggestionFor(module, candidate, suggestTestDatabase(candidate.location));
    findings.push({
      ruleId: 'no-test-prod-database',
      messageId: 'productionDatabaseInTest',
      severity: 'error',
      range: [candidate.node.start, candidate.node.end],
      data: { location: candidate.shown, production, testDatabase },
      ...(suggestions.length > 0 ? { suggestions } : {}),
    });
  }
  return findings;
}

/** `TestingConfig`, `TestConfig`, `TestSettings`, `UnitTestingConfig`: a configuration for the tests. */
const TEST_CONFIGURATION_CLASS = /Test(?:ing)?(?:Config(?:uration)?|Settings)$/;
/** `SQLALCHEMY_DATABASE_URI`, `DATABASE_URL`, `DATABASES`, `DB_PATH`, `MONGO_URI`: the setting that names the database. */
const DATABASE_SETTING = /^(?:SQLALCHEMY_DATABASE_URI|DATABASES?(?:_\w+)?|DB(?:_\w+)?|\w+_(?:DATABASE|DB)(?:_\w+)?|MONGO(?:DB)?_\w+)$/;

/**
 * The name of a top-level configuration class for the tests that sets the database itself (Flask's
 * `class TestingConfig(Config): SQLALCHEMY_DATABASE_URI = "sqlite://"`). Tests that import such a
 * module take their database from that class (CTFd's `from CTFd.config import TestingConfig`), so
 * the module's production location is not theirs.
 */
export function findTestConfigurationClass(input: PythonInput): string | undefined {
  const module = getPyModule(input);
  for (const statement of module.root.children) {
    const definition = statement.type === 'decorated_definition' ? statement.children.find((c) => c.type === 'class_definition') : statement;
    const name = definition && className(module, definition);
    if (!name || !TEST_CONFIGURATION_CLASS.test(name)) continue;
    const setsDatabase = (bodyOf(definition!)?.children ?? []).some((line) => {
      const assignment = line.type === 'expression_statement' ? line.children[0] : undefined;
      const target = assignment?.type === 'assignment' ? assignment.children[0] : undefined;
      return target?.type === 'identifier' && DATABASE_SETTING.test(textOf(module, target));
    });
    if (setsDatabase) return name;
  }
  return undefined;
}
