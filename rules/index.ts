import type { AnyRuleModule, RuleId } from '../src/core/types.js';
import { noDestructiveSchemaCall } from './no-destructive-schema-call/no-destructive-schema-call.js';

/** Every rule, sorted by id. `test/rules-meta.test.ts` keeps this, the folders and the docs in sync. */
export const rules = {
  'no-destructive-schema-call': noDestructiveSchemaCall,
} as const satisfies Partial<Record<RuleId, AnyRuleModule>>;

export type RegisteredRuleId = keyof typeof rules;
