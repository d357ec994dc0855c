import type { EnvBranches, GuardKind } from '../env-branches.js';
import type { ExecutionContext, FileRole } from '../types.js';
import { getPyStaticString, resolveName } from './static.js';
import {
  calleeName,
  decoratorsOf,
  describePy,
  functionName,
  keywordArgument,
  memoize,
  operatorOf,
  positionalArguments,
  superclassesOf,
  textOf,
  unwrap,
  type PyModule,
  type PyNode,
} from './syntax.js';

const ENV_VALUE_KINDS: Record<string, GuardKind | 'production'> = {
  test: 'test', testing: 'test', tests: 'test', pytest: 'test',
  development: 'development', dev: 'development', local: 'development',
  production: 'production', prod: 'production',
};

/** `TESTING`, `IS_TEST`, `settings.testing`, `PYTEST_CURRENT_TEST`, `RUNNING_TESTS`, `app.testing`. */
const TEST_FLAG = /^(?:is_?|in_?|running_?|under_?|use_?)?(?:test|testing|tests|pytest|unittest)(?:_?(?:env|environment|mode|run|running|current_test|db|database))?$|^PYTEST_\w+$/i;
const DEV_FLAG = /^(?:is_?|in_?)?(?:dev|development|local)(?:_?(?:env|environment|mode))?$/i;
const PROD_FLAG = /^(?:is_?|in_?)?(?:prod|production)(?:_?(?:env|environment|mode))?$/i;
/** Variables and settings that name the environment: `ENV`, `APP_ENV`, `FLASK_ENV`, `settings.ENVIRONMENT`. */
const ENV_NAME = /^(?:[A-Z]+_)?(?:ENV|ENVIRONMENT|MODE|STAGE)$|^(?:env|environment|app_env|mode|stage)$/;
const FALSY_STRINGS = new Set(['', '0', 'false', 'no', 'off', 'n', 'f']);

/** The environment variable name read by `os.getenv("X")`, `os.environ.get("X")`, `os.environ["X"]`, `getenv("X")`. */
export function getEnvVariableRead(module: PyModule, node: PyNode): string | undefined {
  const expr = unwrap(node);
  if (expr.type === 'call') {
    const name = calleeName(module, expr);
    const callee = describePy(module, expr.children[0]!);
    const isRead = name === 'getenv' || (name === 'get' && /(?:^|\.)environ$/.test(callee.slice(0, -'.get'.length)));
    const [first] = positionalArguments(expr);
    return isRead && first ? getPyStaticString(module, first) : undefined;
  }
  if (expr.type === 'subscript' && /(?:^|\.)environ$/.test(describePy(module, expr.children[0]!))) {
    const key = expr.children[1];
    return key ? getPyStaticString(module, key) : undefined;
  }
  return undefined;
}

/** The last name a setting or variable is known by: `TESTING` in `app.config["TESTING"]`, `settings.TESTING`, `os.getenv("TESTING")`. */
function settingName(module: PyModule, node: PyNode): string | undefined {
  const expr = unwrap(node);
  const env = getEnvVariableRead(module, expr);
  if (env !== undefined) return env;
  if (expr.type === 'identifier') return textOf(module, expr);
  if (expr.type === 'attribute') return textOf(module, expr.children[1]!);
  if (expr.type === 'subscript') {
    const key = expr.children[1];
    return key && getPyStaticString(module, key);
  }
  if (expr.type === 'call') {
    // `bool(os.getenv("TESTING"))`, `strtobool(...)`, `settings.get("ENV")`, `config("TESTING", cast=bool)`.
    const name = calleeName(module, expr);
    const [first] = positionalArguments(expr);
    if (!first) return undefined;
    if (/^(?:get|config|env|bool|strtobool|int|str)$/.test(name ?? '')) return getPyStaticString(module, first) ?? settingName(module, first);
  }
  return undefined;
}

function flagBranches(name: string | undefined): EnvBranches {
  if (name === undefined) return {};
  if (TEST_FLAG.test(name)) return { whenTrue: 'test' };
  if (DEV_FLAG.test(name)) return { whenTrue: 'development' };
  if (PROD_FLAG.test(name)) return { whenFalse: 'development' };
  return {};
}

function kindOfValue(module: PyModule, node: PyNode): GuardKind | 'production' | undefined {
  const value = getPyStaticString(module, node);
  return value === undefined ? undefined : ENV_VALUE_KINDS[value.toLowerCase()];
}

function branchesForKind(kind: GuardKind | 'production' | undefined, negated: boolean): EnvBranches {
  if (!kind) return {};
  const positive: EnvBranches = kind === 'production' ? { whenFalse: 'development' } : { whenTrue: kind };
  return negated ? { whenTrue: positive.whenFalse, whenFalse: positive.whenTrue } : positive;
}

function mergeBoth(a: GuardKind | undefined, b: GuardKind | undefined): GuardKind | undefined {
  if (!a || !b) return undefined;
  return a === 'test' && b === 'test' ? 'test' : 'development';
}

function swap(branches: EnvBranches): EnvBranches {
  return { whenTrue: branches.whenFalse, whenFalse: branches.whenTrue };
}

function isEnvNameExpression(module: PyModule, node: PyNode): boolean {
  const name = settingName(module, node);
  return name !== undefined && ENV_NAME.test(name);
}

/** `ENV in ("test", "ci")`, `"pytest" in sys.modules`. */
function membershipBranches(module: PyModule, left: PyNode, right: PyNode, negated: boolean): EnvBranches {
  const container = unwrap(right);
  if (/^(?:tuple|list|set)$/.test(container.type) && isEnvNameExpression(module, left)) {
    const kinds = container.children.map((c) => kindOfValue(module, c));
    if (kinds.length === 0) return {};
    const kind = kinds.every((k) => k === 'test') ? 'test' : kinds.every((k) => k === 'test' || k === 'development') ? 'development' : undefined;
    return kind ? branchesForKind(kind, negated) : {};
  }
  const needle = getPyStaticString(module, left);
  if (needle !== undefined && /^(?:pytest|unittest|_pytest)$/.test(needle) && /^sys\.(?:modules|argv)/.test(describePy(module, container))) {
    return branchesForKind('test', negated);
  }
  return {};
}

function comparisonBranches(module: PyModule, expr: PyNode): EnvBranches {
  if (expr.children.length !== 2) return {};
  const [left, right] = expr.children as [PyNode, PyNode];
  const op = operatorOf(module, expr);
  if (op === 'in' || op === 'not in') return membershipBranches(module, left, right, op === 'not in');
  const equal = op === '==' || op === 'is';
  if (!equal && op !== '!=' && op !== 'is not') return {};
  const envSide = isEnvNameExpression(module, left) ? right : isEnvNameExpression(module, right) ? left : undefined;
  if (envSide) return branchesForKind(kindOfValue(module, envSide), !equal);
  // `os.getenv("TESTING") == "1"`, `settings.TESTING is True`, `os.getenv("TESTING") is not None`.
  const [flag, other] = settingName(module, left) !== undefined ? [left, right] : [right, left];
  const branches = flagBranches(settingName(module, flag));
  if (!branches.whenTrue && !branches.whenFalse) return {};
  const otherExpr = unwrap(other);
  const truthy = otherExpr.type === 'none' || otherExpr.type === 'false' ? false
    : otherExpr.type === 'true' ? true
    : (() => {
      const value = getPyStaticString(module, otherExpr);
      return value === undefined ? undefined : !FALSY_STRINGS.has(value.toLowerCase());
    })();
  if (truthy === undefined) return {};
  // `x == truthy` and `x != falsy` / `x is not None` mean "the flag is set".
  return truthy === equal ? branches : swap(branches);
}

/**
 * Which environment each branch of a condition runs in, when the condition says so:
 * `os.getenv("TESTING")`, `settings.TESTING`, `app.config["TESTING"]`, `ENV == "test"`,
 * `not settings.PRODUCTION`, `"pytest" in sys.modules`.
 */
export function evaluatePythonEnvCondition(module: PyModule, condition: PyNode, depth = 0): EnvBranches {
  if (depth > 6) return {};
  const expr = unwrap(condition);
  switch (expr.type) {
    case 'not_operator':
      return expr.children[0] ? swap(evaluatePythonEnvCondition(module, expr.children[0], depth + 1)) : {};
    case 'boolean_operator': {
      const [leftNode, rightNode] = expr.children;
      if (!leftNode || !rightNode) return {};
      const left = evaluatePythonEnvCondition(module, leftNode, depth + 1);
      const right = evaluatePythonEnvCondition(module, rightNode, depth + 1);
      return operatorOf(module, expr) === 'and'
        ? { whenTrue: left.whenTrue === 'test' || right.whenTrue === 'test' ? 'test' : (left.whenTrue ?? right.whenTrue), whenFalse: mergeBoth(left.whenFalse, right.whenFalse) }
        : { whenTrue: mergeBoth(left.whenTrue, right.whenTrue), whenFalse: left.whenFalse === 'test' || right.whenFalse === 'test' ? 'test' : (left.whenFalse ?? right.whenFalse) };
    }
    case 'comparison_operator':
      return comparisonBranches(module, expr);
    case 'identifier': {
      const bound = resolveName(module, expr);
      if (bound) {
        const inner = evaluatePythonEnvCondition(module, bound, depth + 1);
        if (inner.whenTrue || inner.whenFalse) return inner;
      }
      return flagBranches(textOf(module, expr));
    }
    case 'attribute':
    case 'subscript':
    case 'call':
      return flagBranches(settingName(module, expr));
    default:
      return {};
  }
}

/** `return`, `raise`, `sys.exit()`, `pytest.skip()`: nothing after it in the block runs. */
function exitsUnconditionally(module: PyModule, block: PyNode | undefined): boolean {
  const last = block?.children[block.children.length - 1];
  if (!last) return false;
  if (last.type === 'return_statement' || last.type === 'raise_statement') return true;
  if (last.type === 'expression_statement' && last.children[0]?.type === 'call') {
    return /(?:^|\.)(?:exit|_exit|skip|abort)$/.test(describePy(module, last.children[0].children[0]!));
  }
  return false;
}

const TEST_CASE_BASE = /(?:^|\.)\w*TestCase$|(?:^|\.)TestBase$/;
const FIXTURE_DECORATOR = /^(?:pytest\.|pytest_asyncio\.)?fixture\b/;
/** `@click.command()`, `@app.cli.command("init-db")`, `@manager.command`, Typer's `@app.command()`, `@with_appcontext`. */
export const CLI_DECORATOR = /^(?:click\.command|click\.group|with_appcontext|\w+(?:\.cli)?\.command|manager\.(?:command|option))\b/;
/** Django's management commands: `manage.py flush`, `manage.py reset` run only when an operator types them. */
export const DJANGO_COMMAND_BASE = /(?:^|\.)BaseCommand$/;
const UP_FUNCTION = /^upgrade(?:_\w+)?$/;
const DOWN_FUNCTION = /^downgrade(?:_\w+)?$/;

/** Functions a Django migration passes as `RunPython(forwards, backwards)`'s reverse side. */
function djangoReverseFunctions(module: PyModule): Set<string> {
  return memoize(module, 'context:djangoReverse', () => {
    const names = new Set<string>();
    for (const node of module.nodes) {
      if (node.type !== 'call' || calleeName(module, node) !== 'RunPython') continue;
      const reverse = keywordArgument(module, node, 'reverse_code') ?? positionalArguments(node)[1];
      if (reverse?.type === 'identifier') names.add(textOf(module, reverse));
    }
    return names;
  });
}

/** `RunSQL(sql, reverse_sql)`: the reverse side runs only on a rollback. */
function isReverseArgument(module: PyModule, child: PyNode, list: PyNode): boolean {
  const call = list.parent;
  if (!call || call.type !== 'call' || !/^Run(?:SQL|Python)$/.test(calleeName(module, call) ?? '')) return false;
  if (child.type === 'keyword_argument') return /^reverse_(?:sql|code)$/.test(textOf(module, child.children[0]!));
  return positionalArguments(call)[1] === child;
}

/** The context an `if` statement gives the branch `child` is in: its consequence, an `elif` or the `else`. */
function ifBranchGuard(module: PyModule, statement: PyNode, child: PyNode): GuardKind | undefined {
  const [condition, consequence] = statement.children;
  if (!condition || child === condition) return undefined;
  const first = evaluatePythonEnvCondition(module, condition);
  if (child === consequence) return first.whenTrue;
  // An `elif` or `else` runs only when every earlier condition was false.
  const clauses = statement.children.filter((c) => c.type === 'elif_clause');
  const earlier = [first];
  for (const clause of clauses) {
    if (clause === child) break;
    if (clause.children[0]) earlier.push(evaluatePythonEnvCondition(module, clause.children[0]));
  }
  return earlier.find((b) => b.whenFalse === 'test')?.whenFalse ?? earlier.find((b) => b.whenFalse)?.whenFalse;
}

const TEST_CONFIG_CLASS = /^Test(?:ing)?(?:[A-Z_]|$)|[a-z_]Test(?:ing)?(?:Config|Settings|Configuration)?$/;
const DEV_CONFIG_CLASS = /^(?:Dev|Development|Local)(?:Config|Settings|Configuration)$/;

/**
 * Flask and pydantic configuration classes per environment: `class TestingConfig(Config)` (or any
 * class that sets `TESTING = True`) only configures the tests, `DevelopmentConfig` a developer's
 * machine.
 */
function configClassGuard(module: PyModule, cls: PyNode): GuardKind | undefined {
  const name = cls.children.find((c) => c.type === 'identifier');
  const text = name ? textOf(module, name) : '';
  if (TEST_CONFIG_CLASS.test(text)) return 'test';
  if (DEV_CONFIG_CLASS.test(text)) return 'development';
  const body = cls.children.find((c) => c.type === 'block');
  const setsTesting = body?.children.some((statement) => /^TESTING\s*(?::[^=]*)?=\s*True$/.test(textOf(module, statement)));
  return setsTesting ? 'test' : undefined;
}

/**
 * Where `node` runs, with the same answers as the TypeScript side: `test` inside test files,
 * pytest fixtures, `unittest.TestCase` classes and `TESTING` guards; `development` under
 * development-only guards; `migrationUp`/`migrationDown` in Alembic `upgrade()`/`downgrade()`,
 * Django reverse operations; `seed` in seed files; `application` otherwise.
 */
export function getPythonExecutionContext(module: PyModule, node: PyNode, role: FileRole): ExecutionContext {
  if (role === 'test' || role === 'testConfig') return 'test';
  let migration: ExecutionContext | undefined;
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    switch (current.type) {
      case 'if_statement': {
        const guard = ifBranchGuard(module, current, child);
        if (guard) return guard;
        break;
      }
      case 'elif_clause': {
        const [condition, consequence] = current.children;
        if (condition && child === consequence) {
          const guard = evaluatePythonEnvCondition(module, condition).whenTrue;
          if (guard) return guard;
        }
        break;
      }
      case 'conditional_expression': {
        const [whenTrue, condition, whenFalse] = current.children;
        if (condition && (child === whenTrue || child === whenFalse)) {
          const guard = evaluatePythonEnvCondition(module, condition)[child === whenTrue ? 'whenTrue' : 'whenFalse'];
          if (guard) return guard;
        }
        break;
      }
      case 'boolean_operator': {
        const [left, right] = current.children;
        if (left && child === right) {
          const guard = evaluatePythonEnvCondition(module, left)[operatorOf(module, current) === 'and' ? 'whenTrue' : 'whenFalse'];
          if (guard) return guard;
        }
        break;
      }
      case 'block':
      case 'module': {
        // `if not settings.TESTING: return` guards everything after it in the block.
        for (const statement of current.children) {
          if (statement === child) break;
          if (statement.type !== 'if_statement' || statement.children.length !== 2 || !exitsUnconditionally(module, statement.children[1])) continue;
          const guard = evaluatePythonEnvCondition(module, statement.children[0]!).whenFalse;
          if (guard) return guard;
        }
        break;
      }
      case 'argument_list':
        if (role === 'migration' && migration === undefined && isReverseArgument(module, child, current)) migration = 'migrationDown';
        break;
      case 'function_definition': {
        const decorators = decoratorsOf(module, current);
        if (decorators.some((d) => FIXTURE_DECORATOR.test(d))) return 'test';
        if (decorators.some((d) => CLI_DECORATOR.test(d))) return 'operator';
        const name = functionName(module, current) ?? '';
        if (migration === undefined && role === 'migration') {
          if (DOWN_FUNCTION.test(name) || djangoReverseFunctions(module).has(name)) migration = 'migrationDown';
          else if (UP_FUNCTION.test(name)) migration = 'migrationUp';
        }
        break;
      }
      case 'class_definition': {
        const bases = superclassesOf(module, current);
        if (bases.some((base) => TEST_CASE_BASE.test(base))) return 'test';
        if (bases.some((base) => DJANGO_COMMAND_BASE.test(base))) return 'operator';
        const guard = configClassGuard(module, current);
        if (guard) return guard;
        break;
      }
      default:
        break;
    }
  }
  if (migration) return migration;
  if (role === 'migration') return 'migrationUp';
  if (role === 'seed') return 'seed';
  return 'application';
}

/** Decorators that register a function to run when the application starts. */
const STARTUP_DECORATOR = /^\w+(?:\.\w+)*\.(?:on_event\(\s*["']startup["']|before_first_request\b|before_serving\b|before_server_start\b|listener\(\s*["']before_server_start["']|on_startup\b)/;
/** Names that say "runs once per process start", beyond the shared `init_db`/`seed*` list. */
const PYTHON_STARTUP_NAME = /^(?:on_?startup|startup(?:_event|_handler)?|lifespan|app_lifespan|create_app|on_app_start(?:up)?)$/;

export interface StartupScope {
  /** Completes "`INSERT …` …": "in startup code `init_db()`". */
  where: string;
}

function lifespanNames(module: PyModule): Set<string> {
  return memoize(module, 'context:lifespan', () => {
    const names = new Set<string>();
    for (const node of module.nodes) {
      if (node.type !== 'keyword_argument') continue;
      const [key, value] = node.children;
      if (key && value?.type === 'identifier' && /^(?:lifespan|on_startup)$/.test(textOf(module, key))) names.add(textOf(module, value));
    }
    return names;
  });
}

function isMainGuard(module: PyModule, condition: PyNode | undefined): boolean {
  return condition !== undefined && /^__name__\s*==\s*["']__main__["']$|^["']__main__["']\s*==\s*__name__$/.test(textOf(module, unwrap(condition)));
}

/**
 * The code around `node` that runs once per process start, if any: a function named like one
 * (`startupName`, shared with the TypeScript side, plus `on_startup`, `lifespan`, `create_app`),
 * a handler registered with `@app.on_event("startup")`/`before_first_request` or passed as
 * `lifespan=`, Django's `AppConfig.ready()`, an `if __name__ == "__main__":` block, or a
 * module-level `with app.app_context():` block.
 */
export function getPythonStartupScope(module: PyModule, node: PyNode, startupName: RegExp): StartupScope | undefined {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'function_definition') {
      const name = functionName(module, current) ?? '';
      const cls = current.parent?.parent;
      const isReady = name === 'ready' && cls?.type === 'class_definition' && superclassesOf(module, cls).some((b) => /(?:^|\.)AppConfig$/.test(b));
      if (startupName.test(name) || PYTHON_STARTUP_NAME.test(name) || isReady || lifespanNames(module).has(name) || decoratorsOf(module, current).some((d) => STARTUP_DECORATOR.test(d))) {
        return { where: `in startup code \`${name}()\`` };
      }
    } else if (current.type === 'if_statement' && child === current.children[1] && isMainGuard(module, current.children[0])) {
      return { where: 'in the `if __name__ == "__main__":` block' };
    } else if (current.type === 'with_statement' && current.parent?.type === 'module' && /\.app_context\(\)/.test(textOf(module, current.children[0] ?? current))) {
      return { where: 'in module-level `with app.app_context():` code' };
    }
  }
  return undefined;
}
