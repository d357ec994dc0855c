import { posix } from 'node:path';
import { classifySql, looksLikeSql, type ClassifiedStatement } from '../sql/classify.js';
import { SQL_HOLE } from '../sql/lexer.js';
import { SQL_EXECUTION_METHODS } from '../ts-helpers/executed-sql.js';
import { getPyStaticValue, resolveName } from './static.js';
import {
  calleeName,
  calleeText,
  keywordArgument,
  memoize,
  operatorOf,
  positionalArguments,
  receiverOf,
  textOf,
  unwrap,
  type PyModule,
  type PyNode,
} from './syntax.js';

/**
 * Python spellings on top of the shared list: Django's `RunSQL` migration operation, SQLAlchemy's
 * `DDL`, peewee's `execute_sql`, asyncpg's `fetch*`.
 */
const PYTHON_SQL_METHODS: ReadonlySet<string> = new Set([...SQL_EXECUTION_METHODS, 'RunSQL', 'DDL', 'execute_sql', 'fetch', 'fetchrow', 'fetchval', 'execute_async']);
/** Keywords that carry the statement when it is not the first positional argument. */
const SQL_KEYWORDS = ['sql', 'statement', 'query', 'sql_script', 'operation'];
/** `text()` only wraps SQL for the call around it, which is the API worth naming. */
const WRAPPERS = new Set(['text', 'DDL']);

export interface PyExecutedSql {
  /** The call that runs the SQL (the `text()` call for `conn.execute(text("…"))`). */
  site: PyNode;
  /** The SQL argument as written. */
  node: PyNode;
  /** `conn.execute`, `cursor.executescript`, `op.execute`, `session.execute(text())`. */
  api: string;
  text: string;
  hasHoles: boolean;
  statements: ClassifiedStatement[];
}

export interface PyExecutedSchemaFile {
  site: PyNode;
  node: PyNode;
  api: string;
  /** The static part of the path, e.g. `schema.sql`, with `SQL_HOLE` for unknown parts. */
  path: string;
}

export interface PyCodeSql {
  executed: PyExecutedSql[];
  schemaFiles: PyExecutedSchemaFile[];
}

function sqlArguments(module: PyModule, call: PyNode, name: string): PyNode[] {
  const [first, second] = positionalArguments(call);
  const keyword = SQL_KEYWORDS.map((k) => keywordArgument(module, call, k)).find(Boolean);
  const forward = first ?? keyword;
  const found = forward ? [forward] : [];
  // Django `RunSQL(sql, reverse_sql)`: both sides are SQL; the context says when each runs.
  if (name === 'RunSQL') {
    const reverse = second ?? keywordArgument(module, call, 'reverse_sql');
    if (reverse) found.push(reverse);
  }
  // `RunSQL(["…", "…"])`: a list of statements.
  return found.flatMap((node) => (/^(?:list|tuple)$/.test(unwrap(node).type) ? unwrap(node).children : [node]));
}

/** The call a `text("…")` argument is passed to, for naming the API. */
function outerApi(module: PyModule, call: PyNode): string {
  const name = calleeName(module, call) ?? '';
  const parent = call.parent;
  const outer = parent?.type === 'argument_list' ? parent.parent : undefined;
  if (WRAPPERS.has(name) && outer?.type === 'call') {
    const outerName = calleeName(module, outer);
    if (outerName && PYTHON_SQL_METHODS.has(outerName)) return `${calleeText(module, outer)}(${name}())`;
  }
  return calleeText(module, call);
}

/** Builders of a file path whose static parts we can read: `os.path.join(a, "schema.sql")`, `Path(a, "x")`. */
function pathValue(module: PyModule, node: PyNode, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const expr = unwrap(node);
  if (expr.type === 'identifier') {
    const bound = resolveName(module, expr);
    if (bound) return pathValue(module, bound, depth + 1);
  }
  if (expr.type === 'binary_operator' && operatorOf(module, expr) === '/') {
    const [left, right] = expr.children;
    const tail = right && pathValue(module, right, depth + 1);
    if (tail === undefined) return undefined;
    return posix.join(left ? (pathValue(module, left, depth + 1) ?? SQL_HOLE) : SQL_HOLE, tail);
  }
  if (expr.type === 'call') {
    const name = calleeName(module, expr) ?? '';
    const args = positionalArguments(expr);
    if (/^(?:join|Path|PurePath|PosixPath|joinpath)$/.test(name) && args.length > 0) {
      const parts = args.map((a) => pathValue(module, a, depth + 1) ?? SQL_HOLE);
      const base = name === 'joinpath' ? (receiverOf(expr) ? (pathValue(module, receiverOf(expr)!, depth + 1) ?? SQL_HOLE) : SQL_HOLE) : undefined;
      return posix.join(...(base === undefined ? parts : [base, ...parts]));
    }
    if (/^(?:resolve|absolute|expanduser)$/.test(name) && receiverOf(expr)) return pathValue(module, receiverOf(expr)!, depth + 1);
    return undefined;
  }
  const value = getPyStaticValue(module, expr);
  return value?.kind === 'string' ? value.value : undefined;
}

/** `open(p)`, `app.open_resource(p)`, `resources.open_text(pkg, "schema.sql")`, `pkgutil.get_data(pkg, p)`. */
function openedPath(module: PyModule, call: PyNode): string | undefined {
  const name = calleeName(module, call) ?? '';
  const args = positionalArguments(call);
  if (name === 'open' || name === 'open_resource') return args[0] && pathValue(module, args[0]);
  if (/^(?:open_text|open_binary|read_text|read_binary|get_data)$/.test(name) && args.length >= 2) return pathValue(module, args[1]!);
  return undefined;
}

/** The variable a `with open(p) as f:` binds to `f`, and the path it opened. */
function withOpenedPath(module: PyModule, identifier: PyNode): string | undefined {
  const name = textOf(module, identifier);
  for (let current = identifier.parent; current; current = current.parent) {
    if (current.type !== 'with_statement') continue;
    for (const item of current.children[0]?.children ?? []) {
      const pattern = item.children[0];
      if (pattern?.type !== 'as_pattern') continue;
      const [value, target] = pattern.children;
      if (value?.type === 'call' && target && textOf(module, target).replace(/[()\s]/g, '') === name) return openedPath(module, value);
    }
  }
  return undefined;
}

/**
 * The `.sql` path whose contents an expression reads: `open("schema.sql").read()`,
 * `f.read().decode("utf8")` inside `with app.open_resource("schema.sql") as f:`,
 * `Path(__file__).parent.joinpath("schema.sql").read_text()`, or a name bound to one of these.
 */
export function getReadFilePath(module: PyModule, node: PyNode, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const expr = unwrap(node);
  if (expr.type === 'identifier') {
    const bound = resolveName(module, expr);
    return bound ? getReadFilePath(module, bound, depth + 1) : undefined;
  }
  if (expr.type !== 'call') return undefined;
  const name = calleeName(module, expr) ?? '';
  const receiver = receiverOf(expr);
  if (/^(?:decode|strip|format)$/.test(name) && receiver) return getReadFilePath(module, receiver, depth + 1);
  if (name === 'read' && receiver) {
    const source = unwrap(receiver);
    if (source.type === 'call') return openedPath(module, source);
    if (source.type === 'identifier') {
      const bound = resolveName(module, source);
      return bound?.type === 'call' ? openedPath(module, bound) : withOpenedPath(module, source);
    }
    return undefined;
  }
  // `Path(...).read_text()` reads its receiver; `importlib.resources.read_text(pkg, "schema.sql")` its argument.
  if ((name === 'read_text' || name === 'read_bytes') && receiver && positionalArguments(expr).length === 0) return pathValue(module, receiver);
  return /^(?:read_text|read_binary|get_data)$/.test(name) ? openedPath(module, expr) : undefined;
}

/**
 * Every place where SQL text reaches a database in a Python file: a string passed to an execution
 * method (`execute`, `executescript`, `executemany`, `exec_driver_sql`, `text()`, Django `RunSQL`…),
 * and every `.sql` file read and passed to one. Strings that never reach one (log lines, error
 * messages, docstrings) are not SQL.
 */
export function getPythonCodeSql(module: PyModule): PyCodeSql {
  return memoize(module, 'sql:code', () => {
    const result: PyCodeSql = { executed: [], schemaFiles: [] };
    for (const call of module.nodes) {
      if (call.type !== 'call') continue;
      const name = calleeName(module, call);
      if (!name || !PYTHON_SQL_METHODS.has(name)) continue;
      for (const argument of sqlArguments(module, call, name)) {
        const value = getPyStaticValue(module, argument);
        if (value?.kind === 'string') {
          if (!looksLikeSql(value.value)) continue;
          result.executed.push({ site: call, node: argument, api: outerApi(module, call), text: value.value, hasHoles: value.hasHoles, statements: classifySql(value.value) });
          continue;
        }
        const path = getReadFilePath(module, argument);
        if (path !== undefined && /\.sql$/i.test(path)) result.schemaFiles.push({ site: call, node: argument, api: calleeText(module, call), path });
      }
    }
    return result;
  });
}

/** `runs the schema file schema.sql`-style names: the file name, holes shown as `…`. */
export function describeSqlPath(path: string): string {
  return path.split(SQL_HOLE).join('…');
}
