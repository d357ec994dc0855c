import type { FileRole, ImportFact, PythonInput } from '../types.js';
import { isTestRole } from '../file-role.js';
import { CLI_DECORATOR, DJANGO_COMMAND_BASE, getPythonExecutionContext, getPythonStartupScope } from './context.js';
import { describeSqlPath, getPythonCodeSql } from './executed-sql.js';
import { getPythonImportBindings } from './schema-creation.js';
import { getPyStaticString } from './static.js';
import {
  calleeName,
  decoratorsOf,
  describePy,
  functionName,
  getPyModule,
  keywordArguments,
  positionalArguments,
  receiverOf,
  superclassesOf,
  textOf,
  unwrap,
  type PyModule,
  type PyNode,
  type PythonSource,
} from './syntax.js';

/** A parsed file, or only its text: without a tree the facts are read by a lighter text scan. */
export type PythonFactSource = string | PythonSource;

function joinModule(base: string, name: string): string {
  return base.endsWith('.') ? `${base}${name}` : `${base}.${name}`;
}

function importsFromTree(module: PyModule): ImportFact[] {
  const facts: ImportFact[] = [];
  for (const statement of module.nodes) {
    const range = [statement.start, statement.end] as const;
    if (statement.type === 'import_statement') {
      for (const item of statement.children) {
        const name = item.type === 'aliased_import' ? item.children[0] : item;
        if (name?.type === 'dotted_name') facts.push({ specifier: textOf(module, name), range });
      }
    } else if (statement.type === 'import_from_statement') {
      const [source, ...names] = statement.children;
      if (!source) continue;
      const from = textOf(module, source).replace(/\s+/g, '');
      facts.push({ specifier: from, range });
      // `from app import database`: the name may be a submodule, which is what then loads.
      for (const item of names) {
        const name = item.type === 'aliased_import' ? item.children[0] : item;
        if (name?.type === 'dotted_name') facts.push({ specifier: joinModule(from, textOf(module, name)), range });
      }
    }
  }
  return facts;
}

/** Offsets inside triple-quoted strings, where an `import` line is text, not code. */
function tripleQuotedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const pattern = /#[^\n]*|("""|''')[\s\S]*?(?:\1|$)|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;
  for (const m of text.matchAll(pattern)) if (m[1]) ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}

/** One import statement; a backslash at the end of a line continues it. */
const IMPORT_LINE = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|(?:[^\n#;\\]|\\\r?\n)+)|import[ \t]+((?:[^\n#;\\]|\\\r?\n)+))/gm;

function importsFromText(text: string): ImportFact[] {
  const strings = tripleQuotedRanges(text);
  const facts: ImportFact[] = [];
  for (const m of text.matchAll(IMPORT_LINE)) {
    const start = m.index + m[0].length - m[0].trimStart().length;
    // `from __future__ import …` is a compiler directive, not an import.
    if (strings.some(([from, to]) => start > from && start < to) || m[1] === '__future__') continue;
    const range = [start, m.index + m[0].length] as const;
    const names = (m[2] ?? m[3] ?? '').replace(/[()\\]/g, ' ').split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!.trim()).filter((n) => /^[\w.]+$/.test(n));
    if (m[1] !== undefined) {
      facts.push({ specifier: m[1], range });
      for (const name of names) facts.push({ specifier: joinModule(m[1], name), range });
    } else {
      for (const name of names) facts.push({ specifier: name, range });
    }
  }
  return facts;
}

/**
 * Modules a Python file imports, as written: `app.database`, `.database`, `..config`. For
 * `from X import a`, both `X` and `X.a` are listed (`a` may be a submodule); all of one
 * statement's specifiers share its range.
 */
export function extractPythonImports(source: PythonFactSource): ImportFact[] {
  return typeof source === 'string' ? importsFromText(source) : importsFromTree(getPyModule(source));
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isEnviron(module: PyModule, node: PyNode | undefined): boolean {
  if (!node) return false;
  const expr = unwrap(node);
  if (/(?:^|\.)environ$/.test(describePy(module, expr))) return true;
  return getPyStaticString(module, expr) === 'os.environ';
}

function dictKeys(module: PyModule, node: PyNode | undefined): string[] {
  const dict = node && unwrap(node);
  if (dict?.type === 'dictionary') {
    return dict.children.flatMap((pair) => {
      const key = pair.type === 'pair' && pair.children[0] ? getPyStaticString(module, pair.children[0]) : undefined;
      return key !== undefined && ENV_NAME.test(key) ? [key] : [];
    });
  }
  // `dict(DATABASE_URL=...)`
  if (dict?.type === 'call' && calleeName(module, dict) === 'dict') return [...keywordArguments(module, dict).keys()];
  return [];
}

/** Names one node sets in the environment, if it is one of the ways to set it. */
function envSetBy(module: PyModule, node: PyNode): string[] {
  if (node.type === 'assignment') {
    const left = node.children[0];
    if (left?.type === 'subscript' && isEnviron(module, left.children[0])) {
      const key = left.children[1] && getPyStaticString(module, left.children[1]);
      return key !== undefined ? [key] : [];
    }
    return [];
  }
  if (node.type !== 'call') return [];
  const name = calleeName(module, node);
  const receiver = receiverOf(node);
  const args = positionalArguments(node);
  const first = args[0] && getPyStaticString(module, args[0]);
  switch (name) {
    case 'setenv':
    case 'putenv':
      return first !== undefined ? [first] : [];
    case 'setdefault':
      return isEnviron(module, receiver) && first !== undefined ? [first] : [];
    case 'update':
      return isEnviron(module, receiver) ? [...dictKeys(module, args[0]), ...keywordArguments(module, node).keys()] : [];
    case 'dict':
      // `patch.dict(os.environ, {...})`, `mocker.patch.dict("os.environ", {...}, clear=True)`.
      return receiver && /(?:^|\.)patch$/.test(describePy(module, receiver)) && isEnviron(module, args[0]) ? [...dictKeys(module, args[1]), ...[...keywordArguments(module, node).keys()].filter((k) => k !== 'clear')] : [];
    default:
      return [];
  }
}

const ENV_SET_TEXT = /\bos\.environ\[\s*["']([A-Za-z_]\w*)["']\s*\]\s*=[^=]|\b(?:setenv|putenv|environ\.setdefault)\(\s*["']([A-Za-z_]\w*)["']/g;

/**
 * Environment variables test code sets: `os.environ["X"] = …`, `os.environ.setdefault("X", …)`,
 * `monkeypatch.setenv("X", …)`, `os.environ.update({"X": …})`, `patch.dict(os.environ, {"X": …})`.
 * With a tree, only assignments in test context count (a test file, or a fixture, `TestCase` or
 * `TESTING` branch of another file); with only text, every one does and the caller decides.
 */
export function extractPythonSetsEnv(source: PythonFactSource, role: FileRole = 'test'): string[] {
  if (typeof source === 'string') return [...new Set([...source.matchAll(ENV_SET_TEXT)].map((m) => (m[1] ?? m[2])!))];
  const module = getPyModule(source);
  const names = new Set<string>();
  for (const node of module.nodes) {
    if (node.type !== 'assignment' && node.type !== 'call') continue;
    const set = envSetBy(module, node);
    if (set.length === 0) continue;
    if (!isTestRole(role) && getPythonExecutionContext(module, node, role) !== 'test') continue;
    for (const name of set) names.add(name);
  }
  return [...names];
}

/** `app.database.engine` → `app.database`: the module whose attribute is replaced. */
function modulePart(target: string): string | undefined {
  const at = target.lastIndexOf('.');
  return at > 0 ? target.slice(0, at) : undefined;
}

const PATCH_TEXT = /\b(?:patch|setattr)\(\s*["']([\w.]+)["']/g;

/**
 * Modules test code patches: `patch("app.database.engine")`, `mocker.patch(...)`,
 * `@mock.patch(...)`, `monkeypatch.setattr("app.database.engine", …)` → `app.database`;
 * `monkeypatch.setattr(database, "engine", …)` with `database` imported → its module.
 */
export function extractPythonMocks(source: PythonFactSource): string[] {
  if (typeof source === 'string') return [...new Set([...source.matchAll(PATCH_TEXT)].flatMap((m) => modulePart(m[1]!) ?? []))];
  const module = getPyModule(source);
  const imports = getPythonImportBindings(module);
  const mocks = new Set<string>();
  for (const node of module.nodes) {
    if (node.type !== 'call') continue;
    const name = calleeName(module, node);
    if (name !== 'patch' && name !== 'setattr' && name !== 'object' && name !== 'multiple') continue;
    const [first, second] = positionalArguments(node);
    if (!first) continue;
    const target = getPyStaticString(module, first);
    if (target !== undefined && name !== 'object') {
      // `patch.multiple("app.database", engine=…)` names the module itself.
      const part = name === 'multiple' ? target : modulePart(target);
      if (part) mocks.add(part);
      continue;
    }
    // `monkeypatch.setattr(database, "engine", …)`, `patch.object(database, "engine")`.
    const object = unwrap(first);
    if ((name === 'setattr' || name === 'object') && object.type === 'identifier' && second && getPyStaticString(module, second) !== undefined) {
      const binding = imports.get(textOf(module, object));
      if (binding) mocks.add(binding.name === '*' ? binding.module : joinModule(binding.module, binding.name));
    }
  }
  return [...mocks];
}


function functionOf(node: PyNode): PyNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'function_definition') return current;
  return undefined;
}

/** Functions an operator runs by name: CLI commands, Django `Command.handle`, and same-module functions they call. */
function cliFunctions(module: PyModule): Set<string> {
  const direct = new Set<string>();
  const commands: PyNode[] = [];
  for (const node of module.nodes) {
    if (node.type !== 'function_definition') continue;
    const name = functionName(module, node) ?? '';
    const cls = node.parent?.parent;
    const isDjangoCommand = name === 'handle' && cls?.type === 'class_definition' && superclassesOf(module, cls).some((b) => DJANGO_COMMAND_BASE.test(b));
    if (isDjangoCommand || decoratorsOf(module, node).some((d) => CLI_DECORATOR.test(d))) {
      direct.add(name);
      commands.push(node);
    }
  }
  for (const command of commands) {
    for (let i = command.index; i <= command.last; i++) {
      const call = module.nodes[i]!;
      const callee = call.type === 'call' ? call.children[0] : undefined;
      if (callee?.type === 'identifier') direct.add(textOf(module, callee));
    }
  }
  return direct;
}

export interface PythonExecutedSqlFile {
  /** The file name, `schema.sql`: how the scanner matches it to a `.sql` file it audits. */
  name: string;
  /** The static part of the path as written (`…` for unknown parts). */
  path: string;
  /** `db.executescript`, `conn.execute`. */
  api: string;
  /**
   * What runs it: `startup` code (an `init_db()`, a startup handler, `__main__`), a `cli` command an
   * operator runs by name (`flask init-db`, a Django management command), or `other` code.
   */
  trigger: 'startup' | 'cli' | 'other';
}

/**
 * `.sql` files this file reads and executes: `db.executescript(f.read())` inside
 * `with app.open_resource("schema.sql") as f:`, `conn.executescript(Path(...).read_text())`. Test
 * code is left out. The Python counterpart of `getCodeSql(...).schemaFiles` for the scanner's
 * `executedBy`.
 */
export function extractPythonExecutedSqlFiles(input: Pick<PythonInput, 'tree' | 'text' | 'role'>, startupName: RegExp): PythonExecutedSqlFile[] {
  if (isTestRole(input.role)) return [];
  const module = getPyModule(input);
  const files = getPythonCodeSql(module).schemaFiles.filter((f) => getPythonExecutionContext(module, f.site, input.role) !== 'test');
  if (files.length === 0) return [];
  const cli = cliFunctions(module);
  return files.map((file) => {
    const fn = functionOf(file.site);
    const trigger = fn && cli.has(functionName(module, fn) ?? '') ? 'cli' : getPythonStartupScope(module, file.site, startupName) ? 'startup' : 'other';
    const path = describeSqlPath(file.path);
    return { name: path.slice(path.lastIndexOf('/') + 1), path, api: file.api, trigger };
  });
}
