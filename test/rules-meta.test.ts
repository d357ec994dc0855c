import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { getDocsUrl } from '../src/core/package-info.js';
import { RULE_IDS, type AnyRuleModule } from '../src/core/types.js';
import plugin from '../src/eslint/plugin.js';

const RULES_DIR = join(import.meta.dirname, '..', 'rules');
const registered = rules as Record<string, AnyRuleModule>;

describe('rule registry', () => {
  it('registers exactly the fixed rule ids, sorted', () => {
    expect(Object.keys(registered)).toEqual([...RULE_IDS].sort());
  });

  it('configs are derived from meta: recommended = recommended rules, all = every rule', () => {
    const recommended = Object.values(registered).filter((r) => r.meta.docs.recommended).map((r) => `dbguard/${r.meta.id}`);
    expect(Object.keys(plugin.configs.recommended.rules ?? {}).sort()).toEqual(recommended.sort());
    expect(Object.keys(plugin.configs.all.rules ?? {}).sort()).toEqual(RULE_IDS.map((id) => `dbguard/${id}`).sort());
    expect(Object.keys(plugin.rules).sort()).toEqual([...RULE_IDS].sort());
  });

  for (const [id, rule] of Object.entries(registered)) {
    describe(id, () => {
      it('id = key = folder = file stem, with tests and docs beside it', () => {
        expect(rule.meta.id).toBe(id);
        for (const file of [`${id}.ts`, `${id}.test.ts`, 'README.md']) expect(existsSync(join(RULES_DIR, id, file)), file).toBe(true);
      });

      it('describes itself as "Disallow/Require/Enforce …" without a trailing period', () => {
        expect(rule.meta.docs.description).toMatch(/^(?:Disallow|Require|Enforce) .+[^. ]$/);
      });

      it('has camelCase message ids with non-empty messages', () => {
        for (const [messageId, message] of Object.entries(rule.meta.messages)) {
          expect(messageId).toMatch(/^[a-z][a-zA-Z]+$/);
          expect(message.length).toBeGreaterThan(20);
        }
      });

      it('default options satisfy its own schema', () => {
        const ajv = new Ajv({ strict: false });
        const schema = rule.meta.schema.length === 0 ? { type: 'array', maxItems: 0 } : { type: 'array', items: rule.meta.schema, maxItems: rule.meta.schema.length };
        expect(ajv.validate(schema, rule.meta.defaultOptions), JSON.stringify(ajv.errors)).toBe(true);
      });

      it('ESLint meta points at its docs page and detectors match the declared languages', () => {
        expect(plugin.rules[id as keyof typeof plugin.rules].meta.docs?.url).toBe(getDocsUrl(id));
        expect(getDocsUrl(id)).toMatch(new RegExp(`/rules/${id}/README\\.md$`));
        const declared = [...rule.meta.languages].sort();
        const implemented = Object.keys(rule.detect).filter((k) => ['typescript', 'python', 'sql', 'script', 'project'].includes(k)).sort();
        expect(implemented).toEqual(declared);
      });
    });
  }
});
