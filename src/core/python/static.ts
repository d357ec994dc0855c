import { SQL_HOLE } from '../sql/lexer.js';
import { enclosingClass, memoize, operatorOf, textOf, unwrap, calleeName, receiverOf, positionalArguments, type PyModule, type PyNode } from './syntax.js';

export type PyStaticValue =
  | { kind: 'string'; value: string; hasHoles: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'none' };

/**
 * Names bound exactly once in a scope, with the expression they are bound to. A name bound any
 * other way, or more than once (a loop target, `+=`, `with … as`, a parameter, an import), maps to
 * `null`: its value is not fixed in the source.
 */
type Bindings = Map<PyNode, Map<string, PyNode | null>>;

function bindingScope(node: PyNode): PyNode {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'class_definition' || current.type === 'module') return current;
  }
  return node;
}

const PATTERN_TYPES = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list', 'parenthesized_expression', 'as_pattern_target', 'list_splat_pattern']);

function getBindings(module: PyModule): Bindings {
  return memoize(module, 'static:bindings', () => {
    const scopes: Bindings = new Map();
    const bind = (scope: PyNode, name: string, value: PyNode | null) => {
      let names = scopes.get(scope);
      if (!names) scopes.set(scope, (names = new Map()));
      names.set(name, names.has(name) ? null : value);
    };
    const bindTargets = (scope: PyNode, target: PyNode) => {
      if (target.type === 'identifier') bind(scope, textOf(module, target), null);
      else if (PATTERN_TYPES.has(target.type)) for (const child of target.children) bindTargets(scope, child);
    };
    for (const node of module.nodes) {
      switch (node.type) {
        case 'assignment': {
          const [left] = node.children;
          const value = assignedValue(node);
          if (!left) break;
          if (left.type === 'identifier') bind(bindingScope(node), textOf(module, left), value ?? null);
          else bindTargets(bindingScope(node), left);
          break;
        }
        case 'augmented_assignment':
        case 'for_statement':
        case 'for_in_clause':
          if (node.children[0]) bindTargets(bindingScope(node), node.children[0]);
          break;
        case 'as_pattern_target':
        case 'named_expression':
          if (node.children[0]) bindTargets(bindingScope(node), node.children[0]);
          break;
        case 'global_statement':
        case 'nonlocal_statement':
          for (const child of node.children) bind(bindingScope(node), textOf(module, child), null);
          break;
        case 'parameters':
        case 'lambda_parameters': {
          const fn = node.parent!;
          for (const parameter of node.children) {
            const name = parameter.type === 'identifier' ? parameter : parameter.children.find((c) => c.type === 'identifier');
            if (name) bind(fn, textOf(module, name), null);
          }
          break;
        }
        case 'function_definition':
        case 'class_definition': {
          const name = node.children.find((c) => c.type === 'identifier');
          if (name) bind(bindingScope(node), textOf(module, name), null);
          break;
        }
        case 'aliased_import': {
          const alias = node.children[1];
          if (alias) bind(bindingScope(node), textOf(module, alias), null);
          break;
        }
        case 'dotted_name':
          // `import a.b` binds `a`; `from m import x` binds `x`.
          if (node.parent?.type === 'import_statement' || (node.parent?.type === 'import_from_statement' && node !== node.parent.children[0])) {
            const first = node.children[0];
            if (first) bind(bindingScope(node), textOf(module, first), null);
          }
          break;
        default:
          break;
      }
    }
    return scopes;
  });
}

/** The right-hand side of `x = value` / `x: T = value`; `undefined` for a bare annotation `x: T`. */
export function assignedValue(assignment: PyNode): PyNode | undefined {
  if (assignment.children.length < 2) return undefined;
  const last = assignment.children[assignment.children.length - 1]!;
  if (last.type === 'type') return undefined;
  // `x = y = 5`: the value of the chain.
  return last.type === 'assignment' ? assignedValue(last) : last;
}

/**
 * The expression a name is bound to where it is used, following Python's scoping: the innermost
 * function that binds it, else the module. Class bodies do not enclose their methods.
 */
export function resolveName(module: PyModule, identifier: PyNode): PyNode | undefined {
  const name = textOf(module, identifier);
  const bindings = getBindings(module);
  for (let scope: PyNode | undefined = bindingScope(identifier); scope; scope = scope.parent && bindingScope(scope)) {
    if (scope.type === 'class_definition' && !isDirectlyInClassBody(identifier, scope)) continue;
    const names = bindings.get(scope);
    if (names?.has(name)) return names.get(name) ?? undefined;
    if (scope.type === 'module') return undefined;
  }
  return undefined;
}

function isDirectlyInClassBody(node: PyNode, cls: PyNode): boolean {
  return bindingScope(node) === cls;
}

/** `self.SCHEMA` / `cls.SCHEMA` → the class attribute `SCHEMA = …` of the enclosing class. */
function resolveClassAttribute(module: PyModule, attribute: PyNode): PyNode | undefined {
  const [object, name] = attribute.children;
  if (!object || !name || object.type !== 'identifier' || !/^(?:self|cls)$/.test(textOf(module, object))) return undefined;
  const cls = enclosingClass(attribute);
  if (!cls) return undefined;
  return getBindings(module).get(cls)?.get(textOf(module, name)) ?? undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };

function decodeEscapes(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|\r\n|[\s\S])/g, (whole, escape: string) => {
    if (escape in ESCAPES) return ESCAPES[escape]!;
    if (escape === '\r\n') return '';
    const head = escape[0]!;
    if (head === 'x' || head === 'u' || head === 'U') return String.fromCodePoint(Number.parseInt(escape.slice(1), 16));
    if (/^[0-7]+$/.test(escape)) return String.fromCodePoint(Number.parseInt(escape, 8));
    // `\N{…}` names and unknown escapes: Python keeps unknown ones as written.
    return head === 'N' ? SQL_HOLE : whole;
  });
}

/** The literal prefix letters of a string: `f`, `rb`, `` for a plain one. */
export function stringPrefix(module: PyModule, string: PyNode): string {
  const start = string.children[0];
  const text = start?.type === 'string_start' ? textOf(module, start) : '';
  return text.replace(/["']+$/, '').toLowerCase();
}

function stringValue(module: PyModule, string: PyNode, depth: number): PyStaticValue {
  const prefix = stringPrefix(module, string);
  const raw = prefix.includes('r');
  const formatted = prefix.includes('f') || prefix.includes('t');
  let value = '';
  let hasHoles = false;
  for (const part of string.children) {
    if (part.type === 'string_content') {
      let content = textOf(module, part);
      if (formatted) content = content.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      value += raw ? content : decodeEscapes(content);
    } else if (part.type === 'interpolation') {
      const [expression, ...rest] = part.children;
      const inner = expression && rest.length === 0 ? getPyStaticValue(module, expression, depth + 1) : undefined;
      if (inner && inner.kind !== 'none') value += String(inner.value);
      else {
        value += SQL_HOLE;
        hasHoles = true;
      }
    } else if (part.type === 'escape_sequence') {
      value += raw ? textOf(module, part) : decodeEscapes(textOf(module, part));
    }
  }
  return { kind: 'string', value, hasHoles };
}

/** `%s`, `%(name)s`, `%d`… become holes: the values come from the right operand. */
function percentFormat(template: string): string {
  return template.replace(/%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa]/g, SQL_HOLE).replace(/%%/g, '%');
}

/** `{}`, `{0}`, `{name!r:>3}` become holes; `{{`/`}}` are literal braces. */
function braceFormat(template: string): string {
  return template.replace(/\{\{|\}\}|\{[^{}]*\}/g, (m) => (m === '{{' ? '{' : m === '}}' ? '}' : SQL_HOLE));
}

function asString(value: PyStaticValue | undefined): { value: string; hasHoles: boolean } | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value;
  if (value.kind === 'number' || value.kind === 'boolean') return { value: String(value.value), hasHoles: false };
  return undefined;
}

/** Calls that hand on the string they are given: `textwrap.dedent(SQL)`, `SQL.strip()`, `str(x)`. */
const PASS_THROUGH_FUNCTIONS = /^(?:dedent|cleandoc|str)$/;
const PASS_THROUGH_METHODS = /^(?:strip|lstrip|rstrip|encode|decode)$/;

/**
 * The value of an expression when the source fixes it: literals (escapes decoded, implicit
 * concatenation joined), f-strings and `%`/`.format()` templates with unknown parts as `SQL_HOLE`,
 * `+`, and names bound once in the same module (module constants, single local assignments,
 * `self.X` class attributes).
 */
export function getPyStaticValue(module: PyModule, node: PyNode, depth = 0): PyStaticValue | undefined {
  if (depth > 8) return undefined;
  const expr = unwrap(node);
  switch (expr.type) {
    case 'string':
      return stringValue(module, expr, depth);
    case 'concatenated_string': {
      let value = '';
      let hasHoles = false;
      for (const part of expr.children) {
        const inner = stringValue(module, part, depth);
        if (inner.kind !== 'string') return undefined;
        value += inner.value;
        hasHoles ||= inner.hasHoles;
      }
      return { kind: 'string', value, hasHoles };
    }
    case 'integer':
    case 'float': {
      const value = Number(textOf(module, expr).replace(/_/g, ''));
      return Number.isNaN(value) ? undefined : { kind: 'number', value };
    }
    case 'true':
      return { kind: 'boolean', value: true };
    case 'false':
      return { kind: 'boolean', value: false };
    case 'none':
      return { kind: 'none' };
    case 'identifier': {
      const bound = resolveName(module, expr);
      return bound ? getPyStaticValue(module, bound, depth + 1) : undefined;
    }
    case 'attribute': {
      const bound = resolveClassAttribute(module, expr);
      return bound ? getPyStaticValue(module, bound, depth + 1) : undefined;
    }
    case 'binary_operator':
      return binaryValue(module, expr, depth);
    case 'call':
      return callValue(module, expr, depth);
    default:
      return undefined;
  }
}

function binaryValue(module: PyModule, expr: PyNode, depth: number): PyStaticValue | undefined {
  const [left, right] = expr.children;
  if (!left || !right) return undefined;
  const op = operatorOf(module, expr);
  if (op === '+') {
    const a = getPyStaticValue(module, left, depth + 1);
    const b = getPyStaticValue(module, right, depth + 1);
    if (a?.kind === 'number' && b?.kind === 'number') return { kind: 'number', value: a.value + b.value };
    if (a?.kind !== 'string' && b?.kind !== 'string') return undefined;
    const sa = asString(a) ?? { value: SQL_HOLE, hasHoles: true };
    const sb = asString(b) ?? { value: SQL_HOLE, hasHoles: true };
    return { kind: 'string', value: sa.value + sb.value, hasHoles: sa.hasHoles || sb.hasHoles };
  }
  if (op === '%') {
    const template = getPyStaticValue(module, left, depth + 1);
    if (template?.kind !== 'string') return undefined;
    return { kind: 'string', value: percentFormat(template.value), hasHoles: true };
  }
  return undefined;
}

function callValue(module: PyModule, call: PyNode, depth: number): PyStaticValue | undefined {
  const name = calleeName(module, call);
  const receiver = receiverOf(call);
  if (!name) return undefined;
  if (receiver && name === 'format') {
    const template = getPyStaticValue(module, receiver, depth + 1);
    return template?.kind === 'string' ? { kind: 'string', value: braceFormat(template.value), hasHoles: true } : undefined;
  }
  if (receiver && PASS_THROUGH_METHODS.test(name)) {
    const inner = getPyStaticValue(module, receiver, depth + 1);
    return inner?.kind === 'string' ? inner : undefined;
  }
  if (PASS_THROUGH_FUNCTIONS.test(name)) {
    const [first] = positionalArguments(call);
    return first ? getPyStaticValue(module, first, depth + 1) : undefined;
  }
  return undefined;
}

export function getPyStaticString(module: PyModule, node: PyNode): string | undefined {
  const value = getPyStaticValue(module, node);
  return value?.kind === 'string' && !value.hasHoles ? value.value : undefined;
}
