import { posix } from 'node:path';
import { ts } from '../../src/core/ts.js';
import { defineRule, type Finding, type LocationFact, type Suggestion, type TsInput } from '../../src/core/types.js';
import { detectProject } from './project.js';
import { describeExpression, getCalleeName, walk } from '../../src/core/ts-helpers/call.js';
import { evaluateEnvCondition, getExecutionContext } from '../../src/core/ts-helpers/execution-context.js';
import { getObjectProperty, getPropertyNameText, getStaticString, getStaticValue, skipOuterExpressions } from '../../src/core/ts-helpers/static-value.js';
import { isOutsideTestBy } from '../../src/core/env-branches.js';
import { isTestRole } from '../../src/core/file-role.js';
import {
  createDatabaseMatcher,
  describeTestDatabase,
  formatDatabaseLocation,
  parseDatabaseLocation,
  renameToTestDatabase,
  suggestTestDatabase,
  type DatabaseLocation,
} from '../../src/core/db-location.js';
import { detectPython } from './python.js';
import { classifyEnvName, codeNameKind, looksLikePath, parseEnvAssignment, readingOfEnvName, UPPER_NAME, type Reading } from './env-name.js';

export type Options = [{ productionDatabases?: string[] }];
export type MessageIds = 'productionDatabaseInTest' | 'sameAsProduction' | 'importsProductionModule' | 'useTestDatabase';

/**
 * Option keys whose value is a database file even without a `.db` extension. `database`, `storage`
 * and `filename` are not among them: they name a file only in SQLite options (see `optionReading`).
 */
const FILE_KEYS = /^(?:dbPath|dbFile|databasePath|databaseFile|sqlitePath|sqliteFile)$/;
/** Option keys that hand a location to the driver or ORM: the module opens what it puts there. */
const OPENING_KEYS = /^(?:database|storage|filename|dbPath|dbFile|databasePath|databaseFile|sqlitePath|sqliteFile|dbName|url|uri|connectionString|connectionUri|connectionUrl|connection|datasourceUrl)$/;
/** `new Database(path)`, `new Sequelize(url)`, `knex(config)`, `mongoose.connect(url)`, `new Pool({ connectionString })`. */
const OPENING_CALLS = /^(?:[A-Za-z]*Database|Sequelize|DataSource|createConnection|createPool|createClient|connect|createEngine|openDatabase|openDb|knex|Knex|Pool|Client|PrismaClient|MongoClient|drizzle|Kysely|[A-Z][A-Za-z]*Dialect|MikroORM)$/;
/** The SQLite family of TypeORM `type`s, knex `client`s, Sequelize `dialect`s. */
const SQLITE_ENGINE = /sqlite|sqljs|libsql|cordova|react-native|nativescript|expo|capacitor/i;
/** Siblings that say `database` names a database on a server: `{ socketPath, user, database }`. */
const SERVER_KEYS = ['host', 'socketPath', 'port', 'user', 'username', 'password'];
/** `DATABASE_URL=./kanban.db pytest` in a command line or an env-file string. */
const ENV_ASSIGNMENT_IN_TEXT = /(?:^|[\s;'"])((?:[A-Z0-9]+_)*(?:DATABASE|DB|SQLITE|POSTGRES|MYSQL|MONGO)[A-Z0-9_]*)=(["']?)([^\s"']+)\2/g;

const ENGINE_NAMES: Record<string, string> = {
  postgres: 'postgres', postgresql: 'postgres', pg: 'postgres', cockroachdb: 'postgres',
  mysql: 'mysql', mysql2: 'mysql', mariadb: 'mysql',
  mongodb: 'mongodb', mongo: 'mongodb', mssql: 'mssql', sqlserver: 'mssql',
};
const DEFAULT_PORTS: Record<string, string> = { postgres: '5432', mysql: '3306', mongodb: '27017', mssql: '1433' };

/** Calls that only look at or print a value: the recommended `expect(url).not.toBe(PROD)` guard among them. */
const INSPECTING_CALLS = new Set([
  'log', 'info', 'warn', 'error', 'debug', 'trace', 'fatal', 'verbose',
  'expect', 'assert', 'ok', 'equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual', 'match', 'doesNotMatch',
  'toBe', 'toEqual', 'toStrictEqual', 'toContain', 'toMatch', 'toHaveProperty', 'toThrow',
  'includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'has', 'equals',
  'describe', 'it', 'test', 'suite', 'context',
  'existsSync', 'exists', 'statSync', 'stat', 'lstat', 'lstatSync', 'access', 'accessSync', 'readFile', 'readFileSync',
  'Error', 'TypeError', 'RangeError', 'AssertionError',
]);
/** Configuration that names a path to leave it alone: `testPathIgnorePatterns`, `exclude`, `watchIgnore`. */
const IGNORING_KEY = /ignore|exclude|description|message|title|label/i;


interface Candidate {
  /** The expression whose value is the location, and where the finding goes. */
  node: ts.Expression;
  location: DatabaseLocation;
  /** The text the user wrote, for the message (credentials removed for servers). */
  shown: string;
}

/** Climbs through wrappers that pass a value on unchanged: parentheses, casts, `a ?? b`, `a || b`, `c ? a : b`. */
function outerPosition(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) current = parent;
    else if (ts.isBinaryExpression(parent) && parent.right === current && (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) current = parent;
    else if (ts.isConditionalExpression(parent) && parent.condition !== current) current = parent;
    else return current;
  }
}

function envVariableName(node: ts.Expression): string | undefined {
  const m = /^(?:process\.env|import\.meta\.env|Bun\.env|Deno\.env)\.([A-Za-z_]\w*)$/.exec(describeExpression(node));
  return m?.[1];
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

function callOrNewName(node: ts.CallExpression | ts.NewExpression): string | undefined {
  if (ts.isCallExpression(node)) return getCalleeName(node);
  const callee = skipOuterExpressions(node.expression);
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** `path.join(__dirname, …)`, `path.resolve(…)`, `new URL(…, import.meta.url)`: the parts are not locations on their own. */
function isPathBuilder(node: ts.Node): boolean {
  if (ts.isCallExpression(node)) return /^(?:path\.)?(?:join|resolve)$/.test(describeExpression(node.expression));
  return ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && (node.arguments?.length ?? 0) === 2;
}

/**
 * A value that is looked at rather than used: compared, asserted, logged, thrown, listed to be
 * ignored, or a test title. This keeps the recommended guard
 * (`if (url === PROD_URL) throw …`, `expect(url).not.toBe(PROD_URL)`) silent.
 */
function isInspectedOnly(node: ts.Node): boolean {
  let position = outerPosition(node);
  // `['kanban.db', …].includes(file)`: the list is inspected.
  if (ts.isArrayLiteralExpression(position.parent)) position = outerPosition(position.parent);
  const parent = position.parent;
  if (!parent) return false;
  if (ts.isBinaryExpression(parent) && isComparison(parent.operatorToken.kind)) return true;
  if (ts.isCaseClause(parent) || ts.isThrowStatement(parent)) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === position) {
    return ts.isCallExpression(parent.parent) && INSPECTING_CALLS.has(parent.name.text);
  }
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(position as ts.Expression)) {
    const name = callOrNewName(parent);
    if (name === 'copyFile' || name === 'copyFileSync') return parent.arguments[0] === position;
    return name !== undefined && INSPECTING_CALLS.has(name);
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === position) {
    const key = getPropertyNameText(parent.name);
    return key !== undefined && IGNORING_KEY.test(key);
  }
  return false;
}


/** `dbPath`, `sqliteFile`: a bare value is a file; `db`, `testDb`: only one with a folder in it. */
function readingOfVariable(name: string): Reading {
  if (UPPER_NAME.test(name)) return readingOfEnvName(name);
  const kind = codeNameKind(name);
  return kind === 'file' ? 'file' : kind === 'bare' ? 'pathLike' : 'plain';
}

/** Whether a name says it holds the database's location: `DATABASE_URL`, `DB_PATH`, `dbFile`, `databaseUrl`. */
function isLocationName(name: string): boolean {
  if (UPPER_NAME.test(name)) {
    const { role, dbNamed } = classifyEnvName(name);
    return (role === 'location' && dbNamed) || role === 'database';
  }
  return codeNameKind(name) !== undefined;
}

function readOption(object: ts.ObjectLiteralExpression, key: string): string | undefined {
  const property = getObjectProperty(object, key);
  if (!property) return undefined;
  const value = getStaticValue(property.value);
  if (value?.kind === 'string' && !value.hasHoles) return value.value;
  if (value?.kind === 'number') return String(value.value);
  // MikroORM's `driver: SqliteDriver`, sqlite's `open({ filename, driver: sqlite3.Database })`
  const expression = skipOuterExpressions(property.value);
  return key === 'driver' && (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) ? describeExpression(expression) : undefined;
}

/** knex's `{ client, connection: { … } }`: the engine is named one level up. */
function parentOptions(object: ts.ObjectLiteralExpression): ts.ObjectLiteralExpression | undefined {
  return object.parent && ts.isPropertyAssignment(object.parent) && ts.isObjectLiteralExpression(object.parent.parent) ? object.parent.parent : undefined;
}

/** The engine ORM options name: TypeORM `type`, Sequelize `dialect`, knex `client`, a `driver`. */
function optionsEngine(object: ts.ObjectLiteralExpression): string | undefined {
  const own = (o: ts.ObjectLiteralExpression) => readOption(o, 'type') ?? readOption(o, 'dialect') ?? readOption(o, 'client') ?? readOption(o, 'driver');
  const parent = parentOptions(object);
  return own(object) ?? (parent && own(parent));
}

/**
 * `database:` is the file only in SQLite options (TypeORM `type: 'sqlite'`); in MySQL, Postgres,
 * Sequelize and knex options it names a database on a server, reached by `host` or `socketPath`.
 * With a `storage`/`filename` sibling (Sequelize, knex) the sibling is the file and `database` a name.
 * `storage:`/`filename:` are the file in SQLite options, and anything at all elsewhere (a storage
 * adapter's name, an upload's file name), so there only a database extension counts.
 */
function optionReading(key: 'database' | 'storage' | 'filename', object: ts.ObjectLiteralExpression): Reading {
  if (key === 'database' && (getObjectProperty(object, 'storage') || getObjectProperty(object, 'filename'))) return 'plain';
  const engine = optionsEngine(object);
  if (engine !== undefined) return SQLITE_ENGINE.test(engine) ? 'file' : 'never';
  if (key !== 'database') return 'plain';
  return SERVER_KEYS.some((name) => getObjectProperty(object, name)) ? 'never' : 'pathLike';
}

/** What the position of a value says about a bare name in it. */
function locationReading(node: ts.Node): Reading {
  const position = outerPosition(node);
  const parent = position.parent;
  if (!parent) return 'plain';
  if (ts.isPropertyAssignment(parent) && parent.initializer === position) {
    const key = getPropertyNameText(parent.name);
    if (key === undefined) return 'plain';
    if ((key === 'database' || key === 'storage' || key === 'filename') && ts.isObjectLiteralExpression(parent.parent)) return optionReading(key, parent.parent);
    if (FILE_KEYS.test(key)) return 'file';
    return UPPER_NAME.test(key) ? readingOfEnvName(key) : 'plain';
  }
  if (ts.isBinaryExpression(parent) && parent.right === position && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const name = envVariableName(parent.left);
    return name === undefined ? 'plain' : readingOfEnvName(name);
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === position && ts.isIdentifier(parent.name)) return readingOfVariable(parent.name.text);
  if (ts.isNewExpression(parent) && parent.arguments?.[0] === position) return /Database$/.test(callOrNewName(parent) ?? '') ? 'file' : 'plain';
  return 'plain';
}

/**
 * In a test file, the branch of `TESTING ? testUrl : prodUrl` that is not the test branch: choosing
 * the database by a flag is the fix, so its production side is not a test opening production.
 */
function isOutsideTestBranch(node: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    let branches: ReturnType<typeof evaluateEnvCondition> | undefined;
    let mine: 'whenTrue' | 'whenFalse' | undefined;
    if (ts.isIfStatement(current) && child !== current.expression) {
      branches = evaluateEnvCondition(current.expression);
      mine = child === current.thenStatement ? 'whenTrue' : 'whenFalse';
    } else if (ts.isConditionalExpression(current) && child !== current.condition) {
      branches = evaluateEnvCondition(current.condition);
      mine = child === current.whenTrue ? 'whenTrue' : 'whenFalse';
    } else if (ts.isBinaryExpression(current) && child === current.right) {
      const op = current.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        branches = evaluateEnvCondition(current.left);
        mine = op === ts.SyntaxKind.AmpersandAmpersandToken ? 'whenTrue' : 'whenFalse';
      }
    }
    const outside = branches && mine ? isOutsideTestBy(branches, mine) : undefined;
    if (outside !== undefined) return outside;
  }
  return false;
}

function isInTestCode(node: ts.Node, input: TsInput): boolean {
  if (isTestRole(input.role)) return !isOutsideTestBranch(node);
  return getExecutionContext(node, input.role) === 'test';
}

/** `__dirname` → the file's folder, `process.cwd()` → the project root, a string → itself. */
function pathBase(node: ts.Expression, input: TsInput): string | undefined {
  const expr = skipOuterExpressions(node);
  const text = describeExpression(expr);
  if (text === '__dirname' || text === 'import.meta.dirname') return posix.dirname(input.path);
  if (ts.isCallExpression(expr) && text === 'process.cwd()') return '.';
  const value = getStaticValue(expr);
  return value?.kind === 'string' && !value.hasHoles ? value.value : undefined;
}

/** The project-relative path a path builder produces, when every part is known. */
function builtPath(node: ts.CallExpression | ts.NewExpression, input: TsInput): string | undefined {
  const args = node.arguments ?? [];
  if (ts.isNewExpression(node)) {
    // `new URL('../kanban.db', import.meta.url)`
    if (describeExpression(args[1]!) !== 'import.meta.url') return undefined;
    const relative = getStaticString(args[0]!);
    return relative === undefined ? undefined : posix.join(posix.dirname(input.path), relative);
  }
  const [first, ...rest] = args;
  const base = first && pathBase(first, input);
  if (base === undefined) return undefined;
  const parts = rest.map((a) => getStaticValue(a));
  if (parts.some((p) => p?.kind !== 'string' || p.hasHoles)) return undefined;
  const strings = (parts as { value: string }[]).map((p) => p.value);
  const last = strings.reduce((acc, part) => (part.startsWith('/') ? part : posix.join(acc, part)), base);
  return last;
}

/** `{ type: 'postgres', host: 'db.internal', port: 5432, database: 'app' }`, also knex's `{ client, connection: {…} }`. */
function serverFromOptions(object: ts.ObjectLiteralExpression, database: string): DatabaseLocation | undefined {
  const host = readOption(object, 'host');
  if (host === undefined) return undefined;
  const kind = optionsEngine(object);
  const port = readOption(object, 'port');
  const engine = (kind && ENGINE_NAMES[kind.toLowerCase()]) ?? Object.keys(DEFAULT_PORTS).find((e) => DEFAULT_PORTS[e] === port);
  if (!engine) return undefined;
  return parseDatabaseLocation(`${engine}://${host}${port ? `:${port}` : ''}/${database}`);
}

function shownValue(value: string, location: DatabaseLocation): string {
  return location.kind === 'server' ? formatDatabaseLocation(location) : value;
}

function parseAt(text: string, reading: Reading): DatabaseLocation | undefined {
  return parseDatabaseLocation(text, { lenient: reading === 'file' || (reading === 'pathLike' && looksLikePath(text)) });
}

/** The database a value expression names, given where it stands. */
function getCandidate(node: ts.Expression, input: TsInput): Candidate | undefined {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const reading = locationReading(node);
    if (reading === 'never' || !isPathBuilder(node)) return undefined;
    const path = builtPath(node, input);
    const location = path === undefined ? undefined : parseAt(path, reading);
    return location && { node, location, shown: path! };
  }
  const value = getStaticValue(node);
  if (value?.kind !== 'string') return undefined;
  const property = outerPosition(node).parent;
  if (ts.isPropertyAssignment(property) && getPropertyNameText(property.name) === 'database' && ts.isObjectLiteralExpression(property.parent)) {
    const server = serverFromOptions(property.parent, value.value);
    if (server) return { node, location: server, shown: formatDatabaseLocation(server) };
  }
  const reading = locationReading(node);
  if (reading === 'never') return undefined;
  const location = parseAt(value.value, reading);
  if (location) return { node, location, shown: shownValue(value.value, location) };
  // `'DATABASE_URL=sqlite:///./kanban.db pytest'`: a command line or env file that sets the location.
  for (const m of value.value.matchAll(ENV_ASSIGNMENT_IN_TEXT)) {
    const assigned = parseEnvAssignment(m[1]!, m[3]!);
    if (assigned) return { node, location: assigned, shown: shownValue(m[3]!, assigned) };
  }
  return undefined;
}

/** Only the outermost expression of a value is checked: `'sqlite:///' + file` once, not its parts. */
function isValueRoot(node: ts.Node): node is ts.Expression {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
    if (ts.isTemplateSpan(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.PlusToken)) return false;
    if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent) || ts.isLiteralTypeNode(parent) || ts.isImportTypeNode(parent)) return false;
    if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isEnumMember(parent)) && parent.name === node) return false;
    if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) return false;
    if (ts.isCallExpression(parent) && (isPathBuilder(parent) || describeExpression(parent.expression) === 'require' || parent.expression.kind === ts.SyntaxKind.ImportKeyword)) return false;
    if (ts.isNewExpression(parent) && isPathBuilder(parent)) return false;
    return true;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return !(ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.PlusToken) && !ts.isTemplateSpan(parent);
  }
  return isPathBuilder(node);
}

/** Uses of a declared name in the file (by name: no binder), not property names that happen to match. */
function referencesTo(name: ts.Identifier, sourceFile: ts.SourceFile): ts.Identifier[] {
  const references: ts.Identifier[] = [];
  walk(sourceFile, (node) => {
    if (ts.isIdentifier(node) && node.text === name.text && node !== name && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) references.push(node);
  });
  return references;
}

function isExported(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableStatement(declaration.parent.parent) && (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) !== 0;
}

/**
 * Whether the file opens the location written at `node` or hands it on as its database location:
 * a driver/ORM argument or option, an environment variable, a constant named like a database path
 * that is exported or used in such a position. A template only copied or read is not opened.
 */
function opensLocation(node: ts.Node, input: TsInput, depth = 0): boolean {
  const position = outerPosition(node);
  const parent = position.parent;
  if (!parent) return false;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(position as ts.Expression)) return OPENING_CALLS.test(callOrNewName(parent) ?? '');
  if (ts.isPropertyAssignment(parent) && parent.initializer === position) {
    const key = getPropertyNameText(parent.name);
    return key !== undefined && (OPENING_KEYS.test(key) || isLocationName(key));
  }
  if (ts.isShorthandPropertyAssignment(parent) || ts.isExportSpecifier(parent)) return isLocationName(parent.name.text);
  if (ts.isBinaryExpression(parent) && parent.right === position && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    // `process.env.DATABASE_URL = …`, `module.exports.DB_PATH = …`, `Store.dbPath = …`
    const name = envVariableName(parent.left) ?? (ts.isPropertyAccessExpression(parent.left) ? parent.left.name.text : undefined);
    return name !== undefined && isLocationName(name);
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === position) {
    const name = getPropertyNameText(parent.name);
    return name !== undefined && isLocationName(name);
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === position && ts.isIdentifier(parent.name)) {
    if (isExported(parent) && isLocationName(parent.name.text)) return true;
    // One step through a constant: `const DB_FILE = './app.db'; new Database(DB_FILE)`.
    return depth === 0 && referencesTo(parent.name, input.sourceFile).some((reference) => opensLocation(reference, input, depth + 1));
  }
  return false;
}

/**
 * `const PROD_DB = './kanban.db'` is only a finding when test code uses the constant as a location:
 * a constant that is only compared or asserted against is the guard the docs recommend.
 */
function isOnlyInspected(declaration: ts.VariableDeclaration, input: TsInput): boolean {
  if (!ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  if (isExported(declaration)) return false;
  const references = referencesTo(declaration.name, input.sourceFile);
  // An unused constant named for production is documentation of what tests must avoid.
  if (references.length === 0) return /prod|live/i.test(name);
  // `TESTING ? TEST_URL : PRODUCTION_URL` uses the constant only outside the tests.
  return references.every((reference) => isInspectedOnly(reference) || !isInTestCode(reference, input));
}

function suggestionFor(candidate: Candidate, testDatabase: string, sourceFile: ts.SourceFile): Suggestion[] {
  const node = candidate.node;
  if (!(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return [];
  const replaced = renameToTestDatabase(node.getText(sourceFile), candidate.location, `'"\``);
  if (replaced === undefined) return [];
  return [{ messageId: 'useTestDatabase', data: { testDatabase }, fix: { range: [node.getStart(sourceFile), node.getEnd()], text: replaced } }];
}

/** `process.env.DB_PATH ?? './app.db'`: the name of the variable a literal is only the fallback for. */
function envFallbackOf(node: ts.Node): string | undefined {
  for (let child: ts.Node = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) continue;
    if (ts.isBinaryExpression(parent) && parent.right === child && (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return envVariableName(skipOuterExpressions(parent.left)) ?? describeExpression(parent.left);
    }
    // `function open(path = './app.db')`: the caller decides.
    if (ts.isParameter(parent) && parent.initializer === child) return `parameter ${parent.name.getText()}`;
    return undefined;
  }
  return undefined;
}

/**
 * Every database location the file writes down, test side and production side, for the whole-repo
 * analysis (`project.ts`). Values that are only inspected (compared, asserted, logged) are left out.
 */
export function collectLocationFacts(input: TsInput): LocationFact[] {
  const facts: LocationFact[] = [];
  walk(input.sourceFile, (node) => {
    if (!isValueRoot(node)) return;
    const candidate = getCandidate(node, input);
    if (!candidate || isInspectedOnly(node)) return;
    const inTest = isInTestCode(node, input);
    const declaration = outerPosition(node).parent;
    if (inTest && declaration && ts.isVariableDeclaration(declaration) && isOnlyInspected(declaration, input)) return;
    const start = node.getStart(input.sourceFile);
    const envFallback = envFallbackOf(node);
    facts.push({
      range: [start, node.getEnd()],
      line: input.sourceFile.getLineAndCharacterOfPosition(start).line + 1,
      location: candidate.location,
      shown: candidate.shown,
      inTest,
      ...(envFallback ? { envFallback } : {}),
      ...(opensLocation(node, input) ? { opens: true as const } : {}),
    });
  });
  return facts;
}

function detectTypescript(input: TsInput, options: Options): Finding[] {
  const patterns = options?.[0]?.productionDatabases ?? [];
  if (patterns.length === 0) return [];
  const matchProduction = createDatabaseMatcher(patterns);
  const findings: Finding[] = [];
  walk(input.sourceFile, (node) => {
    if (!isValueRoot(node)) return;
    const candidate = getCandidate(node, input);
    if (!candidate) return;
    const production = matchProduction(candidate.location);
    if (!production || !isInTestCode(node, input) || isInspectedOnly(node)) return;
    const declaration = outerPosition(node).parent;
    if (declaration && ts.isVariableDeclaration(declaration) && isOnlyInspected(declaration, input)) return;
    const suggestions = suggestionFor(candidate, suggestTestDatabase(candidate.location), input.sourceFile);
    findings.push({
      ruleId: 'no-test-prod-database',
      messageId: 'productionDatabaseInTest',
      severity: 'error',
      range: [node.getStart(input.sourceFile), node.getEnd()],
      data: { location: candidate.shown, production, testDatabase: describeTestDatabase(candidate.location) },
      ...(suggestions.length > 0 ? { suggestions } : {}),
    });
  });
  return findings;
}

export const noTestProdDatabase = defineRule<Options>({
  meta: {
    id: 'no-test-prod-database',
    docs: {
      description: 'Disallow tests and test configuration that point at the production database',
      recommended: true,
    },
    messages: {
      productionDatabaseInTest:
        'Test code uses `{{location}}`, the production database (`{{production}}`): every test run, and every fixture that drops or truncates tables, changes or wipes production data. Give tests their own database ({{testDatabase}}) chosen by a TESTING/NODE_ENV flag, and assert at test start-up that the production location is never opened.',
      sameAsProduction:
        'Test setup uses `{{location}}`, the database the application opens ({{source}}): every test run, and every fixture that drops or truncates tables, changes or wipes that data. Give tests their own database ({{testDatabase}}) chosen by a TESTING/NODE_ENV flag, and assert at test start-up that the application\'s location is never opened.',
      importsProductionModule:
        'This test code imports `{{module}}`, which opens `{{location}}`{{how}} ({{source}}), and nothing in the test setup points it elsewhere: the tests run against the application\'s database. Make the location configurable (an environment variable the test setup sets to {{testDatabase}}), or mock the module.',
      useTestDatabase: 'Use `{{testDatabase}}` instead.',
    } satisfies Record<MessageIds, string>,
    schema: [
      {
        type: 'object',
        properties: {
          productionDatabases: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Production database locations: SQLite paths or URLs (`./kanban.db`, `sqlite:///./kanban.db`), server URLs (`postgres://db.internal:5432/app`) or globs (`**/kanban.db`, `postgres://*.internal/app`). Compared after normalisation. Without it the per-file rule reports nothing; `dbguard audit` finds production locations by itself.',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ productionDatabases: [] }],
    hasSuggestions: true,
    languages: ['typescript', 'python', 'project'],
  },
  // Every location form contains one of these: a database extension, a scheme, or a key that names a file.
  // Without configured production locations only the whole-repo analysis can find any.
  appliesWith: (options) => (options?.[0]?.productionDatabases ?? []).length > 0,
  prefilter: /\.(?:db|sqlite3?|db3|s3db|sl3)\b|sqlite|file:|mongo|postgres|mysql|mariadb|mssql|sqlserver|oracle|redshift|cockroach|libsql|clickhouse|jdbc:|['"]pg['"]|\bDB_|_DB\b|DATABASE_|(?:db|database)(?:Path|File|Url|Uri|Location)\b/i,
  detect: {
    typescript: (input, options) => detectTypescript(input, options),
    python: (input, options) => detectPython(input, options),
    project: (input) => detectProject(input),
  },
});
