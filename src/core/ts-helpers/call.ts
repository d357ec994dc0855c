import { ts } from '../ts.js';
import { skipOuterExpressions } from './static-value.js';

/** The member or function name being called: `dropTable` in `queryRunner.dropTable(...)`. */
/** The innermost function around a node, or its source file: the code that runs together with it. */
export function enclosingScope(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) if (isFunctionLike(current) || ts.isSourceFile(current)) return current;
  return node.getSourceFile();
}

export function getCalleeName(call: ts.CallExpression | ts.TaggedTemplateExpression): string | undefined {
  const callee = skipOuterExpressions(ts.isCallExpression(call) ? call.expression : call.tag);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

/** The expression the method is called on: `queryRunner` in `queryRunner.dropTable(...)`. */
export function getCalleeObject(call: ts.CallExpression | ts.TaggedTemplateExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(ts.isCallExpression(call) ? call.expression : call.tag);
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) return callee.expression;
  return undefined;
}

/** Dotted names of a member chain, with `()` marking calls: `knex.schema.dropTable`, `knex().insert`. */
export function getCalleeText(call: ts.CallExpression | ts.TaggedTemplateExpression): string {
  return describeExpression(ts.isCallExpression(call) ? call.expression : call.tag);
}

export function describeExpression(node: ts.Expression, depth = 0): string {
  const expr = skipOuterExpressions(node);
  if (depth > 6) return '…';
  if (ts.isIdentifier(expr) || ts.isPrivateIdentifier(expr)) return expr.text;
  if (expr.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(expr)) return `${describeExpression(expr.expression, depth + 1)}.${expr.name.text}`;
  if (ts.isElementAccessExpression(expr)) {
    const key = ts.isStringLiteralLike(expr.argumentExpression) ? expr.argumentExpression.text : '…';
    return `${describeExpression(expr.expression, depth + 1)}.${key}`;
  }
  if (ts.isCallExpression(expr)) return `${describeExpression(expr.expression, depth + 1)}()`;
  if (ts.isAwaitExpression(expr)) return describeExpression(expr.expression, depth + 1);
  return '…';
}

/** The last identifier of a receiver: `queryRunner` for `this.queryRunner`, `db` for `getDb()`… */
export function getReceiverName(call: ts.CallExpression): string | undefined {
  const object = getCalleeObject(call);
  if (!object) return undefined;
  const expr = skipOuterExpressions(object);
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isCallExpression(expr)) return getCalleeName(expr);
  return undefined;
}

/** Calls chained onto this one: `.onConflict()` in `knex('t').insert(x).onConflict('id').ignore()`. */
export function getChainedCallNames(call: ts.CallExpression): string[] {
  const names: string[] = [];
  let current: ts.Node = call;
  for (;;) {
    const parent: ts.Node = current.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === current && parent.parent && ts.isCallExpression(parent.parent)) {
      names.push(parent.name.text);
      current = parent.parent;
    } else if (parent && (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent))) {
      current = parent;
    } else {
      return names;
    }
  }
}

const flattened = new WeakMap<ts.SourceFile, ts.Node[]>();

/**
 * Every node of a file in source order, collected once: the rules and fact extractors each visit the
 * whole file, and iterating an array is far cheaper than re-running `forEachChild` recursion each time.
 */
function getAllNodes(sourceFile: ts.SourceFile): ts.Node[] {
  let nodes = flattened.get(sourceFile);
  if (!nodes) {
    const list: ts.Node[] = [sourceFile];
    const collect = (child: ts.Node): void => {
      list.push(child);
      ts.forEachChild(child, collect);
    };
    ts.forEachChild(sourceFile, collect);
    flattened.set(sourceFile, list);
    nodes = list;
  }
  return nodes;
}

const byKind = new WeakMap<ts.SourceFile, Map<ts.SyntaxKind, ts.Node[]>>();

/**
 * The file's nodes of the given kinds, in source order. Most visitors look at calls only, a tenth
 * of a file's nodes: indexing them once spares every such visitor a call per node.
 */
export function nodesOfKind<T extends ts.Node = ts.Node>(sourceFile: ts.SourceFile, ...kinds: ts.SyntaxKind[]): readonly T[] {
  let index = byKind.get(sourceFile);
  if (!index) {
    index = new Map();
    for (const node of getAllNodes(sourceFile)) {
      const list = index.get(node.kind);
      if (list) list.push(node);
      else index.set(node.kind, [node]);
    }
    byKind.set(sourceFile, index);
  }
  if (kinds.length === 1) return (index.get(kinds[0]!) ?? []) as T[];
  const wanted = new Set(kinds);
  return getAllNodes(sourceFile).filter((node) => wanted.has(node.kind)) as T[];
}

/** Visits the file's calls, in source order. */
export function walkCalls(sourceFile: ts.SourceFile, visit: (call: ts.CallExpression) => void): void {
  for (const call of nodesOfKind<ts.CallExpression>(sourceFile, ts.SyntaxKind.CallExpression)) visit(call);
}

/** Visits the file's nodes of the given kinds, in source order. */
export function walkKinds(sourceFile: ts.SourceFile, kinds: readonly ts.SyntaxKind[], visit: (node: ts.Node) => void): void {
  for (const node of nodesOfKind(sourceFile, ...kinds)) visit(node);
}

/** Visits `node` and all its descendants, in source order. */
export function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  if (ts.isSourceFile(node)) {
    for (const child of getAllNodes(node)) visit(child);
    return;
  }
  const recurse = (child: ts.Node): void => {
    visit(child);
    ts.forEachChild(child, recurse);
  };
  recurse(node);
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node);
}

/** The name a function is known by: declaration name, method name, or the const/property it is assigned to. */
export function getFunctionName(node: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name))) return node.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return parent.name.text;
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = parent.left;
    if (ts.isPropertyAccessExpression(left)) return left.name.text;
    if (ts.isIdentifier(left)) return left.text;
  }
  return undefined;
}
