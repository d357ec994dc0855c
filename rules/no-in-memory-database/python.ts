import type { Finding, PythonInput } from '../../src/core/types.js';
import { isInMemoryDatabase } from '../../src/core/db-location.js';
import { isDisposableContext } from '../../src/core/policy.js';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';
import { getEnvVariableRead, getPythonExecutionContext } from '../../src/core/python/context.js';
import { getPyStaticString, getPyStaticValue, resolveName } from '../../src/core/python/static.js';
import {
  calleeName,
  describePy,
  enclosingScope,
  functionName,
  getPyModule,
  isDocstringPosition,
  positionalArguments,
  superclassesOf,
  textOf,
  type PyModule,
  type PyNode,
} from '../../src/core/python/syntax.js';
import { severityOf, type Options, type Reach, type RuleOptions } from './no-in-memory-database.js';

/** Names that say "the in-memory sentinel", not "the configured location" (as on the TypeScript side), plus test-only settings. */
const MEMORY_NAME = /[Mm]emory|MEMORY|[Ii]n_?[Mm]em|IN_MEM|(?:^|_)(?:mem|MEM)(?:$|_|[A-Z])|Mem(?:$|_|[A-Z])/;
const TEST_NAME = /(?:^|_)(?:test|tests|testing)(?:_|$)|^Test|[a-z]Test/i;
const DOC_NAME = /^(?:example|examples|description|desc|doc|docs|label|title|message|msg|placeholder|hint|help|summary|comment|note|text|help_text|verbose_name)$/i;
/** `SQLITE_PREFIX = "sqlite://"`: part of a URL, not a whole one. */
const PART_NAME = /prefix|scheme|dialect|driver|pattern|regex|template|format/i;
/** Names of locations: `DATABASE_URL`, `db_path`, `SQLALCHEMY_DATABASE_URI`, Django's `NAME`. */
const LOCATION_NAME = /(?:^|_)(?:db|database|databases|sqlite|dsn|uri|url|conn|connection|engine|storage|path|file|filename|location)(?:_|$)|^(?:NAME|name|dbname)$/i;
/** Calls that open or configure a database: `create_engine`, `sqlite3.connect`, `aiosqlite.connect`, `Database`, `SqliteDatabase`, `Tortoise.init`. */
const DATABASE_CALLEE = /engine|connect|database|^db|db$|sqlite|session|client|pool|^open$|^init$|tortoise|^Database|Store$|Repository$|Repo$/i;
/** `os.getenv("X", default)`-style readers whose second argument or `default=` is a fallback. */
const DEFAULT_READERS = /^(?:getenv|get|config|env|str|getattr|Field|setting|get_setting)$/;
/** Calls that only look at a value. */
const INSPECTING_CALLS = /^(?:print|log|debug|info|warning|warn|error|exception|critical|startswith|endswith|find|index|count|replace|split|assert\w*|match|search|fullmatch|sub|isinstance|len)$/;
const COMPARISON_OPERATORS = /^(?:==|!=|in|not in|is|is not)$/;

const code = (text: string): string => `\`${text.length > 60 ? `${text.slice(0, 57)}…` : text}\``;

function inMemoryValue(module: PyModule, node: PyNode): { value: string; bare: boolean } | undefined {
  const value = getPyStaticValue(module, node);
  if (value?.kind !== 'string') return undefined;
  // A hole may be the path itself, except in `file:{name}?mode=memory`, which is in-memory whatever the name.
  if (value.hasHoles && !/[?&]mode=memory(?:&|$)/i.test(value.value)) return undefined;
  const text = value.value.split(SQL_HOLE).join('…');
  if (value.hasHoles) return { value: text, bare: false };
  if (!isInMemoryDatabase(value.value)) return undefined;
  // `sqlite://` names no file at all (SQLAlchemy opens memory); elsewhere it is just a scheme prefix.
  return { value: text, bare: !/memory/i.test(value.value) };
}

function isLocationName(name: string | undefined, bare: boolean): boolean {
  if (name === undefined) return !bare;
  if (MEMORY_NAME.test(name) || DOC_NAME.test(name) || TEST_NAME.test(name) || PART_NAME.test(name)) return false;
  return !bare || LOCATION_NAME.test(name);
}

/** `TESTING=True` next to the value in the same call or dict: a test configuration. */
function hasTestingSibling(module: PyModule, container: PyNode): boolean {
  return container.children.some((c) => /^["']?TESTING["']?\s*[=:]\s*True$/.test(textOf(module, c)));
}

/** Follows the value outwards through parentheses, `x if c else value` and `a or value`, like the TypeScript `climb`. */
function climb(module: PyModule, start: PyNode): { top: PyNode; reach: Reach } {
  let node = start;
  let reach: Reach = { kind: 'direct' };
  for (;;) {
    const parent = node.parent;
    if (!parent) return { top: node, reach };
    if (parent.type === 'parenthesized_expression') {
      node = parent;
    } else if (parent.type === 'conditional_expression' && parent.children[1] !== node) {
      if (reach.kind === 'direct') reach = { kind: 'conditional', condition: code(textOf(module, parent.children[1]!)) };
      node = parent;
    } else if (parent.type === 'boolean_operator' && parent.children[1] === node && /\bor\b/.test(module.text.slice(parent.children[0]!.end, node.start))) {
      if (reach.kind === 'direct') reach = { kind: 'fallback', source: fallbackSource(module, parent.children[0]!) };
      node = parent;
    } else {
      return { top: node, reach };
    }
  }
}

function fallbackSource(module: PyModule, reader: PyNode): string {
  const env = getEnvVariableRead(module, reader);
  return env !== undefined ? `\`${env}\`` : code(textOf(module, reader).replace(/\s+/g, ' '));
}

function targetName(module: PyModule, target: PyNode): string | undefined {
  if (target.type === 'identifier') return textOf(module, target);
  return describePy(module, target).split('.').pop();
}

/** True when every use of the variable only compares against it. */
function isOnlyCompared(module: PyModule, name: string, definition: PyNode): boolean {
  const scope = enclosingScope(definition);
  let uses = 0;
  for (let i = scope.index; i <= scope.last; i++) {
    const node = module.nodes[i]!;
    if (node.type !== 'identifier' || node === definition || textOf(module, node) !== name) continue;
    if (node.parent?.type === 'attribute' && node.parent.children[1] === node) continue;
    uses++;
    if (node.parent?.type !== 'comparison_operator') return false;
  }
  return uses > 0;
}

function isSettingsClass(module: PyModule, cls: PyNode | undefined): boolean {
  return cls?.type === 'class_definition' && superclassesOf(module, cls).some((b) => /(?:^|\.)BaseSettings$/.test(b));
}

/**
 * Whether the position that consumes the value makes it a database location, and how: as is, as
 * a fallback (a parameter default, `os.getenv(…, default)`, a pydantic `Settings` field default),
 * or on one branch of a condition.
 */
function getSinkReach(module: PyModule, top: PyNode, reach: Reach, bare: boolean, options: RuleOptions): Reach | undefined {
  const parent = top.parent;
  if (!parent) return undefined;
  const fallback = (source: string): Reach => (reach.kind === 'direct' ? { kind: 'fallback', source } : reach);
  switch (parent.type) {
    case 'argument_list': {
      const call = parent.parent!;
      const name = calleeName(module, call) ?? '';
      if (INSPECTING_CALLS.test(name)) return undefined;
      const position = positionalArguments(call).indexOf(top);
      if (DEFAULT_READERS.test(name) && position >= 1) {
        const key = positionalArguments(call)[position === 2 ? 1 : 0];
        const keyName = key && getPyStaticString(module, key);
        if (!isLocationName(keyName, bare)) return undefined;
        return fallback(keyName === undefined ? 'the configured value' : `\`${keyName}\``);
      }
      if (hasTestingSibling(module, parent)) return undefined;
      return DATABASE_CALLEE.test(name) && position === 0 ? reach : undefined;
    }
    case 'keyword_argument': {
      const key = textOf(module, parent.children[0]!);
      const call = parent.parent?.parent;
      if (call?.type !== 'call' || hasTestingSibling(module, parent.parent!)) return undefined;
      const name = calleeName(module, call) ?? '';
      if (INSPECTING_CALLS.test(name)) return undefined;
      if (key === 'default') {
        const [first] = positionalArguments(call);
        const keyName = first && getPyStaticString(module, first);
        if (keyName !== undefined && !isLocationName(keyName, bare)) return undefined;
        return fallback(keyName ? `\`${keyName}\`` : 'the configured value');
      }
      return isLocationName(key, bare) && (DATABASE_CALLEE.test(name) || LOCATION_NAME.test(key)) ? reach : undefined;
    }
    case 'pair': {
      if (parent.children[1] !== top || hasTestingSibling(module, parent.parent!)) return undefined;
      const key = getPyStaticString(module, parent.children[0]!);
      return key !== undefined && isLocationName(key, bare) && LOCATION_NAME.test(key) ? reach : undefined;
    }
    case 'assignment': {
      if (parent.children[parent.children.length - 1] !== top) return undefined;
      const target = parent.children[0]!;
      const name = targetName(module, target);
      if (!isLocationName(name, bare)) return undefined;
      if (target.type === 'identifier' && isOnlyCompared(module, name!, target)) return undefined;
      // A pydantic `Settings` field default is what production gets when the variable is unset.
      const cls = parent.parent?.parent?.parent;
      if (target.type === 'identifier' && isSettingsClass(module, cls)) return fallback(`\`${name!.toUpperCase()}\``);
      return reach;
    }
    case 'default_parameter':
    case 'typed_default_parameter': {
      if (options.allowParameterDefault) return undefined;
      const name = textOf(module, parent.children[0]!);
      if (!isLocationName(name, bare)) return undefined;
      return fallback(`the \`${name}\` argument`);
    }
    case 'return_statement': {
      let fn: PyNode | undefined = parent.parent;
      while (fn && fn.type !== 'function_definition') fn = fn.parent;
      const name = fn && functionName(module, fn);
      return name !== undefined && LOCATION_NAME.test(name) && !MEMORY_NAME.test(name) && !TEST_NAME.test(name) ? reach : undefined;
    }
    default:
      return undefined;
  }
}

/** `sqlite3.connect(IN_MEMORY)`: a sentinel constant named for what it is, used as a location. */
function sentinelValue(module: PyModule, node: PyNode): string | undefined {
  const parent = node.parent;
  if (!MEMORY_NAME.test(textOf(module, node)) || !parent) return undefined;
  if ((parent.type === 'assignment' && parent.children[0] === node) || parent.type === 'attribute' || parent.type === 'keyword_argument' && parent.children[0] === node) return undefined;
  const bound = resolveName(module, node);
  const value = bound && getPyStaticString(module, bound);
  return value !== undefined && isInMemoryDatabase(value) && /memory/i.test(value) ? value : undefined;
}

function isValueRoot(node: PyNode): boolean {
  if (node.type === 'string') return node.parent?.type !== 'concatenated_string' && !isDocstringPosition(node);
  return node.type === 'concatenated_string';
}

/**
 * `sqlite:///:memory:`, `sqlite+aiosqlite:///:memory:`, `sqlite://`, `sqlite3.connect(":memory:")`,
 * `file:x?mode=memory` where they are used as a database location in non-test code: passed to a
 * call that opens a database, assigned to a location setting, a default or fallback. Log lines,
 * docstrings, comparisons and test configuration stay silent.
 */
/**
 * An in-memory connection a function opens for itself and never hands out: a probe of the SQLite
 * version or its features, scratch space for one query over cached rows, or a hub that `ATTACH`es
 * database files. The application's data never lives in it, so its emptiness at start costs nothing.
 * A connection returned, yielded, stored on `self`/`cls` or made global is the application's own.
 */
function isThrowawayConnection(module: PyModule, literal: PyNode): boolean {
  let call: PyNode | undefined = literal.parent;
  while (call && call.type !== 'call') call = call.parent;
  const scope = call && enclosingScope(call);
  if (!call || !scope || scope.type !== 'function_definition') return false;
  const body = textOf(module, scope);
  if (/\battach\s+database\b/i.test(body)) return true;
  const holder = call.parent;
  let name: string | undefined;
  if (holder?.type === 'assignment' && holder.children[0]?.type === 'identifier' && holder.children[holder.children.length - 1] === call) name = textOf(module, holder.children[0]);
  else if (holder?.type === 'as_pattern' && holder.children[0] === call && holder.children[1]) name = textOf(module, holder.children[1]).replace(/[()\s]/g, '');
  if (name === undefined || !/^\w+$/.test(name)) return false;
  // `return conn` hands the connection out; `return conn.execute(…)` only a result read from it.
  return !new RegExp(`\\b(?:return|yield)\\s+${name}\\s*(?:$|[,;)#])|\\b(?:self|cls)\\.\\w+\\s*=\\s*${name}\\b|\\bglobal\\s+${name}\\b`, 'm').test(body);
}

export function detectPython(input: PythonInput, [options]: Options): Finding[] {
  const module = getPyModule(input);
  const findings: Finding[] = [];
  for (const node of module.nodes) {
    let value: string | undefined;
    let bare = false;
    if (isValueRoot(node)) {
      const found = inMemoryValue(module, node);
      if (!found) continue;
      value = found.value;
      bare = found.bare;
    } else if (node.type === 'identifier') {
      value = sentinelValue(module, node);
    }
    if (value === undefined) continue;
    const { top, reach } = climb(module, node);
    if (top.parent?.type === 'comparison_operator' && COMPARISON_OPERATORS.test(module.text.slice(top.parent.children[0]!.end, top.parent.children[1]?.start ?? top.end).trim())) continue;
    const sinkReach = getSinkReach(module, top, reach, bare, options ?? {});
    if (!sinkReach || isDisposableContext(getPythonExecutionContext(module, node, input.role)) || isThrowawayConnection(module, node)) continue;
    const range = [node.start, node.end] as const;
    const base = { ruleId: 'no-in-memory-database' as const, range, severity: severityOf(sinkReach) };
    if (sinkReach.kind === 'fallback') findings.push({ ...base, messageId: 'inMemoryFallback', data: { value, source: sinkReach.source } });
    else if (sinkReach.kind === 'conditional') findings.push({ ...base, messageId: 'conditionalInMemory', data: { value, condition: sinkReach.condition } });
    else findings.push({ ...base, messageId: 'inMemoryDatabase', data: { value } });
  }
  return findings;
}
