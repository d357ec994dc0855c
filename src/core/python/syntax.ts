import type { PythonTree } from './parser.js';

/**
 * A named node of a Python syntax tree, copied out of tree-sitter's WebAssembly heap. Comments and
 * anonymous tokens (`(`, `=`, `and`) are left out: operators are read from the text between
 * children. Offsets are UTF-16 code units into the input text, as tree-sitter reports them for a
 * JavaScript string.
 */
export interface PyNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly parent: PyNode | undefined;
  readonly children: PyNode[];
  /** Position in `PyModule.nodes` (document order). */
  readonly index: number;
  /** Index of the last descendant in `PyModule.nodes`: the subtree is `nodes[index..last]`. */
  last: number;
}

export interface PyModule {
  readonly text: string;
  readonly root: PyNode;
  /** Every node in document order (pre-order). */
  readonly nodes: readonly PyNode[];
  /** Per-module results of helper analyses, so several rules on one file share them. */
  readonly memo: Map<string, unknown>;
}

export interface PythonSource {
  tree: PythonTree;
  text: string;
}

const modules = new WeakMap<object, PyModule>();

/**
 * The plain-object mirror of a parsed file, built once per tree and shared by every rule that runs
 * on it. Walking tree-sitter's own nodes costs a WebAssembly call per property read; the mirror
 * costs four per node once, and keeps no reference into the tree, so the caller may delete it.
 */
export function getPyModule(source: PythonSource): PyModule {
  const cached = modules.get(source.tree);
  if (cached && cached.text === source.text) return cached;
  const built = buildModule(source.tree, source.text);
  modules.set(source.tree, built);
  return built;
}

/**
 * Named nodes whose children are anonymous tokens or not read (string bodies are decoded from the
 * text): asking the cursor for their first child would be a wasted WebAssembly call each.
 */
const LEAF_TYPES = new Set([
  'string_content', 'identifier', 'integer', 'float', 'true', 'false', 'none', 'string_start', 'string_end', 'escape_sequence',
  'escape_interpolation', 'type_conversion', 'keyword_separator', 'positional_separator', 'ellipsis', 'import_prefix',
  'pass_statement', 'break_statement', 'continue_statement', 'wildcard_import',
]);
const DROPPED_TYPES = new Set(['comment', 'line_continuation']);

function buildModule(tree: PythonTree, text: string): PyModule {
  const language = tree.language;
  const types = language.types;
  const named: (boolean | undefined)[] = [];
  const isNamed = (id: number): boolean => (named[id] ??= language.nodeTypeIsNamed(id));
  const nodes: PyNode[] = [];
  const root: PyNode = { type: 'module', start: 0, end: text.length, parent: undefined, children: [], index: 0, last: 0 };
  nodes.push(root);
  const cursor = tree.walk();
  try {
    let parent = root;
    if (!cursor.gotoFirstChild()) return { text, root, nodes, memo: new Map() };
    for (;;) {
      const id = cursor.nodeTypeId;
      if (isNamed(id)) {
        const type = types[id] ?? 'ERROR';
        if (!DROPPED_TYPES.has(type)) {
          const node: PyNode = { type, start: cursor.startIndex, end: cursor.endIndex, parent, children: [], index: nodes.length, last: nodes.length };
          parent.children.push(node);
          nodes.push(node);
          if (!LEAF_TYPES.has(type) && cursor.gotoFirstChild()) {
            parent = node;
            continue;
          }
        }
      }
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (parent === root) {
          done = true;
          break;
        }
        cursor.gotoParent();
        parent.last = nodes.length - 1;
        parent = parent.parent!;
      }
      if (done) break;
    }
  } finally {
    cursor.delete();
  }
  root.last = nodes.length - 1;
  return { text, root, nodes, memo: new Map() };
}

export function memoize<T>(module: PyModule, key: string, compute: () => T): T {
  if (module.memo.has(key)) return module.memo.get(key) as T;
  const value = compute();
  module.memo.set(key, value);
  return value;
}

export function textOf(module: PyModule, node: PyNode): string {
  return module.text.slice(node.start, node.end);
}

/** Every node of the subtree under `node` (itself included), in document order. */
export function subtree(module: PyModule, node: PyNode): readonly PyNode[] {
  return module.nodes.slice(node.index, node.last + 1);
}

export function isInside(node: PyNode, ancestor: PyNode): boolean {
  return node.index >= ancestor.index && node.index <= ancestor.last;
}

export function firstChildOfType(node: PyNode, type: string): PyNode | undefined {
  return node.children.find((c) => c.type === type);
}

/** `(x)` → `x`; also `await x`, which hands on the same value for our purposes. */
export function unwrap(node: PyNode): PyNode {
  let current = node;
  while ((current.type === 'parenthesized_expression' || current.type === 'await') && current.children.length === 1) current = current.children[0]!;
  return current;
}

/** The operator of a `binary_operator`, `comparison_operator` or `boolean_operator`: the text between its operands. */
export function operatorOf(module: PyModule, node: PyNode): string {
  const [left, right] = node.children;
  if (!left || !right) return '';
  return module.text.slice(left.end, right.start).replace(/\s+/g, ' ').trim();
}

export function calleeOf(call: PyNode): PyNode | undefined {
  return call.type === 'call' ? call.children[0] : undefined;
}

export function argumentListOf(call: PyNode): PyNode | undefined {
  const list = call.children[1];
  return list?.type === 'argument_list' ? list : undefined;
}

export function positionalArguments(call: PyNode): PyNode[] {
  const list = argumentListOf(call);
  if (!list) return call.children[1]?.type === 'generator_expression' ? [call.children[1]] : [];
  return list.children.filter((c) => c.type !== 'keyword_argument' && c.type !== 'list_splat' && c.type !== 'dictionary_splat');
}

export function keywordArguments(module: PyModule, call: PyNode): Map<string, PyNode> {
  const result = new Map<string, PyNode>();
  for (const child of argumentListOf(call)?.children ?? []) {
    if (child.type !== 'keyword_argument' || child.children.length < 2) continue;
    result.set(textOf(module, child.children[0]!), child.children[1]!);
  }
  return result;
}

export function keywordArgument(module: PyModule, call: PyNode, name: string): PyNode | undefined {
  return keywordArguments(module, call).get(name);
}

/** The last name of the callee: `drop_all` in `Base.metadata.drop_all(...)`, `connect` in `connect(...)`. */
export function calleeName(module: PyModule, call: PyNode): string | undefined {
  const callee = calleeOf(call);
  if (!callee) return undefined;
  if (callee.type === 'identifier') return textOf(module, callee);
  if (callee.type === 'attribute') return textOf(module, callee.children[1]!);
  return undefined;
}

/** The object a method is called on: `Base.metadata` in `Base.metadata.drop_all()`. */
export function receiverOf(call: PyNode): PyNode | undefined {
  const callee = calleeOf(call);
  return callee?.type === 'attribute' ? callee.children[0] : undefined;
}

/** The last name of the receiver: `metadata` in `Base.metadata.drop_all()`, `query` in `s.query(X).delete()`. */
export function receiverName(module: PyModule, call: PyNode): string | undefined {
  const receiver = receiverOf(call);
  if (!receiver) return undefined;
  const inner = unwrap(receiver);
  if (inner.type === 'identifier') return textOf(module, inner);
  if (inner.type === 'attribute') return textOf(module, inner.children[1]!);
  if (inner.type === 'call') return calleeName(module, inner);
  if (inner.type === 'subscript') return describePy(module, inner).split('.').pop();
  return undefined;
}

/**
 * A short dotted spelling of an expression: `Base.metadata.drop_all`, `conn.execute()`,
 * `app.config.SQLALCHEMY_DATABASE_URI` (a subscript with a string key reads as an attribute).
 */
export function describePy(module: PyModule, node: PyNode, depth = 0): string {
  if (depth > 8) return '…';
  const expr = unwrap(node);
  switch (expr.type) {
    case 'identifier':
      return textOf(module, expr);
    case 'attribute':
      return `${describePy(module, expr.children[0]!, depth + 1)}.${textOf(module, expr.children[1]!)}`;
    case 'call':
      return `${describePy(module, expr.children[0]!, depth + 1)}()`;
    case 'subscript': {
      const key = expr.children[1];
      const keyText = key?.type === 'string' ? simpleStringValue(module, key) : undefined;
      return `${describePy(module, expr.children[0]!, depth + 1)}.${keyText ?? '…'}`;
    }
    default:
      return '…';
  }
}

/** The callee as written for messages, without a leading `self.`: `conn.executescript`, `Base.metadata.drop_all`. */
export function calleeText(module: PyModule, call: PyNode): string {
  const callee = calleeOf(call);
  return callee ? describePy(module, callee).replace(/^(?:self|cls)\./, '') : '…';
}

/** The value of a plain string literal without escapes or interpolation, else `undefined`. */
export function simpleStringValue(module: PyModule, node: PyNode): string | undefined {
  if (node.type !== 'string') return undefined;
  const parts = node.children.filter((c) => c.type !== 'string_start' && c.type !== 'string_end');
  if (parts.some((p) => p.type !== 'string_content')) return undefined;
  const value = parts.map((p) => textOf(module, p)).join('');
  return value.includes('\\') ? undefined : value;
}

export function isFunction(node: PyNode): boolean {
  return node.type === 'function_definition' || node.type === 'lambda';
}

export function functionName(module: PyModule, node: PyNode): string | undefined {
  if (node.type !== 'function_definition') return undefined;
  const name = node.children.find((c) => c.type === 'identifier');
  return name && textOf(module, name);
}

export function className(module: PyModule, node: PyNode): string | undefined {
  if (node.type !== 'class_definition') return undefined;
  const name = node.children.find((c) => c.type === 'identifier');
  return name && textOf(module, name);
}

/** The body block of a function or class definition. */
export function bodyOf(node: PyNode): PyNode | undefined {
  return node.children.find((c) => c.type === 'block');
}

/** `@app.on_event("startup")` decorators of a function or class, as written without the `@`. */
export function decoratorsOf(module: PyModule, definition: PyNode): string[] {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.children.filter((c) => c.type === 'decorator').map((d) => textOf(module, d).replace(/^@\s*/, ''));
}

/** Base class expressions of a class, as written: `unittest.TestCase`, `BaseSettings`. */
export function superclassesOf(module: PyModule, cls: PyNode): string[] {
  const list = cls.children.find((c) => c.type === 'argument_list');
  return (list?.children ?? []).filter((c) => c.type !== 'keyword_argument').map((c) => textOf(module, c));
}

/** The innermost function around a node, or the module. */
export function enclosingScope(node: PyNode): PyNode {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current) || current.type === 'module') return current;
  }
  return node;
}

export function enclosingClass(node: PyNode): PyNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'class_definition') return current;
  }
  return undefined;
}

/** A statement that is only a string: a docstring or a string used as a comment. */
export function isDocstringPosition(node: PyNode): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.children.length === 1;
}
