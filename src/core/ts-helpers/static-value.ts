import { ts } from '../ts.js';
import { SQL_HOLE } from '../sql/lexer.js';
import { walkKinds } from './call.js';

export type StaticValue =
  | { kind: 'string'; value: string; hasHoles: boolean }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'null' };

const constBindingsCache = new WeakMap<ts.SourceFile, Map<string, ts.Expression | null>>();

/**
 * `const` initializers by name, for the whole file. A name bound twice (shadowing in two scopes)
 * maps to `null`: without a binder we cannot tell which one a use refers to, so it stays unknown.
 */
export function getConstBindings(sourceFile: ts.SourceFile): Map<string, ts.Expression | null> {
  let bindings = constBindingsCache.get(sourceFile);
  if (bindings) return bindings;
  bindings = new Map();
  const map = bindings;
  walkKinds(sourceFile, [ts.SyntaxKind.VariableDeclarationList], (node) => {
    if (ts.isVariableDeclarationList(node) && node.flags & ts.NodeFlags.Const) {
      for (const declaration of node.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) {
          const name = declaration.name.text;
          map.set(name, map.has(name) ? null : declaration.initializer);
        }
      }
    }
  });
  constBindingsCache.set(sourceFile, map);
  return map;
}

export function resolveConstInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  return getConstBindings(identifier.getSourceFile()).get(identifier.text) ?? undefined;
}

export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/**
 * The value of an expression when it is fixed in the source: literals, templates (substitutions
 * become holes), `+` concatenation, and same-file `const` bindings.
 */
export function getStaticValue(node: ts.Expression, depth = 0): StaticValue | undefined {
  if (depth > 8) return undefined;
  const expr = skipOuterExpressions(node);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
    return { kind: 'string', value: expr.text, hasHoles: false };
  }
  if (ts.isTemplateExpression(expr)) {
    let value = expr.head.text;
    let hasHoles = false;
    for (const span of expr.templateSpans) {
      const inner = getStaticValue(span.expression, depth + 1);
      if (inner && inner.kind !== 'null') value += String(inner.value);
      else {
        value += SQL_HOLE;
        hasHoles = true;
      }
      value += span.literal.text;
    }
    return { kind: 'string', value, hasHoles };
  }
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'boolean', value: true };
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'boolean', value: false };
  if (expr.kind === ts.SyntaxKind.NullKeyword) return { kind: 'null' };
  if (ts.isNumericLiteral(expr)) return { kind: 'number', value: Number(expr.text) };
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = getStaticValue(expr.operand, depth + 1);
    if (operand?.kind === 'boolean') return { kind: 'boolean', value: !operand.value };
    if (operand?.kind === 'number') return { kind: 'boolean', value: operand.value === 0 };
    return undefined;
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const knownLeft = getStaticValue(expr.left, depth + 1);
    const knownRight = getStaticValue(expr.right, depth + 1);
    if (knownLeft?.kind === 'string' || knownRight?.kind === 'string') {
      const hole: StaticValue = { kind: 'string', value: SQL_HOLE, hasHoles: true };
      const left = knownLeft ?? hole;
      const right = knownRight ?? hole;
      const text = (v: StaticValue) => (v.kind === 'null' ? 'null' : String(v.value));
      const holes = (v: StaticValue) => v.kind === 'string' && v.hasHoles;
      return { kind: 'string', value: text(left) + text(right), hasHoles: holes(left) || holes(right) };
    }
    return undefined;
  }
  if (ts.isIdentifier(expr)) {
    const initializer = resolveConstInitializer(expr);
    return initializer ? getStaticValue(initializer, depth + 1) : undefined;
  }
  // `[...].join('\n')` of static strings: migration files often build a script this way.
  if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'join' && ts.isArrayLiteralExpression(skipOuterExpressions(expr.expression.expression))) {
    const array = skipOuterExpressions(expr.expression.expression) as ts.ArrayLiteralExpression;
    const separatorValue = expr.arguments[0] ? getStaticValue(expr.arguments[0], depth + 1) : { kind: 'string' as const, value: ',', hasHoles: false };
    if (separatorValue?.kind !== 'string') return undefined;
    const parts = array.elements.map((e) => getStaticValue(e, depth + 1));
    if (parts.some((p) => p?.kind !== 'string')) return undefined;
    const strings = parts as { kind: 'string'; value: string; hasHoles: boolean }[];
    return { kind: 'string', value: strings.map((p) => p.value).join(separatorValue.value), hasHoles: strings.some((p) => p.hasHoles) };
  }
  return undefined;
}

export function getStaticString(node: ts.Expression): string | undefined {
  const value = getStaticValue(node);
  return value?.kind === 'string' ? value.value : undefined;
}

/** The property named `name` of an object literal, following shorthand `{ force }` to its const. */
export function getObjectProperty(object: ts.ObjectLiteralExpression, name: string): { node: ts.Node; value: ts.Expression } | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && getPropertyNameText(property.name) === name) {
      return { node: property, value: property.initializer };
    }
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) {
      return { node: property, value: property.name };
    }
  }
  return undefined;
}

export function getPropertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return getStaticString(name.expression);
  return undefined;
}

/** An object literal argument, directly or through a same-file `const options = {...}`. */
export function resolveObjectLiteral(node: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const expr = skipOuterExpressions(node);
  if (ts.isObjectLiteralExpression(expr)) return expr;
  if (ts.isIdentifier(expr)) {
    const initializer = resolveConstInitializer(expr);
    return initializer ? resolveObjectLiteral(initializer) : undefined;
  }
  return undefined;
}
