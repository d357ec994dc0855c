import { ts } from '../ts.js';
import type { EnvBranches } from '../env-branches.js';
import type { ExecutionContext, FileRole } from '../types.js';
import { describeExpression, getCalleeName, getFunctionName, isFunctionLike } from './call.js';
import { getStaticString, resolveBoundValue, skipOuterExpressions } from './static-value.js';

type EnvKind = 'test' | 'development' | 'production';


const TEST_CALLBACKS = new Set([
  'describe', 'it', 'test', 'suite', 'context', 'specify', 'before', 'after',
  'beforeAll', 'beforeEach', 'afterAll', 'afterEach', 'setup', 'teardown', 'suiteSetup', 'suiteTeardown',
]);
const MIGRATION_DOWN_NAMES = new Set(['down', 'rollback', 'revert', 'undo']);
const MIGRATION_UP_NAMES = new Set(['up', 'migrate', 'apply']);

const ENV_VALUE_KINDS: Record<string, EnvKind> = {
  test: 'test', testing: 'test', tests: 'test',
  development: 'development', dev: 'development', local: 'development',
  production: 'production', prod: 'production',
};

const TEST_FLAG = /^(?:is|in)?_?(?:test|testing|jest|vitest|mocha)(?:_?env(?:ironment)?|_?mode|_?run)?$|^__TEST__$/i;
const DEV_FLAG = /^(?:is|in)?_?(?:dev|development|local)(?:_?env(?:ironment)?|_?mode)?$|^__DEV__$/i;
const PROD_FLAG = /^(?:is|in)?_?(?:prod|production)(?:_?env(?:ironment)?|_?mode)?$/i;
const ENV_NAME = /(?:^|\.)(?:NODE_ENV|APP_ENV|ENV|env|environment|ENVIRONMENT|MODE|mode|STAGE|stage|nodeEnv|appEnv)$/;
const TEST_ENV_VARS = /(?:^|\.)(?:JEST_WORKER_ID|VITEST|VITEST_WORKER_ID|TESTING|IS_TEST|TEST)$/;

function kindOfEnvValue(node: ts.Expression): EnvKind | undefined {
  const value = getStaticString(node);
  return value === undefined ? undefined : ENV_VALUE_KINDS[value.toLowerCase()];
}

function isEnvExpression(node: ts.Expression): boolean {
  const expr = skipOuterExpressions(node);
  if (ts.isCallExpression(expr) && getCalleeName(expr) === 'get' && expr.arguments[0]) {
    const key = getStaticString(expr.arguments[0]);
    return key !== undefined && ENV_NAME.test(key);
  }
  return ENV_NAME.test(describeExpression(expr));
}

function branchesForKind(kind: EnvKind | undefined, negated: boolean): EnvBranches {
  if (!kind) return {};
  const positive: EnvBranches = kind === 'production' ? { whenFalse: 'development' } : { whenTrue: kind };
  return negated ? { whenTrue: positive.whenFalse, whenFalse: positive.whenTrue } : positive;
}

function mergeBoth(a: 'test' | 'development' | undefined, b: 'test' | 'development' | undefined) {
  if (!a || !b) return undefined;
  return a === 'test' && b === 'test' ? 'test' : 'development';
}

/**
 * Which environment a branch of `condition` runs in, when the condition says so:
 * `process.env.NODE_ENV === 'test'`, `!isProduction`, `config.env !== 'production'`, `process.env.JEST_WORKER_ID`…
 */
export function evaluateEnvCondition(condition: ts.Expression, depth = 0): EnvBranches {
  if (depth > 6) return {};
  const expr = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = evaluateEnvCondition(expr.operand, depth + 1);
    return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
  }
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const left = evaluateEnvCondition(expr.left, depth + 1);
      const right = evaluateEnvCondition(expr.right, depth + 1);
      return op === ts.SyntaxKind.AmpersandAmpersandToken
        ? { whenTrue: left.whenTrue === 'test' || right.whenTrue === 'test' ? 'test' : (left.whenTrue ?? right.whenTrue), whenFalse: mergeBoth(left.whenFalse, right.whenFalse) }
        : { whenTrue: mergeBoth(left.whenTrue, right.whenTrue), whenFalse: left.whenFalse === 'test' || right.whenFalse === 'test' ? 'test' : (left.whenFalse ?? right.whenFalse) };
    }
    const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const inequality = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (equality || inequality) {
      const kind = isEnvExpression(expr.left) ? kindOfEnvValue(expr.right) : isEnvExpression(expr.right) ? kindOfEnvValue(expr.left) : undefined;
      if (kind) return branchesForKind(kind, inequality);
      // `process.env.JEST_WORKER_ID !== undefined`
      const other = skipOuterExpressions(expr.right);
      const isUndefined = (ts.isIdentifier(other) && other.text === 'undefined') || other.kind === ts.SyntaxKind.NullKeyword;
      if (isUndefined && TEST_ENV_VARS.test(describeExpression(expr.left))) return branchesForKind('test', equality);
      return {};
    }
    return {};
  }
  // `['test', 'development'].includes(process.env.NODE_ENV)`
  if (ts.isCallExpression(expr) && getCalleeName(expr) === 'includes' && ts.isPropertyAccessExpression(expr.expression) && expr.arguments[0] && isEnvExpression(expr.arguments[0])) {
    const list = skipOuterExpressions(expr.expression.expression);
    if (ts.isArrayLiteralExpression(list)) {
      const kinds = list.elements.map((e) => kindOfEnvValue(e as ts.Expression));
      if (kinds.length > 0 && kinds.every((k) => k === 'test')) return { whenTrue: 'test' };
      if (kinds.length > 0 && kinds.every((k) => k === 'test' || k === 'development')) return { whenTrue: 'development' };
    }
    return {};
  }
  if (ts.isIdentifier(expr)) {
    const initializer = resolveBoundValue(expr);
    if (initializer) return evaluateEnvCondition(initializer, depth + 1);
    return flagBranches(expr.text);
  }
  if (ts.isPropertyAccessExpression(expr)) {
    if (TEST_ENV_VARS.test(describeExpression(expr))) return { whenTrue: 'test' };
    return flagBranches(expr.name.text);
  }
  return {};
}

function flagBranches(name: string): EnvBranches {
  if (TEST_FLAG.test(name)) return { whenTrue: 'test' };
  if (DEV_FLAG.test(name)) return { whenTrue: 'development' };
  if (PROD_FLAG.test(name)) return { whenFalse: 'development' };
  return {};
}

function exitsUnconditionally(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && exitsUnconditionally(last);
  }
  if (ts.isExpressionStatement(statement)) {
    const e = skipOuterExpressions(statement.expression);
    return ts.isCallExpression(e) && /(?:^|\.)exit$/.test(describeExpression(e.expression));
  }
  return false;
}

function isMigrationClass(node: ts.ClassLikeDeclaration): boolean {
  return (node.heritageClauses ?? []).some((clause) => clause.types.some((t) => /MigrationInterface$/.test(t.expression.getText())));
}

const migrationShapeCache = new WeakMap<ts.SourceFile, boolean>();

/**
 * A file that exports both `up` and `down` (knex, Sequelize, Umzug, db-migrate) is a migration
 * wherever it lives: the migration tool, not the application, runs it.
 */
function hasMigrationShape(sourceFile: ts.SourceFile): boolean {
  let shape = migrationShapeCache.get(sourceFile);
  if (shape === undefined) {
    const text = sourceFile.text;
    const exportsObject = /\bmodule\.exports\s*=\s*\{/.test(text);
    const exportsName = (name: string) =>
      new RegExp(String.raw`(?:\bexports\.${name}\s*=|\bexport\s+(?:async\s+)?function\s+${name}\b|\bexport\s+const\s+${name}\s*=)`).test(text) ||
      (exportsObject && new RegExp(String.raw`\b${name}\s*(?:\(|:|,|\})`).test(text));
    shape = exportsName('up') && exportsName('down');
    migrationShapeCache.set(sourceFile, shape);
  }
  return shape;
}

function contextOfGuard(kind: 'test' | 'development' | undefined): ExecutionContext | undefined {
  return kind === 'test' ? 'test' : kind === 'development' ? 'development' : undefined;
}

/** `if (process.env.NODE_ENV !== 'test') return;` guards everything after it in the block. */
function guardBeforeInBlock(statements: readonly ts.Statement[], child: ts.Node): ExecutionContext | undefined {
  for (const statement of statements) {
    if (statement === child) break;
    if (ts.isIfStatement(statement) && !statement.elseStatement && exitsUnconditionally(statement.thenStatement)) {
      const found = contextOfGuard(evaluateEnvCondition(statement.expression).whenFalse);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * `switch (process.env.NODE_ENV) { case 'test': … }`: the environment a case's statements run in,
 * counting the empty cases that fall into it (`case 'test': case 'development': …`). `default`, or
 * any production label among them, says nothing.
 */
function caseClauseGuard(clause: ts.CaseClause): 'test' | 'development' | undefined {
  const block = clause.parent;
  if (!isEnvExpression(block.parent.expression)) return undefined;
  const clauses = block.clauses;
  let first = clauses.indexOf(clause);
  while (first > 0 && clauses[first - 1]!.statements.length === 0) first--;
  const kinds: (EnvKind | undefined)[] = [];
  for (let i = first; i <= clauses.indexOf(clause); i++) {
    const c = clauses[i]!;
    kinds.push(ts.isCaseClause(c) ? kindOfEnvValue(c.expression) : undefined);
  }
  if (kinds.every((k) => k === 'test')) return 'test';
  if (kinds.every((k) => k === 'test' || k === 'development')) return 'development';
  return undefined;
}

const constUseContexts = new WeakMap<ts.VariableDeclaration, ExecutionContext | undefined>();

/**
 * A `const` that is not exported and whose every use in the file runs in tests or development
 * (`process.env.NODE_ENV !== 'production' ? devConfig : prodConfig`) holds a test or development
 * value: what its initializer says runs there too.
 */
function contextOfConstUses(declaration: ts.VariableDeclaration, role: FileRole): ExecutionContext | undefined {
  if (constUseContexts.has(declaration)) return constUseContexts.get(declaration);
  constUseContexts.set(declaration, undefined);
  const list = declaration.parent;
  const name = declaration.name;
  if (!ts.isIdentifier(name) || !ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  const statement = list.parent;
  if (ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  const uses: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) uses.push(node);
    ts.forEachChild(node, visit);
  };
  visit(declaration.getSourceFile());
  // Exported later (`export { devConfig }`, `export default devConfig`): another file may use it anywhere.
  if (uses.length === 0 || uses.some((u) => ts.isExportSpecifier(u.parent) || ts.isExportAssignment(u.parent))) return undefined;
  const contexts = uses.map((u) => getExecutionContext(u, role));
  const found = contexts.every((c) => c === 'test') ? 'test' : contexts.every((c) => c === 'test' || c === 'development') ? 'development' : undefined;
  constUseContexts.set(declaration, found);
  return found;
}

/**
 * Where `node` runs. Walks outwards: the innermost test callback, environment guard or migration
 * function decides; otherwise the file's role does.
 */
export function getExecutionContext(node: ts.Node, role: FileRole): ExecutionContext {
  if (role === 'test' || role === 'testConfig') return 'test';
  let migration: ExecutionContext | undefined;
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && child !== current.expression) {
      const branches = evaluateEnvCondition(current.expression);
      const found = contextOfGuard(child === current.thenStatement ? branches.whenTrue : branches.whenFalse);
      if (found) return found;
    } else if (ts.isConditionalExpression(current) && child !== current.condition) {
      const branches = evaluateEnvCondition(current.condition);
      const found = contextOfGuard(child === current.whenTrue ? branches.whenTrue : branches.whenFalse);
      if (found) return found;
    } else if (ts.isBinaryExpression(current) && child === current.right) {
      const op = current.operatorToken.kind;
      const branches = evaluateEnvCondition(current.left);
      const found =
        op === ts.SyntaxKind.AmpersandAmpersandToken ? contextOfGuard(branches.whenTrue)
        : op === ts.SyntaxKind.BarBarToken ? contextOfGuard(branches.whenFalse)
        : undefined;
      if (found) return found;
    } else if (ts.isCaseClause(current) && child !== current.expression) {
      const found = contextOfGuard(caseClauseGuard(current));
      if (found) return found;
      const guard = guardBeforeInBlock(current.statements, child);
      if (guard) return guard;
    } else if (ts.isVariableDeclaration(current) && child === current.initializer) {
      // `const devConfig = { synchronize: true }` used only in `NODE_ENV !== 'production' ? devConfig : prodConfig`.
      const found = contextOfConstUses(current, role);
      if (found) return found;
    } else if ((ts.isBlock(current) || ts.isSourceFile(current) || ts.isModuleBlock(current)) && ts.isStatement(child as ts.Statement)) {
      const guard = guardBeforeInBlock(current.statements, child);
      if (guard) return guard;
    } else if (isFunctionLike(current) && current.parent && ts.isCallExpression(current.parent) && current.parent.arguments.includes(current as ts.Expression)) {
      const callee = current.parent.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && ts.isIdentifier(callee.expression.expression) ? callee.expression.expression.text : undefined;
      if (name && TEST_CALLBACKS.has(name)) return 'test';
    }
    if (migration === undefined && isFunctionLike(current)) {
      const name = getFunctionName(current);
      const inMigration = role === 'migration' || (current.parent && ts.isClassLike(current.parent) && isMigrationClass(current.parent)) || (role === 'application' && hasMigrationShape(node.getSourceFile()));
      // Sequelize seeders have `up`/`down` too: `down` undoes the seed.
      if ((inMigration || role === 'seed') && name && MIGRATION_DOWN_NAMES.has(name)) migration = 'migrationDown';
      else if (inMigration && name && MIGRATION_UP_NAMES.has(name)) migration = 'migrationUp';
    }
  }
  if (migration) return migration;
  if (role === 'migration') return 'migrationUp';
  if (role === 'seed') return 'seed';
  return 'application';
}
