import { ts } from '../ts.js';
import { classifySql, looksLikeSql, type ClassifiedStatement } from '../sql/classify.js';
import { getCalleeName, getCalleeText, walkKinds } from './call.js';
import { getStaticValue, resolveBoundValue, skipOuterExpressions } from './static-value.js';

/** Methods that send their first argument to a database (pg, mysql2, better-sqlite3, sqlite, knex, Prisma, TypeORM, pg-promise, postgres.js). */
export const SQL_EXECUTION_METHODS: ReadonlySet<string> = new Set([
  'query', 'exec', 'execute', 'executeSql', 'executeQuery', 'run', 'raw', 'prepare', 'unsafe',
  '$executeRaw', '$executeRawUnsafe', '$queryRaw', '$queryRawUnsafe',
  'none', 'any', 'many', 'one', 'oneOrNone', 'manyOrNone', 'multi', 'all', 'get', 'each', 'batch',
  'executescript', 'executemany', 'exec_driver_sql', 'text',
]);

const SQL_TAGS = /^(?:sql|SQL|\$executeRaw|\$queryRaw|raw|unsafe)$/;

export interface ExecutedSql {
  /** The call or tagged template that runs the SQL. */
  site: ts.CallExpression | ts.TaggedTemplateExpression;
  /** The node to report: the SQL argument as written at the call. */
  node: ts.Node;
  /** `db.exec`, `queryRunner.query`, `sql` … */
  api: string;
  text: string;
  hasHoles: boolean;
  statements: ClassifiedStatement[];
}

export interface ExecutedSchemaFile {
  site: ts.CallExpression;
  node: ts.Node;
  api: string;
  /** The static part of the path, e.g. `./schema.sql` (holes for unknown parts). */
  path: string;
}

export interface CodeSql {
  executed: ExecutedSql[];
  schemaFiles: ExecutedSchemaFile[];
}

const cache = new WeakMap<ts.SourceFile, CodeSql>();

function readFileCallPath(node: ts.Expression, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const expr = skipOuterExpressions(ts.isAwaitExpression(skipOuterExpressions(node)) ? (skipOuterExpressions(node) as ts.AwaitExpression).expression : node);
  if (ts.isIdentifier(expr)) {
    const initializer = resolveBoundValue(expr);
    return initializer ? readFileCallPath(initializer, depth + 1) : undefined;
  }
  if (ts.isCallExpression(expr)) {
    const name = getCalleeName(expr);
    if (name === 'toString' && ts.isPropertyAccessExpression(expr.expression)) return readFileCallPath(expr.expression.expression, depth + 1);
    if ((name === 'readFileSync' || name === 'readFile') && expr.arguments[0]) {
      const arg = skipOuterExpressions(expr.arguments[0]);
      const value = getStaticValue(arg);
      if (value?.kind === 'string') return value.value;
      // path.join(__dirname, 'schema.sql')
      if (ts.isCallExpression(arg) && /^(?:join|resolve)$/.test(getCalleeName(arg) ?? '')) {
        const parts = arg.arguments.map((a) => getStaticValue(a));
        const last = parts[parts.length - 1];
        if (last?.kind === 'string') return parts.map((p) => (p?.kind === 'string' ? p.value : '\uE000')).join('/');
      }
    }
  }
  return undefined;
}

/**
 * Every place in a file where SQL text reaches a database: a string passed to an execution method,
 * a tagged `sql` template, or a `.sql` file read from disk and executed. A string that never reaches
 * one of those (a log line, an error message) is not SQL.
 */
export function getCodeSql(sourceFile: ts.SourceFile): CodeSql {
  const cached = cache.get(sourceFile);
  if (cached) return cached;
  const result: CodeSql = { executed: [], schemaFiles: [] };
  walkKinds(sourceFile, [ts.SyntaxKind.TaggedTemplateExpression, ts.SyntaxKind.CallExpression], (node) => {
    if (ts.isTaggedTemplateExpression(node)) {
      const name = getCalleeName(node);
      if (!name || !SQL_TAGS.test(name)) return;
      const value = getStaticValue(node.template);
      if (value?.kind !== 'string' || !looksLikeSql(value.value)) return;
      result.executed.push({ site: node, node, api: getCalleeText(node), text: value.value, hasHoles: value.hasHoles, statements: classifySql(value.value) });
      return;
    }
    if (!ts.isCallExpression(node)) return;
    const name = getCalleeName(node);
    if (!name || !SQL_EXECUTION_METHODS.has(name) || node.arguments.length === 0) return;
    const argument = node.arguments[0]!;
    const value = getStaticValue(argument);
    if (value?.kind === 'string') {
      if (!looksLikeSql(value.value)) return;
      result.executed.push({ site: node, node: argument, api: getCalleeText(node), text: value.value, hasHoles: value.hasHoles, statements: classifySql(value.value) });
      return;
    }
    const path = readFileCallPath(argument);
    if (path !== undefined && /\.sql$/i.test(path)) {
      result.schemaFiles.push({ site: node, node: argument, api: getCalleeText(node), path });
    }
  });
  cache.set(sourceFile, result);
  return result;
}
