/** The environments a guard can single out; production is what neither names. */
export type GuardKind = 'test' | 'development';

/** What a condition (`NODE_ENV === 'test'`, `if TESTING:`) tells about the environment on each of its branches. */
export interface EnvBranches {
  whenTrue?: GuardKind;
  whenFalse?: GuardKind;
}

/**
 * Whether code on branch `mine` of a guard is outside test code: `false` on the test branch, `true`
 * on the other branch of a guard that names an environment, `undefined` when the guard says
 * nothing. Both languages' `isOutsideTestBranch` read their guards with it.
 */
export function isOutsideTestBy(branches: EnvBranches, mine: keyof EnvBranches): boolean | undefined {
  const own = branches[mine];
  const other = branches[mine === 'whenTrue' ? 'whenFalse' : 'whenTrue'];
  if (own === 'test') return false;
  if (own !== undefined || other !== undefined) return true;
  return undefined;
}
