import { outsideTestFiles } from '../../src/core/file-role.js';
import { ts } from '../../src/core/ts.js';
import { defineRule, type Finding, type Severity, type TsInput } from '../../src/core/types.js';
import { describeExpression, getCalleeName, getFunctionName, isFunctionLike, walk } from '../../src/core/ts-helpers/call.js';
import { getExecutionContext } from '../../src/core/ts-helpers/execution-context.js';
import { getObjectProperty, getPropertyNameText, getStaticString, getStaticValue, resolveBoundValue, resolveObjectLiteral, skipOuterExpressions } from '../../src/core/ts-helpers/static-value.js';
import { classifyFlag } from '../../src/core/ts-helpers/flag-value.js';
import { isDisposableContext } from '../../src/core/policy.js';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';
import { detectPython } from './python.js';

export interface RuleOptions {
  /** A library whose API mirrors the drivers' own (`open(path = ':memory:')`) may keep that default. */
  allowParameterDefault?: boolean;
}
export type Options = [RuleOptions];
export type MessageIds = 'inMemoryDatabase' | 'inMemoryFallback' | 'conditionalInMemory' | 'sqljsWithoutPersistence' | 'sqliteWithoutStorage';

/**
 * A whole string that names an in-memory SQLite database: `:memory:`, `sqlite::memory:`,
 * `file::memory:?cache=shared`, `jdbc:sqlite::memory:`, `sqlite:///:memory:` (SQLAlchemy style),
 * and SQLite URI filenames with `mode=memory` (https://www.sqlite.org/uri.html).
 */
const IN_MEMORY_LOCATIONS = [
  /^(?:[a-z][\w+.-]*:)*:memory:(?:\?\S*)?$/i,
  /^[a-z][\w+.-]*:\/\/\/?:memory:(?:\?\S*)?$/i,
  /^[a-z][\w+.-]*:\S*[?&]mode=memory(?:&\S*)?$/i,
];

/**
 * Names that say "the in-memory sentinel" (`IN_MEMORY`, `memoryDb`, `MEM_DB`, `inMem`), not "the
 * configured location". Word-bounded, so `membersDbPath` is still a location.
 */
const MEMORY_NAME = /[Mm]emory|MEMORY|[Ii]n[Mm]em|IN_MEM|(?:^|_)(?:mem|MEM)(?:$|_|[A-Z])|Mem(?:$|_|[A-Z])/;
/** Keys and names that describe a value instead of configuring one: `@ApiProperty({ example: ':memory:' })`. */
const DOC_NAME = /^(?:example|examples|description|desc|doc|docs|label|title|message|msg|placeholder|hint|help|summary|comment|note|text)$/i;
/** Calls that open or configure a database: better-sqlite3, sqlite3, node:sqlite, bun:sqlite, Sequelize, knex, libsql, drizzle… */
const DATABASE_CALLEE = /[Dd]atabase|^db|D[Bb]|[Ss]q[Ll]ite|[Ss]equelize|[Kk]nex|[Dd]rizzle|[Kk]ysely|[Dd]ataSource|[Cc]onnect|[Cc]lient|[Pp]ool|^open|[Ee]ngine|ORM$|Orm$|[Pp]risma/;
/** A function whose return value is a database location: `getDatabasePath()`, `dbUrl()`. */
const LOCATION_FUNCTION = /[Dd]atabase|^db|D[Bb]|[Ss]q[Ll]ite|[Ss]torage|[Dd]sn|[Cc]onnection|(?:[Pp]ath|[Ff]ile|[Ff]ilename|[Uu]rl|URL|[Uu]ri|URI|[Ll]ocation)$/;
const COMPARISON_CALLS = new Set(['includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'has', 'equals', 'localeCompare', 'match', 'test']);

function isInMemoryLocation(value: string): boolean {
  return IN_MEMORY_LOCATIONS.some((pattern) => pattern.test(value));
}

/** How the string reaches the database: as the location itself, or as what is used when something else is missing. */
export type Reach =
  | { kind: 'direct' }
  | { kind: 'fallback'; source: string }
  | { kind: 'conditional'; condition: string };

const code = (text: string): string => `\`${text.length > 60 ? `${text.slice(0, 57)}…` : text}\``;

function describeSource(node: ts.Expression): string {
  return code(node.getText().replace(/\s+/g, ' '));
}

function calleeNameOf(call: ts.CallExpression | ts.NewExpression): string | undefined {
  if (ts.isCallExpression(call)) return getCalleeName(call);
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function nameOfBinding(name: ts.BindingName | ts.PropertyName): string | undefined {
  if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) return undefined;
  return getPropertyNameText(name);
}

function isLocationName(name: string | undefined): boolean {
  return name === undefined || !(MEMORY_NAME.test(name) || DOC_NAME.test(name));
}

/** `if (file === IN_MEMORY)`, `case ':memory:'`, `[…].includes(file)`: the value is tested, not used. */
function isComparedOnly(reference: ts.Node): boolean {
  let node = reference;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  }
  if (ts.isCaseClause(parent)) return parent.expression === node;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) return COMPARISON_CALLS.has(getCalleeName(parent) ?? '');
  return false;
}

/** True when every use of the variable in this file only compares against it. */
function isOnlyCompared(declaration: ts.VariableDeclaration): boolean {
  if (!ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  const references: ts.Identifier[] = [];
  walk(declaration.getSourceFile(), (node) => {
    if (!ts.isIdentifier(node) || node.text !== name || node === declaration.name) return;
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.name === node) return;
    if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return;
    references.push(node);
  });
  return references.length > 0 && references.every(isComparedOnly);
}

function isDecoratorArgument(object: ts.ObjectLiteralExpression): boolean {
  const call = object.parent;
  return call !== undefined && ts.isCallExpression(call) && call.parent !== undefined && ts.isDecorator(call.parent);
}

/**
 * Follows the value outwards through parentheses, casts, `a ?? value`, `a || value` and ternary
 * branches to the position that consumes it, remembering the first fallback or condition on the way.
 */
function climb(start: ts.Expression): { top: ts.Expression; reach: Reach } {
  let node: ts.Expression = start;
  let reach: Reach = { kind: 'direct' };
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isNonNullExpression(parent) || ts.isTypeAssertionExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isConditionalExpression(parent) && parent.condition !== node) {
      if (reach.kind === 'direct') reach = { kind: 'conditional', condition: code(parent.condition.getText()) };
      node = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent) && parent.right === node) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
        if (reach.kind === 'direct') reach = { kind: 'fallback', source: describeSource(parent.left) };
        node = parent;
        continue;
      }
      if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) {
        return { top: parent, reach: reach.kind === 'direct' ? { kind: 'fallback', source: describeSource(parent.left) } : reach };
      }
    }
    return { top: node, reach };
  }
}

/**
 * Whether the consuming position makes the value a database location, and if it turns a direct use
 * into a fallback (a parameter default, a config schema's `default`).
 */
function getSinkReach(top: ts.Expression, reach: Reach, options: RuleOptions): Reach | undefined {
  const parent = top.parent;
  if (ts.isParameter(parent) && parent.initializer === top) {
    if (options.allowParameterDefault) return undefined;
    const name = nameOfBinding(parent.name);
    return reach.kind === 'direct' ? { kind: 'fallback', source: `the ${name ? code(name) : 'omitted'} argument` } : reach;
  }
  if (ts.isBindingElement(parent) && parent.initializer === top) {
    const name = nameOfBinding(parent.propertyName ?? parent.name);
    if (!isLocationName(name)) return undefined;
    if (options.allowParameterDefault && ts.findAncestor(parent, ts.isParameter)) return undefined;
    return reach.kind === 'direct' ? { kind: 'fallback', source: `the ${name ? code(name) : 'destructured'} option` } : reach;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === top) {
    const name = nameOfBinding(parent.name);
    return isLocationName(name) && !isOnlyCompared(parent) ? reach : undefined;
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === top) {
    return isLocationName(nameOfBinding(parent.name)) ? reach : undefined;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === top) {
    const name = getPropertyNameText(parent.name);
    if (!isLocationName(name) || isDecoratorArgument(parent.parent)) return undefined;
    // A config schema's default (convict, envalid, JSON schema) is what production gets when the variable is unset.
    if (name === 'default' && reach.kind === 'direct') return { kind: 'fallback', source: 'the configured value' };
    return reach;
  }
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(top)) {
    const name = calleeNameOf(parent);
    // zod/joi/yup `.default(':memory:')` in an environment schema.
    if (name === 'default') return reach.kind === 'direct' ? { kind: 'fallback', source: 'the configured value' } : reach;
    return name !== undefined && DATABASE_CALLEE.test(name) ? reach : undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.right === top && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = describeExpression(parent.left).split('.').pop();
    return isLocationName(target) ? reach : undefined;
  }
  const assignsFallback = ts.isBinaryExpression(top) && (top.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken || top.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken);
  if (assignsFallback && ts.isExpressionStatement(parent)) {
    // `dbPath ??= ':memory:'` as a statement of its own.
    const target = describeExpression(top.left).split('.').pop();
    return isLocationName(target) ? reach : undefined;
  }
  const fn = ts.isReturnStatement(parent) ? ts.findAncestor(parent, isFunctionLike) : ts.isArrowFunction(parent) && parent.body === top ? parent : undefined;
  if (fn) {
    const name = getFunctionName(fn as ts.FunctionLikeDeclaration);
    return name !== undefined && LOCATION_FUNCTION.test(name) && !MEMORY_NAME.test(name) ? reach : undefined;
  }
  return undefined;
}

/** The string value of a literal-like node, with template holes shown as `…`. */
function getLocationString(node: ts.Node): string | undefined {
  if (!(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))) return undefined;
  const value = getStaticValue(node);
  if (value?.kind !== 'string') return undefined;
  // A `:memory:` with a hole in it is not the whole string; `file:${name}?mode=memory` still is an in-memory URI.
  if (value.hasHoles && !/[?&]mode=memory(?:&|$)/i.test(value.value)) return undefined;
  return isInMemoryLocation(value.value) ? value.value.split(SQL_HOLE).join('…') : undefined;
}

/** `new Database(IN_MEMORY)`: a sentinel constant named for what it is, used as a location. */
function getSentinelString(node: ts.Node): string | undefined {
  if (!ts.isIdentifier(node) || !MEMORY_NAME.test(node.text)) return undefined;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) return undefined;
  if (!resolveBoundValue(node)) return undefined;
  const value = getStaticString(node);
  return value !== undefined && isInMemoryLocation(value) ? value : undefined;
}

/** Shared with the Python detector: a location used as is is an error, a fallback or a branch a warning. */
export function severityOf(reach: Reach): Severity {
  return reach.kind === 'direct' ? 'error' : 'warning';
}

function findingFor(node: ts.Node, value: string, reach: Reach, sourceFile: ts.SourceFile): Finding {
  const range = [node.getStart(sourceFile), node.getEnd()] as const;
  const base = { ruleId: 'no-in-memory-database' as const, range, severity: severityOf(reach) };
  if (reach.kind === 'fallback') return { ...base, messageId: 'inMemoryFallback', data: { value, source: reach.source } };
  if (reach.kind === 'conditional') return { ...base, messageId: 'conditionalInMemory', data: { value, condition: reach.condition } };
  return { ...base, messageId: 'inMemoryDatabase', data: { value } };
}

function detectLocation(node: ts.Node, options: RuleOptions, sourceFile: ts.SourceFile): Finding | undefined {
  const value = getLocationString(node) ?? getSentinelString(node);
  if (value === undefined) return undefined;
  const { top, reach } = climb(node as ts.Expression);
  const sinkReach = getSinkReach(top, reach, options);
  return sinkReach && findingFor(node, value, sinkReach, sourceFile);
}

/**
 * sql.js keeps the database in memory. TypeORM writes it out only with `autoSave` and a target
 * (`location`, `useLocalForage` or `autoSaveCallback`, which itself "has to be enabled" by
 * `autoSave`). A `location` without `autoSave` is saved only by explicit `saveDatabase()` calls.
 */
function detectSqljs(object: ts.ObjectLiteralExpression, sourceFile: ts.SourceFile): Finding | undefined {
  const type = getObjectProperty(object, 'type');
  if (!type || getStaticString(type.value) !== 'sqljs') return undefined;
  if (object.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
  const isSet = (name: string) => {
    const property = getObjectProperty(object, name);
    return property !== undefined && classifyFlag(property.value).kind !== 'off';
  };
  const hasTarget = isSet('location') || isSet('useLocalForage') || isSet('autoSaveCallback');
  const savesManually = isSet('location') && /\bsaveDatabase\s*\(/.test(sourceFile.text);
  if ((hasTarget && isSet('autoSave')) || savesManually) return undefined;
  const missing = [...(hasTarget ? [] : ['`location`']), ...(isSet('autoSave') ? [] : ['`autoSave: true`'])];
  return { ruleId: 'no-in-memory-database', messageId: 'sqljsWithoutPersistence', severity: 'error', range: [type.node.getStart(sourceFile), type.node.getEnd()], data: { missing: missing.join(' and ') } };
}

/**
 * Sequelize's SQLite connection manager opens `storage || host || ':memory:'`, so
 * `new Sequelize({ dialect: 'sqlite' })` forgets everything. Only the options-object forms
 * `(options)` and `(database, username, password, options)` are checked: the `(url, options)` form
 * carries the file in the URL.
 */
function detectSequelizeDefault(call: ts.NewExpression, sourceFile: ts.SourceFile): Finding | undefined {
  if (calleeNameOf(call) !== 'Sequelize' || !call.arguments) return undefined;
  const optionsArgument = call.arguments.length === 1 ? call.arguments[0] : call.arguments.length === 4 ? call.arguments[3] : undefined;
  const options = resolveObjectLiteral(optionsArgument);
  if (!options || options.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
  const dialect = getObjectProperty(options, 'dialect');
  if (!dialect || getStaticString(dialect.value) !== 'sqlite') return undefined;
  if (getObjectProperty(options, 'storage') || getObjectProperty(options, 'host')) return undefined;
  return { ruleId: 'no-in-memory-database', messageId: 'sqliteWithoutStorage', severity: 'error', range: [dialect.node.getStart(sourceFile), dialect.node.getEnd()] };
}

function detectTypescript(input: TsInput, [options]: Options): Finding[] {
  const findings: Finding[] = [];
  const sourceFile = input.sourceFile;
  walk(sourceFile, (node) => {
    const finding = ts.isObjectLiteralExpression(node) ? detectSqljs(node, sourceFile)
      : ts.isNewExpression(node) ? detectSequelizeDefault(node, sourceFile)
      : detectLocation(node, options ?? {}, sourceFile);
    if (!finding || isDisposableContext(getExecutionContext(node, input.role))) return;
    findings.push(finding);
  });
  return findings;
}

export const noInMemoryDatabase = defineRule<Options>({
  meta: {
    id: 'no-in-memory-database',
    docs: {
      description: 'Disallow in-memory SQLite databases outside tests',
      recommended: true,
    },
    messages: {
      inMemoryDatabase: '`{{value}}` opens an in-memory SQLite database: it is empty at every start and every write is lost on restart. Read a database file path or URL from configuration, and keep `:memory:` for tests.',
      inMemoryFallback: '`{{value}}` is used when {{source}} is missing: a production deploy without it runs on an empty in-memory database and loses every write on restart. Fail at startup instead of falling back.',
      conditionalInMemory: '`{{value}}` is used when {{condition}} is true: one wrong value in production runs on an in-memory database that loses every write on restart. Choose it only when NODE_ENV is "test".',
      sqljsWithoutPersistence: "TypeORM `type: 'sqljs'` without {{missing}} keeps the database only in memory: every write is lost on restart. Set `location` and `autoSave: true`, or use a file-backed driver such as `better-sqlite3`.",
      sqliteWithoutStorage: "Sequelize's SQLite `storage` defaults to `:memory:`: without it every write is lost on restart. Set `storage` to a database file path from configuration.",
    } satisfies Record<MessageIds, string>,
    schema: [
      {
        type: 'object',
        properties: {
          allowParameterDefault: {
            type: 'boolean',
            description: "Allow `:memory:` as a function parameter's default value, for libraries that mirror a driver's API.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allowParameterDefault: false }],
    languages: ['typescript', 'python'],
  },
  // The in-memory spellings, and the two configs that default to memory (sql.js, Sequelize's SQLite).
  prefilter: /:memory:|mode=memory|sqljs|sqlite/i,
  mayReportIn: outsideTestFiles,
  // In JS/TS an in-memory string, sql.js, or a `new Sequelize(…)` whose SQLite storage defaults to memory.
  prefilterIn: (_role, language) => (language === 'typescript' ? (text) => /:memory:|mode=memory|sqljs/i.test(text) || (/Sequelize\s*\(/.test(text) && /sqlite/i.test(text)) : undefined),
  detect: {
    typescript: (input, options) => detectTypescript(input, options),
    python: (input, options) => detectPython(input, options),
  },
});
