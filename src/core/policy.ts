import type { ExecutionContext, Severity } from './types.js';

/**
 * How loud a destructive operation is where it runs: a bug in application code; an intended change
 * worth a second look in a migration's `up` or a seed (both can run against production); nothing
 * where the data is disposable (tests, development-only branches) or the point is to undo (`down`).
 */
export function severityOfDestructiveOperation(context: ExecutionContext): Severity | undefined {
  switch (context) {
    case 'application':
      return 'error';
    case 'migrationUp':
    case 'seed':
      return 'warning';
    default:
      return undefined;
  }
}

export function isDisposableContext(context: ExecutionContext): boolean {
  return context === 'test' || context === 'development';
}

/** Words for messages: "in a migration's up()", "in a seed". */
export function describeContext(context: ExecutionContext): string {
  return context === 'seed' ? 'in a seed' : context === 'migrationUp' ? "in a migration's up()" : 'in application code';
}
