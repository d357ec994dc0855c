import type { Finding } from '../../src/core/types.js';

/** TypeORM's environment configuration (`ormconfig` from the environment, TypeORM ≤ 0.2 and its heirs). */
const TYPEORM_FLAGS: Record<string, 'autoSynchronize' | 'dropSchemaOnStart'> = {
  TYPEORM_SYNCHRONIZE: 'autoSynchronize',
  TYPEORM_DROP_SCHEMA: 'dropSchemaOnStart',
};

/**
 * `TYPEORM_SYNCHRONIZE=true` / `TYPEORM_DROP_SCHEMA=true` in a `.env` the application starts with
 * (`.env`, `.env.production`): the same settings as `synchronize: true` in code, read by TypeORM from
 * the environment. `.env.test*` files are the tests' own and are not passed here.
 */
export function detectTypeormEnv(entries: readonly { name: string; value: string; range: readonly [number, number] }[]): Finding[] {
  const findings: Finding[] = [];
  for (const entry of entries) {
    const messageId = TYPEORM_FLAGS[entry.name];
    if (messageId && /^(?:true|1)$/i.test(entry.value.trim())) findings.push({ ruleId: 'no-auto-schema-sync', messageId, severity: 'error', range: entry.range });
  }
  return findings;
}
