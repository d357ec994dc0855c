import { ts } from '../ts.js';
import { SQL_HOLE } from '../sql/lexer.js';

export type StaticValue =
  | { kind: 'string'; value: string; hasHoles: boolean }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'null' };

/** Nodes that open a scope for `let`/`const` (and, for functions, `var` and parameters). */
function isScope(node: ts.Node): boolean {
  return ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseBlock(node) || ts.isFunctionLike(node) || ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node) || ts.isCatchClause(node);
}

/** Declarations a scope makes itself, looked up by name. `undefined`: not declared there. */
function declarationIn(scope: ts.Node, name: string): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visitList = (list: ts.VariableDeclarationList | undefined) => {
    for (const declaration of list?.declarations ?? []) if (ts.isIdentifier(declaration.name) && declaration.name.text === name) found ??= declaration;
  };
  const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : ts.isCaseBlock(scope) ? scope.clauses.flatMap((c) => [...c.statements]) : [];
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) visitList(statement.declarationList);
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name?.text === name) found ??= statement;
    else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      const names = [clause.name, ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.map((e) => e.name) : []), clause.namedBindings && ts.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined];
      if (names.some((n) => n?.text === name)) found ??= statement;
    }
  }
  if ((ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) visitList(scope.initializer);
  if (ts.isCatchClause(scope) && scope.variableDeclaration && ts.isIdentifier(scope.variableDeclaration.name) && scope.variableDeclaration.name.text === name) found ??= scope.variableDeclaration;
  if (ts.isFunctionLike(scope)) {
    for (const parameter of scope.parameters) if (ts.isIdentifier(parameter.name) && parameter.name.text === name) found ??= parameter;
    // `var` anywhere in the body belongs to the function.
    const body = (scope as ts.FunctionLikeDeclaration).body;
    if (!found && body) {
      const visit = (node: ts.Node): void => {
        if (found || (node !== body && ts.isFunctionLike(node))) return;
        if (ts.isVariableDeclarationList(node) && !(node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) visitList(node);
        ts.forEachChild(node, visit);
      };
      visit(body);
    }
  }
  return found;
}

/** The declaration a name refers to where it is used, by lexical scope (the nearest one wins). */
function declarationOf(identifier: ts.Identifier): ts.Node | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!isScope(scope)) continue;
    const found = declarationIn(scope, identifier.text);
    if (found) return found;
  }
  return undefined;
}

/**
 * The expression a name holds where it is used: a `const`'s initializer, or for `let`/`var` the
 * value last assigned on the straight-line path to the use (the initializer, then `name = …`
 * statements of the blocks that contain the use). An assignment in a branch or loop the use is not
 * inside, a compound assignment, or a parameter leaves the value unknown.
 */
export function resolveBoundValue(identifier: ts.Identifier): ts.Expression | undefined {
  const declaration = declarationOf(identifier);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isVariableDeclarationList(declaration.parent)) return undefined;
  if (declaration.parent.flags & ts.NodeFlags.Const) return declaration.initializer;
  const owner = declaration.parent.parent;
  if (!ts.isVariableStatement(owner)) return undefined;
  const useAt = identifier.getStart();
  let value = declaration.initializer;
  let known = true;
  const scope = owner.parent;
  const visit = (node: ts.Node): void => {
    if (!known || node.getStart() >= useAt) return;
    if (node !== scope && ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && node.left.text === identifier.text && node.getEnd() <= useAt && declarationOf(node.left) === declaration) {
      const kind = node.operatorToken.kind;
      const straight = ts.isExpressionStatement(node.parent) && isOnPathTo(node.parent, identifier);
      if (kind === ts.SyntaxKind.EqualsToken && straight) value = node.right;
      else if (kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment) known = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return known ? value : undefined;
}

/** Whether a statement's block also contains `use`: it runs on every path that reaches the use. */
function isOnPathTo(statement: ts.Statement, use: ts.Node): boolean {
  const block = statement.parent;
  for (let current: ts.Node | undefined = use.parent; current; current = current.parent) {
    if (current === block) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
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
 * become holes), `+` concatenation, and names bound in the file (resolved by scope, see `resolveBoundValue`).
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
    const initializer = resolveBoundValue(expr);
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
    const initializer = resolveBoundValue(expr);
    return initializer ? resolveObjectLiteral(initializer) : undefined;
  }
  return undefined;
}
