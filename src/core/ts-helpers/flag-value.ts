import { ts } from '../ts.js';
import { describeExpression, getCalleeName } from './call.js';
import { evaluateEnvCondition } from './execution-context.js';
import { getStaticString, getStaticValue, skipOuterExpressions } from './static-value.js';

export type FlagValue =
  | { kind: 'on' }
  | { kind: 'off' }
  /** True only when the environment is test or development. */
  | { kind: 'envOnly'; env: 'test' | 'development' }
  /** Read from the environment or a config service: true in production is one typo away. */
  | { kind: 'configured'; source: string }
  | { kind: 'unknown' };

function findConfigSource(node: ts.Node): string | undefined {
  let source: string | undefined;
  const visit = (child: ts.Node): void => {
    if (source) return;
    if (ts.isPropertyAccessExpression(child) || ts.isElementAccessExpression(child)) {
      const text = describeExpression(child);
      const m = /(?:^|\.)(?:process\.env|import\.meta\.env|env)\.([A-Za-z_]\w*)$/.exec(text);
      if (m) {
        source = text.startsWith('process.env') ? `process.env.${m[1]}` : text;
        return;
      }
    }
    if (ts.isCallExpression(child) && /^(?:get|getOrThrow|getBoolean|env)$/.test(getCalleeName(child) ?? '') && child.arguments[0]) {
      const key = getStaticString(child.arguments[0]);
      if (key && /^[A-Za-z_][\w.]*$/.test(key)) {
        source = `${describeExpression(child.expression)}('${key}')`;
        return;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return source;
}

/**
 * What a boolean option like `synchronize`, `force` or `truncate` evaluates to in production,
 * as far as the source tells: a literal, a test/development-only condition, or a configured value.
 */
export function classifyFlag(node: ts.Expression): FlagValue {
  const expr = skipOuterExpressions(node);
  const value = getStaticValue(expr);
  if (value?.kind === 'boolean') return { kind: value.value ? 'on' : 'off' };
  if (value?.kind === 'number') return { kind: value.value ? 'on' : 'off' };
  if (value?.kind === 'string' && !value.hasHoles) return { kind: value.value === '' || value.value === 'false' ? 'off' : 'on' };
  if (value?.kind === 'null') return { kind: 'off' };

  if (ts.isConditionalExpression(expr)) {
    const env = evaluateEnvCondition(expr.condition);
    const whenTrue = classifyFlag(expr.whenTrue);
    const whenFalse = classifyFlag(expr.whenFalse);
    if (env.whenTrue && whenFalse.kind === 'off') return { kind: 'envOnly', env: env.whenTrue };
    if (env.whenFalse && whenTrue.kind === 'off') return { kind: 'envOnly', env: env.whenFalse };
    if (whenTrue.kind === whenFalse.kind && (whenTrue.kind === 'on' || whenTrue.kind === 'off')) return whenTrue;
  }
  const env = evaluateEnvCondition(expr);
  if (env.whenTrue) return { kind: 'envOnly', env: env.whenTrue };
  const source = findConfigSource(expr);
  if (source) return { kind: 'configured', source };
  if (env.whenFalse) return { kind: 'configured', source: `\`${describeExpression(expr)}\`` };
  return { kind: 'unknown' };
}
