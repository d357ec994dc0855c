import type { AnyRuleModule, RuleId } from '../src/core/types.js';
import { idempotentMigrationInsert } from './idempotent-migration-insert/idempotent-migration-insert.js';
import { noAutoSchemaSync } from './no-auto-schema-sync/no-auto-schema-sync.js';
import { noDestructiveSchemaCall } from './no-destructive-schema-call/no-destructive-schema-call.js';
import { noDestructiveScript } from './no-destructive-script/no-destructive-script.js';
import { noDestructiveSql } from './no-destructive-sql/no-destructive-sql.js';
import { noInMemoryDatabase } from './no-in-memory-database/no-in-memory-database.js';
import { noSchemaInConstructor } from './no-schema-in-constructor/no-schema-in-constructor.js';
import { noTestProdDatabase } from './no-test-prod-database/no-test-prod-database.js';

/** Every rule, sorted by id. `test/rules-meta.test.ts` keeps this, the folders and the docs in sync. */
export const rules = {
  'idempotent-migration-insert': idempotentMigrationInsert,
  'no-auto-schema-sync': noAutoSchemaSync,
  'no-destructive-schema-call': noDestructiveSchemaCall,
  'no-destructive-script': noDestructiveScript,
  'no-destructive-sql': noDestructiveSql,
  'no-in-memory-database': noInMemoryDatabase,
  'no-schema-in-constructor': noSchemaInConstructor,
  'no-test-prod-database': noTestProdDatabase,
} as const satisfies Partial<Record<RuleId, AnyRuleModule>>;

export type RegisteredRuleId = keyof typeof rules;
